package dev.mesoskit.offers;

/**
 * The agents of a pass sorted by {@link Scores#key}, fullest first (or emptiest first), ties in
 * offer order; re-sorted as placements fill them. Agents with less of some resource than every
 * task of the pass asks for are left out: no task fits them, now or after a placement. Places a
 * task on the first agent in this order that fits it, or for bin packing on the best of the
 * fullest that do.
 */
final class AgentOrder {
  /** How many of the fullest fitting agents bin packing compares by {@link Scores#leftover}. */
  static final int NEIGHBOURS = 64;

  private final TaskTable tasks;
  private final Scores scores;
  /** How many agents the order holds. */
  final int size;
  /** Agents whose exact allocation failed for a task: {@code excludedFor[a] == t + 1}. */
  private final int[] excludedFor;
  /** 1 for fullest first, -1 for emptiest first. */
  private final int direction;
  private final double[] keys;
  /** The agents in this order. */
  final int[] order;
  private final int[] pos;
  /**
   * Whether the agent at each position is alike the next one (same key and free amounts): a run
   * of alike agents is walked without comparing their amounts again.
   */
  private final boolean[] alikeNext;

  AgentOrder(boolean fullestFirst, int na, TaskTable tasks, Scores scores) {
    this.tasks = tasks;
    this.scores = scores;
    excludedFor = new int[na];
    keys = new double[na];
    pos = new int[na];
    direction = fullestFirst ? 1 : -1;
    int[] open = new int[na];
    int n = 0;
    for (int a = 0; a < na; a++) {
      if (!scores.tooFullForAny(a)) {
        keys[a] = scores.key(a);
        open[n++] = a;
      }
    }
    size = n;
    order = n == na ? open : java.util.Arrays.copyOf(open, n);
    sort(order, n);
    for (int p = 0; p < n; p++) {
      pos[order[p]] = p;
    }
    alikeNext = new boolean[n];
    linkAlike(0, n - 1);
  }

  /**
   * A natural merge sort of primitive indexes: stable, so ties stay in offer order, and linear
   * for the runs already in order (agents alike follow each other in offer order).
   */
  private void sort(int[] order, int n) {
    // Where each run in order ends (exclusive), then runs merged pairwise until one is left.
    int[] ends = new int[n + 1];
    int runs = 0;
    for (int p = 1; p <= n; p++) {
      if (p == n || before(order[p], order[p - 1])) {
        ends[runs++] = p;
      }
    }
    int[] buffer = new int[n];
    while (runs > 1) {
      int merged = 0;
      int lo = 0;
      for (int r = 0; r < runs; r += 2) {
        if (r + 1 == runs) {
          ends[merged++] = ends[r];
          break;
        }
        int mid = ends[r];
        int hi = ends[r + 1];
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          buffer[k++] = before(order[j], order[i]) ? order[j++] : order[i++];
        }
        while (i < mid) {
          buffer[k++] = order[i++];
        }
        while (j < hi) {
          buffer[k++] = order[j++];
        }
        System.arraycopy(buffer, lo, order, lo, hi - lo);
        ends[merged++] = hi;
        lo = hi;
      }
      runs = merged;
    }
  }

  /** Recomputes {@link #alikeNext} of positions {@code from} to {@code to}, both included. */
  private void linkAlike(int from, int to) {
    for (int p = Math.max(from, 0); p <= to && p < size - 1; p++) {
      int a = order[p];
      int b = order[p + 1];
      alikeNext[p] = keys[a] == keys[b] && tasks.sameAmounts(a, b);
    }
  }

  private boolean before(int x, int y) {
    double kx = direction * keys[x];
    double ky = direction * keys[y];
    return kx < ky || (kx == ky && x < y);
  }

  /**
   * Places task {@code t} on the first agent in this order that fits it, skipping the agents
   * whose key shows they cannot: they are all at one end.
   */
  boolean firstFit(int t) {
    double need = scores.size(t);
    if (direction > 0) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (keys[order[mid]] < need) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return fullestFit(lo, t);
    }
    for (int p = 0; p < size && keys[order[p]] >= need; p++) {
      if (tryPlace(order[p], t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Among the {@link #NEIGHBOURS} fullest agents from position {@code from} that fit task
   * {@code t}, the one it leaves the least {@link Scores#leftover} on.
   */
  private boolean fullestFit(int from, int t) {
    // Agents alike often follow each other (ties keep offer order): one that is like the last
    // agent that fitted fits too and leaves as much, so it counts but cannot be better.
    boolean alike = tasks.fitDependsOnAmountsOnly(t);
    // Whether an agent was excluded for this task: until then a run of agents alike the last that
    // fitted is counted by its links alone.
    boolean excludedAny = false;
    while (true) {
      int best = -1;
      double bestLeft = Double.POSITIVE_INFINITY;
      int seen = 0;
      int last = -1;
      // Whether every agent from the last that fitted up to this one is alike the next.
      boolean chained = false;
      for (int p = from; p < size && seen < NEIGHBOURS; p++) {
        chained = chained && alikeNext[p - 1];
        if (chained && alike && !excludedAny) {
          // This agent and those alike it that follow: each counts, none is read.
          seen++;
          while (seen < NEIGHBOURS && p + 1 < size && alikeNext[p]) {
            p++;
            seen++;
          }
          continue;
        }
        int a = order[p];
        if (excludedFor[a] == t + 1) {
          continue;
        }
        if (alike && last >= 0
            && (chained || keys[a] == keys[last] && tasks.sameAmounts(a, last))) {
          seen++;
          continue;
        }
        if (!tasks.fits(a, t) || !tasks.allowed(a, t)) {
          if (alike) {
            // The agents alike this one that follow it do not fit either.
            while (p < size - 1 && alikeNext[p]) {
              p++;
            }
          }
          continue;
        }
        seen++;
        last = a;
        chained = true;
        double left = scores.leftover(a, t);
        if (left < bestLeft) {
          best = a;
          bestLeft = left;
        }
      }
      if (best < 0) {
        return false;
      }
      if (tasks.place(t, best)) {
        moved(best);
        return true;
      }
      excludedFor[best] = t + 1;
      excludedAny = true;
    }
  }

  private boolean tryPlace(int a, int t) {
    if (tasks.fits(a, t) && tasks.allowed(a, t) && tasks.place(t, a)) {
      moved(a);
      return true;
    }
    return false;
  }

  /** Agent {@code a} got fuller: moves it to its new place. */
  private void moved(int a) {
    keys[a] = scores.key(a);
    int p = pos[a];
    int q = p;
    if (direction > 0) {
      while (q > 0 && before(a, order[q - 1])) {
        q--;
      }
      if (q < p) {
        System.arraycopy(order, q, order, q + 1, p - q);
      }
    } else {
      while (q < size - 1 && before(order[q + 1], a)) {
        q++;
      }
      if (q > p) {
        System.arraycopy(order, p + 1, order, p, q - p);
      }
    }
    order[q] = a;
    for (int i = Math.min(p, q); i <= Math.max(p, q); i++) {
      pos[order[i]] = i;
    }
    linkAlike(Math.min(p, q) - 1, Math.max(p, q));
  }
}
