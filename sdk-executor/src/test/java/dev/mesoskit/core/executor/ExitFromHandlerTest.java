package dev.mesoskit.core.executor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A handler's {@code System.exit} ends its executor; before the agent can only say "Executor
 * terminated", every running task is reported failed with where the exit came from.
 */
@Timeout(60)
class ExitFromHandlerTest {
  @Test
  void aHandlerThatCallsSystemExitFailsEveryRunningTaskSayingWhere() throws Exception {
    Process program = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", System.getProperty("java.class.path"), ExitingHandlerProgram.class.getName())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(program.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(program.exitValue()).as("the handler's exit status").isEqualTo(7);
    String at = "at " + ExitingHandlerProgram.class.getName() + ".lambda$main$0("
        + "ExitingHandlerProgram.java:";
    List<String> failed = out.lines().filter(l -> l.contains(" FAILED ")).toList();
    assertThat(failed).hasSize(2);
    assertThat(failed).anySatisfy(l -> assertThat(l)
        .startsWith("update exit.1 FAILED the task's handler called System.exit " + at)
        .endsWith("), ending its executor"));
    assertThat(failed).anySatisfy(l -> assertThat(l)
        .startsWith("update other.1 FAILED the executor ended while the task ran: the handler"
            + " of task exit.1 called System.exit " + at));
  }

  @Test
  void onlyACallOfExitIsFoundInAStack() {
    StackTraceElement[] handler = {
        new StackTraceElement("java.lang.Shutdown", "exit", "Shutdown.java", 173),
        new StackTraceElement("java.lang.Runtime", "exit", "Runtime.java", 115),
        new StackTraceElement("java.lang.System", "exit", "System.java", 1860),
        new StackTraceElement("com.example.Convert", "run", "Convert.java", 42)};
    assertThat(ExecutorRuntime.exitCaller(handler))
        .isEqualTo("com.example.Convert.run(Convert.java:42)");
    StackTraceElement[] waiting = {
        new StackTraceElement("java.lang.Object", "wait", null, -2),
        new StackTraceElement("com.example.Convert", "run", "Convert.java", 40)};
    assertThat(ExecutorRuntime.exitCaller(waiting)).isNull();
    assertThat(ExecutorRuntime.exitCaller(null)).isNull();
  }
}
