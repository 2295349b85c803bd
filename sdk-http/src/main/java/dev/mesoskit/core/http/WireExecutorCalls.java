package dev.mesoskit.core.http;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.spi.TaskStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;

/**
 * Encodes the calls of the v1 executor API (SUBSCRIBE, UPDATE, MESSAGE) and the
 * {@code TaskStatus} of an executor's update straight into their wire format (a writer of its own,
 * see {@code Message}), without the generated messages (whose first use builds the
 * descriptors of {@code mesos.proto}): byte for byte what protobuf-java writes for the messages
 * {@link HttpExecutorBackend} built with them, fields in field-number order. The few generated
 * enums it reads numbers from ({@code TaskState}, {@code TaskStatus.Source} and {@code Reason})
 * build no descriptors.
 *
 * <p>Stateless; safe from any thread.
 */
final class WireExecutorCalls {
  private WireExecutorCalls() {}

  /**
   * SUBSCRIBE, carrying the tasks and updates the agent has not acknowledged.
   *
   * @param unacknowledgedTasks each task's {@code TaskInfo} as it came
   * @param unacknowledgedUpdates each update's {@code TaskStatus}, as {@link #status} made it
   */
  static byte[] subscribe(String frameworkId, String executorId,
      List<byte[]> unacknowledgedTasks, List<byte[]> unacknowledgedUpdates) {
    Message subscribe = new Message();
    for (byte[] task : unacknowledgedTasks) {
      subscribe.bytes(Call.Subscribe.UNACKNOWLEDGED_TASKS_FIELD_NUMBER, task);
    }
    for (byte[] status : unacknowledgedUpdates) {
      subscribe.bytes(Call.Subscribe.UNACKNOWLEDGED_UPDATES_FIELD_NUMBER, update(status));
    }
    return call(frameworkId, executorId, Call.Type.SUBSCRIBE_VALUE)
        .bytes(Call.SUBSCRIBE_FIELD_NUMBER, subscribe.toBytes())
        .toBytes();
  }

  /**
   * UPDATE of one status.
   *
   * @param status the update's {@code TaskStatus}, as {@link #status} made it
   */
  static byte[] update(String frameworkId, String executorId, byte[] status) {
    return call(frameworkId, executorId, Call.Type.UPDATE_VALUE)
        .bytes(Call.UPDATE_FIELD_NUMBER, update(status))
        .toBytes();
  }

  /** MESSAGE to the executor's scheduler. */
  static byte[] message(String frameworkId, String executorId, byte[] data) {
    return call(frameworkId, executorId, Call.Type.MESSAGE_VALUE)
        .bytes(Call.MESSAGE_FIELD_NUMBER,
            new Message().bytes(Call.Message.DATA_FIELD_NUMBER, data).toBytes())
        .toBytes();
  }

  /** {@code Call.Update}: the status, its one field. */
  private static byte[] update(byte[] status) {
    return new Message().bytes(Call.Update.STATUS_FIELD_NUMBER, status).toBytes();
  }

  /** A call's fields before its payload, in field-number order: executor, framework, type. */
  private static Message call(String frameworkId, String executorId, int type) {
    return new Message()
        .bytes(Call.EXECUTOR_ID_FIELD_NUMBER, id(executorId))
        .bytes(Call.FRAMEWORK_ID_FIELD_NUMBER, id(frameworkId))
        .enumField(Call.TYPE_FIELD_NUMBER, type);
  }

  /** An id message ({@code TaskID}, {@code ExecutorID}, ...): its value, field 1 in all. */
  private static byte[] id(String value) {
    return new Message().string(Protos.TaskID.VALUE_FIELD_NUMBER, value).toBytes();
  }

