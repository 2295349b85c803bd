package dev.mesoskit.core.executor;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.LaunchedTask;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task an {@link ExecutorRuntime} launched: its handler thread, its kill deadline, the
 * throttling of its progress updates, its {@link TaskChecks} and its one terminal update.
 *
 * <p>Updates of a task with checks: {@code TASK_STARTING}, {@code TASK_RUNNING} and progress
 * updates carry the latest health verdict (none until the first) and check result (the empty one
 * until the first); health and check updates are {@code TASK_RUNNING} with their reason;
 * {@code TASK_KILLING} and terminal updates carry the empty check result and no health verdict,
 * except the {@code TASK_KILLED} of a task killed for its health ({@code healthy} false), as
 * Mesos' command executor sends them. Checks start when the task turns {@code TASK_RUNNING} and
 * stop at a kill or the task's end; no health or check update comes after either.
 *
 * <p>Threading: its state is guarded by its own monitor; it takes the runtime's lock (through the
 * runtime) and its checks' monitor only while holding its own or none, never the other way round.
 */
final class RunningTask {
  private static final Logger log = LoggerFactory.getLogger(ExecutorRuntime.class);
  private static final String REASON_HEALTH = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";
  private static final String REASON_CHECK = "REASON_TASK_CHECK_STATUS_UPDATED";

  private final ExecutorRuntime runtime;
  final LaunchedTask task;
  private final TaskContext context;
  private final TaskChecks checks;
  volatile Thread thread;
  // Guarded by this.
  private boolean ended;
  private boolean killRequested;
  private boolean killingReported;
  private boolean killedByHealthCheck;
  private String killMessage;
  private long killDeadlineNanos;
  private ScheduledFuture<?> killTimer;
  private long lastUpdateNanos;
  private String waitingProgress;
  private ScheduledFuture<?> progressTimer;

  /** Builds the task's context; fails when its id is not a valid MesosKit task id. */
  RunningTask(ExecutorRuntime runtime, LaunchedTask task) {
    this.runtime = runtime;
    this.task = task;
    this.context = new TaskContext(task, runtime.sandbox(), this::progressed);
    this.checks = new TaskChecks(task, runtime.checkThreads(), runtime.sandbox(), context.env(),
        runtime.clock(), new TaskChecks.Listener() {
          @Override
          public void healthChanged(boolean healthy, Optional<String> message,
              Optional<String> killMessage) {
            RunningTask.this.healthChanged(healthy, message, killMessage);
          }

          @Override
          public void checkChanged(CheckResult result) {
            RunningTask.this.checkChanged(result);
          }
        });
  }

