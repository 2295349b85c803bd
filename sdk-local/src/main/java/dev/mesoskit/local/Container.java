package dev.mesoskit.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import org.apache.mesos.v1.Protos;

/**
 * One run of an executor on an agent: its sandbox, its process, its tasks. A task with only a
 * command gets a container of its own whose executor id is the task id (the built-in command
 * executor). Mutable; every field is guarded by the owning {@link LocalAgent}'s lock.
 */
final class Container {
  /** The executor's life, as Mesos' {@code Executor::State} plus the fetch before the launch. */
  enum State {
    /** Sandbox created, URIs being fetched, no process yet. */
    FETCHING,
    /** Process started, waiting for SUBSCRIBE. */
    REGISTERING,
    /** Subscribed (custom executor) or task process started (command task). */
    RUNNING,
    /** Shut down or killed; waiting for the process to exit. */
    TERMINATING,
    /** Gone. */
    TERMINATED
  }

  /** Why the container is being destroyed, when the agent decided it (Mesos' pendingTermination). */
  record Termination(Protos.TaskState state, Protos.TaskStatus.Reason reason, String message) {}

  final Protos.FrameworkID frameworkId;
  final Protos.FrameworkInfo framework;
  final Protos.ExecutorInfo executor;
  /** The task of the built-in command executor; null for a custom executor. */
  final Protos.TaskInfo commandTask;
  final Protos.ContainerID containerId;
  final Path sandbox;

  State state = State.FETCHING;
  Process process;
  /** Tasks waiting for the executor to subscribe (or for the fetch, for a command task). */
  final Map<Protos.TaskID, Protos.TaskInfo> queued = new LinkedHashMap<>();
  /** The task group of each queued task launched by LAUNCH_GROUP, delivered as one event. */
  final Map<Protos.TaskID, Integer> groupOf = new java.util.HashMap<>();
  /** Tasks sent to the executor (or started, for a command task). */
  final Map<Protos.TaskID, Protos.TaskInfo> launched = new LinkedHashMap<>();
  boolean everSentTask;
  EventStream stream;
  Termination pendingTermination;
  /** The command task was asked to die (TASK_KILLED when it exits). */
  boolean killed;
  /** The process was killed by fault injection: its tasks end as after an executor crash. */
  boolean crashed;
  ScheduledFuture<?> registrationTimer;
  ScheduledFuture<?> shutdownTimer;
  ScheduledFuture<?> killTimer;
  /** When {@link #killTimer} sends SIGKILL ({@link System#nanoTime()}); a later kill may only
   * bring it forward. */
  long killDeadlineNanos;
  ScheduledFuture<?> heartbeat;
  /** The health check and check of the command task; null without either. */
  TaskChecks checks;
  /** The command task is being killed because its health check failed. */
  boolean killedByHealthCheck;
  /** The command executor's latest update, which health and check updates start from. */
  Protos.TaskStatus lastStatus;
  /** The command task's environment, which its check commands get too. */
  Map<String, String> environment = Map.of();
  /** The podman container of a command task with an image; null for a host process. */
  String podmanName;

  Container(Protos.FrameworkID frameworkId, Protos.FrameworkInfo framework,
      Protos.ExecutorInfo executor, Protos.TaskInfo commandTask, Protos.ContainerID containerId,
      Path sandbox) {
    this.frameworkId = frameworkId;
    this.framework = framework;
    this.executor = executor;
    this.commandTask = commandTask;
    this.containerId = containerId;
    this.sandbox = sandbox;
  }

  boolean isCommandExecutor() {
    return commandTask != null;
  }

  Protos.ExecutorID executorId() {
    return executor.getExecutorId();
  }

  void cancelTimers() {
    if (checks != null) {
      checks.pause();
    }
    for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {
        registrationTimer, shutdownTimer, killTimer, heartbeat}) {
      if (timer != null) {
        timer.cancel(false);
      }
    }
    registrationTimer = null;
    shutdownTimer = null;
    killTimer = null;
    heartbeat = null;
  }

  @Override
  public String toString() {
    return "executor '" + executor.getExecutorId().getValue() + "' of framework "
        + frameworkId.getValue() + " (container " + containerId.getValue() + ")";
  }
}
