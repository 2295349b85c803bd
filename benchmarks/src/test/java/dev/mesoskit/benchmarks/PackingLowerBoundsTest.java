package dev.mesoskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.benchmarks.PackingLowerBounds.Pairs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The bounds against hand-checked instances and against the optimum found by brute force. */
class PackingLowerBoundsTest {
  private static final int C = 1000;

  @Test
  void issueBoundCountsVolumeAndItemsAboveHalfOneDimensionAtATime() {
    int[][] items = {{600, 100}, {600, 100}, {100, 700}, {300, 300}};

    // Dimension 0: two items above 500 and 1,600 in all; dimension 1: 1,200 in all.
    assertThat(PackingLowerBounds.volumeAndHalves(items, C)).isEqualTo(2);
  }

  @Test
  void pairBoundSeesThreeItemsThatFitPairwiseNowhere() {
    // Every dimension: one item above 500 and 1,150 in all, so the issue's bound is 2; but no
    // two of them fit together, so they need 3 bins.
    int[][] items = {{600, 450, 100}, {100, 600, 450}, {450, 100, 600}};

    assertThat(PackingLowerBounds.volumeAndHalves(items, C)).isEqualTo(2);
    assertThat(PackingLowerBounds.pairs(items, C)).isEqualTo(new Pairs(3, 3, 0));
    assertThat(optimum(items)).isEqualTo(3);
  }

  @Test
  void pairBoundSubtractsTheMostDisjointPairsThatFit() {
    // All four above a third in every dimension; every pair fits but 1-3 (1,150 cpus): the
    // matching {0-1, 2-3} leaves 2 bins, the optimum.
    int[][] items = {{400, 400}, {550, 350}, {350, 550}, {600, 400}};

    assertThat(PackingLowerBounds.pairs(items, C)).isEqualTo(new Pairs(2, 4, 2));
    assertThat(optimum(items)).isEqualTo(2);
  }

  @Test
  void pairBoundLeavesOutAnItemThatWouldLetThreeShareABin() {
    // The three small items fit together, so at most two of them join S.
    int[][] items = {{300, 300}, {300, 300}, {300, 300}, {900, 900}};

    Pairs pairs = PackingLowerBounds.pairs(items, C);

    assertThat(pairs.items()).isEqualTo(3);
    assertThat(pairs.bound()).isEqualTo(2);
    assertThat(optimum(items)).isEqualTo(2);
  }

  @Test
  void bothBoundsNeverExceedTheOptimumOfSmallRandomInstances() {
    Random random = new Random(5);
    int stronger = 0;
    int exact = 0;
    for (int n = 0; n < 600; n++) {
      int d = 2 + random.nextInt(3);
      int size = 2 + random.nextInt(7);
      int lo = random.nextInt(2) == 0 ? 1 : 200;
      int hi = random.nextInt(2) == 0 ? 800 : 1000;
      int[][] items = new int[size][d];
      for (int[] item : items) {
        for (int r = 0; r < d; r++) {
          item[r] = lo + random.nextInt(hi - lo + 1);
        }
      }
      int optimum = optimum(items);
      int issue = PackingLowerBounds.volumeAndHalves(items, C);
      int pairs = PackingLowerBounds.pairs(items, C).bound();
      String as = Arrays.deepToString(items);
      assertThat(issue).as(as).isLessThanOrEqualTo(optimum);
      assertThat(pairs).as(as).isLessThanOrEqualTo(optimum);
      stronger += pairs > issue ? 1 : 0;
      exact += pairs == optimum ? 1 : 0;
    }
    // The test means something only if the pair bound often beats the issue's and is often tight.
    assertThat(stronger).isGreaterThan(150);
    assertThat(exact).isGreaterThan(300);
  }

  @Test
  void maximumMatchingContractsOddCycles() {
    // A 5-cycle: 2. Two triangles joined by an edge: 3 (perfect), found only through blossoms
    // when the greedy start matches inside the triangles badly.
    assertThat(PackingLowerBounds.maximumMatching(graph(5, 0, 1, 1, 2, 2, 3, 3, 4, 4, 0)))
        .isEqualTo(2);
    assertThat(PackingLowerBounds.maximumMatching(
        graph(6, 0, 1, 1, 2, 2, 0, 2, 3, 3, 4, 4, 5, 5, 3))).isEqualTo(3);
  }

  @Test
  void maximumMatchingEqualsBruteForceOnSmallRandomGraphs() {
    Random random = new Random(11);
    for (int g = 0; g < 500; g++) {
      int n = 1 + random.nextInt(11);
      List<Integer> edges = new ArrayList<>();
      for (int a = 0; a < n; a++) {
        for (int b = a + 1; b < n; b++) {
          if (random.nextInt(3) == 0) {
            edges.add(a);
            edges.add(b);
          }
        }
      }
      int[] flat = edges.stream().mapToInt(Integer::intValue).toArray();
      assertThat(PackingLowerBounds.maximumMatching(graph(n, flat)))
          .as("n=%d edges=%s", n, edges).isEqualTo(bruteForceMatching(n, flat, 0, new boolean[n]));
    }
  }

  private static int[][] graph(int n, int... edges) {
    List<List<Integer>> lists = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lists.add(new ArrayList<>());
    }
    for (int e = 0; e < edges.length; e += 2) {
      lists.get(edges[e]).add(edges[e + 1]);
      lists.get(edges[e + 1]).add(edges[e]);
    }
    int[][] adjacency = new int[n][];
    for (int i = 0; i < n; i++) {
      adjacency[i] = lists.get(i).stream().mapToInt(Integer::intValue).toArray();
    }
    return adjacency;
  }

  /** The most disjoint edges from edge {@code from} on. */
  private static int bruteForceMatching(int n, int[] edges, int from, boolean[] taken) {
    int best = 0;
    for (int e = from; e < edges.length; e += 2) {
      int a = edges[e];
      int b = edges[e + 1];
      if (!taken[a] && !taken[b]) {
        taken[a] = true;
        taken[b] = true;
        best = Math.max(best, 1 + bruteForceMatching(n, edges, e + 2, taken));
        taken[a] = false;
        taken[b] = false;
      }
    }
    return best;
  }

  /** The fewest bins, by trying every bin for every item (each new bin once). */
  static int optimum(int[][] items) {
    int[][] bins = new int[items.length][items[0].length];
    return place(items, 0, bins, 0, items.length);
  }

  private static int place(int[][] items, int i, int[][] bins, int open, int best) {
    if (open >= best) {
      return best;
    }
    if (i == items.length) {
      return open;
    }
    for (int b = 0; b <= open && b < bins.length; b++) {
      boolean fits = true;
      for (int r = 0; r < items[i].length; r++) {
        fits &= bins[b][r] + items[i][r] <= C;
      }
      if (!fits) {
        continue;
      }
      for (int r = 0; r < items[i].length; r++) {
        bins[b][r] += items[i][r];
      }
      best = Math.min(best, place(items, i + 1, bins, Math.max(open, b + 1), best));
      for (int r = 0; r < items[i].length; r++) {
        bins[b][r] -= items[i][r];
      }
    }
    return best;
  }
}
