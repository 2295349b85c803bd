package dev.mesoskit.core.spi;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Places each task, in submission order, on the first agent (in offer order) whose pooled offers
 * fit the task and, if it starts one there, its executor. O(tasks x agents) fit checks. The offers
 * of an agent form one pool per allocation role, and a task only tries the pools of its own role
 * ({@link PendingTask#mayUse}).
 */
final class FirstFitStrategy implements PackingStrategy {

  @Override
  public Packing pack(List<PendingTask> tasks, List<Offer> offers) {
    List<Pool> pools = Pool.of(offers);
    List<Placement> placements = new ArrayList<>();
    Map<TaskId, String> unplaced = new LinkedHashMap<>();
    // Most pending tasks of a framework ask alike. A pool only shrinks during a pass, and a
    // failed try changes nothing, so while no task is placed a task that asks exactly as one that
    // fit nowhere fits nowhere either, for the same reason: it is not tried again (10,000 pending
    // tasks and a full cluster cost a lookup each, not a fit check per pool and an explanation).
    Map<Asks, String> fitNowhere = new HashMap<>();
    for (PendingTask task : tasks) {
      Asks asks = new Asks(task.role(), task.defaultRole(), task.spec().resources(),
          task.spec().executor());
      String known = fitNowhere.get(asks);
      if (known != null) {
        unplaced.put(task.id(), known);
        continue;
      }
      Placement placed = null;
      for (Pool pool : pools) {
        if (task.mayUse(pool.allocationRole)) {
          placed = pool.tryPlace(task);
          if (placed != null) {
            break;
          }
        }
      }
      if (placed != null) {
        placements.add(placed);
        fitNowhere.clear();
      } else {
        String why = explain(task, Pool.demand(task, pools), pools);
        fitNowhere.put(asks, why);
        unplaced.put(task.id(), why);
      }
    }
    return new Packing(placements, unplaced);
  }

  /** What decides whether and why a task fits the pools: its role, resources and executor. */
  private record Asks(Optional<String> role, boolean defaultRole, ResourceSpec resources,
      Optional<ExecutorSpec> executor) {}

  /** Why no pool fits; naming the task's role when it may not use some of the pools. */
  private static String explain(PendingTask task, ResourceSpec demand, List<Pool> pools) {
    List<Resources> usable = new ArrayList<>();
    for (Pool pool : pools) {
      if (task.mayUse(pool.allocationRole)) {
        usable.add(pool.free);
      }
    }
    if (usable.size() == pools.size() || task.role().isEmpty()) {
      return Shortfall.explain(demand, usable);
    }
    return Shortfall.explain(demand, task.role().get(), usable);
  }

  @Override
  public String toString() {
    return "firstFit";
  }

  /** The offers of one agent and role, pooled, with what the pass has taken from them so far. */
  static final class Pool {
    final String agentId;
    final Optional<String> allocationRole;
    Resources free;
    final Set<String> executors;

    Pool(String agentId, Optional<String> allocationRole) {
      this.agentId = agentId;
      this.allocationRole = allocationRole;
      this.free = Resources.empty();
      this.executors = new HashSet<>();
    }

    /** One pool per agent and allocation role, in the order of the offers. */
    static List<Pool> of(List<Offer> offers) {
      Map<String, Map<Optional<String>, Pool>> pools = new LinkedHashMap<>();
      List<Pool> all = new ArrayList<>();
      for (Offer offer : offers) {
        Map<Optional<String>, Pool> ofAgent =
            pools.computeIfAbsent(offer.agentId(), a -> new LinkedHashMap<>());
        for (Map.Entry<Optional<String>, Resources> e
            : AllocationRoles.split(offer.resources()).entrySet()) {
          Pool pool = ofAgent.get(e.getKey());
          if (pool == null) {
            pool = new Pool(offer.agentId(), e.getKey());
            ofAgent.put(e.getKey(), pool);
            all.add(pool);
          }
          pool.free = pool.free.plus(e.getValue());
          pool.executors.addAll(offer.executorIds());
        }
      }
      return all;
    }

    /** The demand to explain: the task's, plus its executor's when no pool runs it yet. */
    static ResourceSpec demand(PendingTask task, Iterable<Pool> pools) {
      Optional<ExecutorSpec> exec = task.spec().executor();
      if (exec.isEmpty()) {
        return task.spec().resources();
      }
      for (Pool pool : pools) {
        if (pool.executors.contains(exec.get().id())) {
          return task.spec().resources();
        }
      }
      // Counted and specific ports (or values) cannot be added; explain with their numbers.
      return task.spec().resources().plusCounted(exec.get().resources());
    }

    Placement tryPlace(PendingTask task) {
      Optional<Resources> taskRes = free.allocate(task.spec().resources());
      if (taskRes.isEmpty()) {
        return null;
      }
      Resources execRes = Resources.empty();
      Optional<ExecutorSpec> exec = task.spec().executor();
      if (exec.isPresent() && !executors.contains(exec.get().id())) {
        Optional<Resources> e = free.minus(taskRes.get()).allocate(exec.get().resources());
        if (e.isEmpty()) {
          // What the task took (a value the executor names, reserved resources its role needs)
          // may starve the executor: the executor first then.
          e = free.allocate(exec.get().resources());
          if (e.isEmpty()) {
            return null;
          }
          taskRes = free.minus(e.get()).allocate(task.spec().resources());
          if (taskRes.isEmpty()) {
            return null;
          }
        }
        execRes = e.get();
        executors.add(exec.get().id());
      }
      free = free.minus(taskRes.get()).minus(execRes);
      return new Placement(task.id(), agentId, taskRes.get(), execRes);
    }
  }
}
