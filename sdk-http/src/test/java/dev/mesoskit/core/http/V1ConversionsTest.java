package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** Status updates keep their data both ways; kill policies reach the wire exactly. */
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

  private static TaskLaunch launch(TaskSpec.Builder spec) {
    return new TaskLaunch("kill-graceful.1", "a1", spec.id("kill-graceful").name("kill-graceful")
        .resources("cpus:0.1;mem:32").command("sleep 60").build(), Resources.empty(),
        Resources.empty());
  }

  @Test
  void aTasksKillGracePeriodIsItsKillPolicyInNanoseconds() {
    Protos.TaskInfo task = V1Conversions.taskInfo(
        launch(TaskSpec.builder().killGracePeriod(Duration.ofSeconds(3))));

    assertThat(task).isEqualTo(Protos.TaskInfo.newBuilder()
        .setName("kill-graceful")
        .setTaskId(Protos.TaskID.newBuilder().setValue("kill-graceful.1"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
        .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue("sleep 60"))
        .setKillPolicy(Protos.KillPolicy.newBuilder()
            .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(3_000_000_000L)))
        .build());
  }

  @Test
  void aTaskWithoutKillGracePeriodHasNoKillPolicy() {
    assertThat(V1Conversions.taskInfo(launch(TaskSpec.builder())).hasKillPolicy()).isFalse();
  }

  @Test
  void aKillWithItsOwnGracePeriodCarriesItAsTheKillsPolicy() {
    assertThat(SchedulerCalls.killCall("t1.1", "a1", Duration.ofMillis(500)))
        .isEqualTo(Call.Kill.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue("t1.1"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
            .setKillPolicy(Protos.KillPolicy.newBuilder()
                .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(500_000_000L)))
            .build());
    assertThat(SchedulerCalls.killCall("t1.1", null, null)).isEqualTo(Call.Kill.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("t1.1")).build());
  }

  @Test
  void anExecutorLearnsTheFrameworksCapabilitiesFromItsFrameworkInfo() {
    Protos.FrameworkInfo info = Protos.FrameworkInfo.newBuilder().setUser("root").setName("f")
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
            .setType(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
            .setType(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE))
        .build();

    assertThat(V1Conversions.capabilities(info))
        .isEqualTo(Set.of("TASK_KILLING_STATE", "PARTITION_AWARE"));
  }
}
