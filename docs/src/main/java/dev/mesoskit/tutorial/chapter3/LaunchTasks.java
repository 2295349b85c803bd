package dev.mesoskit.tutorial.chapter3;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.offers.PackingStrategies;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Chapter 3's program: submits four small tasks, packs them onto offers with the strategy
 * {@code --packing} names, prints every state change and where each task ran.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter3.LaunchTasks --master=local --packing=spread
 * </pre>
 */
public final class LaunchTasks {
  private LaunchTasks() {}

  /**
   * Runs the four tasks and exits 0 if all finished.
   *
   * @param args {@code --packing=binpack|spread|firstfit} (default binpack), {@code --master=...}
   *     and the other options of {@link Backends#fromArgs}
   */
  public static void main(String[] args) {
    List<Task> tasks = run(System.out, args);
    System.exit(tasks.stream().allMatch(t -> t.state().name().equals("FINISHED")) ? 0 : 1);
  }

  /**
   * Chooses a packing strategy by name.
   *
   * @param name {@code binpack}, {@code spread} or {@code firstfit}
   * @return the strategy
   * @throws IllegalArgumentException for any other name
   */
  public static PackingStrategy packing(String name) {
    // tutorial:begin packing
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "binpack" -> PackingStrategies.binPack();   // fill the fullest agent first
      case "spread" -> PackingStrategies.spread();     // least loaded agent first
      case "firstfit" -> PackingStrategies.firstFit(); // first offer with room, in offer order
      default -> throw new IllegalArgumentException(
          "--packing must be binpack, spread or firstfit but was '" + name + "'");
    };
    // tutorial:end packing
  }

  /**
   * Runs four tasks of 0.5 cpus and 64 MB that each sleep a second, and waits for their outcomes.
   *
   * @param out where state changes and placements are printed
   * @param args {@code --packing=...}, {@code --master=...} and the other options of
   *     {@link Backends#fromArgs}
   * @return the tasks as they ended, in submission order
   */
  public static List<Task> run(PrintStream out, String... args) {
    String packing = Arrays.stream(args).filter(a -> a.startsWith("--packing="))
        .map(a -> a.substring("--packing=".length())).findFirst().orElse("binpack");
    // tutorial:begin launch
    try (Framework framework = Framework.builder()
        .name("launch-tasks")
        .backend(Backends.fromArgs(args))
        .packing(packing(packing))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .listener(task -> out.println(task.name() + " attempt " + task.attempt() + ": "
            + task.state() + task.agentId().map(agent -> " on " + agent).orElse("")))
        .build()) {
      List<CompletableFuture<Task>> outcomes = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        TaskId id = framework.submit(TaskSpec.builder()
            .name("task-" + i)
            .resources(ResourceSpec.of(0.5, 64))          // cpus, mem in MB
            .command("sleep 1")
            .build());
        outcomes.add(framework.outcome(id));
      }
      framework.start();                                  // all four wait for the first offers
      List<Task> ended = outcomes.stream().map(CompletableFuture::join).toList();
      framework.finish();
      framework.awaitTermination();
      ended.forEach(t -> out.println(t.name() + " " + t.state() + " on " + t.agentId().orElseThrow()));
      return ended;
    }
    // tutorial:end launch
  }
}
