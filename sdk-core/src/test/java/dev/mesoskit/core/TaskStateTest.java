package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskStateTest {
  private static final Map<String, TaskState> MESOS_TO_SDK = Map.ofEntries(
      Map.entry("TASK_STAGING", TaskState.STAGING),
      Map.entry("TASK_STARTING", TaskState.STARTING),
      Map.entry("TASK_RUNNING", TaskState.RUNNING),
      Map.entry("TASK_KILLING", TaskState.KILLING),
      Map.entry("TASK_FINISHED", TaskState.FINISHED),
      Map.entry("TASK_FAILED", TaskState.FAILED),
      Map.entry("TASK_KILLED", TaskState.KILLED),
      Map.entry("TASK_ERROR", TaskState.ERROR),
      Map.entry("TASK_LOST", TaskState.LOST),
      Map.entry("TASK_DROPPED", TaskState.DROPPED),
      Map.entry("TASK_UNREACHABLE", TaskState.UNREACHABLE),
      Map.entry("TASK_GONE", TaskState.GONE),
      Map.entry("TASK_GONE_BY_OPERATOR", TaskState.GONE_BY_OPERATOR),
      Map.entry("TASK_UNKNOWN", TaskState.UNKNOWN));

  @Test
  void mapsEveryV1MesosState() {
    Set<String> names = Arrays.stream(org.apache.mesos.v1.Protos.TaskState.values())
        .map(Enum::name).collect(Collectors.toSet());

    assertThat(names).isEqualTo(MESOS_TO_SDK.keySet());
    for (org.apache.mesos.v1.Protos.TaskState state :
        org.apache.mesos.v1.Protos.TaskState.values()) {
      assertThat(TaskState.fromMesos(state.name())).as(state.name())
          .isEqualTo(MESOS_TO_SDK.get(state.name()));
    }
  }

  @Test
  void mapsEveryV0MesosState() {
    Set<String> names = Arrays.stream(org.apache.mesos.Protos.TaskState.values())
        .map(Enum::name).collect(Collectors.toSet());

    assertThat(names).isEqualTo(MESOS_TO_SDK.keySet());
    for (org.apache.mesos.Protos.TaskState state : org.apache.mesos.Protos.TaskState.values()) {
      assertThat(TaskState.fromMesos(state.name())).as(state.name())
          .isEqualTo(MESOS_TO_SDK.get(state.name()));
    }
  }

  @ParameterizedTest
  @EnumSource(value = TaskState.class, names = "PENDING", mode = EnumSource.Mode.EXCLUDE)
  void roundTripsThroughTheMesosName(TaskState state) {
    String mesos = state.toMesos();

    assertThat(TaskState.fromMesos(mesos)).isEqualTo(state);
    assertThat(org.apache.mesos.v1.Protos.TaskState.valueOf(mesos).name()).isEqualTo(mesos);
    assertThat(MESOS_TO_SDK).containsEntry(mesos, state);
  }

  @Test
  void hasNoMesosNameForPending() {
    assertThatThrownBy(TaskState.PENDING::toMesos)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("PENDING has no Mesos task state");
  }

  @ParameterizedTest
  @ValueSource(strings = {"TASK_PENDING", "PENDING", "RUNNING", "task_running", ""})
  void rejectsNamesMesosDoesNotDefine(String name) {
    assertThatThrownBy(() -> TaskState.fromMesos(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown Mesos task state '" + name + "'");
  }

  @Test
  void endsAnAttemptExactlyInTheTerminalStatesAndUnreachable() {
    assertThat(EnumSet.allOf(TaskState.class).stream().filter(TaskState::endsAttempt))
        .containsExactlyInAnyOrder(TaskState.FINISHED, TaskState.FAILED, TaskState.KILLED,
            TaskState.ERROR, TaskState.LOST, TaskState.DROPPED, TaskState.UNREACHABLE,
            TaskState.GONE, TaskState.GONE_BY_OPERATOR, TaskState.UNKNOWN);
  }

  @Test
  void isAnOutcomeExactlyForFinishedFailedKilledAndError() {
    assertThat(EnumSet.allOf(TaskState.class).stream().filter(TaskState::isOutcome))
        .containsExactlyInAnyOrder(
            TaskState.FINISHED, TaskState.FAILED, TaskState.KILLED, TaskState.ERROR);
  }

  @Test
  void ranksLiveStatesInTheOrderMesosMovesThrough() {
    assertThat(TaskState.PENDING.rank()).isZero();
    assertThat(TaskState.STAGING.rank()).isEqualTo(1);
    assertThat(TaskState.STARTING.rank()).isEqualTo(2);
    assertThat(TaskState.RUNNING.rank()).isEqualTo(3);
    assertThat(TaskState.KILLING.rank()).isEqualTo(4);
    assertThat(TaskState.FINISHED.rank()).isEqualTo(5);
    assertThat(TaskState.UNREACHABLE.rank()).isEqualTo(5);
  }
}
