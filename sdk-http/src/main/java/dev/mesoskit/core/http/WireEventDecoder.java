package dev.mesoskit.core.http;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.WireFormat;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.TaskStatus;
import java.io.IOException;
import java.time.Instant;
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
 * Decodes the hot scheduler events (OFFERS, UPDATE, HEARTBEAT) straight from their wire format
 * into MesosKit values with protobuf's {@link CodedInputStream}, without building the generated
 * messages: the values {@link V1Conversions} makes of the parsed event, field for field.
 *
 * <p>The decoder maps a closed set of fields. It gives up (returns null, and the caller parses
 * the event and converts it as before) on anything else: another event type, a field number or
 * wire type it does not know, an enum number the generated classes do not know, a missing
 * required field, a singular message given twice (protobuf would merge the two), malformed
 * bytes, or a value a MesosKit constructor refuses. So the result never depends on the decoder
 * being complete, and malformed events fail exactly as the parser makes them fail. Fields the
 * conversion ignores ({@code Offer.url}, {@code TaskStatus.container_status}, ...) are parsed by
 * their generated parser, at the depth they would be parsed at, and checked for their required
 * fields, then dropped; {@code check_status} is parsed the same way and converted by
 * {@link CheckMessages}.
 *
 * <p>Stateless; safe from any thread.
 */
final class WireEventDecoder {
  /** The recursion limit of a {@link CodedInputStream}, which {@code Event.parser()} parses with. */
  private static final int RECURSION_LIMIT = 100;
  // Depth of the fields of each message below the event: where the parser would read them.
  private static final int OFFER_DEPTH = 2;
  private static final int STATUS_DEPTH = 2;
  private static final int RESOURCE_DEPTH = 3;
  private static final int RESERVATION_DEPTH = 4;

  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final int EVENT_TYPE = Event.TYPE_FIELD_NUMBER << 3 | VARINT;
  private static final int EVENT_OFFERS = Event.OFFERS_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_UPDATE = Event.UPDATE_FIELD_NUMBER << 3 | LEN;
  private static final int OFFERS_OFFERS = Event.Offers.OFFERS_FIELD_NUMBER << 3 | LEN;
  private static final int UPDATE_STATUS = Event.Update.STATUS_FIELD_NUMBER << 3 | LEN;

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
  private static final int TASK_ID_VALUE = Protos.TaskID.VALUE_FIELD_NUMBER << 3 | LEN;

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

  private static final int STATUS_TASK_ID = Protos.TaskStatus.TASK_ID_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_STATE = Protos.TaskStatus.STATE_FIELD_NUMBER << 3 | VARINT;
  private static final int STATUS_MESSAGE = Protos.TaskStatus.MESSAGE_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_SOURCE = Protos.TaskStatus.SOURCE_FIELD_NUMBER << 3 | VARINT;
  private static final int STATUS_REASON = Protos.TaskStatus.REASON_FIELD_NUMBER << 3 | VARINT;
  private static final int STATUS_DATA = Protos.TaskStatus.DATA_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_AGENT_ID = Protos.TaskStatus.AGENT_ID_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_EXECUTOR_ID =
      Protos.TaskStatus.EXECUTOR_ID_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_TIMESTAMP =
      Protos.TaskStatus.TIMESTAMP_FIELD_NUMBER << 3 | FIXED64;
  private static final int STATUS_UUID = Protos.TaskStatus.UUID_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_HEALTHY = Protos.TaskStatus.HEALTHY_FIELD_NUMBER << 3 | VARINT;
  private static final int STATUS_CHECK_STATUS =
      Protos.TaskStatus.CHECK_STATUS_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_LABELS = Protos.TaskStatus.LABELS_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_CONTAINER_STATUS =
      Protos.TaskStatus.CONTAINER_STATUS_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_UNREACHABLE_TIME =
      Protos.TaskStatus.UNREACHABLE_TIME_FIELD_NUMBER << 3 | LEN;
  private static final int STATUS_LIMITATION =
      Protos.TaskStatus.LIMITATION_FIELD_NUMBER << 3 | LEN;

  /** Thrown, without a stack trace, on anything the decoder does not map. */
  private static final RuntimeException UNMAPPED = new RuntimeException("unmapped", null, false,
      false) {};

  private WireEventDecoder() {}

