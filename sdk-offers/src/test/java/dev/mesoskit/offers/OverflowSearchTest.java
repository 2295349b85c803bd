package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;
import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static dev.mesoskit.offers.TestInputs.onExecutor;
import static dev.mesoskit.offers.TestInputs.placement;
import static dev.mesoskit.offers.TestInputs.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PackingStrategies#overflowSearch()} and its search on arrays. */
class OverflowSearchTest {

  /**
   * Cpus/mem 1/3, 2/5, 1/3, 5/3, 6/2, 4/3 for agents of 10 cpus and 10 MB: 19 of each in all, and
   * two agents hold them, {2/5, 6/2, 1/3} and {5/3, 4/3, 1/3}, full but for one cpu or one MB.
   */
  private static List<PendingTask> sixTasks() {
    return List.of(
        command("t0", "cpus:1;mem:3"), command("t1", "cpus:2;mem:5"),
        command("t2", "cpus:1;mem:3"), command("t3", "cpus:5;mem:3"),
        command("t4", "cpus:6;mem:2"), command("t5", "cpus:4;mem:3"));
  }

  private static List<Offer> agents(int n) {
    List<Offer> offers = new ArrayList<>();
    for (int a = 1; a <= n; a++) {
      offers.add(offer("o" + a, "a" + a, "cpus:10;mem:10"));
    }
    return offers;
  }

  @Test
  void closesAnAgentThatConsolidateCannot() {
    List<Offer> offers = agents(6);
    // consolidate: a1 {5/3, 2/5}, a2 {6/2, 4/3}, a3 {1/3, 1/3}; neither 1/3 fits on a1 or a2
    // (a2 has 0 cpus left, a1 2 MB) nor displaces a task that fits elsewhere.
    assertThat(PackingStrategies.consolidate().pack(sixTasks(), offers).placements())
        .extracting(p -> p.taskId().value() + "@" + p.agentId())
        .containsExactly("t3@a1", "t1@a1", "t4@a2", "t5@a2", "t0@a3", "t2@a3");

    Packing packing = PackingStrategies.overflowSearch().pack(sixTasks(), offers);

    // Listed in the order the pass decided them; two agents, each with one unit left.
    assertThat(packing.placements()).containsExactly(
        placement("t3", "a2", "cpus:5;mem:3"), placement("t1", "a1", "cpus:2;mem:5"),
        placement("t4", "a1", "cpus:6;mem:2"), placement("t5", "a2", "cpus:4;mem:3"),
        placement("t0", "a1", "cpus:1;mem:3"), placement("t2", "a2", "cpus:1;mem:3"));
    assertThat(packing.unplaced()).isEmpty();
  }

  @Test
  void movesNothingWhenATaskStaysPending() {
    List<PendingTask> tasks = new ArrayList<>(sixTasks());
    tasks.add(command("t11", "cpus:11;mem:1"));

    Packing packing = PackingStrategies.overflowSearch().pack(tasks, agents(3));

    assertThat(packing.placements()).isEqualTo(
        PackingStrategies.consolidate().pack(sixTasks(), agents(3)).placements());
    assertThat(packing.unplaced())
        .containsExactly(reason("t11", "needs cpus 11, the largest offer has 8"));
  }

  @Test
  void neverMovesATaskOnAnExecutorNorOntoItsAgent() {
    List<PendingTask> tasks = new ArrayList<>(sixTasks());
    tasks.set(3, onExecutor("t3", "cpus:5;mem:3"));
    tasks.set(1, onExecutor("t1", "cpus:2;mem:5"));

    Packing packing = PackingStrategies.overflowSearch().pack(tasks, agents(6));

    // The agent of the executor's tasks is left out; a2 and a3 alone cannot hold 12 cpus.
    assertThat(packing.placements()).isEqualTo(
        PackingStrategies.consolidate().pack(tasks, agents(6)).placements());
  }

