package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.milli;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.NamedResource;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.PendingTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resources other than cpus, mem, disk, gpus and ports that the tasks of one pass ask for
 * ({@link NamedResource}: {@code licenses:1}, {@code ephemeral:[any 2]}, {@code zones:{a}}), as
 * columns beside the {@link OfferTable}'s: per task what it (its executor, both) asks of each
 * name, per agent what it has free, all roles together and per reservation role tasks ask for.
 * Scalars are in thousandths, ranges and sets in numbers of values and items.
 *
 * <p>A pass makes one only when some task asks for a named resource ({@link #of} returns null
 * otherwise), so a pass without them pays nothing. An agent's column is read again from its pool
 * when the pool changed (pools are immutable: a placement replaces the agent's), on first use.
 * The fit test on amounts and counts is exact, except where two slots of one name (two roles, say)
 * hold the same value or item, which {@link Resources#allocate} takes once; for specific values or
 * items, and for a task and its executor together, it is a necessary condition. The allocation on
 * the pool decides, as it does for tasks and executors of different roles: when it refuses,
 * {@link TaskTable#place} returns false and the strategy tries the task elsewhere.
 */
final class NamedColumns {
  /** The names asked for, numbered in the order they first appear, and their types. */
  private final List<String> names;
  private final List<NamedResource.Type> types;
  private final int k;
  private final int nr;
  /** Reservation role index to role name, as {@link OfferTable#roleIndex} numbers them. */
  private final String[] roleNames;
  /** What task t asks of name j: index {@code t * k + j}; its own, its executor's, both. */
  private final long[] own;
  private final long[] exec;
  private final long[] comb;
  /** Whether task t (or its executor) asks for any named resource. */
  private final boolean[] asks;
  private final Resources[] free;
  /** The pool each agent's columns were read from; null: not read yet. */
  private final Resources[] read;
  /** Free amounts per agent and name, all roles together: index {@code a * k + j}. */
  private final long[] avail;
  /** Free amounts reserved for each role tasks ask for: index {@code (a * nr + r) * k + j}. */
  private final long[] roleAvail;

  private NamedColumns(List<PendingTask> tasks, OfferTable offers, Map<String, Integer> index,
      List<String> names, List<NamedResource.Type> types) {
    this.names = names;
    this.types = types;
    k = names.size();
    nr = offers.nr;
    roleNames = new String[nr];
    offers.roleIndex.forEach((role, r) -> roleNames[r] = role);
    int nt = tasks.size();
    own = new long[nt * k];
    exec = new long[nt * k];
    comb = new long[nt * k];
    asks = new boolean[nt];
    for (int t = 0; t < nt; t++) {
      ResourceSpec r = tasks.get(t).spec().resources();
      fill(own, t, r.named(), index);
      Optional<ExecutorSpec> e = tasks.get(t).spec().executor();
      List<NamedResource> execNamed = e.map(x -> x.resources().named()).orElse(List.of());
      fill(exec, t, execNamed, index);
      asks[t] = !r.named().isEmpty() || !execNamed.isEmpty();
      for (int j = 0; j < k; j++) {
        comb[t * k + j] = own[t * k + j] + exec[t * k + j];
      }
    }
    free = offers.free;
    read = new Resources[offers.na];
    avail = new long[offers.na * k];
    roleAvail = new long[offers.na * nr * k];
  }

  /** The columns of a pass, or null when no task (nor its executor) asks for a named resource. */
  static NamedColumns of(List<PendingTask> tasks, OfferTable offers) {
    Map<String, Integer> index = null;
    List<String> names = null;
    List<NamedResource.Type> types = null;
    for (PendingTask p : tasks) {
      // The common case, no named resource anywhere: two list reads per task, no allocation.
      List<NamedResource> mine = p.spec().resources().named();
      Optional<ExecutorSpec> e = p.spec().executor();
      List<NamedResource> theirs = e.isEmpty() ? List.of() : e.get().resources().named();
      if (mine.isEmpty() && theirs.isEmpty()) {
        continue;
      }
      if (index == null) {
        index = new HashMap<>();
        names = new ArrayList<>();
        types = new ArrayList<>();
      }
      for (List<NamedResource> list : List.of(mine, theirs)) {
        for (NamedResource n : list) {
          String key = key(n.name(), n.type());
          if (!index.containsKey(key)) {
            index.put(key, names.size());
            names.add(n.name());
            types.add(n.type());
          }
        }
      }
    }
    return index == null ? null : new NamedColumns(tasks, offers, index, names, types);
  }

  private static String key(String name, NamedResource.Type type) {
    return type.ordinal() + name;
  }

  private void fill(long[] into, int t, List<NamedResource> named, Map<String, Integer> index) {
    for (NamedResource n : named) {
      int j = index.get(key(n.name(), n.type()));
      into[t * k + j] = n.type() == NamedResource.Type.SCALAR ? milli(n.amount())
          : (long) n.quantity();
    }
  }

  /**
   * Whether agent {@code a} has free what task {@code t} asks of every named resource, and its
   * executor too when {@code startsExecutor}; {@code role} and {@code execRole} are the
   * reservation roles of the task and the executor as {@link OfferTable} numbers them, -1 for
   * any. Mirrors {@link TaskTable#fits} for cpus and ports.
   */
  boolean fits(int a, int t, boolean startsExecutor, int role, int execRole) {
    if (!asks[t]) {
      return true;
    }
    if (read[a] != free[a]) {
      load(a);
    }
    if (!startsExecutor) {
      return within(a, role, own, t);
    }
    if (role == execRole) {
      return within(a, role, comb, t);
    }
    return within(a, role, own, t) && within(a, execRole, exec, t) && within(a, -1, comb, t);
  }

  private boolean within(int a, int r, long[] need, int t) {
    long[] have = r < 0 ? avail : roleAvail;
    int base = r < 0 ? a * k : (a * nr + r) * k;
    int n = t * k;
    for (int j = 0; j < k; j++) {
      if (need[n + j] > have[base + j]) {
        return false;
      }
    }
    return true;
  }

  /** Reads agent {@code a}'s pool into its columns. */
  private void load(int a) {
    Resources pool = free[a];
    Arrays.fill(avail, a * k, a * k + k, 0);
    if (nr > 0) {
      Arrays.fill(roleAvail, a * nr * k, (a + 1) * nr * k, 0);
    }
    for (Resource res : pool) {
      int j = column(res);
      if (j < 0) {
        continue;
      }
      Resource.Value value = res.value();
      long amount = value instanceof Resource.Scalar s ? milli(s.amount())
          : value instanceof Resource.RangesValue v ? v.ranges().size()
          : ((Resource.SetValue) value).items().size();
      avail[a * k + j] += amount;
      for (int r = 0; r < nr; r++) {
        if (roleNames[r].equals(res.role())) {
          roleAvail[(a * nr + r) * k + j] += amount;
        }
      }
    }
    read[a] = pool;
  }

  /** The column of a resource of the pool, or -1 when no task asks for it by its type. */
  private int column(Resource res) {
    for (int j = 0; j < k; j++) {
      if (names.get(j).equals(res.name()) && typeOf(res.value()) == types.get(j)) {
        return j;
      }
    }
    return -1;
  }

  private static NamedResource.Type typeOf(Resource.Value value) {
    return value instanceof Resource.Scalar ? NamedResource.Type.SCALAR
        : value instanceof Resource.RangesValue ? NamedResource.Type.RANGES
        : NamedResource.Type.SET;
  }

  /**
   * Adds to {@code reps}, for each named resource, the agent among the first {@code n} of
   * {@code subset} with the most of it free (in role {@code r}, or in all when negative): with
   * the agents that have the most cpus, mem..., they give the same shortfall as all agents.
   */
  void representatives(int[] subset, int n, int r, Set<Integer> reps) {
    for (int j = 0; j < k; j++) {
      int best = subset[0];
      long most = -1;
      for (int i = 0; i < n; i++) {
        int a = subset[i];
        if (read[a] != free[a]) {
          load(a);
        }
        long have = r < 0 ? avail[a * k + j] : roleAvail[(a * nr + r) * k + j];
        if (have > most) {
          best = a;
          most = have;
        }
      }
      reps.add(best);
    }
  }
}
