package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.LeaderElection;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this scheduler instance leads: at once without a {@link LeaderElection}, once elected
 * with one. Losing the leadership fences the instance: no write reaches the state store and no
 * call the master from the moment the election says so, before the event loop runs anything
 * else, and the framework fails.
 *
 * <p>Threading: {@link #contend} on the starting thread; the election's callbacks on its own
 * thread; {@link #led} on the event thread; the rest on any thread.
 */
final class Leadership {
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final StateJournal journal;
  private final EventLoop loop;
  private final Consumer<Throwable> fail;
  /** Records the failure to report, from any thread, before the framework ends with it. */
  private final Consumer<Throwable> failFirst;
  private final Observers observers;
  /** Completed once this instance leads and its recovered tasks are installed. */
  private final CompletableFuture<Void> leading = new CompletableFuture<>();
  /** Set as the election says this instance lost: it does not lead from that moment. */
  private volatile boolean lost;

  Leadership(RuntimeConfig config, StateJournal journal, EventLoop loop,
      Consumer<Throwable> fail, Consumer<Throwable> failFirst, Observers observers) {
    this.config = config;
    this.journal = journal;
    this.loop = loop;
    this.fail = fail;
    this.failFirst = failFirst;
    this.observers = observers;
  }

  /**
   * Starts contending, when there is an election: {@code lead} runs once elected.
   *
   * @return false when there is no election: the caller leads now
   */
  boolean contend(Runnable lead) {
    if (config.election().isEmpty()) {
      return false;
    }
    log.info("framework standing by until elected name={}", config.info().name());
    config.election().get().start(new LeaderElection.Listener() {
      @Override
      public void elected() {
        log.info("framework elected leader name={}", config.info().name());
        try {
          lead.run();
        } catch (RuntimeException e) {
          log.error("elected framework could not start name={}", config.info().name(), e);
          loop.runAfterQueued(() -> fail.accept(e));
        }
      }

      @Override
      public void lost(String reason) {
        fence(reason);
      }
    });
    return true;
  }

  /** This instance stopped leading: nothing more may reach the master or the store. */
  private void fence(String reason) {
    lost = true;
    MesosKitException failure = new MesosKitException("framework " + config.info().name()
        + " lost its leadership: " + reason + "; this instance stops (a standby takes over)");
    // The reason the framework ends with, even when work in progress on the event loop fails
    // first because of the fencing (a store write refused, say).
    failFirst.accept(failure);
    journal.fence(reason);
    config.backend().close(); // at once, not after the work queued on the event loop
    log.error("framework lost its leadership, stopping name={} reason={}", config.info().name(),
        reason);
    leading.completeExceptionally(failure);
    loop.runAfterQueued(() -> fail.accept(failure));
  }

  /** The recovered tasks are installed: this instance leads. Event thread. */
  void led() {
    if (leading.complete(null)) {
      observers.leadership(true);
    }
  }

  /** The framework stopped: whoever waits to lead hears it; the election is left. */
  void stopped() {
    config.election().ifPresent(LeaderElection::close);
    boolean led = leading.isDone() && !leading.isCompletedExceptionally();
    leading.completeExceptionally(new MesosKitException("framework " + config.info().name()
        + " stopped before it led"));
    if (led) {
      observers.leadership(false);
    }
  }

  /** Whether the instance leads (its tasks are installed); false once it lost or stopped. */
  boolean leads() {
    return !lost && leading.isDone() && !leading.isCompletedExceptionally();
  }

  /** Whether work that needs the tasks recovered must wait: the instance does not lead yet. */
  boolean standingBy() {
    return !leading.isDone();
  }

  /**
   * Refuses a submission while standing by for an election.
   *
   * @throws IllegalStateException naming the framework and what to call
   */
  void checkSubmittable() {
    if (config.election().isPresent() && !leading.isDone()) {
      throw new IllegalStateException("cannot submit to framework " + config.info().name()
          + ": it stands by until elected; call awaitLeadership() first (the leader's tasks are"
          + " recovered then, and submitting one of them again gets the recovered task)");
    }
  }

  /**
   * Waits until this instance leads.
   *
   * @param timeout how long, or null for ever
   * @return false when the time ran out
   * @throws MesosKitException when the framework stopped first
   */
  boolean await(Duration timeout) {
    try {
      if (timeout == null) {
        leading.get();
      } else {
        leading.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      }
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw e.getCause() instanceof MesosKitException m ? m
          : new MesosKitException("framework " + config.info().name() + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MesosKitException("interrupted while waiting for framework "
          + config.info().name() + " to lead", e);
    }
  }
}
