package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's sink of master events: hands every event the backend delivers to the part of
 * the {@link FrameworkRuntime} that handles it, on the event thread.
 *
 * <p>Threading: called by the backend from its own threads, one event at a time; every method
 * queues its work and returns at once.
 */
final class LoopEvents implements SchedulerEvents {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final EventLoop loop;
  private final OfferRound offerRound;
  private final TaskStateMachine stateMachine;

  /**
   * Creates the sink.
   *
   * @param config the framework name, the backend and the clock
   * @param runtime subscriptions, errors and failures
   * @param loop the event thread
   * @param offerRound offers and agent failures
   * @param stateMachine status updates
   */
  LoopEvents(RuntimeConfig config, FrameworkRuntime runtime, EventLoop loop,
      OfferRound offerRound, TaskStateMachine stateMachine) {
    this.config = config;
    this.runtime = runtime;
    this.loop = loop;
    this.offerRound = offerRound;
    this.stateMachine = stateMachine;
  }

  @Override
  public void subscribed(String id, Duration heartbeatInterval) {
    String master = String.valueOf(config.backend());
    loop.enqueue(() -> runtime.onSubscribed(id, heartbeatInterval, master));
  }

  @Override
  public void subscribed(String id, Duration heartbeatInterval, String master) {
    loop.enqueue(() -> runtime.onSubscribed(id, heartbeatInterval, master));
  }

  @Override
  public void offers(List<Offer> offers) {
    List<Offer> copy = List.copyOf(offers);
    loop.enqueue(() -> offerRound.onOffers(copy));
  }

  @Override
  public void rescind(String offerId) {
    loop.enqueue(() -> {
      log.debug("offer rescinded offer={} (offers are never held)", offerId);
      runtime.observers().offerRescinded(offerId);
    });
  }

  @Override
  public void update(TaskStatus status) {
    boolean needsAck = stateMachine.received(status);
    loop.enqueue(() -> stateMachine.onUpdate(status, needsAck));
  }

  @Override
  public void message(String agentId, String executorId, byte[] data) {
    loop.enqueue(() -> log.debug("executor message agent={} executor={} bytes={}", agentId,
        executorId, data.length));
  }

  @Override
  public void failure(String agentId, Optional<String> executorId, OptionalInt status) {
    loop.enqueue(() -> offerRound.onFailure(agentId, executorId, status));
  }

  @Override
  public void error(String message) {
    loop.enqueue(() -> runtime.onError(message));
  }

  @Override
  public void failed(String why) {
    loop.enqueue(() -> runtime.fail(new MesosKitException("framework " + config.info().name()
        + " stopped: " + why)));
  }

  @Override
  public void disconnected(String cause) {
    loop.enqueue(() -> runtime.onDisconnected(cause));
  }

  @Override
  public void reconnecting(int attempt, Duration delay, String cause) {
    loop.enqueue(() -> runtime.onReconnecting(attempt, delay, cause));
  }

  @Override
  public void batch(Runnable deliveries) {
    loop.batch(deliveries);
  }

  @Override
  public void heartbeat() {
    Instant at = config.clock().instant();
    loop.enqueue(() -> {
      log.trace("heartbeat name={}", config.info().name());
      runtime.observers().heartbeat(at);
    });
  }
}
