/**
 * Chapter 10, highly available frameworks: a state store, recovery after a restart, leader
 * election with standbys, and services that change while they run.
 *
 * <p>{@link dev.mesoskit.tutorial.chapter10.HighAvailability} runs two scheduler instances of one
 * framework in one JVM against one master and one ZooKeeper. The first leads and launches three
 * tasks; the program then ends its leadership; the second takes over and sees the tasks finish.
 * It needs a ZooKeeper (any will do, e.g. {@code docker run -p 2181:2181 zookeeper}):
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter10.HighAvailability --master=local --zk=zk://127.0.0.1:2181/mesoskit/ha
 * </pre>
 *
 * <h2>Why: a scheduler dies</h2>
 * <p>Mesos keeps a framework's tasks running when its scheduler goes away, for the framework's
 * failover timeout ({@linkplain dev.mesoskit.tutorial.chapter7 chapter 7}). What the tasks were
 * for lives in the scheduler: which tasks it submitted, which attempt each is at, which ones
 * already ended. Mesos' guide to highly available frameworks asks two things of a scheduler:
 * persist what it intends to do <em>before</em> doing it, so that a successor neither loses
 * work nor does it twice; and after a failover, reconcile with the master to learn what became
 * of the tasks meanwhile. MesosKit does both when the framework has a state store; with a leader
 * election, a standby instance takes over within seconds instead of waiting for a person.
 *
 * <h2>The state store</h2>
 * <p>A {@link dev.mesoskit.core.spi.StateStore} holds the framework id and, for every task, its
 * spec, its current attempt (and agent) and its outcome. The spec is written when the task is
 * submitted, attempt and outcome when they change, and always before the task is launched and
 * before a status update that changed them is acknowledged: a scheduler that dies at any point
 * leaves a store from which the next one neither loses a task nor launches one twice. Set it with
 * {@link dev.mesoskit.core.Framework.Builder#stateStore}:
 * <ul>
 *   <li>{@code StateStore.file(dir)}: a directory of one host, an append-only log fsynced at
 *       every change; for a scheduler restarted on the same machine. Without a store set (and
 *       without a {@code frameworkIdStore}, which keeps the id alone), a framework uses
 *       {@code StateStore.file} in {@code ~/.mesoskit/frameworks/<name>/framework-id.state}.
 *       Programs built on {@link dev.mesoskit.artifacts.cli.FrameworkOptions} take the
 *       directory as {@code --state-dir}.
 *   <li>{@link dev.mesoskit.core.zookeeper.ZooKeeperHa#stateStore()} (sdk-zookeeper): one znode
 *       per entry, shared by instances on several hosts, that only the instance holding it can
 *       write.
 *   <li>{@code StateStore.inMemory()}: lives as long as the object; for tests.
 * </ul>
 *
 * <h2>Recovery</h2>
 * <p>{@link dev.mesoskit.core.Framework#start()} takes the store and recovers every task it
 * holds, without the application submitting anything. A task whose attempt may have been
 * launched is held until the master, asked by reconciliation, says what became of it: still
 * running, it is adopted; ended, it gets its outcome; never run, it is launched again. A task
 * that was never launched waits for an offer as if just submitted. Recovered tasks are not
 * announced to the listeners; they hear each task's next change. In the program, after the
 * takeover:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter10/HighAvailability.java#takeover -->
 * <pre>{@code
 * second.awaitLeadership(Duration.ofSeconds(60));  // elected, tasks recovered
 * List<Task> recovered = second.tasks().stream()
 *     .sorted(Comparator.comparing(Task::name)).toList();
 * for (Task task : recovered) {
 *   out.println("scheduler-2 recovered " + task.name() + ", attempt " + task.attempt());
 * }
 * }</pre>
 *
 * <h2>Leader election and fencing</h2>
 * <p>To have a standby, give every instance a {@link dev.mesoskit.core.spi.LeaderElection} and
 * one shared state store; {@link dev.mesoskit.core.zookeeper.ZooKeeperHa} makes both on one
 * ZooKeeper session ({@code ZooKeeperHa.connect("zk://host:port/path")}, or
 * {@code ZooKeeperHa.builder()} for the session timeout and the instance's name). Every instance
 * of the program is built the same way:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter10/HighAvailability.java#instance -->
 * <pre>{@code
 * private static Framework instance(ZooKeeperHa ha, String master, TaskListener listener) {
 *   return Framework.builder()
 *       .name("ha")
 *       .backend(Backends.fromArgs("--master=" + master))
 *       .leaderElection(ha.election())   // subscribes only once elected
 *       .stateStore(ha.stateStore())     // the framework id and every task, in ZooKeeper
 *       .listener(listener)
 *       .build();
 * }
 * }</pre>
 * <p>With an election, {@code start()} returns at once and the instance stands by: it neither
 * subscribes nor takes the store until it is elected, and {@code submit} throws until then. Once
 * elected it takes the store, recovers the tasks and subscribes with the stored framework id,
 * which the master treats as a failover of the same framework.
 * {@link dev.mesoskit.core.Framework#awaitLeadership} waits for that;
 * {@link dev.mesoskit.core.Framework#leading()} says whether it happened:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter10/HighAvailability.java#lead -->
 * <pre>{@code
 * first.start();
 * first.awaitLeadership(Duration.ofSeconds(30));
 * second.start();                                  // returns at once: it stands by
 * out.println("scheduler-1 leads: " + first.leading()
 *     + ", scheduler-2 leads: " + second.leading());
 * }</pre>
 * <p>Fencing: a leader that is not sure any more that it leads must stop before a successor
 * starts. The ZooKeeper election tells the framework it lost as soon as its connection is
 * {@code SUSPENDED} or {@code LOST}, or its election node is gone; from that moment the framework
 * writes nothing to the store and closes its connection to the master, before anything else on
 * its event thread runs, and then fails with {@code "framework X lost its leadership: <reason>;
 * this instance stops (a standby takes over)"}. Every write of the ZooKeeper store also checks,
 * in the same transaction, that this instance still holds it. A lost instance is not elected
 * again: start a new one (a new process, usually).
 *
 * <p>Takeover time: a leader that loses ZooKeeper closes its session at once, so its nodes go at
 * once when the server still hears it; a leader that dies or is cut off goes when its session
 * expires, after the session timeout (10 s by default, as Mesos' {@code --zk_session_timeout};
 * {@code ZooKeeperHa.builder().sessionTimeout(...)}). The standby is elected then, and follows
 * with taking the store, subscribing and reconciling.
 *
 * <p>The program hands the leadership over on purpose, as a rolling restart of the scheduler
 * does: {@link dev.mesoskit.core.Framework#close()} on the leader leaves the election and lets the
 * store go at once (it tears nothing down: the tasks keep running), so the standby is elected
 * without waiting for a session to expire:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter10/HighAvailability.java#stepdown -->
 * <pre>{@code
 * first.close();  // steps down: leaves the election, lets the store go; tasks keep running
 * out.println("scheduler-1 stepped down, leads: " + first.leading());
 * }</pre>
 * <p>It prints:
 * <pre>
 * scheduler-1 leads: true, scheduler-2 leads: false
 * scheduler-1 runs [sleep-1, sleep-2, sleep-3]
 * scheduler-1 stepped down, leads: false
 * scheduler-2 recovered sleep-1, attempt 1
 * scheduler-2 recovered sleep-2, attempt 1
 * scheduler-2 recovered sleep-3, attempt 1
 * sleep-1 FINISHED after 1 attempt(s)
 * sleep-2 FINISHED after 1 attempt(s)
 * sleep-3 FINISHED after 1 attempt(s)
 * FINISHED heard for [sleep-1, sleep-2, sleep-3]
 * </pre>
 * <p>The test of this chapter checks these lines, and that the cluster launched each task once.
 * A leader that dies instead is replaced after the session timeout: sdk-zookeeper's
 * {@code HighAvailabilityIT} kills one with SIGKILL in two scheduler processes (before a launch
 * was stored, between storing and sending it, and with updates not yet acknowledged) and cuts
 * another off from ZooKeeper; with a 3 s session timeout the standby led 2.9 s to 3.9 s after
 * the kill, every one of 200 tasks finished once, none was launched twice, and the cut-off leader
 * made no call to the master after its successor subscribed.
 *
 * <h2>Running two instances</h2>
 * <p>A state store is taken by one instance at a time. Started without an election on a store
 * another instance holds, a framework is refused at {@code start()}, which throws (and the
 * framework is stopped). On a file store:
 * <pre>
 * another scheduler instance uses this state store; run one instance, or give every instance a leader election (Framework.Builder.leaderElection) to run standbys: dir=state/web holder=4242@host1
 * </pre>
 * <p>On the ZooKeeper store, after waiting up to the session timeout for the holder to go:
 * <pre>
 * another scheduler instance (host1:4242) holds the ZooKeeper state store zk://zk1:2181/mesoskit/web; run one instance, or give every instance a leader election (Framework.Builder.leaderElection) to run standbys
 * </pre>
 * <p>A leader election without a state store is refused at {@code build()}: the instances must
 * share one.
 *
 * <h2>Services that change</h2>
 * <p>A {@link dev.mesoskit.core.Service} ({@linkplain dev.mesoskit.tutorial.chapter5 chapter 5})
 * on a framework with a state store survives a restart: {@code start} adopts the instances the
 * framework recovered. While it runs, {@link dev.mesoskit.core.Service#scale} changes how many
 * instances run (new ones numbered after the highest number ever used, the highest-numbered
 * killed first when scaling down), and {@link dev.mesoskit.core.Service#update} rolls the
 * instances over to a new template, a step at a time:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/HighAvailabilityIT.java#scale -->
 * <pre>{@code
 * web.scale(3);                                   // adds web-3
 * UpdateOutcome rolled = web.update(v2, UpdatePolicy.builder()
 *     .maxDown(1)                                 // one old instance down at a time
 *     .stepTimeout(Duration.ofSeconds(30))        // each new one up within 30 s
 *     .rollback(true)                             // else restore the old ones
 *     .build()).join();
 * }</pre>
 * <p>Each step kills up to {@code maxDown} old instances and submits as many of the new template;
 * the next step starts once the new ones are up (RUNNING, and past their health and readiness
 * checks if they have any). Here {@code web-1..web-3} become {@code web-4..web-6} and
 * {@link dev.mesoskit.core.UpdateOutcome#reason()} is {@code "replaced 3 instances"}. A step
 * fails when a new instance ends before it was up or is not up within the step timeout; with
 * {@code rollback(true)} (the default) the new instances are killed and the old template's are
 * submitted again, as many as before. Here the new template asks for more cpus than any agent
 * has:
 * <!-- region: docs/src/test/java/dev/mesoskit/tutorial/HighAvailabilityIT.java#rollback -->
 * <pre>{@code
 * UpdateOutcome failed = web.update(broken, UpdatePolicy.builder()
 *     .stepTimeout(Duration.ofSeconds(2)).build()).join();
 * // failed.rolledBack(): true; failed.reason(): "web-7 not up within PT2S"
 * // failed.events(): [KILL web-6, LAUNCH web-7, ROLLBACK, KILL web-7, LAUNCH web-8]
 * }</pre>
 * <p>{@code scale} and a second {@code update} throw while an update runs; {@code stop} ends it.
 *
 * <h2>What to watch</h2>
 * <ul>
 *   <li>Metrics ({@linkplain dev.mesoskit.tutorial.chapter9 chapter 9}): {@code mesoskit_leader}
 *       is 1 while an instance leads (elected and its tasks recovered), else 0: exactly one
 *       instance of a framework should show 1. {@code mesoskit_state_writes_seconds} times the
 *       writes to the store, each before the launches or acknowledgements it makes durable: a
 *       slow store slows every launch.
 *   <li>Logs: {@code framework standing by until elected}, {@code framework elected leader}
 *       (INFO), and at ERROR {@code framework lost its leadership, stopping name=... reason=...};
 *       sdk-zookeeper logs {@code standing by ... waitingFor=<the instance ahead>},
 *       {@code elected leader} and, at WARN, {@code lost the leader election ... reason=...}.
 *   <li>After a takeover, {@code mesoskit_reconnects_total} does not count it (a new instance
 *       subscribes for the first time); the master's framework page shows the same framework id
 *       with a new connection.
 * </ul>
 */
package dev.mesoskit.tutorial.chapter10;
