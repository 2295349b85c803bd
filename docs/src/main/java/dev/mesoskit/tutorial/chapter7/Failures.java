package dev.mesoskit.tutorial.chapter7;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Chapter 7's program: four tasks that end four different ways. {@code flaky} fails its first
 * attempt and finishes on its second, {@code broken} fails every attempt, {@code endless} runs
 * until it is killed, {@code too-big} never fits an offer and is killed while pending. It prints
 * every change with its attempt and message.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter7.Failures --master=local
 * </pre>
 */
public final class Failures {
  private Failures() {}

  /**
   * Runs the four tasks and exits 0 if each ended as expected.
   *
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   * @throws IOException if the temporary marker directory cannot be made
   */
  public static void main(String[] args) throws IOException {
    List<Task> ended = run(System.out, args);
    List<TaskState> expected =
        List.of(TaskState.FINISHED, TaskState.FAILED, TaskState.KILLED, TaskState.KILLED);
    System.exit(ended.stream().map(Task::state).toList().equals(expected) ? 0 : 1);
  }

  /**
   * Runs the four tasks and waits for their outcomes.
   *
   * @param out where every change is printed
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   * @return flaky, broken, endless and too-big as they ended
   * @throws IOException if the temporary marker directory cannot be made
   */
  public static List<Task> run(PrintStream out, String... args) throws IOException {
    Path marker = Files.createTempDirectory("failures").resolve("flaky-failed-once");
    // tutorial:begin retries
    RetryPolicy retries = RetryPolicy.builder()
        .maxAttempts(3)                                  // in all, the first one included
        .initialBackoff(Duration.ofMillis(200))          // then 400 ms, each minus up to 20%
        .maxBackoff(Duration.ofSeconds(5))
        .build();
    try (Framework framework = Framework.builder()
        .name("failures")
        .backend(Backends.fromArgs(args))
        .retryPolicy(retries)
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .listener(task -> out.println(task.name() + " attempt " + task.attempt() + " "
            + task.state() + (task.done() ? " (outcome)" : "")
            + task.message().map(m -> ": " + m).orElse("")))
        .build()) {
      framework.start();
      TaskId flaky = framework.submit(task("flaky",
          "if [ -e " + marker + " ]; then exit 0; else touch " + marker + "; exit 1; fi"));
      TaskId broken = framework.submit(task("broken", "exit 3"));
      TaskId endless = framework.submit(task("endless", "sleep 600"));
      TaskId tooBig = framework.submit(TaskSpec.builder()
          .name("too-big").resources("cpus:1000;mem:32").command("true").build());
      framework.outcome(flaky).join();
      framework.outcome(broken).join();
      awaitState(framework, endless, TaskState.RUNNING);
      out.println("too-big waits: " + framework.task(tooBig).orElseThrow().message().orElse("?"));
      framework.kill(endless);                           // KILLED, never retried
      framework.kill(tooBig);                            // still PENDING: killed without a launch
      List<Task> ended = List.of(framework.outcome(flaky).join(), framework.outcome(broken).join(),
          framework.outcome(endless).join(), framework.outcome(tooBig).join());
      framework.finish();
      framework.awaitTermination();
      return ended;
    }
    // tutorial:end retries
  }

  private static TaskSpec task(String name, String shellLine) {
    return TaskSpec.builder().name(name).resources("cpus:0.1;mem:32").command(shellLine).build();
  }

  private static void awaitState(Framework framework, TaskId id, TaskState state) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (framework.task(id).map(Task::state).orElseThrow() != state) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " did not reach " + state + " within 30 s");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + id, e);
      }
    }
  }
}
