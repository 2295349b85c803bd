package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** Status updates keep their data both ways: a task's result crosses the wire whole. */
class V1ConversionsTest {
  @Test
  void anUpdatesDataIsSentAndReadBack() {
    byte[] result = "result: 42".getBytes(StandardCharsets.UTF_8);
    TaskStatus status = new TaskStatus("t1.1", TaskState.FINISHED, Optional.empty(),
        Optional.empty(), Optional.of("SOURCE_EXECUTOR"), Optional.of("a1"), Optional.of("e1"),
        Optional.empty(), Instant.ofEpochSecond(1_700_000_000L), Optional.of(result));

    Protos.TaskStatus wire = V1Conversions.taskStatusMessage(status);
    assertThat(wire.getData().toByteArray()).isEqualTo(result);

    assertThat(V1Conversions.taskStatus(wire).data().orElseThrow()).isEqualTo(result);
  }

  @Test
  void anUpdateWithoutDataHasNone() {
    Protos.TaskStatus wire = Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("t1.1"))
        .setState(Protos.TaskState.TASK_FINISHED).build();

    assertThat(V1Conversions.taskStatus(wire).data()).isEmpty();
    assertThat(V1Conversions.taskStatusMessage(V1Conversions.taskStatus(wire)).hasData())
        .isFalse();
  }
}
