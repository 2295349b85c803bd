package dev.mesoskit.core.internal;

import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mutable state of one pod: its tasks' records, which move through their attempts together,
 * and what the packing strategy sees of it. Owned by the event thread once submitted.
 */
final class PodRecord {
  /** Unique among this run's pods: the pod's name, or the name with a counter. */
  final String key;
  final PodSpec spec;
  /** The records of the pod's tasks, in the pod's order; the first stands for the pod. */
  final List<TaskRecord> members;
  /** The sum of the tasks' resources and the executor's: what one agent must offer at once. */
  final ResourceSpec demand;
  /** What the packing strategy sees: one command task under the first task's id. */
  private final TaskSpec packingSpec;
  /** The attempt number the next retry's backoff is computed for. */
  int backoffStep = 1;

  PodRecord(String key, PodSpec spec, List<TaskRecord> members, ResourceSpec demand) {
    this.key = key;
    this.spec = spec;
    this.members = List.copyOf(members);
    this.demand = demand;
    TaskSpec.Builder b = spec.tasks().get(0).toBuilder().name(spec.name()).resources(demand);
    for (TaskSpec t : spec.tasks().subList(1, spec.tasks().size())) {
      t.labels().forEach((k, v) -> {
        if (!spec.tasks().get(0).labels().containsKey(k)) {
          b.label(k, v);
        }
      });
    }
    this.packingSpec = b.build();
  }

  /** The record that stands for the pod when packing. */
  TaskRecord first() {
    return members.get(0);
  }

  /** The pod's current attempt: every task's. */
  int attempt() {
    return first().attempt;
  }

  /** The default executor's id of the current attempt: unique per pod and attempt. */
  String executorId() {
    return "pod-" + key + "." + attempt();
  }

  /** Whether every task of the pod waits for an offer now. */
  boolean due(Instant now) {
    for (TaskRecord m : members) {
      if (!m.due(now)) {
        return false;
      }
    }
    return true;
  }

  /** The pod as the packing strategy sees it, with the role every task of it runs as. */
  PendingTask pendingTask(FrameworkInfo info) {
    String role = TaskRoles.of(packingSpec, info);
    return new PendingTask(first().id, packingSpec, Optional.of(role), role.equals(info.role()));
  }

  /**
   * Splits what the strategy placed for the pod into each task's resources (in the pod's order)
   * and the executor's, and notes the agent, host and ports on every task.
   *
   * @param placed the resources of the pod's placement, at least {@link #demand}
   * @return the launch, or empty when {@code placed} does not hold every part
   */
  Optional<TaskGroupLaunch> launch(String agentId, String hostname, Resources placed) {
    Resources left = placed;
    List<TaskLaunch> launches = new ArrayList<>();
    for (TaskRecord m : members) {
      Optional<Resources> mine = left.allocate(m.spec.resources());
      if (mine.isEmpty()) {
        return Optional.empty();
      }
      left = left.minus(mine.get());
      launches.add(new TaskLaunch(m.mesosTaskId(), agentId, m.spec, mine.get(),
          Resources.empty()));
    }
    Optional<Resources> executor = left.allocate(spec.executorResources());
    if (executor.isEmpty()) {
      return Optional.empty();
    }
    for (int i = 0; i < members.size(); i++) {
      TaskRecord m = members.get(i);
      m.agentId = agentId;
      m.hostname = hostname;
      m.ports = launches.get(i).resources().ranges("ports").values();
    }
    return Optional.of(new TaskGroupLaunch(executorId(), spec.name(), executor.get(),
        spec.sharedVolumes(), launches));
  }
}
