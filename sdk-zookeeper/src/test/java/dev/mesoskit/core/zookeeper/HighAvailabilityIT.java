package dev.mesoskit.core.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.local.LocalCluster;
import dev.mesoskit.local.SchedulerCallRecord;
import dev.mesoskit.local.TaskLaunchRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #22, highly available frameworks, end to end: two scheduler JVMs
 * ({@link HaBatchProgram}) of one framework contend in ZooKeeper for the leadership over the
 * embedded cluster; the leader is killed (SIGKILL) at the worst moments of a batch of 200 tasks,
 * or cut off from ZooKeeper, and the standby takes over. Every task ends FINISHED, and the
 * agents' launch log shows each task launched exactly once: none lost, none launched twice.
 */
@Timeout(300)
class HighAvailabilityIT {
  private static final int TASKS = 200;
  private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final Duration BATCH = Duration.ofSeconds(90);

  private static TestZooKeeper zooKeeper;
  private static LocalCluster cluster;
  private static final AtomicInteger scenarios = new AtomicInteger();

  private final List<Instance> instances = new ArrayList<>();
  private final List<BlackholeProxy> proxies = new ArrayList<>();

  @TempDir
  Path logs;

  @BeforeAll
  static void startServers() throws Exception {
    zooKeeper = new TestZooKeeper();
    cluster = LocalCluster.builder().agents(2).agentResources("cpus:8;mem:4096;disk:4096")
        .allocationInterval(Duration.ofMillis(50)).start();
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (zooKeeper != null) {
      zooKeeper.close();
    }
  }

