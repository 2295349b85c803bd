package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;

import dev.mesoskit.core.Resources;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The search of {@link PackingPass.Mode#OVERFLOW_SEARCH}, after {@link Consolidation}: closes one
 * more agent at a time by spreading its tasks over the other agents even where they overflow them,
 * then removes the overflow by moves and swaps of tasks between agents, and keeps the last
 * assignment without overflow. A local search for vector bin packing by minimum overflow, in the
 * manner of the weighting and consistent-neighborhood searches of the literature (Buljubasic and
 * Vasquez); it finds the sets of tasks that fill an agent in every resource at once, which
 * bin-centric passes and consolidation do not.
 *
 * <p>Only what consolidation may move moves here: tasks without executor, role, specific ports,
 * named resources or constraints, between the agents the pass used that hold no task of another
 * kind; a task may go to an agent's resources of an allocation role it may use. An agent's
 * capacity is what it has free with its tasks taken off, in cpus, mem, disk, gpus and a number
 * of ports, all reservations together, as {@link Resources#allocate} takes them for such
 * tasks. Overflow is summed over agents and resources, each resource in shares of the largest
 * such capacity. A move takes a task from an agent that overflows (three times in four; else any
 * task) to a random other agent, alone (one time in three) or in exchange for one of that agent's
 * tasks; it is kept when it does not raise the overflow, else with probability
 * exp(-increase / {@link #TEMPERATURE}). The random numbers come from a fixed seed and the search
 * stops after a counted number of moves, so the result depends on the tasks and offers only. It
 * also stops when the other agents, summed, lack room in some resource for all tasks, or are fewer
 * than the tasks of more than half their largest capacity in some resource: no move could close
 * the next agent then, and it does not spend its budget there.
 *
 * <p>The assignment kept is applied all at once: every moved task is released from its agent, then
 * allocated on its new one with {@link Resources#allocate}; if one allocation were refused, every
 * pool and placement goes back to what consolidation left.
 */
final class OverflowSearch {
  /**
   * What a move may raise the overflow by and still be kept with probability 1/e, in shares of
   * the largest capacity of a resource. Chosen on the vector bin packing benchmark, where 0.0005
   * to 0.005 gave within two agents of each other and 0.01 far worse.
   */
  static final double TEMPERATURE = 0.002;
  /**
   * How many moves a pass's search tries: on the vector bin packing benchmark (2,000 tasks on
   * about 500 agents), 5 million gave 1 to 3 agents more than 10 million, 20 million 1 to 2 fewer.
   */
  static final long MOVES = 10_000_000L;
  /** The seed of the search's random numbers. */
  static final long SEED = 0x5eed0f0e1L;
  /** Chances, out of four, that a move starts from an agent that overflows. */
  private static final int FROM_OVERFLOW = 3;

  private final OfferTable offers;
  private final TaskTable tasks;
  private final Scores scores;
  private final long budget;

  OverflowSearch(OfferTable offers, TaskTable tasks, Scores scores, long moves) {
    this.offers = offers;
    this.tasks = tasks;
    this.scores = scores;
    this.budget = moves;
    // Moves read and write the pools themselves: none may wait for a deferred subtraction.
    tasks.settle();
  }

  /** Whether task t may move: what {@link Consolidation} moves, and no named resources. */
  private boolean movable(int t) {
    return tasks.execKey[t] < 0 && tasks.role[t] < 0 && tasks.ownPorts[t] == null
        && tasks.checks[t].length == 0 && tasks.groupsOf[t].isEmpty()
        && tasks.pending.get(t).spec().resources().named().isEmpty();
  }

  /** Searches and applies what it found; nothing when a task is pending. */
  void run() {
    int nt = tasks.nt;
    int na = offers.na;
    if (tasks.placedCount < nt || budget <= 0) {
      return;
    }
    // Agents used, and whether each holds only movable tasks.
    boolean[] pinned = new boolean[na];
    int[] count = new int[na];
    for (int t = 0; t < nt; t++) {
      int a = tasks.placedOn[t];
      count[a]++;
      pinned[a] |= !movable(t);
    }
    int[] binOf = new int[na];
    Arrays.fill(binOf, -1);
    int nb = 0;
    for (int a = 0; a < na; a++) {
      if (count[a] > 0 && !pinned[a]) {
        binOf[a] = nb++;
      }
    }
    if (nb < 2) {
      return;
    }
    int[] agent = new int[nb];
    for (int a = 0; a < na; a++) {
      if (binOf[a] >= 0) {
        agent[binOf[a]] = a;
      }
    }
    int ni = 0;
    int[] task = new int[nt];
    for (int t = 0; t < nt; t++) {
      if (binOf[tasks.placedOn[t]] >= 0) {
        task[ni++] = t;
      }
    }
    long[] size = new long[ni * D];
    int[] start = new int[ni];
    long[] cap = new long[nb * D];
    for (int b = 0; b < nb; b++) {
      System.arraycopy(offers.avail, agent[b] * D, cap, b * D, D);
    }
    for (int i = 0; i < ni; i++) {
      int t = task[i];
      start[i] = binOf[tasks.placedOn[t]];
      for (int d = 0; d < D; d++) {
        size[i * D + d] = tasks.own[t * D + d];
        cap[start[i] * D + d] += size[i * D + d];
      }
    }
    double[] inv = new double[D];
    for (int d = 0; d < D; d++) {
      long most = 0;
      for (int b = 0; b < nb; b++) {
        most = Math.max(most, cap[b * D + d]);
      }
      inv[d] = most == 0 ? 0 : 1.0 / most;
    }
    // Whether item i may go to bin b: the task's row of TaskTable.roleOk at the bin's allocation
    // role, read in place; no array per (task, agent) pair.
    int[] row = new int[ni];
    for (int i = 0; i < ni; i++) {
      row[i] = task[i] * tasks.nar;
    }
    int[] column = new int[nb];
    for (int b = 0; b < nb; b++) {
      column[b] = offers.binRole[agent[b]];
    }
    double[] weight = new double[ni];
    for (int i = 0; i < ni; i++) {
      weight[i] = scores.size(task[i]);
    }
    int[] found = new Search(ni, nb, size, cap, inv, tasks.roleOk, row, column, start, weight,
        new SplittableRandom(SEED), budget).run();
    if (found != null) {
      apply(task, agent, start, found, ni);
    }
  }

  /** Moves every task whose bin changed, all or nothing. */
  private void apply(int[] task, int[] agent, int[] from, int[] to, int ni) {
    Resources[] free = offers.free;
    Resources[] savedFree = free.clone();
    int[] savedOn = tasks.placedOn.clone();
    Resources[] savedTaken = tasks.taskTaken.clone();
    for (int i = 0; i < ni; i++) {
      if (from[i] != to[i]) {
        int a = agent[from[i]];
        free[a] = free[a].plus(tasks.taskTaken[task[i]]);
      }
    }
    for (int i = 0; i < ni; i++) {
      if (from[i] == to[i]) {
        continue;
      }
      int t = task[i];
      int c = agent[to[i]];
      Optional<Resources> taken = free[c].allocate(tasks.pending.get(t).spec().resources());
      if (taken.isEmpty()) {
        System.arraycopy(savedFree, 0, free, 0, free.length);
        System.arraycopy(savedOn, 0, tasks.placedOn, 0, savedOn.length);
        System.arraycopy(savedTaken, 0, tasks.taskTaken, 0, savedTaken.length);
        reload(agent, from, to, ni);
        return;
      }
      free[c] = free[c].minus(taken.get());
      tasks.placedOn[t] = c;
      tasks.taskTaken[t] = taken.get();
    }
    reload(agent, from, to, ni);
  }

  private void reload(int[] agent, int[] from, int[] to, int ni) {
    for (int i = 0; i < ni; i++) {
      if (from[i] != to[i]) {
        offers.load(agent[from[i]]);
        offers.load(agent[to[i]]);
      }
    }
  }

  /** The search on arrays: items in bins of given capacities. */
  static final class Search {
    private final int ni;
    private final int nb;
    private final long[] size;
    private final long[] cap;
    private final double[] inv;
    private final boolean[] allowed;
    private final int[] row;
    private final int[] column;
    private final SplittableRandom random;
    private final long budget;
    private final double[] itemWeight;

    private final int[] binOf;
    private final long[] load;
    /** The items of each bin, in no order: {@code members[b][0 .. counts[b]}. */
    private final int[][] members;
    private final int[] counts;
    private final int[] slot;
    /** The open bins, in no order, and where each is among them (-1: closed). */
    private final int[] open;
    private final int[] openAt;
    private int openCount;
    /** The open bins that overflow, and where each is among them (-1: none). */
    private final int[] over;
    private final int[] overAt;
    private int overCount;
    private long moves;

    /**
     * Items {@code 0 .. ni} of sizes {@code size[i * D + d]} in bins {@code start[i]} of
     * capacities {@code cap[b * D + d]}, which they fit; item i may go to bin b if
     * {@code allowed[row[i] + column[b]]}; bins are closed least loaded first by
     * {@code weight}, the overflow of resource d counts {@code inv[d]} per unit.
     */
    Search(int ni, int nb, long[] size, long[] cap, double[] inv, boolean[] allowed, int[] row,
        int[] column, int[] start, double[] weight, SplittableRandom random, long budget) {
      this.ni = ni;
      this.nb = nb;
      this.size = size;
      this.cap = cap;
      this.inv = inv;
      this.allowed = allowed;
      this.row = row;
      this.column = column;
      this.random = random;
      this.budget = budget;
      itemWeight = weight;
      binOf = start.clone();
      load = new long[nb * D];
      members = new int[nb][4];
      counts = new int[nb];
      slot = new int[ni];
      open = new int[nb];
      openAt = new int[nb];
      over = new int[nb];
      overAt = new int[nb];
      Arrays.fill(overAt, -1);
      for (int b = 0; b < nb; b++) {
        open[b] = b;
        openAt[b] = b;
      }
      openCount = nb;
      for (int i = 0; i < ni; i++) {
        add(i, binOf[i]);
      }
    }

    /** The last assignment found without overflow on fewer bins, or null. */
    int[] run() {
      int[] best = null;
      while (moves < budget && openCount > 1) {
        int b = leastLoaded();
        if (!roomWithout(b) || !close(b)) {
          break;
        }
        while (overCount > 0 && moves < budget) {
          step();
        }
        if (overCount == 0) {
          best = binOf.clone();
        }
      }
      return best;
    }

    private int leastLoaded() {
      int best = -1;
      double least = Double.POSITIVE_INFINITY;
      for (int k = 0; k < openCount; k++) {
        int b = open[k];
        double l = 0;
        for (int j = 0; j < counts[b]; j++) {
          l += itemWeight[members[b][j]];
        }
        if (l < least || (l == least && b < best)) {
          least = l;
          best = b;
        }
      }
      return best;
    }

    /**
     * Whether the open bins other than b may hold every item, resource by resource: they have
     * room for all items summed, and there are as many of them as items of more than half the
     * largest of their capacities (no two such items share a bin). When not, no assignment
     * without overflow exists, and moves would spend the budget for nothing.
     */
    private boolean roomWithout(int b) {
      for (int d = 0; d < D; d++) {
        long room = 0;
        long need = 0;
        long most = 0;
        for (int k = 0; k < openCount; k++) {
          int c = open[k];
          need += load[c * D + d];
          if (c != b) {
            room += cap[c * D + d];
            most = Math.max(most, cap[c * D + d]);
          }
        }
        if (need > room) {
          return false;
        }
        int large = 0;
        for (int i = 0; i < ni; i++) {
          large += 2 * size[i * D + d] > most ? 1 : 0;
        }
        if (large > openCount - 1) {
          return false;
        }
      }
      return true;
    }

    /** The moves tried so far. */
    long moves() {
      return moves;
    }

    /** Closes bin b: its items, largest first, go where they add the least overflow. */
    private boolean close(int b) {
      int[] items = Arrays.copyOf(members[b], counts[b]);
      Integer[] order = new Integer[items.length];
      for (int k = 0; k < items.length; k++) {
        order[k] = items[k];
      }
      Arrays.sort(order, (x, y) -> itemWeight[x] != itemWeight[y]
          ? Double.compare(itemWeight[y], itemWeight[x]) : Integer.compare(x, y));
      int at = openAt[b];
      int last = open[--openCount];
      open[at] = last;
      openAt[last] = at;
      openAt[b] = -1;
      for (int i : order) {
        int to = -1;
        double least = Double.POSITIVE_INFINITY;
        for (int k = 0; k < openCount; k++) {
          int c = open[k];
          if (!allowed(i, c)) {
            continue;
          }
          double delta = 0;
          for (int d = 0; d < D; d++) {
            long l = load[c * D + d];
            long s = size[i * D + d];
            delta += (excess(c, d, l + s) - excess(c, d, l)) * inv[d];
          }
          if (delta < least || (delta == least && c < to)) {
            least = delta;
            to = c;
          }
        }
        if (to < 0) {
          return false; // an item may go nowhere else: keep the last assignment found
        }
        remove(i);
        add(i, to);
      }
      return true;
    }

    private boolean allowed(int i, int b) {
      return allowed[row[i] + column[b]];
    }

    private long excess(int b, int d, long l) {
      long c = cap[b * D + d];
      return l > c ? l - c : 0;
    }

    /** One move or swap, kept or not. */
    private void step() {
      moves++;
      int i;
      if (random.nextInt(4) < FROM_OVERFLOW) {
        int b = over[random.nextInt(overCount)];
        i = members[b][random.nextInt(counts[b])];
      } else {
        i = random.nextInt(ni);
      }
      int from = binOf[i];
      int to = open[random.nextInt(openCount)];
      if (to == from || !allowed(i, to)) {
        return;
      }
      boolean alone = random.nextInt(3) == 0 || counts[to] == 0;
      int j = alone ? -1 : members[to][random.nextInt(counts[to])];
      if (j >= 0 && !allowed(j, from)) {
        return;
      }
      double delta = 0;
      for (int d = 0; d < D; d++) {
        long s = size[i * D + d] - (j >= 0 ? size[j * D + d] : 0);
        long lf = load[from * D + d];
        long lt = load[to * D + d];
        delta += (excess(from, d, lf - s) - excess(from, d, lf)
            + excess(to, d, lt + s) - excess(to, d, lt)) * inv[d];
      }
      if (delta <= 0 || random.nextDouble() < StrictMath.exp(-delta / TEMPERATURE)) {
        remove(i);
        if (j >= 0) {
          remove(j);
          add(j, from);
        }
        add(i, to);
      }
    }

    private void add(int i, int b) {
      if (counts[b] == members[b].length) {
        members[b] = Arrays.copyOf(members[b], 2 * counts[b]);
      }
      slot[i] = counts[b];
      members[b][counts[b]++] = i;
      binOf[i] = b;
      for (int d = 0; d < D; d++) {
        load[b * D + d] += size[i * D + d];
      }
      track(b);
    }

    private void remove(int i) {
      int b = binOf[i];
      int last = members[b][--counts[b]];
      members[b][slot[i]] = last;
      slot[last] = slot[i];
      for (int d = 0; d < D; d++) {
        load[b * D + d] -= size[i * D + d];
      }
      track(b);
    }

    /** Keeps bin b in the list of overflowing bins exactly when it overflows. */
    private void track(int b) {
      boolean overflows = false;
      for (int d = 0; d < D; d++) {
        overflows |= load[b * D + d] > cap[b * D + d];
      }
      if (overflows && overAt[b] < 0) {
        overAt[b] = overCount;
        over[overCount++] = b;
      } else if (!overflows && overAt[b] >= 0) {
        int last = over[--overCount];
        over[overAt[b]] = last;
        overAt[last] = overAt[b];
        overAt[b] = -1;
      }
    }
  }
}
