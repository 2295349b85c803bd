package dev.mesoskit.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExecutorEnvironmentTest {
  private static Map<String, String> agentSet() {
    Map<String, String> env = new HashMap<>();
    env.put("MESOS_FRAMEWORK_ID", "fw-1");
    env.put("MESOS_EXECUTOR_ID", "exec-1");
    env.put("MESOS_AGENT_ENDPOINT", "10.0.0.7:5051");
    env.put("MESOS_SANDBOX", "/mnt/mesos/sandbox");
    env.put("MESOS_DIRECTORY", "/var/lib/mesos/slaves/x/runs/y");
    env.put("MESOS_CHECKPOINT", "1");
    env.put("MESOS_RECOVERY_TIMEOUT", "15mins");
    env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "2secs");
    env.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5secs");
    env.put("MESOS_EXECUTOR_AUTHENTICATION_TOKEN", "t0k3n");
    return env;
  }

  @Test
  void readsEverythingAnAgentSets() {
    ExecutorEnvironment env = ExecutorEnvironment.from(agentSet());

    assertThat(env).isEqualTo(new ExecutorEnvironment("fw-1", "exec-1",
        Optional.of("10.0.0.7:5051"), Path.of("/mnt/mesos/sandbox"), true, Duration.ofSeconds(5),
        Optional.of(Duration.ofMinutes(15)), Optional.of(Duration.ofSeconds(2)),
        Optional.of("t0k3n")));
    assertThat(env.requireAgentEndpoint()).isEqualTo("10.0.0.7:5051");
  }

  @Test
  void theTokenNeverAppearsInToString() {
    assertThat(ExecutorEnvironment.from(agentSet()).toString()).doesNotContain("t0k3n")
        .contains("authenticationToken=(set)");
  }

  @Test
  void withoutCheckpointingTheRecoverySettingsAreNotRead() {
    Map<String, String> map = agentSet();
    map.put("MESOS_CHECKPOINT", "0");
    map.put("MESOS_RECOVERY_TIMEOUT", "garbage");

    ExecutorEnvironment env = ExecutorEnvironment.from(map);

    assertThat(env.checkpoint()).isFalse();
    assertThat(env.recoveryTimeout()).isEmpty();
    assertThat(env.subscriptionBackoffMax()).isEmpty();
  }

  @Test
  void defaultsApplyToWhatOlderAgentsLeaveOut() {
    Map<String, String> map = new HashMap<>();
    map.put("MESOS_FRAMEWORK_ID", "fw-1");
    map.put("MESOS_EXECUTOR_ID", "exec-1");
    map.put("MESOS_DIRECTORY", "/work/dir");

    ExecutorEnvironment env = ExecutorEnvironment.from(map);

    assertThat(env.sandbox()).isEqualTo(Path.of("/work/dir"));
    assertThat(env.shutdownGracePeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(env.agentEndpoint()).isEmpty();
    assertThat(env.authenticationToken()).isEmpty();
    map.remove("MESOS_DIRECTORY");
    assertThat(ExecutorEnvironment.from(map).sandbox())
        .isEqualTo(Path.of("").toAbsolutePath());
  }

  @Test
  void missingOrMalformedVariablesAreNamed() {
    Map<String, String> map = agentSet();
    map.remove("MESOS_EXECUTOR_ID");
    assertThatThrownBy(() -> ExecutorEnvironment.from(map))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("MESOS_EXECUTOR_ID must be set by the agent but was unset: is this process"
            + " running as a Mesos executor?");

    Map<String, String> noRecovery = agentSet();
    noRecovery.remove("MESOS_RECOVERY_TIMEOUT");
    assertThatThrownBy(() -> ExecutorEnvironment.from(noRecovery))
        .hasMessage("MESOS_CHECKPOINT=1 needs MESOS_RECOVERY_TIMEOUT and"
            + " MESOS_SUBSCRIPTION_BACKOFF_MAX but MESOS_RECOVERY_TIMEOUT was not set");

    Map<String, String> badGrace = agentSet();
    badGrace.put("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "5s");
    assertThatThrownBy(() -> ExecutorEnvironment.from(badGrace))
        .hasMessage("MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD must be a Mesos duration such as 5secs,"
            + " 250ms or 1.5mins (units ns, us, ms, secs, mins, hrs, days, weeks) but was '5s'");
  }

  @Test
  void durationsAreParsedInMesosNotation() {
    assertThat(ExecutorEnvironment.parseDuration("d", "250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(ExecutorEnvironment.parseDuration("d", "5secs")).isEqualTo(Duration.ofSeconds(5));
    assertThat(ExecutorEnvironment.parseDuration("d", "1.5mins"))
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(ExecutorEnvironment.parseDuration("d", "2hrs")).isEqualTo(Duration.ofHours(2));
    assertThat(ExecutorEnvironment.parseDuration("d", "1days")).isEqualTo(Duration.ofDays(1));
    assertThat(ExecutorEnvironment.parseDuration("d", "1weeks")).isEqualTo(Duration.ofDays(7));
    assertThat(ExecutorEnvironment.parseDuration("d", "10us")).isEqualTo(Duration.ofNanos(10_000));
    assertThat(ExecutorEnvironment.parseDuration("d", "7ns")).isEqualTo(Duration.ofNanos(7));
    for (String bad : new String[] {"", "secs", "5", "-5secs", "5 secs", "1e3ms", "5minutes"}) {
      assertThatThrownBy(() -> ExecutorEnvironment.parseDuration("d", bad))
          .as(bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("d must be a Mesos duration");
    }
  }
}