  /**
   * The {@code TaskStatus} of an executor's update: {@link V1Conversions#taskStatusMessage} of
   * {@code status} with {@code source} SOURCE_EXECUTOR and {@code executor_id} this executor.
   *
   * @param status the update
   * @param executorId the executor sending it
   * @return the message's bytes
   * @throws IllegalArgumentException when the state is PENDING or the reason or source is not a
   *     Mesos name (the messages of {@link V1Conversions#taskStatusMessage})
   */
  static byte[] status(TaskStatus status, String executorId) {
    int state = Protos.TaskState.valueOf(status.state().toMesos()).getNumber();
    Optional<Integer> reason = status.reason().map(r -> MesosEnums.taskStatusValue(
        Protos.TaskStatus.Reason.class, r, "reason").getNumber());
    status.source().ifPresent(s -> MesosEnums.taskStatusValue(
        Protos.TaskStatus.Source.class, s, "source"));
    Message m = new Message()
        .bytes(Protos.TaskStatus.TASK_ID_FIELD_NUMBER, id(status.mesosTaskId()))
        .enumField(Protos.TaskStatus.STATE_FIELD_NUMBER, state);
    status.data().ifPresent(d -> m.bytes(Protos.TaskStatus.DATA_FIELD_NUMBER, d));
    status.message().ifPresent(s -> m.string(Protos.TaskStatus.MESSAGE_FIELD_NUMBER, s));
    status.agentId().ifPresent(a -> m.bytes(Protos.TaskStatus.AGENT_ID_FIELD_NUMBER, id(a)));
    m.doubleField(Protos.TaskStatus.TIMESTAMP_FIELD_NUMBER,
        status.timestamp().getEpochSecond() + status.timestamp().getNano() / 1e9);
    m.bytes(Protos.TaskStatus.EXECUTOR_ID_FIELD_NUMBER, id(executorId));
    status.healthy().ifPresent(h -> m.boolField(Protos.TaskStatus.HEALTHY_FIELD_NUMBER, h));
    m.enumField(Protos.TaskStatus.SOURCE_FIELD_NUMBER,
        Protos.TaskStatus.Source.SOURCE_EXECUTOR_VALUE);
    reason.ifPresent(r -> m.enumField(Protos.TaskStatus.REASON_FIELD_NUMBER, r));
    status.uuid().ifPresent(u -> m.bytes(Protos.TaskStatus.UUID_FIELD_NUMBER, u));
    status.checkStatus().ifPresent(c ->
        m.bytes(Protos.TaskStatus.CHECK_STATUS_FIELD_NUMBER, checkStatus(c)));
    return m.toBytes();
  }

  /** {@code CheckStatusInfo} as {@link CheckMessages#checkStatusInfo} builds it. */
  private static byte[] checkStatus(CheckResult result) {
    Message m = new Message();
    switch (result.kind()) {
      case COMMAND -> {
        Message c = new Message();
        result.exitCode().ifPresent(code ->
            c.int32Field(Protos.CheckStatusInfo.Command.EXIT_CODE_FIELD_NUMBER, code));
        m.enumField(Protos.CheckStatusInfo.TYPE_FIELD_NUMBER, Protos.CheckInfo.Type.COMMAND_VALUE)
            .bytes(Protos.CheckStatusInfo.COMMAND_FIELD_NUMBER, c.toBytes());
      }
      case HTTP -> {
        Message h = new Message();
        result.statusCode().ifPresent(code ->
            h.uint32Field(Protos.CheckStatusInfo.Http.STATUS_CODE_FIELD_NUMBER, code));
        m.enumField(Protos.CheckStatusInfo.TYPE_FIELD_NUMBER, Protos.CheckInfo.Type.HTTP_VALUE)
            .bytes(Protos.CheckStatusInfo.HTTP_FIELD_NUMBER, h.toBytes());
      }
      case TCP -> {
        Message t = new Message();
        result.succeeded().ifPresent(ok ->
            t.boolField(Protos.CheckStatusInfo.Tcp.SUCCEEDED_FIELD_NUMBER, ok));
        m.enumField(Protos.CheckStatusInfo.TYPE_FIELD_NUMBER, Protos.CheckInfo.Type.TCP_VALUE)
            .bytes(Protos.CheckStatusInfo.TCP_FIELD_NUMBER, t.toBytes());
      }
      default -> throw new IllegalStateException("unknown check kind " + result.kind());
    }
    return m.toBytes();
  }

  /**
   * One message being written, its fields appended in the order they are given, in protobuf's wire
   * format as {@code CodedOutputStream} writes it. Not that class: its static initializer creates a
   * {@code java.util.logging} logger, which starts the JDK's log manager (and reads the security
   * properties) in an executor that has no other use for it.
   */
  private static final class Message {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    Message bytes(int field, byte[] value) {
      tag(field, LENGTH_DELIMITED);
      varint(value.length);
      out.writeBytes(value);
      return this;
    }

    Message string(int field, String value) {
      // What CodedOutputStream writes, an unpaired surrogate included: it falls back to
      // String.getBytes, which writes '?' for one.
      return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Message enumField(int field, int number) {
      return int32Field(field, number);
    }

    Message doubleField(int field, double value) {
      tag(field, FIXED64);
      long bits = Double.doubleToRawLongBits(value);
      for (int i = 0; i < 8; i++) {
        out.write((int) (bits >>> (8 * i)) & 0xFF);
      }
      return this;
    }

    Message boolField(int field, boolean value) {
      tag(field, VARINT);
      out.write(value ? 1 : 0);
      return this;
    }

    /** An {@code int32}: a negative one as its 64-bit sign extension, ten bytes. */
    Message int32Field(int field, int value) {
      tag(field, VARINT);
      varint(value);
      return this;
    }

    Message uint32Field(int field, int value) {
      tag(field, VARINT);
      varint(value & 0xFFFF_FFFFL);
      return this;
    }

    byte[] toBytes() {
      return out.toByteArray();
    }

    private void tag(int field, int wireType) {
      varint((field << 3) | wireType);
    }

    private void varint(long value) {
      while ((value & ~0x7FL) != 0) {
        out.write((int) (value & 0x7F) | 0x80);
        value >>>= 7;
      }
      out.write((int) value);
    }
  }
}
