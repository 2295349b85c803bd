package dev.mesoskit.core.executor;

import static dev.mesoskit.core.TaskState.FINISHED;
import static dev.mesoskit.core.TaskState.KILLED;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesos-native health checks and checks of handler tasks, with the updates Mesos 1.12's command
 * executor sends (see the mesos-reference recordings a to d): each test waits for conditions with
 * bounded polling and asserts the exact sequence of (state, healthy, reason, check_status).
 */
@Timeout(30)
class TaskChecksTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration INTERVAL = Duration.ofMillis(50);
  private static final String HEALTH = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";
  private static final String CHECK = "REASON_TASK_CHECK_STATUS_UPDATED";
  private static final String PENDING = "check=COMMAND exit code (none yet)";

  private FakeExecutorBackend agent = new FakeExecutorBackend(Set.of("TASK_KILLING_STATE"));
  private final List<AutoCloseable> closeAtEnd = new ArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private CompletableFuture<Integer> running;

  @TempDir
  Path sandbox;

  @AfterEach
  void stop() throws Exception {
    release.countDown();
    if (running != null && !running.isDone()) {
      agent.shutdown();
      running.get(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable c : closeAtEnd) {
      c.close();
    }
  }

  // ---------------------------------------------------------------- health checks

  @Test
  void httpHealthCheckReportsHealthyOnceThenEachFailureThenKillsAfterConsecutiveFailures()
      throws Exception {
    AtomicInteger status = new AtomicInteger(200);
    AtomicInteger requests = new AtomicInteger();
    int port = httpServer(status, requests, null);
    start(Clock.systemUTC());

    agent.launch(task("t.1", health(Probe.http(CheckPort.fixed(port), "/health"), 2), null));

    awaitUpdates("t.1", 2);
    int seen = requests.get();
    await(() -> requests.get() >= seen + 3, "three more passing probes");
    assertThat(summary("t.1")).containsExactly("RUNNING", "RUNNING healthy=true " + HEALTH);

    status.set(500);
    agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING",
        "RUNNING healthy=true " + HEALTH,
        "RUNNING healthy=false " + HEALTH,
        "RUNNING healthy=false " + HEALTH,
        "KILLING",
        "KILLED healthy=false");
    String probe = "HTTP GET http://127.0.0.1:" + port + "/health";
    List<TaskStatus> updates = agent.updates("t.1");
    assertThat(updates.get(1).message()).isEmpty();
    assertThat(updates.get(2).message())
        .contains("health check failed 1 of 2 times in a row: " + probe + " answered 500");
    assertThat(updates.get(3).message())
        .contains("health check failed 2 of 2 times in a row: " + probe + " answered 500");
    assertThat(updates.get(5).message())
        .contains("killed after 2 consecutive failed health checks (last: " + probe
            + " answered 500)");
    assertThat(updates.get(5).reason()).isEmpty();
  }

  @Test
  void tcpHealthCheckPassesWhileThePortListensAndKillsOnceItIsClosed() throws Exception {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    closeAtEnd.add(server);
    Thread acceptor = new Thread(() -> {
      while (true) {
        try (Socket s = server.accept()) {
          s.getInputStream().close();
        } catch (IOException closed) {
          return;
        }
      }
    }, "test-tcp-acceptor");
    acceptor.setDaemon(true);
    acceptor.start();
    int port = server.getLocalPort();
    start(Clock.systemUTC());

    agent.launch(task("t.1", health(Probe.tcp(CheckPort.fixed(port)), 1), null));
    awaitUpdates("t.1", 2);
    server.close();
    TaskStatus killed = agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING",
        "RUNNING healthy=true " + HEALTH,
        "RUNNING healthy=false " + HEALTH,
        "KILLING",
        "KILLED healthy=false");
    assertThat(killed.message().orElseThrow()).startsWith("killed after 1 consecutive failed"
        + " health check (last: TCP connection to 127.0.0.1:" + port
        + " failed: java.net.ConnectException");
  }

  @Test
  void failingCommandHealthCheckWithoutTaskKillingStateSendsEachFailureThenKilled()
      throws Exception {
    agent = new FakeExecutorBackend();
    start(Clock.systemUTC());

    agent.launch(task("t.1", health(Probe.command("false"), 2), null));
    TaskStatus killed = agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING",
        "RUNNING healthy=false " + HEALTH,
        "RUNNING healthy=false " + HEALTH,
        "KILLED healthy=false");
    assertThat(killed.message()).contains(
        "killed after 2 consecutive failed health checks (last: command `false` exited 1)");
  }

  @Test
  void commandHealthCheckRunsInTheSandboxWithTheTaskEnvironmentAndTurnsHealthyAgain()
      throws Exception {
    Files.writeString(sandbox.resolve("ok"), "");
    start(Clock.systemUTC());
    LaunchedTask task = new LaunchedTask("t.1", "name-t.1", new byte[0],
        Map.of(TaskSpec.ENV_LABEL_PREFIX + "GREETING", "hello"), Resources.empty(),
        FakeExecutorBackend.EXECUTOR_ID, FakeExecutorBackend.FRAMEWORK_ID,
        FakeExecutorBackend.AGENT_ID, Optional.empty(),
        Optional.of(health(Probe.command("test \"$GREETING\" = hello && test -f ok"), 1000)),
        Optional.empty());

    agent.launch(task);
    awaitUpdates("t.1", 2);
    Files.delete(sandbox.resolve("ok"));
    awaitUpdates("t.1", 3);
    Files.writeString(sandbox.resolve("ok"), "");
    await(() -> {
      List<String> now = summary("t.1"); // one snapshot: updates keep coming meanwhile
      return now.size() > 3 && now.get(now.size() - 1).contains("healthy=true");
    }, "healthy again");

    List<String> summary = summary("t.1");
    List<String> expected = new ArrayList<>(List.of("RUNNING", "RUNNING healthy=true " + HEALTH));
    for (int i = 2; i < summary.size() - 1; i++) {
      expected.add("RUNNING healthy=false " + HEALTH);
    }
    expected.add("RUNNING healthy=true " + HEALTH);
    assertThat(summary).containsExactlyElementsOf(expected);
  }

  @Test
  void failuresWithinTheGracePeriodDoNotCountUntilTheClockPassesIt() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    start(clock);
    HealthCheck check = health(Probe.command("echo x >> probes; false"), 1).toBuilder()
        .gracePeriod(Duration.ofSeconds(10)).build();

    agent.launch(task("t.1", check, null));
    awaitUpdates("t.1", 1);
    await(() -> lines(sandbox.resolve("probes")) >= 3, "three failing probes");
    assertThat(summary("t.1")).containsExactly("RUNNING");

    clock.now = clock.now.plusSeconds(11);
    agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING", "RUNNING healthy=false " + HEALTH, "KILLING", "KILLED healthy=false");
  }

  @Test
  void failuresWithinTheGracePeriodCountOnceTheTaskWasHealthy() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    start(clock);
    Files.writeString(sandbox.resolve("ok"), "");
    HealthCheck check = health(Probe.command("test -f ok"), 2).toBuilder()
        .gracePeriod(Duration.ofSeconds(10)).build();

    agent.launch(task("t.1", check, null));
    awaitUpdates("t.1", 2);
    Files.delete(sandbox.resolve("ok"));
    agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING",
        "RUNNING healthy=true " + HEALTH,
        "RUNNING healthy=false " + HEALTH,
        "RUNNING healthy=false " + HEALTH,
        "KILLING",
        "KILLED healthy=false");
  }

  @Test
  void aCommandProbeThatTakesLongerThanItsTimeoutFailsAndIsKilled() throws Exception {
    start(Clock.systemUTC());
    HealthCheck check = health(Probe.command("sleep 7.31"), 1).toBuilder()
        .timeout(Duration.ofMillis(100)).build();

    agent.launch(task("t.1", check, null));
    TaskStatus killed = agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING", "RUNNING healthy=false " + HEALTH, "KILLING", "KILLED healthy=false");
    assertThat(killed.message()).contains("killed after 1 consecutive failed health check"
        + " (last: command `sleep 7.31` timed out after 100 ms)");
    await(() -> ProcessHandle.allProcesses().noneMatch(p -> p.info().commandLine()
        .orElse("").contains("sleep 7.31")), "the timed-out probe's process killed");
  }

  @Test
  void anHttpProbeWithoutAnAnswerWithinItsTimeoutFails() throws Exception {
    CountDownLatch never = new CountDownLatch(1);
    closeAtEnd.add(never::countDown);
    int port = httpServer(new AtomicInteger(200), new AtomicInteger(), never);
    start(Clock.systemUTC());
    HealthCheck check = health(Probe.http(CheckPort.fixed(port), "/slow"), 1).toBuilder()
        .timeout(Duration.ofMillis(100)).build();

    agent.launch(task("t.1", check, null));
    TaskStatus killed = agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING", "RUNNING healthy=false " + HEALTH, "KILLING", "KILLED healthy=false");
    assertThat(killed.message()).contains("killed after 1 consecutive failed health check"
        + " (last: HTTP GET http://127.0.0.1:" + port + "/slow timed out after 100 ms)");
  }

  @Test
  void aHealthyTaskKilledByTheSchedulerEndsWithoutAHealthVerdict() throws Exception {
    start(Clock.systemUTC());

    agent.launch(task("t.1", health(Probe.command("true"), 1), null));
    awaitUpdates("t.1", 2);
    agent.kill("t.1");
    TaskStatus killed = agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING", "RUNNING healthy=true " + HEALTH, "KILLING", "KILLED");
    assertThat(killed.message()).contains("killed");
  }

  @Test
  void probesStopWhenTheTaskEndsAndNoUpdateFollowsItsEnd() throws Exception {
    start(Clock.systemUTC(), context -> {
      release.await();
    });

    agent.launch(task("t.1", health(Probe.command("echo x >> probes"), 1), null));
    await(() -> lines(sandbox.resolve("probes")) >= 3, "three probes");
    release.countDown();
    agent.awaitUpdate("t.1", FINISHED, WAIT);
    long afterEnd = lines(sandbox.resolve("probes"));
    Thread.sleep(10 * INTERVAL.toMillis());

    assertThat(lines(sandbox.resolve("probes"))).as("at most a probe that was running")
        .isLessThanOrEqualTo(afterEnd + 1);
    assertThat(summary("t.1")).containsExactly(
        "RUNNING", "RUNNING healthy=true " + HEALTH, "FINISHED");
  }

  @Test
  void checkThreadsEndWhenTheExecutorShutsDown() throws Exception {
    start(Clock.systemUTC());
    agent.launch(task("t.1", health(Probe.command("true"), 1),
        check(Probe.command("true"))));
    awaitUpdates("t.1", 3);
    assertThat(checkThreads()).isNotEmpty();

    agent.shutdown();
    running.get(10, TimeUnit.SECONDS);

    await(() -> checkThreads().isEmpty(), "check threads ended, but " + checkThreads());
  }

  // ---------------------------------------------------------------- checks

  @Test
  void readinessCheckReportsEachChangeOfItsResultAndEveryUpdateCarriesIt() throws Exception {
    start(Clock.systemUTC(), new TaskHandler() {
      @Override
      public void run(TaskContext context) throws Exception {
        context.ready();
        new CountDownLatch(1).await();
      }

      @Override
      public boolean reportsReadiness() {
        return true;
      }
    });

    agent.launch(task("t.1", null, check(Probe.command("echo x >> probes; test -f ready"))));
    awaitUpdates("t.1", 3);
    long probes = lines(sandbox.resolve("probes"));
    await(() -> lines(sandbox.resolve("probes")) >= probes + 3, "three unchanged results");
    assertThat(summary("t.1")).hasSize(3);
    Files.writeString(sandbox.resolve("ready"), "");
    awaitUpdates("t.1", 4);
    agent.kill("t.1");
    agent.awaitUpdate("t.1", KILLED, WAIT);

    assertThat(summary("t.1")).containsExactly(
        "STARTING " + PENDING,
        "RUNNING " + PENDING,
        "RUNNING " + CHECK + " check=COMMAND exit code 1",
        "RUNNING " + CHECK + " check=COMMAND exit code 0",
        "KILLING " + PENDING,
        "KILLED " + PENDING);
  }

  @Test
  void aCheckThatTimesOutOrGetsNoHttpAnswerHasNoResultAndSendsNoUpdate() throws Exception {
    start(Clock.systemUTC());
    ReadinessCheck slow = check(Probe.command("echo x >> probes; sleep 5"))
        .timeout(Duration.ofMillis(100));
    ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    int unused = closed.getLocalPort();
    closed.close();

    agent.launch(task("t.1", null, slow));
    agent.launch(task("t.2", null, check(Probe.http(CheckPort.fixed(unused), "/"))));
    agent.launch(task("t.3", null, check(Probe.tcp(CheckPort.fixed(unused)))));
    await(() -> lines(sandbox.resolve("probes")) >= 2, "two timed-out probes");
    awaitUpdates("t.3", 2);

    assertThat(summary("t.1")).containsExactly("RUNNING " + PENDING);
    assertThat(summary("t.2")).containsExactly("RUNNING check=HTTP status (none yet)");
    assertThat(summary("t.3")).containsExactly(
        "RUNNING check=TCP (none yet)", "RUNNING " + CHECK + " check=TCP refused");
  }

  @Test
  void httpCheckReportsTheStatusOfEachNewAnswer() throws Exception {
    AtomicInteger status = new AtomicInteger(503);
    int port = httpServer(status, new AtomicInteger(), null);
    start(Clock.systemUTC());

    agent.launch(task("t.1", null, check(Probe.http(CheckPort.fixed(port), "/ready"))));
    awaitUpdates("t.1", 2);
    status.set(200);
    awaitUpdates("t.1", 3);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING check=HTTP status (none yet)",
        "RUNNING " + CHECK + " check=HTTP status 503",
        "RUNNING " + CHECK + " check=HTTP status 200");
  }

  @Test
  void httpCheckFollowsRedirectsAndReportsTheLastAnswerAsMesosCurlDoes() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ready", exchange -> {
      exchange.getResponseHeaders().set("Location", "/moved");
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    server.createContext("/moved", exchange -> {
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
    server.start();
    closeAtEnd.add(() -> server.stop(0));
    start(Clock.systemUTC());

    agent.launch(task("t.1", null,
        check(Probe.http(CheckPort.fixed(server.getAddress().getPort()), "/ready"))));
    awaitUpdates("t.1", 2);

    assertThat(summary("t.1")).containsExactly(
        "RUNNING check=HTTP status (none yet)",
        "RUNNING " + CHECK + " check=HTTP status 500");
  }

  @Test
  void progressUpdatesCarryTheLatestHealthAndCheckResult() throws Exception {
    CountDownLatch progress = new CountDownLatch(1);
    start(ExecutorRuntime.builder().backend(agent).sandbox(sandbox)
        .killGracePeriod(Duration.ofMillis(300)).progressInterval(Duration.ZERO).build(),
        context -> {
          progress.await();
          context.progress("half way");
          new CountDownLatch(1).await();
        });

    agent.launch(task("t.1", health(Probe.command("true"), 3), check(Probe.command("true"))));
    awaitUpdates("t.1", 3);
    progress.countDown();
    awaitUpdates("t.1", 4);

    List<String> summary = summary("t.1");
    assertThat(summary.get(0)).isEqualTo("RUNNING " + PENDING);
    // The health check and the check run independently: either may report first, and each
    // update carries whatever the other had found by then.
    String health = "RUNNING healthy=true " + HEALTH + " ("
        + java.util.regex.Pattern.quote(PENDING) + "|check=COMMAND exit code 0)";
    String check = "RUNNING (healthy=true )?" + CHECK + " check=COMMAND exit code 0";
    assertThat(summary.subList(1, 3)).satisfiesExactlyInAnyOrder(
        line -> assertThat(line).matches(health),
        line -> assertThat(line).matches(check));
    assertThat(summary.get(3)).isEqualTo("RUNNING healthy=true check=COMMAND exit code 0");
    assertThat(agent.updates("t.1").get(3).message()).contains("half way");
    assertThat(summary).hasSize(4);
  }

  // ---------------------------------------------------------------- helpers

  private static HealthCheck health(Probe probe, int consecutiveFailures) {
    return HealthCheck.builder(probe).delay(Duration.ZERO).interval(INTERVAL)
        .timeout(Duration.ofSeconds(5)).gracePeriod(Duration.ZERO)
        .consecutiveFailures(consecutiveFailures).build();
  }

  private static ReadinessCheck check(Probe probe) {
    return new ReadinessCheck(probe, Duration.ZERO, INTERVAL, Duration.ofSeconds(5));
  }

  private static LaunchedTask task(String id, HealthCheck health, ReadinessCheck check) {
    return new LaunchedTask(id, "name-" + id, new byte[0], Map.of(), Resources.empty(),
        FakeExecutorBackend.EXECUTOR_ID, FakeExecutorBackend.FRAMEWORK_ID,
        FakeExecutorBackend.AGENT_ID, Optional.empty(), Optional.ofNullable(health),
        Optional.ofNullable(check));
  }

  private void start(Clock clock) {
    start(clock, context -> new CountDownLatch(1).await());
  }

  private void start(Clock clock, TaskHandler handler) {
    start(ExecutorRuntime.builder().backend(agent).sandbox(sandbox).clock(clock)
        .killGracePeriod(Duration.ofMillis(300)).shutdownGracePeriod(Duration.ofSeconds(2))
        .build(), handler);
  }

  private void start(ExecutorRuntime runtime, TaskHandler handler) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        f.complete(runtime.run(handler));
      } catch (Throwable e) {
        f.completeExceptionally(e);
      }
    }, "test-executor-main");
    t.setDaemon(true);
    t.start();
    running = f;
    agent.events();
  }

  /** An HTTP server on 127.0.0.1 answering {@code status}; {@code hold} blocks each answer. */
  private int httpServer(AtomicInteger status, AtomicInteger requests, CountDownLatch hold)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "test-http");
      t.setDaemon(true);
      return t;
    }));
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      if (hold != null) {
        try {
          hold.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(status.get(), -1);
      exchange.close();
    });
    server.start();
    closeAtEnd.add(() -> server.stop(0));
    return server.getAddress().getPort();
  }

  /** One line per update: state, healthy, reason and check_status, each when present. */
  private List<String> summary(String taskId) {
    return agent.updates(taskId).stream().map(u -> u.state()
        + u.healthy().map(h -> " healthy=" + h).orElse("")
        + u.reason().map(r -> " " + r).orElse("")
        + u.checkStatus().map(c -> " check=" + c).orElse("")).toList();
  }

  private void awaitUpdates(String taskId, int count) {
    await(() -> agent.updates(taskId).size() >= count,
        count + " updates of " + taskId + ", but had " + summary(taskId));
  }

  private static void await(java.util.function.BooleanSupplier condition, String what) {
    FakeExecutorBackend.await(condition, WAIT, () -> "timed out waiting for " + what);
  }

  private static long lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  private static List<String> checkThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("mesoskit-executor-checks")
            || n.startsWith("mesoskit-executor-probe")).toList();
  }

  /** A clock the test moves. */
  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