  @Test
  void placesEveryTaskOnceWithinEveryAgentSameEachTimeAndOnFewerAgents() {
    Random random = new Random(23);
    List<PendingTask> tasks = new ArrayList<>();
    Map<String, int[]> need = new HashMap<>();
    for (int i = 0; i < 300; i++) {
      int[] x = {100 + random.nextInt(301), 100 + random.nextInt(301), 100 + random.nextInt(301)};
      need.put("t" + i, x);
      tasks.add(command("t" + i,
          "cpus:" + x[0] / 100.0 + ";mem:" + x[1] + ";disk:" + x[2]));
    }
    List<Offer> offers = new ArrayList<>();
    for (int a = 0; a < 300; a++) {
      offers.add(offer("o" + a, "a" + a, "cpus:10;mem:1000;disk:1000"));
    }

    Packing packing = PackingStrategies.overflowSearch().pack(tasks, offers);

    assertThat(packing.unplaced()).isEmpty();
    Set<String> placed = new HashSet<>();
    Map<String, int[]> load = new HashMap<>();
    for (Placement p : packing.placements()) {
      assertThat(placed.add(p.taskId().value())).as(p.taskId().value()).isTrue();
      int[] x = need.get(p.taskId().value());
      int[] l = load.computeIfAbsent(p.agentId(), k -> new int[3]);
      for (int d = 0; d < 3; d++) {
        l[d] += x[d];
      }
    }
    assertThat(placed).hasSize(300);
    for (Map.Entry<String, int[]> e : load.entrySet()) {
      assertThat(Arrays.stream(e.getValue()).max().getAsInt()).as(e.getKey())
          .isLessThanOrEqualTo(1000);
    }
    assertThat(PackingStrategies.overflowSearch().pack(tasks, offers)).isEqualTo(packing);
    assertThat(agentsUsed(PackingStrategies.consolidate().pack(tasks, offers))).isEqualTo(81);
    assertThat(agentsUsed(packing)).isEqualTo(77);
  }

  private static long agentsUsed(Packing packing) {
    return packing.placements().stream().map(Placement::agentId).distinct().count();
  }

  @Test
  void putsEverythingBackAsConsolidationLeftItWhenAnAllocationIsRefused() {
    List<PendingTask> tasks = sixTasks();
    OfferTable offers = new OfferTable(agents(6), tasks);
    TaskTable table = new TaskTable(tasks, offers, List.of(), new PlacementMemory());
    Scores scores = new Scores(offers, table);
    new BinCentricPacking(PackingPass.Mode.OVERFLOW_SEARCH, offers, table, scores).run();
    new Consolidation(offers, table, scores).run();
    // As in closesAnAgentThatConsolidateCannot: a1 {t3, t1}, a2 {t4, t5}, a3 {t0, t2}; the
    // search moves t3 and t2 to a2, t4 and t0 to a1. a2's pool loses its 5 free MB behind the
    // arrays' back: t0 is allocated on a1, then t2 is refused on a2 (2 MB once t4 left).
    assertThat(table.placedOn).containsExactly(2, 0, 2, 0, 1, 1);
    offers.free[1] = offers.free[1].minus(Resources.parse("mem:5"));
    Resources[] free = offers.free.clone();
    long[] avail = offers.avail.clone();
    Resources[] taken = table.taskTaken.clone();

    new OverflowSearch(offers, table, scores, OverflowSearch.MOVES).run();

    assertThat(table.placedOn).containsExactly(2, 0, 2, 0, 1, 1);
    assertThat(table.taskTaken).containsExactly(taken);
    assertThat(offers.free).containsExactly(free);
    // a2's row read again from its pool (0 MB), the others as they were.
    avail[1 * D + 1] = 0;
    assertThat(offers.avail).containsExactly(avail);
    assertThat(table.placedCount).isEqualTo(6);
  }

  @Test
  void movedTasksTakeFreePortsGpusAndDiskOfPooledOffersOnlyOnce() {
    Random random = new Random(7);
    List<PendingTask> tasks = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      tasks.add(command("t" + i, "cpus:" + (1 + random.nextInt(4)) + ";mem:"
          + (100 * (1 + random.nextInt(4))) + ";disk:" + (10 * random.nextInt(3))
          + ";gpus:" + (random.nextInt(6) == 0 ? 1 : 0) + ";ports:" + random.nextInt(3)));
    }
    // Each agent offers in two offers: its ports and gpus in the second.
    List<Offer> offers = new ArrayList<>();
    Map<String, Resources> pool = new HashMap<>();
    for (int a = 0; a < 30; a++) {
      String first = "cpus:10;mem:1000;disk:40";
      String second = (a % 3 == 0 ? "" : "gpus:" + a % 3 + ";")
          + "ports:[" + (31000 + a) + "-" + (31003 + a) + "]";
      offers.add(offer("o" + a, "a" + a, first));
      offers.add(offer("p" + a, "a" + a, second));
      pool.put("a" + a, Resources.parse(first).plus(Resources.parse(second)));
    }

    Packing packing = PackingStrategies.overflowSearch().pack(tasks, offers);

