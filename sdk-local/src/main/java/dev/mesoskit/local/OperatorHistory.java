package dev.mesoskit.local;

import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import dev.mesoskit.local.LocalMaster.TaskEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Response.GetFrameworks;

/**
 * What a {@link LocalMaster}'s books forget and its operator API still tells: the updates of each
 * task ({@code statuses}), the tasks that ended and were acknowledged ({@code completed_tasks}),
 * frameworks that were removed ({@code completed_frameworks}) and when frameworks subscribed.
 *
 * <p>Threading: guarded by the master's lock (the {@link LocalMaster} monitor); every method is
 * called holding it.
 */
final class OperatorHistory {
  /** The most tasks and frameworks kept as completed, as Mesos' bounded circular buffers. */
  static final int MAX_COMPLETED = 1000;

  private final Map<String, Double> registered = new HashMap<>();
  private final Map<String, Double> reregistered = new HashMap<>();
  private final Map<String, List<Protos.TaskStatus>> statuses = new HashMap<>();
  private final List<Protos.Task> completedTasks = new ArrayList<>();
  private final Map<String, GetFrameworks.Framework> completedFrameworks = new LinkedHashMap<>();

  /** A framework subscribed (first time or again) at {@code now} seconds. */
  void subscribed(String frameworkId, double now) {
    registered.putIfAbsent(frameworkId, now);
    reregistered.put(frameworkId, now);
  }

  /** An update from an agent reached the master. */
  void status(String frameworkId, Protos.TaskStatus status) {
    statuses.computeIfAbsent(key(frameworkId, status.getTaskId().getValue()),
        k -> new ArrayList<>()).add(status);
  }

  /** A terminal task left the books (its terminal update was acknowledged). */
  void taskEnded(FrameworkEntry fw, TaskEntry task) {
    complete(task(fw, task));
  }

  /**
   * A framework was removed at {@code now}: its live tasks end TASK_KILLED by the master,
   * REASON_FRAMEWORK_REMOVED, as Mesos' {@code Master::removeFramework} stores them.
   */
  void frameworkRemoved(FrameworkEntry fw, double now) {
    String id = fw.id().getValue();
    for (TaskEntry t : fw.tasks.values()) {
      if (!LocalMaster.isTerminal(t.state)) {
        Protos.TaskStatus.Builder killed = Protos.TaskStatus.newBuilder()
            .setTaskId(t.info.getTaskId())
            .setState(Protos.TaskState.TASK_KILLED)
            .setMessage("Framework " + id + " removed")
            .setSource(Protos.TaskStatus.Source.SOURCE_MASTER)
            .setReason(Protos.TaskStatus.Reason.REASON_FRAMEWORK_REMOVED)
            .setAgentId(Protos.AgentID.newBuilder().setValue(t.agentId))
            .setTimestamp(now);
        status(id, killed.build());
        Protos.Task task = task(fw, t).toBuilder().setState(Protos.TaskState.TASK_KILLED).build();
        complete(task);
      } else {
        complete(task(fw, t));
      }
    }
    GetFrameworks.Framework.Builder done = framework(fw, false, now);
    completedFrameworks.remove(id);
    completedFrameworks.put(id, done.build());
    // Nothing of a removed framework stays but its completed entries: a long-lived cluster
    // does not grow with every framework that came and went.
    registered.remove(id);
    reregistered.remove(id);
    statuses.keySet().removeIf(k -> k.startsWith(key(id, "")));
    while (completedFrameworks.size() > MAX_COMPLETED) {
      completedFrameworks.remove(completedFrameworks.keySet().iterator().next());
    }
  }

  private void complete(Protos.Task task) {
    statuses.remove(key(task.getFrameworkId().getValue(), task.getTaskId().getValue()));
    completedTasks.add(task);
    if (completedTasks.size() > MAX_COMPLETED) {
      completedTasks.remove(0);
    }
  }

