package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;

import dev.mesoskit.core.Resources;
import java.util.Arrays;
import java.util.Optional;

/**
 * The consolidation of {@link PackingPass.Mode#CONSOLIDATE}: after a bin-centric pass that placed
 * every task, tries to empty the agents the pass used least (by the summed {@link Scores#size} of
 * their tasks; in each of at most {@link #ROUNDS} rounds, the least used
 * {@link #SHARE_TO_EMPTY}th, until a round empties none; then once all of them, with fewer
 * exchanges): moves each of their tasks, largest first, to the used agent it leaves the least
 * {@link Scores#leftover} on or, when none has room, into a used agent from which one of its
 * tasks moves on to a third. Only tasks without executor, role, specific ports or
 * constraints move, and only onto agents the pass already uses; an agent is emptied entirely or
 * not at all (moves are undone, exactly, by restoring the immutable pools). Moves allocate
 * {@code Resources} on the real pools, so that what the framework replays stays exact.
 */
final class Consolidation {
  /** How many rounds over the agents {@link Consolidation} makes at most. */
  static final int ROUNDS = 5;
  /**
   * How many (agent, task) exchanges {@link Consolidation} tries for one task that fits on no
   * other agent: bounds the search for a displacement to O(DISPLACEMENTS x U) fit checks.
   */
  static final int DISPLACEMENTS = 256;
  /**
   * Which agents a round of {@link Consolidation} tries to empty: the least used eighth of the U
   * agents the pass used, at least {@link #MIN_TO_EMPTY}. On the vector bin packing benchmark,
   * trying all of them with as many exchanges cost 3 to 10 times as much for at most 0.5% fewer
   * agents.
   */
  static final int SHARE_TO_EMPTY = 8;
  /** The fewest agents a round of {@link Consolidation} tries to empty. */
  static final int MIN_TO_EMPTY = 16;
  /**
   * Exchanges per task in the last round of {@link Consolidation}, over every agent the pass
   * used: where tasks are large, agents the pass filled well can still be emptied into others.
   */
  static final int WIDE_DISPLACEMENTS = 16;

  private final OfferTable offers;
  private final TaskTable tasks;
  private final Scores scores;
  private final int na;
  private final int nt;
  private final long[] own;
  private final long[] avail;
  private final Resources[] free;
  private final int[] placedOn;
  private final Resources[] taskTaken;

  private final int[] firstOn;
  private final int[] nextOn;
  private final int[] prevOn;
  private final int[] movableOn;
  private final int[] pinnedOn;
  private final boolean[] movable;
  private final boolean[] open;
  private final int[] used;
  private final double[] taskSize;
  /**
   * The moves of the agent being emptied: task, agent it came from, and what it had taken. Each
   * of its tasks makes at most two moves (itself, and the task it displaces), so 2 nt entries.
   */
  private final int[] logTask;
  private final int[] logFrom;
  private final Resources[] logTaken;
  private int logSize;
  /** The pools as they were before the agent being emptied: {@code savedAt[a] == stamp}. */
  private final Resources[] saved;
  private final int[] savedAt;
  private final int[] touched;
  private int touchedCount;
  private int stamp;
  private int budget;