  @AfterEach
  void killInstances(TestInfo test) throws IOException {
    for (Instance instance : instances) {
      instance.process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      instance.process.destroyForcibly();
    }
    proxies.forEach(BlackholeProxy::close);
    // Keep both instances' output and logs for a look after the run.
    Path kept = Path.of("target", "ha-it-logs", test.getTestMethod().orElseThrow().getName());
    Files.createDirectories(kept);
    for (Instance instance : instances) {
      Files.write(kept.resolve(instance.name + ".out"), instance.lines);
      Files.copy(instance.stderr, kept.resolve(instance.name + ".log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void aStandbyTakesOverALeaderKilledBeforeItPersistedALaunchAndLaunchesEveryTaskOnce()
      throws Exception {
    killLeaderAndTakeOver("launch-persist:170");
  }

  @Test
  void aStandbyTakesOverALeaderKilledAfterItPersistedLaunchesItNeverSent() throws Exception {
    killLeaderAndTakeOver("accept:2");
  }

  @Test
  void aStandbyTakesOverALeaderKilledBeforeItAcknowledgedAnUpdateItPersisted()
      throws Exception {
    killLeaderAndTakeOver("ack:60");
  }

  @Test
  void aLeaderCutOffFromZooKeeperStopsCallingTheMasterBeforeTheStandbySubscribes()
      throws Exception {
    String path = nextPath();
    BlackholeProxy proxy = new BlackholeProxy(zooKeeper.connect());
    proxies.add(proxy);
    long callsBefore = lastSequence();

    Instance a = start("A", "zk://" + proxy.address() + path, "none", "2");
    long aLeading = a.awaitValue("LEADING", STARTUP);
    Instance b = start("B", zooKeeper.url(path), "none", "2");
    b.awaitStandingBy(STARTUP);
    a.awaitLines("ENDED", 5, BATCH);

    proxy.blackhole();
    long blackholed = System.currentTimeMillis();
    String failed = a.awaitLine("FAILED", STARTUP);
    assertThat(a.process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(a.process.exitValue()).isEqualTo(HaBatchProgram.EXIT_FAILED);
    long aFailed = Long.parseLong(failed.split(" ")[1]);
    String failure = failed.substring(failed.indexOf(' ', "FAILED ".length()) + 1);
    System.out.println("partition: A's failure: " + failure);
    // The safety of the takeover first: A made no call after B subscribed, every task once.
    checkTakeover(b, callsBefore, aFailed, aLeading, blackholed);
    // Then the reason A gives: its lost leadership, as Framework documents it, also when a
    // store write was in flight as the connection went.
    assertThat(failure).isEqualTo(
        "framework ha-batch lost its leadership: ZooKeeper connection SUSPENDED: this instance"
            + " may no longer lead; this instance stops (a standby takes over)");
  }

  /** B finishes every task, and A (cut off) made no call after B's SUBSCRIBE. */
  private void checkTakeover(Instance b, long callsBefore, long aFailed, long aLeading,
      long blackholed) throws InterruptedException {
    long bLeading = b.awaitValue("LEADING", BATCH);
    b.awaitLine("DONE", BATCH);
    assertThat(b.process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(b.process.exitValue()).isZero();
    System.out.printf("partition: A led at %d, blackholed at %d, A failed %d ms after the"
            + " blackhole, B led %d ms after the blackhole (%d ms after A failed)%n", aLeading,
        blackholed, aFailed - blackholed, bLeading - blackholed, bLeading - aFailed);

    assertThat(aFailed).isLessThan(bLeading);
    String frameworkId = assertEveryTaskFinishedAndLaunchedOnce(b, callsBefore);
    List<SchedulerCallRecord> subscribes = subscribes(frameworkId, callsBefore);
    assertThat(subscribes).hasSizeGreaterThanOrEqualTo(2);
    String streamA = subscribes.get(0).streamId().orElseThrow();
    long subscribeB = subscribes.get(1).sequence();
    assertThat(subscribes.get(1).streamId()).isNotEqualTo(Optional.of(streamA));
    assertThat(cluster.calls())
        .filteredOn(c -> c.streamId().equals(Optional.of(streamA)))
        .filteredOn(c -> c.sequence() > subscribeB)
        .isEmpty();
  }

  // ================================================================== the scenario

  /**
   * Starts leader A with {@code killAt} and standby B, kills A (SIGKILL) at its kill point and
   * checks that B finishes every task, each launched once.
   */
  private void killLeaderAndTakeOver(String killAt) throws Exception {
    String path = nextPath();
    long callsBefore = lastSequence();

    Instance a = start("A", zooKeeper.url(path), killAt, "0.2");
    a.awaitValue("LEADING", STARTUP);
    Instance b = start("B", zooKeeper.url(path), "none", "0.2");
    b.awaitStandingBy(STARTUP);
    a.awaitLine("KILLPOINT", BATCH);
    a.process.destroyForcibly();
    long killed = System.currentTimeMillis();
    assertThat(a.process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
    int endedBeforeKill = a.count("ENDED");
    long launchedBeforeKill = cluster.launches().stream()
        .mapToLong(TaskLaunchRecord::sequence).max().orElse(0);

    // Watch for B's SUBSCRIBE while B takes over, to time it.
    long bSubscribed = 0;
    long deadline = System.nanoTime() + BATCH.toNanos();
    while (bSubscribed == 0 && System.nanoTime() < deadline && b.process.isAlive()) {
      Optional<String> id = frameworkId(callsBefore);
      if (id.isPresent() && subscribes(id.get(), callsBefore).size() >= 2) {
        bSubscribed = System.currentTimeMillis();
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
    long bLed = b.awaitValue("LEADING", BATCH);
    b.awaitLine("DONE", BATCH);
    assertThat(b.process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(b.process.exitValue()).isZero();

    String frameworkId = assertEveryTaskFinishedAndLaunchedOnce(b, callsBefore);
    long launchedByA = launchesOf(frameworkId).stream()
        .filter(l -> l.sequence() <= launchedBeforeKill).count();
    System.out.printf("kill at %s: %d tasks launched and %d ended before the kill; B led %d ms"
            + " after the kill, B's SUBSCRIBE seen %d ms after the kill%n", killAt, launchedByA,
        endedBeforeKill, bLed - killed, bSubscribed == 0 ? -1 : bSubscribed - killed);
  }

  /**
   * Checks B's outcomes (all {@code FINISHED}) and the agents' launches of this scenario's
   * framework (each task exactly once, as one of its attempts).
   *
   * @return the framework id
   */
  private String assertEveryTaskFinishedAndLaunchedOnce(Instance b, long callsBefore) {
    List<String> outcomes = b.lines("OUTCOME");
    assertThat(outcomes).hasSize(TASKS);
    List<String> ids = IntStream.range(0, TASKS).mapToObj(i -> String.format("t-%03d", i))
        .toList();
    assertThat(outcomes).extracting(line -> line.split(" ")[1]).containsExactlyElementsOf(ids);
    assertThat(outcomes).extracting(line -> line.split(" ")[2]).containsOnly("FINISHED");

    String frameworkId = frameworkId(callsBefore).orElseThrow();
    List<String> launched = launchesOf(frameworkId).stream().map(TaskLaunchRecord::taskId)
        .toList();
    Map<String, Long> perMesosId = launched.stream()
        .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
    assertThat(perMesosId).as("Mesos task ids launched more than once")
        .allSatisfy((id, count) -> assertThat(count).as(id).isEqualTo(1L));
    assertThat(launched).extracting(id -> id.substring(0, id.lastIndexOf('.')))
        .containsExactlyInAnyOrderElementsOf(ids);
    Map<String, Long> attempts = launched.stream()
        .collect(Collectors.groupingBy(id -> id.substring(id.lastIndexOf('.') + 1),
            Collectors.counting()));
    System.out.println("launches by attempt: " + attempts);
    return frameworkId;
  }

  private static List<TaskLaunchRecord> launchesOf(String frameworkId) {
    return cluster.launches().stream().filter(l -> l.frameworkId().equals(frameworkId)).toList();
  }

  /** The framework of this scenario: the first one subscribed after {@code callsBefore}. */
  private static Optional<String> frameworkId(long callsBefore) {
    return cluster.calls().stream()
        .filter(c -> c.sequence() > callsBefore && c.type().equals("SUBSCRIBE")
            && c.status() == 200)
        .findFirst().flatMap(SchedulerCallRecord::frameworkId);
  }

  /** The accepted subscriptions of a framework after {@code callsBefore}, in order. */
  private static List<SchedulerCallRecord> subscribes(String frameworkId, long callsBefore) {
    return cluster.calls().stream()
        .filter(c -> c.sequence() > callsBefore && c.type().equals("SUBSCRIBE")
            && c.status() == 200 && c.frameworkId().equals(Optional.of(frameworkId)))
        .toList();
  }

  private static long lastSequence() {
    List<SchedulerCallRecord> calls = cluster.calls();
    return calls.isEmpty() ? 0 : calls.get(calls.size() - 1).sequence();
  }

  private static String nextPath() {
    return "/mesoskit/ha-it-" + scenarios.incrementAndGet();
  }

  private Instance start(String name, String zkUrl, String killAt, String sleep)
      throws IOException {
    Path stderr = logs.resolve(name + ".log");
    Process process = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), HaBatchProgram.class.getName(),
        "--master=" + cluster.masterAddress(), "--zk=" + zkUrl, "--tasks=" + TASKS,
        "--session-timeout=" + SESSION_TIMEOUT.toMillis(), "--sleep=" + sleep,
        "--kill-at=" + killAt)
        .redirectError(stderr.toFile())
        .start();
    Instance instance = new Instance(name, process, stderr);
    instances.add(instance);
    return instance;
  }

  // ================================================================== the helpers

  /** A scheduler JVM: its stdout lines as they come, and its log. */
  private static final class Instance {
    final String name;
    final Process process;
    final Path stderr;
    final List<String> lines = new CopyOnWriteArrayList<>();

    Instance(String name, Process process, Path stderr) {
      this.name = name;
      this.process = process;
      this.stderr = stderr;
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = in.readLine()) != null) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("READ FAILED " + e);
        }
      }, "ha-it-reader-" + name);
      reader.setDaemon(true);
      reader.start();
    }

    List<String> lines(String kind) {
      return lines.stream().filter(l -> l.startsWith(kind + " ") || l.equals(kind)).toList();
    }

    int count(String kind) {
      return lines(kind).size();
    }

    String awaitLine(String kind, Duration timeout) {
      awaitLines(kind, 1, timeout);
      return lines(kind).get(0);
    }

    long awaitValue(String kind, Duration timeout) {
      return Long.parseLong(awaitLine(kind, timeout).split(" ")[1]);
    }

    void awaitLines(String kind, int count, Duration timeout) {
      await(kind + " x" + count, () -> count(kind) >= count, timeout);
    }

    void awaitStandingBy(Duration timeout) {
      await("standing by", () -> log().contains("standing by"), timeout);
    }

    private void await(String what, java.util.function.BooleanSupplier done, Duration timeout) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() - deadline > 0 || !process.isAlive() && !done.getAsBoolean()) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200)); // the last lines
          if (done.getAsBoolean()) {
            return;
          }
          throw new AssertionError("instance " + name + " did not print " + what + " within "
              + timeout + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")")
              + "; its output:\n" + String.join("\n", tail(lines, 40)) + "\nits log:\n"
              + String.join("\n", tail(log().lines().toList(), 80)));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }

    String log() {
      try {
        return Files.readString(stderr);
      } catch (IOException e) {
        return "(log unreadable: " + e + ")";
      }
    }

    private static List<String> tail(List<String> all, int n) {
      return all.subList(Math.max(0, all.size() - n), all.size());
    }
  }

  /**
   * A TCP forwarder on 127.0.0.1 to a ZooKeeper server. {@link #blackhole()} stops forwarding
   * bytes both ways without closing any socket, as a network partition would: the client only
   * notices when its reads time out.
   */
  private static final class BlackholeProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean blackholed;

    BlackholeProxy(String hostPort) throws IOException {
      String[] parts = hostPort.split(":");
      this.target = new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      Thread acceptor = new Thread(this::acceptLoop, "ha-it-proxy");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String address() {
      return "127.0.0.1:" + server.getLocalPort();
    }

    void blackhole() {
      blackholed = true;
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          sockets.add(client);
          Socket upstream = new Socket();
          sockets.add(upstream);
          if (!blackholed) {
            upstream.connect(target, 5_000);
            pump(client, upstream);
            pump(upstream, client);
          } else {
            pump(client, null); // swallow what the client sends, answer nothing
          }
        } catch (IOException e) {
          // closed, or the target refused: the client sees its connection go
        }
      }
    }

    private void pump(Socket from, Socket to) {
      Thread t = new Thread(() -> {
        byte[] buffer = new byte[8192];
        try {
          InputStream in = from.getInputStream();
          OutputStream out = to == null ? null : to.getOutputStream();
          int n;
          while ((n = in.read(buffer)) >= 0) {
            if (!blackholed && out != null) {
              out.write(buffer, 0, n);
              out.flush();
            }
          }
        } catch (IOException e) {
          // a socket closed
        }
        if (!blackholed) { // pass a close on, but never while partitioned
          try {
            from.close();
            if (to != null) {
              to.close();
            }
          } catch (IOException ignored) {
            // closing
          }
        }
      }, "ha-it-proxy-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() {
      try {
        server.close();
      } catch (IOException ignored) {
        // closing
      }
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing
        }
      }
    }
  }
}
