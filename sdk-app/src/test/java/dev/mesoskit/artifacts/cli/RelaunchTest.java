package dev.mesoskit.artifacts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.artifacts.cli.FrameworkMain.StopSignals;
import dev.mesoskit.artifacts.cli.Relaunch.Decision;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RelaunchTest {
  private static final List<String> C1 = List.of("-XX:TieredStopAtLevel=1");
  private static final String[] ARGS = {"--images", "in dir", "--output", "out"};

  /** The decision for a command line of {@code head} and then {@link #ARGS}. */
  private static Decision decide(Map<String, String> env, String offProperty, String... head) {
    List<String> line = new java.util.ArrayList<>(List.of(head));
    if (!line.contains("--images")) {
      line.addAll(List.of(ARGS));
    }
    return Relaunch.decide(C1, env, offProperty, Optional.of(line.toArray(String[]::new)), "/jdk",
        ARGS, 42,
        p -> p.equals(Path.of("/jdk/bin/java")));
  }

  @Test
  void aJarStartedByJavaDashJarIsStartedAgainWithTheOptionsBeforeTheUsersOwn() {
    Decision d = decide(Map.of(), null, "-Xmx1g", "-jar", "app.jar", "--images", "in dir",
        "--output", "out");

    assertThat(d.command()).containsExactly("/jdk/bin/java", "-XX:TieredStopAtLevel=1",
        "-Dmesoskit.relaunched=42", "-Xmx1g", "-jar", "app.jar", "--images", "in dir",
        "--output", "out");
    assertThat(d.explanation()).isEmpty();
  }

  @Test
  void aClassPathAndMainClassAreKeptAsTheyWere() {
    Decision d = decide(Map.of(), null, "-cp", "a.jar:b.jar", "dev.Main", "--images", "in dir",
        "--output", "out");

    assertThat(d.command()).containsExactly("/jdk/bin/java", "-XX:TieredStopAtLevel=1",
        "-Dmesoskit.relaunched=42", "-cp", "a.jar:b.jar", "dev.Main", "--images", "in dir",
        "--output", "out");
  }

  @Test
  void optionsTheUserAlreadySetAreNotAddedAndNoneLeftMeansNoRelaunch() {
    assertThat(decide(Map.of(), null, "-XX:TieredStopAtLevel=4", "-jar", "app.jar").command())
        .isEmpty();
    assertThat(decide(Map.of("JAVA_TOOL_OPTIONS", " -Xss1m  -XX:TieredStopAtLevel=1 "), null,
        "-jar", "app.jar").command()).isEmpty();
    Decision d = Relaunch.decide(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        Map.of("JDK_JAVA_OPTIONS", "-XX:-UseSerialGC"), null,
        Optional.of(new String[] {"-jar", "app.jar", "x"}), "/jdk", new String[] {"x"}, 7,
        p -> true);
    assertThat(d.command()).containsExactly("/jdk/bin/java", "-XX:TieredStopAtLevel=1",
        "-Dmesoskit.relaunched=7", "-jar", "app.jar", "x");
  }

  @Test
  void aDebuggerOrAgentOnTheCommandLineKeepsTheProgramInThisJvm() {
    for (String agent : List.of("-agentlib:jdwp=transport=dt_socket,server=y,address=5005",
        "-javaagent:probe.jar", "-agentpath:/lib/libprof.so", "-Xrunjdwp:server=y", "-Xdebug")) {
      Decision d = decide(Map.of(), null, agent, "-jar", "app.jar");
      assertThat(d.command()).as(agent).isEmpty();
      assertThat(d.explanation()).as(agent).isEmpty();
    }
  }

  @Test
  void aDebuggerOrAgentInTheEnvironmentKeepsTheProgramInThisJvm() {
    // Both JVMs read the environment: a child with jdwp would find the parent on its port.
    for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
      Decision d = decide(Map.of(variable,
          "-Xss1m -agentlib:jdwp=transport=dt_socket,server=y,address=5005"), null,
          "-jar", "app.jar");
      assertThat(d.command()).as(variable).isEmpty();
      assertThat(d.explanation()).as(variable).isEmpty();
    }
  }

  @Test
  void theCommandLineIsEveryStringAfterTheCommandEmptyOnesToo() {
    byte[] cmdline = "/jdk/bin/java\0-cp\0\0Main\0caf\u00e9\0\0".getBytes(StandardCharsets.UTF_8);

    assertThat(Relaunch.arguments(cmdline, StandardCharsets.UTF_8))
        .containsExactly("-cp", "", "Main", "caf\u00e9", "");
    assertThat(Relaunch.arguments("java\0-jar\0a.jar".getBytes(StandardCharsets.UTF_8),
        StandardCharsets.UTF_8)).containsExactly("-jar", "a.jar");
    assertThat(Relaunch.arguments(new byte[0], StandardCharsets.UTF_8)).isEmpty();
    // In the C locale the launcher gives main a U+FFFD for each byte past ASCII, as this does.
    assertThat(Relaunch.arguments(cmdline, StandardCharsets.US_ASCII))
        .containsExactly("-cp", "", "Main", "caf\ufffd\ufffd", "");
  }

  @Test
  void theEnvironmentVariableOrThePropertyTurnsItOffQuietly() {
    for (String off : List.of("0", "false", "NO", "off")) {
      Decision d = decide(Map.of("MESOSKIT_RELAUNCH", off), null, "-jar", "app.jar");
      assertThat(d.command()).isEmpty();
      assertThat(d.explanation()).isEmpty();
    }
    assertThat(decide(Map.of(), "false", "-jar", "app.jar").command()).isEmpty();
    assertThat(decide(Map.of("MESOSKIT_RELAUNCH", "1"), "true", "-jar", "app.jar")
        .command()).isNotEmpty();
  }

  @Test
  void withoutAJavaBinaryItRunsInThisJvmAndSaysWhy() {
    Decision d = Relaunch.decide(C1, Map.of(), null,
        Optional.of(new String[] {"-jar", "app.jar"}), "/jre", new String[0], 42, p -> false);

    assertThat(d.command()).isEmpty();
    assertThat(Relaunch.explanation("image-invert", C1, d.explanation().orElseThrow()))
        .isEqualTo("image-invert: running without the JVM options -XX:TieredStopAtLevel=1"
            + " (/jre/bin/java is not an executable file; MESOSKIT_RELAUNCH=0 stops trying)");
  }

  @Test
  void anUnreadableOrUnexpectedCommandLineIsExplained() {
    assertThat(Relaunch.decide(C1, Map.of(), null, Optional.empty(), "/jdk", ARGS, 42, p -> true)
        .explanation()).contains("this JVM's command line cannot be read");
    assertThat(decide(Map.of(), null, "-jar", "app.jar", "--images").explanation())
        .contains("this JVM's command line [-jar, app.jar, --images] does not end with the"
            + " program's arguments [--images, in dir, --output, out]");
  }

  @Test
  void flagsAreNamedAsTheJvmReadsThem() {
    assertThat(List.of("-XX:+UseSerialGC", "-XX:-UseSerialGC", "-XX:CICompilerCount=2",
        "-Dmesoskit.x=1", "-Dy", "-Xss256k", "-Xshare:auto").stream().map(Relaunch::flag))
        .containsExactly("UseSerialGC", "UseSerialGC", "CICompilerCount", "-Dmesoskit.x", "-Dy",
            "-Xss", "-Xshare:auto");
  }

  private static Process probe(Map<String, String> env, String... args) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xshare:auto", "-cp",
        System.getProperty("java.class.path"), RelaunchProbe.class.getName());
    builder.command().addAll(List.of(args));
    builder.environment().remove("MESOSKIT_RELAUNCH");
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().remove("JDK_JAVA_OPTIONS");
    builder.environment().putAll(env);
    return builder.redirectErrorStream(true).start();
  }

  private static String output(Process process) throws Exception {
    String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return text.replaceAll("pid \\d+ ", "");
  }

  @Test
  void aRelaunchedMainRunsWithTheOptionsAndItsExitStatusIsTheProgramsStatus() throws Exception {
    Process process = probe(Map.of(), "7", "two words");

    assertThat(output(process)).isEqualTo("child true C1 only true args [7, two words]\n");
    assertThat(process.exitValue()).isEqualTo(7);
  }

  @Test
  void emptyArgumentsAndACommandLineLongerThanAPageAreRelaunchedExactly() throws Exception {
    String longArgument = "long " + "x".repeat(5000);
    Process process = probe(Map.of(), "5", "", longArgument);

    assertThat(output(process))
        .isEqualTo("child true C1 only true args [5, , " + longArgument + "]\n");
    assertThat(process.exitValue()).isEqualTo(5);
  }

  @Test
  void aMainCalledByAnotherProgramsMainRunsInItsJvmAndSaysWhy() throws Exception {
    // Without arguments, the host's command line ends with the program's (none) arguments.
    Process process = probe(Map.of(), "host");

    assertThat(output(process)).isEqualTo("hosted: running without the JVM options"
        + " -XX:TieredStopAtLevel=1 (main is called by"
        + " dev.mesoskit.artifacts.cli.RelaunchProbe.main, not by the java launcher; MESOSKIT_RELAUNCH=0 stops trying)\nhosted child false\n");
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void optedOutTheMainRunsInTheFirstJvm() throws Exception {
    Process process = probe(Map.of("MESOSKIT_RELAUNCH", "0"), "3");

    assertThat(output(process)).isEqualTo("child false C1 only false args [3]\n");
    assertThat(process.exitValue()).isEqualTo(3);
  }

  @Test
  void aSigtermToTheParentIsTheChildsStopRequestAndTheParentWaitsForIt() throws Exception {
    Process process = probe(Map.of(), "stop");
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).matches("pid \\d+ child true C1 only true args \\[stop\\]");

    process.toHandle().destroy(); // SIGTERM to the parent only

    assertThat(out.readLine()).isEqualTo("stop requested by SIGTERM");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void aSigtermToTheProcessGroupIsOneStopRequestForTheChild() throws Exception {
    Process process = probe(Map.of(), "slow-stop");
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).matches("pid \\d+ child true C1 only true args \\[slow-stop\\]");
    ProcessHandle child = ProcessHandle.of(Long.parseLong(line.split(" ")[1])).orElseThrow();

    // What kill -TERM -<pgid> does: SIGTERM to both; the parent passes its own on.
    child.destroy();
    process.toHandle().destroy();

    assertThat(out.readLine()).isEqualTo("stop requested by SIGTERM");
    assertThat(out.readLine()).isEqualTo("stopped");
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
  }

  @Test
  void inARelaunchedJvmOneSigtermMoreSoonAfterTheFirstIsTheSameSignal() {
    long s = 1_000_000_000L;
    StopSignals relaunched = new StopSignals(true);
    assertThat(relaunched.deliver("SIGTERM", 10 * s)).isEqualTo(StopSignals.Outcome.STOP);
    assertThat(relaunched.deliver("SIGTERM", 12 * s)).isEqualTo(StopSignals.Outcome.SAME);
    assertThat(relaunched.deliver("SIGTERM", 12 * s)).isEqualTo(StopSignals.Outcome.EXIT);

    StopSignals late = new StopSignals(true);
    late.deliver("SIGTERM", 0);
    assertThat(late.deliver("SIGTERM", 2 * s + 1)).isEqualTo(StopSignals.Outcome.EXIT);

    StopSignals ctrlC = new StopSignals(true);
    assertThat(ctrlC.deliver("SIGINT", 0)).isEqualTo(StopSignals.Outcome.STOP);
    assertThat(ctrlC.deliver("SIGINT", 1)).isEqualTo(StopSignals.Outcome.EXIT);

    StopSignals mixed = new StopSignals(true);
    mixed.deliver("SIGINT", 0);
    assertThat(mixed.deliver("SIGTERM", 1)).isEqualTo(StopSignals.Outcome.EXIT);

    StopSignals alone = new StopSignals(false);
    alone.deliver("SIGTERM", 0);
    assertThat(alone.deliver("SIGTERM", 1)).isEqualTo(StopSignals.Outcome.EXIT);
  }

  @Test
  void aChildThatCannotStartLeavesSigtermToTheJvm() throws Exception {
    Process process = probe(Map.of("MESOSKIT_RELAUNCH", "0"), "unstartable");
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("running in this JVM");

    process.toHandle().destroy();

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(143);
  }

  @Test
  void theChildEndsWhenTheParentIsKilled() throws Exception {
    Process process = probe(Map.of(), "wait");
    BufferedReader out = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).matches("pid \\d+ child true C1 only true args \\[wait\\]");
    ProcessHandle child = ProcessHandle.of(Long.parseLong(line.split(" ")[1])).orElseThrow();

    process.destroyForcibly(); // SIGKILL: no hook runs in the parent

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    child.onExit().get(60, TimeUnit.SECONDS); // gone, not orphaned
    assertThat(child.isAlive()).isFalse();
  }
}
