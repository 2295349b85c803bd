package dev.mesoskit.core.internal;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The mutable state of one task; owned by the event thread. */
final class TaskRecord {
  final TaskId id;
  /** Replaced when a recovered task is submitted again with another spec (later attempts). */
  TaskSpec spec;
  RetryPolicy policy;
  final Instant submittedAt;
  final CompletableFuture<Task> outcome;

  int attempt = 1;
  TaskState state = TaskState.PENDING;
  boolean done;
  boolean killRequested;
  /** The grace period of the requested kill ({@code Call.Kill.kill_policy}); null for the task's. */
  java.time.Duration killGracePeriod;
  String agentId;
  String hostname;
  List<Long> ports = List.of();
  String message;
  String reason;
  /** The data of the TASK_FINISHED update that ended the task: its result; null without. */
  byte[] result;
  /** When the current attempt may be launched; null when it may be launched now. */
  Instant notBefore;
  /**
   * Held back from launching until the master answers a reconciliation for it: after a failover,
   * an earlier run of the scheduler may have launched it already.
   */
  boolean held;
  /**
   * The Mesos state that ended the current attempt; null while it lives or before its launch. An
   * ending that is no outcome (UNREACHABLE, LOST, ...) does not prove the task stopped.
   */
  TaskState attemptEnding;
  /** When the current attempt was first seen RUNNING; null before that. */
  Instant runningSince;
  /** The attempt number the next retry's backoff is computed for; 1 again after a healthy run. */
  int backoffStep = 1;
  /** Why the packing strategy last left the current attempt unplaced; null when not known. */
  String unplacedReason;
  /** The last unplaced reason logged at WARN, for any attempt: logged again when it changes. */
  String warnedReason;
  /** Counts the starts of the placement clock: a deadline of an earlier start is void. */
  int placementClock;
  /** When the current attempt's placement clock started; null when it does not run. */
  Instant placementSince;
  /** The timeout the current attempt ran past and is being killed for; null otherwise. */
  Duration timedOutAfter;
  /** The task as packing strategies see it, with its role; made once, by {@code TaskRoles}. */
  dev.mesoskit.core.spi.PendingTask pendingTask;
  /**
   * Being killed because another task of its pod ended through the master (or an ending Mesos'
   * default executor does not answer by killing the rest); reset with the next attempt.
   */
  boolean killedWithPod;
  /**
   * What the master answered for this held task of a pod whose attempt does not run, while other
   * tasks of the pod still wait for their answers; null otherwise. See {@code Pods#settle}.
   */
  TaskState heldAnswer;
  /** The current attempt's latest health verdict ({@code TaskStatus.healthy}); null before one. */
  Boolean healthy;
  /** The current attempt's latest check result ({@code TaskStatus.check_status}); null before. */
  CheckResult check;

  TaskRecord(TaskId id, TaskSpec spec, RetryPolicy policy, Instant submittedAt,
      CompletableFuture<Task> outcome) {
    this.id = id;
    this.spec = spec;
    this.policy = policy;
    this.submittedAt = submittedAt;
    this.outcome = outcome;
  }

  /** The task id of the current attempt as Mesos sees it: {@code id.attempt}. */
  String mesosTaskId() {
    return mesosTaskId(id, attempt);
  }

  static String mesosTaskId(TaskId id, int attempt) {
    return id.value() + "." + attempt;
  }

  /** Moves to the next attempt: pending again, with no agent, host or ports. */
  void nextAttempt() {
    runningSince = null;
    timedOutAfter = null;
    killedWithPod = false;
    healthy = null;
    check = null;
    unplacedReason = null;
    placementSince = null;
    attempt++;
    attemptEnding = null;
    state = TaskState.PENDING;
    agentId = null;
    hostname = null;
    ports = List.of();
  }

  /** Whether the current attempt was handed to Mesos and has not ended. */
  boolean launched() {
    return !done && state != TaskState.PENDING;
  }

  /** Whether the task waits for an offer now (not held, not backing off). */
  boolean due(Instant now) {
    return state == TaskState.PENDING && !done && !held
        && (notBefore == null || !notBefore.isAfter(now));
  }

  /** Whether reconciliation should ask about the current attempt. */
  boolean reconcilable() {
    return launched() || (held && !done);
  }

  Task snapshot(Instant now) {
    return new Task(id, spec.name(), state, attempt, done, Optional.ofNullable(agentId),
        Optional.ofNullable(hostname), ports, Optional.ofNullable(message),
        Optional.ofNullable(reason), submittedAt, now, Optional.ofNullable(result),
        Optional.ofNullable(healthy), Optional.ofNullable(check));
  }
}
