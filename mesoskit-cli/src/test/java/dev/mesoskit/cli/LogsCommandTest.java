package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** logs against the recorded answers of a real Mesos 1.12 and READ_FILE of the fake agent. */
class LogsCommandTest {
  private FakeMesos fake;
  private String master;
  private final String echoStdout = FakeMesos.sandbox("echo-task", "stdout");
  private final String sleeperStdout = FakeMesos.sandbox("sleeper", "stdout");

  @BeforeEach
  void start() {
    fake = new FakeMesos();
    master = "--master=" + fake.master();
    fake.append(echoStdout, "hello-stdout\n");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void printsTheStdoutOfACommandTaskFromItsSandbox() {
    Run run = Run.of("logs", "echo-task", master);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("hello-stdout\n");
    assertThat(fake.calls).containsExactly("{\"type\":\"GET_TASKS\"}",
        "{\"type\":\"GET_AGENTS\"}",
        "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"" + echoStdout
            + "\",\"offset\":0,\"length\":1}}",
        "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"" + echoStdout
            + "\",\"offset\":0,\"length\":13}}");
  }

  @Test
  void printsStderrWithTheStderrOption() {
    fake.append(FakeMesos.sandbox("echo-task", "stderr"), "I1207 starting\nI1207 done\n");

    assertThat(Run.of("logs", "echo-task", "--stderr", master).out())
        .isEqualTo("I1207 starting\nI1207 done\n");
  }

  @Test
  void tailPrintsTheLastLines() {
    fake.append(sleeperStdout, "one\ntwo\nthree\nfour\n");

    assertThat(Run.of("logs", "sleeper", "--tail", "2", master).out()).isEqualTo("three\nfour\n");
    assertThat(Run.of("logs", "sleeper", "--tail=10", master).out())
        .isEqualTo("one\ntwo\nthree\nfour\n");
    assertThat(Run.of("logs", "sleeper", "--tail=0", master).out()).isEmpty();
  }

  @Test
  void tailKeepsAnUnfinishedLastLine() {
    fake.append(sleeperStdout, "one\ntwo\nthree");

    assertThat(Run.of("logs", "sleeper", "--tail", "2", master).out()).isEqualTo("two\nthree");
  }

  @Test
  void tailOfAFileLargerThanOneReadReadsBackFarEnough() {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 20_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    fake.append(sleeperStdout, text.toString());

    assertThat(Run.of("logs", "sleeper", "--tail", "12000", master).out())
        .isEqualTo(text.substring(text.indexOf("\nline 8001\n") + 1));
    assertThat(Run.of("logs", "sleeper", master).out()).isEqualTo(text.toString());
  }

  @Test
  void keepsACharacterWhoseBytesArriveInTwoReadsWhole() {
    String text = "x".repeat(LogsCommand.CHUNK_BYTES - 1) + "é and ✓\n";
    fake.files.put(sleeperStdout, text.getBytes(StandardCharsets.UTF_8));

    assertThat(Run.of("logs", "sleeper", master).out()).isEqualTo(text);
  }

  @Test
  void followPrintsWhatTheTaskWritesAndEndsWhenTheTaskEnds() throws Exception {
    fake.append(sleeperStdout, "first\n");
    CompletableFuture<Run> follow = CompletableFuture.supplyAsync(
        () -> Run.of("logs", "sleeper", "--follow", "--poll-millis=50", master));
    Thread.sleep(300);
    fake.append(sleeperStdout, "second\n");
    Thread.sleep(300);
    fake.append(sleeperStdout, "third\n");
    fake.recordings.put("GET_TASKS", "master-operator/GET_TASKS-after-TEARDOWN.json");

    Run run = follow.get(10, TimeUnit.SECONDS);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("first\nsecond\nthird\n");
  }

  @Test
  void followOfAFinishedTaskPrintsAllAndEnds() {
    assertThat(Run.of("logs", "echo-task", "--follow", master).out()).isEqualTo("hello-stdout\n");
  }

  @Test
  void followWaitsForASandboxFileThatDoesNotExistYet() throws Exception {
    CompletableFuture<Run> follow = CompletableFuture.supplyAsync(
        () -> Run.of("logs", "sleeper", "--follow", "--tail=1", "--poll-millis=50", master));
    Thread.sleep(300);
    fake.append(sleeperStdout, "late\n");
    Thread.sleep(300);
    fake.recordings.put("GET_TASKS", "master-operator/GET_TASKS-after-TEARDOWN.json");

    assertThat(follow.get(10, TimeUnit.SECONDS).out()).isEqualTo("late\n");
  }

  @Test
  void anUnknownTaskFailsInWords() {
    Run run = Run.of("logs", "no-such-task", master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("mesoskit logs: task not found: no-such-task (the master at "
        + fake.master() + " lists no such task)\n");
  }

  @Test
  void aMissingSandboxFileFailsNamingThePath() {
    Run run = Run.of("logs", "sleeper", master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("mesoskit logs: no stdout of task sleeper on agent "
        + fake.master() + ": " + sleeperStdout + " not found (the task has not started yet, or"
        + " its sandbox was removed)\n");
  }

  @Test
  void aNegativeTailIsAUsageError() {
    Run run = Run.of("logs", "sleeper", "--tail=-1", master);

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("mesoskit: --tail must be >= 0 but was -1\n"
        + "Try 'mesoskit logs --help' for more information.\n");
  }

  @Test
  void aTaskOfATaskGroupIsReadFromItsOwnSandboxInTheExecutors() {
    fake.recordings.put("GET_TASKS", "master-operator/GET_TASKS-task-group.json");
    String path = "/frameworks/" + FakeMesos.FRAMEWORK_ID
        + "/executors/group-executor/runs/latest/tasks/group-task-2/stdout";
    fake.append(path, "from the group\n");

    Run run = Run.of("logs", "group-task-2", master);

    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("from the group\n");
  }

  @Test
  void lastLinesFindsWhereTheLastLinesBegin() {
    byte[] data = "a\nb\nc\n".getBytes(StandardCharsets.UTF_8);

    assertThat(LogsCommand.lastLines(data, 1)).isEqualTo(4);
    assertThat(LogsCommand.lastLines(data, 2)).isEqualTo(2);
    assertThat(LogsCommand.lastLines(data, 3)).isEqualTo(-1);
    assertThat(LogsCommand.lastLines(data, 0)).isEqualTo(6);
  }
}
