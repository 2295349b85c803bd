package dev.mesoskit.core.http;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.spi.TaskStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * One scheduler event as read from the stream: either decoded straight from its bytes into
 * MesosKit values by {@link WireEventDecoder} (OFFERS, UPDATE, HEARTBEAT), or parsed into the
 * generated message (every other event, and any event the decoder does not map whole).
 *
 * <p>Immutable; safe from any thread.
 */
final class WireEvent {
  static final WireEvent HEARTBEAT = new WireEvent(Event.Type.HEARTBEAT, null, null, null);

  private final Event.Type type;
  private final Event parsed;
  private final List<Offer> offers;
  private final TaskStatus status;

  private WireEvent(Event.Type type, Event parsed, List<Offer> offers, TaskStatus status) {
    this.type = type;
    this.parsed = parsed;
    this.offers = offers;
    this.status = status;
  }

  /** An event parsed by protobuf; converted when delivered. */
  static WireEvent parsed(Event event) {
    return new WireEvent(event.getType(), event, null, null);
  }

  /** An OFFERS event, its offers converted. */
  static WireEvent offers(List<Offer> offers) {
    return new WireEvent(Event.Type.OFFERS, null, offers, null);
  }

  /** An UPDATE event, its status converted. */
  static WireEvent update(TaskStatus status) {
    return new WireEvent(Event.Type.UPDATE, null, null, status);
  }

  /**
   * An OFFERS, UPDATE or HEARTBEAT event converted the way {@link EventDelivery} converts the
   * parsed message: what a decoded event must equal.
   *
   * @throws IllegalArgumentException for another type
   */
  static WireEvent converted(Event event) {
    return switch (event.getType()) {
      case OFFERS -> offers(event.getOffers().getOffersList().stream()
          .map(V1Conversions::offer).toList());
      case UPDATE -> update(V1Conversions.taskStatus(event.getUpdate().getStatus()));
      case HEARTBEAT -> HEARTBEAT;
      default -> throw new IllegalArgumentException("type must be OFFERS, UPDATE or HEARTBEAT"
          + " but was " + event.getType());
    };
  }

  Event.Type type() {
    return type;
  }

  /** The parsed message; null for an event decoded straight into values. */
  Event parsed() {
    return parsed;
  }

  /** The offers of a decoded OFFERS event; null otherwise. */
  List<Offer> offers() {
    return offers;
  }

  /** The status of a decoded UPDATE event; null otherwise. */
  TaskStatus status() {
    return status;
  }

  /**
   * Whether this decoded event holds the same values as {@code other}, byte arrays compared by
   * content (a {@code TaskStatus}'s uuid and data) and each offer's resources in order
   * ({@code Resources.equals} ignores their order, which {@code Resources.list()} shows).
   */
  boolean sameValues(WireEvent other) {
    return type == other.type
        && Objects.equals(offers, other.offers)
        && (offers == null || sameResourceOrder(offers, other.offers))
        && (status == other.status || status != null && other.status != null
            && sameStatus(status, other.status));
  }

  private static boolean sameResourceOrder(List<Offer> a, List<Offer> b) {
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).resources().list().equals(b.get(i).resources().list())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameStatus(TaskStatus a, TaskStatus b) {
    return a.mesosTaskId().equals(b.mesosTaskId())
        && a.state() == b.state()
        && a.message().equals(b.message())
        && a.reason().equals(b.reason())
        && a.source().equals(b.source())
        && a.agentId().equals(b.agentId())
        && a.executorId().equals(b.executorId())
        && sameBytes(a.uuid(), b.uuid())
        && a.timestamp().equals(b.timestamp())
        && sameBytes(a.data(), b.data())
        && a.healthy().equals(b.healthy())
        && a.checkStatus().equals(b.checkStatus());
  }

  private static boolean sameBytes(Optional<byte[]> a, Optional<byte[]> b) {
    return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
  }

  @Override
  public String toString() {
    return parsed != null ? "parsed " + type
        : type + (offers != null ? " " + offers : "") + (status != null ? " " + status : "");
  }
}