  /** Reads the placements of the pass as it stands; {@link #run} then moves tasks. */
  Consolidation(OfferTable offers, TaskTable tasks, Scores scores) {
    this.offers = offers;
    this.tasks = tasks;
    this.scores = scores;
    na = offers.na;
    nt = tasks.nt;
    own = tasks.own;
    avail = offers.avail;
    // Moves read and write the pools themselves: none may wait for a deferred subtraction.
    tasks.settle();
    free = offers.free;
    placedOn = tasks.placedOn;
    taskTaken = tasks.taskTaken;
    firstOn = new int[na];
    nextOn = new int[nt];
    prevOn = new int[nt];
    movableOn = new int[na];
    pinnedOn = new int[na];
    movable = new boolean[nt];
    open = new boolean[na];
    taskSize = new double[nt];
    logTask = new int[2 * nt];
    logFrom = new int[2 * nt];
    logTaken = new Resources[2 * nt];
    saved = new Resources[na];
    savedAt = new int[na];
    touched = new int[na];

    Arrays.fill(firstOn, -1);
    int u = 0;
    for (int i = 0; i < tasks.placedCount; i++) {
      int t = tasks.decided[i];
      int a = placedOn[t];
      movable[t] = tasks.execKey[t] < 0 && tasks.role[t] < 0 && tasks.ownPorts[t] == null
          && tasks.checks[t].length == 0 && tasks.groupsOf[t].isEmpty();
      if (firstOn[a] < 0 && movableOn[a] + pinnedOn[a] == 0) {
        u++;
      }
      link(t, a);
      if (movable[t]) {
        movableOn[a]++;
      } else {
        pinnedOn[a]++;
      }
      taskSize[t] = scores.size(t);
    }
    used = new int[u];
    int k = 0;
    for (int a = 0; a < na; a++) {
      if (movableOn[a] + pinnedOn[a] > 0) {
        used[k++] = a;
        open[a] = true;
      }
    }
  }

  private void link(int t, int a) {
    prevOn[t] = -1;
    nextOn[t] = firstOn[a];
    if (firstOn[a] >= 0) {
      prevOn[firstOn[a]] = t;
    }
    firstOn[a] = t;
  }

  private void unlink(int t, int a) {
    if (prevOn[t] >= 0) {
      nextOn[prevOn[t]] = nextOn[t];
    } else {
      firstOn[a] = nextOn[t];
    }
    if (nextOn[t] >= 0) {
      prevOn[nextOn[t]] = prevOn[t];
    }
  }

  /** Empties what agents it can, as the class comment says; nothing when a task is pending. */
  void run() {
    if (tasks.placedCount < nt || used.length < 2) {
      return; // a task left pending could use what consolidation frees: keep the pass as is
    }
    double[] load = new double[na];
    int[] order = new int[used.length];
    int[] tasksOf = new int[nt];
    for (int round = 0; round < ROUNDS; round++) {
      if (!round(load, order, tasksOf, Math.max(MIN_TO_EMPTY, used.length / SHARE_TO_EMPTY),
          DISPLACEMENTS)) {
        break;
      }
    }
    round(load, order, tasksOf, used.length, WIDE_DISPLACEMENTS);
  }

  /**
   * Tries to empty the {@code limit} least used open agents, with {@code displacements}
   * exchanges per task; whether it emptied one.
   */
  private boolean round(double[] load, int[] order, int[] tasksOf, int limit, int displacements) {
    int n = 0;
    for (int a : used) {
      if (open[a] && pinnedOn[a] == 0) {
        double l = 0;
        for (int t = firstOn[a]; t >= 0; t = nextOn[t]) {
          l += taskSize[t];
        }
        load[a] = l;
        order[n++] = a;
      }
    }
    sortBy(order, n, load);
    budget = displacements;
    boolean emptied = false;
    for (int i = 0; i < Math.min(n, limit); i++) {
      int b = order[i];
      if (open[b] && pinnedOn[b] == 0) {
        emptied |= empty(b, tasksOf);
      }
    }
    return emptied;
  }

