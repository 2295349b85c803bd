package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.spi.FrameworkInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A wrong or unreachable master is said in words, and a server that is no Mesos master fails the
 * framework at once instead of being asked again for ever.
 */
@Timeout(60)
class MasterTroubleTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final FrameworkInfo INFO = new FrameworkInfo("trouble", "alice", "analytics",
      Optional.empty(), Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(),
      Set.of());

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final RecordingEvents events = new RecordingEvents();
  private final AtomicInteger requests = new AtomicInteger();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /** A web server that answers every request to the scheduler API the same way. */
  private URI server(int status, String type, String body) throws IOException {
    HttpServer raw = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    raw.createContext("/", ex -> {
      requests.incrementAndGet();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", type);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
    raw.start();
    closeables.add(() -> raw.stop(0));
    return URI.create("http://127.0.0.1:" + raw.getAddress().getPort());
  }

  private void subscribe(URI master) {
    HttpSchedulerBackend backend = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(master)))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
        .build();
    closeables.add(backend);
    backend.subscribe(INFO, events);
  }

  private String awaitFailure() {
    events.await(l -> l.stream().anyMatch(s -> s.startsWith("failed ")), WAIT);
    return events.lines().get(0);
  }

  @Test
  void aWebServerThatDoesNotImplementPostIsNotAMasterAndFailsTheFrameworkAtOnce()
      throws Exception {
    URI web = server(501, "text/html", "<!DOCTYPE html>\n<html><head><title>501 Not"
        + " Implemented</title></head><body><h1>Not Implemented</h1>" + "x".repeat(5000)
        + "</body></html>");

    subscribe(web);

    assertThat(awaitFailure()).isEqualTo("failed " + web + " is not a Mesos master: it answered"
        + " 501 to SUBSCRIBE (an HTML page titled '501 Not Implemented')");
    assertThat(requests).hasValue(1);
  }

  @Test
  void aServerWithoutTheSchedulerApiIsNotAMaster() throws Exception {
    URI web = server(404, "text/plain", "No such endpoint\n");

    subscribe(web);

    assertThat(awaitFailure()).isEqualTo("failed " + web + " is not a Mesos master: it answered"
        + " 404 to SUBSCRIBE (No such endpoint)");
    assertThat(requests).hasValue(1);
  }

  @Test
  void aServerThatAnswersWithAPageIsNotAMaster() throws Exception {
    URI web = server(200, "text/html; charset=utf-8", "<html><body>hello</body></html>");

    subscribe(web);

    assertThat(awaitFailure()).isEqualTo("failed " + web + " is not a Mesos master: it answered"
        + " SUBSCRIBE with 200 and Content-Type 'text/html; charset=utf-8' instead of a stream"
        + " of application/x-protobuf events");
    assertThat(requests).hasValue(1);
  }

  @Test
  void aMasterThatWantsCredentialsTheFrameworkHasNotFailsItAtOnce() throws Exception {
    URI master = server(401, "text/plain", "");

    subscribe(master);

    assertThat(awaitFailure()).isEqualTo("failed master " + master + " asks for credentials and"
        + " the framework has none (set a principal and its secret file): it answered 401 to"
        + " SUBSCRIBE");
    assertThat(requests).hasValue(1);
  }

  @Test
  void aMasterThatIsBusyIsAskedAgain() throws Exception {
    URI master = server(503, "text/plain", "Master is not the leader");

    subscribe(master);

    events.await(l -> requests.get() >= 3, WAIT);
    assertThat(events.lines()).noneMatch(l -> l.startsWith("failed ") || l.startsWith("error "));
  }

  @Test
  void eachFailedAttemptIsReportedToTheFrameworkInWordsWithTheNextDelay() throws Exception {
    int port = freePort();
    URI master = URI.create("http://127.0.0.1:" + port);
    List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
    RecordingEvents reporting = new RecordingEvents() {
      @Override
      public void reconnecting(int attempt, Duration delay, String cause) {
        attempts.add(attempt + " " + (delay.compareTo(Duration.ofMillis(20)) <= 0) + " " + cause);
      }
    };
    HttpSchedulerBackend backend = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(master)))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
        .build();
    closeables.add(backend);

    backend.subscribe(INFO, reporting);

    reporting.await(l -> attempts.size() >= 2, WAIT);
    String cause = "cannot reach master " + master + ": connection refused by 127.0.0.1:" + port;
    assertThat(attempts.subList(0, 2)).containsExactly("1 true " + cause, "2 true " + cause);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort(); // closed again: nothing listens there
    }
  }

  @Test
  void aRefusedConnectionIsSaidInWords() throws Exception {
    int port = freePort();
    URI target = URI.create("http://127.0.0.1:" + port + "/api/v1/scheduler");

    assertThat(PeerTrouble.unreachable(failureOf(target), target))
        .isEqualTo("connection refused by 127.0.0.1:" + port);
  }

  @Test
  void anUnknownHostIsSaidInWords() throws Exception {
    URI target = URI.create("http://mesos-mastr.invalid:5050/api/v1/scheduler");

    assertThat(PeerTrouble.unreachable(failureOf(target), target))
        .isEqualTo("unknown host mesos-mastr.invalid");
  }

  @Test
  void aBodyIsToldByItsTitleOrItsStartOnOneLine() {
    assertThat(PeerTrouble.brief("text/html", "<html><title>\n Oops </title>" + "y".repeat(900)))
        .isEqualTo("an HTML page titled 'Oops'");
    assertThat(PeerTrouble.brief("", "<!doctype html><p>no title</p>"))
        .isEqualTo("an HTML page");
    assertThat(PeerTrouble.brief("text/plain", "line one\n\tline two"))
        .isEqualTo("line one line two");
    assertThat(PeerTrouble.brief("text/plain", "z".repeat(250))).isEqualTo("z".repeat(200) + "...");
    assertThat(PeerTrouble.brief("text/plain", "  ")).isEmpty();
  }

  private static Throwable failureOf(URI target) throws InterruptedException {
    try {
      HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(target)
          .POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.discarding()).get();
    } catch (ExecutionException e) {
      return e;
    }
    throw new AssertionError("a request to " + target + " was answered");
  }
}
