package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The runnable jar, target/mesoskit.jar, run as a user runs it: {@code java -jar}. */
class MesosKitJarIT {
  private static final Path JAR = Path.of("target", "mesoskit.jar");

  /** Runs the jar to its end; returns exit code, stdout, stderr. */
  private static Run java(String... args) throws Exception {
    Process p = new ProcessBuilder(command(args)).start();
    p.getOutputStream().close();
    var out = p.getInputStream().readAllBytes();
    var err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8), out);
  }

  private static List<String> command(String... args) {
    assertThat(Files.isRegularFile(JAR)).as(JAR + " is built").isTrue();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString()));
    command.addAll(List.of(args));
    return command;
  }

  @Test
  void theJarPrintsHelpAndItsVersion() throws Exception {
    Run help = java("--help");
    Run version = java("--version");

    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).startsWith("Usage: mesoskit [-hV] [COMMAND]\n");
    assertThat(version.out()).isEqualTo("mesoskit 0.1.0-SNAPSHOT\n");
  }

  @Test
  void theJarExitsWithTwoOnWrongUsageAndOneOnFailure() throws Exception {
    assertThat(java("tasks", "--master=local").exitCode()).isEqualTo(2);
    Run refused = java("agents", "--master=127.0.0.1:1");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).isEqualTo("mesoskit agents: connection refused by master"
        + " 127.0.0.1:1 (is a Mesos master running there? 'mesoskit local' starts one)\n");
  }

  @Test
  void localStartsTheClusterThatTheOtherCommandsTalkTo() throws Exception {
    Process local = new ProcessBuilder(command("local", "--port=0", "--agents=1",
        "--resources=cpus:2;mem:1024;disk:1024;ports:[31000-31099]")).redirectErrorStream(true)
        .start();
    try {
      BufferedReader lines = new BufferedReader(
          new InputStreamReader(local.getInputStream(), StandardCharsets.UTF_8));
      String master = null;
      Pattern printed = Pattern.compile("\\(--master=(\\S+)\\)");
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        Matcher m = printed.matcher(line);
        if (m.find()) {
          master = m.group(1);
          break;
        }
      }
      assertThat(master).as("the master 'mesoskit local' printed").isNotNull();

      Run agents = java("agents", "--master=" + master);
      Assumptions.assumeFalse(agents.err().contains("answered GET_AGENTS with 404"),
          "LocalCluster has no operator API yet: " + agents.err());

      assertThat(agents.err()).isEmpty();
      assertThat(agents.exitCode()).isZero();
      assertThat(agents.out()).startsWith("ID ").contains(
          "  127.0.0.1  ", "  active  cpus:2 mem:1024 disk:1024 ports:[31000-31099]");
      assertThat(agents.out().lines()).hasSize(2);
    } finally {
      local.destroy();
      assertThat(local.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }
}
