package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** teardown against the recorded answers of a real Mesos 1.12. */
class TeardownCommandTest {
  private FakeMesos fake;
  private String master;

  @BeforeEach
  void start() {
    fake = new FakeMesos();
    master = "--master=" + fake.master();
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void tearsDownAKnownFrameworkWithTheOperatorsTeardownCall() {
    Run run = Run.of("teardown", FakeMesos.FRAMEWORK_ID, master);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo(
        "Tore down framework " + FakeMesos.FRAMEWORK_ID + " (reference-fixture).\n");
    assertThat(fake.calls).containsExactly("{\"type\":\"GET_FRAMEWORKS\"}",
        "{\"type\":\"TEARDOWN\",\"teardown\":{\"framework_id\":{\"value\":\""
            + FakeMesos.FRAMEWORK_ID + "\"}}}");
  }

  @Test
  void anUnknownFrameworkIdFailsWithoutCallingTeardown() {
    Run run = Run.of("teardown", "no-such-framework", master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("mesoskit teardown: unknown framework id no-such-framework:"
        + " the master at " + fake.master() + " knows no such framework ('mesoskit frameworks'"
        + " lists them)\n");
    assertThat(fake.callTypes()).containsExactly("GET_FRAMEWORKS");
  }

  @Test
  void aFrameworkAlreadyTornDownFails() {
    fake.recordings.put("GET_FRAMEWORKS", "master-operator/GET_FRAMEWORKS-after-TEARDOWN.json");

    Run run = Run.of("teardown", FakeMesos.FRAMEWORK_ID, master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mesoskit teardown: framework " + FakeMesos.FRAMEWORK_ID
        + " (reference-fixture) is already torn down or finished\n");
    assertThat(fake.callTypes()).containsExactly("GET_FRAMEWORKS");
  }

  @Test
  void aMasterErrorIsReportedWithItsStatusAndText() {
    fake.recordings.put("TEARDOWN", "master-operator/error-unknown-call-type.json");

    Run run = Run.of("teardown", FakeMesos.FRAMEWORK_ID, master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mesoskit teardown: master " + fake.master()
        + " answered TEARDOWN with 400 Bad Request: Failed to validate master::Call: Expecting"
        + " 'type' to be present\n");
  }

  @Test
  void aMissingFrameworkIdIsAUsageError() {
    Run run = Run.of("teardown", master);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("mesoskit: Missing required parameter: 'FRAMEWORK_ID'\n"
        + "Try 'mesoskit teardown --help' for more information.\n");
  }
}
