package dev.mesoskit.core.spi;

import java.util.concurrent.CompletableFuture;

/**
 * The port between an executor and its Mesos agent: the v1 executor HTTP API, the libmesos
 * executor driver, or a fake in tests. MesosKit's executor runtime is its only caller.
 *
 * <p>A backend owns the connection: after {@link #subscribe} it keeps the executor subscribed for
 * as long as the agent allows (resubscribing after a dropped connection when the framework
 * checkpoints), delivers the agent's events through {@link ExecutorEvents}, and makes status
 * updates reliable: an update is kept and sent again until the agent acknowledges it, including
 * in the next subscription after a reconnection. When the agent is gone for good the backend says
 * so once with {@link ExecutorEvents#lost} and stops.
 *
 * <p>Threading: every method may be called from any thread and returns without waiting for the
 * agent. Updates are sent in the order of the calls.
 */
public interface ExecutorBackend extends AutoCloseable {
  /**
   * Connects to the agent and starts delivering events. Called once.
   *
   * @param events where to deliver events
   * @throws IllegalStateException when called twice
   * @throws dev.mesoskit.core.MesosKitException when the transport cannot start at all (for the
   *     native driver: libmesos cannot be loaded)
   */
  void subscribe(ExecutorEvents events);

  /**
   * Sends a status update of one of this executor's tasks, reliably.
   *
   * @param status the update; its state is never {@code STAGING}, its source is
   *     {@code SOURCE_EXECUTOR} and its uuid is an RFC 4122 UUID of 16 bytes (a backend whose
   *     transport makes its own uuids, such as libmesos, replaces it)
   * @return completes when the agent acknowledged the update (or, for a transport that keeps the
   *     update itself, when the transport took it over); completes exceptionally when the agent
   *     refused it for good. It may never complete when the agent is gone.
   */
  CompletableFuture<Void> update(TaskStatus status);

  /**
   * Sends bytes to the scheduler, without delivery guarantee (Mesos does not retry them).
   *
   * @param data the bytes
   */
  void message(byte[] data);

  /** Disconnects from the agent and stops every thread of the backend. Idempotent. */
  @Override
  void close();
}
