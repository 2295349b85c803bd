package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Task;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A finishing framework's end: once every task submitted has its outcome (and this instance
 * leads, so that it knows them all), the framework is torn down, its state store cleared, and it
 * terminates; a failed teardown keeps the id for a rerun to tear down.
 *
 * <p>Threading: event thread, but for {@link #teardownFailure()}.
 */
final class Drain {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final TaskViews views;
  private final StateJournal journal;
  private final Leadership leadership;
  private final Runnable terminate;
  /** finish() was called before this instance led: drain once it does. */
  private boolean onceLeading;
  /** Set when the backend could not tear the framework down. */
  private volatile MesosKitException teardownFailure;

  Drain(RuntimeConfig config, FrameworkRuntime runtime, TaskViews views, StateJournal journal,
      Leadership leadership, Runnable terminate) {
    this.config = config;
    this.runtime = runtime;
    this.views = views;
    this.journal = journal;
    this.leadership = leadership;
    this.terminate = terminate;
  }

  /** Tears down and terminates when the framework finishes and every task has its outcome. */
  void check() {
    if (!runtime.finishing()) {
      return;
    }
    if (leadership.standingBy()) {
      onceLeading = true; // a standby drains once it leads and knows its tasks
      return;
    }
    for (TaskRecord r : runtime.records()) {
      if (!r.done) {
        return;
      }
    }
    for (CompletableFuture<Task> outcome : views.futures()) {
      if (!outcome.isDone()) {
        return; // submitted before finish() and not yet seen here: its turn comes
      }
    }
    log.info("framework finished every task, tearing down name={}", config.info().name());
    try {
      config.backend().teardown();
      journal.clear();
    } catch (MesosKitException e) {
      // Every task has its outcome: the framework terminates all the same, and keeps its id so
      // that a rerun can fail over to it (and tear it down).
      teardownFailure = e;
      log.warn("framework not torn down, its id is kept name={} cause={}", config.info().name(),
          e.getMessage());
    }
    terminate.run();
  }

  /** This instance leads now: drains if finish() was called while it stood by. */
  void led() {
    if (onceLeading) {
      check();
    }
  }

  /** Why the teardown failed, if it did. Any thread. */
  Optional<MesosKitException> teardownFailure() {
    return Optional.ofNullable(teardownFailure);
  }
}
