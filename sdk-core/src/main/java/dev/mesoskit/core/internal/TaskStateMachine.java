package dev.mesoskit.core.internal;

import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task state machine: moves each {@link TaskRecord} through its attempts on the status
 * updates Mesos sends and on kill requests. Acknowledges every update, adopts what an earlier
 * scheduler run launched, kills attempts that run on after they were replaced, retries ended
 * attempts as the task's {@link dev.mesoskit.core.RetryPolicy} says and completes each task with
 * exactly one outcome. Its {@link Deadlines} end tasks not placed in time and kill attempts that
 * run too long. Holds no state of its own beyond the records.
 *
 * <p>Threading: event thread only.
 */
final class TaskStateMachine {
  /** The start of Mesos' TASK_ERROR message for a task id the framework used already. */
  private static final String DUPLICATE_ID = "Task has duplicate ID: ";

  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final EventLoop loop;
  private final OfferRound offerRound;
  private final Reconciler reconciler;
  private final Deadlines deadlines;
  /** Updates received that need an acknowledgement and have not had it yet. Any thread. */
  private final AtomicInteger unacknowledged = new AtomicInteger();
  /** Set once the framework terminated: no update is acknowledged or counted any more. */
  private volatile boolean stoppedAcknowledging;
  /** The count the observers last heard of. Event thread. */
  private int reportedUnacknowledged;

  /**
   * Creates the state machine.
   *
   * @param config the backend, the clock, the jitter source and the kill resend backoffs
   * @param runtime the tasks, the lifecycle and the listeners
   * @param loop where retries and kill resends are scheduled
   * @param offerRound asked for offers when a task becomes launchable again
   * @param reconciler told of answered and ended tasks, and asked about held ones
   */
  TaskStateMachine(RuntimeConfig config, FrameworkRuntime runtime, EventLoop loop,
      OfferRound offerRound, Reconciler reconciler) {
    this.config = config;
    this.runtime = runtime;
    this.loop = loop;
    this.offerRound = offerRound;
    this.reconciler = reconciler;
    this.deadlines = new Deadlines(config, loop, this, offerRound);
  }

  /**
   * A pending task may be launched from now on: its placement clock starts. A task (with its
   * pod's) whose role the framework no longer has ends FAILED instead: nothing would offer it
   * resources.
   */
  void placeable(TaskRecord r) {
    String removed = TaskRoles.removed(r.spec, runtime.info());
    if (removed != null) {
      roleRemoved(r, removed);
      return;
    }
    deadlines.placeable(r);
  }

  /** Ends a pending task, with its pod's, whose role was removed from the framework. */
  void roleRemoved(TaskRecord r, String why) {
    for (TaskRecord m : runtime.pods().withPod(r.id)) {
      if (!m.done) {
        finishTask(m, TaskState.FAILED, why, null);
      }
    }
  }

  /** Kills a task because another of its pod ended in a way that leaves the rest running. */
  void killWithPod(TaskRecord r) {
    r.killedWithPod = true;
    sendKill(r, config.reconcileInitial());
  }

  /** A task (with its pod's) was not placed within its placement timeout: FAILED, not retried. */
  void notPlaced(TaskRecord r, String message) {
    for (TaskRecord m : runtime.pods().withPod(r.id)) {
      if (!m.done) {
        finishTask(m, TaskState.FAILED, message, null);
      }
    }
  }

  /** An attempt ran past its timeout: kill it; its end then counts as a failed attempt. */
  void timedOut(TaskRecord r, Duration timeout) {
    r.timedOutAfter = timeout;
    r.message = "timed out after " + timeout + ", killing the attempt";
    log.info("task timed out, killing it task={} mesos_task={} timeout={}", r.id, r.mesosTaskId(),
        timeout);
    runtime.publish(r);
    sendKill(r, config.reconcileInitial());
  }

