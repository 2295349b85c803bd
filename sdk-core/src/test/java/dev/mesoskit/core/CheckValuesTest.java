package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The check values refuse what Mesos would, with messages naming field, rule and value. */
class CheckValuesTest {

  @Test
  void aHealthCheckHasMesosDefaults() {
    HealthCheck check = HealthCheck.of(Probe.tcp());

    assertThat(check).isEqualTo(new HealthCheck(Probe.tcp(), Duration.ofSeconds(15),
        Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(10), 3));
    assertThat(check.toBuilder().build()).isEqualTo(check);
  }

  @Test
  void aHealthCheckRefusesANegativeDelay() {
    assertThatThrownBy(() -> HealthCheck.builder(Probe.tcp()).delay(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be >= 0 but was PT-1S");
  }

  @Test
  void aHealthCheckRefusesAZeroInterval() {
    assertThatThrownBy(() -> HealthCheck.builder(Probe.tcp()).interval(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be > 0 but was PT0S");
  }

  @Test
  void aHealthCheckRefusesAZeroTimeout() {
    assertThatThrownBy(() -> HealthCheck.builder(Probe.tcp()).timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be > 0 but was PT0S");
  }

  @Test
  void aHealthCheckRefusesANegativeGracePeriod() {
    assertThatThrownBy(() -> HealthCheck.builder(Probe.tcp())
        .gracePeriod(Duration.ofMillis(-5)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("gracePeriod must be >= 0 but was PT-0.005S");
  }

  @Test
  void aHealthCheckRefusesFewerThanOneConsecutiveFailure() {
    assertThatThrownBy(() -> HealthCheck.builder(Probe.tcp()).consecutiveFailures(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("consecutiveFailures must be >= 1 but was 0");
  }

  @Test
  void aHealthCheckRefusesANullDuration() {
    assertThatThrownBy(() -> HealthCheck.builder(Probe.tcp()).interval(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("interval must not be null");
  }

  @Test
  void aReadinessCheckRefusesANegativeDelay() {
    assertThatThrownBy(() -> ReadinessCheck.of(Probe.tcp()).delay(Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("delay must be >= 0 but was PT-2S");
  }

  @Test
  void aReadinessCheckRefusesAZeroIntervalAndTimeout() {
    ReadinessCheck check = ReadinessCheck.of(Probe.http("/ready"));

    assertThatThrownBy(() -> check.interval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("interval must be > 0 but was PT0S");
    assertThatThrownBy(() -> check.timeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be > 0 but was PT-1S");
    assertThat(check.interval(Duration.ofSeconds(3)).interval()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void anHttpProbesPathMustStartWithASlash() {
    assertThatThrownBy(() -> Probe.http("health"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an HTTP check's path must start with '/' but was 'health'");
  }

  @Test
  void aFixedCheckPortMustBeAPort() {
    assertThatThrownBy(() -> CheckPort.fixed(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a check's port must be 1 to 65535 but was 0");
    assertThatThrownBy(() -> CheckPort.fixed(65536))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a check's port must be 1 to 65535 but was 65536");
  }

  @Test
  void anAssignedCheckPortIndexMustNotBeNegative() {
    assertThatThrownBy(() -> CheckPort.assigned(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a check's port index must be >= 0 but was -1");
  }

  @Test
  void anAssignedCheckPortResolvesToTheTasksPort() {
    assertThat(CheckPort.assigned(1).resolve(List.of(31000L, 31001L))).isEqualTo(31001);
    assertThat(CheckPort.fixed(8080).resolve(List.of())).isEqualTo(8080);
    assertThatThrownBy(() -> CheckPort.assigned(2).resolve(List.of(31000L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a check asks the task's port #2 but the task holds 1 port(s): [31000]");
  }

  @Test
  void aCheckResultPassesOnExitZeroStatus2xxOr3xxOrAnOpenConnection() {
    assertThat(CheckResult.exitCode(0).passed()).isTrue();
    assertThat(CheckResult.exitCode(1).passed()).isFalse();
    assertThat(CheckResult.statusCode(200).passed()).isTrue();
    assertThat(CheckResult.statusCode(399).passed()).isTrue();
    assertThat(CheckResult.statusCode(199).passed()).isFalse();
    assertThat(CheckResult.statusCode(400).passed()).isFalse();
    assertThat(CheckResult.tcp(true).passed()).isTrue();
    assertThat(CheckResult.tcp(false).passed()).isFalse();
  }

  @Test
  void aPendingCheckResultIsNeitherKnownNorPassed() {
    for (Probe.Kind kind : Probe.Kind.values()) {
      CheckResult pending = CheckResult.pending(kind);
      assertThat(pending.known()).isFalse();
      assertThat(pending.passed()).isFalse();
    }
    assertThat(CheckResult.tcp(false).known()).isTrue();
    assertThat(CheckResult.exitCode(3).known()).isTrue();
    assertThat(CheckResult.pending(Probe.Kind.HTTP)).hasToString("HTTP status (none yet)");
  }

  @Test
  void aCheckResultHoldsOnlyTheValueOfItsKind() {
    assertThatThrownBy(() -> new CheckResult(Probe.Kind.TCP, Optional.of(0), Optional.empty(),
        Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a TCP check result holds only its own value but was exitCode=Optional[0],"
            + " statusCode=Optional.empty, succeeded=Optional.empty");
  }
}
