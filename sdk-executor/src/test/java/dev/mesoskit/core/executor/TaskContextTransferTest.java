package dev.mesoskit.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.ArtifactPublisher;
import dev.mesoskit.core.spi.LaunchedTask;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** TaskContext.upload and download against a small HTTP server that plays the artifact server. */
@Timeout(30)
class TaskContextTransferTest {
  private static final String TOKEN = "s3cret";
  private HttpServer server;
  private String base;
  /** Path to what a PUT stored; the server answers as ArtifactServer does. */
  private final Map<String, byte[]> stored = new ConcurrentHashMap<>();
  private final List<Map<String, String>> putHeaders = new ArrayList<>();
  /** Path to a canned GET answer: status and body. */
  private final Map<String, Object[]> answers = new ConcurrentHashMap<>();
  private volatile int putStatus;
  /** The Upgrade header of every request ("null" when absent). */
  private final List<String> upgrades = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/artifacts/";
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    upgrades.add(String.valueOf(ex.getRequestHeaders().getFirst("Upgrade")));
    if (ex.getRequestMethod().equals("PUT")) {
      byte[] body = ex.getRequestBody().readAllBytes();
      synchronized (putHeaders) {
        putHeaders.add(Map.of(
            "authorization", String.valueOf(ex.getRequestHeaders().getFirst("Authorization")),
            "checksum", String.valueOf(ex.getRequestHeaders().getFirst("X-Checksum-Sha256"))));
      }
      int status = putStatus != 0 ? putStatus
          : !("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization")) ? 401
          : !ArtifactTransfers.sha256(body).equals(
              ex.getRequestHeaders().getFirst("X-Checksum-Sha256")) ? 400 : 201;
      if (status == 201) {
        stored.put(path, body);
        ex.getResponseHeaders().add("Location", path);
      }
      byte[] reply = (status == 201 ? "" : "refused " + status).getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(reply);
      }
      return;
    }
    Object[] answer = answers.get(path);
    int status = answer == null ? 404 : (int) answer[0];
    byte[] body = answer == null ? new byte[0] : (byte[]) answer[1];
    boolean chunked = answer != null && answer.length > 2;
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : chunked ? 0 : body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  private TaskContext context(Map<String, String> taskEnv, Map<String, String> processEnv) {
    Map<String, String> labels = new HashMap<>();
    taskEnv.forEach((k, v) -> labels.put(TaskSpec.ENV_LABEL_PREFIX + k, v));
    LaunchedTask task = new LaunchedTask("invert-a.1", "a", new byte[0], labels, Resources.empty(),
        "exec", "fw", "agent", Optional.empty());
    return new TaskContext(task, Path.of("."), m -> { }, processEnv::get);
  }

  private TaskContext withServer() {
    return context(Map.of(), Map.of(ArtifactPublisher.ENV_URL, base,
        ArtifactPublisher.ENV_TOKEN, TOKEN));
  }

  @Test
  void uploadPutsTheBytesWithTheBearerTokenAndTheirSha256() {
    byte[] bytes = "inverse".getBytes(StandardCharsets.UTF_8);
    URI uri = withServer().upload("inverted/a b.png", bytes);
    assertThat(uri).isEqualTo(URI.create(base + "inverted/a%20b.png"));
    assertThat(stored.get("/artifacts/inverted/a%20b.png")).isEqualTo(bytes);
    assertThat(putHeaders).containsExactly(Map.of("authorization", "Bearer " + TOKEN,
        "checksum", "7705accd2694bdc7c292c1e2558d787262654fa769b42d407651b4d5406c531f"));
    assertThat(ArtifactTransfers.sha256(new byte[0]))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void theTasksEnvironmentWinsOverTheExecutorsForTheArtifactServer() {
    TaskContext ctx = context(Map.of(ArtifactPublisher.ENV_URL, base,
        ArtifactPublisher.ENV_TOKEN, TOKEN), Map.of(ArtifactPublisher.ENV_URL,
        "http://127.0.0.1:1/artifacts/", ArtifactPublisher.ENV_TOKEN, "stale"));
    ctx.upload("x.txt", new byte[] {1, 2, 3});
    assertThat(stored.get("/artifacts/x.txt")).containsExactly(1, 2, 3);
  }

  @Test
  void uploadWithoutAnArtifactServerIsAPermanentFailureNamingTheVariable() {
    assertThatThrownBy(() -> context(Map.of(), Map.of()).upload("x.txt", new byte[1]))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("cannot upload x.txt: no artifact server, MESOSKIT_ARTIFACTS_URL is not set"
            + " in the task's or the executor's environment (give the task"
            + " ArtifactPublisher.taskEnvironment())");
  }

  @Test
  void aRefusedTokenIsPermanentAndAServerErrorIsWorthAnotherAttempt() {
    TaskContext wrongToken = context(Map.of(), Map.of(ArtifactPublisher.ENV_URL, base,
        ArtifactPublisher.ENV_TOKEN, "wrong"));
    assertThatThrownBy(() -> wrongToken.upload("x.txt", new byte[1]))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("upload of x.txt to " + base + "x.txt failed: HTTP 401 refused 401");
    putStatus = 503;
    assertThatThrownBy(() -> withServer().upload("x.txt", new byte[1]))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("upload of x.txt to " + base + "x.txt failed: HTTP 503 refused 503");
    putStatus = 413;
    assertThatThrownBy(() -> withServer().upload("x.txt", new byte[1]))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("upload of x.txt to " + base + "x.txt failed: HTTP 413 refused 413");
    assertThat(stored).isEmpty();
  }

  @Test
  void uploadToAnUnreachableServerIsWorthAnotherAttempt() {
    TaskContext ctx = context(Map.of(), Map.of(ArtifactPublisher.ENV_URL,
        "http://127.0.0.1:1/artifacts/", ArtifactPublisher.ENV_TOKEN, TOKEN));
    assertThatThrownBy(() -> ctx.upload("x.txt", new byte[1]))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("upload of x.txt to http://127.0.0.1:1/artifacts/x.txt failed:"
            + " java.net.ConnectException");
  }

  @Test
  void downloadReadsHttpAndFileSourcesUpToTheLimit(@TempDir Path dir) throws IOException {
    answers.put("/img.png", new Object[] {200, new byte[] {9, 8, 7}});
    assertThat(withServer().download(URI.create(base.replace("artifacts/", "img.png")), 3))
        .containsExactly(9, 8, 7);
    Path file = Files.write(dir.resolve("in.bin"), new byte[] {1, 2});
    assertThat(withServer().download(file.toUri(), 2)).containsExactly(1, 2);
  }

  @Test
  void downloadReadsALargeBodyExactlyWithOrWithoutContentLength() {
    byte[] large = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(large);
    String root = base.replace("artifacts/", "");
    answers.put("/sized", new Object[] {200, large});
    answers.put("/chunked", new Object[] {200, large, "chunked"});
    for (String path : List.of("sized", "chunked")) {
      assertThat(withServer().download(URI.create(root + path), large.length)).isEqualTo(large);
    }
  }

  @Test
  void transfersSpeakHttp11WithoutAskingForAnUpgrade() {
    answers.put("/img.png", new Object[] {200, new byte[] {1}});
    withServer().download(URI.create(base.replace("artifacts/", "img.png")), 1);
    withServer().upload("x.txt", new byte[] {2});
    assertThat(upgrades).containsExactly("null", "null");
  }

  @Test
  void aBodyOfAnnouncedLengthMustHaveExactlyThatLength() throws IOException {
    URI uri = URI.create("http://host/x");
    assertThat(ArtifactTransfers.readBody(new ByteArrayInputStream(new byte[] {1, 2, 3}),
        OptionalLong.of(3), 10, uri)).containsExactly(1, 2, 3);
    assertThat(ArtifactTransfers.readBody(new ByteArrayInputStream(new byte[0]),
        OptionalLong.of(0), 10, uri)).isEmpty();
    assertThatThrownBy(() -> ArtifactTransfers.readBody(new ByteArrayInputStream(new byte[40]),
        OptionalLong.of(100), 1000, uri))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("download of http://host/x failed: the body ended after 40 of its 100 bytes");
    assertThatThrownBy(() -> ArtifactTransfers.readBody(new ByteArrayInputStream(new byte[101]),
        OptionalLong.of(100), 1000, uri))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("download of http://host/x failed: the body is longer than its"
            + " Content-Length of 100 bytes");
    // A negative length is no length: the body is read up to the limit, as without one.
    assertThat(ArtifactTransfers.readBody(new ByteArrayInputStream(new byte[] {5}),
        OptionalLong.of(-1), 10, uri)).containsExactly(5);
    assertThatThrownBy(() -> ArtifactTransfers.readBody(new ByteArrayInputStream(new byte[11]),
        OptionalLong.of(-1), 10, uri))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("download of http://host/x is larger than the limit of 10 bytes");
  }

  @Test
  void downloadOverTheLimitIsAPermanentFailureNamingTheLimitWithOrWithoutContentLength(
      @TempDir Path dir) throws IOException {
    String root = base.replace("artifacts/", "");
    answers.put("/sized", new Object[] {200, new byte[100]});
    answers.put("/chunked", new Object[] {200, new byte[100], "chunked"});
    for (String path : List.of("sized", "chunked")) {
      assertThatThrownBy(() -> withServer().download(URI.create(root + path), 99))
          .isInstanceOf(PermanentFailure.class)
          .hasMessage("download of " + root + path + " is larger than the limit of 99 bytes");
    }
    Path file = Files.write(dir.resolve("big.bin"), new byte[10]);
    assertThatThrownBy(() -> withServer().download(file.toUri(), 9))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("download of " + file.toUri() + " is larger than the limit of 9 bytes");
  }

  @Test
  void download4xxIsPermanentAnd5xxOrNetworkTroubleIsWorthAnotherAttempt(@TempDir Path dir) {
    String root = base.replace("artifacts/", "");
    assertThatThrownBy(() -> withServer().download(URI.create(root + "missing"), 10))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("download of " + root + "missing failed: HTTP 404");
    answers.put("/busy", new Object[] {503, new byte[0]});
    assertThatThrownBy(() -> withServer().download(URI.create(root + "busy"), 10))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("download of " + root + "busy failed: HTTP 503");
    assertThatThrownBy(() -> withServer().download(URI.create("http://127.0.0.1:1/x"), 10))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("download of http://127.0.0.1:1/x failed: java.net.ConnectException");
    URI missing = dir.resolve("none.png").toUri();
    assertThatThrownBy(() -> withServer().download(missing, 10))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("download of " + missing + " failed: no such file");
    assertThatThrownBy(() -> withServer().download(URI.create("ftp://host/x"), 10))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("cannot download ftp://host/x: scheme ftp is not supported (http, https, file)");
  }

  @Test
  void anInterruptedTransferEndsAsACancellationAndKeepsTheInterrupt() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> withServer().upload("x.txt", new byte[1]))
          .isInstanceOf(CancellationException.class)
          .hasMessage("upload of x.txt was interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void artifactNamesArePercentEncodedPerSegment() {
    assertThat(ArtifactTransfers.encodePath("a b/ü#?.png")).isEqualTo("a%20b/%C3%BC%23%3F.png");
  }
}
