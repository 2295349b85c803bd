package dev.mesoskit.core;

/**
 * The state of a task as the user sees it: every Mesos task state, plus {@link #PENDING} for a
 * task that waits for an offer or for its retry backoff.
 *
 * <p>A task ends in exactly one <em>outcome</em> ({@link #isOutcome()}): {@link #FINISHED},
 * {@link #FAILED} (after its retries), {@link #KILLED} (on request) or {@link #ERROR} (a spec
 * Mesos refuses). The other terminal Mesos states ({@link #LOST}, {@link #DROPPED},
 * {@link #GONE}, {@link #GONE_BY_OPERATOR}), and {@link #UNREACHABLE} and {@link #UNKNOWN}
 * (not terminal in Mesos: the task may come back), end one attempt for MesosKit; the task is then
 * retried under its {@link RetryPolicy} or ends as {@link #FAILED}, and an old attempt that comes
 * back is killed.
 *
 * <p>{@link #fromMesos(String)} maps every Mesos {@code TaskState} name explicitly.
 */
public enum TaskState {
  /** Submitted, waiting for an offer that fits or for the backoff before its next attempt. */
  PENDING(0),
  /** Launched on an agent; the executor has not started it yet ({@code TASK_STAGING}). */
  STAGING(1),
  /** The executor is starting the task ({@code TASK_STARTING}). */
  STARTING(2),
  /** The task runs ({@code TASK_RUNNING}). */
  RUNNING(3),
  /** The executor is killing the task ({@code TASK_KILLING}). */
  KILLING(4),
  /** Outcome: the task completed successfully ({@code TASK_FINISHED}). */
  FINISHED(5),
  /** The attempt failed ({@code TASK_FAILED}); as an outcome, the task failed after its retries. */
  FAILED(5),
  /** Outcome: the task was killed ({@code TASK_KILLED}). */
  KILLED(5),
  /** Outcome: Mesos refused the task description ({@code TASK_ERROR}); never retried. */
  ERROR(5),
  /** The attempt was lost ({@code TASK_LOST}); retried. */
  LOST(5),
  /** The launch never reached the agent ({@code TASK_DROPPED}); retried. */
  DROPPED(5),
  /** The agent is partitioned away ({@code TASK_UNREACHABLE}); the attempt is replaced. */
  UNREACHABLE(5),
  /** The agent is gone for good ({@code TASK_GONE}); retried. */
  GONE(5),
  /** An operator marked the agent gone ({@code TASK_GONE_BY_OPERATOR}); retried. */
  GONE_BY_OPERATOR(5),
  /** The master does not know the task ({@code TASK_UNKNOWN}); retried. */
  UNKNOWN(5);

  private final int rank;

  TaskState(int rank) {
    this.rank = rank;
  }

  /**
   * Maps a Mesos {@code TaskState} name ({@code TASK_RUNNING}) to the SDK state.
   *
   * @param mesosName the enum constant name of {@code org.apache.mesos.v1.Protos.TaskState}
   * @return the SDK state
   * @throws IllegalArgumentException for a name Mesos does not define
   */
  public static TaskState fromMesos(String mesosName) {
    return switch (mesosName) {
      case "TASK_STAGING" -> STAGING;
      case "TASK_STARTING" -> STARTING;
      case "TASK_RUNNING" -> RUNNING;
      case "TASK_KILLING" -> KILLING;
      case "TASK_FINISHED" -> FINISHED;
      case "TASK_FAILED" -> FAILED;
      case "TASK_KILLED" -> KILLED;
      case "TASK_ERROR" -> ERROR;
      case "TASK_LOST" -> LOST;
      case "TASK_DROPPED" -> DROPPED;
      case "TASK_UNREACHABLE" -> UNREACHABLE;
      case "TASK_GONE" -> GONE;
      case "TASK_GONE_BY_OPERATOR" -> GONE_BY_OPERATOR;
      case "TASK_UNKNOWN" -> UNKNOWN;
      default -> throw new IllegalArgumentException("unknown Mesos task state '" + mesosName + "'");
    };
  }

  /**
   * Returns the Mesos {@code TaskState} name of this state.
   *
   * @return e.g. {@code TASK_RUNNING}
   * @throws IllegalStateException for {@link #PENDING}, which Mesos does not have
   */
  public String toMesos() {
    if (this == PENDING) {
      throw new IllegalStateException("PENDING has no Mesos task state");
    }
    return "TASK_" + name();
  }

  /**
   * Returns whether this state ends a task's current attempt: every state Mesos calls terminal,
   * and {@link #UNREACHABLE}, which MesosKit replaces with a new attempt.
   *
   * @return true when no more updates for the attempt are expected
   */
  public boolean endsAttempt() {
    return rank == 5;
  }

  /**
   * Returns whether this state can be a task's final outcome.
   *
   * @return true for FINISHED, FAILED, KILLED and ERROR
   */
  public boolean isOutcome() {
    return this == FINISHED || this == FAILED || this == KILLED || this == ERROR;
  }

  /**
   * Orders the live states of one attempt: an update whose rank is lower than the current one is
   * stale (Mesos delivers updates at least once and out of order across failover).
   *
   * @return 0 for PENDING up to 5 for the states that end an attempt
   */
  public int rank() {
    return rank;
  }
}