  /** Kills a task: a pending one ends at once, a launched one is killed until Mesos confirms. */
  void onKill(TaskId id, Optional<Duration> gracePeriod) {
    TaskRecord r = runtime.record(id);
    if (r == null || r.done) {
      return;
    }
    List<TaskRecord> fate = runtime.pods().withPod(r.id);
    if (r.state == TaskState.PENDING && fate.stream().anyMatch(m -> m.held && !m.done)) {
      // It may run (an earlier scheduler run launched it, or its pod): killed once the master
      // says it runs, ended at once when the master says it does not.
      for (TaskRecord m : fate) {
        if (!m.done) {
          m.killRequested = true;
          m.killGracePeriod = gracePeriod.orElse(m.killGracePeriod);
          runtime.killing(m);
          runtime.journal().changed(m);
        }
      }
      log.info("task kill requested while the master is asked whether it runs task={}", r.id);
      runtime.journal().flush(); // durable: a scheduler that takes over kills it too
      return;
    }
    if (r.state == TaskState.PENDING) {
      for (TaskRecord m : runtime.pods().withPod(r.id)) { // a pod is never launched in part
        if (!m.done) {
          finishTask(m, TaskState.KILLED, "killed on request before launch"
              + (m == r ? "" : " with task " + r.id + " of its pod"), null);
        }
      }
      return;
    }
    r = runtime.pods().killTarget(r);
    r.killRequested = true;
    if (gracePeriod.isPresent()) {
      r.killGracePeriod = gracePeriod.get();
    }
    log.info("task kill requested task={} mesos_task={} grace_period={}", r.id, r.mesosTaskId(),
        r.killGracePeriod == null ? "task's" : r.killGracePeriod);
    runtime.killing(r);
    runtime.journal().changed(r);
    runtime.journal().flush(); // durable before the KILL: a scheduler that takes over kills too
    sendKill(r, config.reconcileInitial());
  }

  private void sendKill(TaskRecord r, Duration nextResend) {
    if (r.done || !(r.killRequested || r.timedOutAfter != null
        || (r.killedWithPod && r.attemptEnding == null)) || !r.launched()) {
      return;
    }
    if (r.killRequested && r.killGracePeriod != null) {
      config.backend().kill(r.mesosTaskId(), r.agentId, r.killGracePeriod);
    } else {
      config.backend().kill(r.mesosTaskId(), r.agentId);
    }
    int attempt = r.attempt;
    Duration next = min(nextResend.multipliedBy(2), config.reconcileMax());
    loop.schedule(() -> {
      if (r.attempt == attempt) {
        sendKill(r, next);
      }
    }, nextResend);
  }

  /**
   * An update arrived from the backend and is about to be queued: counts it while it waits for
   * its acknowledgement. Any thread.
   *
   * @return whether it needs an acknowledgement, for {@link #onUpdate}
   */
  boolean received(TaskStatus s) {
    boolean needsAck = needsAck(s);
    if (needsAck && !runtime.stopped()) {
      unacknowledged.incrementAndGet();
    }
    return needsAck;
  }

  /**
   * Applies a status update, then acknowledges it unless the framework stopped meanwhile.
   *
   * @param needsAck what {@link #received} said of it
   */
  void onUpdate(TaskStatus s, boolean needsAck) {
    if (needsAck) {
      reportUnacknowledged(unacknowledged.get());
    }
    try {
      applyUpdate(s);
    } finally {
      if (needsAck) {
        try {
          // What the update changed is durable before Mesos may forget it: an acknowledged
          // terminal update is not sent again, not even to the next scheduler.
          runtime.journal().flush();
          if (!runtime.stopped()) {
            config.backend().acknowledge(s.agentId().get(), s.mesosTaskId(), s.uuid().get());
          }
        } finally {
          if (!stoppedAcknowledging) {
            // (the update that ended the last task may have torn the framework down: from then
            // on nothing is outstanding, see stoppedAcknowledging)
            reportUnacknowledged(unacknowledged.decrementAndGet());
          }
        }
      }
    }
  }

  /**
   * The framework terminated: updates still queued are dropped unacknowledged, so none is
   * outstanding any more; the observers hear 0 once, if they heard more. Event thread, or the
   * closing thread once the event loop takes no more work.
   */
  void stoppedAcknowledging() {
    stoppedAcknowledging = true;
    unacknowledged.set(0);
    reportUnacknowledged(0);
  }

  private static boolean needsAck(TaskStatus s) {
    return s.uuid().isPresent() && s.agentId().isPresent();
  }

  private void reportUnacknowledged(int now) {
    if (now != reportedUnacknowledged) {
      reportedUnacknowledged = now;
      runtime.observers().acknowledgementsOutstanding(now);
    }
  }

