package dev.mesoskit.tutorial.chapter1;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.PrintStream;

/**
 * Chapter 1's program: the smallest complete framework. It runs one shell command as a task and
 * prints every state the task goes through.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter1.HelloMesos --master=local
 * </pre>
 */
public final class HelloMesos {
  private HelloMesos() {}

  /**
   * Runs the task and exits 0 if it finished.
   *
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   */
  public static void main(String[] args) {
    System.exit(run(System.out, args).state() == TaskState.FINISHED ? 0 : 1);
  }

  /**
   * Runs one {@code echo} task on the cluster {@code args} names and waits for its outcome.
   *
   * @param out where the task's states are printed
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   * @return the task as it ended
   */
  public static Task run(PrintStream out, String... args) {
    // tutorial:begin hello
    try (Framework framework = Framework.builder()
        .name("hello")
        .backend(Backends.fromArgs(args))              // --master=local: the embedded cluster
        .frameworkIdStore(FrameworkIdStore.inMemory())  // no failover (chapter 6)
        .listener(task -> out.println(task.name() + " " + task.state()))
        .build()) {
      framework.start();
      TaskId id = framework.submit(TaskSpec.builder()
          .name("say-hello")
          .resources("cpus:0.1;mem:32")
          .command("echo hello from $(hostname)")
          .build());
      Task outcome = framework.outcome(id).join();     // FINISHED, FAILED, KILLED or ERROR
      framework.finish();                              // tear down: every task has its outcome
      framework.awaitTermination();
      return outcome;
    }
    // tutorial:end hello
  }
}
