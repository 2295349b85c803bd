/**
 * Chapter 1, the pieces: master, agents, offers, scheduler, executor, artifact server, and the
 * local cluster that puts them all on one machine.
 *
 * <h2>Who does what</h2>
 * <ul>
 *   <li><b>Agents</b> run on every machine of the cluster. Each tells the master what it has
 *       ({@code cpus:4;mem:8192;disk:10240;ports:[31000-32000]}) and runs the tasks it is given.
 *   <li>The <b>master</b> knows every agent. It does not decide what runs: it <em>offers</em>
 *       free resources of an agent to one framework at a time.
 *   <li>A <b>framework</b> has two halves. Its <b>scheduler</b> (your program, built on
 *       {@link dev.mesoskit.core.Framework}) subscribes to the master, receives offers, and
 *       accepts an offer by launching tasks on it or declines it. Its <b>executor</b> is the
 *       process an agent starts to run the tasks; shell commands need none of your code (agents
 *       run them with a built-in command executor), your own Java code runs in an executor written
 *       with {@link dev.mesoskit.core.executor.ExecutorMain}.
 *   <li>Every task ends in a terminal state the agent reports through the master to the scheduler
 *       in <b>status updates</b>: {@code TASK_STAGING}, {@code TASK_STARTING},
 *       {@code TASK_RUNNING}, then {@code TASK_FINISHED}, {@code TASK_FAILED} and a few more
 *       (chapter 7).
 *   <li>Agents fetch what a task needs (your executor jar, input files) over HTTP before it
 *       starts. The <b>artifact server</b> ({@link dev.mesoskit.artifacts.ArtifactServer}) serves
 *       those files from the scheduler's machine and takes uploads of results (chapter 4).
 * </ul>
 *
 * <p>MesosKit turns the offer loop into "submit a task, get its outcome": packing tasks onto
 * offers, declining what is not needed, acknowledging updates, retrying and reconciling are the
 * SDK's job (chapters 2 and 3 show what happens underneath).
 *
 * <h2>The local cluster</h2>
 * <p>{@code --master=local} starts a master and two agents inside your JVM
 * ({@link dev.mesoskit.local.LocalCluster}, module {@code sdk-local}). They speak the real Mesos
 * v1 HTTP APIs on 127.0.0.1, run tasks as real processes in sandboxes under a temporary
 * directory, and are stopped when the framework closes. The same program runs unchanged on a real
 * cluster with {@code --master=host:5050} (chapter 6). Tests start one explicitly, with fixed
 * resources:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/TutorialProgramsIT.java#cluster -->
 * <pre>{@code
 * cluster = LocalCluster.builder()
 *     .agents(2)
 *     .agentResources("cpus:2;mem:2048;disk:4096;ports:[31000-31099]")
 *     .start();                                          // master and agents on 127.0.0.1
 * master = "--master=" + cluster.masterAddress();         // e.g. --master=127.0.0.1:41509
 * }</pre>
 *
 * <h2>The smallest framework</h2>
 * <p>{@link dev.mesoskit.tutorial.chapter1.HelloMesos} runs one shell command as a task and prints
 * each state its task goes through. {@link dev.mesoskit.core.Backends#fromArgs} turns
 * {@code --master=...} into the connection to the master; the listener runs on the framework's
 * event thread for every change of every task:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter1/HelloMesos.java#hello -->
 * <pre>{@code
 * try (Framework framework = Framework.builder()
 *     .name("hello")
 *     .backend(Backends.fromArgs(args))              // --master=local: the embedded cluster
 *     .frameworkIdStore(FrameworkIdStore.inMemory())  // no failover (chapter 6)
 *     .listener(task -> out.println(task.name() + " " + task.state()))
 *     .build()) {
 *   framework.start();
 *   TaskId id = framework.submit(TaskSpec.builder()
 *       .name("say-hello")
 *       .resources("cpus:0.1;mem:32")
 *       .command("echo hello from $(hostname)")
 *       .build());
 *   Task outcome = framework.outcome(id).join();     // FINISHED, FAILED, KILLED or ERROR
 *   framework.finish();                              // tear down: every task has its outcome
 *   framework.awaitTermination();
 *   return outcome;
 * }
 * }</pre>
 *
 * <h2>Run it</h2>
 * <p>From the repository root, with a JDK 17 or newer (the first command builds
 * {@code docs/target/tutorial.jar}, which holds every program of the tutorial):
 * <pre>
 * ./mvnw -B -q -pl docs -am package -DskipTests
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter1.HelloMesos --master=local
 * </pre>
 * <p>It prints, and exits 0:
 * <pre>
 * say-hello PENDING
 * say-hello STAGING
 * say-hello STARTING
 * say-hello RUNNING
 * say-hello FINISHED
 * </pre>
 * <p>The echo's output went to the task's sandbox ({@code stdout} in the agent's work directory).
 * Add {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=info} after {@code java} to see what the
 * master, the agents and the framework log along the way.
 *
 * <p>Next: {@linkplain dev.mesoskit.tutorial.chapter2 chapter 2, offers}.
 */
package dev.mesoskit.tutorial.chapter1;
