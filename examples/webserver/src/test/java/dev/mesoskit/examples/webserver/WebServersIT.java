package dev.mesoskit.examples.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example on a 2-agent local cluster: the printed URLs answer, a killed server comes back,
 * {@code --abort-on-failure} aborts, and a stop kills everything.
 */
@Timeout(300)
class WebServersIT {
  private static final Path JAR = Path.of("target/webserver.jar").toAbsolutePath();
  private static final Path EXECUTOR_JAR = // what agents run: JAR names it in its manifest
      Path.of("target/webserver-executor.jar").toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final String EXECUTOR_CLASS = WebServerExecutor.class.getName();
  private static final Pattern UP = Pattern.compile(
      "(web-\\d+) is up at (http://\\S+/) \\(attempt (\\d+), (\\S+)\\)");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private LocalCluster cluster;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final CompletableFuture<String> stop = new CompletableFuture<>();
  private CompletableFuture<Integer> exit;

  @TempDir
  Path dir;

  @BeforeEach
  void startCluster() {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31199]") // below the ephemeral ports
        .allocationInterval(Duration.ofMillis(50))
        .executorShutdownGracePeriod(Duration.ofSeconds(3))
        .start();
  }

  @AfterEach
  void stopEverything() throws Exception {
    stop.complete("test over");
    if (exit != null) {
      exit.get(2, TimeUnit.MINUTES);
    }
    cluster.close();
    System.out.println(text());
  }

  /** Runs the example in this JVM against the test's cluster. */
  private void start(String... args) {
    List<String> all = new ArrayList<>(List.of("--master=" + cluster.masterAddress(),
        "--executor-jar", EXECUTOR_JAR.toString(), "--framework-id-file", dir.resolve("id").toString()));
    all.addAll(List.of(args));
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    exit = CompletableFuture.supplyAsync(
        () -> WebServers.run(out, stop, all.toArray(String[]::new)));
  }

  private String text() {
    return console.toString(StandardCharsets.UTF_8);
  }

  /** A printed "is up" line: the server, its URL, the attempt and the agent. */
  record Up(String server, URI url, int attempt, String agent) {}

  private static List<Up> ups(String text) {
    List<Up> ups = new ArrayList<>();
    Matcher m = UP.matcher(text);
    while (m.find()) {
      ups.add(new Up(m.group(1), URI.create(m.group(2)), Integer.parseInt(m.group(3)),
          m.group(4)));
    }
    return ups;
  }

  /** Waits until the console shows {@code server} up in {@code attempt}. */
  private Up awaitUp(Supplier<String> console, String server, int attempt) throws Exception {
    return await(() -> ups(console.get()).stream()
        .filter(u -> u.server().equals(server) && u.attempt() == attempt).findFirst()
        .orElse(null), () -> server + " attempt " + attempt + " never came up:\n" + console.get());
  }

  private static <T> T await(Supplier<T> value, Supplier<String> failure) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      T v = value.get();
      if (v != null) {
        return v;
      }
      assertThat(System.nanoTime()).as(failure).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static HttpResponse<String> get(URI url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static void assertAnswers(URI url, String text) throws Exception {
    HttpResponse<String> response = get(url);
    assertThat(response.statusCode()).as(url.toString()).isEqualTo(200);
    assertThat(response.body()).as(url.toString()).isEqualTo(text);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/plain; charset=utf-8");
  }

  private String frameworkId() {
    Matcher m = Pattern.compile("\"frameworks\":\\[\\{\"id\":\"([^\"]+)\"")
        .matcher(cluster.stateJson());
    assertThat(m.find()).as("no framework in %s", cluster.stateJson()).isTrue();
    return m.group(1);
  }

  /** The id of the example's executor on an agent (webserver-<digest of its command>). */
  private String executorOn(String agent) {
    Matcher m = Pattern.compile("\\{\"id\":\"(webserver-[0-9a-f]{12})\",\"slave_id\":\""
        + Pattern.quote(agent) + "\"").matcher(cluster.stateJson());
    assertThat(m.find()).as("no webserver executor on %s in %s", agent, cluster.stateJson())
        .isTrue();
    return m.group(1);
  }

  @Test
  void bothServersAnswerWithTheTextAndAKilledOneComesBackOnANewOfferAndAnswers() throws Exception {
    String greeting = "Hello from the IT, naïve café ✓";
    start("--instances", "2", "--text", greeting);
    Up web1 = awaitUp(this::text, "web-1", 1);
    Up web2 = awaitUp(this::text, "web-2", 1);
    assertAnswers(web1.url(), greeting);
    assertAnswers(web2.url(), greeting);
    assertThat(web1.url()).isNotEqualTo(web2.url());

    cluster.killExecutor(web1.agent(), frameworkId(), executorOn(web1.agent()));

    Up back = awaitUp(this::text, "web-1", 2);
    assertThat(text()).contains("web-1 died, relaunching: attempt 1 ended TASK_FAILED"
        + " (REASON_EXECUTOR_TERMINATED)");
    assertAnswers(back.url(), greeting);
    if (web2.agent().equals(web1.agent())) { // the same executor ran both
      assertAnswers(awaitUp(this::text, "web-2", 2).url(), greeting);
    } else {
      assertAnswers(web2.url(), greeting);
      assertThat(ups(text())).filteredOn(u -> u.server().equals("web-2")).hasSize(1);
    }

    stop.complete("SIGTERM");
    assertThat(exit.get(2, TimeUnit.MINUTES)).isZero();
    assertThat(text()).contains("webserver: stopping (SIGTERM)\n  web-1 KILLED\n  web-2 KILLED\n");
    assertRefused(back.url());
    assertRefused(web2.url());
    // No teardown: the framework stays registered, inactive, for a failover.
    String inactive = "\"id\":\"" + frameworkId() + "\",\"name\":\"webserver\",\"active\":false";
    await(() -> cluster.stateJson().contains(inactive) ? true : null,
        () -> "framework not inactive: " + cluster.stateJson());
  }

  @Test
  void abortOnFailureKillsTheOthersTearsDownAndExitsOneWhenAServerIsKilled() throws Exception {
    start("--instances", "2", "--abort-on-failure");
    Up web1 = awaitUp(this::text, "web-1", 1);
    Up web2 = awaitUp(this::text, "web-2", 1);
    assertAnswers(web1.url(), "Hello from Server");
    String id = frameworkId();

    cluster.killExecutor(web1.agent(), id, executorOn(web1.agent()));

    assertThat(exit.get(2, TimeUnit.MINUTES)).isEqualTo(1);
    assertThat(text()).contains("web-1 ended FAILED: failed after 1 attempt: TASK_FAILED"
        + " (REASON_EXECUTOR_TERMINATED)")
        .contains("webserver: stopping (web-1 ended FAILED, --abort-on-failure)\n  web-1 FAILED\n")
        .doesNotContain("relaunching");
    assertRefused(web2.url());
    assertThat(cluster.stateJson()).contains("\"completed_framework_ids\":[\"" + id + "\"]");
  }

  @Test
  void freshTearsDownTheFrameworkOfTheLastRunInsteadOfFailingOverToIt() throws Exception {
    start("--instances", "1");
    awaitUp(this::text, "web-1", 1);
    String last = frameworkId();
    stop.complete("SIGINT");
    assertThat(exit.get(2, TimeUnit.MINUTES)).isZero();
    assertThat(cluster.stateJson()).contains("\"id\":\"" + last + "\",\"name\":\"webserver\","
        + "\"active\":false");

    ByteArrayOutputStream again = new ByteArrayOutputStream();
    CompletableFuture<String> stopAgain = new CompletableFuture<>();
    CompletableFuture<Integer> exitAgain = CompletableFuture.supplyAsync(() -> WebServers.run(
        new PrintStream(again, true, StandardCharsets.UTF_8), stopAgain,
        "--master=" + cluster.masterAddress(), "--executor-jar", EXECUTOR_JAR.toString(),
        "--framework-id-file", dir.resolve("id").toString(), "--instances", "1", "--fresh"));
    try {
      awaitUp(() -> again.toString(StandardCharsets.UTF_8), "web-1", 1);
      assertThat(cluster.stateJson()).contains("\"completed_framework_ids\":[\"" + last + "\"]");
      assertThat(frameworkId()).isNotEqualTo(last);
    } finally {
      stopAgain.complete("test over");
      assertThat(exitAgain.get(2, TimeUnit.MINUTES)).isZero();
    }
  }

  @Test
  void teardownOnStopKillsTheServersAndRemovesTheFramework() throws Exception {
    start("--teardown");
    Up web1 = awaitUp(this::text, "web-1", 1);
    assertAnswers(web1.url(), "Hello from Server");
    String id = frameworkId();

    stop.complete("SIGINT");

    assertThat(exit.get(2, TimeUnit.MINUTES)).isZero();
    assertThat(text()).contains("webserver: stopping (SIGINT)\n  web-1 KILLED\n");
    assertRefused(web1.url());
    assertThat(cluster.stateJson()).contains("\"completed_framework_ids\":[\"" + id + "\"]");
  }

  @Test
  void sigtermToTheSchedulerProcessKillsEveryServerAndLeavesNoProcessBehind() throws Exception {
    // Output goes to a file: Process.destroy() closes the pipes of the process it signals.
    Path log = dir.resolve("scheduler.log");
    Process scheduler = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString(), "--instances", "2").redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    Supplier<String> output = () -> {
      try {
        return Files.readString(log, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    try {
      Up web1 = awaitUp(output, "web-1", 1);
      Up web2 = awaitUp(output, "web-2", 1);
      assertAnswers(web1.url(), "Hello from Server");
      assertAnswers(web2.url(), "Hello from Server");
      Set<ProcessHandle> executors = scheduler.toHandle().descendants()
          .filter(p -> p.info().commandLine().orElse("").contains(EXECUTOR_CLASS))
          .collect(Collectors.toSet());
      assertThat(executors).as("one executor per agent that runs a server")
          .hasSize(Set.of(web1.agent(), web2.agent()).size());

      scheduler.destroy(); // SIGTERM

      assertThat(scheduler.waitFor(2, TimeUnit.MINUTES)).as(output::get).isTrue();
      assertThat(scheduler.exitValue()).as(output::get).isZero();
      assertThat(output.get())
          .contains("webserver: stopping (SIGTERM)\n  web-1 KILLED\n  web-2 KILLED\n");
      for (ProcessHandle executor : executors) {
        assertThat(executor.isAlive()).as("executor %s still alive", executor.pid()).isFalse();
      }
      assertThat(ProcessHandle.allProcesses()
          .filter(p -> p.info().commandLine().orElse("").contains(EXECUTOR_CLASS))
          .map(p -> p.pid() + " " + p.info().commandLine().orElse("")))
          .as("no executor process anywhere").isEmpty();
      assertRefused(web1.url());
      assertRefused(web2.url());
    } finally {
      scheduler.destroyForcibly();
      System.out.println(output.get());
    }
  }

  private static void assertRefused(URI url) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 2_000);
      throw new AssertionError("still accepting connections: " + url);
    } catch (ConnectException expected) {
      // nothing listens any more
    } catch (IOException e) {
      throw new AssertionError("connecting to " + url + " failed oddly: " + e, e);
    }
  }
}
