/**
 * Chapter 5, a long-running service: web servers that take their port from the offer, say they
 * are running only once they answer, come back when they die, and stop cleanly. The program is
 * the webserver example ({@code examples/webserver}), the classic first Mesos framework done the
 * way an operator wants it.
 *
 * <h2>Ports come from offers</h2>
 * <p>On a shared cluster a task cannot pick a port: ports are a resource like cpus and memory,
 * offered as ranges ({@code ports:[31000-31999]}). A task asks for a number of them
 * ({@code ports:1} in its {@link dev.mesoskit.core.ResourceSpec}, or given ports such as
 * {@code ports:[8080-8080]});
 * the framework takes free ones from the offer it packs the task into, and both sides learn
 * which: the executor from {@link dev.mesoskit.core.executor.TaskContext#port()}, the scheduler
 * from {@link dev.mesoskit.core.Task#ports()} together with the agent's
 * {@link dev.mesoskit.core.Task#hostname()}.
 *
 * <h2>Running means answering</h2>
 * <p>The executor serves the task's data as plain text on that port. Its handler declares that
 * it reports its own readiness, so the runtime sends {@code TASK_STARTING} at launch and
 * {@code TASK_RUNNING} only when the handler calls
 * {@link dev.mesoskit.core.executor.TaskContext#ready()}, after a connection to the port
 * succeeded. A kill interrupts {@code awaitCancellation()}, and the server stops:
 * <!-- region: examples/webserver/src/main/java/dev/mesoskit/examples/webserver/WebServerExecutor.java#handler -->
 * <pre>{@code
 * @Override
 * public boolean reportsReadiness() { // TASK_RUNNING comes from run(), once the server answers
 *   return true;
 * }
 *
 * @Override
 * public void run(TaskContext context) throws Exception {
 *   byte[] text = context.data();
 *   // Every address: the URL names the agent's, the health check probes 127.0.0.1 (as Mesos').
 *   HttpServer server = HttpServer.create(new InetSocketAddress(context.port()), 50);
 *   InetSocketAddress address = new InetSocketAddress(agentAddress(), context.port());
 *   server.createContext("/", exchange -> {
 *     try (exchange) {
 *       exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
 *       exchange.sendResponseHeaders(200, text.length);
 *       exchange.getResponseBody().write(text);
 *     }
 *   });
 *   server.start();
 *   try {
 *     try (Socket probe = new Socket()) {
 *       probe.connect(address, 5_000); // fails the task if the server cannot be reached
 *     }
 *     context.ready();
 *     context.awaitCancellation();
 *   } finally {
 *     server.stop(0);
 *   }
 * }
 * }</pre>
 *
 * <h2>Keeping N instances running</h2>
 * <p>A {@link dev.mesoskit.core.Service} is N instances of one task spec ({@code web-1},
 * {@code web-2}, ...) that are relaunched whenever they die: FAILED, LOST, their executor killed,
 * their agent gone. Its default {@link dev.mesoskit.core.Service#RELAUNCH_FOREVER} policy never
 * gives up and backs off from 1 s, doubling up to 30 s, so a crashing server does not take the
 * cluster's offers in a tight loop; each relaunch goes to a new offer, so possibly to another
 * agent and port. Its callbacks run on the framework's event thread, once per attempt, which is
 * where the example prints each server's URL. The service is a task listener of the framework:
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
 * <p>{@code --abort-on-failure} uses {@link dev.mesoskit.core.RetryPolicy#none()} instead: the
 * first death ends that instance for good, {@code onEnd} runs and
 * {@link dev.mesoskit.core.Service#ended()} completes. While every instance runs, nothing is
 * pending and the framework suppresses offers; it revives them when an instance waits for a
 * relaunch. The example packs with {@link dev.mesoskit.offers.PackingStrategies#spread()}, one
 * server per agent while there are agents.
 *
 * <h2>Changing it while it runs</h2>
 * <p>The scheduler reads commands on its standard input, on a thread of its own: {@code instances
 * N} calls {@link dev.mesoskit.core.Service#scale}, which adds instances numbered after the
 * highest ever used or kills the highest-numbered first; {@code text NEW TEXT} calls
 * {@link dev.mesoskit.core.Service#update} with the template's data changed, which replaces the
 * servers one at a time (kill one, launch its successor, wait until it is up) and rolls back if a
 * new one does not come up. The update does not block: its future prints the outcome. The end of
 * standard input only stops the reading; the servers run on until SIGTERM or Ctrl-C:
 * <!-- region: examples/webserver/src/main/java/dev/mesoskit/examples/webserver/WebServers.java#commands -->
 * <pre>{@code
 * private void readCommands(Service servers, TaskSpec template) {
 *   BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
 *   try {
 *     for (String line; (line = lines.readLine()) != null; ) {
 *       String[] words = line.strip().split("\\s+", 2);
 *       try {
 *         if (words.length == 2 && words[0].equals("instances") && words[1].matches("\\d{1,9}")) {
 *           servers.scale(Integer.parseInt(words[1]));
 *           out.println("scaled to " + servers.instances().size() + ": " + servers.instances()
 *               .stream().map(TaskId::value).collect(Collectors.joining(" ")));
 *         } else if (words.length == 2 && words[0].equals("text")) {
 *           TaskSpec next = image == null ? template.toBuilder().data(words[1]).build()
 *               : template.toBuilder().env("TEXT", words[1]).build();
 *           out.println("updating to \"" + words[1] + "\", one server at a time");
 *           servers.update(next).thenAccept(outcome -> out.println(outcome.completed()
 *               ? "update done: " + outcome.reason()
 *               : (outcome.rolledBack() ? "update rolled back: " : "update ended: ")
 *                   + outcome.reason()));
 *         } else {
 *           out.println("usage: instances N | text NEW TEXT");
 *         }
 *       } catch (IllegalStateException e) { // an update runs, or the servers are stopping
 *         out.println("webserver: " + e.getMessage());
 *       }
 *     }
 *   } catch (IOException e) {
 *     out.println("webserver: stdin failed, no more commands: " + e.getMessage());
 *   }
 * }
 * }</pre>
 *
 * <h2>Stopping</h2>
 * <p>{@link dev.mesoskit.artifacts.cli.FrameworkMain#stopOnSignals()} turns the first SIGTERM or
 * Ctrl-C into the {@code stop} future (a second one exits at once). The scheduler waits for it or
 * for the service to end on its own, then {@link dev.mesoskit.core.Service#stop} kills every
 * instance and waits until Mesos confirms {@code KILLED}. Closing the framework afterwards
 * disconnects without a teardown, so the master would keep the framework for a restarted
 * scheduler to fail over to; {@code --teardown} removes it:
 * <!-- region: examples/webserver/src/main/java/dev/mesoskit/examples/webserver/WebServers.java#stop -->
 * <pre>{@code
 * CompletableFuture<String> failed = servers.ended()
 *     .thenApply(why -> why + (abortOnFailure ? ", --abort-on-failure" : ""));
 * String why = CompletableFuture.anyOf(stop, failed).join().toString();
 * boolean failure = !why.equals(stop.getNow(null));
 * out.println("webserver: stopping (" + why + ")");
 * Service.Stopped stopped = servers.stop(Duration.ofSeconds(stopTimeoutSeconds));
 * if (!stopped.allEnded()) {
 *   out.println("webserver: not every server ended KILLED within " + stopTimeoutSeconds + " s");
 * }
 * stopped.instances().forEach(task -> out.println("  " + task.id() + " "
 *     + (task.done() ? task.state() : "still " + task.state())));
 * if ((teardown || failure) && !framework.isTerminated()) {
 *   framework.finish(); // every server has an outcome: tear down now
 *   framework.awaitTermination(Duration.ofSeconds(10));
 * }
 * return failure ? 1 : stopped.allKilled() ? 0 : 3;
 * }</pre>
 *
 * <h2>Run it</h2>
 * <p>From the repository root (the first command builds the example's jar):
 * <pre>
 * ./mvnw -B -q -pl examples/webserver -am package -DskipTests
 * java -jar examples/webserver/target/webserver.jar --instances 2
 * </pre>
 * <p>In a second terminal, ask both servers, kill the executor process that runs
 * {@code web-1} (its {@code java ... WebServerExecutor} process; any process id of yours will
 * differ), ask again, and stop the scheduler:
 * <pre>
 * $ curl http://127.0.0.1:31000/
 * Hello from Server
 * $ curl http://127.0.0.1:31500/
 * Hello from Server
 * $ kill -9 2911      # web-1's executor
 * $ curl http://127.0.0.1:31000/
 * Hello from Server
 * $ kill 2843         # SIGTERM to the scheduler, like Ctrl-C
 * </pre>
 * <p>The scheduler printed:
 * <pre>
 * webserver: starting 2 server(s) on local; Ctrl-C stops them
 * web-1 is up at http://127.0.0.1:31000/ (attempt 1, agent-1)
 * web-2 is up at http://127.0.0.1:31500/ (attempt 1, agent-2)
 * web-1 died, relaunching: attempt 1 ended TASK_FAILED (REASON_EXECUTOR_TERMINATED): Executor terminated; attempt 2 after 844 ms
 * WARN dev.mesoskit.core.internal.FrameworkRuntime - executor terminated agent=agent-1 executor=webserver-ae0f2151b533 status=137
 * web-1 is up at http://127.0.0.1:31000/ (attempt 2, agent-1)
 * webserver: stopping (SIGTERM)
 *   web-1 KILLED
 *   web-2 KILLED
 * </pre>
 * <p>and left no executor process behind. {@code web-1} came back on port 31000 because the
 * embedded cluster offers the lowest free port of its agent first; on a busy cluster the port,
 * and the agent, change. The {@linkplain dev.mesoskit.tutorial.reference reference} lists every
 * flag and the example's exit codes are in the README.
 *
 * <p>Commands typed into the scheduler's terminal while it runs, {@code instances 3} and then
 * {@code text hello again}, printed (a run of the example's {@code WebServerControlIT}, on a
 * 2-agent cluster):
 * <pre>
 * scaled to 3: web-1 web-2 web-3
 * web-3 is up at http://127.0.0.1:31001/ (attempt 1, agent-1)
 * updating to "hello again", one server at a time
 * web-4 is up at http://127.0.0.1:31101/ (attempt 1, agent-2)
 * web-5 is up at http://127.0.0.1:31001/ (attempt 1, agent-1)
 * update done: replaced 3 instances
 * web-6 is up at http://127.0.0.1:31100/ (attempt 1, agent-2)
 * </pre>
 * <p>{@code web-3}, then {@code web-2}, then {@code web-1} were killed, each replaced by a new
 * server once the one before it answered its health check; the last one's line can follow the
 * update's, as both run when it comes up.
 *
 * <p>Next: chapter 6, {@linkplain dev.mesoskit.tutorial.chapter6 a real cluster}.
 */
package dev.mesoskit.tutorial.chapter5;
