package dev.mesoskit.core.http;

/**
 * A call that can be cut short from another thread, whichever transport carries it: a
 * {@link CallExchange} of the JDK's client or a {@link BlockingPost}.
 */
interface Abortable {
  /**
   * Fails the call with {@code failure} unless it completed, and cuts its answer.
   *
   * @param failure what the caller is told
   * @return whether this failed the call
   */
  boolean abort(Throwable failure);
}
