package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** The command line itself: usage, master addresses, errors and exit codes, completion. */
class MesosKitCommandTest {
  @Test
  void helpListsEveryCommand() {
    Run run = Run.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: mesoskit [-hV] [COMMAND]\n")
        .contains("\n  agents   ", "\n  frameworks   ", "\n  tasks   ", "\n  logs   ",
            "\n  teardown   ", "\n  local   ", "\n  generate-completion  ")
        .endsWith("Exit codes: 0 done, 1 failed, 2 wrong usage.\n"
            + "Example: mesoskit tasks --master=127.0.0.1:5050 --state running\n");
  }

  @Test
  void noCommandPrintsUsageAndExitsWithTwo() {
    Run run = Run.of();

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("Usage: mesoskit [-hV] [COMMAND]\n");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Run run = Run.of("nodes");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("mesoskit: Unmatched argument at index 0: 'nodes'\n")
        .endsWith("Try 'mesoskit --help' for more information.\n");
  }

  @Test
  void masterLocalIsAnErrorThatPointsToMesoskitLocal() {
    Run run = Run.of("tasks", "--master=local");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("mesoskit: --master=local starts no cluster for 'tasks': run"
        + " 'mesoskit local' in another terminal and pass the master it prints (e.g."
        + " --master=127.0.0.1:5050)\nTry 'mesoskit tasks --help' for more information.\n");
  }

  @Test
  void aMalformedMasterIsAUsageErrorWithMasterAddressesMessage() {
    Run run = Run.of("agents", "--master", "127.0.0.1:99999");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("mesoskit: Invalid value for option '--master': port must be"
        + " 1-65535 but was 99999 in '127.0.0.1:99999'\n"
        + "Try 'mesoskit agents --help' for more information.\n");
  }

  @Test
  void aRefusedConnectionFailsInWords() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    Run run = Run.of("frameworks", "--master=127.0.0.1:" + port);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mesoskit frameworks: connection refused by master 127.0.0.1:"
        + port + " (is a Mesos master running there? 'mesoskit local' starts one)\n");
  }

  @Test
  void aListOfMastersIsTriedInOrder() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (FakeMesos fake = new FakeMesos()) {
      Run run = Run.of("frameworks", "--master=127.0.0.1:" + port + "," + fake.master());

      assertThat(run.err()).isEmpty();
      assertThat(run.out()).contains("reference-fixture");
    }
  }

  @Test
  void anHttpUrlMasterWorks() {
    try (FakeMesos fake = new FakeMesos()) {
      assertThat(Run.of("frameworks", "--master=http://" + fake.master() + "/").out())
          .contains("reference-fixture");
    }
  }

  @Test
  void generateCompletionPrintsABashScriptForEveryCommand() {
    Run run = Run.of("generate-completion");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("#!/usr/bin/env bash")
        .contains("function _picocli_mesoskit_tasks()", "function _picocli_mesoskit_logs()",
            "function _picocli_mesoskit_local()", "--framework", "--follow");
  }

  @Test
  void localHelpShowsTheLocalClustersOptions() {
    Run run = Run.of("local", "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("Usage: mesoskit local [-hV]")
        .contains("--agents=<agents>", "--resources=<resources>", "--port=<port>");
  }
}
