package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;
import static dev.mesoskit.offers.OfferTable.flatten;

import dev.mesoskit.core.NamedResource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Shortfall;
import dev.mesoskit.offers.Checks.Check;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why each task a pass left pending found no agent, with the offers as the pass left them: the
 * constraints that rule agents out, then what the other agents lack, in {@link Shortfall}'s words
 * ({@code "needs cpus 64, the largest offer has 2"}). Explained once per task shape.
 */
final class PendingReasons {
  private final OfferTable offers;
  private final TaskTable tasks;
  private final int na;
  /** Buffers for explaining, made once per pass: explaining allocates per task, not per agent. */
  private int[] allAgents;
  private int[] scratch;
  private int[] ofRole;
  private boolean[] ruledOut;

  PendingReasons(OfferTable offers, TaskTable tasks) {
    this.offers = offers;
    this.tasks = tasks;
    this.na = offers.na;
  }

  /** The tasks left pending, in submission order, each with its reason. */
  Map<TaskId, String> unplaced() {
    Map<TaskId, String> unplaced = new LinkedHashMap<>();
    String[] reasons = new String[tasks.shapes];
    for (int t = 0; t < tasks.nt; t++) {
      if (tasks.placedOn[t] < 0) {
        TaskId id = tasks.pending.get(t).id();
        int s = tasks.shapeOf[t];
        if (reasons[s] == null) {
          reasons[s] = reason(t);
        }
        unplaced.put(id, reasons[s]);
      }
    }
    return unplaced;
  }

  /**
   * Why task {@code t} found no agent, with the offers as the pass left them: the constraints
   * that rule agents out, then what the other agents lack, in {@link Shortfall}'s words. When the
   * task may not use some agents' resources for their allocation role, only the agents of its
   * role count, and the reason names the role.
   */
  private String reason(int t) {
    ResourceSpec demand = explained(t);
    if (allAgents == null) {
      allAgents = new int[na];
      for (int a = 0; a < na; a++) {
        allAgents[a] = a;
      }
      scratch = new int[na];
      ofRole = new int[na];
      ruledOut = new boolean[na];
    }
    int[] set = allAgents;
    int n = na;
    String role = null;
    if (!tasks.anyRole[t]) {
      role = tasks.pending.get(t).role().orElseThrow();
      set = ofRole;
      n = 0;
      for (int a = 0; a < na; a++) {
        if (tasks.roleFits(a, t)) {
          ofRole[n++] = a;
        }
      }
    }
    Check[] checks = tasks.checks[t];
    if (checks.length == 0 || n == 0) {
      return shortfall(demand, set, n, role);
    }
    Arrays.fill(ruledOut, false);
    List<String> phrases = new ArrayList<>();
    for (Check c : checks) {
      int k = 0;
      for (int i = 0; i < n; i++) {
        int a = set[i];
        if (!c.allows(a)) {
          scratch[k++] = a;
          ruledOut[a] = true;
        }
      }
      if (k > 0) {
        phrases.add(c.reason(scratch, k, n));
      }
    }
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (!ruledOut[set[i]]) {
        scratch[k++] = set[i];
      }
    }
    if (k == n) {
      return shortfall(demand, set, n, role);
    }
    String because = String.join("; ", phrases);
    return k == 0 ? because : because + "; on the rest: " + shortfall(demand, scratch, k, role);
  }

  /** The demand to explain: the task's, plus its executor's when no agent runs it yet. */
  private ResourceSpec explained(int t) {
    TaskSpec spec = tasks.pending.get(t).spec();
    ResourceSpec taskNeeds = spec.resources();
    int execKey = tasks.execKey[t];
    if (execKey < 0) {
      return taskNeeds;
    }
    for (int a = 0; a < na; a++) {
      if (offers.running[a].get(execKey)) {
        return taskNeeds;
      }
    }
    // Counted and specific ports (or values) cannot be added; explain with their numbers.
    return taskNeeds.plusCounted(spec.executor().orElseThrow().resources());
  }

  /**
   * {@link Shortfall#explain} over the first {@code n} agents of {@code subset}. It names the
   * largest amount of the first short resource, so the agents holding the largest amount of each
   * resource give the same answer as all of them; only the last resort ("none of the N agents
   * offered has it all") needs every pool. Names {@code role} when it is not null.
   */
  private String shortfall(ResourceSpec demand, int[] subset, int n, String role) {
    if (n == 0) {
      return explain(demand, List.of(), role);
    }
    int r = demand.role().map(offers.roleIndex::get).orElse(-1);
    Set<Integer> reps = new LinkedHashSet<>();
    for (int d = 0; d < D; d++) {
      int best = subset[0];
      for (int i = 0; i < n; i++) {
        if (offers.have(subset[i], r, d) > offers.have(best, r, d)) {
          best = subset[i];
        }
      }
      reps.add(best);
    }
    if (tasks.named != null) {
      if (hasSpecificNamed(demand)) {
        // Rare: explain specific values or items over every pool rather than choose agents.
        for (int i = 0; i < n; i++) {
          reps.add(subset[i]);
        }
      } else {
        tasks.named.representatives(subset, n, r, reps);
      }
    }
    if (!demand.ports().isEmpty()) {
      long[] wanted = flatten(demand.ports());
      for (int i = 0; i < n; i++) {
        if (offers.portsFree(subset[i], r, wanted)) {
          reps.add(subset[i]);
          break;
        }
      }
    }
    List<Resources> pools = new ArrayList<>(reps.size());
    for (int a : reps) {
      pools.add(tasks.free(a));
    }
    String why = explain(demand, pools, role);
    if (reps.size() < n && why.endsWith(" has it all")) {
      pools = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        pools.add(tasks.free(subset[i]));
      }
      why = explain(demand, pools, role);
    }
    return why;
  }

  private static boolean hasSpecificNamed(ResourceSpec demand) {
    for (NamedResource n : demand.named()) {
      if (n.type() != NamedResource.Type.SCALAR && !n.counted()) {
        return true;
      }
    }
    return false;
  }

  private static String explain(ResourceSpec demand, List<Resources> pools, String role) {
    return role == null ? Shortfall.explain(demand, pools)
        : Shortfall.explain(demand, role, pools);
  }
}
