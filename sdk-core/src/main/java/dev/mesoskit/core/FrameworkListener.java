package dev.mesoskit.core;

import java.time.Duration;

/**
 * Receives what happens to a framework's connection to the master: subscribed, disconnected,
 * trying again, failed for good. Every method does nothing by default; override those you need.
 *
 * <p>Threading: called on the framework's event thread, one call at a time, in the order the
 * events happened and in order with {@link TaskListener} calls, so a listener needs no locks. It
 * must not block. A listener that throws fails the framework (as a {@link TaskListener} does),
 * except from {@link #failed}, whose exception is logged and ignored.
 *
 * <pre>{@code
 * Framework.builder().frameworkListener(new FrameworkListener() {
 *   public void reconnecting(int attempt, Duration nextDelay, String why) {
 *     System.err.println("master unreachable (" + why + "), attempt " + attempt);
 *   }
 * });
 * }</pre>
 */
public interface FrameworkListener {
  /**
   * The master accepted the subscription: offers and status updates flow from now on. Called
   * again after every re-subscription.
   *
   * @param frameworkId the framework id the master assigned or confirmed
   * @param master the master's address when the backend reports it (e.g.
   *     {@code http://10.0.0.5:5050}); otherwise the backend's own description, its
   *     {@code toString()}
   * @param failover true when the master confirmed the framework id this scheduler subscribed
   *     with: a restarted scheduler failing over to its stored id, or a re-subscription after a
   *     lost connection; false when the master registered the framework anew
   */
  default void subscribed(String frameworkId, String master, boolean failover) {}

  /**
   * The connection to the master was lost. The backend reconnects on its own; until then no offers
   * arrive and task updates wait at the master.
   *
   * @param why what happened, as the backend reports it
   */
  default void disconnected(String why) {}

  /**
   * An attempt to (re)subscribe failed and the backend will try again after {@code nextDelay}.
   * Only backends that report their attempts call it.
   *
   * @param attempt how many attempts failed in a row, from 1
   * @param nextDelay how long until the next attempt
   * @param why what made the attempt fail, e.g. {@code "connection refused"}
   */
  default void reconnecting(int attempt, Duration nextDelay, String why) {}

  /**
   * The framework failed and stopped: the master sent ERROR, a listener or the packing strategy
   * threw. {@link Framework#awaitTermination()} rethrows the same failure. Nothing is called
   * after this.
   *
   * @param cause the failure
   */
  default void failed(Throwable cause) {}
}
