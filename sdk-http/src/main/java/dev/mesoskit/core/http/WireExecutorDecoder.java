package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.WireEventDecoder.UNMAPPED;
import static dev.mesoskit.core.http.WireEventDecoder.enter;
import static dev.mesoskit.core.http.WireEventDecoder.id;
import static dev.mesoskit.core.http.WireEventDecoder.leave;
import static dev.mesoskit.core.http.WireEventDecoder.once;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.LaunchedTask;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * Decodes the events of the v1 executor API straight from their wire format into MesosKit values
 * with protobuf's {@link CodedInputStream}, without the generated messages: the values
 * {@link HttpExecutorBackend} makes of the parsed event (through {@link V1Conversions}), field for
 * field. An executor that never meets an event it cannot decode never builds the descriptors of
 * {@code mesos.proto} ({@code org.apache.mesos.v1.Protos}' static initializer, about 150 ms of a
 * cold JVM's CPU).
 *
 * <p>It decodes SUBSCRIBED, LAUNCH, LAUNCH_GROUP, KILL, ACKNOWLEDGED, MESSAGE, ERROR, SHUTDOWN
 * and HEARTBEAT, each with its own payload and no other. It gives up (returns null, and the
 * caller parses the event and converts it as before) on anything else: another event type, an
 * enum number it does not know, a missing required field of what it reads, a singular message
 * given twice (protobuf would merge the two), a task with a {@code health_check} or a
 * {@code check} (rare; {@link CheckMessages} converts them from the parsed message), an id or a
 * resource with a field it does not know, bytes malformed where it reads, or a value a MesosKit
 * constructor refuses. So an event malformed in what the executor reads fails exactly as the
 * parser makes it fail.
 *
 * <p>Parts of an event the executor does not read ({@code Subscribed.executor_info} and
 * {@code container_id}, a task's {@code executor} but for its id, {@code command},
 * {@code container}, {@code discovery}, {@code max_completion_time}, {@code limits}, the rest of
 * {@code FrameworkInfo} and {@code AgentInfo}) and unknown fields are skipped by their wire type
 * and length, not parsed: an event whose unread parts lack a field {@code mesos.proto} requires,
 * or are malformed inside (a bad tag or nested length, invalid UTF-8 in a map key), is decoded
 * here where the parser refuses it (an agent sends what it validated). A task's {@code TaskInfo}
 * is kept as the bytes that came, unread parts included, and sent back as they are in
 * SUBSCRIBE's {@code unacknowledged_tasks}.
 *
 * <p>Stateless; safe from any thread.
 */
final class WireExecutorDecoder {
  // Depth of the fields of a launched task's resources below the event, as the parser reads them.
  private static final int LAUNCH_RESOURCE_DEPTH = 3;
  private static final int GROUP_RESOURCE_DEPTH = 4;

  private static final int VARINT = WireFormat.WIRETYPE_VARINT;
  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private static final int EVENT_TYPE = Event.TYPE_FIELD_NUMBER << 3 | VARINT;
  private static final int EVENT_SUBSCRIBED = Event.SUBSCRIBED_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_ACKNOWLEDGED = Event.ACKNOWLEDGED_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_LAUNCH = Event.LAUNCH_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_LAUNCH_GROUP = Event.LAUNCH_GROUP_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_KILL = Event.KILL_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_MESSAGE = Event.MESSAGE_FIELD_NUMBER << 3 | LEN;
  private static final int EVENT_ERROR = Event.ERROR_FIELD_NUMBER << 3 | LEN;

  private static final int SUBSCRIBED_EXECUTOR_INFO =
      Event.Subscribed.EXECUTOR_INFO_FIELD_NUMBER << 3 | LEN;
  private static final int SUBSCRIBED_FRAMEWORK_INFO =
      Event.Subscribed.FRAMEWORK_INFO_FIELD_NUMBER << 3 | LEN;
  private static final int SUBSCRIBED_AGENT_INFO =
      Event.Subscribed.AGENT_INFO_FIELD_NUMBER << 3 | LEN;
  private static final int LAUNCH_TASK = Event.Launch.TASK_FIELD_NUMBER << 3 | LEN;
  private static final int LAUNCH_GROUP_TASK_GROUP =
      Event.LaunchGroup.TASK_GROUP_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_GROUP_TASKS = Protos.TaskGroupInfo.TASKS_FIELD_NUMBER << 3 | LEN;
  private static final int KILL_TASK_ID = Event.Kill.TASK_ID_FIELD_NUMBER << 3 | LEN;
  private static final int KILL_KILL_POLICY = Event.Kill.KILL_POLICY_FIELD_NUMBER << 3 | LEN;
  private static final int ACKNOWLEDGED_TASK_ID =
      Event.Acknowledged.TASK_ID_FIELD_NUMBER << 3 | LEN;
  private static final int ACKNOWLEDGED_UUID = Event.Acknowledged.UUID_FIELD_NUMBER << 3 | LEN;
  private static final int MESSAGE_DATA = Event.Message.DATA_FIELD_NUMBER << 3 | LEN;
  private static final int ERROR_MESSAGE = Event.Error.MESSAGE_FIELD_NUMBER << 3 | LEN;

  private static final int FRAMEWORK_USER = Protos.FrameworkInfo.USER_FIELD_NUMBER << 3 | LEN;
  private static final int FRAMEWORK_NAME = Protos.FrameworkInfo.NAME_FIELD_NUMBER << 3 | LEN;
  private static final int FRAMEWORK_ID = Protos.FrameworkInfo.ID_FIELD_NUMBER << 3 | LEN;
  private static final int FRAMEWORK_CAPABILITIES =
      Protos.FrameworkInfo.CAPABILITIES_FIELD_NUMBER << 3 | LEN;
  private static final int CAPABILITY_TYPE =
      Protos.FrameworkInfo.Capability.TYPE_FIELD_NUMBER << 3 | VARINT;
  private static final int AGENT_HOSTNAME = Protos.AgentInfo.HOSTNAME_FIELD_NUMBER << 3 | LEN;
  private static final int AGENT_ID = Protos.AgentInfo.ID_FIELD_NUMBER << 3 | LEN;

  private static final int TASK_NAME = Protos.TaskInfo.NAME_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_TASK_ID = Protos.TaskInfo.TASK_ID_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_AGENT_ID = Protos.TaskInfo.AGENT_ID_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_RESOURCES = Protos.TaskInfo.RESOURCES_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_EXECUTOR = Protos.TaskInfo.EXECUTOR_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_DATA = Protos.TaskInfo.DATA_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_HEALTH_CHECK =
      Protos.TaskInfo.HEALTH_CHECK_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_CHECK = Protos.TaskInfo.CHECK_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_LABELS = Protos.TaskInfo.LABELS_FIELD_NUMBER << 3 | LEN;
  private static final int TASK_KILL_POLICY = Protos.TaskInfo.KILL_POLICY_FIELD_NUMBER << 3 | LEN;
  private static final int EXECUTOR_EXECUTOR_ID =
      Protos.ExecutorInfo.EXECUTOR_ID_FIELD_NUMBER << 3 | LEN;
  private static final int LABELS_LABELS = Protos.Labels.LABELS_FIELD_NUMBER << 3 | LEN;
  private static final int LABEL_KEY = Protos.Label.KEY_FIELD_NUMBER << 3 | LEN;
  private static final int LABEL_VALUE = Protos.Label.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int KILL_POLICY_GRACE_PERIOD =
      Protos.KillPolicy.GRACE_PERIOD_FIELD_NUMBER << 3 | LEN;
  private static final int DURATION_NANOSECONDS =
      Protos.DurationInfo.NANOSECONDS_FIELD_NUMBER << 3 | VARINT;

  private static final int TASK_ID_VALUE = Protos.TaskID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int AGENT_ID_VALUE = Protos.AgentID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int EXECUTOR_ID_VALUE = Protos.ExecutorID.VALUE_FIELD_NUMBER << 3 | LEN;
  private static final int FRAMEWORK_ID_VALUE = Protos.FrameworkID.VALUE_FIELD_NUMBER << 3 | LEN;

  private WireExecutorDecoder() {}

  /**
   * Reads one event: decoded straight into values when the decoder maps it whole, otherwise
   * parsed. With assertions on (as in tests), a decoded event is checked against the parser and
   * the conversion.
   *
   * @param frameworkId the executor's framework
   * @param executorId the executor
   * @param agent the agent that sent it, for the message of an error
   * @return the event
   * @throws MesosKitException naming the agent and the parser's complaint when the bytes are no
   *     valid v1 executor {@code Event}
   */
  static WireExecutorEvent read(byte[] bytes, int offset, int length, String frameworkId,
      String executorId, URI agent) {
    WireExecutorEvent decoded = decode(bytes, offset, length, frameworkId, executorId);
    if (decoded != null) {
      assert decoded.sameValues(WireExecutorEvent.converted(parse(bytes, offset, length, agent),
          frameworkId, executorId)) : "decoded " + decoded + " but the parser and the"
              + " conversion make " + WireExecutorEvent.converted(
                  parse(bytes, offset, length, agent), frameworkId, executorId);
      return decoded;
    }
    return WireExecutorEvent.parsed(parse(bytes, offset, length, agent));
  }

  private static Event parse(byte[] bytes, int offset, int length, URI agent) {
    try {
      return Event.parser().parseFrom(bytes, offset, length);
    } catch (InvalidProtocolBufferException e) {
      throw new MesosKitException("agent " + agent + " sent an event that is not a valid v1"
          + " executor Event (" + length + " bytes): " + e.getMessage(), e);
    }
  }

  /**
   * The event in {@code length} bytes of {@code bytes} from {@code offset}, decoded; the bytes
   * are not kept.
   *
   * @param frameworkId the executor's framework, a launched task's
   * @param executorId the executor, a launched task's unless its {@code TaskInfo} names another
   * @return the event, or null when the decoder does not map it whole or cannot read it: then
   *     the generated parser decides
   */
  static WireExecutorEvent decode(byte[] bytes, int offset, int length, String frameworkId,
      String executorId) {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes, offset, length);
      int type = -1;
      int payloads = 0;
      WireExecutorEvent.Subscribed subscribed = null;
      List<WireExecutorEvent.Task> launch = null;
      List<WireExecutorEvent.Task> group = null;
      WireExecutorEvent kill = null;
      WireExecutorEvent acknowledged = null;
      byte[] message = null;
      String error = null;
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case EVENT_TYPE -> type = in.readEnum();
          case EVENT_SUBSCRIBED -> {
            once(subscribed);
            subscribed = subscribed(in);
            payloads++;
          }
          case EVENT_LAUNCH -> {
            once(launch);
            launch = launch(in, bytes, offset, frameworkId, executorId);
            payloads++;
          }
          case EVENT_LAUNCH_GROUP -> {
            once(group);
            group = launchGroup(in, bytes, offset, frameworkId, executorId);
            payloads++;
          }
          case EVENT_KILL -> {
            once(kill);
            kill = kill(in);
            payloads++;
          }
          case EVENT_ACKNOWLEDGED -> {
            once(acknowledged);
            acknowledged = acknowledged(in);
            payloads++;
          }
          case EVENT_MESSAGE -> {
            once(message);
            message = bytesField(in, MESSAGE_DATA);
            payloads++;
          }
          case EVENT_ERROR -> {
            once(error);
            error = new String(bytesField(in, ERROR_MESSAGE), java.nio.charset.StandardCharsets.UTF_8);
            payloads++;
          }
          default -> skip(in, tag);
        }
      }
      if (payloads > 1) {
        return null;
      }
      return switch (type) {
        case WireExecutorEvent.SUBSCRIBED ->
            subscribed != null ? WireExecutorEvent.subscribed(subscribed) : null;
        case WireExecutorEvent.LAUNCH ->
            launch != null ? WireExecutorEvent.launch(type, launch) : null;
        case WireExecutorEvent.LAUNCH_GROUP ->
            group != null ? WireExecutorEvent.launch(type, group) : null;
        case WireExecutorEvent.KILL -> kill;
        case WireExecutorEvent.ACKNOWLEDGED -> acknowledged;
        case WireExecutorEvent.MESSAGE ->
            message != null ? WireExecutorEvent.message(message) : null;
        case WireExecutorEvent.ERROR -> error != null ? WireExecutorEvent.error(error) : null;
        case WireExecutorEvent.SHUTDOWN ->
            payloads == 0 ? WireExecutorEvent.SHUTDOWN_EVENT : null;
        case WireExecutorEvent.HEARTBEAT ->
            payloads == 0 ? WireExecutorEvent.HEARTBEAT_EVENT : null;
        default -> null;
      };
    } catch (IOException | RuntimeException e) {
      return null; // the parser reads it again, and fails as it always did when the bytes are bad
    }
  }

  /** Skips a field the conversion does not read; an end-group tag is the parser's to judge. */
  private static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw UNMAPPED;
    }
  }

  /**
   * The required bytes field {@code fieldTag} of a message (MESSAGE's data, ERROR's message), its
   * last value when given twice, other fields skipped.
   */
  private static byte[] bytesField(CodedInputStream in, int fieldTag) throws IOException {
    int limit = enter(in);
    byte[] value = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == fieldTag) {
        value = in.readByteArray();
      } else {
        skip(in, tag);
      }
    }
    leave(in, limit);
    if (value == null) {
      throw UNMAPPED;
    }
    return value;
  }

  // ------------------------------------------------------------------ SUBSCRIBED

  private static WireExecutorEvent.Subscribed subscribed(CodedInputStream in) throws IOException {
    int limit = enter(in);
    boolean executorInfo = false;
    Framework framework = null;
    Agent agent = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case SUBSCRIBED_EXECUTOR_INFO -> {
          if (executorInfo) {
            throw UNMAPPED;
          }
          executorInfo = true;
          in.skipField(tag);
        }
        case SUBSCRIBED_FRAMEWORK_INFO -> {
          once(framework);
          framework = framework(in);
        }
        case SUBSCRIBED_AGENT_INFO -> {
          once(agent);
          agent = agent(in);
        }
        default -> skip(in, tag);
      }
    }
    leave(in, limit);
    if (!executorInfo || framework == null || agent == null) {
      throw UNMAPPED; // required: the parser refuses the event
    }
    return new WireExecutorEvent.Subscribed(Optional.ofNullable(framework.id), agent.id,
        agent.hostname, framework.capabilities);
  }

  private record Framework(String id, Set<String> capabilities) {}

  private record Agent(String id, String hostname) {}

  /** {@code FrameworkInfo}: its id and capabilities as {@link V1Conversions#capabilities}. */
  private static Framework framework(CodedInputStream in) throws IOException {
    int limit = enter(in);
    boolean user = false;
    boolean name = false;
    String id = null;
    Set<String> capabilities = new TreeSet<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case FRAMEWORK_USER -> {
          in.skipField(tag);
          user = true;
        }
        case FRAMEWORK_NAME -> {
          in.skipField(tag);
          name = true;
        }
        case FRAMEWORK_ID -> {
          once(id);
          id = id(in, FRAMEWORK_ID_VALUE);
        }
        case FRAMEWORK_CAPABILITIES -> {
          int capabilityLimit = enter(in);
          int type = -1;
          for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == CAPABILITY_TYPE) {
              int number = in.readEnum();
              // The parser keeps an unknown number as an unknown field: hasType() is false.
              if (Protos.FrameworkInfo.Capability.Type.forNumber(number) != null) {
                type = number;
              }
            } else {
              skip(in, t);
            }
          }
          leave(in, capabilityLimit);
          Protos.FrameworkInfo.Capability.Type known =
              Protos.FrameworkInfo.Capability.Type.forNumber(type);
          if (known != null && known != Protos.FrameworkInfo.Capability.Type.UNKNOWN) {
            capabilities.add(known.name());
          }
        }
        default -> skip(in, tag);
      }
    }
    leave(in, limit);
    if (!user || !name) {
      throw UNMAPPED;
    }
    return new Framework(id, capabilities);
  }

  /** {@code AgentInfo}: its id ("" when absent, as the getter gives it) and hostname. */
  private static Agent agent(CodedInputStream in) throws IOException {
    int limit = enter(in);
    String id = null;
    String hostname = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case AGENT_HOSTNAME -> hostname = in.readString();
        case AGENT_ID -> {
          once(id);
          id = id(in, AGENT_ID_VALUE);
        }
        default -> skip(in, tag);
      }
    }
    leave(in, limit);
    if (hostname == null) {
      throw UNMAPPED;
    }
    return new Agent(id != null ? id : "", hostname);
  }

  // ------------------------------------------------------------------ tasks

  private static List<WireExecutorEvent.Task> launch(CodedInputStream in, byte[] bytes,
      int offset, String frameworkId, String executorId) throws IOException {
    int limit = enter(in);
    WireExecutorEvent.Task task = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == LAUNCH_TASK) {
        once(task);
        task = task(in, bytes, offset, frameworkId, executorId, LAUNCH_RESOURCE_DEPTH);
      } else {
        skip(in, tag);
      }
    }
    leave(in, limit);
    if (task == null) {
      throw UNMAPPED;
    }
    return List.of(task);
  }

  private static List<WireExecutorEvent.Task> launchGroup(CodedInputStream in, byte[] bytes,
      int offset, String frameworkId, String executorId) throws IOException {
    int limit = enter(in);
    List<WireExecutorEvent.Task> tasks = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == LAUNCH_GROUP_TASK_GROUP) {
        once(tasks);
        tasks = new ArrayList<>();
        int groupLimit = enter(in);
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == TASK_GROUP_TASKS) {
            tasks.add(task(in, bytes, offset, frameworkId, executorId, GROUP_RESOURCE_DEPTH));
          } else {
            skip(in, t);
          }
        }
        leave(in, groupLimit);
      } else {
        skip(in, tag);
      }
    }
    leave(in, limit);
    if (tasks == null) {
      throw UNMAPPED;
    }
    return tasks;
  }

  /** A {@code TaskInfo} as {@link V1Conversions#launchedTask} makes it, and its bytes. */
  private static WireExecutorEvent.Task task(CodedInputStream in, byte[] bytes, int offset,
      String frameworkId, String executorId, int resourceDepth) throws IOException {
    int length = in.readRawVarint32();
    int start = offset + in.getTotalBytesRead();
    int limit = in.pushLimit(length);
    String name = null;
    String taskId = null;
    String agentId = null;
    byte[] data = null;
    Map<String, String> labels = new LinkedHashMap<>();
    List<Resource> resources = new ArrayList<>();
    String taskExecutorId = null;
    boolean hasExecutor = false;
    Optional<Duration> grace = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case TASK_NAME -> name = in.readString();
        case TASK_TASK_ID -> {
          once(taskId);
          taskId = id(in, TASK_ID_VALUE);
        }
        case TASK_AGENT_ID -> {
          once(agentId);
          agentId = id(in, AGENT_ID_VALUE);
        }
        case TASK_RESOURCES -> WireOfferDecoder.resource(in, resources, resourceDepth);
        case TASK_EXECUTOR -> {
          if (hasExecutor) {
            throw UNMAPPED;
          }
          hasExecutor = true;
          taskExecutorId = executorInfoId(in);
        }
        case TASK_DATA -> data = in.readByteArray();
        case TASK_LABELS -> labels(in, labels);
        case TASK_KILL_POLICY -> {
          once(grace);
          grace = killPolicy(in);
        }
        case TASK_HEALTH_CHECK, TASK_CHECK -> throw UNMAPPED; // converted from the parsed message
        default -> skip(in, tag);
      }
    }
    in.checkLastTagWas(0);
    in.popLimit(limit);
    if (name == null || taskId == null || agentId == null) {
      throw UNMAPPED;
    }
    LaunchedTask task = new LaunchedTask(taskId, name, data != null ? data : new byte[0], labels,
        Resources.of(resources), hasExecutor ? taskExecutorId : executorId, frameworkId, agentId,
        grace != null ? grace : Optional.empty(), Optional.empty(), Optional.empty());
    return new WireExecutorEvent.Task(task, Arrays.copyOfRange(bytes, start, start + length));
  }

  /** {@code ExecutorInfo}: its {@code executor_id}, required; the rest skipped. */
  private static String executorInfoId(CodedInputStream in) throws IOException {
    int limit = enter(in);
    String id = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == EXECUTOR_EXECUTOR_ID) {
        once(id);
        id = id(in, EXECUTOR_ID_VALUE);
      } else {
        skip(in, tag);
      }
    }
    leave(in, limit);
    if (id == null) {
      throw UNMAPPED;
    }
    return id;
  }

  /** Puts {@code Labels}' labels, a value absent as "", a key given twice keeping its last. */
  private static void labels(CodedInputStream in, Map<String, String> labels) throws IOException {
    int limit = enter(in);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != LABELS_LABELS) {
        skip(in, tag);
        continue;
      }
      int labelLimit = enter(in);
      String key = null;
      String value = "";
      for (int t = in.readTag(); t != 0; t = in.readTag()) {
        switch (t) {
          case LABEL_KEY -> key = in.readString();
          case LABEL_VALUE -> value = in.readString();
          default -> skip(in, t);
        }
      }
      leave(in, labelLimit);
      if (key == null) {
        throw UNMAPPED;
      }
      labels.put(key, value);
    }
    leave(in, limit);
  }

  /** {@code KillPolicy}: its grace period, negative as zero, when it has one. */
  private static Optional<Duration> killPolicy(CodedInputStream in) throws IOException {
    int limit = enter(in);
    Optional<Duration> grace = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == KILL_POLICY_GRACE_PERIOD) {
        once(grace);
        int durationLimit = enter(in);
        Long nanos = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
          if (t == DURATION_NANOSECONDS) {
            nanos = in.readInt64();
          } else {
            skip(in, t);
          }
        }
        leave(in, durationLimit);
        if (nanos == null) {
          throw UNMAPPED;
        }
        grace = Optional.of(Duration.ofNanos(Math.max(0, nanos)));
      } else {
        skip(in, tag);
      }
    }
    leave(in, limit);
    return grace != null ? grace : Optional.empty();
  }

  // ------------------------------------------------------------------ KILL, ACKNOWLEDGED

  private static WireExecutorEvent kill(CodedInputStream in) throws IOException {
    int limit = enter(in);
    String taskId = null;
    Optional<Duration> grace = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case KILL_TASK_ID -> {
          once(taskId);
          taskId = id(in, TASK_ID_VALUE);
        }
        case KILL_KILL_POLICY -> {
          once(grace);
          grace = killPolicy(in);
        }
        default -> skip(in, tag);
      }
    }
    leave(in, limit);
    if (taskId == null) {
      throw UNMAPPED;
    }
    return WireExecutorEvent.kill(taskId, grace != null ? grace : Optional.empty());
  }

  private static WireExecutorEvent acknowledged(CodedInputStream in) throws IOException {
    int limit = enter(in);
    String taskId = null;
    byte[] uuid = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case ACKNOWLEDGED_TASK_ID -> {
          once(taskId);
          taskId = id(in, TASK_ID_VALUE);
        }
        case ACKNOWLEDGED_UUID -> uuid = in.readByteArray();
        default -> skip(in, tag);
      }
    }
    leave(in, limit);
    if (taskId == null || uuid == null) {
      throw UNMAPPED;
    }
    return WireExecutorEvent.acknowledged(taskId, uuid);
  }
}