  private void applyUpdate(TaskStatus s) {
    int dot = s.mesosTaskId().lastIndexOf('.');
    TaskRecord found = null;
    int attempt = -1;
    if (dot > 0) {
      try {
        attempt = Integer.parseInt(s.mesosTaskId().substring(dot + 1));
        found = runtime.record(TaskId.of(s.mesosTaskId().substring(0, dot)));
      } catch (IllegalArgumentException e) {
        found = null;
      }
    }
    applyUpdate(found, attempt, s);
    if (found != null) {
      runtime.pods().settle(found); // a pod failing over, once every task of it answered
    }
  }

  private void applyUpdate(TaskRecord r, int attempt, TaskStatus s) {
    if (r == null) {
      log.info("update for unknown task ignored mesos_task={} state={}", s.mesosTaskId(),
          s.state());
      return;
    }
    if (r.state == TaskState.PENDING && !r.done && attempt > r.attempt
        && !s.state().endsAttempt() && runtime.failover()) {
      log.debug("a later attempt launched by an earlier scheduler run answered task={}"
          + " attempt={}", r.id, attempt);
      r.attempt = attempt;
    }
    if (attempt != r.attempt || r.done) {
      // Alive after it was replaced, or after an ending that did not prove it stopped (e.g. an
      // UNREACHABLE last attempt, or one killed on request): kill it, or it runs on unseen.
      boolean mayRun = attempt < r.attempt || (attempt == r.attempt && r.attemptEnding != null
          && !r.attemptEnding.isOutcome());
      if (!s.state().endsAttempt() && mayRun) {
        log.warn("replaced or ended attempt is alive, killing it task={} mesos_task={} state={}",
            r.id, s.mesosTaskId(), s.state());
        config.backend().kill(s.mesosTaskId(), s.agentId().orElse(null));
      } else {
        log.debug("stale update ignored task={} mesos_task={} state={}", r.id, s.mesosTaskId(),
            s.state());
      }
      return;
    }
    if (r.state == TaskState.PENDING) {
      // The current attempt was never launched by this scheduler instance.
      if (s.state().endsAttempt()) {
        if (r.held && s.state() == TaskState.FINISHED) {
          // An earlier run launched this attempt and it finished while no scheduler was there:
          // the work is done, so its end is this task's outcome, not a reason to run it again.
          r.held = false;
          logAdoption("adopting the outcome of a task launched by an earlier scheduler run", r, s);
          runtime.pending().remove(r.id);
        } else if (r.held && r.killRequested && runtime.pods().of(r.id) == null) {
          r.held = false;
          reconciler.forget(r.id);
          finishTask(r, TaskState.KILLED, "killed on request; the master says the attempt "
              + (s.state() == TaskState.UNKNOWN ? "never ran" : "ended " + s.state()), null);
          return;
        } else if (r.held) {
          r.held = false;
          reconciler.forget(r.id);
          if (s.state() != TaskState.UNKNOWN && s.state() != TaskState.LOST) {
            // An earlier run launched this Mesos task id and the master still knows it (e.g.
            // ended but not acknowledged): launching the same id again is a duplicate.
            r.attempt = attempt + 1;
          }
          if (runtime.pods().heldMemberNotRunning(r, s.state())) {
            return; // its pod is relaunched or ended once every task of it answered: see Pods
          }
          log.debug("held task is not running, releasing it task={} answer={}", r.id, s.state());
          placeable(r);
          offerRound.wantOffers();
          return;
        } else {
          log.debug("update for an attempt not launched ignored task={} state={}", r.id,
              s.state());
          return;
        }
      } else {
        r.held = false;
        r.heldAnswer = null; // a later attempt of a pod's task answered: it runs after all
        logAdoption("adopting a task launched by an earlier scheduler run", r, s);
        runtime.pending().remove(r.id);
        if (r.killRequested) {
          TaskRecord adopted = r; // killed as asked, once this update made it launched
          loop.enqueue(() -> sendKill(adopted, config.reconcileInitial()));
        }
      }
    }
    reconciler.forget(r.id);
    s.agentId().ifPresent(a -> r.agentId = a);
    if (s.state() == TaskState.FINISHED) {
      r.result = s.data().orElse(null); // what the executor attached: the task's result
    }
    if (!s.state().endsAttempt()) {
      boolean stale = s.state().rank() < r.state.rank();
      boolean checked = !stale && recordChecks(r, s);
      boolean sameState = s.state() == r.state
          && (s.reason().filter("REASON_RECONCILIATION"::equals).isPresent()
              || Objects.equals(s.message().orElse(null), r.message));
      if (stale || sameState) {
        if (checked) {
          // A check result, not a change of state: told to onHealthChanged alone.
          runtime.publishHealth(r, null);
        } else {
          log.debug("duplicate or stale update ignored task={} state={} current={}", r.id,
              s.state(), r.state);
        }
        return;
      }
      r.state = s.state();
      r.message = s.message().orElse(null);
      r.reason = s.reason().orElse(null);
      if (s.state() == TaskState.RUNNING && r.runningSince == null) {
        r.runningSince = config.clock().instant();
        deadlines.running(r);
      }
      if (log.isInfoEnabled()) {
        log.info("task {} task={} attempt={}", s.state(), r.id, r.attempt);
      }
      Task snapshot = runtime.publish(r);
      if (checked) {
        runtime.publishHealth(r, snapshot);
      }
      return;
    }
    String reason = s.reason().orElse(null);
    String message = s.message().orElse(null);
    if (s.state() == TaskState.ERROR && message != null
        && message.startsWith(DUPLICATE_ID + s.mesosTaskId())
        && !"SOURCE_EXECUTOR".equals(s.source().orElse(null)) && !r.killRequested) {
      // A run of this scheduler that was killed before it learned of its launch used this Mesos
      // id: the master still holds that task, running or ended. Ask about it and take it over
      // as a failing-over run does: running is adopted, FINISHED is the outcome, another end
      // moves on to the next id.
      log.info("Mesos id already used by an earlier scheduler run, reconciling it task={}"
          + " mesos_task={}", r.id, s.mesosTaskId());
      r.state = TaskState.PENDING;
      r.agentId = null;
      r.hostname = null;
      r.ports = List.of();
      r.held = true;
      runtime.pending().add(r.id);
      runtime.publish(r);
      reconciler.queueHeldReconciliation();
      return;
    }
    if (runtime.pods().memberEnded(r, s.state(), message, reason, s.source().orElse(null))) {
      return; // a pod's task: the pod's attempt ends when all of its tasks' did
    }
    r.attemptEnding = s.state();
    if (r.timedOutAfter != null && !r.killRequested && s.state() != TaskState.FINISHED
        && s.state() != TaskState.ERROR) {
      // Killed (or ended otherwise) after its timeout: a failed attempt, whatever Mesos said.
      String timedOut = "timed out after " + r.timedOutAfter;
      attemptEnded(r, TaskState.FAILED, timedOut, null, timedOut, timedOut);
      return;
    }
    if (s.state() == TaskState.KILLED && !r.killRequested
        && s.healthy().filter(h -> !h).isPresent()) {
      // Its executor killed it for failing its health check: a death like any other, retried.
      r.healthy = false;
      String unhealthy = "killed as unhealthy: " + (message == null ? "no message" : message);
      attemptEnded(r, TaskState.FAILED, unhealthy, reason, unhealthy, unhealthy);
      return;
    }
    switch (s.state()) {
      case FINISHED -> ended(finishTask(r, TaskState.FINISHED, message, reason));
      case KILLED -> ended(finishTask(r, TaskState.KILLED, message, reason));
      case ERROR -> ended(finishTask(r, TaskState.ERROR, message, reason));
      default -> attemptFailed(r, s.state(), message, reason);
    }
  }

