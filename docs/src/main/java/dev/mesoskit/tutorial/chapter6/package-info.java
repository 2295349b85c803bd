/**
 * Chapter 6, a real multi-node cluster: where the master is, how agents on other machines reach
 * your files, the native driver, authentication, and keeping tasks alive when the scheduler
 * restarts.
 *
 * <p>Nothing in your framework changes between {@code --master=local} and a real cluster; what
 * changes is how it is started. {@link dev.mesoskit.tutorial.chapter6.RealCluster} takes every
 * option this chapter talks about (the {@linkplain dev.mesoskit.tutorial.reference reference}
 * lists them).
 *
 * <h2>Where the master is</h2>
 * <p>{@code --master} takes every form of {@link dev.mesoskit.core.MasterAddress}:
 * <ul>
 *   <li>{@code local}: the embedded cluster (the default of every tutorial program);
 *   <li>{@code host:port} or {@code host1:5050,host2:5050}: masters over HTTP; a missing port
 *       means 5050. A master that is not the leader redirects, and the backend follows;
 *   <li>{@code http://host:5050} or {@code https://host:5050}: the same with a scheme;
 *   <li>{@code zk://zk1:2181,zk2:2181/mesos}: the leader as the masters register it in ZooKeeper
 *       ({@link dev.mesoskit.core.zookeeper.ZooKeeperMasterDetector}, in the artifact
 *       {@code dev.mesoskit:sdk-zookeeper}), followed as leadership moves. ZooKeeper
 *       authentication ({@code zk://user:pass@...}) is not supported.
 * </ul>
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter6/RealCluster.java#backend -->
 * <pre>{@code
 * Backends.Builder backend = Backends.builder()
 *     .master(master)                                  // local, host:port, zk://host:2181/mesos
 *     .driver(Backends.Driver.valueOf(driver.toUpperCase(Locale.ROOT)));
 * if (principal != null) {
 *   backend.principal(principal).secretFile(secretFile); // HTTP Basic, or SASL with native
 * }
 * }</pre>
 *
 * <h2>The driver</h2>
 * <p>{@code --driver=http}, the default, speaks Mesos' v1 scheduler HTTP API in pure Java
 * ({@link dev.mesoskit.core.http.HttpSchedulerBackend}); it needs Mesos 1.0 or newer and nothing
 * installed. {@code --driver=native} uses libmesos' {@code MesosSchedulerDriver} through JNI
 * ({@link dev.mesoskit.core.jni.NativeSchedulerBackend}), for clusters where the HTTP API is not
 * an option: libmesos must be installed on the scheduler's machine and
 * {@code MESOS_NATIVE_JAVA_LIBRARY} must name it (e.g. {@code /usr/lib/libmesos.so}); libprocess
 * also wants {@code LIBPROCESS_IP} set to an address the master can reach back. libmesos is loaded
 * only when the native backend subscribes; when it is missing, subscribing fails with a message
 * naming {@code MESOS_NATIVE_JAVA_LIBRARY}. The embedded cluster speaks HTTP only, so
 * {@code --driver=native --master=local} is refused. No test of this repository runs against a
 * real Mesos master or real libmesos (none can be installed on the build machines): the HTTP
 * backend is tested against a fake master over real HTTP and against the local cluster, the native
 * one against a mocked driver.
 *
 * <h2>Authentication</h2>
 * <p>{@code --principal=NAME --secret-file=PATH} authenticates the framework: with HTTP Basic on
 * every call for the HTTP driver (masters started with {@code --authenticate_http_frameworks}),
 * with SASL CRAM-MD5 for the native driver. The secret is read from the file (its surrounding
 * whitespace removed), never from the command line. The principal is also the framework's
 * principal for reservations. The embedded cluster does not authenticate: it accepts any
 * principal. TLS: give {@code --master=https://...}; the JVM's trust store decides which master
 * certificates are trusted.
 *
 * <h2>The artifact server's address</h2>
 * <p>Agents download your executor jar and input files from the
 * {@link dev.mesoskit.artifacts.ArtifactServer} on the scheduler's machine, so the URIs it puts in
 * task descriptions must name an address <em>every agent</em> can reach. It binds one address
 * (every interface, {@code 0.0.0.0}, by default) and advertises another in its URIs (this
 * machine's host name by default). The classic failure is a URI with {@code 127.0.0.1} or an
 * unresolvable host name: every task then fails while fetching, with the fetcher's error in its
 * message. Give {@code --advertise} a name or address the agents resolve to this machine:
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter6/RealCluster.java#artifacts -->
 * <pre>{@code
 * ArtifactServer.Builder server = ArtifactServer.builder()
 *     .directory(stateDir.resolve("artifacts"))
 *     .bindAddress(bind != null ? bind : local ? "127.0.0.1" : "0.0.0.0");
 * if (advertise != null) {
 *   server.advertisedHost(advertise);                  // a name every agent can resolve
 * }
 * }</pre>
 * <p>Published files get content-hashed URIs ({@code /artifacts/<sha256>/name}), because the
 * Mesos fetcher cache never refreshes a URI it has seen.
 *
 * <h2>Failover timeout and the framework id store</h2>
 * <p>A scheduler that restarts (a deploy, a crash, a moved container) should find its tasks still
 * running. Two settings make that happen. The <b>failover timeout</b> is how long the master keeps
 * a disconnected framework's tasks; Mesos' default is 0, which kills every task the moment the
 * scheduler disconnects, so {@code Framework} defaults to 7 days. The <b>framework id store</b>
 * ({@link dev.mesoskit.core.spi.FrameworkIdStore}) keeps the id the master assigned, so the next
 * run subscribes <em>as the same framework</em> instead of registering a new one; by default a
 * file {@code ~/.mesoskit/frameworks/<name>/framework-id}, written atomically. Keep it on storage
 * that survives the scheduler's machine if the scheduler may move. {@code finish()} tears the
 * framework down (the master kills whatever still runs) and clears the stored id;
 * {@code close()} only disconnects, and the next run takes over the running tasks (chapter 7
 * shows it):
 * <!-- region: docs/src/main/java/dev/mesoskit/tutorial/chapter6/RealCluster.java#framework -->
 * <pre>{@code
 * try (ArtifactServer artifacts = server.build().start();
 *      Framework framework = Framework.builder()
 *          .name("real-cluster")
 *          .backend(backend.build())
 *          .failoverTimeout(failoverTimeout)           // Mesos' default 0 kills the tasks
 *          .frameworkIdStore(FrameworkIdStore.file(idFile))
 *          .build()) {
 *   Path greeting = Files.writeString(stateDir.resolve("greeting.txt"), "hello\n");
 *   URI uri = artifacts.publish(greeting);             // http://<advertised>:<port>/artifacts/<sha256>/greeting.txt
 *   out.println("artifact " + uri);
 *   framework.start();
 *   TaskId id = framework.submit(TaskSpec.builder()
 *       .name("fetch-greeting")
 *       .resources("cpus:0.1;mem:32")
 *       .command(CommandSpec.builder()
 *           .shell("grep -qx hello greeting.txt")      // fetched into the sandbox first
 *           .uri(FetchUri.of(uri.toString()))
 *           .build())
 *       .build());
 *   Task task = framework.outcome(id).join();
 *   out.println("framework " + framework.frameworkId().orElseThrow() + " kept in " + idFile
 *       + " while it runs");
 *   out.println(task.name() + " " + task.state() + task.message().map(m -> ": " + m).orElse(""));
 *   framework.finish();                                // teardown: the stored id is cleared
 *   framework.awaitTermination();
 *   out.println("torn down, " + idFile + (Files.exists(idFile) ? " still exists" : " removed"));
 *   return task.state() == TaskState.FINISHED ? 0 : 1;
 * }
 * }</pre>
 * <p>Only one scheduler may run per framework id: when a second one subscribes with it, the master
 * sends the first an {@code ERROR} and the first stops (it does not fight back).
 *
 * <h2>Run it</h2>
 * <p>On the embedded cluster:
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter6.RealCluster --master=local
 * </pre>
 * <p>It printed, and exited 0:
 * <pre>
 * artifact http://127.0.0.1:37929/artifacts/5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03/greeting.txt
 * framework 308d950d-2caf-43b4-b642-6116b188e816-0000 kept in tutorial-state/framework-id while it runs
 * fetch-greeting FINISHED: Command exited with status 0
 * torn down, tutorial-state/framework-id removed
 * </pre>
 * <p>The same against a cluster in another process, the way a real one is used: start the
 * standalone local cluster in one terminal, and point the program at it from another.
 * <pre>
 * ./mvnw -B -q -pl sdk-local -am package -DskipTests
 * java -jar sdk-local/target/mesoskit-local.jar --agents 2 --port 5050
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter6.RealCluster --master=127.0.0.1:5050 --bind=127.0.0.1
 * </pre>
 * <p>On a real cluster: {@code --master=zk://zk1:2181,zk2:2181/mesos --advertise=$(hostname -f)},
 * plus {@code --principal} and {@code --secret-file} if the masters authenticate frameworks. The
 * examples' Java executors then start with {@code java} from the agents' {@code PATH} (not this
 * machine's JDK path, which agents rarely share); {@code --executor-java=/path/to/bin/java} names
 * another.
 *
 * <p>Next: {@linkplain dev.mesoskit.tutorial.chapter7 chapter 7, failures}.
 */
package dev.mesoskit.tutorial.chapter6;
