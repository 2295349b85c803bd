package dev.mesoskit.examples.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.local.IsolatedHost;
import dev.mesoskit.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example on a 2-agent LocalCluster whose agents are other hosts as far as the network goes
 * ({@code isolatedNetwork}): the URLs it prints name the agents' addresses and answer a client on
 * a third host, not through loopback. Skipped without root.
 */
@Timeout(300)
class IsolatedNetworkIT {
  private static final Path EXECUTOR_JAR =
      Path.of("target/webserver-executor.jar").toAbsolutePath();
  private static final Pattern UP = Pattern.compile(
      "(web-\\d+) is up at (http://\\S+/) \\(attempt (\\d+), (\\S+)\\)");

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final CompletableFuture<String> stop = new CompletableFuture<>();
  private LocalCluster cluster;
  private CompletableFuture<Integer> exit;

  @TempDir
  Path dir;

  @BeforeAll
  static void needsRoot() {
    Assumptions.assumeTrue(LocalCluster.isolatedNetworkUnavailable().isEmpty(),
        () -> "skipped: " + LocalCluster.isolatedNetworkUnavailable().orElse(""));
  }

  @AfterEach
  void stopEverything() throws Exception {
    stop.complete("test over");
    if (exit != null) {
      exit.get(2, TimeUnit.MINUTES);
    }
    if (cluster != null) {
      String prefix = cluster.isolatedNetworkPrefix().orElseThrow();
      cluster.close();
      assertThat(leftovers(prefix)).as("namespaces and links left by %s", prefix).isEmpty();
    }
    System.out.println(console.toString(StandardCharsets.UTF_8));
  }

  /** Every namespace and link whose name starts with {@code prefix-}, as {@code ip} lists them. */
  private static List<String> leftovers(String prefix) throws Exception {
    List<String> left = new ArrayList<>();
    for (List<String> command : List.of(List.of("ip", "netns", "list"),
        List.of("ip", "-o", "link", "show"))) {
      for (String line : exec(command).split("\n")) {
        String name = line.contains(": ") ? line.split(":\\s+")[1] : line;
        if (name.startsWith(prefix + "-")) {
          left.add(line);
        }
      }
    }
    return left;
  }

  private static String exec(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out.strip();
  }

  @Test
  void thePrintedUrlsAnswerAClientOnAnotherHostAndLoopbackDoesNot() throws Exception {
    cluster = LocalCluster.builder().agents(2).isolatedNetwork(true)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31199]")
        .allocationInterval(Duration.ofMillis(50))
        .executorShutdownGracePeriod(Duration.ofSeconds(3))
        .start();
    String greeting = "Hello from an isolated agent";
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    String[] args = {"--master=" + cluster.masterAddress(), "--executor-jar",
        EXECUTOR_JAR.toString(), "--framework-id-file", dir.resolve("id").toString(),
        "--instances", "2", "--text", greeting};
    exit = CompletableFuture.supplyAsync(() -> WebServers.run(out, stop, args));
    List<URI> urls = awaitUrls(2);
    String bridge = cluster.masterAddress().substring(0, cluster.masterAddress().indexOf(':'));
    for (URI url : urls) {
      assertThat(url.getHost()).as("an agent's own address").startsWith("10.213.")
          .isNotEqualTo(bridge).isNotEqualTo("127.0.0.1");
      // tutorial:begin client-host
      IsolatedHost client = cluster.addClientHost(); // a third machine on the cluster's bridge
      String answer = exec(client.command(List.of("curl", "-sS", "--max-time", "10",
          url.toString())));                         // ip netns exec <client> curl <url>
      // tutorial:end client-host
      assertThat(answer).as("%s from %s (%s)", url, client.namespace(), client.address())
          .isEqualTo(greeting);
      String loopback = "http://127.0.0.1:" + url.getPort() + "/";
      assertThat(exec(client.command(List.of("sh", "-c", "curl -sS --max-time 10 " + loopback
          + " >/dev/null 2>&1; echo exit=$?"))))
          .as("%s from the client host", loopback).isEqualTo("exit=7");
    }
    stop.complete("SIGTERM");
    assertThat(exit.get(2, TimeUnit.MINUTES)).isZero();
  }

  private List<URI> awaitUrls(int count) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (true) {
      List<URI> urls = new ArrayList<>();
      Matcher m = UP.matcher(console.toString(StandardCharsets.UTF_8));
      while (m.find()) {
        urls.add(URI.create(m.group(2)));
      }
      if (urls.size() >= count) {
        return urls;
      }
      assertThat(System.nanoTime()).as("servers up:\n%s", console).isLessThan(deadline);
      Thread.sleep(100);
    }
  }
}
