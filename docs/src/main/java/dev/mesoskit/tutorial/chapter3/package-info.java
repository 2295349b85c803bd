/**
 * Chapter 3, launching tasks: task specs, the states a task goes through, and packing strategies
 * that decide which offer each task goes to.
 *
 * <h2>Tasks</h2>
 * <p>A {@link dev.mesoskit.core.TaskSpec} says what a task needs
 * ({@link dev.mesoskit.core.ResourceSpec}: cpus, memory and disk in MB, gpus, a number of ports or
 * given ports) and what it runs: a shell command, a {@link dev.mesoskit.core.CommandSpec} with
 * files to fetch, or a task for your own executor (chapter 4). {@code submit} checks the spec at
 * once and returns the task's id; the task waits as {@code PENDING} until an offer fits it.
 * {@link dev.mesoskit.tutorial.chapter3.LaunchTasks} submits four tasks before it starts the
 * framework, so that the first offers see all four:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter3/LaunchTasks.java#launch -->
 * <pre>{@code
 * try (Framework framework = Framework.builder()
 *     .name("launch-tasks")
 *     .backend(Backends.fromArgs(args))
 *     .packing(packing(packing))
 *     .frameworkIdStore(FrameworkIdStore.inMemory())
 *     .listener(task -> out.println(task.name() + " attempt " + task.attempt() + ": "
 *         + task.state() + task.agentId().map(agent -> " on " + agent).orElse("")))
 *     .build()) {
 *   List<CompletableFuture<Task>> outcomes = new ArrayList<>();
 *   for (int i = 1; i <= 4; i++) {
 *     TaskId id = framework.submit(TaskSpec.builder()
 *         .name("task-" + i)
 *         .resources(ResourceSpec.of(0.5, 64))          // cpus, mem in MB
 *         .command("sleep 1")
 *         .build());
 *     outcomes.add(framework.outcome(id));
 *   }
 *   framework.start();                                  // all four wait for the first offers
 *   List<Task> ended = outcomes.stream().map(CompletableFuture::join).toList();
 *   framework.finish();
 *   framework.awaitTermination();
 *   ended.forEach(t -> out.println(t.name() + " " + t.state() + " on " + t.agentId().orElseThrow()));
 *   return ended;
 * }
 * }</pre>
 *
 * <h2>Resources of any name</h2>
 * <p>Mesos agents declare more than cpus and memory: any scalar ({@code licenses:2},
 * {@code network_bandwidth:1000}), ranges ({@code ephemeral:[5000-5999]}) or set
 * ({@code zones:{a,b}}), in the same syntax as the local cluster's {@code --resources}:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/NamedResourcesIT.java#named-cluster -->
 * <pre>{@code
 * LocalCluster cluster = LocalCluster.builder()
 *     .agents(1)
 *     .agentResources("cpus:4;mem:4096;licenses:2;zones:{a,b}")
 *     .start();
 * }</pre>
 * <p>A task asks for them by name as it asks for cpus, and gets them only from an agent that has
 * them free:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/NamedResourcesIT.java#named-tasks -->
 * <pre>{@code
 * TaskId id = framework.submit(TaskSpec.builder()
 *     .name("render-" + i)
 *     .resources("cpus:0.5;mem:256;licenses:1")      // one of the agent's licenses
 *     .command("until [ -e '" + gate + "' ]; do sleep 0.05; done")
 *     .build());
 * }</pre>
 * <p>Of three such tasks on that agent two run, and the third waits as {@code PENDING} with the
 * message {@code needs licenses 1, the largest offer has 0} until one of the two ends and gives
 * its license back. A number is a scalar, kept to three decimals as Mesos keeps them; brackets ask
 * for given values of ranges and braces for given items of a set ({@code zones:{a}}), or for any
 * few of them: {@code ephemeral:[any 2]}, {@code zones:{any 1}}. A task takes only what it asks
 * for, so a task without {@code licenses} never takes one. It need not ask for cpus or memory
 * either, since Mesos only refuses a task that uses no resource at all
 * ({@link dev.mesoskit.core.ResourceSpec} says what it requires of executors).
 *
 * <h2>Task states</h2>
 * <p>Every change of a task reaches the listeners as an immutable {@link dev.mesoskit.core.Task}
 * snapshot (state, attempt, agent, ports, message, reason). A task that goes well is
 * {@code PENDING} (waiting for an offer), {@code STAGING} (launched, the agent is preparing it),
 * {@code STARTING}, {@code RUNNING}, and then its <em>outcome</em>: {@code FINISHED}. The other
 * outcomes are {@code FAILED} (after its retries), {@code KILLED} (you asked) and {@code ERROR}
 * (Mesos refused the spec); {@link dev.mesoskit.core.Framework#outcome} completes with exactly one
 * of them. Chapter 7 is about everything in between.
 *
 * <h2>Packing strategies</h2>
 * <p>Which task goes to which offer is a {@link dev.mesoskit.core.spi.PackingStrategy}. The
 * default, {@code firstFit}, takes offers in the order they came. {@code sdk-offers} has the
 * others ({@link dev.mesoskit.offers.PackingStrategies}), and placement constraints such as one
 * task per host ({@link dev.mesoskit.offers.Constraints}). Every task left pending gets a reason
 * in its message, e.g. that no offer has the memory it needs:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter3/LaunchTasks.java#packing -->
 * <pre>{@code
 * return switch (name.toLowerCase(Locale.ROOT)) {
 *   case "binpack" -> PackingStrategies.binPack();   // fill the fullest agent first
 *   case "spread" -> PackingStrategies.spread();     // least loaded agent first
 *   case "firstfit" -> PackingStrategies.firstFit(); // first offer with room, in offer order
 *   default -> throw new IllegalArgumentException(
 *       "--packing must be binpack, spread or firstfit but was '" + name + "'");
 * };
 * }</pre>
 * <p>Bin packing keeps whole agents free for big tasks (and for scaling down); spreading keeps a
 * failing agent from taking many tasks with it.
 *
 * <h2>Run it</h2>
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter3.LaunchTasks --master=local --packing=spread
 * </pre>
 * <p>It printed (the order of updates of different tasks varies from run to run):
 * <pre>
 * task-1 attempt 1: PENDING
 * task-2 attempt 1: PENDING
 * task-3 attempt 1: PENDING
 * task-4 attempt 1: PENDING
 * task-1 attempt 1: STAGING on agent-1
 * task-2 attempt 1: STAGING on agent-2
 * task-3 attempt 1: STAGING on agent-1
 * task-4 attempt 1: STAGING on agent-2
 * task-3 attempt 1: STARTING on agent-1
 * task-2 attempt 1: STARTING on agent-2
 * task-1 attempt 1: STARTING on agent-1
 * task-4 attempt 1: STARTING on agent-2
 * task-2 attempt 1: RUNNING on agent-2
 * task-3 attempt 1: RUNNING on agent-1
 * task-4 attempt 1: RUNNING on agent-2
 * task-1 attempt 1: RUNNING on agent-1
 * task-3 attempt 1: FINISHED on agent-1
 * task-2 attempt 1: FINISHED on agent-2
 * task-1 attempt 1: FINISHED on agent-1
 * task-4 attempt 1: FINISHED on agent-2
 * task-1 FINISHED on agent-1
 * task-2 FINISHED on agent-2
 * task-3 FINISHED on agent-1
 * task-4 FINISHED on agent-2
 * </pre>
 * <p>With {@code --packing=binpack} (the program's default) all four run on one agent.
 *
 * <p>Next: chapter 4, {@linkplain dev.mesoskit.tutorial.chapter4 data between scheduler and
 * executor}.
 */
package dev.mesoskit.tutorial.chapter3;
