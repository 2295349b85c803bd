package dev.mesoskit.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class StatusPageTest {
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final StatusPage page = StatusPage.builder().frameworkName("batch <one> & {{initial}}")
      .clock(Clock.fixed(StatusModelTest.T0, ZoneOffset.UTC)).minInterval(Duration.ZERO).build();

  @AfterEach
  void close() {
    page.close();
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void servesOneSelfContainedPageWithTheNameEscapedAndTheSnapshotEmbedded() throws Exception {
    URI url = page.start();
    assertThat(url.toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
    HttpResponse<String> r = get(url);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
    assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'none'; script-src 'sha256-")
        .contains("; style-src 'sha256-").contains("connect-src 'self'");
    String html = r.body();
    assertThat(html).contains("<title>batch &lt;one&gt; &amp; &#123;&#123;initial}} · MesosKit</title>")
        .contains("<h1 id=\"title\">batch &lt;one&gt; &amp; &#123;&#123;initial}}</h1>")
        .doesNotContain("<one>")
        .contains("<script id=\"initial\" type=\"application/json\">{\"version\":0,")
        .contains("\"name\":\"batch \\u003cone\\u003e \\u0026 {{initial}}\"");
    // nothing loaded from anywhere: no URL, no src or href attribute
    assertThat(html).doesNotContain("http:").doesNotContain("https:").doesNotContain("//cdn")
        .doesNotContain(" src=").doesNotContain(" href=");
  }

  @Test
  void servesTheSnapshotAsJson() throws Exception {
    URI url = page.start();
    page.subscribed("fw-1", "http://m:5050", false);
    HttpResponse<String> r = get(url.resolve("api/status"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json;charset=utf-8");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(r.body()).isEqualTo(page.statusJson()).contains("\"id\":\"fw-1\"");
  }

  @Test
  void streamsASnapshotAtOnceAndAnotherAfterEachChangeAsServerSentEvents() throws Exception {
    URI url = page.start();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url.resolve("api/events"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream;charset=utf-8");
    try (BufferedReader in = new BufferedReader(
        new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
      assertThat(frame(in)).containsExactly("retry: 2000");
      assertThat(frame(in)).containsExactly("id: 0", "event: status",
          "data: " + page.statusJson());
      page.onUpdate(StatusModelTest.pending("big", "big", "no offers"));
      List<String> second = frame(in);
      assertThat(second).hasSize(3);
      assertThat(second.get(0)).isEqualTo("id: 1");
      assertThat(second.get(2)).startsWith("data: {\"version\":1,")
          .contains("\"message\":\"no offers\"");
      page.close(); // ends the stream
      assertThat(in.readLine()).isNull();
    }
  }

  @Test
  void answersUnknownPathsWith404AndOtherMethodsWith405() throws Exception {
    URI url = page.start();
    assertThat(get(url.resolve("nope")).statusCode()).isEqualTo(404);
    HttpResponse<String> post = http.send(HttpRequest.newBuilder(url.resolve("api/status"))
        .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
    assertThat(post.headers().firstValue("Allow")).hasValue("GET");
  }

  @Test
  void aSecondStartThrowsAndCloseIsIdempotentAndReleasesThePort() throws Exception {
    URI url = page.start();
    assertThat(page.uri()).hasValue(url);
    assertThatThrownBy(page::start).isInstanceOf(IllegalStateException.class)
        .hasMessage("StatusPage was already started");
    page.close();
    page.close();
    assertThatThrownBy(() -> get(url)).isInstanceOf(ConnectException.class);
    try (ServerSocket again = new ServerSocket(url.getPort(), 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(url.getPort());
    }
  }

  @Test
  void aTakenAddressFailsStartNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
          taken.getLocalPort());
      StatusPage busy = StatusPage.builder().address(address).build();
      assertThatThrownBy(busy::start).isInstanceOf(MesosKitException.class)
          .hasMessage("cannot start status page: address=" + address);
      busy.close();
    }
  }

  @Test
  void takesTheFrameworksNameWhenTheBuilderSetNone() {
    StatusPage unnamed = StatusPage.builder().build();
    unnamed.attached("batch-7", Clock.systemUTC());
    assertThat(unnamed.statusJson()).contains("\"name\":\"batch-7\"");
    page.attached("batch-7", Clock.systemUTC());
    assertThat(page.statusJson()).contains("\"name\":\"batch \\u003cone\\u003e");
  }

  @Test
  void observerCallsShowOffersAgentsRetriesAndHeartbeats() {
    page.offersReceived(List.of(dev.mesoskit.core.Offer.of("o1", "agent-1", "a.example",
        dev.mesoskit.core.Resources.parse("cpus:2"))));
    page.offersUsed(1);
    page.offersDeclined(2);
    page.offerRescinded("o9");
    page.heartbeat(StatusModelTest.T0);
    page.reconnected(2);
    page.retrying(StatusModelTest.running("web", 1), Duration.ofMillis(250));
    assertThat(page.statusJson())
        .contains("\"heartbeatAt\":\"2026-12-07T10:00:00Z\"")
        .contains("\"offers\":{\"received\":1,\"used\":1,\"declined\":2,\"rescinded\":1}")
        .contains("{\"agentId\":\"agent-1\",\"hostname\":\"a.example\"")
        .contains("\"text\":\"web attempt 1 ended RUNNING, next attempt in 250 ms\"")
        .contains("\"text\":\"reconnected after 2 attempts\"")
        .contains("\"text\":\"offer o9 rescinded\"");
  }

  @Test
  void buildRejectsBadSettingsNamingThem() {
    assertThatThrownBy(() -> StatusPage.builder().maxEvents(0).build())
        .hasMessage("maxEvents must be >= 1 but was 0");
    assertThatThrownBy(() -> StatusPage.builder().minInterval(Duration.ofMillis(-1)).build())
        .hasMessage("minInterval must be >= 0 but was PT-0.001S");
    assertThatThrownBy(() -> StatusPage.builder().maxDone(-1).build())
        .hasMessage("maxDone must be >= 0 but was -1");
    assertThatThrownBy(() -> StatusPage.builder().maxStreams(-1).build())
        .hasMessage("maxStreams must be in 0..1000 but was -1");
    assertThatThrownBy(() -> StatusPage.builder().frameworkName(" ").build())
        .hasMessage("frameworkName must not be blank but was ' '");
  }

  @Test
  void jettyRunsOnDaemonThreadsOnly() throws Exception {
    page.start();
    get(page.uri().orElseThrow());
    TimeUnit.MILLISECONDS.sleep(50);
    List<String> holding = new ArrayList<>();
    Thread.getAllStackTraces().keySet().forEach(t -> {
      if (t.getName().startsWith("status-page") && !t.isDaemon()) {
        holding.add(t.getName());
      }
    });
    assertThat(holding).isEmpty();
    assertThat(Thread.getAllStackTraces().keySet()).anyMatch(t -> t.getName().startsWith("status-page"));
  }

  @Test
  void refusesOneEventStreamBeyondTheCapWith503AndStillServesThePageAndTheSnapshot()
      throws Exception {
    URI url = page.start();
    List<BufferedReader> open = new ArrayList<>();
    try {
      for (int i = 0; i < 16; i++) { // the default cap
        open.add(openStream(url));
      }
      HttpResponse<InputStream> refused = http.send(HttpRequest.newBuilder(
          url.resolve("api/events")).build(), HttpResponse.BodyHandlers.ofInputStream());
      assertThat(refused.statusCode()).isEqualTo(503); // fails at once, not by a hung stream
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("text/plain;charset=utf-8");
      assertThat(new String(refused.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(
          "too many event streams: at most 16 are open at once; poll /api/status instead\n");
      assertThat(get(url.resolve("api/status")).body()).isEqualTo(page.statusJson());
      assertThat(get(url).statusCode()).isEqualTo(200);

      open.remove(0).close(); // a tab goes away: its slot frees at the next write to it
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      HttpResponse<InputStream> again;
      do {
        page.heartbeat(StatusModelTest.T0.plusNanos(System.nanoTime())); // a write to each stream
        TimeUnit.MILLISECONDS.sleep(50);
        again = http.send(HttpRequest.newBuilder(url.resolve("api/events")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (again.statusCode() != 200) {
          again.body().close();
        }
      } while (again.statusCode() != 200 && System.nanoTime() < deadline);
      assertThat(again.statusCode()).isEqualTo(200);
      open.add(new BufferedReader(new InputStreamReader(again.body(), StandardCharsets.UTF_8)));
    } finally {
      page.close();
      for (BufferedReader in : open) {
        in.close();
      }
    }
  }

  @Test
  void aCapOfZeroStreamsLeavesEveryPagePolling() throws Exception {
    StatusPage polling = StatusPage.builder().maxStreams(0).build();
    try {
      URI url = polling.start();
      assertThat(get(url.resolve("api/events")).statusCode()).isEqualTo(503);
      assertThat(get(url.resolve("api/status")).statusCode()).isEqualTo(200);
    } finally {
      polling.close();
    }
  }

  @Test
  void aCloseWhileStartIsUnderWayStopsTheServerStartBrings() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    StatusPage racing = StatusPage.builder()
        .address(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)).build();
    Thread closer = new Thread(racing::close, "closer");
    racing.beforeServing = () -> { // state is STARTED, the server not yet running
      closer.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (closer.isAlive() && closer.getState() != Thread.State.BLOCKED
          && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    };
    try {
      racing.start();
    } catch (IllegalStateException e) {
      assertThat(e).hasMessage("StatusPage was closed while starting");
    }
    closer.join(10_000);
    assertThat(closer.isAlive()).isFalse();
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(port); // nothing left listening
    }
  }

  @Test
  void showsHowManyOlderFinishedTasksItDropped() {
    StatusPage small = StatusPage.builder().maxDone(1).build();
    small.onUpdate(StatusModelTest.finished("a"));
    small.onUpdate(StatusModelTest.finished("b"));
    assertThat(small.statusJson()).contains("\"doneDropped\":1,\"tasks\":[{\"id\":\"b\"");
  }

  private BufferedReader openStream(URI url) throws Exception {
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url.resolve("api/events"))
        .build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    assertThat(frame(in)).containsExactly("retry: 2000");
    return in;
  }

  /** Reads one server-sent event frame: its lines up to the blank line. */
  private static List<String> frame(BufferedReader in) throws Exception {
    List<String> lines = new ArrayList<>();
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      lines.add(line);
    }
    return lines;
  }
}
