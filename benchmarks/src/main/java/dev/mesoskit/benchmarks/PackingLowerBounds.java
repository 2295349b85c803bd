package dev.mesoskit.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Lower bounds on the number of bins of a vector bin packing instance: items are vectors of d
 * non-negative integers, every bin holds a set of items whose sum is at most the capacity C in
 * every dimension.
 *
 * <p>{@link #volumeAndHalves}: the bound, max(max_r ceil(sum_i x_ir / C), max_r #{i :
 * x_ir > C/2}). Valid: a bin holds at most C of dimension r, and at most one item above C/2 in it.
 *
 * <p>{@link #pairs}: the pair bound. Let S be a set of items no three of which fit in one bin,
 * and G_S the graph on S with an edge between two items that fit together. In any packing, every
 * bin holds at most two items of S, and the bins holding two hold pairs that fit, disjoint pairs,
 * so a matching of G_S. Hence the bins holding an item of S number |S| - (bins holding two) >=
 * |S| - nu(G_S), nu the size of a maximum matching, and OPT >= |S| - nu(G_S). S is built from
 * items whose size, weighted by any w >= 0, exceeds a third of w . C (three of them would exceed
 * w . C, so they never fit together: taking w = (1, ..., 1) or a unit vector), then extended item
 * by item while no three items of S fit together (checked on every pair of G_S that fits with the
 * new item). Adding an item raises |S| by one and nu by at most one, so extending never lowers the
 * bound. On instances whose items are mostly large (classes [1,1000] and [200,800]) it is far above
 * the bound, because the bound counts items above C/2 one dimension at a time.
 */
public final class PackingLowerBounds {
  private PackingLowerBounds() {}

  /**
   * The pair bound and how it was obtained.
   *
   * @param bound |S| - nu(G_S), at least 0
   * @param items |S|, the items no three of which fit together
   * @param matching nu(G_S), the most disjoint pairs of S that fit
   */
  public record Pairs(int bound, int items, int matching) {}

  /**
   * The bound: max(max_r ceil(sum_i x_ir / C), max_r #{i : x_ir > C/2}).
   *
   * @param items the items, each of d dimensions
   * @param capacity C, the same in every dimension
   * @return the bound
   */
  public static int volumeAndHalves(int[][] items, int capacity) {
    int d = items.length == 0 ? 0 : items[0].length;
    int bound = 0;
    for (int r = 0; r < d; r++) {
      long sum = 0;
      int large = 0;
      for (int[] item : items) {
        sum += item[r];
        if (2L * item[r] > capacity) {
          large++;
        }
      }
      bound = Math.max(bound, (int) ((sum + capacity - 1) / capacity));
      bound = Math.max(bound, large);
    }
    return bound;
  }

  /**
   * The pair bound |S| - nu(G_S) (see the class comment). O(n^2 d) to build G_S, O(n x E) to
   * extend S, and O(n^3) at worst for the matching.
   *
   * @param items the items, each of d dimensions
   * @param capacity C, the same in every dimension
   * @return the bound with |S| and nu(G_S)
   */
  public static Pairs pairs(int[][] items, int capacity) {
    int n = items.length;
    if (n == 0) {
      return new Pairs(0, 0, 0);
    }
    int d = items[0].length;
    // The largest of the sets given by a weight vector: all ones, or one dimension.
    boolean[] best = null;
    int bestSize = -1;
    for (int w = -1; w < d; w++) {
      boolean[] in = new boolean[n];
      int size = 0;
      for (int i = 0; i < n; i++) {
        long weighted = 0;
        for (int r = 0; r < d; r++) {
          weighted += w < 0 || w == r ? items[i][r] : 0;
        }
        long total = (long) capacity * (w < 0 ? d : 1);
        in[i] = 3 * weighted > total;
        size += in[i] ? 1 : 0;
      }
      if (size > bestSize) {
        best = in;
        bestSize = size;
      }
    }
    // The others, largest first, while no three fit together.
    List<Integer> members = new ArrayList<>();
    List<Integer> others = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      (best[i] ? members : others).add(i);
    }
    long[] total = new long[n];
    for (int i = 0; i < n; i++) {
      for (int r = 0; r < d; r++) {
        total[i] += items[i][r];
      }
    }
    others.sort((x, y) -> total[x] != total[y] ? Long.compare(total[y], total[x])
        : Integer.compare(x, y));
    int[] degree = new int[n];
    List<int[]> lists = new ArrayList<>();
    for (int k = 0; k < members.size(); k++) {
      lists.add(new int[4]);
    }
    for (int a = 0; a < members.size(); a++) {
      for (int b = a + 1; b < members.size(); b++) {
        if (fit(items[members.get(a)], items[members.get(b)], capacity)) {
          addEdge(lists, degree, a, b);
        }
      }
    }
    for (int x : others) {
      if (extends3(items, capacity, x, members, lists, degree)) {
        int k = members.size();
        members.add(x);
        lists.add(new int[4]);
        for (int a = 0; a < k; a++) {
          if (fit(items[members.get(a)], items[x], capacity)) {
            addEdge(lists, degree, a, k);
          }
        }
      }
    }
    int m = members.size();
    int[][] adjacency = new int[m][];
    for (int a = 0; a < m; a++) {
      adjacency[a] = Arrays.copyOf(lists.get(a), degree[a]);
    }
    int nu = maximumMatching(adjacency);
    return new Pairs(m - nu, m, nu);
  }

  /** Whether no two items of S that fit together fit with item {@code x} as well. */
  private static boolean extends3(int[][] items, int capacity, int x, List<Integer> members,
      List<int[]> lists, int[] degree) {
    int[] ix = items[x];
    int m = members.size();
    boolean[] withX = new boolean[m];
    for (int a = 0; a < m; a++) {
      withX[a] = fit(items[members.get(a)], ix, capacity);
    }
    for (int a = 0; a < m; a++) {
      if (!withX[a]) {
        continue;
      }
      int[] list = lists.get(a);
      for (int e = 0; e < degree[a]; e++) {
        int b = list[e];
        if (b > a && withX[b] && fit3(items[members.get(a)], items[members.get(b)], ix,
            capacity)) {
          return false;
        }
      }
    }
    return true;
  }

  private static void addEdge(List<int[]> lists, int[] degree, int a, int b) {
    for (int[] e : new int[][] {{a, b}, {b, a}}) {
      int[] list = lists.get(e[0]);
      if (degree[e[0]] == list.length) {
        list = Arrays.copyOf(list, list.length * 2);
        lists.set(e[0], list);
      }
      list[degree[e[0]]++] = e[1];
    }
  }

  static boolean fit(int[] a, int[] b, int capacity) {
    for (int r = 0; r < a.length; r++) {
      if (a[r] + b[r] > capacity) {
        return false;
      }
    }
    return true;
  }

  static boolean fit3(int[] a, int[] b, int[] c, int capacity) {
    for (int r = 0; r < a.length; r++) {
      if (a[r] + b[r] + c[r] > capacity) {
        return false;
      }
    }
    return true;
  }

  /**
   * The size of a maximum matching of a general graph, by Edmonds' blossom algorithm (one
   * breadth-first search for an augmenting path per free vertex, odd cycles contracted to their
   * base), after a greedy matching. O(V^3) at worst.
   *
   * @param adjacency the neighbours of each vertex; edges listed both ways
   * @return the number of edges of a maximum matching
   */
  public static int maximumMatching(int[][] adjacency) {
    return new Blossom(adjacency).run();
  }

  private static final class Blossom {
    final int[][] adj;
    final int n;
    final int[] match;
    final int[] parent;
    final int[] base;
    final boolean[] used;
    final boolean[] inBlossom;
    final boolean[] onPath;
    final int[] queue;
    int head;
    int tail;

    Blossom(int[][] adjacency) {
      adj = adjacency;
      n = adjacency.length;
      match = new int[n];
      parent = new int[n];
      base = new int[n];
      used = new boolean[n];
      inBlossom = new boolean[n];
      onPath = new boolean[n];
      queue = new int[n];
      Arrays.fill(match, -1);
    }

    int run() {
      for (int v = 0; v < n; v++) {
        if (match[v] < 0) {
          for (int u : adj[v]) {
            if (match[u] < 0 && u != v) {
              match[u] = v;
              match[v] = u;
              break;
            }
          }
        }
      }
      for (int v = 0; v < n; v++) {
        if (match[v] < 0) {
          int u = augmentingPath(v);
          while (u >= 0) {
            int pv = parent[u];
            int ppv = match[pv];
            match[u] = pv;
            match[pv] = u;
            u = ppv;
          }
        }
      }
      int matched = 0;
      for (int v = 0; v < n; v++) {
        matched += match[v] >= 0 ? 1 : 0;
      }
      return matched / 2;
    }

    /** The free vertex an augmenting path from {@code root} ends at, or -1. */
    int augmentingPath(int root) {
      Arrays.fill(used, false);
      Arrays.fill(parent, -1);
      for (int i = 0; i < n; i++) {
        base[i] = i;
      }
      used[root] = true;
      head = 0;
      tail = 0;
      queue[tail++] = root;
      while (head < tail) {
        int v = queue[head++];
        for (int to : adj[v]) {
          if (base[v] == base[to] || match[v] == to) {
            continue;
          }
          if (to == root || (match[to] >= 0 && parent[match[to]] >= 0)) {
            int b = commonAncestor(v, to);
            Arrays.fill(inBlossom, false);
            markPath(v, b, to);
            markPath(to, b, v);
            for (int i = 0; i < n; i++) {
              if (inBlossom[base[i]]) {
                base[i] = b;
                if (!used[i]) {
                  used[i] = true;
                  queue[tail++] = i;
                }
              }
            }
          } else if (parent[to] < 0) {
            parent[to] = v;
            if (match[to] < 0) {
              return to;
            }
            used[match[to]] = true;
            queue[tail++] = match[to];
          }
        }
      }
      return -1;
    }

    int commonAncestor(int a, int b) {
      Arrays.fill(onPath, false);
      while (true) {
        a = base[a];
        onPath[a] = true;
        if (match[a] < 0) {
          break;
        }
        a = parent[match[a]];
      }
      while (true) {
        b = base[b];
        if (onPath[b]) {
          return b;
        }
        b = parent[match[b]];
      }
    }

    void markPath(int v, int b, int child) {
      while (base[v] != b) {
        inBlossom[base[v]] = true;
        inBlossom[base[match[v]]] = true;
        parent[v] = child;
        child = match[v];
        v = parent[match[v]];
      }
    }
  }
}
