package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP probes of {@link TaskChecks}: redirects are followed as Mesos' {@code curl -L} does. */
class TaskChecksTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private HttpServer server;
  private HttpServer other;

  @BeforeEach
  void start() throws IOException {
    server = serve();
    other = serve();
    answer(server, "/ok", 200, null);
    answer(server, "/broken", 500, null);
    answer(server, "/to-broken", 302, "/broken");
    answer(server, "/relative-to-ok", 307, "ok");
    answer(server, "/to-other", 301, "http://127.0.0.1:" + other.getAddress().getPort() + "/fine");
    answer(server, "/loop", 302, "/loop");
    answer(server, "/without-location", 302, null);
    answer(server, "/not-modified", 304, "/broken");
    answer(other, "/fine", 204, null);
    server.start();
    other.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    other.stop(0);
  }

  private static HttpServer serve() throws IOException {
    return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
  }

  private static void answer(HttpServer on, String path, int code, String location) {
    on.createContext(path, exchange -> {
      if (!exchange.getRequestURI().getPath().equals(path)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        if (location != null) {
          exchange.getResponseHeaders().add("Location", location);
        }
        exchange.sendResponseHeaders(code, -1);
      }
      exchange.close();
    });
  }

  private OptionalInt get(String path) {
    return TaskChecks.http("http", server.getAddress().getPort(), path, TIMEOUT);
  }

  @Test
  void aRedirectToAServerErrorIsJudgedByTheServerError() {
    assertThat(get("/to-broken")).isEqualTo(OptionalInt.of(500));
  }

  @Test
  void aRelativeRedirectIsResolvedAgainstTheRedirectingUrl() {
    assertThat(get("relative-to-ok")).isEqualTo(OptionalInt.of(200));
  }

  @Test
  void aRedirectToAnotherServerIsFollowed() {
    assertThat(get("/to-other")).isEqualTo(OptionalInt.of(204));
  }

  @Test
  void aRedirectLoopGivesNoStatusAfterFiftyRedirects() {
    assertThat(get("/loop")).isEqualTo(OptionalInt.empty());
  }

  @Test
  void aRedirectWithoutLocationAndNotModifiedAreFinalAnswers() {
    assertThat(get("/without-location")).isEqualTo(OptionalInt.of(302));
    assertThat(get("/not-modified")).isEqualTo(OptionalInt.of(304));
  }

  @Test
  void aPlainAnswerIsItsOwnStatus() {
    assertThat(get("/ok")).isEqualTo(OptionalInt.of(200));
    assertThat(get("")).isEqualTo(OptionalInt.of(404));
  }
}
