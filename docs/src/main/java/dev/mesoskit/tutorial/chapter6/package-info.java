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
 * (every interface, {@code 0.0.0.0}, by default) and advertises another in its URIs: by default
 * this machine's address on the route to the master, which is on the agents' network (not the
 * host name, which many machines resolve to a loopback address); when no address routes to the
 * master and only a loopback one is left, the server refuses to start and says to set
 * {@code --advertise}. The classic failure is a URI with {@code 127.0.0.1} or an unresolvable
 * host name: every task then fails while fetching, with the fetcher's error in its message. Give
 * {@code --advertise} a name or address the agents resolve to this machine:
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
 * <h2>Agents on other hosts, on one machine</h2>
 * <p>On {@code --master=local} every agent shares the scheduler's loopback, so a framework that
 * advertises {@code 127.0.0.1}, or binds its server to it, works on a laptop and fails on the
 * first multi-node run. To meet that failure before a real cluster does, start the local cluster
 * with {@link dev.mesoskit.local.LocalCluster.Builder#isolatedNetwork} ({@code --isolated-network}
 * for the standalone jar): each agent gets a Linux network namespace of its own with an address on
 * a private bridge ({@code 10.213.N.0/24}, a range no address or route of the machine overlaps),
 * and every executor and task it starts runs there and every URI it fetches is fetched from
 * there. The master listens on the bridge's host side, offers carry the agents' addresses as
 * hostnames, and nothing leaves the machine (no default route, no NAT). It needs root (the
 * capabilities CAP_NET_ADMIN and CAP_SYS_ADMIN), iproute2's {@code ip} and curl; without them the
 * cluster refuses to start and names what is missing. Namespaces, links and the bridge are
 * removed when the cluster stops, and a cluster that was killed has its leftovers removed by the
 * next one. The agents themselves stay in the cluster's JVM: their executor APIs listen on the
 * bridge's host side, and a relay in each namespace makes them reachable at
 * {@code <agent address>:5051}, where executors are told to find them. (Command tasks' HTTP and
 * TCP checks still probe the machine's own 127.0.0.1. The namespaces have no DNS: name hosts by
 * address, or in {@code /etc/hosts}. Traffic between namespaces crosses the bridge, so on a
 * machine whose firewall drops forwarded packets, as Docker's FORWARD policy does, a client host
 * cannot reach an agent's servers.)
 * <!-- region: examples/image-invert/src/test/java/dev/mesoskit/examples/imageinvert/IsolatedNetworkIT.java#isolated-cluster -->
 * <pre>{@code
 * cluster = LocalCluster.builder().agents(2)
 *     .isolatedNetwork(true)                  // each agent a host of its own (needs root)
 *     .agentResources("cpus:3;mem:8192;disk:10240;ports:[31000-31999]")
 *     .start();
 * String master = cluster.masterAddress();    // 10.213.N.1:PORT, the bridge's host side
 * }</pre>
 * <p>The trap, on it: chapter 4's program with its artifact server advertised as
 * {@code 127.0.0.1}.
 * <pre>
 * sudo java -jar sdk-local/target/mesoskit-local.jar --isolated-network --port 5050
 * java -jar examples/image-invert/target/image-invert.jar --master=10.213.0.1:5050 --advertise=127.0.0.1
 * </pre>
 * <p>(the master's address is in the cluster's first line). Every task fails at once, its reason
 * naming the URL no agent could fetch; nothing hangs:
 * <pre>
 *   FAILED images/gray.png: failed after 3 attempts: TASK_FAILED (REASON_CONTAINER_LAUNCH_FAILED): Failed to launch container: Failed to fetch 'http://127.0.0.1:42663/artifacts/6f2c76b5.../image-invert-executor.jar': Error downloading resource: Failed to connect to 127.0.0.1 port 42663: Couldn't connect to server
 * </pre>
 * <p>The fix is to leave {@code --advertise} out (the server then advertises
 * {@code 10.213.0.1}, its address on the route to the master) or to give an address the agents
 * reach; then every image is inverted. Chapter 5's web servers bind every address and print URLs
 * with the agents' addresses; they answer a client on a third host, which
 * {@link dev.mesoskit.local.LocalCluster#addClientHost} adds to the bridge, and not through
 * {@code 127.0.0.1}:
 * <!-- region: examples/webserver/src/test/java/dev/mesoskit/examples/webserver/IsolatedNetworkIT.java#client-host -->
 * <pre>{@code
 * IsolatedHost client = cluster.addClientHost(); // a third machine on the cluster's bridge
 * String answer = exec(client.command(List.of("curl", "-sS", "--max-time", "10",
 *     url.toString())));                         // ip netns exec <client> curl <url>
 * }</pre>
 * <p>The examples' {@code IsolatedNetworkIT}s run all of this (as root; they are skipped, saying
 * why, elsewhere).
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
