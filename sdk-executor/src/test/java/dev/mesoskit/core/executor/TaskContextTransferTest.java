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
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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

/** TaskContext's transfers against a small HTTP server that plays the artifact server. */
@Timeout(60)
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
    server.createContext("/gen/", this::generate);
    server.createContext("/stream/", this::stream);
    server.createContext("/moved/", ex -> {
      ex.getResponseHeaders().add("Location", ex.getRequestURI().getPath().substring(6));
      ex.sendResponseHeaders(302, -1);
      ex.close();
    });
    server.createContext("/short", ex -> {
      ex.sendResponseHeaders(200, 1000);
      OutputStream o = ex.getResponseBody();
      o.write(new byte[500]);
      o.flush();
      ex.close(); // 500 of the 1000 announced bytes, then the connection closes
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort() + "/artifacts/";
  }

  @AfterEach
  void stopServer() {
    release.countDown();
    server.stop(0);
  }

  /** Lets a paused /stream/ body continue. */
  private final CountDownLatch release = new CountDownLatch(1);
  /** The SHA-256 of the last body /gen/ or /stream/ sent, computed as it was sent. */
  private final AtomicReference<String> sentSha = new AtomicReference<>();

  /**
   * Answers {@code /gen/<sized|chunked>/<bytes>} with that many pseudo-random bytes made while
   * sending, never holding the body: 64 KiB at a time from a seeded generator.
   */
  private void generate(HttpExchange ex) throws IOException {
    String[] parts = ex.getRequestURI().getPath().split("/");
    long size = Long.parseLong(parts[3]);
    ex.sendResponseHeaders(200, parts[2].equals("sized") ? size : 0);
    MessageDigest md = sha256();
    Random random = new Random(size);
    byte[] block = new byte[64 * 1024];
    try (OutputStream o = ex.getResponseBody()) {
      for (long left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        int n = (int) Math.min(block.length, left);
        md.update(block, 0, n);
        o.write(block, 0, n);
      }
    }
    sentSha.set(HexFormat.of().formatHex(md.digest()));
  }

  /**
   * Answers {@code /stream/<dir-id>} with two halves of {@link #HALF} bytes, announced by
   * {@code Content-Length}. Between them it waits until the client's temporary file in the
   * directory holds the first half; with {@code ?pause} it waits instead until the test
   * {@link #release}s it.
   */
  private void stream(HttpExchange ex) throws IOException {
    Path dir = streamDirs.get(ex.getRequestURI().getPath().substring("/stream/".length()));
    ex.sendResponseHeaders(200, 2L * HALF);
    byte[] half = new byte[HALF];
    new Random(3).nextBytes(half);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(half);
      o.flush();
      firstHalfSent.countDown();
      try {
        if (ex.getRequestURI().getQuery() != null) {
          release.await(20, TimeUnit.SECONDS);
        } else {
          halfOnDisk.set(awaitPartFile(dir, HALF));
          sawTargetWhileStreaming.set(Files.exists(dir.resolve("in.bin")));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      o.write(half);
    }
  }

  private final CountDownLatch firstHalfSent = new CountDownLatch(1);
  private static final int HALF = 4 * 1024 * 1024;
  private final Map<String, Path> streamDirs = new ConcurrentHashMap<>();
  private final AtomicReference<Boolean> sawTargetWhileStreaming = new AtomicReference<>();
  /** Whether the first half of a /stream/ body was on disk before the second half was sent. */
  private final AtomicReference<Boolean> halfOnDisk = new AtomicReference<>();

  /**
   * Waits until a download's temporary file in {@code dir} holds {@code bytes}, at most 20 s (a
   * bound for a broken implementation, not a measure: on a working one the bytes are there as
   * soon as they crossed the loopback).
   *
   * @return whether it did
   */
  private static boolean awaitPartFile(Path dir, long bytes) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (partFiles(dir).stream().noneMatch(p -> sizeOf(p) >= bytes)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  private static List<Path> partFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".mesoskit-download-")
          && p.getFileName().toString().endsWith(".part")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
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
  void uploadSendsAnArrayOfManyPiecesWholeAndInOrder() {
    byte[] bytes = new byte[3 * 256 * 1024 + 17]; // three whole pieces and a part
    new Random(7).nextBytes(bytes);
    byte[] sent = bytes.clone();
    withServer().upload("inverted/large.png", bytes);
    assertThat(stored.get("/artifacts/inverted/large.png")).isEqualTo(sent);
    assertThat(bytes).isEqualTo(sent);
    assertThat(putHeaders.get(0).get("checksum")).isEqualTo(ArtifactTransfers.sha256(sent));
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
  void downloadFollowsARedirectAsBefore(@TempDir Path dir) throws IOException {
    // The plain http:// client follows none: the TLS client repeats the request and follows it.
    answers.put("/img.png", new Object[] {200, new byte[] {9, 8, 7}});
    URI moved = URI.create(base.replace("artifacts/", "moved/img.png"));
    assertThat(withServer().download(moved, 3)).containsExactly(9, 8, 7);
    Path target = dir.resolve("img.png");
    withServer().downloadTo(moved, target);
    assertThat(Files.readAllBytes(target)).containsExactly(9, 8, 7);
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

  // ---------------------------------------------------------------- downloadTo

  @Test
  void downloadToWritesTheBodyToDiskWhileItArrivesAndPutsTheFileInPlaceOnlyWhenWhole(
      @TempDir Path dir) throws IOException {
    streamDirs.put("a", dir);
    Path target = dir.resolve("in.bin");
    URI source = URI.create(base.replace("artifacts/", "stream/a"));

    // The server sends half the body and waits until that half is on disk before it sends the
    // rest: a download that held the body in memory until the end would never finish.
    assertThat(withServer().downloadTo(source, target)).isEqualTo(target);

    assertThat(halfOnDisk.get()).as("the first half was on disk before the second was sent")
        .isTrue();
    assertThat(sawTargetWhileStreaming.get()).isFalse();
    byte[] half = new byte[HALF];
    new Random(3).nextBytes(half);
    byte[] expected = new byte[2 * HALF];
    System.arraycopy(half, 0, expected, 0, HALF);
    System.arraycopy(half, 0, expected, HALF, HALF);
    assertThat(Files.readAllBytes(target)).isEqualTo(expected);
    assertThat(partFiles(dir)).isEmpty();
  }

  @Test
  void downloadToStreamsAMultiMegabyteBodyMadeOnTheFlyWithOrWithoutContentLength(
      @TempDir Path dir) throws IOException {
    long size = 48L * 1024 * 1024 + 5;
    String root = base.replace("artifacts/", "gen/");
    for (String framing : List.of("sized", "chunked")) {
      Path target = dir.resolve(framing + ".bin");
      withServer().downloadTo(URI.create(root + framing + "/" + size), target, size);

      assertThat(Files.size(target)).isEqualTo(size);
      assertThat(ArtifactTransfers.sha256(target)).isEqualTo(sentSha.get());
    }
    assertThat(partFiles(dir)).isEmpty();
  }

  @Test
  void downloadToCopiesAFileSourceAndCreatesTheTargetsDirectories(@TempDir Path dir)
      throws IOException {
    Path source = Files.write(dir.resolve("source.bin"), new byte[] {4, 5, 6});
    Path target = dir.resolve("inputs/today/copy.bin");

    assertThat(withServer().downloadTo(source.toUri(), target, 3)).isEqualTo(target);

    assertThat(Files.readAllBytes(target)).containsExactly(4, 5, 6);
    assertThat(partFiles(target.getParent())).isEmpty();
  }

  @Test
  void downloadToReplacesAnExistingFileOnlyWhenTheNewOneArrivedWhole(@TempDir Path dir)
      throws IOException {
    Path target = Files.write(dir.resolve("in.bin"), new byte[] {1});
    String root = base.replace("artifacts/", "");
    answers.put("/chunked", new Object[] {200, new byte[100], "chunked"});

    assertThatThrownBy(() -> withServer().downloadTo(URI.create(root + "chunked"), target, 99))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("download of " + root + "chunked is larger than the limit of 99 bytes");
    assertThat(Files.readAllBytes(target)).containsExactly(1);

    withServer().downloadTo(URI.create(root + "chunked"), target, 100);
    assertThat(Files.readAllBytes(target)).isEqualTo(new byte[100]);
    assertThat(partFiles(dir)).isEmpty();
  }

  @Test
  void downloadToFailsAsDownloadDoesAndLeavesNoFileBehind(@TempDir Path dir) {
    String root = base.replace("artifacts/", "");
    Path target = dir.resolve("in.bin");
    answers.put("/sized", new Object[] {200, new byte[100]});
    answers.put("/chunked", new Object[] {200, new byte[100], "chunked"});
    answers.put("/busy", new Object[] {503, new byte[0]});
    for (String path : List.of("sized", "chunked")) {
      assertThatThrownBy(() -> withServer().downloadTo(URI.create(root + path), target, 99))
          .isInstanceOf(PermanentFailure.class)
          .hasMessage("download of " + root + path + " is larger than the limit of 99 bytes");
    }
    assertThatThrownBy(() -> withServer().downloadTo(URI.create(root + "missing"), target))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("download of " + root + "missing failed: HTTP 404");
    assertThatThrownBy(() -> withServer().downloadTo(URI.create(root + "busy"), target))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("download of " + root + "busy failed: HTTP 503");
    assertThatThrownBy(() -> withServer().downloadTo(URI.create(root + "short"), target))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("download of " + root + "short failed: java.io.IOException")
        .cause().isInstanceOf(IOException.class);
    URI missing = dir.resolve("none.png").toUri();
    assertThatThrownBy(() -> withServer().downloadTo(missing, target))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("download of " + missing + " failed: no such file");
    assertThatThrownBy(() -> withServer().downloadTo(URI.create("ftp://host/x"), target))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("cannot download ftp://host/x: scheme ftp is not supported (http, https, file)");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void downloadToRefusesADirectoryAsTargetAndANegativeLimit(@TempDir Path dir) {
    URI source = URI.create(base + "x");
    assertThatThrownBy(() -> withServer().downloadTo(source, dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target must not be a directory but was " + dir);
    assertThatThrownBy(() -> withServer().downloadTo(source, dir.resolve("x"), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be >= 0 but was -1");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aKillDuringDownloadToEndsItAsACancellationAndDeletesThePartialFile(@TempDir Path dir)
      throws Exception {
    streamDirs.put("b", dir);
    URI source = URI.create(base.replace("artifacts/", "stream/b?pause"));
    TaskContext ctx = withServer();
    Outcome outcome = inHandlerThread(() -> ctx.downloadTo(source, dir.resolve("in.bin")), () -> {
      assertThat(awaitPartFile(dir, HALF)).isTrue();
      return null;
    }, ctx);

    assertThat(outcome.thrown()).isInstanceOf(CancellationException.class)
        .hasMessage("download of " + source + " was interrupted");
    assertThat(outcome.interruptKept()).isTrue();
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void aKillDuringDownloadEndsItAsACancellation() throws Exception {
    URI source = URI.create(base.replace("artifacts/", "stream/c?pause"));
    TaskContext ctx = withServer();
    Outcome outcome = inHandlerThread(() -> ctx.download(source, 2L * HALF), () -> {
      firstHalfSent.await();
      return null;
    }, ctx);

    assertThat(outcome.thrown()).isInstanceOf(CancellationException.class)
        .hasMessage("download of " + source + " was interrupted");
    assertThat(outcome.interruptKept()).isTrue();
  }

  /** What a transfer on a handler thread ended with. */
  private record Outcome(Throwable thrown, boolean interruptKept) {}

  /**
   * Runs a transfer on a thread of its own, waits for {@code midway}, then kills it as the
   * runtime does (cancel the context, interrupt the thread) and waits for it to end.
   */
  private static Outcome inHandlerThread(Runnable transfer,
      java.util.concurrent.Callable<Void> midway, TaskContext ctx) throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> interruptKept = new AtomicReference<>();
    Thread handler = new Thread(() -> {
      try {
        transfer.run();
      } catch (Throwable e) {
        thrown.set(e);
      }
      interruptKept.set(Thread.currentThread().isInterrupted());
    });
    handler.start();
    midway.call();
    ctx.cancel();
    handler.interrupt();
    handler.join();
    return new Outcome(thrown.get(), interruptKept.get());
  }

  @Test
  void aStreamedBodyOfAnnouncedLengthMustHaveExactlyThatLength(@TempDir Path dir)
      throws IOException {
    URI uri = URI.create("http://host/x");
    try (FileChannel out = FileChannel.open(dir.resolve("out"), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ArtifactTransfers.copyBody(new ByteArrayInputStream(new byte[] {1, 2, 3}),
          out, OptionalLong.of(3), 10, uri, ArtifactTransfers.Cancellation.NEVER);
      assertThat(Files.readAllBytes(dir.resolve("out"))).containsExactly(1, 2, 3);
      assertThatThrownBy(() -> ArtifactTransfers.copyBody(
          new ByteArrayInputStream(new byte[40]), out, OptionalLong.of(100), 1000, uri, ArtifactTransfers.Cancellation.NEVER))
          .isExactlyInstanceOf(MesosKitException.class)
          .hasMessage("download of http://host/x failed: the body ended after 40 of its 100"
              + " bytes");
      assertThatThrownBy(() -> ArtifactTransfers.copyBody(
          new ByteArrayInputStream(new byte[101]), out, OptionalLong.of(100), 1000, uri, ArtifactTransfers.Cancellation.NEVER))
          .isExactlyInstanceOf(MesosKitException.class)
          .hasMessage("download of http://host/x failed: the body is longer than its"
              + " Content-Length of 100 bytes");
      assertThatThrownBy(() -> ArtifactTransfers.copyBody(
          new ByteArrayInputStream(new byte[11]), out, OptionalLong.of(-1), 10, uri, ArtifactTransfers.Cancellation.NEVER))
          .isInstanceOf(PermanentFailure.class)
          .hasMessage("download of http://host/x is larger than the limit of 10 bytes");
    }
  }

  // ---------------------------------------------------------------- upload of a file

  @Test
  void uploadOfAFileStreamsItWithTheBearerTokenAndItsSha256(@TempDir Path dir)
      throws IOException {
    byte[] bytes = new byte[5 * 1024 * 1024 + 3];
    new Random(11).nextBytes(bytes);
    Path file = Files.write(dir.resolve("out.bin"), bytes);

    URI uri = withServer().upload("results/out 1.bin", file);

    assertThat(uri).isEqualTo(URI.create(base + "results/out%201.bin"));
    assertThat(stored.get("/artifacts/results/out%201.bin")).isEqualTo(bytes);
    assertThat(putHeaders).containsExactly(Map.of("authorization", "Bearer " + TOKEN,
        "checksum", ArtifactTransfers.sha256(bytes)));
    assertThat(ArtifactTransfers.sha256(file)).isEqualTo(ArtifactTransfers.sha256(bytes));
  }

  @Test
  void uploadOfAFileFailsAsUploadOfBytesDoes(@TempDir Path dir) throws IOException {
    Path file = Files.write(dir.resolve("x.txt"), new byte[] {1});
    assertThatThrownBy(() -> context(Map.of(), Map.of()).upload("x.txt", file))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("cannot upload x.txt: no artifact server, MESOSKIT_ARTIFACTS_URL is not set"
            + " in the task's or the executor's environment (give the task"
            + " ArtifactPublisher.taskEnvironment())");
    TaskContext wrongToken = context(Map.of(), Map.of(ArtifactPublisher.ENV_URL, base,
        ArtifactPublisher.ENV_TOKEN, "wrong"));
    assertThatThrownBy(() -> wrongToken.upload("x.txt", file))
        .isInstanceOf(PermanentFailure.class)
        .hasMessage("upload of x.txt to " + base + "x.txt failed: HTTP 401 refused 401");
    putStatus = 503;
    assertThatThrownBy(() -> withServer().upload("x.txt", file))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("upload of x.txt to " + base + "x.txt failed: HTTP 503 refused 503");
    assertThat(stored).isEmpty();
  }

  @Test
  void uploadOfAFileRefusesWhatIsNoRegularFileAndANameThatIsNotRelative(@TempDir Path dir)
      throws IOException {
    Path missing = dir.resolve("missing.bin");
    Path file = Files.write(dir.resolve("x.txt"), new byte[] {1});
    assertThatThrownBy(() -> withServer().upload("x.txt", missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("file must be a regular file but does not exist: " + missing);
    assertThatThrownBy(() -> withServer().upload("x.txt", dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("file must be a regular file but is not: " + dir);
    assertThatThrownBy(() -> withServer().upload("/etc/x.txt", file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be a relative artifact name but was '/etc/x.txt'");
    assertThat(putHeaders).isEmpty();
  }

  @Test
  void anInterruptedUploadOfAFileEndsAsACancellationAndKeepsTheInterrupt(@TempDir Path dir)
      throws IOException {
    Path file = Files.write(dir.resolve("x.txt"), new byte[] {1});
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> withServer().upload("x.txt", file))
          .isInstanceOf(CancellationException.class)
          .hasMessage("upload of x.txt was interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(stored).isEmpty();
  }

  @Test
  void artifactNamesArePercentEncodedPerSegment() {
    assertThat(ArtifactTransfers.encodePath("a b/ü#?.png")).isEqualTo("a%20b/%C3%BC%23%3F.png");
  }
}
