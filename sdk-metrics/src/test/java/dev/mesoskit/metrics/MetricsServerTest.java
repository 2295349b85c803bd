package dev.mesoskit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link MetricsServer} over real HTTP on loopback. */
class MetricsServerTest {
  private final ManualScheduler loop = new ManualScheduler();
  private final FakeBackend backend = new FakeBackend();
  private final FrameworkMetrics metrics = FrameworkMetrics.prometheus();
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private Framework framework;
  private MetricsServer server;

  @AfterEach
  void close() {
    if (server != null) {
      server.close();
    }
    if (framework != null) {
      framework.close();
    }
  }

  /** A framework that launched one task on one offer. */
  private void launchOne() {
    framework = Framework.builder().name("demo").backend(backend).executor(loop)
        .clock(loop.clock()).frameworkIdStore(FrameworkIdStore.inMemory())
        .observer(metrics).listener(metrics).build();
    framework.start();
    backend.subscribed("fw-1");
    framework.submit(TaskSpec.builder().id("t1").name("t1").resources("cpus:1;mem:128")
        .command("sleep 1").build());
    loop.runPending();
    backend.offer("a1", "cpus:1;mem:128");
    loop.runPending();
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    return client.send(HttpRequest.newBuilder(uri).method(method,
        HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void getMetricsAnswersThePrometheusTextFormat() throws Exception {
    launchOne();
    server = metrics.serve(new InetSocketAddress("127.0.0.1", 0));

    HttpResponse<String> response = send("GET", "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .contains("text/plain; version=0.0.4; charset=utf-8");
    assertThat(Arrays.asList(response.body().split("\n"))).contains(
        "# TYPE mesoskit_task_launches_total counter",
        "mesoskit_task_launches_total{framework=\"demo\"} 1.0",
        "mesoskit_offers_used_total{framework=\"demo\"} 1.0",
        "mesoskit_tasks{framework=\"demo\",state=\"STAGING\"} 1.0",
        "mesoskit_tasks_pending{framework=\"demo\"} 0.0");
    assertThat(response.body()).isEqualTo(metrics.scrape());
  }

  @Test
  void serverIsBoundToTheGivenAddressAndNamesItsUri() {
    server = metrics.serve(new InetSocketAddress("127.0.0.1", 0));

    assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(server.address().getPort()).isPositive();
    assertThat(server.uri()).hasToString(
        "http://127.0.0.1:" + server.address().getPort() + "/metrics");
  }

  @Test
  void otherPathsAreNotFoundAndOtherMethodsNotAllowed() throws Exception {
    server = metrics.serve(new InetSocketAddress("127.0.0.1", 0));

    HttpResponse<String> notFound = send("GET", "/other");
    HttpResponse<String> post = send("POST", "/metrics");
    HttpResponse<String> head = send("HEAD", "/metrics");

    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.body()).isEqualTo("not found; the metrics are at /metrics\n");
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).contains("GET, HEAD");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  @Test
  void servesOnDaemonThreadsAndStopsListeningOnCloseTwice() throws Exception {
    server = metrics.serve(new InetSocketAddress("127.0.0.1", 0));
    assertThat(send("GET", "/metrics").statusCode()).isEqualTo(200);
    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().startsWith("mesoskit-metrics-"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);

    server.close();
    server.close();

    assertThatThrownBy(() -> send("GET", "/metrics")).isInstanceOf(ConnectException.class);
  }

  @Test
  void theJdkDispatcherThreadIsADaemonEvenWhenStartedFromANonDaemonThread() throws Exception {
    AtomicReference<MetricsServer> started = new AtomicReference<>();
    Thread caller = new Thread(() -> started.set(
        metrics.serve(new InetSocketAddress("127.0.0.1", 0))), "non-daemon-caller");
    caller.setDaemon(false);
    caller.start();
    caller.join();
    server = started.get();

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().startsWith("HTTP-Dispatcher"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }

  @Test
  void anAddressInUseFailsNamingIt() {
    server = metrics.serve(new InetSocketAddress("127.0.0.1", 0));
    InetSocketAddress taken = server.address();

    assertThatThrownBy(() -> MetricsServer.start(taken, (io.micrometer.prometheusmetrics
        .PrometheusMeterRegistry) metrics.registry()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("metrics server cannot bind " + taken + ": ")
        .hasCauseInstanceOf(IOException.class);
  }
}
