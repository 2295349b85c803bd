package dev.mesoskit.artifacts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Starts servers the way every server test wants them: loopback, a free port, a known token. */
final class TestServers {
  static final String TOKEN = "test-token-0123456789";

  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private TestServers() {}

  static ArtifactServer.Builder loopback(ArtifactStore store) {
    return ArtifactServer.builder()
        .store(store)
        .bindAddress("127.0.0.1")
        .port(0)
        .uploadToken(TOKEN);
  }

  static ArtifactServer start(ArtifactStore store) {
    return loopback(store).build().start();
  }

  static HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
  }

  static HttpResponse<byte[]> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> get(URI uri, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = request(uri).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  static HttpResponse<byte[]> put(URI uri, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = request(uri).PUT(HttpRequest.BodyPublishers.ofByteArray(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  /**
   * Waits until the server's counters say what the test expects: a body's last bytes can reach
   * the client before the server counts their write as complete.
   */
  static ArtifactServerMetrics awaitMetrics(ArtifactServer server,
      java.util.function.Predicate<ArtifactServerMetrics> expected) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    ArtifactServerMetrics metrics = server.metrics();
    while (!expected.test(metrics) && System.nanoTime() < deadline) {
      Thread.sleep(5);
      metrics = server.metrics();
    }
    return metrics;
  }

  static HttpClient client() {
    return CLIENT;
  }
}
