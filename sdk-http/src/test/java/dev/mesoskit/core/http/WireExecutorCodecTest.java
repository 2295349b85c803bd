package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.TaskStatus;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.Test;

/**
 * {@link WireExecutorCalls} and {@link WireExecutorDecoder} against protobuf-java: the bytes the
 * generated messages serialize to for every call, the values the parser and the conversion make
 * for every event, and the parser's verdict for anything the decoder does not map.
 */
class WireExecutorCodecTest {
  private static final String FW = "fw-1";
  private static final String EX = "ex-1";
  private static final URI AGENT = URI.create("http://127.0.0.1:5051");

  // ------------------------------------------------------------------ calls

  @Test
  void encodesSubscribeWithoutUnacknowledgedUpdatesAsProtobufDoes() {
    assertThat(WireExecutorCalls.subscribe(FW, EX, List.of(), List.of()))
        .isEqualTo(call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()).build()
            .toByteArray());
  }

  @Test
  void encodesSubscribeWithUnacknowledgedTasksAndUpdatesAsProtobufDoes() {
    Protos.TaskInfo t1 = fullTask("t1", new byte[] {1, 2, 3});
    Protos.TaskInfo t2 = fullTask("t2", new byte[0]);
    TaskStatus s1 = status("t1", TaskState.RUNNING);
    TaskStatus s2 = everyField();
    byte[] wire = WireExecutorCalls.subscribe(FW, EX, List.of(t1.toByteArray(), t2.toByteArray()),
        List.of(WireExecutorCalls.status(s1, EX), WireExecutorCalls.status(s2, EX)));
    byte[] expected = call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.newBuilder()
        .addUnacknowledgedTasks(t1).addUnacknowledgedTasks(t2)
        .addUnacknowledgedUpdates(Call.Update.newBuilder().setStatus(statusMessage(s1)))
        .addUnacknowledgedUpdates(Call.Update.newBuilder().setStatus(statusMessage(s2))))
        .build().toByteArray();
    assertThat(wire).isEqualTo(expected);
  }

  @Test
  void encodesUpdatesOfEveryFieldAndCheckResultAsProtobufDoes() {
    List<TaskStatus> statuses = List.of(
        status("t", TaskState.RUNNING),
        everyField(),
        withCheck(CheckResult.exitCode(0)),
        withCheck(CheckResult.exitCode(-1)), // int32: a negative number takes ten bytes
        withCheck(CheckResult.exitCode(Integer.MAX_VALUE)),
        withCheck(CheckResult.statusCode(503)),
        withCheck(CheckResult.tcp(false)),
        withCheck(CheckResult.pending(Probe.Kind.COMMAND)),
        withCheck(CheckResult.pending(Probe.Kind.HTTP)),
        withCheck(CheckResult.pending(Probe.Kind.TCP)),
        new TaskStatus("t\u00e9\uD83D\uDE00", TaskState.FAILED, Optional.of("unpaired \uD800 ok"),
            Optional.of("REASON_COMMAND_EXECUTOR_FAILED"), Optional.empty(), Optional.empty(),
            Optional.of("another-executor"), Optional.of(uuid(9)),
            Instant.ofEpochSecond(0, 1), Optional.of(new byte[0]), Optional.of(false),
            Optional.empty()),
        new TaskStatus("t", TaskState.FINISHED, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(uuid(3)),
            Instant.EPOCH, Optional.of(new byte[1 << 20])));
    for (TaskStatus s : statuses) {
      byte[] status = WireExecutorCalls.status(s, EX);
      assertThat(status).as("%s", s).isEqualTo(statusMessage(s).toByteArray());
      assertThat(WireExecutorCalls.update(FW, EX, status)).as("%s", s).isEqualTo(
          call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(statusMessage(s)))
              .build().toByteArray());
    }
  }

  @Test
  void encodesMessagesAsProtobufDoes() {
    for (byte[] data : List.of(new byte[0], "hello".getBytes(), new byte[3 << 20])) {
      assertThat(WireExecutorCalls.message(FW, EX, data)).isEqualTo(call(Call.Type.MESSAGE)
          .setMessage(Call.Message.newBuilder().setData(ByteString.copyFrom(data))).build()
          .toByteArray());
    }
  }

  @Test
  void refusesAReasonOrSourceThatIsNoMesosName() {
    TaskStatus badReason = new TaskStatus("t", TaskState.FAILED, Optional.empty(),
        Optional.of("REASON_NOPE"), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(uuid(1)), Instant.EPOCH);
    TaskStatus badSource = new TaskStatus("t", TaskState.FAILED, Optional.empty(),
        Optional.empty(), Optional.of("SOURCE_NOPE"), Optional.empty(), Optional.empty(),
        Optional.of(uuid(1)), Instant.EPOCH);
    assertThatThrownBy(() -> WireExecutorCalls.status(badReason, EX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("reason must be a Mesos TaskStatus reason name but was 'REASON_NOPE'");
    assertThatThrownBy(() -> WireExecutorCalls.status(badSource, EX))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("source must be a Mesos TaskStatus source name but was 'SOURCE_NOPE'");
  }

  // ------------------------------------------------------------------ events

  @Test
  void decodesEveryEventTypeToTheValuesTheConversionMakes() {
    for (Event e : List.of(
        subscribed(true),
        subscribed(false),
        launch(fullTask("t1", "payload".getBytes())),
        launch(minimalTask("t2")),
        Event.newBuilder().setType(Event.Type.LAUNCH_GROUP).setLaunchGroup(Event.LaunchGroup
            .newBuilder().setTaskGroup(Protos.TaskGroupInfo.newBuilder()
                .addTasks(minimalTask("g1")).addTasks(fullTask("g2", new byte[] {7}))))
            .build(),
        Event.newBuilder().setType(Event.Type.LAUNCH_GROUP).setLaunchGroup(Event.LaunchGroup
            .newBuilder().setTaskGroup(Protos.TaskGroupInfo.newBuilder())).build(),
        kill(null),
        kill(Protos.KillPolicy.newBuilder().build()),
        kill(V1Conversions.killPolicy(Duration.ofMillis(1500))),
        kill(Protos.KillPolicy.newBuilder().setGracePeriod(Protos.DurationInfo.newBuilder()
            .setNanoseconds(-5)).build()),
        Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(
            Event.Acknowledged.newBuilder().setTaskId(taskId("t1"))
                .setUuid(ByteString.copyFrom(uuid(4)))).build(),
        Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
            .setData(ByteString.copyFrom(new byte[2 << 20]))).build(),
        Event.newBuilder().setType(Event.Type.MESSAGE).setMessage(Event.Message.newBuilder()
            .setData(ByteString.EMPTY)).build(),
        Event.newBuilder().setType(Event.Type.ERROR).setError(Event.Error.newBuilder()
            .setMessage("framework gone \u2013 bye")).build(),
        Event.newBuilder().setType(Event.Type.SHUTDOWN).build(),
        Event.newBuilder().setType(Event.Type.HEARTBEAT).build())) {
      assertDecodedAsConverted(e.toByteArray());
    }
  }

  @Test
  void decodesATaskWithEveryFieldTheRuntimeReadsToExactValues() {
    Protos.TaskInfo task = fullTask("t1", "payload".getBytes());
    WireExecutorEvent decoded = assertDecodedAsConverted(launch(task).toByteArray());
    var launched = decoded.tasks().get(0).task();
    assertThat(launched.mesosTaskId()).isEqualTo("t1");
    assertThat(launched.name()).isEqualTo("task t1");
    assertThat(launched.data()).isEqualTo("payload".getBytes());
    assertThat(launched.labels()).containsExactly(Map.entry("a", "2"), Map.entry("empty", ""),
        Map.entry("MESOSKIT_ENV_X", "y"));
    assertThat(launched.resources()).isEqualTo(Resources.parse("cpus:0.5;mem:64;ports:[31000-31001]"));
    assertThat(launched.executorId()).isEqualTo("own-executor");
    assertThat(launched.frameworkId()).isEqualTo(FW);
    assertThat(launched.agentId()).isEqualTo("agent-1");
    assertThat(launched.killGracePeriod()).contains(Duration.ofSeconds(3));
    assertThat(decoded.tasks().get(0).taskInfo()).isEqualTo(task.toByteArray());
  }

  @Test
  void decodesSubscribedToExactValues() {
    WireExecutorEvent decoded = assertDecodedAsConverted(subscribed(true).toByteArray());
    assertThat(decoded.subscribed()).isEqualTo(new WireExecutorEvent.Subscribed(
        Optional.of("fw-from-agent"), "agent-1", "host-1",
        Set.of("MULTI_ROLE", "TASK_KILLING_STATE")));
  }

  @Test
  void skipsUnknownFieldsAtEveryLevel() {
    UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
        .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(7)
            .addLengthDelimited(ByteString.copyFromUtf8("x")).addFixed32(1).addFixed64(2)
            .addGroup(UnknownFieldSet.newBuilder().addField(1,
                UnknownFieldSet.Field.newBuilder().addVarint(1).build()).build())
            .build())
        .build();
    Protos.TaskInfo task = fullTask("t1", new byte[] {1}).toBuilder()
        .setUnknownFields(unknown)
        .setLabels(Protos.Labels.newBuilder().addLabels(Protos.Label.newBuilder().setKey("k")
            .setUnknownFields(unknown)).setUnknownFields(unknown))
        .build();
    Event launch = launch(task).toBuilder().setUnknownFields(unknown).build();
    WireExecutorEvent decoded = assertDecodedAsConverted(launch.toByteArray());
    assertThat(decoded.tasks().get(0).taskInfo()).isEqualTo(task.toByteArray());

    Event.Subscribed s = subscribed(true).getSubscribed();
    Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(
        s.toBuilder().setUnknownFields(unknown)
            .setFrameworkInfo(s.getFrameworkInfo().toBuilder().setUnknownFields(unknown)
                .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
                    .setUnknownFields(unknown)))
            .setAgentInfo(s.getAgentInfo().toBuilder().setUnknownFields(unknown)))
        .build();
    assertDecodedAsConverted(subscribed.toByteArray());
    // An enum number this Mesos does not know is an unknown field to the parser: left out.
    byte[] unknownCapability = Protos.FrameworkInfo.Capability.newBuilder()
        .setUnknownFields(UnknownFieldSet.newBuilder().addField(1,
            UnknownFieldSet.Field.newBuilder().addVarint(1234).build()).build())
        .build().toByteArray();
    Event withUnknownCapability = Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(
        s.toBuilder().setFrameworkInfo(s.getFrameworkInfo().toBuilder()
            .setUnknownFields(UnknownFieldSet.newBuilder().addField(
                Protos.FrameworkInfo.CAPABILITIES_FIELD_NUMBER, UnknownFieldSet.Field.newBuilder()
                    .addLengthDelimited(ByteString.copyFrom(unknownCapability)).build()).build())))
        .build();
    assertThat(assertDecodedAsConverted(withUnknownCapability.toByteArray()).subscribed()
        .capabilities()).containsExactly("MULTI_ROLE", "TASK_KILLING_STATE");
  }

  @Test
  void leavesHealthChecksChecksAndMergedMessagesToTheParser() {
    Protos.TaskInfo withHealth = minimalTask("t").toBuilder().setHealthCheck(
        Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.TCP)
            .setTcp(Protos.HealthCheck.TCPCheckInfo.newBuilder().setPort(8080))).build();
    Protos.TaskInfo withCheck = minimalTask("t").toBuilder().setCheck(
        Protos.CheckInfo.newBuilder().setType(Protos.CheckInfo.Type.TCP)
            .setTcp(Protos.CheckInfo.Tcp.newBuilder().setPort(8080))).build();
    for (Protos.TaskInfo task : List.of(withHealth, withCheck)) {
      byte[] bytes = launch(task).toByteArray();
      assertThat(WireExecutorDecoder.decode(bytes, 0, bytes.length, FW, EX)).isNull();
      WireExecutorEvent read = WireExecutorDecoder.read(bytes, 0, bytes.length, FW, EX, AGENT);
      assertThat(read.parsed()).isEqualTo(launch(task));
    }
    // A kill policy given twice: protobuf merges the two messages.
    byte[] once = kill(V1Conversions.killPolicy(Duration.ofSeconds(1))).toByteArray();
    byte[] twice = concat(once, Event.newBuilder().setKill(Event.Kill.newBuilder()
        .setTaskId(taskId("t1")).setKillPolicy(V1Conversions.killPolicy(Duration.ofSeconds(2))))
        .build().toByteArray());
    assertThat(WireExecutorDecoder.decode(twice, 0, twice.length, FW, EX)).isNull();
    // A type the executor does not act on, an empty event, a type without its payload.
    for (byte[] bytes : List.of(
        Event.newBuilder().setType(Event.Type.UNKNOWN).build().toByteArray(),
        new byte[0],
        Event.newBuilder().setType(Event.Type.KILL).build().toByteArray(),
        Event.newBuilder().setType(Event.Type.SHUTDOWN).setError(Event.Error.newBuilder()
            .setMessage("x")).build().toByteArray())) {
      assertThat(WireExecutorDecoder.decode(bytes, 0, bytes.length, FW, EX)).isNull();
      assertThat(WireExecutorDecoder.read(bytes, 0, bytes.length, FW, EX, AGENT).parsed())
          .isNotNull();
    }
  }

  @Test
  void decodesAnEventInTheMiddleOfABuffer() {
    byte[] event = launch(fullTask("t1", new byte[] {5})).toByteArray();
    byte[] buffer = concat(concat(new byte[] {9, 9, 9}, event), new byte[] {8, 8});
    WireExecutorEvent decoded = WireExecutorDecoder.decode(buffer, 3, event.length, FW, EX);
    assertThat(decoded).isNotNull();
    assertThat(decoded.tasks().get(0).taskInfo())
        .isEqualTo(fullTask("t1", new byte[] {5}).toByteArray());
  }

  @Test
  void malformedEventsFailWithTheParsersReason() {
    byte[] event = launch(fullTask("t1", "payload".getBytes())).toByteArray();
    byte[] truncated = Arrays.copyOf(event, event.length - 3);
    assertThatThrownBy(() -> WireExecutorDecoder.read(truncated, 0, truncated.length, FW, EX,
        AGENT))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("agent http://127.0.0.1:5051 sent an event that is not a valid v1 executor"
            + " Event (" + truncated.length + " bytes): While parsing a protocol message, the"
            + " input ended unexpectedly in the middle of a field.  This could mean either that"
            + " the input has been truncated or that an embedded message misreported its own"
            + " length.");
    byte[] noAgent = launch(minimalTask("t1").toBuilder().clearAgentId().buildPartial())
        .toBuilder().buildPartial().toByteArray();
    assertThat(WireExecutorDecoder.decode(noAgent, 0, noAgent.length, FW, EX)).isNull();
    assertThatThrownBy(() -> WireExecutorDecoder.read(noAgent, 0, noAgent.length, FW, EX, AGENT))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("agent http://127.0.0.1:5051 sent an event that is not a valid v1 executor"
            + " Event (" + noAgent.length + " bytes): Message missing required fields:"
            + " launch.task.agent_id");
    byte[] badWireType = {(byte) 0x0f};
    assertThatThrownBy(() -> WireExecutorDecoder.read(badWireType, 0, 1, FW, EX, AGENT))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("agent http://127.0.0.1:5051 sent an event that is not a valid v1 executor"
            + " Event (1 bytes): Protocol message tag had invalid wire type.");
  }

  @Test
  void decodesMutatedEventsAsTheParserAndTheConversionDoOrLeavesThemToTheParser() {
    // Valid events with bytes changed, removed or two events run together (protobuf merges):
    // whatever the decoder decodes and the parser accepts must hold the conversion's values.
    List<byte[]> pool = List.of(subscribed(true).toByteArray(), subscribed(false).toByteArray(),
        launch(fullTask("t1", "payload".getBytes())).toByteArray(),
        launch(minimalTask("t2")).toByteArray(),
        Event.newBuilder().setType(Event.Type.LAUNCH_GROUP).setLaunchGroup(Event.LaunchGroup
            .newBuilder().setTaskGroup(Protos.TaskGroupInfo.newBuilder()
                .addTasks(minimalTask("g1")).addTasks(fullTask("g2", new byte[] {7}))))
            .build().toByteArray(),
        kill(null).toByteArray(), kill(V1Conversions.killPolicy(Duration.ofMillis(1500)))
            .toByteArray(),
        Event.newBuilder().setType(Event.Type.ACKNOWLEDGED).setAcknowledged(
            Event.Acknowledged.newBuilder().setTaskId(taskId("t1"))
                .setUuid(ByteString.copyFrom(uuid(4)))).build().toByteArray(),
        Event.newBuilder().setType(Event.Type.ERROR).setError(Event.Error.newBuilder()
            .setMessage("bye \u2013 now")).build().toByteArray());
    java.util.Random random = new java.util.Random(42);
    int decoded = 0;
    int leftToTheParser = 0;
    List<String> differences = new java.util.ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = pool.get(random.nextInt(pool.size())).clone();
      if (random.nextInt(4) == 0) {
        bytes = concat(bytes, pool.get(random.nextInt(pool.size())));
      } else {
        int at = random.nextInt(bytes.length);
        bytes = switch (random.nextInt(3)) {
          case 0 -> {
            bytes[at] = (byte) random.nextInt(256);
            yield bytes;
          }
          case 1 -> {
            bytes[at] ^= (byte) (1 << random.nextInt(8));
            yield bytes;
          }
          default -> concat(Arrays.copyOf(bytes, at),
              Arrays.copyOfRange(bytes, at + 1, bytes.length));
        };
      }
      WireExecutorEvent event = WireExecutorDecoder.decode(bytes, 0, bytes.length, FW, EX);
      if (event == null) {
        leftToTheParser++;
        continue;
      }
      Event parsed;
      try {
        parsed = Event.parseFrom(bytes);
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        continue; // refused in a part the decoder skips unread (see WireExecutorDecoder)
      }
      decoded++;
      WireExecutorEvent converted = WireExecutorEvent.converted(parsed, FW, EX);
      if (!event.sameValues(converted)) {
        differences.add("decoded " + event + " converted " + converted + " from "
            + Arrays.toString(bytes));
      }
    }
    assertThat(differences).isEmpty();
    assertThat(decoded).isGreaterThan(1_000);
    assertThat(leftToTheParser).isGreaterThan(1_000);
  }

  // ------------------------------------------------------------------ helpers

  private static WireExecutorEvent assertDecodedAsConverted(byte[] bytes) {
    WireExecutorEvent decoded = WireExecutorDecoder.decode(bytes, 0, bytes.length, FW, EX);
    assertThat(decoded).as("decoded").isNotNull();
    WireExecutorEvent converted;
    try {
      converted = WireExecutorEvent.converted(Event.parseFrom(bytes), FW, EX);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    assertThat(decoded.sameValues(converted)).as("decoded %s, converted %s", decoded, converted)
        .isTrue();
    return decoded;
  }

  private static Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(FW))
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue(EX));
  }

  /** What the backend sent before the codec: the conversion's message, source and executor set. */
  private static Protos.TaskStatus statusMessage(TaskStatus s) {
    return V1Conversions.taskStatusMessage(s).toBuilder()
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue(EX))
        .build();
  }

  private static TaskStatus status(String task, TaskState state) {
    return new TaskStatus(task, state, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.of(uuid(1)), Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
  }

  private static TaskStatus everyField() {
    return new TaskStatus("t2", TaskState.KILLED, Optional.of("killed by request"),
        Optional.of("REASON_TASK_KILLED_DURING_LAUNCH"), Optional.of("SOURCE_AGENT"),
        Optional.of("agent-9"), Optional.of("ex-9"), Optional.of(uuid(2)),
        Instant.ofEpochSecond(1_765_000_000L, 5), Optional.of(new byte[] {0, -1, 2}),
        Optional.of(true), Optional.of(CheckResult.statusCode(200)));
  }

  private static TaskStatus withCheck(CheckResult result) {
    return new TaskStatus("t", TaskState.RUNNING, Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(uuid(5)),
        Instant.EPOCH, Optional.empty(), Optional.empty(), Optional.of(result));
  }

  private static byte[] uuid(int seed) {
    byte[] u = new byte[16];
    Arrays.fill(u, (byte) seed);
    return u;
  }

  private static Protos.TaskID taskId(String id) {
    return Protos.TaskID.newBuilder().setValue(id).build();
  }

  private static Protos.TaskInfo minimalTask(String id) {
    return Protos.TaskInfo.newBuilder().setName("").setTaskId(taskId(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1")).build();
  }

  /** A task with every field the runtime reads, and fields it does not read. */
  private static Protos.TaskInfo fullTask(String id, byte[] data) {
    Protos.Resource disk = Protos.Resource.newBuilder().setName("disk")
        .setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(100))
        .setDisk(Protos.Resource.DiskInfo.newBuilder().setPersistence(
            Protos.Resource.DiskInfo.Persistence.newBuilder().setId("vol")))
        .build();
    return Protos.TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(taskId(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
        .addAllResources(V1Conversions.resources(
            Resources.parse("cpus:0.5;mem:64;ports:[31000-31001]")))
        .addResources(disk)
        .setExecutor(Protos.ExecutorInfo.newBuilder()
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue("own-executor"))
            .setType(Protos.ExecutorInfo.Type.CUSTOM)
            .setCommand(Protos.CommandInfo.newBuilder().setValue("java -cp x.jar Main")
                .addUris(Protos.CommandInfo.URI.newBuilder().setValue("http://h/x.jar")))
            .addAllResources(V1Conversions.resources(Resources.parse("cpus:0.1;mem:32"))))
        .setData(ByteString.copyFrom(data))
        .setLabels(Protos.Labels.newBuilder()
            .addLabels(Protos.Label.newBuilder().setKey("a").setValue("1"))
            .addLabels(Protos.Label.newBuilder().setKey("empty"))
            .addLabels(Protos.Label.newBuilder().setKey("MESOSKIT_ENV_X").setValue("y"))
            .addLabels(Protos.Label.newBuilder().setKey("a").setValue("2")))
        .setKillPolicy(V1Conversions.killPolicy(Duration.ofSeconds(3)))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS))
        .setDiscovery(Protos.DiscoveryInfo.newBuilder()
            .setVisibility(Protos.DiscoveryInfo.Visibility.FRAMEWORK))
        .setMaxCompletionTime(Protos.DurationInfo.newBuilder().setNanoseconds(10))
        .build();
  }

  private static Event launch(Protos.TaskInfo task) {
    return Event.newBuilder().setType(Event.Type.LAUNCH)
        .setLaunch(Event.Launch.newBuilder().setTask(task).buildPartial()).buildPartial();
  }

  private static Event kill(Protos.KillPolicy policy) {
    Event.Kill.Builder kill = Event.Kill.newBuilder().setTaskId(taskId("t1"));
    if (policy != null) {
      kill.setKillPolicy(policy);
    }
    return Event.newBuilder().setType(Event.Type.KILL).setKill(kill).build();
  }

  private static Event subscribed(boolean withFrameworkId) {
    Protos.FrameworkInfo.Builder framework = V1Conversions.frameworkInfo(
        new dev.mesoskit.core.spi.FrameworkInfo("fw", "user", List.of("*"), Optional.empty(),
            Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(), Set.of()))
        .toBuilder();
    if (withFrameworkId) {
      framework.setId(Protos.FrameworkID.newBuilder().setValue("fw-from-agent"));
    }
    return Event.newBuilder().setType(Event.Type.SUBSCRIBED).setSubscribed(Event.Subscribed
        .newBuilder()
        .setExecutorInfo(Protos.ExecutorInfo.newBuilder()
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue(EX))
            .setCommand(Protos.CommandInfo.newBuilder().setValue("run")))
        .setFrameworkInfo(framework)
        .setAgentInfo(Protos.AgentInfo.newBuilder().setHostname("host-1")
            .setId(Protos.AgentID.newBuilder().setValue("agent-1"))
            .addAllResources(V1Conversions.resources(Resources.parse("cpus:4"))))
        .setContainerId(Protos.ContainerID.newBuilder().setValue("c1")))
        .build();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
