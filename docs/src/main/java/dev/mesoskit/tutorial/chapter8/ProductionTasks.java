package dev.mesoskit.tutorial.chapter8;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chapter 8's program: a task whose health check fails after two seconds, so that its executor
 * kills it; a task with a readiness check and a kill grace period, killed once it is ready and
 * ending cleanly on SIGTERM; and a pod of two tasks that pass a file through a shared volume. It
 * prints every change with the task's health and check result.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter8.ProductionTasks --master=local
 * </pre>
 */
public final class ProductionTasks {
  private ProductionTasks() {}

  /**
   * Runs both tasks and exits 0 if each ended as expected.
   *
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   */
  public static void main(String[] args) {
    List<Task> ended = run(System.out, args);
    System.exit(ended.stream().map(Task::state).toList().equals(List.of(TaskState.FAILED,
        TaskState.KILLED, TaskState.FINISHED, TaskState.FINISHED)) ? 0 : 1);
  }

  /**
   * Runs both tasks and waits for their outcomes.
   *
   * @param out where every change is printed
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   * @return wedges, warms-up and the pod's writer and reader as they ended
   */
  public static List<Task> run(PrintStream out, String... args) {
    // tutorial:begin checks
    TaskSpec wedges = TaskSpec.builder()
        .name("wedges")
        .resources("cpus:0.1;mem:32")
        .command("touch alive; (sleep 2; rm alive) & sleep 600")   // healthy for 2 s, then not
        .healthCheck(HealthCheck.builder(Probe.command("test -f alive"))
            .delay(Duration.ZERO)
            .interval(Duration.ofMillis(500))
            .gracePeriod(Duration.ZERO)
            .consecutiveFailures(2)                        // killed after 2 failures in a row
            .build())
        .retryPolicy(RetryPolicy.none())                   // a Service would relaunch it
        .build();
    TaskSpec warmsUp = TaskSpec.builder()
        .name("warms-up")
        .resources("cpus:0.1;mem:32")
        .command("trap 'echo bye; exit 0' TERM; sleep 1; touch ready;"
            + " while true; do sleep 0.1; done")
        .readinessCheck(ReadinessCheck.of(Probe.command("test -f ready"))
            .delay(Duration.ZERO).interval(Duration.ofMillis(300)))
        .killGracePeriod(Duration.ofSeconds(5))            // SIGTERM, SIGKILL 5 s later
        .build();
    // tutorial:end checks
    // tutorial:begin pod
    PodSpec pair = PodSpec.builder("pair")                // one agent, launched together
        .task(TaskSpec.builder().name("writer").resources("cpus:0.1;mem:32")
            .command("echo from-writer > shared/message").build())
        .task(TaskSpec.builder().name("reader").resources("cpus:0.1;mem:32")
            .command("while [ ! -s shared/message ]; do sleep 0.1; done;"
                + " grep -qx from-writer shared/message").build())
        .sharedVolume("shared")                            // the pod's directory, in each task
        .build();
    // tutorial:end pod
    try (Framework framework = Framework.builder()
        .name("production-tasks")
        .backend(Backends.fromArgs(args))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .listener(new TaskListener() {
          @Override
          public void onUpdate(Task task) {               // a new state
            out.println(describe(task));
          }

          @Override
          public void onHealthChanged(Task task) {        // a new health or check result
            out.println(describe(task));
          }
        })
        .build()) {
      framework.start();
      TaskId unhealthy = framework.submit(wedges);
      TaskId ready = framework.submit(warmsUp);
      List<TaskId> pod = framework.submit(pair);          // pair.writer, pair.reader
      // tutorial:begin ready
      await(framework, ready, Task::ready);                // RUNNING and its check passed
      framework.kill(ready);                               // its trap exits 0 within the grace
      // tutorial:end ready
      List<Task> ended = new ArrayList<>(
          List.of(framework.outcome(unhealthy).join(), framework.outcome(ready).join()));
      pod.forEach(id -> ended.add(framework.outcome(id).join()));
      framework.finish();
      framework.awaitTermination();
      return ended;
    }
  }

  private static String describe(Task task) {
    return task.name() + " " + task.state()
        + task.healthy().map(h -> h ? " healthy" : " unhealthy").orElse("")
        + task.check().map(c -> " check: " + c).orElse("")
        + (task.done() ? " (outcome)" : "")
        + task.message().map(m -> ": " + m).orElse("");
  }

  private static void await(Framework framework, TaskId id, Predicate<Task> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!framework.task(id).map(condition::test).orElse(false)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(id + " was not ready within 30 s: " + framework.task(id));
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