  /** The tasks that ended, oldest first. */
  List<Protos.Task> completedTasks() {
    return List.copyOf(completedTasks);
  }

  /** The frameworks that were removed, oldest first. */
  List<GetFrameworks.Framework> completedFrameworks() {
    return List.copyOf(completedFrameworks.values());
  }

  /** A task of the books as the operator API shows it, with every update it had. */
  Protos.Task task(FrameworkEntry fw, TaskEntry t) {
    Protos.Task.Builder task = Protos.Task.newBuilder()
        .setName(t.info.getName())
        .setTaskId(t.info.getTaskId())
        .setFrameworkId(fw.id())
        .setAgentId(Protos.AgentID.newBuilder().setValue(t.agentId))
        .setState(t.state)
        .addAllResources(allocated(t.info.getResourcesList(), fw));
    if (t.info.hasExecutor()) {
      task.setExecutorId(t.info.getExecutor().getExecutorId());
    }
    if (t.info.hasLabels()) {
      task.setLabels(t.info.getLabels());
    }
    if (t.info.hasDiscovery()) {
      task.setDiscovery(t.info.getDiscovery());
    }
    List<Protos.TaskStatus> seen = statuses.getOrDefault(
        key(fw.id().getValue(), t.info.getTaskId().getValue()), List.of());
    task.addAllStatuses(seen);
    for (int i = seen.size() - 1; i >= 0; i--) {
      Protos.TaskStatus s = seen.get(i);
      if (s.getSource() != Protos.TaskStatus.Source.SOURCE_MASTER) {
        task.setStatusUpdateState(s.getState());
        if (s.hasUuid()) {
          task.setStatusUpdateUuid(s.getUuid());
        }
        break;
      }
    }
    return task.build();
  }

  /**
   * A framework as GET_FRAMEWORKS shows it, without offers and resources.
   *
   * @param active whether it is in the books (not removed)
   * @param now the time it was removed, for a removed framework
   */
  GetFrameworks.Framework.Builder framework(FrameworkEntry fw, boolean active, double now) {
    String id = fw.id().getValue();
    Protos.FrameworkInfo.Builder info = fw.info.toBuilder();
    if (!info.hasFailoverTimeout()) {
      info.setFailoverTimeout(0.0);
    }
    if (!info.hasCheckpoint()) {
      info.setCheckpoint(false);
    }
    GetFrameworks.Framework.Builder f = GetFrameworks.Framework.newBuilder()
        .setFrameworkInfo(info)
        .setActive(active && fw.stream != null)
        .setConnected(active && fw.stream != null)
        .setRecovered(false);
    Double at = registered.get(id);
    if (at != null) {
      f.setRegisteredTime(time(at));
      f.setReregisteredTime(time(reregistered.getOrDefault(id, at)));
    }
    if (!active) {
      f.setUnregisteredTime(time(now));
    }
    f.setOfferConstraints(org.apache.mesos.v1.scheduler.Protos.OfferConstraints
        .getDefaultInstance());
    return f;
  }

  /** Resources with the allocation role the master fills in when a launch omits it. */
  private static List<Protos.Resource> allocated(List<Protos.Resource> resources,
      FrameworkEntry fw) {
    String role = fw.info.getRolesCount() > 0 ? fw.info.getRoles(0) : "*";
    List<Protos.Resource> out = new ArrayList<>(resources.size());
    for (Protos.Resource r : resources) {
      out.add(r.hasAllocationInfo() ? r : r.toBuilder().setAllocationInfo(
          Protos.Resource.AllocationInfo.newBuilder().setRole(role)).build());
    }
    return out;
  }

  static Protos.TimeInfo time(double seconds) {
    return Protos.TimeInfo.newBuilder().setNanoseconds((long) (seconds * 1e9)).build();
  }

  private static String key(String frameworkId, String taskId) {
    return frameworkId + "\u0000" + taskId;
  }
}
