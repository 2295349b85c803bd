/**
 * Chapter 9, operating a framework: metrics, a live status page, and the {@code mesoskit}
 * command line.
 *
 * <p>A framework is a long-running program that someone has to watch and debug. MesosKit gives
 * three ways in: metrics for a monitoring system, a status page for a person, and a command line
 * that looks into any Mesos cluster through Mesos' own operator API.
 * {@link dev.mesoskit.tutorial.chapter9.Operating} runs a small batch with the first two on:
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter9.Operating --master=local --linger-seconds=60
 * </pre>
 *
 * <h2>Metrics and the status page</h2>
 * <p>Both plug into the framework the same way: a {@link dev.mesoskit.core.FrameworkObserver}
 * ({@link dev.mesoskit.core.Framework.Builder#observer}) sees offers come and go, packing passes,
 * launches, retries, the event loop's lag, heartbeats, reconnects and the acknowledgements
 * owed; a {@link dev.mesoskit.core.TaskListener} and a {@link dev.mesoskit.core.FrameworkListener}
 * see the tasks and the connection.
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter9/Operating.java#monitoring -->
 * <pre>{@code
 * FrameworkMetrics metrics = FrameworkMetrics.prometheus();  // or FrameworkMetrics.on(registry)
 * StatusPage page = StatusPage.builder()
 *     .address(new InetSocketAddress("127.0.0.1", 0))          // 0: any free port
 *     .build();
 * Framework.Builder builder = Framework.builder()
 *     .name("operated")
 *     .backend(Backends.fromArgs(backendArgs.toArray(String[]::new)))
 *     .frameworkIdStore(FrameworkIdStore.inMemory())
 *     .retryPolicy(RetryPolicy.builder().maxAttempts(2)
 *         .initialBackoff(Duration.ofMillis(100)).build())
 *     .observer(metrics).listener(metrics).frameworkListener(metrics);
 * page.attach(builder);                                       // listener, observer
 * }</pre>
 * <p>Once the framework is built, the servers start:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter9/Operating.java#serve -->
 * <pre>{@code
 * out.println("status page: " + page.start());
 * page.watch(framework);                                    // pending reasons, live
 * out.println("metrics: " + server.uri());
 * }</pre>
 * <p>{@link dev.mesoskit.metrics.FrameworkMetrics} keeps its meters in a Micrometer registry:
 * {@code FrameworkMetrics.prometheus()} makes a Prometheus one, {@code FrameworkMetrics.on(registry)}
 * uses yours (the application's own Micrometer registry, whatever it exports to).
 * {@link dev.mesoskit.metrics.MetricsServer} serves {@code GET /metrics} in Prometheus' text
 * format. Every meter has the tag {@code framework}:
 * <table class="striped">
 * <caption>Framework metrics</caption>
 * <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">What</th></tr></thead>
 * <tbody>
 * <tr><td>{@code mesoskit_tasks{state}}</td><td>gauge</td><td>tasks by their latest state</td></tr>
 * <tr><td>{@code mesoskit_tasks_pending}</td><td>gauge</td><td>tasks waiting for an offer</td></tr>
 * <tr><td>{@code mesoskit_task_pending_oldest_seconds}</td><td>gauge</td><td>how long the oldest
 *   pending task has waited</td></tr>
 * <tr><td>{@code mesoskit_task_launches_total}</td><td>counter</td><td>attempts launched</td></tr>
 * <tr><td>{@code mesoskit_task_retries_total}</td><td>counter</td><td>attempts retried</td></tr>
 * <tr><td>{@code mesoskit_task_failures_total{reason,state}}</td><td>counter</td><td>attempts
 *   that ended neither FINISHED nor KILLED, by Mesos reason ({@code none} without one)</td></tr>
 * <tr><td>{@code mesoskit_offers_received_total}, {@code _used_total}, {@code _declined_total},
 *   {@code _rescinded_total}</td><td>counter</td><td>offers and what became of them</td></tr>
 * <tr><td>{@code mesoskit_packing_pass_seconds}</td><td>timer</td><td>packing passes</td></tr>
 * <tr><td>{@code mesoskit_event_loop_lag_seconds}</td><td>timer</td><td>how long events waited
 *   for the event thread</td></tr>
 * <tr><td>{@code mesoskit_reconnects_total}</td><td>counter</td><td>subscriptions after the
 *   first</td></tr>
 * <tr><td>{@code mesoskit_heartbeat_age_seconds}</td><td>gauge</td><td>time since the master's
 *   last heartbeat</td></tr>
 * <tr><td>{@code mesoskit_acknowledgements_outstanding}</td><td>gauge</td><td>status updates not
 *   acknowledged yet</td></tr>
 * </tbody>
 * </table>
 * <p>After the batch above, the metrics read exactly (the test of this chapter checks them):
 * <pre>
 * mesoskit_task_launches_total{framework="operated"} 4.0
 * mesoskit_task_retries_total{framework="operated"} 1.0
 * mesoskit_task_failures_total{framework="operated",reason="none",state="FAILED"} 1.0
 * mesoskit_tasks{framework="operated",state="FINISHED"} 3.0
 * </pre>
 * <p>{@link dev.mesoskit.status.StatusPage} is a page served by the framework itself (Jetty, all
 * it needs in the jar, no script from anywhere): the framework's id, master and connection; every
 * task with its state, attempt, agent, ports, health and, for a task that waits, why it is not
 * placed; the offers and agents seen; the last 200 events. It updates live (server-sent events,
 * polling where those do not work) and turns its tables into cards on a phone.
 * {@code page.watch(framework)} lets it show a pending task's reason as it changes.
 *
 * <p>Every program built on {@link dev.mesoskit.artifacts.cli.FrameworkOptions}, the examples
 * among them, has both behind a flag: {@code --status-port} and {@code --metrics-port} (0 takes a
 * free port; bound to {@code --address}, 127.0.0.1 without it). The program prints their
 * addresses:
 * <pre>
 * java -jar examples/webserver/target/webserver.jar --instances 2 --status-port 0 --metrics-port 0
 * webserver: starting 2 server(s) on local; Ctrl-C stops them
 * status page: http://127.0.0.1:35589/
 * metrics: http://127.0.0.1:41861/metrics
 * </pre>
 *
 * <h2>The {@code mesoskit} command line</h2>
 * <p>{@code mesoskit-cli/target/mesoskit.jar} looks into any Mesos cluster, real or local, through
 * Mesos' v1 operator API on the master and the agents ({@code GET_AGENTS}, {@code GET_FRAMEWORKS},
 * {@code GET_TASKS}, {@code READ_FILE}, {@code TEARDOWN}); the local cluster answers them as
 * Mesos 1.12 does. A session against {@code mesoskit local} (the standalone local cluster) in
 * another terminal:
 * <pre>
 * java -jar mesoskit-cli/target/mesoskit.jar local --port 5050 &amp;
 * alias mesoskit='java -jar mesoskit-cli/target/mesoskit.jar'
 * mesoskit agents --master=127.0.0.1:5050
 * mesoskit frameworks --master=127.0.0.1:5050
 * mesoskit tasks --master=127.0.0.1:5050 --state running
 * mesoskit logs sleeper --master=127.0.0.1:5050 --follow
 * mesoskit teardown 5d839539-c568-4613-91ee-40a0ce507e02-0000 --master=127.0.0.1:5050
 * </pre>
 * <p>Tables are the default ({@code ID  NAME  STATE  FRAMEWORK  AGENT  HOST  RESOURCES} for
 * tasks, resources as {@code cpus:0.2 mem:64}); {@code --json} prints the master's own answer.
 * {@code logs} reads the task's sandbox through the agent ({@code --stderr}, {@code --tail N},
 * {@code --follow} until the task ends). {@code teardown} ends a framework left behind by a
 * scheduler that crashed, with its tasks, without writing a program for it.
 * {@code source <(mesoskit generate-completion)} completes commands and options in bash and zsh.
 * The {@linkplain dev.mesoskit.tutorial.reference reference} lists every option;
 * {@code mesoskit-cli/README.md} the output formats and exit codes.
 *
 * <p>Next: chapter 10, {@linkplain dev.mesoskit.tutorial.chapter10 highly available frameworks}.
 */
package dev.mesoskit.tutorial.chapter9;