  /** Sorts the first {@code n} agents by {@code key} ascending, ties by index. */
  private void sortBy(int[] agents, int n, double[] key) {
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      boxed[i] = agents[i];
    }
    Arrays.sort(boxed, (x, y) -> key[x] != key[y] ? Double.compare(key[x], key[y])
        : Integer.compare(x, y));
    for (int i = 0; i < n; i++) {
      agents[i] = boxed[i];
    }
  }

  /** Moves every task off agent {@code b}, or none. */
  private boolean empty(int b, int[] tasksOf) {
    open[b] = false;
    stamp++;
    touchedCount = 0;
    logSize = 0;
    int k = 0;
    for (int t = firstOn[b]; t >= 0; t = nextOn[t]) {
      tasksOf[k++] = t;
    }
    // Largest first, ties by index: the hardest to re-place decide early whether b empties.
    for (int i = 1; i < k; i++) {
      int t = tasksOf[i];
      int j = i - 1;
      while (j >= 0 && (taskSize[tasksOf[j]] < taskSize[t]
          || (taskSize[tasksOf[j]] == taskSize[t] && tasksOf[j] > t))) {
        tasksOf[j + 1] = tasksOf[j];
        j--;
      }
      tasksOf[j + 1] = t;
    }
    for (int i = 0; i < k; i++) {
      int t = tasksOf[i];
      int c = destination(t, -1);
      if (!(c >= 0 && move(t, c)) && !displace(t)) {
        undo();
        open[b] = true;
        return false;
      }
    }
    return true;
  }

  /** The open agent other than {@code skip} that task {@code t} fits on with the least left. */
  private int destination(int t, int skip) {
    int best = -1;
    double bestLeft = Double.POSITIVE_INFINITY;
    for (int c : used) {
      if (!open[c] || c == skip || c == placedOn[t] || !tasks.roleFits(c, t)
          || !offers.within(c, -1, own, t)) {
        continue;
      }
      double left = scores.leftover(c, t);
      if (left < bestLeft) {
        best = c;
        bestLeft = left;
      }
    }
    return best;
  }

  /**
   * Puts task {@code t} on an open agent in place of one of its tasks that moves on to another
   * open agent; tries at most {@link #DISPLACEMENTS} exchanges.
   */
  private boolean displace(int t) {
    int tries = 0;
    for (int c : used) {
      if (!open[c]) {
        continue;
      }
      for (int j = firstOn[c]; j >= 0; j = nextOn[j]) {
        if (!movable[j] || !fitsInstead(c, j, t)) {
          continue;
        }
        int e = destination(j, c);
        if (e >= 0) {
          return move(j, e) && move(t, c);
        }
        if (++tries == budget) {
          return false;
        }
      }
    }
    return false;
  }

  /** Whether task {@code t} fits on agent {@code c} once task {@code j} left it. */
  private boolean fitsInstead(int c, int j, int t) {
    if (!tasks.roleFits(c, t)) {
      return false;
    }
    for (int d = 0; d < D; d++) {
      if (own[t * D + d] > avail[c * D + d] + own[j * D + d]) {
        return false;
      }
    }
    return true;
  }

  /** Moves task {@code t} to agent {@code c}, allocating on its pool; false if it cannot. */
  private boolean move(int t, int c) {
    int a = placedOn[t];
    Optional<Resources> taken = free[c].allocate(tasks.pending.get(t).spec().resources());
    if (taken.isEmpty()) {
      return false;
    }
    save(a);
    save(c);
    free[c] = free[c].minus(taken.get());
    free[a] = free[a].plus(taskTaken[t]);
    offers.load(a);
    offers.load(c);
    logTask[logSize] = t;
    logFrom[logSize] = a;
    logTaken[logSize++] = taskTaken[t];
    unlink(t, a);
    link(t, c);
    placedOn[t] = c;
    taskTaken[t] = taken.get();
    return true;
  }

  private void save(int a) {
    if (savedAt[a] != stamp) {
      savedAt[a] = stamp;
      saved[a] = free[a];
      touched[touchedCount++] = a;
    }
  }

  /** Puts back every task moved since the agent being emptied was chosen, and the pools. */
  private void undo() {
    for (int i = logSize - 1; i >= 0; i--) {
      int t = logTask[i];
      unlink(t, placedOn[t]);
      link(t, logFrom[i]);
      placedOn[t] = logFrom[i];
      taskTaken[t] = logTaken[i];
    }
    for (int i = 0; i < touchedCount; i++) {
      int a = touched[i];
      free[a] = saved[a];
      offers.load(a);
    }
  }
}
