package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.WireEventDecoder.UNMAPPED;
import static dev.mesoskit.core.http.WireEventDecoder.enter;
import static dev.mesoskit.core.http.WireEventDecoder.id;
import static dev.mesoskit.core.http.WireEventDecoder.known;
import static dev.mesoskit.core.http.WireEventDecoder.leave;
import static dev.mesoskit.core.http.WireEventDecoder.message;
import static dev.mesoskit.core.http.WireEventDecoder.once;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * The offers part of {@link WireEventDecoder}: an OFFERS event's {@code Offers} read straight
 * into {@link Offer}s, field for field as {@link V1Conversions#offer(Protos.Offer)} converts the
 * parsed message, giving up (by throwing {@link WireEventDecoder#UNMAPPED}) on anything it does
 * not map.
 *
 * <p>Stateless; safe from any thread.
 */
final class WireOfferDecoder {
  // Depth of the fields of each message below the event: where the parser would read them.
  private static final int OFFER_DEPTH = 2;
  private static final int RESOURCE_DEPTH = 3;

  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final int OFFERS_OFFERS = Event.Offers.OFFERS_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_ID = Protos.Offer.ID_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_FRAMEWORK_ID = Protos.Offer.FRAMEWORK_ID_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_AGENT_ID = Protos.Offer.AGENT_ID_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_HOSTNAME = Protos.Offer.HOSTNAME_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_URL = Protos.Offer.URL_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_DOMAIN = Protos.Offer.DOMAIN_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_RESOURCES = Protos.Offer.RESOURCES_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_ATTRIBUTES = Protos.Offer.ATTRIBUTES_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_EXECUTOR_IDS = Protos.Offer.EXECUTOR_IDS_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_UNAVAILABILITY =
      Protos.Offer.UNAVAILABILITY_FIELD_NUMBER << 3 | LEN;
  private static final int OFFER_ALLOCATION_INFO =
      Protos.Offer.ALLOCATION_INFO_FIELD_NUMBER << 3 | LEN;

  private static final int OFFER_ID_VALUE = Protos.OfferID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int FRAMEWORK_ID_VALUE = Protos.FrameworkID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int AGENT_ID_VALUE = Protos.AgentID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int EXECUTOR_ID_VALUE = Protos.ExecutorID.VALUE_FIELD_NUMBER << 3 | LEN;

  private static final int DOMAIN_FAULT_DOMAIN =
      Protos.DomainInfo.FAULT_DOMAIN_FIELD_NUMBER << 3 | LEN;
  private static final int FAULT_DOMAIN_REGION =
      Protos.DomainInfo.FaultDomain.REGION_FIELD_NUMBER << 3 | LEN;
  private static final int FAULT_DOMAIN_ZONE =
      Protos.DomainInfo.FaultDomain.ZONE_FIELD_NUMBER << 3 | LEN;
  private static final int REGION_NAME =
      Protos.DomainInfo.FaultDomain.RegionInfo.NAME_FIELD_NUMBER << 3 | LEN;
  private static final int ZONE_NAME =
      Protos.DomainInfo.FaultDomain.ZoneInfo.NAME_FIELD_NUMBER << 3 | LEN;

  private static final int RESOURCE_NAME = Protos.Resource.NAME_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_TYPE = Protos.Resource.TYPE_FIELD_NUMBER << 3 | VARINT;
  private static final int RESOURCE_SCALAR = Protos.Resource.SCALAR_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_RANGES = Protos.Resource.RANGES_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_SET = Protos.Resource.SET_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_ROLE = Protos.Resource.ROLE_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_ALLOCATION_INFO =
      Protos.Resource.ALLOCATION_INFO_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_RESERVATION =
      Protos.Resource.RESERVATION_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_RESERVATIONS =
      Protos.Resource.RESERVATIONS_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_DISK = Protos.Resource.DISK_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_PROVIDER_ID =
      Protos.Resource.PROVIDER_ID_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_REVOCABLE = Protos.Resource.REVOCABLE_FIELD_NUMBER << 3 | LEN;
  private static final int RESOURCE_SHARED = Protos.Resource.SHARED_FIELD_NUMBER << 3 | LEN;

  private static final int ALLOCATION_ROLE =
      Protos.Resource.AllocationInfo.ROLE_FIELD_NUMBER << 3 | LEN;
  private static final int RESERVATION_TYPE =
      Protos.Resource.ReservationInfo.TYPE_FIELD_NUMBER << 3 | VARINT;
  private static final int RESERVATION_ROLE =
      Protos.Resource.ReservationInfo.ROLE_FIELD_NUMBER << 3 | LEN;
  private static final int RESERVATION_PRINCIPAL =
      Protos.Resource.ReservationInfo.PRINCIPAL_FIELD_NUMBER << 3 | LEN;
  private static final int RESERVATION_LABELS =
      Protos.Resource.ReservationInfo.LABELS_FIELD_NUMBER << 3 | LEN;

  private static final int ATTRIBUTE_NAME = Protos.Attribute.NAME_FIELD_NUMBER << 3 | LEN;
  private static final int ATTRIBUTE_TYPE = Protos.Attribute.TYPE_FIELD_NUMBER << 3 | VARINT;
  private static final int ATTRIBUTE_SCALAR = Protos.Attribute.SCALAR_FIELD_NUMBER << 3 | LEN;
  private static final int ATTRIBUTE_RANGES = Protos.Attribute.RANGES_FIELD_NUMBER << 3 | LEN;
  private static final int ATTRIBUTE_SET = Protos.Attribute.SET_FIELD_NUMBER << 3 | LEN;
  private static final int ATTRIBUTE_TEXT = Protos.Attribute.TEXT_FIELD_NUMBER << 3 | LEN;

  private static final int SCALAR_VALUE = Protos.Value.Scalar.VALUE_FIELD_NUMBER << 3 | FIXED64;
  private static final int RANGES_RANGE = Protos.Value.Ranges.RANGE_FIELD_NUMBER << 3 | LEN;
  private static final int RANGE_BEGIN = Protos.Value.Range.BEGIN_FIELD_NUMBER << 3 | VARINT;
  private static final int RANGE_END = Protos.Value.Range.END_FIELD_NUMBER << 3 | VARINT;
  private static final int SET_ITEM = Protos.Value.Set.ITEM_FIELD_NUMBER << 3 | LEN;
  private static final int TEXT_VALUE = Protos.Value.Text.VALUE_FIELD_NUMBER << 3 | LEN;


  private WireOfferDecoder() {}

  static List<Offer> offers(CodedInputStream in, List<Offer> seen) throws IOException {
    once(seen);
    int limit = enter(in);
    List<Offer> offers = new ArrayList<>(1);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != OFFERS_OFFERS) {
        throw UNMAPPED;
      }
      offers.add(offer(in));
    }
    leave(in, limit);
    return List.copyOf(offers);
  }

  private static Offer offer(CodedInputStream in) throws IOException {
    int limit = enter(in);
    String id = null;
    String frameworkId = null;
    String agentId = null;
    String hostname = null;
    List<Resource> resources = new ArrayList<>();
    Map<String, String> attributes = Map.of();
    Set<String> executorIds = Set.of();
    Optional<Offer.Domain> domain = null;
    Object url = null;
    Object unavailability = null;
    Object allocationInfo = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case OFFER_ID -> {
          once(id);
          id = id(in, OFFER_ID_VALUE);
        }
        case OFFER_FRAMEWORK_ID -> {
          once(frameworkId);
          frameworkId = id(in, FRAMEWORK_ID_VALUE);
        }
        case OFFER_AGENT_ID -> {
          once(agentId);
          agentId = id(in, AGENT_ID_VALUE);
        }
        case OFFER_HOSTNAME -> hostname = in.readString();
        case OFFER_RESOURCES -> resource(in, resources, RESOURCE_DEPTH);
        case OFFER_ATTRIBUTES -> {
          if (attributes.isEmpty()) {
            attributes = new LinkedHashMap<>();
          }
          attribute(in, attributes);
        }
        case OFFER_EXECUTOR_IDS -> {
          if (executorIds.isEmpty()) {
            executorIds = new HashSet<>();
          }
          executorIds.add(id(in, EXECUTOR_ID_VALUE));
        }
        case OFFER_DOMAIN -> {
          once(domain);
          domain = domain(in);
        }
        case OFFER_URL -> {
          once(url);
          url = message(in, Protos.URL.parser(), OFFER_DEPTH);
        }
        case OFFER_UNAVAILABILITY -> {
          once(unavailability);
          unavailability = message(in, Protos.Unavailability.parser(), OFFER_DEPTH);
        }
        case OFFER_ALLOCATION_INFO -> {
          once(allocationInfo);
          allocationInfo = message(in, Protos.Resource.AllocationInfo.parser(), OFFER_DEPTH);
        }
        default -> throw UNMAPPED;
      }
    }
    leave(in, limit);
    if (id == null || frameworkId == null || agentId == null || hostname == null) {
      throw UNMAPPED;
    }
    return new Offer(id, agentId, hostname, Resources.of(resources), attributes, executorIds,
        domain == null ? Optional.empty() : domain);
  }

  /** {@code DomainInfo}: its fault domain's region and zone names, when it has one. */
  private static Optional<Offer.Domain> domain(CodedInputStream in) throws IOException {
    int limit = enter(in);
    Offer.Domain domain = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != DOMAIN_FAULT_DOMAIN) {
        throw UNMAPPED;
      }
      once(domain);
      int faultLimit = enter(in);
      String region = null;
      String zone = null;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        switch (t) {
          case FAULT_DOMAIN_REGION -> {
            once(region);
            region = id(in, REGION_NAME);
          }
          case FAULT_DOMAIN_ZONE -> {
            once(zone);
            zone = id(in, ZONE_NAME);
          }
          default -> throw UNMAPPED;
        }
      }
      leave(in, faultLimit);
      if (region == null || zone == null) {
        throw UNMAPPED;
      }
      domain = new Offer.Domain(region, zone);
    }
    leave(in, limit);
    return Optional.ofNullable(domain);
  }

  /**
   * Adds a resource as {@link V1Conversions#resource(Protos.Resource)} makes it, if it does; its
   * fields are at {@code depth} below the event (the executor's decoder reads a task's resources).
   */
  @SuppressWarnings("deprecation") // Resource.role: the legacy reservation form, still sent
  static void resource(CodedInputStream in, List<Resource> resources, int depth)
      throws IOException {
    int limit = enter(in);
    String name = null;
    Protos.Value.Type type = null;
    double scalar = 0;
    Ranges ranges = null;
    List<String> set = null;
    String role = "*"; // the default of Resource.role, without initializing the message class
    Reservation reservation = null;
    Reservation lastReservation = null;
    Object allocationInfo = null;
    String allocationRole = null;
    boolean leftOut = false;
    boolean hasScalar = false;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case RESOURCE_NAME -> name = in.readString();
        case RESOURCE_TYPE -> type = known(Protos.Value.Type.forNumber(in.readEnum()));
        case RESOURCE_SCALAR -> {
          if (hasScalar) {
            throw UNMAPPED; // protobuf merges a singular message given twice
          }
          hasScalar = true;
          scalar = scalar(in);
        }
        case RESOURCE_RANGES -> {
          once(ranges);
          ranges = ranges(in);
        }
        case RESOURCE_SET -> {
          once(set);
          set = set(in);
        }
        case RESOURCE_ROLE -> role = in.readString();
        case RESOURCE_ALLOCATION_INFO -> {
          once(allocationInfo);
          allocationInfo = Boolean.TRUE;
          int infoLimit = enter(in);
          for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t != ALLOCATION_ROLE) {
              throw UNMAPPED;
            }
            allocationRole = in.readString();
          }
          leave(in, infoLimit);
        }
        case RESOURCE_RESERVATION -> {
          once(reservation);
          reservation = reservation(in, depth + 1);
        }
        case RESOURCE_RESERVATIONS -> lastReservation = reservation(in, depth + 1);
        case RESOURCE_DISK -> {
          message(in, Protos.Resource.DiskInfo.parser(), depth);
          leftOut = true;
        }
        case RESOURCE_PROVIDER_ID -> {
          message(in, Protos.ResourceProviderID.parser(), depth);
          leftOut = true;
        }
        case RESOURCE_REVOCABLE -> {
          message(in, Protos.Resource.RevocableInfo.parser(), depth);
          leftOut = true;
        }
        case RESOURCE_SHARED -> {
          message(in, Protos.Resource.SharedInfo.parser(), depth);
          leftOut = true;
        }
        default -> throw UNMAPPED;
      }
    }
    leave(in, limit);
    if (name == null || type == null) {
      throw UNMAPPED;
    }
    if (leftOut) {
      return;
    }
    Resource.Value value = switch (type) {
      case SCALAR -> new Resource.Scalar(Math.max(0, scalar));
      case RANGES -> new Resource.RangesValue(ranges != null ? ranges : Ranges.empty());
      case SET -> new Resource.SetValue(set != null ? new HashSet<>(set) : new HashSet<>());
      default -> null;
    };
    if (value == null) {
      return;
    }
    Optional<String> principal = reservation != null && reservation.principal != null
        ? Optional.of(reservation.principal)
        : Optional.empty();
    if (lastReservation != null) {
      role = lastReservation.role != null ? lastReservation.role : "";
      principal = Optional.ofNullable(lastReservation.principal);
    }
    if (role.isEmpty()) {
      role = Resource.UNRESERVED;
    }
    Optional<String> allocation = Optional.ofNullable(allocationRole);
    resources.add(new Resource(name, value, role, principal, allocation));
  }

  /** The fields of a {@code ReservationInfo} the conversion reads; null when absent. */
  private record Reservation(String role, String principal) {}

  private static Reservation reservation(CodedInputStream in, int depth) throws IOException {
    int limit = enter(in);
    String role = null;
    String principal = null;
    Object labels = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case RESERVATION_TYPE -> known(
            Protos.Resource.ReservationInfo.Type.forNumber(in.readEnum()));
        case RESERVATION_ROLE -> role = in.readString();
        case RESERVATION_PRINCIPAL -> principal = in.readString();
        case RESERVATION_LABELS -> {
          once(labels);
          labels = message(in, Protos.Labels.parser(), depth);
        }
        default -> throw UNMAPPED;
      }
    }
    leave(in, limit);
    return new Reservation(role, principal);
  }

  /** Puts an attribute as the conversion writes it: its value in Mesos text form. */
  private static void attribute(CodedInputStream in, Map<String, String> attributes)
      throws IOException {
    int limit = enter(in);
    String name = null;
    Protos.Value.Type type = null;
    double scalar = 0;
    boolean hasScalar = false;
    Ranges ranges = null;
    List<String> set = null;
    String text = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case ATTRIBUTE_NAME -> name = in.readString();
        case ATTRIBUTE_TYPE -> type = known(Protos.Value.Type.forNumber(in.readEnum()));
        case ATTRIBUTE_SCALAR -> {
          if (hasScalar) {
            throw UNMAPPED; // protobuf merges a singular message given twice
          }
          hasScalar = true;
          scalar = scalar(in);
        }
        case ATTRIBUTE_RANGES -> {
          once(ranges);
          ranges = ranges(in);
        }
        case ATTRIBUTE_SET -> {
          once(set);
          set = set(in);
        }
        case ATTRIBUTE_TEXT -> {
          once(text);
          text = id(in, TEXT_VALUE);
        }
        default -> throw UNMAPPED;
      }
    }
    leave(in, limit);
    if (name == null || type == null) {
      throw UNMAPPED;
    }
    attributes.put(name, switch (type) {
      case SCALAR -> new Resource.Scalar(Math.max(0, scalar)).toString();
      case RANGES -> (ranges != null ? ranges : Ranges.empty()).toString();
      case SET -> "{" + String.join(",", set != null ? set : List.of()) + "}";
      default -> text != null ? text : "";
    });
  }

  private static double scalar(CodedInputStream in) throws IOException {
    int limit = enter(in);
    boolean hasValue = false;
    double value = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != SCALAR_VALUE) {
        throw UNMAPPED;
      }
      value = in.readDouble();
      hasValue = true;
    }
    leave(in, limit);
    if (!hasValue) {
      throw UNMAPPED;
    }
    return value;
  }

  /** {@code Value.Ranges} as {@link V1Conversions#ranges(Protos.Value.Ranges)} makes it. */
  private static Ranges ranges(CodedInputStream in) throws IOException {
    int limit = enter(in);
    Ranges ranges = Ranges.empty();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != RANGES_RANGE) {
        throw UNMAPPED;
      }
      int rangeLimit = enter(in);
      long begin = 0;
      long end = 0;
      boolean hasBegin = false;
      boolean hasEnd = false;
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        switch (t) {
          case RANGE_BEGIN -> {
            begin = in.readUInt64();
            hasBegin = true;
          }
          case RANGE_END -> {
            end = in.readUInt64();
            hasEnd = true;
          }
          default -> throw UNMAPPED;
        }
      }
      leave(in, rangeLimit);
      if (!hasBegin || !hasEnd) {
        throw UNMAPPED;
      }
      ranges = V1Conversions.plusRange(ranges, begin, end);
    }
    leave(in, limit);
    return ranges;
  }

  private static List<String> set(CodedInputStream in) throws IOException {
    int limit = enter(in);
    List<String> items = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != SET_ITEM) {
        throw UNMAPPED;
      }
      items.add(in.readString());
    }
    leave(in, limit);
    return items;
  }
}
