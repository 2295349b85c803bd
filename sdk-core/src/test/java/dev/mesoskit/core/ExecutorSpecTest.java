package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExecutorSpecTest {
  private static final CommandSpec RUN = CommandSpec.shell("./run");

  @Test
  void defaultsToASmallExecutorNamedAfterItsId() {
    ExecutorSpec spec = ExecutorSpec.of("exec-1", RUN);

    assertThat(spec).isEqualTo(new ExecutorSpec("exec-1", "exec-1", RUN, ResourceSpec.of(0.1, 32)));
    assertThat(spec.resources(ResourceSpec.of(1, 64)))
        .isEqualTo(new ExecutorSpec("exec-1", "exec-1", RUN, ResourceSpec.of(1, 64)));
  }

  @Test
  void validatesTheIdLikeATaskIdButNamesItAnExecutorId() {
    assertThatThrownBy(() -> ExecutorSpec.of("", RUN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("executor id must not be empty");
    assertThatThrownBy(() -> ExecutorSpec.of("a/b", RUN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("executor id must not contain '/', '\\' or control characters but was 'a/b'");
    assertThatThrownBy(() -> ExecutorSpec.of(null, RUN))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("executor id must not be null");
  }
}
