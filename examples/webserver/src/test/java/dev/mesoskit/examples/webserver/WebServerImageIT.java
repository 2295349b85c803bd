package dev.mesoskit.examples.webserver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mesoskit.local.BusyboxImage;
import dev.mesoskit.local.ContainerRuntime;
import dev.mesoskit.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --image}: the servers run busybox's httpd in a container image (through podman on the
 * local cluster), watched by the HTTP health check on {@code /}. A server stopped with SIGSTOP
 * still holds its port but no longer answers: its health check fails, the command executor kills
 * it and the service relaunches it. Skipped, saying why, where podman cannot run images.
 */
@Timeout(300)
class WebServerImageIT {
  private static final Pattern UP = Pattern.compile(
      "(web-\\d+) is up at (http://\\S+/) \\(attempt (\\d+), (\\S+)\\)");
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final CompletableFuture<String> stop = new CompletableFuture<>();
  private CompletableFuture<Integer> exit;
  private LocalCluster cluster;
  private Optional<ProcessHandle> stopped = Optional.empty();

  @TempDir
  Path dir;

  @AfterEach
  void stopEverything() throws Exception {
    stop.complete("test over");
    stopped.ifPresent(p -> signal("CONT", p.pid())); // never leave a stopped process behind
    if (exit != null) {
      exit.get(2, TimeUnit.MINUTES);
    }
    if (cluster != null) {
      cluster.close();
    }
    System.out.println(console.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aStoppedServerFailsItsHealthCheckIsKilledAndRelaunchedAndAnswersAgain() throws Exception {
    Optional<String> unusable = BusyboxImage.ensure(dir);
    assumeThat(unusable).as("podman cannot run images here: %s", unusable.orElse("")).isEmpty();
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31200-31299]")
        .allocationInterval(Duration.ofMillis(50))
        .containerRuntime(ContainerRuntime.PODMAN)
        .start();
    PrintStream out = new PrintStream(console, true, StandardCharsets.UTF_8);
    exit = CompletableFuture.supplyAsync(() -> WebServers.run(out, stop,
        "--master=" + cluster.masterAddress(), "--framework-id-file", dir.resolve("id").toString(),
        "--image", BusyboxImage.NAME, "--text", "hello from an image"));

    URI first = awaitUp("web-1", 1);
    assertAnswers(first, "hello from an image");
    ProcessHandle httpd = await(() -> ProcessHandle.allProcesses()
        .filter(p -> commandLine(p).contains("httpd -f -p " + first.getPort() + " "))
        .findFirst().orElse(null), () -> "no httpd process serves " + first);
    signal("STOP", httpd.pid());
    stopped = Optional.of(httpd);

    URI second = awaitUp("web-1", 2);
    assertThat(text()).contains("web-1 died, relaunching: ");
    assertThat(httpd.isAlive()).as("the stopped server was killed").isFalse();
    assertAnswers(second, "hello from an image");

    stop.complete("SIGTERM");
    assertThat(exit.get(2, TimeUnit.MINUTES)).as(this::text).isZero();
    assertThat(text()).contains("webserver: stopping (SIGTERM)\n  web-1 KILLED\n");
  }

  private String text() {
    return console.toString(StandardCharsets.UTF_8);
  }

  private URI awaitUp(String server, int attempt) throws Exception {
    return await(() -> {
      Matcher m = UP.matcher(text());
      while (m.find()) {
        if (m.group(1).equals(server) && Integer.parseInt(m.group(3)) == attempt) {
          return URI.create(m.group(2));
        }
      }
      return null;
    }, () -> server + " attempt " + attempt + " never came up:\n" + text());
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

  private static void assertAnswers(URI url, String text) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).as(url.toString()).isEqualTo(200);
    assertThat(response.body()).as(url.toString()).isEqualTo(text);
  }

  /** The process's arguments from /proc (a container's processes show none through Java). */
  private static String commandLine(ProcessHandle process) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()),
          "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (java.io.IOException e) {
      return ""; // gone meanwhile
    }
  }

  private static void signal(String signal, long pid) {
    try {
      Process kill = new ProcessBuilder(List.of("kill", "-" + signal, Long.toString(pid)))
          .redirectErrorStream(true).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("kill -" + signal + " " + pid + " failed: " + e, e);
    }
  }
}
