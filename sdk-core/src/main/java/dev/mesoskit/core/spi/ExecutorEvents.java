package dev.mesoskit.core.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * The events an {@link ExecutorBackend} delivers from the agent to the executor runtime.
 *
 * <p>Threading: a backend calls these methods from its own threads, one at a time and in the
 * order the agent sent the events. Implementations hand long work to their own threads and return
 * at once.
 */
public interface ExecutorEvents {
  /**
   * The executor is subscribed (again, after a reconnection).
   *
   * @param registration who the executor is and which agent it talks to
   */
  void subscribed(ExecutorRegistration registration);

  /**
   * The agent hands the executor a task to run ({@code LAUNCH}, or one task of a
   * {@code LAUNCH_GROUP}).
   *
   * @param task the task
   */
  void launch(LaunchedTask task);

  /**
   * The scheduler wants a task killed.
   *
   * @param mesosTaskId the task
   * @param gracePeriod how long the task may take to stop, when the kill carries its own kill
   *     policy (it overrides the task's)
   */
  void kill(String mesosTaskId, Optional<Duration> gracePeriod);

  /**
   * Bytes from the scheduler.
   *
   * @param data the bytes
   */
  void message(byte[] data);

  /**
   * The agent asks the executor to kill every task and exit, within the shutdown grace period.
   */
  void shutdown();

  /**
   * The agent reported an error (the executor sent something invalid, or the driver aborted). The
   * executor should stop.
   *
   * @param message the agent's message
   */
  void error(String message);

  /**
   * The connection to the agent broke; the backend is trying to resubscribe. Updates sent
   * meanwhile are kept and delivered after the resubscription.
   *
   * @param cause what happened
   */
  void disconnected(String cause);

  /**
   * The agent is gone for good: the connection broke and the framework does not checkpoint, the
   * recovery timeout passed without a new subscription, or the agent refused the executor. The
   * backend has stopped; nothing sent now reaches the agent.
   *
   * @param cause what happened
   */
  void lost(String cause);
}