  /**
   * Records the health verdict and check result an update of the current attempt carries.
   *
   * @return whether either changed
   */
  private static boolean recordChecks(TaskRecord r, TaskStatus s) {
    boolean changed = false;
    if (s.healthy().isPresent() && !s.healthy().get().equals(r.healthy)) {
      r.healthy = s.healthy().get();
      changed = true;
    }
    if (s.checkStatus().isPresent() && !s.checkStatus().get().equals(r.check)) {
      r.check = s.checkStatus().get();
      changed = true;
    }
    if (changed) {
      log.info("task checks changed task={} attempt={} healthy={} check={}", r.id, r.attempt,
          r.healthy == null ? "unknown" : r.healthy, r.check == null ? "none" : r.check);
    }
    return changed;
  }

  private void attemptFailed(TaskRecord r, TaskState state, String message, String reason) {
    String what = state.toMesos() + (reason == null ? "" : " (" + reason + ")")
        + (message == null ? "" : ": " + message);
    attemptEnded(r, state, message, reason, "ended " + what, what);
  }

  /**
   * Retries an attempt that failed, or fails the task.
   *
   * @param ended how the attempt ended, after "attempt 2 ": {@code "ended TASK_FAILED: boom"}
   * @param what the same after "failed after 2 attempts: ": {@code "TASK_FAILED: boom"}
   */
  private void attemptEnded(TaskRecord r, TaskState state, String message, String reason,
      String ended, String what) {
    if (r.killRequested) {
      Task endedAttempt = attemptSnapshot(r, state, message, reason);
      finishTask(r, TaskState.KILLED, "killed on request; the attempt " + ended, reason);
      ended(endedAttempt);
      return;
    }
    log.info("task attempt ended task={} attempt={} state={} reason={} message={}", r.id,
        r.attempt, state, reason, message);
    if (r.policy.retries(r.attempt, state, reason)) {
      // Listeners see how the attempt ended, then the retry; a final failure shows once, as FAILED.
      r.state = state;
      r.message = message;
      r.reason = reason;
      Task endedAttempt = runtime.publish(r);
      if (r.runningSince != null && !Duration.between(r.runningSince, config.clock().instant())
          .minus(r.policy.maxBackoff()).isNegative()) {
        r.backoffStep = 1; // it ran as long as the longest backoff: a fresh start, not a crash loop
      }
      Duration delay = r.policy.backoff(r.backoffStep++, config.random().nextDouble());
      r.nextAttempt();
      r.message = "attempt " + (r.attempt - 1) + " " + ended + "; attempt " + r.attempt
          + (r.policy.unlimitedAttempts() ? "" : " of " + r.policy.maxAttempts()) + " after "
          + delay.toMillis() + " ms";
      r.notBefore = config.clock().instant().plus(delay);
      runtime.pending().add(r.id);
      runtime.publish(r);
      ended(endedAttempt);
      runtime.observers().retrying(endedAttempt, delay);
      int attempt = r.attempt;
      loop.schedule(() -> {
        if (r.attempt == attempt && !r.done) {
          r.notBefore = null;
          deadlines.placeable(r);
          offerRound.wantOffers();
        }
      }, delay);
    } else {
      int attempts = r.attempt;
      Task endedAttempt = attemptSnapshot(r, state, message, reason);
      finishTask(r, TaskState.FAILED,
          "failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + what,
          reason);
      ended(endedAttempt);
    }
  }

