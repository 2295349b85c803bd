package dev.mesoskit.core.internal;

import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.spi.ReconcileTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciliation with the master: holds the tasks still awaiting an answer, the round generation
 * that retires the rounds of an earlier subscription, and the implicit reconciliation timer. Asks
 * explicitly about every launched or held task after each (re)subscription, with backoff until
 * each one answered, and implicitly about all of them on a fixed period.
 *
 * <p>Threading: event thread only, except {@link #stop()}, which the runtime calls as it
 * terminates.
 */
final class Reconciler {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final EventLoop loop;
  private final Set<TaskId> awaitingReconcile = new HashSet<>();
  private boolean heldReconcileQueued;
  private int reconcileGeneration;
  private ScheduledFuture<?> implicitReconcile;

  /**
   * Creates a reconciler that asks nothing yet.
   *
   * @param config the backend and the backoffs
   * @param runtime the tasks and the subscription
   * @param loop where rounds and the implicit timer run
   */
  Reconciler(RuntimeConfig config, FrameworkRuntime runtime, EventLoop loop) {
    this.config = config;
    this.runtime = runtime;
    this.loop = loop;
  }

  /**
   * Starts explicit reconciliation on a (re)subscription, after an implicit one when the run
   * fails over, and the implicit timer on the first subscription.
   *
   * @param failover whether the run started with a stored framework id
   */
  void subscribed(boolean failover) {
    if (failover) {
      // An earlier run may have launched tasks of any attempt: learn every running task first.
      // The master answers calls in order, so these answers come before the explicit ones.
      config.backend().reconcile(List.of());
    }
    startExplicitReconciliation();
    if (implicitReconcile == null) {
      implicitReconcile = loop.scheduleWithFixedDelay(
          this::implicitReconcile, config.implicitReconcileInterval());
    }
  }

  /** Retires the rounds running: the next subscription starts its own. */
  void disconnected() {
    reconcileGeneration++;
  }

  /** Retires the rounds running and cancels the implicit timer. */
  void stop() {
    reconcileGeneration++;
    if (implicitReconcile != null) {
      implicitReconcile.cancel(false);
    }
  }

  /** Stops asking about a task: it answered, or it has its outcome. */
  void forget(TaskId id) {
    awaitingReconcile.remove(id);
  }

  /** Asks the master, in one call, about every held task not asked about yet. */
  void queueHeldReconciliation() {
    if (heldReconcileQueued || !runtime.subscribed()) {
      return;
    }
    heldReconcileQueued = true;
    loop.enqueue(() -> {
      heldReconcileQueued = false;
      List<ReconcileTask> ask = new ArrayList<>();
      for (TaskId id : runtime.pending()) {
        TaskRecord r = runtime.record(id);
        if (r.held && awaitingReconcile.add(r.id)) {
          ask.add(new ReconcileTask(r.mesosTaskId(), Optional.empty()));
        }
      }
      if (!ask.isEmpty()) {
        log.info("reconciling held tasks count={}", ask.size());
        config.backend().reconcile(ask);
      }
    });
  }

  private void startExplicitReconciliation() {
    int generation = ++reconcileGeneration;
    awaitingReconcile.clear();
    for (TaskRecord r : runtime.records()) {
      if (r.reconcilable()) {
        awaitingReconcile.add(r.id);
      }
    }
    if (awaitingReconcile.isEmpty()) {
      return;
    }
    reconcileRound(generation, config.reconcileInitial());
  }

  private void reconcileRound(int generation, Duration backoff) {
    if (generation != reconcileGeneration || !runtime.subscribed()) {
      return;
    }
    List<ReconcileTask> ask = new ArrayList<>();
    for (TaskId id : awaitingReconcile) {
      TaskRecord r = runtime.record(id);
      if (r.reconcilable()) {
        ask.add(new ReconcileTask(r.mesosTaskId(), Optional.ofNullable(r.agentId)));
      }
    }
    if (ask.isEmpty()) {
      awaitingReconcile.clear();
      return;
    }
    log.info("reconciling tasks count={} next_check={}", ask.size(), backoff);
    config.backend().reconcile(ask);
    Duration next = min(backoff.multipliedBy(2), config.reconcileMax());
    loop.schedule(() -> reconcileRound(generation, next), backoff);
  }

  private void implicitReconcile() {
    if (runtime.subscribed()) {
      log.debug("implicit reconciliation");
      config.backend().reconcile(List.of());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
