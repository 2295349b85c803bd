package dev.mesoskit.local;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.http.V1Conversions;
import dev.mesoskit.local.LocalMaster.AgentEntry;
import dev.mesoskit.local.LocalMaster.ExecutorEntry;
import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import dev.mesoskit.local.LocalMaster.OfferEntry;
import dev.mesoskit.local.LocalMaster.TaskEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an ACCEPT does with its offers on a {@link LocalMaster}: the offers checked
 * ({@link MasterValidation#offers}), then each LAUNCH and LAUNCH_GROUP checked and booked against
 * the pool the offers make up, the launches handed to the agent, and what is left declined under
 * the call's filters. Tasks that fail a check get TASK_ERROR or TASK_DROPPED from the master.
 *
 * <p>Threading: called with the master's lock (the {@link LocalMaster} monitor) held; the
 * launches run after it is released, from the call's list of deliveries.
 */
final class OfferOperations {
  /** Logs as the master, under whose name these lines have always been written. */
  private static final Logger log = LoggerFactory.getLogger(LocalMaster.class);

  private final LocalMaster master;
  private final Allocator allocator;

  OfferOperations(LocalMaster master, Allocator allocator) {
    this.master = master;
    this.allocator = allocator;
  }

  /** Runs an ACCEPT call. Holds the master's lock. */
  void accept(FrameworkEntry fw, Call.Accept accept, List<Runnable> after) {
    String error = MasterValidation.offers(fw.id().getValue(), accept.getOfferIdsList(),
        master.offers);
    if (error != null) {
      // Mesos discards the offers that are still valid and drops every task of the call.
      for (Protos.OfferID id : accept.getOfferIdsList()) {
        OfferEntry offer = master.offers.get(id.getValue());
        if (offer != null && offer.frameworkId().equals(fw.id().getValue())) {
          master.offers.remove(offer.id());
          allocator.recover(offer);
        }
      }
      for (Protos.Offer.Operation op : accept.getOperationsList()) {
        for (Protos.TaskInfo t : tasksOf(op)) {
          fw.send(master, master.masterUpdate(fw, t.getTaskId(), t.getAgentId(),
              Protos.TaskState.TASK_DROPPED, Protos.TaskStatus.Reason.REASON_INVALID_OFFERS,
              "Task launched with invalid offers: " + error, null));
        }
      }
      return;
    }
    AgentEntry agent = null;
    String role = null;
    Resources pool = Resources.empty();
    for (Protos.OfferID id : accept.getOfferIdsList()) {
      OfferEntry offer = master.offers.remove(id.getValue());
      agent = master.agents.get(offer.agentId());
      role = offer.role();
      pool = pool.plus(offer.resources());
    }
    for (Protos.Offer.Operation op : accept.getOperationsList()) {
      switch (op.getType()) {
        case LAUNCH -> pool = launch(fw, agent, role, op.getLaunch().getTaskInfosList(), pool,
            after);
        case LAUNCH_GROUP -> {
          Protos.Offer.Operation.LaunchGroup group = op.getLaunchGroup();
          String problem = MasterValidation.launchResources(group.getTaskGroup().getTasksList(),
              group.getExecutor());
          if (problem != null) {
            refuseAll(fw, group.getTaskGroup().getTasksList(),
                Protos.TaskStatus.Reason.REASON_TASK_GROUP_INVALID, problem);
          } else {
            pool = launchGroup(fw, agent, withAllocation(group, role), pool, after);
          }
        }
        default -> log.warn("operation not supported by the local cluster, ignored type={}",
            op.getType());
      }
    }
    // What the launches left of the offers is declined implicitly, under the accept's filters,
    // for the offers' role only (the hierarchical allocator keeps filters per role and agent).
    Resources unused = ProtoResources.unallocated(pool);
    agent.free = agent.free.plus(unused);
    fw.filters.refuse(role, agent.id(), unused,
        Allocator.refuse(accept.hasFilters() ? accept.getFilters() : null), master.clock.instant());
  }

  private static List<Protos.TaskInfo> tasksOf(Protos.Offer.Operation op) {
    return switch (op.getType()) {
      case LAUNCH -> op.getLaunch().getTaskInfosList();
      case LAUNCH_GROUP -> op.getLaunchGroup().getTaskGroup().getTasksList();
      default -> List.of();
    };
  }

  /**
   * One LAUNCH operation: Mesos checks the resources of all its tasks first (one invalid resource
   * fails every task of the operation), then each task in turn against what the offers have left.
   *
   * @return what is left of the pool
   */
  private Resources launch(FrameworkEntry fw, AgentEntry agent, String role,
      List<Protos.TaskInfo> tasks, Resources pool, List<Runnable> after) {
    String problem = MasterValidation.launchResources(tasks, null);
    if (problem != null) {
      refuseAll(fw, tasks, Protos.TaskStatus.Reason.REASON_TASK_INVALID, problem);
      return pool;
    }
    for (Protos.TaskInfo given : tasks) {
      Protos.TaskInfo task = withAllocation(given, role, fw.id());
      boolean newExecutor = task.hasExecutor()
          && executorOf(fw, agent, task.getExecutor().getExecutorId().getValue()) == null;
      Resources taskRes = Resources.empty();
      Resources need = Resources.empty();
      try {
        taskRes = ProtoResources.toResources(task.getResourcesList());
        need = newExecutor ? taskRes.plus(ProtoResources.toResources(
            task.getExecutor().getResourcesList())) : taskRes;
        problem = MasterValidation.task(task, books(fw, agent));
      } catch (RuntimeException e) { // what LocalCluster's arithmetic cannot hold (e.g. 2^63)
        problem = "Task uses invalid resources: " + e.getMessage();
      }
      if (problem == null && !pool.contains(need)) {
        problem = MasterValidation.moreThanAvailable(V1Conversions.resources(need),
            V1Conversions.resources(pool));
      }
      if (problem != null) {
        fw.send(master, master.masterUpdate(fw, task.getTaskId(), task.getAgentId(),
            Protos.TaskState.TASK_ERROR, Protos.TaskStatus.Reason.REASON_TASK_INVALID, problem,
            null));
        continue;
      }
      if (newExecutor) {
        fw.executors.computeIfAbsent(agent.id(), a -> new HashMap<>())
            .put(task.getExecutor().getExecutorId().getValue(), new ExecutorEntry(
                task.getExecutor(), ProtoResources.unallocated(need.minus(taskRes))));
      }
      pool = pool.minus(need);
      fw.tasks.put(task.getTaskId().getValue(), new TaskEntry(task, agent.id(),
          ProtoResources.unallocated(taskRes)));
      Protos.FrameworkInfo info = fw.info;
      AgentEntry on = agent;
      after.add(() -> on.agent.launch(info, task));
      log.info("task launched framework_id={} task={} agent={}", fw.id().getValue(),
          task.getTaskId().getValue(), agent.id());
    }
    return pool;
  }

  private void refuseAll(FrameworkEntry fw, List<Protos.TaskInfo> tasks,
      Protos.TaskStatus.Reason reason, String problem) {
    for (Protos.TaskInfo t : tasks) {
      fw.send(master, master.masterUpdate(fw, t.getTaskId(), t.getAgentId(),
          Protos.TaskState.TASK_ERROR, reason, problem, null));
    }
  }

  private static ExecutorEntry executorOf(FrameworkEntry fw, AgentEntry agent, String id) {
    return fw.executors.getOrDefault(agent.id(), Map.of()).get(id);
  }

  private static MasterValidation.Books books(FrameworkEntry fw, AgentEntry agent) {
    return new MasterValidation.Books() {
      @Override
      public String frameworkId() {
        return fw.id().getValue();
      }

      @Override
      public String agentId() {
        return agent.id();
      }

      @Override
      public boolean hasTask(String taskId) {
        return fw.tasks.containsKey(taskId);
      }

      @Override
      public Protos.ExecutorInfo executor(String executorId) {
        ExecutorEntry e = executorOf(fw, agent, executorId);
        return e == null ? null : e.info();
      }
    };
  }

  /**
   * The task as Mesos launches it: resources without {@code allocation_info} get the offer's
   * allocation role (for frameworks with and without MULTI_ROLE alike), and an executor without a
   * framework id gets the framework's.
   */
  private static Protos.TaskInfo withAllocation(Protos.TaskInfo task, String role,
      Protos.FrameworkID frameworkId) {
    Protos.TaskInfo.Builder b = task.toBuilder();
    allocate(b.getResourcesBuilderList(), role);
    if (b.hasExecutor()) {
      Protos.ExecutorInfo.Builder e = b.getExecutorBuilder();
      allocate(e.getResourcesBuilderList(), role);
      if (!e.hasFrameworkId()) {
        e.setFrameworkId(frameworkId);
      }
    }
    return b.build();
  }

  private static Protos.Offer.Operation.LaunchGroup withAllocation(
      Protos.Offer.Operation.LaunchGroup group, String role) {
    Protos.Offer.Operation.LaunchGroup.Builder b = group.toBuilder();
    // Unlike LAUNCH, Mesos does not fill in the executor's framework id for a task group.
    allocate(b.getExecutorBuilder().getResourcesBuilderList(), role);
    for (Protos.TaskInfo.Builder t : b.getTaskGroupBuilder().getTasksBuilderList()) {
      allocate(t.getResourcesBuilderList(), role);
    }
    return b.build();
  }

  private static void allocate(List<Protos.Resource.Builder> resources, String role) {
    for (Protos.Resource.Builder r : resources) {
      if (!r.hasAllocationInfo()) {
        r.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role));
      }
    }
  }

  /**
   * Launches a task group atomically on its executor: every task fits (with the executor's
   * resources when it does not run yet) and is valid, or every task gets TASK_ERROR.
   *
   * @return what is left of the pool
   */
  private Resources launchGroup(FrameworkEntry fw, AgentEntry agent,
      Protos.Offer.Operation.LaunchGroup group, Resources pool, List<Runnable> after) {
    Protos.ExecutorInfo executor = group.getExecutor();
    List<Protos.TaskInfo> tasks = group.getTaskGroup().getTasksList();
    MasterValidation.Books books = books(fw, agent);
    String problem = tasks.isEmpty() ? "Task group is empty" : null;
    Resources need = Resources.empty();
    Set<String> ids = new HashSet<>();
    try {
      problem = problem != null ? problem : MasterValidation.groupTasks(tasks, books, ids);
      problem = problem != null ? problem
          : TaskGroupValidation.groupExecutor(executor, tasks, books);
      for (Protos.TaskInfo task : problem == null ? tasks : List.<Protos.TaskInfo>of()) {
        need = need.plus(ProtoResources.toResources(task.getResourcesList()));
      }
    } catch (RuntimeException e) { // what LocalCluster's arithmetic cannot hold (e.g. 2^63)
      problem = "Task group uses invalid resources: " + e.getMessage();
    }
    Resources execRes = Resources.empty();
    Map<String, ExecutorEntry> onAgent =
        fw.executors.computeIfAbsent(agent.id(), a -> new HashMap<>());
    String execId = executor.getExecutorId().getValue();
    if (problem == null && !onAgent.containsKey(execId)) {
      try {
        execRes = ProtoResources.toResources(executor.getResourcesList());
      } catch (RuntimeException e) {
        problem = "Task group uses invalid resources: " + e.getMessage();
      }
    }
    if (problem == null && !pool.contains(need.plus(execRes))) {
      problem = MasterValidation.groupMoreThanAvailable(V1Conversions.resources(
          need.plus(execRes)), V1Conversions.resources(pool));
    }
    return launchGroupChecked(fw, agent, group, pool, after, problem, need, execRes, ids);
  }

  private Resources launchGroupChecked(FrameworkEntry fw, AgentEntry agent,
      Protos.Offer.Operation.LaunchGroup group, Resources pool, List<Runnable> after,
      String problem, Resources need, Resources execRes, Set<String> ids) {
    Protos.ExecutorInfo executor = group.getExecutor();
    List<Protos.TaskInfo> tasks = group.getTaskGroup().getTasksList();
    Map<String, ExecutorEntry> onAgent =
        fw.executors.computeIfAbsent(agent.id(), a -> new HashMap<>());
    String execId = executor.getExecutorId().getValue();
    if (problem != null) {
      refuseAll(fw, tasks, Protos.TaskStatus.Reason.REASON_TASK_GROUP_INVALID, problem);
      return pool;
    }
    if (!onAgent.containsKey(execId)) {
      onAgent.put(execId, new ExecutorEntry(executor, ProtoResources.unallocated(execRes)));
    }
    for (Protos.TaskInfo task : tasks) {
      Resources taskRes = ProtoResources.toResources(task.getResourcesList());
      fw.tasks.put(task.getTaskId().getValue(), new TaskEntry(
          task.toBuilder().setExecutor(executor).build(), agent.id(),
          ProtoResources.unallocated(taskRes)));
    }
    Protos.FrameworkInfo info = fw.info;
    after.add(() -> agent.agent.launchGroup(info, executor, tasks));
    log.info("task group launched framework_id={} tasks={} agent={}", fw.id().getValue(),
        ids, agent.id());
    return pool.minus(need).minus(execRes);
  }
}
