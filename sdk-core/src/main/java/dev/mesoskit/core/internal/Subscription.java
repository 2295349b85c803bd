package dev.mesoskit.core.internal;

import dev.mesoskit.core.FrameworkListener;
import dev.mesoskit.core.MesosKitException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's subscription to the master as the rest of the world sees it: whether it is
 * subscribed now, the last problem the backend reported, the calls to the
 * {@link FrameworkListener}s, and waiting for the next subscription.
 *
 * <p>Threading: the event thread changes it and calls the listeners; {@link #isSubscribed()} and
 * {@link #await(Duration)} may be called from any thread.
 */
final class Subscription {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  /** Guards the fields below; waiters wait on it. */
  private final Object lock = new Object();
  private volatile boolean subscribed;
  private boolean ended;
  private String lastProblem;
  // Event thread only.
  /** Subscribed at least once: the next subscription is a reconnection. */
  private boolean everSubscribed;
  /** Attempts that failed in a row since the last subscription, as the backend reported. */
  private int failedAttempts;

  /**
   * Creates the subscription of a framework that has not subscribed yet.
   *
   * @param config the framework name, the backend and the listeners
   * @param runtime whether the framework stopped or failed
   */
  Subscription(RuntimeConfig config, FrameworkRuntime runtime) {
    this.config = config;
    this.runtime = runtime;
  }

  /** Whether the framework is subscribed now. Any thread. */
  boolean isSubscribed() {
    return subscribed;
  }

  /** The master accepted the subscription: tells the observers and the listeners. */
  void subscribed(String frameworkId, String master, boolean failover) {
    change(true, null);
    if (everSubscribed) {
      runtime.observers().reconnected(failedAttempts + 1);
    }
    everSubscribed = true;
    failedAttempts = 0;
    tell("subscribed", l -> l.subscribed(frameworkId, master, failover));
  }

  /** The connection was lost; tells the listeners. */
  void disconnected(String why) {
    change(false, "disconnected: " + why);
    tell("disconnected", l -> l.disconnected(why));
  }

  /** The backend tries again after a failed attempt; tells the listeners. */
  void reconnecting(int attempt, Duration delay, String why) {
    failedAttempts = attempt;
    change(false, "subscription attempt " + attempt + " failed, next in " + delay + ": " + why);
    tell("reconnecting", l -> l.reconnecting(attempt, delay, why));
  }

  /** The framework failed: tells the listeners; what they throw is logged, not rethrown. */
  void failed(Throwable cause) {
    change(false, null);
    for (FrameworkListener l : config.frameworkListeners()) {
      try {
        l.failed(cause);
      } catch (RuntimeException e) {
        log.error("framework listener failed on failed name={} listener={}", config.info().name(),
            l, e);
      }
    }
  }

  /** The framework terminated: wakes every waiter. */
  void ended() {
    synchronized (lock) {
      subscribed = false;
      ended = true;
      lock.notifyAll();
    }
  }

  /**
   * Waits until the framework is subscribed.
   *
   * @param timeout how long to wait, not negative
   * @throws MesosKitException when the framework failed (at once), when the time ran out (naming
   *     the timeout and the last problem the backend reported) or when interrupted
   * @throws IllegalStateException when the framework stopped without failing
   */
  void await(Duration timeout) {
    String name = config.info().name();
    long start = System.nanoTime();
    long budget = saturatedNanos(timeout);
    synchronized (lock) {
      while (true) {
        Optional<Throwable> failure = runtime.failure();
        if (failure.isPresent()) {
          Throwable cause = failure.get();
          throw new MesosKitException("framework " + name + " failed, it will not subscribe: "
              + cause.getMessage(), cause);
        }
        if (subscribed) {
          return;
        }
        if (ended || runtime.stopped()) {
          throw new IllegalStateException("framework " + name + " is stopped: it will not"
              + " subscribe");
        }
        long left = budget - (System.nanoTime() - start);
        if (left <= 0) {
          throw new MesosKitException("framework " + name + " not subscribed within " + timeout
              + (lastProblem != null
                  ? "; last problem: " + lastProblem
                  : "; the backend reported no problem yet (backend " + config.backend() + ")"));
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lock, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new MesosKitException("interrupted while waiting for framework " + name
              + " to subscribe", e);
        }
      }
    }
  }

  private void change(boolean nowSubscribed, String problem) {
    synchronized (lock) {
      subscribed = nowSubscribed;
      if (problem != null) {
        lastProblem = problem;
      }
      lock.notifyAll();
    }
  }

  /**
   * Calls every listener.
   *
   * @throws EventLoop.ListenerFailure when a listener throws: it fails the framework
   */
  private void tell(String event, Consumer<FrameworkListener> call) {
    for (FrameworkListener l : config.frameworkListeners()) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        log.error("framework listener failed name={} event={}", config.info().name(), event, e);
        throw new EventLoop.ListenerFailure(new MesosKitException(
            "framework listener " + l + " failed on " + event, e));
      }
    }
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
