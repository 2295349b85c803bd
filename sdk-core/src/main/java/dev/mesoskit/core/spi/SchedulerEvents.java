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
   * The framework is subscribed, to a master whose address the backend knows. A backend calls
   * either this or {@link #subscribed(String, Duration)} for each subscription. By default it
   * forwards to {@link #subscribed(String, Duration)}, dropping the address, so that
   * implementations written before it still receive every subscription.
   *
   * @param frameworkId the framework id the master assigned or confirmed
   * @param heartbeatInterval how often the master promises a heartbeat
   * @param master the address of the master that answered, e.g. {@code http://10.0.0.5:5050}
   */
  default void subscribed(String frameworkId, Duration heartbeatInterval, String master) {
    subscribed(frameworkId, heartbeatInterval);
  }

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

  /**
   * The backend gave up for a reason of its own, not the master's {@code ERROR} event: the
   * address is no Mesos master, the credentials were refused, or another failure no retry can
   * mend. The framework fails with {@code why}. By default it is reported as {@link #error}.
   *
   * @param why what makes every further attempt useless, e.g. {@code "http://x:8080 is not a Mesos
   *     master: it answered 501 to SUBSCRIBE"}
   */
  default void failed(String why) {
    error(why);
  }

  /**
   * The backend is about to try to (re)subscribe again after a failed attempt: the master could
   * not be reached, refused the subscription, or no leading master is known. Purely informative:
   * the backend keeps trying on its own. Backends that do not report their attempts need not call
   * it; by default it does nothing.
   *
   * @param attempt how many attempts failed in a row, from 1
   * @param delay how long the backend waits before the next attempt
   * @param cause what made the last attempt fail, e.g. {@code "connection refused"}
   */
  default void reconnecting(int attempt, Duration delay, String cause) {}

  /**
   * The master sent a HEARTBEAT on the subscription. Purely informative (the framework's
   * observers see how long ago the last one came); backends that do not report heartbeats need
   * not call it; by default it does nothing.
   */
  default void heartbeat() {}

  /**
   * Delivers, as one batch, the events that {@code deliveries} delivers by calling this sink's
   * other methods on the calling thread: the sink may hand them to its own thread together when
   * {@code deliveries} returns instead of one by one, which costs less when many come at once.
   * They are delivered in order all the same. A backend that reads several events at a time (one
   * read of the event stream) may call it around them; by default it runs {@code deliveries}.
   *
   * @param deliveries delivers events to this sink, on the calling thread
   */
  default void batch(Runnable deliveries) {
    deliveries.run();
  }
}
