package dev.mesoskit.examples.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.local.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example's commands on stdin, against the program run as a process ({@code java -jar}) on a
 * 2-agent local cluster: {@code instances N} scales, {@code text NEW TEXT} rolls every server
 * over to the new text, and the end of stdin leaves the servers running.
 */
@Timeout(300)
class WebServerControlIT {
  private static final Path JAR = Path.of("target/webserver.jar").toAbsolutePath();
  private static final Path EXECUTOR_JAR = Path.of("target/webserver-executor.jar")
      .toAbsolutePath();
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Pattern UP =
      Pattern.compile("(web-\\d+) is up at (http://\\S+/) \\(attempt 1,");
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private LocalCluster cluster;
  private Process scheduler;
  private Path log;

  @TempDir
  Path dir;

  @BeforeEach
  void startCluster() {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31199]")
        .allocationInterval(Duration.ofMillis(50))
        .executorShutdownGracePeriod(Duration.ofSeconds(3))
        .start();
  }

  @AfterEach
  void stopEverything() throws Exception {
    if (scheduler != null) {
      scheduler.destroyForcibly();
      scheduler.waitFor(1, TimeUnit.MINUTES);
      System.out.println(output());
    }
    cluster.close();
  }

  private String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL each server printed when its first attempt came up. */
  private Map<String, URI> urls() {
    Map<String, URI> urls = new java.util.TreeMap<>();
    Matcher m = UP.matcher(output());
    while (m.find()) {
      urls.put(m.group(1), URI.create(m.group(2)));
    }
    return urls;
  }

  /** Waits until every one of {@code servers} printed its URL; returns their URLs. */
  private List<URI> awaitUp(String... servers) throws Exception {
    await(() -> urls().keySet().containsAll(List.of(servers)),
        () -> List.of(servers) + " never all came up:\n" + output());
    return java.util.Arrays.stream(servers).map(s -> urls().get(s)).toList();
  }

  private static void await(Supplier<Boolean> condition, Supplier<String> failure)
      throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.get()) {
      assertThat(System.nanoTime()).as(failure).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void assertAnswers(URI url, String text) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(url)
        .timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(url.toString()).isEqualTo(200);
    assertThat(response.body()).as(url.toString()).isEqualTo(text);
  }

  @Test
  void instancesScalesTheServersAndTextRollsEveryOneOverToTheNewText() throws Exception {
    log = dir.resolve("scheduler.log");
    scheduler = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        JAR.toString(), "--master=" + cluster.masterAddress(), "--executor-jar",
        EXECUTOR_JAR.toString(), "--framework-id-file", dir.resolve("id").toString(),
        "--instances", "2").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Writer stdin = new java.io.OutputStreamWriter(scheduler.getOutputStream(),
        StandardCharsets.UTF_8);
    awaitUp("web-1", "web-2");

    stdin.write("instances 3\n");
    stdin.flush();

    for (URI url : awaitUp("web-1", "web-2", "web-3")) {
      assertAnswers(url, "Hello from Server");
    }
    assertThat(output()).contains("\nscaled to 3: web-1 web-2 web-3\n");

    stdin.write("text hello again\n");
    stdin.flush();

    await(() -> output().contains("\nupdate done: replaced 3 instances\n"),
        () -> "the update never ended:\n" + output());
    for (URI url : awaitUp("web-4", "web-5", "web-6")) {
      assertAnswers(url, "hello again");
    }
    assertThat(output()).contains("\nupdating to \"hello again\", one server at a time\n")
        .doesNotContain("rolled back").doesNotContain("usage:");

    stdin.write("grow please\n");
    stdin.close(); // the end of stdin stops the reading, not the servers
    await(() -> output().contains("\nusage: instances N | text NEW TEXT\n"),
        () -> "no usage line:\n" + output());
    Thread.sleep(500);
    assertThat(scheduler.isAlive()).as(this::output).isTrue();
    assertAnswers(urls().get("web-6"), "hello again");

    scheduler.destroy(); // SIGTERM
    assertThat(scheduler.waitFor(2, TimeUnit.MINUTES)).as(this::output).isTrue();
    assertThat(scheduler.exitValue()).as(this::output).isZero();
    assertThat(output()).contains(
        "webserver: stopping (SIGTERM)\n  web-4 KILLED\n  web-5 KILLED\n  web-6 KILLED\n");
  }
}
