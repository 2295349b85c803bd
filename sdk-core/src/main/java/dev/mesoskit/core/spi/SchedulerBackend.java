package dev.mesoskit.core.spi;

import java.time.Duration;
import java.util.List;

/**
 * The port between a framework and a Mesos master: the v1 HTTP scheduler API, the libmesos
 * driver, or a fake in tests.
 *
 * <p>A backend owns the connection: after {@link #subscribe} it keeps the framework subscribed,
 * reconnecting and re-subscribing with the assigned framework id when the connection drops, and
 * reports that through {@link SchedulerEvents}. Calls made while disconnected, and calls the
 * master refuses, are logged and dropped, never thrown: the framework treats an exception from a
 * backend call as fatal, and recovers from lost calls by reconciliation.
 *
 * <p>Threading: every method may be called from any thread; the framework calls them from its
 * event thread. Methods return once the call is sent, not when the master acted on it.
 */
public interface SchedulerBackend extends AutoCloseable {
  /**
   * Subscribes and starts delivering events. Called once.
   *
   * @param info the framework, with its id when failing over
   * @param events where to deliver events
   */
  void subscribe(FrameworkInfo info, SchedulerEvents events);

  /**
   * Accepts offers of one agent and launches tasks on them; the rest of the offered resources is
   * declined with {@code refuse}.
   *
   * @param offerIds the offers, all of one agent
   * @param launches the tasks
   * @param refuse how long the master should not re-offer the unused resources
   */
  void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse);

  /**
   * Accepts offers with single launches and pod launches ({@code LAUNCH} and
   * {@code LAUNCH_GROUP} operations in one {@code ACCEPT}). The default refuses pods with
   * {@link UnsupportedOperationException} naming the backend.
   *
   * @param offerIds the offers, all of one agent
   * @param launches the single tasks
   * @param groups the pods
   * @param refuse how long the master should not re-offer what is left
   */
  default void accept(List<String> offerIds, List<TaskLaunch> launches,
      List<TaskGroupLaunch> groups, Duration refuse) {
    if (!groups.isEmpty()) {
      throw new UnsupportedOperationException(getClass().getSimpleName()
          + " cannot launch pods (LAUNCH_GROUP)");
    }
    accept(offerIds, launches, refuse);
  }

  /**
   * Changes the framework's roles or capabilities while subscribed ({@code UPDATE_FRAMEWORK}).
   * The default refuses with {@link UnsupportedOperationException} naming the backend.
   *
   * @param info the framework's information as it should now be, with its id
   */
  default void updateFramework(FrameworkInfo info) {
    throw new UnsupportedOperationException(getClass().getSimpleName()
        + " cannot update a framework (UPDATE_FRAMEWORK)");
  }

  /**
   * Declines offers.
   *
   * @param offerIds the offers
   * @param refuse how long the master should not re-offer these resources
   */
  void decline(List<String> offerIds, Duration refuse);

  /** Asks for offers again and clears every refuse filter. */
  void revive();

  /** Stops offers until {@link #revive()}. */
  void suppress();

  /**
   * Kills a task.
   *
   * @param mesosTaskId the Mesos task id
   * @param agentId the agent it runs on, if known (null otherwise)
   */
  void kill(String mesosTaskId, String agentId);

  /**
   * Kills a task with a grace period of its own ({@code Call.Kill.kill_policy}), which overrides
   * the task's kill policy for this kill. The default ignores the grace period and calls
   * {@link #kill(String, String)}, for backends that cannot send one (the libmesos driver).
   *
   * @param mesosTaskId the Mesos task id
   * @param agentId the agent it runs on, if known (null otherwise)
   * @param gracePeriod how long the executor waits before forcing the task, &gt;= 0
   */
  default void kill(String mesosTaskId, String agentId, Duration gracePeriod) {
    kill(mesosTaskId, agentId);
  }

  /**
   * Acknowledges a status update that carried a uuid.
   *
   * @param agentId the agent of the update
   * @param mesosTaskId the task of the update
   * @param uuid the update's uuid
   */
  void acknowledge(String agentId, String mesosTaskId, byte[] uuid);

  /**
   * Asks the master for the latest state of tasks; an empty list asks for all of them (implicit
   * reconciliation).
   *
   * @param tasks the tasks, or none
   */
  void reconcile(List<ReconcileTask> tasks);

  /**
   * Sends a message to an executor.
   *
   * @param agentId the agent
   * @param executorId the executor
   * @param data the bytes
   */
  void message(String agentId, String executorId, byte[] data);

  /**
   * Removes the framework from the master: every task is killed. The backend then closes, also
   * when the teardown failed.
   *
   * @throws dev.mesoskit.core.MesosKitException when the master did not confirm the teardown (not
   *     subscribed, refused, no answer in time): the framework stays registered, its tasks
   *     running, until its failover timeout
   */
  void teardown();

  /** Disconnects without tearing the framework down, so that it can fail over. Idempotent. */
  @Override
  void close();
}
