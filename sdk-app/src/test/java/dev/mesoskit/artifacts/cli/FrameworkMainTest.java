package dev.mesoskit.artifacts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Exit codes of a framework program, and SIGTERM/SIGINT as a stop request. */
@Timeout(60)
class FrameworkMainTest {
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  @Command(name = "probe")
  static final class Probe implements Callable<Integer> {
    @Option(names = "--fail")
    String fail = "";

    @Override
    public Integer call() {
      return switch (fail) {
        case "usage" -> throw new UsageException("--fail must be sensible");
        case "argument" -> throw new IllegalArgumentException("task id 'a' is already submitted");
        case "crash" -> throw new IllegalStateException("boom");
        case "sdk" -> throw new dev.mesoskit.core.MesosKitException("another scheduler instance"
            + " uses this state store", new java.io.IOException("lock held"));
        default -> 7;
      };
    }
  }

  private int run(String... args) {
    return FrameworkMain.run(new Probe(), new PrintStream(console, true, StandardCharsets.UTF_8),
        args);
  }

  private String text() {
    return console.toString(StandardCharsets.UTF_8);
  }

  @Test
  void returnsWhatTheCommandReturns() {
    assertThat(run()).isEqualTo(7);
    assertThat(text()).isEmpty();
  }

  @Test
  void aUsageExceptionIsBadUsageWithTheProgramsNameAndTheMessage() {
    assertThat(run("--fail", "usage")).isEqualTo(FrameworkMain.USAGE).isEqualTo(2);
    assertThat(text()).isEqualTo("probe: --fail must be sensible\n");
  }

  @Test
  void anIllegalArgumentOfTheProgramIsAFailureNotBadUsage() {
    assertThat(run("--fail", "argument")).isEqualTo(FrameworkMain.FAILURE);
    assertThat(text()).startsWith("probe: java.lang.IllegalArgumentException: task id 'a' is"
        + " already submitted\njava.lang.IllegalArgumentException: task id 'a' is already"
        + " submitted\n\tat ");
  }

  @Test
  void anyOtherExceptionIsAFailureWithItsStackTrace() {
    assertThat(run("--fail", "crash")).isEqualTo(FrameworkMain.FAILURE).isEqualTo(1);
    assertThat(text()).startsWith("probe: java.lang.IllegalStateException: boom\n"
        + "java.lang.IllegalStateException: boom\n\tat ");
  }

  @Test
  void anSdkFailureIsAFailureWithItsMessageAndCausesAndNoStackTrace() {
    assertThat(run("--fail", "sdk")).isEqualTo(FrameworkMain.FAILURE);
    assertThat(text()).isEqualTo("probe: another scheduler instance uses this state store\n"
        + "  caused by: java.io.IOException: lock held\n");
  }

  @Test
  void anUnknownOptionIsBadUsage() {
    assertThat(run("--fial")).isEqualTo(2);
    assertThat(text()).startsWith("Unknown option: '--fial'");
  }

  private static Process probe(String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        SignalProbe.class.getName());
    builder.command().addAll(List.of(args));
    return builder.redirectErrorStream(true).start();
  }

  @Test
  void theFirstSigtermBecomesAStopRequest() throws Exception {
    Process process = probe();
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");

    process.toHandle().destroy(); // SIGTERM; Process.destroy() would close the pipes

    assertThat(out.readLine()).isEqualTo("stop requested by SIGTERM");
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void aSecondSignalExitsAtOnceWith128PlusItsNumber() throws Exception {
    Process process = probe("linger");
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("ready");

    process.toHandle().destroy();
    assertThat(out.readLine()).isEqualTo("stop requested by SIGTERM");
    process.toHandle().destroy();

    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(143);
  }
}