  /**
   * How an attempt ended, for the observers, as a snapshot that is not published: the task's
   * outcome (FAILED after the last attempt, KILLED on request) is not how its attempt ended.
   */
  private Task attemptSnapshot(TaskRecord r, TaskState state, String message, String reason) {
    r.state = state;
    r.message = message;
    r.reason = reason;
    return r.snapshot(config.clock().instant());
  }

  /** Tells the observers that a launched attempt ended, as {@code snapshot} shows. */
  void ended(Task snapshot) {
    runtime.observers().attemptEnded(snapshot);
  }

  /**
   * Gives a task its outcome.
   *
   * @return the outcome's snapshot
   */
  Task finishTask(TaskRecord r, TaskState outcome, String message, String reason) {
    r.state = outcome;
    r.done = true;
    r.message = message;
    r.reason = reason;
    runtime.pending().remove(r.id);
    reconciler.forget(r.id);
    log.info("task outcome task={} state={} attempts={} message={}", r.id, outcome, r.attempt,
        message);
    // Durable before anyone hears it: a scheduler that takes over must not run it again.
    runtime.journal().changed(r);
    runtime.journal().flush();
    Task snapshot = runtime.publish(r);
    r.outcome.complete(snapshot);
    runtime.drainIfFinishing();
    return snapshot;
  }

  /** Logs, once per adopted attempt, what was adopted, its state and the status' time. */
  private static void logAdoption(String what, TaskRecord r, TaskStatus s) {
    // Backends give Instant.EPOCH when the master's status carried no timestamp.
    Instant at = s.timestamp();
    log.info("{} task={} mesos_task={} state={} agent={} status_time={}", what, r.id,
        s.mesosTaskId(), s.state(), s.agentId().orElse("unknown"),
        Instant.EPOCH.equals(at) ? "unknown" : at);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
