package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandSpecTest {

  @Test
  void buildsAShellCommand() {
    assertThat(CommandSpec.shell("echo hi"))
        .isEqualTo(new CommandSpec(true, "echo hi", List.of(), Map.of(), List.of(),
            Optional.empty()));
  }

  @Test
  void buildsAnArgumentVectorWithTheProgramAsArgvZero() {
    CommandSpec java = CommandSpec.builder().exec("java", "-jar", "app.jar")
        .uri(FetchUri.of("http://repo/app.jar")).env("MODE", "batch").user("svc").build();

    assertThat(java).isEqualTo(new CommandSpec(false, "java", List.of("java", "-jar", "app.jar"),
        Map.of("MODE", "batch"), List.of(FetchUri.of("http://repo/app.jar")),
        Optional.of("svc")));
  }

  @Test
  void switchingToShellDropsTheArguments() {
    CommandSpec spec = CommandSpec.builder().exec("java", "-version").shell("date").build();

    assertThat(spec).isEqualTo(CommandSpec.shell("date"));
  }

  @Test
  void needsACommand() {
    assertThatThrownBy(() -> CommandSpec.builder().build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command must be set with shell(...) or exec(...)");
    assertThatThrownBy(() -> CommandSpec.builder().exec())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("exec needs at least the program");
    assertThatThrownBy(() -> CommandSpec.shell(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("command value must not be blank");
  }

  @Test
  void rejectsArgumentsForAShellCommand() {
    assertThatThrownBy(() -> new CommandSpec(true, "echo", List.of("echo", "hi"), Map.of(),
        List.of(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a shell command takes no arguments but had [echo, hi]");
  }

  @Test
  void rejectsInvalidEnvAsItIsSet() {
    assertThatThrownBy(() -> CommandSpec.builder().env("9LIVES", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("env name must match [A-Za-z_][A-Za-z0-9_]* but was '9LIVES'");
    assertThatThrownBy(() -> CommandSpec.builder().env("A", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("env value must not be null for A");
  }

  @Test
  void keepsEnvInOrderAndCopiesIt() {
    CommandSpec spec = CommandSpec.builder().shell("x").env("Z", "1").env("A", "2").build();

    assertThat(spec.env()).containsExactly(Map.entry("Z", "1"), Map.entry("A", "2"));
    assertThatThrownBy(() -> spec.env().put("B", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }
}
