package dev.mesoskit.core.http;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import com.google.protobuf.WireFormat;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.spi.TaskStatus;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * Decodes the hot scheduler events (OFFERS, UPDATE, HEARTBEAT) straight from their wire format
 * into MesosKit values with protobuf's {@link CodedInputStream}, without building the generated
 * messages: the values {@link V1Conversions} makes of the parsed event, field for field.
 *
 * <p>This class reads the event, UPDATE's status and the bits both share; {@link WireOfferDecoder}
 * reads offers. The decoder maps a closed set of fields. It gives up (returns null, and the caller parses
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
  static final int RECURSION_LIMIT = 100;
  // Depth of the fields of each message below the event: where the parser would read them.
  private static final int STATUS_DEPTH = 2;

  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final int EVENT_TYPE = Event.TYPE_FIELD_NUMBER << 3 | VARINT;
  private static final int EVENT_OFFERS = Event.OFFERS_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_UPDATE = Event.UPDATE_FIELD_NUMBER << 3 | LEN;
  private static final int UPDATE_STATUS = Event.Update.STATUS_FIELD_NUMBER << 3 | LEN;

  private static final int AGENT_ID_VALUE = Protos.AgentID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int EXECUTOR_ID_VALUE = Protos.ExecutorID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_ID_VALUE = Protos.TaskID.VALUE_FIELD_NUMBER << 3 | LEN;

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
  static final RuntimeException UNMAPPED = new RuntimeException("unmapped", null, false,
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
          case EVENT_OFFERS -> offers = WireOfferDecoder.offers(in, offers);
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
  static int enter(CodedInputStream in) throws IOException {
    return in.pushLimit(in.readRawVarint32());
  }

  static void leave(CodedInputStream in, int limit) throws IOException {
    in.checkLastTagWas(0);
    in.popLimit(limit);
  }

  static void once(Object seen) {
    if (seen != null) {
      throw UNMAPPED; // protobuf merges a singular message given twice
    }
  }

  /**
   * A message the conversion reads nothing of, or reads through its generated class: parsed by
   * its parser at the recursion depth the event's parser would reach, and checked whole.
   */
  static <T extends MessageLite> T message(CodedInputStream in, Parser<T> parser,
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
  static String id(CodedInputStream in, int valueTag) throws IOException {
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

  static <E> E known(E enumValue) {
    if (enumValue == null) {
      throw UNMAPPED; // the parser keeps an unknown number as an unknown field
    }
    return enumValue;
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
