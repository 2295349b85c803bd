/**
 * Troubleshooting: what MesosKit says when something is wrong, and what to do about it. Every
 * message below is the SDK's own words, produced by {@code TroubleshootingTest} from the code
 * itself and compared with this page, so the page cannot drift from what a program prints.
 * (Host names, ports, paths and durations are the page's examples; yours differ.)
 *
 * <h2 id="master">The master</h2>
 * <dl>
 * <dt>{@code --master: master entry 'http//127.0.0.1:5050' is neither host:port nor http(s)://host:port; did you mean 'http://127.0.0.1:5050'?}</dt>
 * <dd>A typo in {@code --master}, refused before anything starts (the examples exit with 2, bad
 *   usage). Give {@code host:port}, {@code http://host:port}, {@code zk://host:port/mesos} or
 *   {@code local}; the {@linkplain dev.mesoskit.tutorial.reference reference} lists the forms.</dd>
 * <dt>{@code cannot reach master http://127.0.0.1:5999: connection refused by 127.0.0.1:5999}</dt>
 * <dd>Nothing listens there. MesosKit keeps trying with a growing backoff (a master may be
 *   restarting), logs each attempt at WARN and tells a
 *   {@link dev.mesoskit.core.FrameworkListener#reconnecting FrameworkListener}. Check the port
 *   (Mesos' default is 5050) and that the master runs; bound the wait with
 *   {@link dev.mesoskit.core.Framework#awaitSubscribed(java.time.Duration)}.</dd>
 * <dt>{@code cannot reach master http://mesos-mastr.invalid:5050: unknown host mesos-mastr.invalid}</dt>
 * <dd>The name does not resolve: a typo, or DNS that does not know it yet. Retried like a refused
 *   connection.</dd>
 * <dt>{@code framework my-framework stopped: http://127.0.0.1:8080 is not a Mesos master: it answered 501 to SUBSCRIBE (an HTML page titled '501 Not Implemented')}</dt>
 * <dd>Something answers there, but not Mesos' scheduler API (a web server, a proxy, the wrong
 *   port). No retry can help, so the framework fails at once and
 *   {@link dev.mesoskit.core.Framework#awaitTermination awaitTermination} throws this.</dd>
 * <dt>{@code framework my-framework stopped: master http://127.0.0.1:5050 asks for credentials and the framework has none (set a principal and its secret file): it answered 401 to SUBSCRIBE}</dt>
 * <dd>The master runs with {@code --authenticate_http_frameworks}. Give {@code --principal} and
 *   {@code --secret-file} (or {@code Backends.builder().principal(...).secretFile(...)}); a
 *   refused principal says so in the same way.</dd>
 * </dl>
 *
 * <h2 id="placement">Tasks that wait</h2>
 * <dl>
 * <dt>{@code task not placed task=render-1 reason=needs cpus 64, the largest offer has 2}</dt>
 * <dd>Logged at WARN once (and again when the reason changes) when a task needs more than any
 *   agent offered at once; the reason is also {@link dev.mesoskit.core.Task#message()}. Ask for
 *   less, add agents that have it, or check the role. A task that only waits for its turn on
 *   busy agents is logged at DEBUG.</dd>
 * <dt>{@code not placed within PT5M: needs cpus 64, the largest offer has 2}</dt>
 * <dd>The task's outcome ({@code FAILED}, not retried) after its
 *   {@link dev.mesoskit.core.TaskSpec.Builder#placementTimeout placement timeout} or the
 *   framework's {@link dev.mesoskit.core.Framework.Builder#placementTimeout}. Without one a task
 *   waits for ever.</dd>
 * <dt>{@code 3 tasks pending and no offers for 30s: does any agent offer resources to role *? name=my-framework}</dt>
 * <dd>Subscribed, tasks waiting, and not one offer: the agents are full with other frameworks'
 *   tasks, the role gets no resources, or there are no agents. Said once, and again only after
 *   offers came and stopped.</dd>
 * </dl>
 *
 * <h2 id="tasks">Tasks that end</h2>
 * <dl>
 * <dt>{@code failed after 1 attempt: timed out after PT10S}</dt>
 * <dd>The task ran past its {@link dev.mesoskit.core.TaskSpec.Builder#timeout timeout}: it was
 *   killed, and the attempt counts as failed under the task's
 *   {@link dev.mesoskit.core.RetryPolicy}. Stop waiting for the rest with
 *   {@link dev.mesoskit.core.Framework#finish(java.time.Duration)} and
 *   {@link dev.mesoskit.core.Framework#killAll()}.</dd>
 * <dt>{@code java.io.IOException: disk full}</dt>
 * <dd>A task's message when its {@link dev.mesoskit.core.executor.TaskHandler} threw: the
 *   exception's type and message (its stack trace is in the executor's {@code stderr} in the
 *   sandbox). Throw {@link dev.mesoskit.core.executor.PermanentFailure} for bad input that no
 *   retry can mend.</dd>
 * <dt>{@code Executor terminated} (reason {@code REASON_EXECUTOR_TERMINATED})</dt>
 * <dd>Mesos' own words: the executor process ended while the task ran, e.g. a crash or the OOM
 *   killer. Mesos does not pass the exit status on; the executor's {@code stderr} in the sandbox
 *   says what happened. A MesosKit executor whose handler calls {@code System.exit} reports
 *   first, so its tasks say instead: {@code the task's handler called System.exit at
 *   com.example.Convert.run(Convert.java:42), ending its executor}.</dd>
 * <dt>{@code failed after 1 attempt: killed as unhealthy: Command terminated with signal Terminated}</dt>
 * <dd>The task's executor killed it after its
 *   {@linkplain dev.mesoskit.core.TaskSpec.Builder#healthCheck health check} failed
 *   {@code consecutiveFailures} times in a row; the attempt counts as failed and is retried under
 *   the task's {@link dev.mesoskit.core.RetryPolicy} (a {@link dev.mesoskit.core.Service}
 *   relaunches it). If a healthy task is killed, look at what the probe asks: an HTTP or TCP probe
 *   goes to {@code 127.0.0.1} and the task's port, so a server bound to another address fails it;
 *   give slow starters a {@code gracePeriod}.</dd>
 * <dt>{@code role must be one of the framework's roles [batch, web] but was 'db' for task db}</dt>
 * <dd>{@link dev.mesoskit.core.TaskSpec.Builder#role} names a role the framework did not subscribe
 *   with; add it to {@link dev.mesoskit.core.Framework.Builder#roles}.</dd>
 * <dt>{@code task id must be unique but 'render-1' was already submitted}</dt>
 * <dd>{@link dev.mesoskit.core.Framework#submit submit} refuses a second task with an id it has.
 *   It is a bug of the program, not bad usage: {@code FrameworkMain} exits with 1 and a stack
 *   trace, not with 2.</dd>
 * </dl>
 *
 * <h2 id="restart">A rerun, and starting fresh</h2>
 * <p>A program that keeps its framework id (the examples keep it in
 * {@code ~/.mesoskit/frameworks/<name>/framework-id} on a real cluster) fails over to the
 * framework of its last run, and adopts that run's tasks, each logged at INFO as
 * {@code adopting a task launched by an earlier scheduler run task=... state=RUNNING ...}. To
 * start fresh instead, give the examples {@code --fresh} (any program built on
 * {@link dev.mesoskit.artifacts.cli.FrameworkOptions} has it): the framework of the last run is
 * torn down first, which kills its tasks, and a new one starts. In code,
 * {@link dev.mesoskit.core.Framework#tearDown Framework.tearDown} does the same. Deleting the id
 * file also starts a new framework, but leaves the old one and its tasks running until its
 * failover timeout (a week by default) runs out.
 *
 * <h2 id="ha">Two schedulers, and standbys</h2>
 * <dl>
 * <dt>{@code another scheduler instance uses this state store; run one instance, or give every instance a leader election (Framework.Builder.leaderElection) to run standbys: dir=/home/me/.mesoskit/frameworks/web/framework-id.state holder=4242@host1}</dt>
 * <dd>A second scheduler of the same framework was started on the state store the first one
 * holds (the message names the holder's process and host); {@code start()} throws and the
 * second framework stops instead of fighting over the framework. Stop the other one, or run both
 * with a {@code ZooKeeperHa} election and store (chapter 10): the second then waits as a standby.
 * </dd>
 * <dt>{@code cannot submit to framework web: it stands by until elected; call awaitLeadership() first (the leader's tasks are recovered then, and submitting one of them again gets the recovered task)}</dt>
 * <dd>A standby does not know the leader's tasks until it is elected and recovers them; submit
 * after {@code framework.awaitLeadership(...)} returns.</dd>
 * <dt>{@code framework web lost its leadership: ZooKeeper connection SUSPENDED: this instance may no longer lead; this instance stops (a standby takes over)}</dt>
 * <dd>The leader lost its ZooKeeper connection, so it can no longer be sure it leads: it stopped
 * calling the master and writing its state at once, and its framework failed with this message.
 * A standby is elected once the session expires and carries on with every task. Start this
 * instance again to have a standby again; if it happens often, look at the network to ZooKeeper
 * or raise the session timeout ({@code ZooKeeperHa.builder().sessionTimeout(...)}).</dd>
 * </dl>
 *
 * <h2 id="program">The program itself</h2>
 * <dl>
 * <dt>{@code webserver: --instances must be >= 1 but was 0}</dt>
 * <dd>Bad usage, exit code 2: a program's {@code call()} throws
 *   {@link dev.mesoskit.artifacts.cli.UsageException} for an option it cannot use.</dd>
 * <dt>{@code com.example.MyExecutor was not loaded from a jar file but from /home/me/project/target/classes; build the jar or give --executor-jar}</dt>
 * <dd>Agents run the executor from a jar, and this program runs from an IDE's or a build's
 *   class directory. Build the jar (the examples' {@code package}) or name one.</dd>
 * <dt>{@code SLF4J(W): No SLF4J providers were found.}</dt>
 * <dd>SLF4J's words: the program has no logging backend, so none of the warnings above are seen.
 *   Add one, e.g. {@code org.slf4j:slf4j-simple} at run time.</dd>
 * </dl>
 */
package dev.mesoskit.tutorial.troubleshooting;