    assertThat(packing.unplaced()).isEmpty();
    assertThat(packing.placements()).extracting(p -> p.taskId().value())
        .doesNotHaveDuplicates().hasSize(60);
    for (Placement p : packing.placements()) {
      // minus throws when the agent's pooled offers lack what the task took.
      pool.put(p.agentId(), pool.get(p.agentId()).minus(p.resources()));
    }
    assertThat(agentsUsed(packing))
        .isLessThanOrEqualTo(agentsUsed(PackingStrategies.consolidate().pack(tasks, offers)));
    assertThat(PackingStrategies.overflowSearch().pack(tasks, offers)).isEqualTo(packing);
  }

  // ---- the search on arrays

  /** Items of one resource, the others zero. */
  private static long[] sizes(long... first) {
    long[] size = new long[first.length * D];
    for (int i = 0; i < first.length; i++) {
      size[i * D] = first[i];
    }
    return size;
  }

  private static OverflowSearch.Search search(long[] first, int bins, int[] start,
      boolean[] allowed, long budget) {
    long[] cap = new long[bins * D];
    for (int b = 0; b < bins; b++) {
      cap[b * D] = 10;
    }
    double[] inv = new double[D];
    inv[0] = 0.1;
    double[] weight = new double[first.length];
    for (int i = 0; i < first.length; i++) {
      weight[i] = first[i] / 10.0;
    }
    int[] row = new int[first.length];
    for (int i = 0; i < first.length; i++) {
      row[i] = i * bins;
    }
    int[] column = new int[bins];
    for (int b = 0; b < bins; b++) {
      column[b] = b;
    }
    return new OverflowSearch.Search(first.length, bins, sizes(first), cap, inv, allowed, row,
        column, start, weight, new SplittableRandom(OverflowSearch.SEED), budget);
  }

  private static boolean[] all(int items, int bins) {
    boolean[] allowed = new boolean[items * bins];
    Arrays.fill(allowed, true);
    return allowed;
  }

  @Test
  void searchFindsTwoFullBinsAndTheSameEachTime() {
    long[] first = {5, 4, 3, 3, 3, 2};
    int[] start = {0, 0, 1, 1, 1, 2};

    int[] found = search(first, 3, start, all(6, 3), 1_000_000).run();
    int[] again = search(first, 3, start, all(6, 3), 1_000_000).run();

    assertThat(found).isEqualTo(again);
    long[] load = new long[3];
    for (int i = 0; i < 6; i++) {
      load[found[i]] += first[i];
    }
    Arrays.sort(load);
    assertThat(load).containsExactly(0, 10, 10);
  }

  @Test
  void searchKeepsItemsOffBinsTheyMayNotUse() {
    long[] first = {5, 4, 3, 3, 3, 2};
    boolean[] allowed = all(6, 3);
    allowed[0 * 3 + 1] = false; // item 0 (size 5) only on bins 0 and 2
    allowed[1 * 3 + 0] = false; // item 1 (size 4) only on bins 1 and 2
    allowed[1 * 3 + 2] = false;

    int[] found = search(first, 3, new int[] {0, 1, 1, 1, 0, 2}, allowed, 1_000_000).run();

    assertThat(found[0]).isNotEqualTo(1);
    assertThat(found[1]).isEqualTo(1);
    assertThat(Arrays.stream(found).distinct().count()).isEqualTo(2);
  }

  @Test
  void searchFindsNothingWithoutBudgetOrWithoutRoom() {
    assertThat(search(new long[] {5, 4, 3, 3, 3, 2}, 3, new int[] {0, 0, 1, 1, 1, 2},
        all(6, 3), 0).run()).isNull();
    // 21 units in bins of 10: no two bins hold them, and the search stops at once although its
    // budget would never run out.
    assertThat(search(new long[] {5, 5, 5, 6}, 3, new int[] {0, 0, 1, 2}, all(4, 3),
        Long.MAX_VALUE).run()).isNull();
  }

  @Test
  void searchTriesNoMoveWhenMoreItemsThanOtherBinsEachTakeOverHalfABin() {
    // 18 units fit in two bins of 10 summed, but no two items of 6 share a bin: closing one of
    // the three would leave an overflow no move removes, and spend the whole budget.
    OverflowSearch.Search search = search(new long[] {6, 6, 6}, 3, new int[] {0, 1, 2},
        all(3, 3), 1_000_000);

    assertThat(search.run()).isNull();
    assertThat(search.moves()).isZero();
    // Two of 5 still share a bin: {5, 5} and {6} close the third bin.
    OverflowSearch.Search halves = search(new long[] {5, 5, 6}, 3, new int[] {0, 1, 2},
        all(3, 3), 1_000_000);
    int[] found = halves.run();
    assertThat(found[0]).isEqualTo(found[1]).isNotEqualTo(found[2]);
  }
}