  /**
   * The event in {@code length} bytes of {@code bytes} from {@code offset}, decoded.
   *
   * @return the event, or null when the decoder does not map it whole or cannot read it: then
   *     the generated parser and {@link V1Conversions} decide
   */
  static WireEvent decode(byte[] bytes, int offset, int length) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
      int type = -1;
      List<Offer> offers = null;
      TaskStatus status = null;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case EVENT_TYPE -> type = in.readEnum();
          case EVENT_OFFERS -> offers = offers(in, offers);
          case EVENT_UPDATE -> status = update(in, status);
          default -> throw UNMAPPED;
        }
      }
      if (type == Event.Type.OFFERS_VALUE && offers != null && status == null) {
        return WireEvent.offers(offers);
      }
      if (type == Event.Type.UPDATE_VALUE && status != null && offers == null) {
        return WireEvent.update(status);
      }
      if (type == Event.Type.HEARTBEAT_VALUE && offers == null && status == null) {
        return WireEvent.HEARTBEAT;
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null; // the parser reads it again, and fails as it always did when the bytes are bad
    }
  }

  /** Enters a length-delimited message; returns the limit to restore. */
  private static int enter(CodedInputStream in) throws IOException {
    return in.pushLimit(in.readRawVarint32());
  }

  private static void leave(CodedInputStream in, int limit) throws IOException {
    in.checkLastTagWas(0);
    in.popLimit(limit);
  }

  private static void once(Object seen) {
    if (seen != null) {
      throw UNMAPPED; // protobuf merges a singular message given twice
    }
  }

  /**
   * A message the conversion reads nothing of, or reads through its generated class: parsed by
   * its parser at the recursion depth the event's parser would reach, and checked whole.
   */
  private static <T extends MessageLite> T message(CodedInputStream in, Parser<T> parser,
      int depth) throws IOException {
    in.setRecursionLimit(RECURSION_LIMIT - depth);
    T message = in.readMessage(parser, ExtensionRegistryLite.getEmptyRegistry());
    in.setRecursionLimit(RECURSION_LIMIT);
    if (!message.isInitialized()) {
      throw UNMAPPED;
    }
    return message;
  }

  /** The value of an id message ({@code OfferID}, {@code AgentID}, ...), whose tag is given. */
  private static String id(CodedInputStream in, int valueTag) throws IOException {
    int limit = enter(in);
    String value = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != valueTag) {
        throw UNMAPPED;
      }
      value = in.readString();
    }
    leave(in, limit);
    if (value == null) {
      throw UNMAPPED;
    }
    return value;
  }

  private static <E> E known(E enumValue) {
    if (enumValue == null) {
      throw UNMAPPED; // the parser keeps an unknown number as an unknown field
    }
    return enumValue;
  }

  // ------------------------------------------------------------------ offers

  private static List<Offer> offers(CodedInputStream in, List<Offer> seen) throws IOException {
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
        case OFFER_RESOURCES -> resource(in, resources);
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

  /** Adds a resource as {@link V1Conversions#resource(Protos.Resource)} makes it, if it does. */
  @SuppressWarnings("deprecation") // Resource.role: the legacy reservation form, still sent
  private static void resource(CodedInputStream in, List<Resource> resources) throws IOException {
    int limit = enter(in);
    String name = null;
    Protos.Value.Type type = null;
    double scalar = 0;
    Ranges ranges = null;
    List<String> set = null;
    String role = Protos.Resource.getDefaultInstance().getRole(); // "*"
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
          once(hasScalar ? Boolean.TRUE : null);
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
          reservation = reservation(in);
        }
        case RESOURCE_RESERVATIONS -> lastReservation = reservation(in);
        case RESOURCE_DISK -> {
          message(in, Protos.Resource.DiskInfo.parser(), RESOURCE_DEPTH);
          leftOut = true;
        }
        case RESOURCE_PROVIDER_ID -> {
          message(in, Protos.ResourceProviderID.parser(), RESOURCE_DEPTH);
          leftOut = true;
        }
        case RESOURCE_REVOCABLE -> {
          message(in, Protos.Resource.RevocableInfo.parser(), RESOURCE_DEPTH);
          leftOut = true;
        }
        case RESOURCE_SHARED -> {
          message(in, Protos.Resource.SharedInfo.parser(), RESOURCE_DEPTH);
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

  private static Reservation reservation(CodedInputStream in) throws IOException {
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
          labels = message(in, Protos.Labels.parser(), RESERVATION_DEPTH);
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
          once(hasScalar ? Boolean.TRUE : null);
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

  // ------------------------------------------------------------------ updates

  private static TaskStatus update(CodedInputStream in, TaskStatus seen) throws IOException {
    once(seen);
    int limit = enter(in);
    TaskStatus status = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != UPDATE_STATUS) {
        throw UNMAPPED;
      }
      once(status);
      status = status(in);
    }
    leave(in, limit);
    if (status == null) {
      throw UNMAPPED;
    }
    return status;
  }

  /** A {@code TaskStatus} as {@link V1Conversions#taskStatus(Protos.TaskStatus)} makes it. */
  private static TaskStatus status(CodedInputStream in) throws IOException {
    int limit = enter(in);
    String taskId = null;
    Protos.TaskState state = null;
    String message = null;
    Protos.TaskStatus.Source source = null;
    Protos.TaskStatus.Reason reason = null;
    byte[] data = null;
    String agentId = null;
    String executorId = null;
    boolean hasTimestamp = false;
    double timestamp = 0;
    byte[] uuid = null;
    Boolean healthy = null;
    Protos.CheckStatusInfo check = null;
    Object labels = null;
    Object containerStatus = null;
    Object unreachableTime = null;
    Object limitation = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case STATUS_TASK_ID -> {
          once(taskId);
          taskId = id(in, TASK_ID_VALUE);
        }
        case STATUS_STATE -> state = known(Protos.TaskState.forNumber(in.readEnum()));
        case STATUS_MESSAGE -> message = in.readString();
        case STATUS_SOURCE -> source = known(Protos.TaskStatus.Source.forNumber(in.readEnum()));
        case STATUS_REASON -> reason = known(Protos.TaskStatus.Reason.forNumber(in.readEnum()));
        case STATUS_DATA -> data = in.readByteArray();
        case STATUS_AGENT_ID -> {
          once(agentId);
          agentId = id(in, AGENT_ID_VALUE);
        }
        case STATUS_EXECUTOR_ID -> {
          once(executorId);
          executorId = id(in, EXECUTOR_ID_VALUE);
        }
        case STATUS_TIMESTAMP -> {
          timestamp = in.readDouble();
          hasTimestamp = true;
        }
        case STATUS_UUID -> uuid = in.readByteArray();
        case STATUS_HEALTHY -> healthy = in.readBool();
        case STATUS_CHECK_STATUS -> {
          once(check);
          check = message(in, Protos.CheckStatusInfo.parser(), STATUS_DEPTH);
        }
        case STATUS_LABELS -> {
          once(labels);
          labels = message(in, Protos.Labels.parser(), STATUS_DEPTH);
        }
        case STATUS_CONTAINER_STATUS -> {
          once(containerStatus);
          containerStatus = message(in, Protos.ContainerStatus.parser(), STATUS_DEPTH);
        }
        case STATUS_UNREACHABLE_TIME -> {
          once(unreachableTime);
          unreachableTime = message(in, Protos.TimeInfo.parser(), STATUS_DEPTH);
        }
        case STATUS_LIMITATION -> {
          once(limitation);
          limitation = message(in, Protos.TaskResourceLimitation.parser(), STATUS_DEPTH);
        }
        default -> throw UNMAPPED;
      }
    }
    leave(in, limit);
    if (taskId == null || state == null) {
      throw UNMAPPED;
    }
    return new TaskStatus(
        taskId,
        V1Conversions.taskState(state),
        Optional.ofNullable(message),
        reason != null ? Optional.of(reason.name()) : Optional.empty(),
        source != null ? Optional.of(source.name()) : Optional.empty(),
        Optional.ofNullable(agentId),
        Optional.ofNullable(executorId),
        Optional.ofNullable(uuid),
        hasTimestamp
            ? Instant.ofEpochSecond(0, (long) (timestamp * 1_000_000_000L))
            : Instant.EPOCH,
        Optional.ofNullable(data),
        Optional.ofNullable(healthy),
        check != null ? CheckMessages.checkResult(check) : Optional.empty());
  }
}
