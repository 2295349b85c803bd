package dev.mesoskit.core.internal;

import dev.mesoskit.core.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The deadlines of tasks: how long an attempt may wait for an offer that fits (the placement
 * timeout, the task's or the framework's) and how long it may run once RUNNING (the task's
 * timeout). Each deadline is a timer on the event loop; one that fires after its attempt moved on
 * (launched, ended, retried) does nothing. What happens then is the state machine's: a task not
 * placed in time ends FAILED, an attempt that ran too long is killed.
 *
 * <p>Threading: event thread only.
 */
final class Deadlines {
  private final RuntimeConfig config;
  private final EventLoop loop;
  private final TaskStateMachine stateMachine;
  private final OfferRound offerRound;

  /**
   * Creates the deadlines of a state machine.
   *
   * @param config the clock and the framework's placement timeout
   * @param loop where the timers run
   * @param stateMachine what ends or kills a task whose deadline passed
   * @param offerRound when offers last came, to explain a task that never saw one
   */
  Deadlines(RuntimeConfig config, EventLoop loop, TaskStateMachine stateMachine,
      OfferRound offerRound) {
    this.config = config;
    this.loop = loop;
    this.stateMachine = stateMachine;
    this.offerRound = offerRound;
  }

  /**
   * Starts the placement clock of the task's current attempt: it may be launched from now on.
   *
   * @param r a pending task that is neither held nor backing off
   */
  void placeable(TaskRecord r) {
    r.placementClock++;
    r.placementSince = config.clock().instant();
    Optional<Duration> timeout = r.spec.placementTimeout().or(config::placementTimeout);
    if (timeout.isEmpty()) {
      return;
    }
    int clock = r.placementClock;
    loop.schedule(() -> placementExpired(r, clock, timeout.get()), timeout.get());
  }

  /**
   * Starts the run clock of the task's current attempt, when its spec has a timeout: the attempt
   * was first seen RUNNING (launched by this run, or adopted from an earlier one).
   *
   * @param r a launched task
   */
  void running(TaskRecord r) {
    Optional<Duration> timeout = r.spec.timeout();
    if (timeout.isEmpty()) {
      return;
    }
    int attempt = r.attempt;
    loop.schedule(() -> {
      if (r.attempt == attempt && r.launched() && !r.killRequested && r.timedOutAfter == null) {
        stateMachine.timedOut(r, timeout.get());
      }
    }, timeout.get());
  }

  private void placementExpired(TaskRecord r, int clock, Duration timeout) {
    if (r.placementClock != clock || r.done || r.held || r.state != TaskState.PENDING) {
      return;
    }
    String why = r.unplacedReason;
    if (why == null) {
      Instant offers = offerRound.lastOffersAt();
      why = offers == null || offers.isBefore(r.placementSince)
          ? "no offer was received"
          : "the packing strategy gave no reason";
    }
    stateMachine.notPlaced(r, "not placed within " + timeout + ": " + why);
  }
}