  /**
   * A progress message, or null when the context turned ready (always sent at once: it changes
   * the state). A message sooner than the progress interval after the previous update waits.
   */
  private void progressed(String message) {
    synchronized (this) {
      if (message == null) { // ready: RUNNING supersedes a message still waiting from STARTING
        dropWaitingProgress();
        if (report(TaskState.RUNNING, Optional.empty(), Optional.empty()) && !killRequested) {
          checks.start();
        }
        return;
      }
      if (ended) {
        return;
      }
      long due = lastUpdateNanos + runtime.progressInterval().toNanos();
      long now = System.nanoTime();
      if (waitingProgress == null && now - due >= 0) {
        report(progressState(), Optional.of(message), Optional.empty());
        return;
      }
      waitingProgress = message;
      if (progressTimer == null) {
        try {
          progressTimer = runtime.timers().schedule(this::sendWaitingProgress, due - now,
              TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
          sendWaitingProgress();
        }
      }
    }
  }

  private TaskState progressState() {
    return context.isReady() ? TaskState.RUNNING : TaskState.STARTING;
  }

  private synchronized void dropWaitingProgress() {
    if (progressTimer != null) {
      progressTimer.cancel(false);
      progressTimer = null;
    }
    waitingProgress = null;
  }

  private synchronized void sendWaitingProgress() {
    progressTimer = null;
    String message = waitingProgress;
    waitingProgress = null;
    if (message != null) {
      report(progressState(), Optional.of(message), Optional.empty());
    }
  }

  Duration killGracePeriod() {
    return task.killGracePeriod().orElse(runtime.killGracePeriod());
  }

  void run() {
    String id = task.mesosTaskId();
    TaskState state;
    Optional<String> message = Optional.empty();
    Optional<String> reason = Optional.empty();
    try {
      if (!isKillRequested()) {
        if (runtime.handler().reportsReadiness()) {
          report(TaskState.STARTING, Optional.empty(), Optional.empty());
        } else {
          context.ready();
        }
        log.info("task started task={} name={}", id, task.name());
        runtime.handler().run(context);
      }
      state = isKillRequested() ? TaskState.KILLED : TaskState.FINISHED;
      message = isKillRequested() ? Optional.of(killMessage()) : Optional.empty();
    } catch (Throwable e) {
      if (isKillRequested()) {
        state = TaskState.KILLED;
        message = Optional.of(killMessage());
        log.debug("killed task ended with an exception task={} exception={}", id, e.toString());
      } else if (e instanceof PermanentFailure) {
        state = TaskState.FAILED;
        message = Optional.of(describe(e));
        reason = Optional.of(PermanentFailure.REASON);
        log.warn("task failed permanently task={} message={}", id, describe(e), e);
      } else {
        state = TaskState.FAILED;
        // Its type and its message: both say what broke. The SDK's own exceptions say it in
        // their message, with the context (a download's URL and why it failed).
        message = Optional.of(e instanceof MesosKitException ? describe(e) : e.toString());
        log.warn("task failed task={} message={}", id, e, e);
      }
    } finally {
      Thread.interrupted();
    }
    if (report(state, message, reason)) {
      log.info("task ended task={} state={}", id, state);
    }
    runtime.handlerEnded(Thread.currentThread());
    removeAndCheck();
  }

  synchronized boolean isKillRequested() {
    return killRequested;
  }

  synchronized String killMessage() {
    return killMessage;
  }

  /**
   * Sends an update unless the task already ended; a terminal state ends it.
   *
   * @return whether the update was sent
   */
  synchronized boolean report(TaskState state, Optional<String> message,
      Optional<String> reason) {
    if (state.endsAttempt() || state == TaskState.KILLING) {
      // As Mesos' command executor: the empty check result, and no health verdict but that of a
      // task it killed for failing its health check.
      return send(state, message, reason,
          state == TaskState.KILLED && killedByHealthCheck ? Optional.of(false) : Optional.empty(),
          Optional.empty());
    }
    return send(state, message, reason, checks.healthy(), checks.checkResult());
  }

  private synchronized boolean send(TaskState state, Optional<String> message,
      Optional<String> reason, Optional<Boolean> healthy, Optional<CheckResult> checkStatus) {
    if (ended) {
      return false;
    }
    boolean terminal = state.endsAttempt();
    if (killingReported && !terminal) {
      return false; // after TASK_KILLING only the terminal update: no RUNNING or progress
    }
    if (terminal) {
      ended = true;
      checks.stop();
      if (killTimer != null) {
        killTimer.cancel(false);
      }
      dropWaitingProgress();
    }
    lastUpdateNanos = System.nanoTime();
    // Only a finished task's update carries its result (TaskContext.result); a terminal update
    // is kept until acknowledged.
    runtime.send(task, state, message, reason,
        state == TaskState.FINISHED ? context.resultData() : Optional.empty(), healthy,
        checkStatus);
    return true;
  }

  /** A health verdict of the task's checks; none after a kill or the task's end. */
  private void healthChanged(boolean healthy, Optional<String> message,
      Optional<String> killMessage) {
    synchronized (this) {
      if (ended || killRequested) {
        return;
      }
      send(TaskState.RUNNING, message, Optional.of(REASON_HEALTH), Optional.of(healthy),
          checks.checkResult());
      if (killMessage.isEmpty()) {
        return;
      }
      killedByHealthCheck = true;
      requestKill(killGracePeriod(), killMessage.get());
    }
    cancel();
  }

  /** A new result of the task's check; none after a kill or the task's end. */
  private synchronized void checkChanged(CheckResult result) {
    if (ended || killRequested) {
      return;
    }
    send(TaskState.RUNNING, Optional.empty(), Optional.of(REASON_CHECK), checks.healthy(),
        Optional.of(result));
  }

  /** Interrupts the handler and reports KILLED when it ends or when {@code grace} passes. */
  void kill(Duration grace, String why) {
    if (requestKill(grace, why)) {
      cancel();
    }
  }

  /** Records a kill, reports TASK_KILLING and arms its deadline; false when the task ended. */
  private synchronized boolean requestKill(Duration grace, String why) {
    if (ended) {
      return false;
    }
    if (!killRequested) {
      killRequested = true;
      killMessage = why;
      checks.stop();
      log.info("killing task task={} grace_period={} why={}", task.mesosTaskId(), grace, why);
      if (runtime.frameworkUnderstandsKilling()) {
        // As Mesos' executors do for a framework with TASK_KILLING_STATE.
        dropWaitingProgress();
        report(TaskState.KILLING, Optional.empty(), Optional.empty());
        killingReported = true;
      }
    }
    long deadline = System.nanoTime() + grace.toNanos();
    if (killTimer == null || deadline - killDeadlineNanos < 0) {
      if (killTimer != null) {
        killTimer.cancel(false);
      }
      killDeadlineNanos = deadline;
      try {
        killTimer = runtime.timers().schedule(() -> giveUp(grace), grace.toNanos(),
            TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("kill after the executor stopped task={}", task.mesosTaskId());
      }
    }
    return true;
  }

  void cancel() {
    context.cancel();
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** The grace period passed and the handler still runs: report KILLED and stop waiting. */
  private void giveUp(Duration grace) {
    boolean sent = report(TaskState.KILLED, Optional.of(killMessage() + "; the task did not"
        + " stop within its kill grace period of " + grace.toMillis() + " ms and was abandoned"),
        Optional.empty());
    if (sent) {
      log.warn("task ignored the kill, abandoned task={} grace_period={}", task.mesosTaskId(),
          grace);
      removeAndCheck();
    }
  }

  /** Another LAUNCH with this task's id: fail the id once and stop this handler. */
  void refuseDuplicate() {
    synchronized (this) {
      killRequested = true;
      killMessage = "duplicate launch";
    }
    report(TaskState.FAILED, Optional.of("task " + task.mesosTaskId() + " was launched again"
        + " while it was running on this executor; the task is failed and its handler"
        + " stopped"), Optional.empty());
    cancel();
    removeAndCheck();
  }

  private void removeAndCheck() {
    runtime.removed(this);
  }

  private static String describe(Throwable e) {
    return e.getMessage() != null && !e.getMessage().isBlank() ? e.getMessage() : e.toString();
  }
}
