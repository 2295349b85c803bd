package dev.mesoskit.core.http;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.spi.SchedulerEvents;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands a v1 scheduler {@code Event} to {@link SchedulerEvents}, converted to MesosKit values.
 * Shared by the HTTP backend and the benchmarks that measure the decode path.
 *
 * <p>An escape hatch: with {@link V1Conversions}, the only public class of the backend modules
 * whose public members take or return protobuf types ({@code ArchitectureRules} holds every
 * other one to MesosKit values). For code that receives v1 events itself.
 *
 * <p>Stateless; safe from any thread.
 */
public final class EventDelivery {
  private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);

  private EventDelivery() {}

  /**
   * The heartbeat interval a SUBSCRIBED event announces; Mesos' default is 15 s.
   *
   * @param subscribed the event body
   * @return the interval
   */
  public static Duration heartbeatInterval(Event.Subscribed subscribed) {
    double seconds = subscribed.hasHeartbeatIntervalSeconds()
        ? subscribed.getHeartbeatIntervalSeconds()
        : 15;
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  /**
   * Delivers one event from its bytes, as the HTTP backend does: OFFERS, UPDATE and HEARTBEAT
   * are decoded straight into MesosKit values, without building the protobuf messages; any other
   * event, and any of these with a field the decoder does not map, is parsed and delivered as
   * {@link #deliver(Event, SchedulerEvents)} delivers it. Either way the values delivered are the
   * same, and bytes that are no valid event fail as {@code Event.parser().parseFrom} fails.
   *
   * @param bytes holds the event
   * @param offset where the event starts in {@code bytes}
   * @param length the event's length in bytes
   * @param events where to deliver it
   * @throws InvalidProtocolBufferException when the bytes are no valid v1 scheduler event
   */
  public static void deliver(byte[] bytes, int offset, int length, SchedulerEvents events)
      throws InvalidProtocolBufferException {
    deliver(read(bytes, offset, length), events);
  }

  /**
   * Reads one event: decoded straight into values when {@link WireEventDecoder} maps it whole,
   * otherwise parsed. With assertions on (as in tests), a decoded event is checked against the
   * parser and {@link V1Conversions}.
   */
  static WireEvent read(byte[] bytes, int offset, int length)
      throws InvalidProtocolBufferException {
    WireEvent decoded = WireEventDecoder.decode(bytes, offset, length);
    if (decoded == null) {
      return WireEvent.parsed(Event.parser().parseFrom(bytes, offset, length));
    }
    assert decoded.sameValues(WireEvent.converted(Event.parser().parseFrom(bytes, offset, length)))
        : "decoded " + decoded + " but the parser and the conversion make "
            + WireEvent.converted(Event.parser().parseFrom(bytes, offset, length));
    return decoded;
  }

  /** Delivers an event read by {@link #read}. */
  static void deliver(WireEvent event, SchedulerEvents events) {
    if (event.parsed() != null) {
      deliver(event.parsed(), events);
      return;
    }
    switch (event.type()) {
      case OFFERS -> events.offers(event.offers());
      case UPDATE -> events.update(event.status());
      default -> log.debug("event ignored type={}", event.type());
    }
  }

  /**
   * Delivers one event.
   *
   * @param event the event
   * @param events where to deliver it
   */
  public static void deliver(Event event, SchedulerEvents events) {
    switch (event.getType()) {
      case SUBSCRIBED -> events.subscribed(event.getSubscribed().getFrameworkId().getValue(),
          heartbeatInterval(event.getSubscribed()));
      case OFFERS -> {
        Event.Offers body = event.getOffers();
        Offer[] offers = new Offer[body.getOffersCount()];
        for (int i = 0; i < offers.length; i++) {
          offers[i] = V1Conversions.offer(body.getOffers(i));
        }
        events.offers(List.of(offers)); // immutable: a sink that keeps it need not copy it
      }
      case RESCIND -> events.rescind(event.getRescind().getOfferId().getValue());
      case UPDATE -> events.update(V1Conversions.taskStatus(event.getUpdate().getStatus()));
      case MESSAGE -> events.message(event.getMessage().getAgentId().getValue(),
          event.getMessage().getExecutorId().getValue(),
          event.getMessage().getData().toByteArray());
      case FAILURE -> {
        Event.Failure f = event.getFailure();
        events.failure(f.getAgentId().getValue(),
            f.hasExecutorId() ? Optional.of(f.getExecutorId().getValue()) : Optional.empty(),
            f.hasStatus() ? OptionalInt.of(f.getStatus()) : OptionalInt.empty());
      }
      case ERROR -> events.error(event.getError().getMessage());
      default -> log.debug("event ignored type={}", event.getType());
    }
  }
}
