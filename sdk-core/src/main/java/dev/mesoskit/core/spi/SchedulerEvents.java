package dev.mesoskit.core.spi;

import dev.mesoskit.core.Offer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The events a {@link SchedulerBackend} delivers from the master to the framework.
 *
 * <p>Threading: a backend calls these methods from its own threads, one at a time and in the
 * order the master sent the events. Implementations (the framework's event loop) hand each event
 * to their own thread and return at once.
 */
public interface SchedulerEvents {
  /**
   * The framework is subscribed (again, after a reconnection or a master failover).
   *
   * @param frameworkId the framework id the master assigned or confirmed
   * @param heartbeatInterval how often the master promises a heartbeat
   */
  void subscribed(String frameworkId, Duration heartbeatInterval);

  /**
   * New offers.
   *
   * @param offers the offers
   */
  void offers(List<Offer> offers);

  /**
   * The master took an offer back.
   *
   * @param offerId the offer id
   */
  void rescind(String offerId);

  /**
   * A task status update.
   *
   * @param status the status; acknowledge it when it carries a uuid
   */
  void update(TaskStatus status);

  /**
   * A message from an executor.
   *
   * @param agentId the agent
   * @param executorId the executor
   * @param data the message bytes
   */
  void message(String agentId, String executorId, byte[] data);

  /**
   * An agent or an executor failed.
   *
   * @param agentId the agent
   * @param executorId the executor, when an executor terminated
   * @param status the executor's exit status, when known
   */
  void failure(String agentId, Optional<String> executorId, OptionalInt status);

  /**
   * The master sent an ERROR: the framework must stop (for instance another scheduler instance
   * subscribed with this framework id, or the framework was removed).
   *
   * @param message the master's message
   */
  void error(String message);

  /**
   * The connection to the master was lost; the backend is reconnecting. Offers are gone.
   *
   * @param cause what happened
   */
  void disconnected(String cause);
}
