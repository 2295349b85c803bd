/**
 * Chapter 8, production tasks: health and readiness checks, kill policies, container images,
 * pods, roles and GPUs.
 *
 * <p>The tasks of chapters 3 to 7 are shell commands or MesosKit handlers on the agent's own file
 * system, and a task counts as alive while its process lives. A service in production needs more:
 * to notice a server that still runs but no longer answers, to stop gracefully, to bring its own
 * file system in an image, to launch a sidecar next to it, and to run on the resources of the
 * right team (role) or on the machines with GPUs. Each is a field of
 * {@link dev.mesoskit.core.TaskSpec}, turned into the Mesos message by the backend; none needs a
 * protobuf type in your code. {@link dev.mesoskit.tutorial.chapter8.ProductionTasks} runs the
 * first samples:
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter8.ProductionTasks --master=local
 * </pre>
 *
 * <h2>Health checks</h2>
 * <p>A {@link dev.mesoskit.core.HealthCheck} is run by the executor of the task, next to it: Mesos'
 * command executor for a command task, MesosKit's executor runtime for a handler, LocalCluster's
 * built-in command executor on the embedded cluster. Its {@link dev.mesoskit.core.Probe} is an
 * HTTP GET (200 to 399 passes), a TCP connection or a command (exit 0 passes), aimed at one of the
 * task's ports ({@link dev.mesoskit.core.CheckPort}, resolved when the task is launched, since
 * offered ports are only known then). The executor probes every {@code interval}, from
 * {@code delay} after the start; the first pass makes the task healthy, every failure reports it
 * unhealthy, and after {@code consecutiveFailures} failures in a row the executor kills the task.
 * Failures within {@code gracePeriod} do not count until a probe has passed once, which gives a
 * slow server time to start. The defaults are Mesos' own (15 s, 10 s, 20 s timeout, 10 s grace,
 * 3 failures).
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter8/ProductionTasks.java#checks -->
 * <pre>{@code
 * TaskSpec wedges = TaskSpec.builder()
 *     .name("wedges")
 *     .resources("cpus:0.1;mem:32")
 *     .command("touch alive; (sleep 2; rm alive) & sleep 600")   // healthy for 2 s, then not
 *     .healthCheck(HealthCheck.builder(Probe.command("test -f alive"))
 *         .delay(Duration.ZERO)
 *         .interval(Duration.ofMillis(500))
 *         .gracePeriod(Duration.ZERO)
 *         .consecutiveFailures(2)                        // killed after 2 failures in a row
 *         .build())
 *     .retryPolicy(RetryPolicy.none())                   // a Service would relaunch it
 *     .build();
 * TaskSpec warmsUp = TaskSpec.builder()
 *     .name("warms-up")
 *     .resources("cpus:0.1;mem:32")
 *     .command("trap 'echo bye; exit 0' TERM; sleep 1; touch ready;"
 *         + " while true; do sleep 0.1; done")
 *     .readinessCheck(ReadinessCheck.of(Probe.command("test -f ready"))
 *         .delay(Duration.ZERO).interval(Duration.ofMillis(300)))
 *     .killGracePeriod(Duration.ofSeconds(5))            // SIGTERM, SIGKILL 5 s later
 *     .build();
 * }</pre>
 * <p>{@link dev.mesoskit.core.Task#healthy()} shows the latest verdict, and
 * {@link dev.mesoskit.core.TaskListener#onHealthChanged} hears every change. A task killed by its
 * health check is a failed attempt, {@code "killed as unhealthy: Command terminated with signal
 * Terminated"}, retried under its {@link dev.mesoskit.core.RetryPolicy} like any other failure,
 * so a {@link dev.mesoskit.core.Service} relaunches it. A service instance counts as up, and its
 * {@code onRunning} runs, only once it is healthy. The program prints, among its lines:
 * <pre>
 * wedges RUNNING healthy
 * wedges RUNNING unhealthy
 * wedges FAILED unhealthy (outcome): failed after 1 attempt: killed as unhealthy: Command terminated with signal Terminated
 * </pre>
 * <p>The webserver of chapter 5 declares an HTTP health check on {@code /}: a server stopped with
 * {@code kill -STOP} still holds its port, but stops answering, and is killed and relaunched
 * (the example's {@code WebServerImageIT} shows it).
 *
 * <h2>Readiness checks</h2>
 * <p>A {@link dev.mesoskit.core.ReadinessCheck} is Mesos' general check ({@code CheckInfo}): the
 * executor runs it the same way and reports each change of its result, but never kills the task.
 * {@link dev.mesoskit.core.Task#check()} holds the latest {@link dev.mesoskit.core.CheckResult}
 * and {@link dev.mesoskit.core.Task#ready()} says whether the task is running and passed it:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter8/ProductionTasks.java#ready -->
 * <pre>{@code
 * await(framework, ready, Task::ready);                // RUNNING and its check passed
 * framework.kill(ready);                               // its trap exits 0 within the grace
 * }</pre>
 *
 * <h2>Kill policies</h2>
 * <p>{@code killGracePeriod} (Mesos' {@code kill_policy}) is how long the executor waits between
 * asking a task to stop (SIGTERM to its process tree; cancellation for a handler) and forcing it
 * (SIGKILL); without it the executor's default applies, 3 s for Mesos' command executor.
 * {@link dev.mesoskit.core.Framework#kill(dev.mesoskit.core.TaskId, java.time.Duration)} gives one
 * kill its own grace. Frameworks see {@code KILLING} between the request and the end, since
 * MesosKit declares {@code TASK_KILLING_STATE}. {@code warms-up} traps SIGTERM and exits 0: it
 * ends {@code KILLED} with {@code "Command exited with status 0"}; a task that ignored SIGTERM
 * would end 5 s later with {@code "Command terminated with signal Killed"}.
 *
 * <h2>Container images</h2>
 * <p>{@link dev.mesoskit.core.ContainerSpec} puts a task (or a custom executor) in a container:
 * {@code ContainerSpec.image("nginx:1.25")} runs a Docker image on Mesos' own containerizer (the
 * agent needs no Docker engine), {@code ContainerSpec.builder().dockerEngine(...)} on the Docker
 * containerizer with its network mode, port mappings to the task's offered ports and
 * {@code docker run} parameters. {@link dev.mesoskit.core.Volume}s mount a host directory or a
 * directory of the sandbox, read-only or read-write. A task with an image and no command runs the
 * image's entrypoint; a command runs in the image instead. Command tasks find their ports in
 * {@code PORT0}, {@code PORT1}, ... and {@code PORTS}, as on Marathon. The webserver's
 * {@code --image} option uses all of it:
 * <!-- region: examples/webserver/src/main/java/dev/mesoskit/examples/webserver/WebServers.java#service -->
 * <pre>{@code
 * TaskSpec.Builder server = TaskSpec.builder().name("web")  // web-1, web-2, ...
 *     .resources("cpus:" + cpus + ";mem:" + memMb + ";ports:1")
 *     .healthCheck(HealthCheck.builder(Probe.http("/")) // killed, then relaunched, if wedged
 *         .delay(Duration.ofSeconds(1)).interval(Duration.ofSeconds(2))
 *         .timeout(Duration.ofSeconds(2)).consecutiveFailures(3).build());
 * if (image == null) {
 *   server.executor(cluster.javaExecutor(artifacts, "webserver", WebServerExecutor.class,
 *       ResourceSpec.of(0.1, 128), "-Xmx64m")).data(text);
 * } else { // PORT0: the task's port, as Marathon names it
 *   server.container(ContainerSpec.image(image)).env("TEXT", text).command("mkdir -p www"
 *       + " && printf '%s' \"$TEXT\" > www/index.html && exec httpd -f -p $PORT0 -h www");
 * }
 * TaskSpec template = server.build();
 * Service servers = Service.builder()
 *     .task(template)
 *     .instances(instances)
 *     .retryPolicy(abortOnFailure ? RetryPolicy.none() : Service.RELAUNCH_FOREVER)
 *     .onRunning(task -> out.println(task.id() + " is up at http://"
 *         + task.hostname().orElseThrow() + ":" + task.ports().get(0) + "/ (attempt "
 *         + task.attempt() + ", " + task.agentId().orElseThrow() + ")"))
 *     .onRelaunch(task -> out.println(task.id() + " died, relaunching: "
 *         + task.message().orElse("")))
 *     .onEnd(task -> out.println(task.id() + " ended " + task.state() + ": "
 *         + task.message().orElse("")))
 *     .build();
 * }</pre>
 * <p>A real agent needs its image provisioner or Docker enabled
 * ({@code --containerizers=mesos,docker}, {@code --image_providers=docker}). The embedded cluster
 * runs images with podman when it works on the machine
 * ({@link dev.mesoskit.local.LocalCluster.Builder#containerRuntime}; {@code --container-runtime}
 * of the standalone cluster): on Debian, {@code apt-get install podman runc busybox-static};
 * LocalCluster configures podman itself (runc, no rlimits, host network).
 * {@link dev.mesoskit.local.BusyboxImage} imports a small test image from the machine's busybox.
 * Without podman an image task fails at once, in the words of an agent that cannot run it:
 * {@code "Failed to launch container: Unsupported container image type: DOCKER; LocalCluster
 * cannot run container images here: podman is not usable (...)"}.
 *
 * <h2>Pods</h2>
 * <p>A {@link dev.mesoskit.core.PodSpec} is a group of command tasks launched together on one
 * agent by Mesos' default executor ({@code LAUNCH_GROUP}). They are placed as one (the sum of
 * their resources and the executor's must fit one agent's offers), share the pod's network and
 * can share directories of the pod's sandbox. When one fails, the executor kills the others, and
 * MesosKit retries the whole pod; each task still has its own {@link dev.mesoskit.core.Task}:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter8/ProductionTasks.java#pod -->
 * <pre>{@code
 * PodSpec pair = PodSpec.builder("pair")                // one agent, launched together
 *     .task(TaskSpec.builder().name("writer").resources("cpus:0.1;mem:32")
 *         .command("echo from-writer > shared/message").build())
 *     .task(TaskSpec.builder().name("reader").resources("cpus:0.1;mem:32")
 *         .command("while [ ! -s shared/message ]; do sleep 0.1; done;"
 *             + " grep -qx from-writer shared/message").build())
 *     .sharedVolume("shared")                            // the pod's directory, in each task
 *     .build();
 * }</pre>
 * <p>The default executor gets 0.1 cpus, 32 MB and 10 MB of disk unless the pod says
 * ({@link dev.mesoskit.core.PodSpec#DEFAULT_EXECUTOR}): a Mesos master refuses a default executor
 * without disk.
 *
 * <h2>Roles, GPUs and regions</h2>
 * <p>A framework of several roles ({@code roles(...)}, Mesos' {@code MULTI_ROLE}) gets offers
 * allocated to one role each; a task runs on resources of its {@code role} (the first role when it
 * names none), never mixing two roles, whatever the packing strategy, and the reason a task waits
 * names the role when the role is why. A task that asks for {@code gpus} makes the framework
 * declare {@code GPU_RESOURCES}, at subscription or with {@code UPDATE_FRAMEWORK} later: without it
 * a Mesos master offers GPU agents to nobody who did not ask. {@code bin-pack} keeps GPU agents for
 * GPU tasks while other agents fit. {@code regionAware(true)} declares {@code REGION_AWARE}, for
 * agents in other regions than the master's; offers carry the agent's fault domain
 * ({@link dev.mesoskit.core.Offer#domain()}), and the placement constraints of
 * {@link dev.mesoskit.offers.Constraints} read it as {@code @region} and {@code @zone}, as
 * Marathon's do: {@code Constraints.groupBy("@zone")} spreads a group over the zones.
 * {@link dev.mesoskit.core.Framework#changeRoles} changes the roles of a running framework
 * ({@code UPDATE_FRAMEWORK}); pending tasks of a role it drops end {@code FAILED}. From the test
 * of this chapter:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/ProductionTasksIT.java#roles -->
 * <pre>{@code
 * Framework.Builder twoRoles = Framework.builder()
 *     .name("two-roles")
 *     .backend(Backends.fromArgs("--master=" + own.masterAddress()))
 *     .roles("batch", "web")                          // MULTI_ROLE: offers come per role
 *     .frameworkIdStore(FrameworkIdStore.inMemory());
 * TaskSpec training = TaskSpec.builder().name("train")
 *     .resources("cpus:1;mem:64;gpus:1")               // declares GPU_RESOURCES by itself
 *     .command("sleep 600").build();                   // role batch, the first
 * TaskSpec frontend = TaskSpec.builder().name("web")
 *     .resources("cpus(web):1;mem(web):64")            // reserved for web
 *     .role("web")                                     // on resources allocated to web
 *     .command("sleep 600").build();
 * }</pre>
 */
package dev.mesoskit.tutorial.chapter8;
