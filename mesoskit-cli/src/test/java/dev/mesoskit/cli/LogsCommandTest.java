package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    assertThat(run.bytes()).isEqualTo(Run.utf8("hello-stdout\n"));
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

    assertThat(Run.of("logs", "echo-task", "--stderr", master).bytes())
        .isEqualTo(Run.utf8("I1207 starting\nI1207 done\n"));
  }

  @Test
  void tailPrintsTheLastLines() {
    fake.append(sleeperStdout, "one\ntwo\nthree\nfour\n");

    assertThat(Run.of("logs", "sleeper", "--tail", "2", master).bytes())
        .isEqualTo(Run.utf8("three\nfour\n"));
    assertThat(Run.of("logs", "sleeper", "--tail=10", master).bytes())
        .isEqualTo(Run.utf8("one\ntwo\nthree\nfour\n"));
    assertThat(Run.of("logs", "sleeper", "--tail=0", master).bytes()).isEmpty();
  }

  @Test
  void tailKeepsAnUnfinishedLastLine() {
    fake.append(sleeperStdout, "one\ntwo\nthree");

    assertThat(Run.of("logs", "sleeper", "--tail", "2", master).bytes())
        .isEqualTo(Run.utf8("two\nthree"));
  }

  @Test
  void tailOfAFileLargerThanOneReadReadsBackFarEnough() {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 20_000; i++) {
      text.append("line ").append(i).append('\n');
    }
    fake.append(sleeperStdout, text.toString());

    assertThat(Run.of("logs", "sleeper", "--tail", "12000", master).bytes())
        .isEqualTo(Run.utf8(text.substring(text.indexOf("\nline 8001\n") + 1)));
    assertThat(Run.of("logs", "sleeper", master).bytes()).isEqualTo(Run.utf8(text.toString()));
  }

  @Test
  void keepsACharacterWhoseBytesArriveInTwoReadsWhole() {
    String text = "x".repeat(LogsCommand.CHUNK_BYTES - 1) + "é and ✓\n";
    fake.files.put(sleeperStdout, text.getBytes(StandardCharsets.UTF_8));

    assertThat(Run.of("logs", "sleeper", master).bytes()).isEqualTo(Run.utf8(text));
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
    assertThat(run.bytes()).isEqualTo(Run.utf8("first\nsecond\nthird\n"));
  }

  @Test
  void followOfAFinishedTaskPrintsAllAndEnds() {
    assertThat(Run.of("logs", "echo-task", "--follow", master).bytes())
        .isEqualTo(Run.utf8("hello-stdout\n"));
  }

  @Test
  void followWaitsForASandboxFileThatDoesNotExistYet() throws Exception {
    CompletableFuture<Run> follow = CompletableFuture.supplyAsync(
        () -> Run.of("logs", "sleeper", "--follow", "--tail=1", "--poll-millis=50", master));
    Thread.sleep(300);
    fake.append(sleeperStdout, "late\n");
    Thread.sleep(300);
    fake.recordings.put("GET_TASKS", "master-operator/GET_TASKS-after-TEARDOWN.json");

    assertThat(follow.get(10, TimeUnit.SECONDS).bytes()).isEqualTo(Run.utf8("late\n"));
  }

  @Test
  void anUnknownTaskFailsInWords() {
    Run run = Run.of("logs", "no-such-task", master);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.bytes()).isEmpty();
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
    assertThat(run.bytes()).isEqualTo(Run.utf8("from the group\n"));
  }

  @Test
  void lastLinesFindsWhereTheLastLinesBegin() {
    byte[] data = "a\nb\nc\n".getBytes(StandardCharsets.UTF_8);

    assertThat(LogsCommand.lastLines(data, 1)).isEqualTo(4);
    assertThat(LogsCommand.lastLines(data, 2)).isEqualTo(2);
    assertThat(LogsCommand.lastLines(data, 3)).isEqualTo(-1);
    assertThat(LogsCommand.lastLines(data, 0)).isEqualTo(6);
  }

  @Test
  void writesTheFileBytesUnchangedWhateverTheirEncodingPlainTailAndFollow() {
    byte[] bytes = {'l', 'a', 't', 'i', 'n', '-', '1', ' ', (byte) 0xE9, '\n',
        (byte) 0xFF, (byte) 0xFE, '\n', 'u', 't', 'f', '-', '8', ' ', (byte) 0xE2, (byte) 0x9C,
        (byte) 0x93, '\n'};
    fake.files.put(echoStdout, bytes);

    assertThat(Run.of("logs", "echo-task", master).bytes()).isEqualTo(bytes);
    assertThat(Run.of("logs", "echo-task", "--follow", master).bytes()).isEqualTo(bytes);
    assertThat(Run.of("logs", "echo-task", "--tail=2", master).bytes())
        .isEqualTo(Arrays.copyOfRange(bytes, 10, bytes.length));
    Run run = Run.of("logs", "echo-task", "--tail=5", "--follow", master);
    assertThat(run.bytes()).isEqualTo(bytes);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEmpty();
  }

  @Test
  void tailOfALargeFileStartsAtALineNotInsideACharacter() {
    // the read window begins 64 KiB before the end, inside the 3-byte check mark
    String text = "\u2713".repeat(LogsCommand.CHUNK_BYTES) + "\nlast\n";
    fake.files.put(sleeperStdout, Run.utf8(text));

    assertThat(Run.of("logs", "sleeper", "--tail=2", master).bytes()).isEqualTo(Run.utf8(text));
    assertThat(Run.of("logs", "sleeper", "--tail=1", master).bytes())
        .isEqualTo(Run.utf8("last\n"));
  }

  @Test
  void followWithTailAppliesTheTailToTheFileWhenItFirstAppears() throws Exception {
    CompletableFuture<Run> follow = CompletableFuture.supplyAsync(
        () -> Run.of("logs", "sleeper", "--follow", "--tail=2", "--poll-millis=50", master));
    Thread.sleep(300);
    fake.append(sleeperStdout, "one\ntwo\nthree\nfour\n");
    Thread.sleep(300);
    fake.append(sleeperStdout, "five\n");
    Thread.sleep(300);
    fake.recordings.put("GET_TASKS", "master-operator/GET_TASKS-after-TEARDOWN.json");

    Run run = follow.get(10, TimeUnit.SECONDS);

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.bytes()).isEqualTo(Run.utf8("three\nfour\nfive\n"));
  }

  @Test
  void aTaskNameWithoutAttemptShowsItsLatestAttempt(@TempDir Path dir) throws Exception {
    useAttemptsOfWeb1(dir);
    fake.append(FakeMesos.sandbox("web-1.9", "stdout"), "attempt 9\n");
    fake.append(FakeMesos.sandbox("web-1.10", "stdout"), "attempt 10\n");

    Run run = Run.of("logs", "web-1", master);

    assertThat(run.exitCode()).isZero();
    assertThat(run.bytes()).isEqualTo(Run.utf8("attempt 10\n"));
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).isEqualTo("mesoskit logs: web-1 is not a Mesos task id; showing its"
        + " latest attempt web-1.10\n");
    assertThat(Run.of("logs", "web-1.9", master).bytes()).isEqualTo(Run.utf8("attempt 9\n"));
    assertThat(Run.of("logs", "web-1.9", master).err()).isEmpty();
  }

  @Test
  void aTaskNameOnlyMatchesAttemptsWithANumber(@TempDir Path dir) throws Exception {
    useAttemptsOfWeb1(dir);

    assertThat(Run.of("logs", "web", master).err()).startsWith("mesoskit logs: task not found:"
        + " web (");
    assertThat(Run.of("logs", "web-1.1", master).err()).startsWith("mesoskit logs: task not"
        + " found: web-1.1 (");
  }

  @Test
  void tasksListsTheAttemptsUnchanged(@TempDir Path dir) throws Exception {
    useAttemptsOfWeb1(dir);

    Run run = Run.of("tasks", master);

    assertThat(run.err()).isEmpty();
    assertThat(run.out().lines().map(l -> l.split(" ")[0]))
        .containsExactly("ID", "web-1.10", "web-1.9");
  }

  /** GET_TASKS answers web-1.10 running and web-1.9 finished, the recorded tasks renamed. */
  private void useAttemptsOfWeb1(Path dir) throws Exception {
    String recorded = Files.readString(
        FakeMesos.REFERENCE.resolve("master-operator/GET_TASKS.json"));
    Path renamed = dir.resolve("GET_TASKS-attempts.json");
    Files.writeString(renamed,
        recorded.replace("\"sleeper\"", "\"web-1.10\"").replace("\"echo-task\"", "\"web-1.9\""));
    fake.recordings.put("GET_TASKS", renamed.toString());
  }
}
