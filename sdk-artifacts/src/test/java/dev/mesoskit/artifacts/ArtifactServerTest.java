package dev.mesoskit.artifacts;

import static dev.mesoskit.artifacts.ArtifactStoreContract.HELLO_SHA;
import static dev.mesoskit.artifacts.ArtifactStoreContract.WORLD_SHA;
import static dev.mesoskit.artifacts.ArtifactStoreContract.bytes;
import static dev.mesoskit.artifacts.ArtifactStoreContract.sha256;
import static dev.mesoskit.artifacts.TestServers.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactServerTest {
  /**
   * IMF-fixdate (RFC 9110 section 5.6.7): a two-digit day, English names whatever the default
   * locale. {@code RFC_1123_DATE_TIME} writes a one-digit day, which HTTP dates never have.
   */
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);

  @TempDir
  Path tmp;

  DirectoryStore store;
  ArtifactServer server;

  @BeforeEach
  void startServer() {
    store = new DirectoryStore(tmp.resolve("root"));
    server = TestServers.start(store);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static String httpDate(Instant instant) {
    return HTTP_DATE.format(instant.atOffset(ZoneOffset.UTC));
  }

  private static String header(HttpResponse<?> response, String name) {
    return response.headers().firstValue(name).orElse(null);
  }

  @Test
  void servesAnArtifactWithLengthTypeTagAndDate() throws Exception {
    store.put("images/cat.png", bytes("hello"), Optional.empty());
    // A one-digit day of the month in a fixed past: the date is the test's, not the machine's.
    Files.setLastModifiedTime(tmp.resolve("root/images/cat.png"),
        FileTime.from(Instant.parse("2026-12-06T08:05:09Z")));

    HttpResponse<byte[]> response = get(server.uri("images/cat.png"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(header(response, "Content-Length")).isEqualTo("5");
    assertThat(header(response, "Content-Type")).isEqualTo("image/png");
    assertThat(header(response, "ETag")).isEqualTo('"' + HELLO_SHA + '"');
    assertThat(header(response, "Last-Modified")).isEqualTo("Sun, 06 Dec 2026 08:05:09 GMT");
    assertThat(httpDate(Instant.parse("2026-12-06T08:05:09Z")))
        .isEqualTo("Sun, 06 Dec 2026 08:05:09 GMT");
    assertThat(header(response, "Accept-Ranges")).isEqualTo("bytes");
    assertThat(header(response, "Cache-Control")).isEqualTo("no-cache");
    assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(header(response, "Server")).isNull();
    assertThat(TestServers.awaitMetrics(server, m -> m.bytesServed() == 5))
        .extracting(ArtifactServerMetrics::downloads, ArtifactServerMetrics::bytesServed)
        .containsExactly(1L, 5L);
  }

  @Test
  void servesAnEmptyArtifactAndFindsNoRangeInIt() throws Exception {
    store.put("empty.txt", bytes(""), Optional.empty());

    HttpResponse<byte[]> response = get(server.uri("empty.txt"));
    HttpResponse<byte[]> range = get(server.uri("empty.txt"), "Range", "bytes=0-");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(header(response, "Content-Length")).isEqualTo("0");
    assertThat(response.body()).isEmpty();
    assertThat(range.statusCode()).isEqualTo(416);
    assertThat(header(range, "Content-Range")).isEqualTo("bytes */0");
  }

  @Test
  void choosesTheContentTypeByExtension() throws Exception {
    for (String name : new String[] {"a.txt", "a.html", "a.json", "a.jar", "a.tar.gz", "a.bin",
        "noext"}) {
      store.put(name, bytes("x"), Optional.empty());
    }

    assertThat(header(get(server.uri("a.txt")), "Content-Type"))
        .isEqualTo("text/plain; charset=utf-8");
    assertThat(header(get(server.uri("a.html")), "Content-Type"))
        .isEqualTo("text/html; charset=utf-8");
    assertThat(header(get(server.uri("a.json")), "Content-Type")).isEqualTo("application/json");
    assertThat(header(get(server.uri("a.jar")), "Content-Type"))
        .isEqualTo("application/java-archive");
    assertThat(header(get(server.uri("a.tar.gz")), "Content-Type")).isEqualTo("application/gzip");
    assertThat(header(get(server.uri("a.bin")), "Content-Type"))
        .isEqualTo("application/octet-stream");
    assertThat(header(get(server.uri("noext")), "Content-Type"))
        .isEqualTo("application/octet-stream");
  }

  @Test
  void answersHeadWithTheHeadersOfGetAndNoBody() throws Exception {
    store.put("app.jar", bytes("hello"), Optional.empty());

    RawHttp.Reply reply = RawHttp.send(server.port(), "HEAD", "/artifacts/app.jar");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Length")).isEqualTo("5");
    assertThat(reply.header("ETag")).isEqualTo('"' + HELLO_SHA + '"');
    assertThat(reply.header("Content-Type")).isEqualTo("application/java-archive");
    assertThat(server.metrics().downloads()).isZero();
    assertThat(server.metrics().bytesServed()).isZero();
  }

  @Test
  void servesNamesThatNeedPercentEncoding() throws Exception {
    store.put("café/a b;c.txt", bytes("hello"), Optional.empty());

    URI uri = server.uri("café/a b;c.txt");

    assertThat(uri.getRawPath()).isEqualTo("/artifacts/caf%C3%A9/a%20b%3Bc.txt");
    assertThat(get(uri).body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void listsNoDirectoryAndFindsNothingWhereNothingIs() throws Exception {
    store.put("dir/a.txt", bytes("hello"), Optional.empty());

    for (String path : new String[] {"/", "/artifacts", "/artifacts/", "/artifacts/dir",
        "/artifacts/missing", "/index.html", "/dir/a.txt"}) {
      RawHttp.Reply reply = RawHttp.send(server.port(), "GET", path);
      assertThat(reply.status()).as(path).isEqualTo(404);
      assertThat(reply.text()).as(path).doesNotContain("a.txt");
    }
    RawHttp.Reply slash = RawHttp.send(server.port(), "GET", "/artifacts/dir/");
    assertThat(slash.status()).isEqualTo(400);
    assertThat(slash.text())
        .isEqualTo("Bad Request: name must not have empty segments but was 'dir/'\n");
    assertThat(RawHttp.send(server.port(), "GET", "/artifacts/missing").status()).isEqualTo(404);
    assertThat(RawHttp.send(server.port(), "GET", "/artifacts/missing").text())
        .isEqualTo("not found\n");
  }

  @Test
  void refusesOtherMethodsWith405() throws Exception {
    store.put("a.txt", bytes("hello"), Optional.empty());

    for (String method : new String[] {"POST", "DELETE", "PATCH", "OPTIONS"}) {
      RawHttp.Reply reply = RawHttp.send(server.port(), method, "/artifacts/a.txt");
      assertThat(reply.status()).as(method).isEqualTo(405);
      assertThat(reply.header("Allow")).isEqualTo("GET, HEAD, PUT");
      assertThat(reply.text()).isEqualTo("Method Not Allowed: method not allowed: " + method
          + "\n");
    }
    assertThat(RawHttp.send(server.port(), "PUT", "/metrics").header("Allow"))
        .isEqualTo("GET, HEAD");
    assertThat(store.stat("a.txt")).isPresent();
  }

  @Test
  void answersConditionalGetsOnTheTag() throws Exception {
    store.put("a.txt", bytes("hello"), Optional.empty());
    URI uri = server.uri("a.txt");
    String etag = '"' + HELLO_SHA + '"';

    HttpResponse<byte[]> notModified = get(uri, "If-None-Match", etag);
    assertThat(notModified.statusCode()).isEqualTo(304);
    assertThat(notModified.body()).isEmpty();
    assertThat(header(notModified, "ETag")).isEqualTo(etag);
    assertThat(get(uri, "If-None-Match", "\"other\", " + etag).statusCode()).isEqualTo(304);
    assertThat(get(uri, "If-None-Match", "W/" + etag).statusCode()).isEqualTo(304);
    assertThat(get(uri, "If-None-Match", "*").statusCode()).isEqualTo(304);
    assertThat(get(uri, "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);

    assertThat(get(uri, "If-Match", etag).statusCode()).isEqualTo(200);
    assertThat(get(uri, "If-Match", "*").statusCode()).isEqualTo(200);
    assertThat(get(uri, "If-Match", "\"other\"").statusCode()).isEqualTo(412);
    assertThat(get(uri, "If-Match", "W/" + etag).statusCode()).isEqualTo(412);
    assertThat(server.metrics().downloads()).isEqualTo(3);
  }

  @Test
  void answersConditionalGetsOnTheDate() throws Exception {
    Artifact stored = store.put("a.txt", bytes("hello"), Optional.empty());
    URI uri = server.uri("a.txt");
    Instant modified = stored.modified();

    assertThat(get(uri, "If-Modified-Since", httpDate(modified)).statusCode()).isEqualTo(304);
    assertThat(get(uri, "If-Modified-Since", httpDate(modified.plusSeconds(60))).statusCode())
        .isEqualTo(304);
    assertThat(get(uri, "If-Modified-Since", httpDate(modified.minusSeconds(60))).statusCode())
        .isEqualTo(200);
    assertThat(get(uri, "If-Modified-Since", "not a date").statusCode()).isEqualTo(200);
    assertThat(get(uri, "If-None-Match", "\"other\"", "If-Modified-Since", httpDate(modified))
        .statusCode()).as("If-None-Match wins over If-Modified-Since").isEqualTo(200);

    assertThat(get(uri, "If-Unmodified-Since", httpDate(modified)).statusCode()).isEqualTo(200);
    assertThat(get(uri, "If-Unmodified-Since", httpDate(modified.minusSeconds(60))).statusCode())
        .isEqualTo(412);
    assertThat(get(uri, "If-Match", '"' + HELLO_SHA + '"', "If-Unmodified-Since",
        httpDate(modified.minusSeconds(60))).statusCode())
        .as("If-Match wins over If-Unmodified-Since").isEqualTo(200);
  }

  @Test
  void servesOneRangeAsPartialContent() throws Exception {
    store.put("digits", bytes("0123456789"), Optional.empty());
    URI uri = server.uri("digits");

    HttpResponse<byte[]> partial = get(uri, "Range", "bytes=2-5");
    assertThat(partial.statusCode()).isEqualTo(206);
    assertThat(new String(partial.body(), StandardCharsets.US_ASCII)).isEqualTo("2345");
    assertThat(header(partial, "Content-Range")).isEqualTo("bytes 2-5/10");
    assertThat(header(partial, "Content-Length")).isEqualTo("4");
    assertThat(header(partial, "ETag")).isEqualTo('"' + sha256("0123456789".getBytes()) + '"');

    assertThat(new String(get(uri, "Range", "bytes=-3").body(), StandardCharsets.US_ASCII))
        .isEqualTo("789");
    assertThat(new String(get(uri, "Range", "bytes=7-").body(), StandardCharsets.US_ASCII))
        .isEqualTo("789");
    assertThat(new String(get(uri, "Range", "bytes=8-100").body(), StandardCharsets.US_ASCII))
        .isEqualTo("89");
    assertThat(TestServers.awaitMetrics(server, m -> m.bytesServed() == 12).bytesServed())
        .isEqualTo(4 + 3 + 3 + 2);
  }

  @Test
  void answersARangePastTheEndWith416() throws Exception {
    store.put("digits", bytes("0123456789"), Optional.empty());

    HttpResponse<byte[]> response = get(server.uri("digits"), "Range", "bytes=10-");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(header(response, "Content-Range")).isEqualTo("bytes */10");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void answersSeveralRangesOrAnInvalidOneWithTheWholeArtifact() throws Exception {
    store.put("digits", bytes("0123456789"), Optional.empty());

    for (String range : new String[] {"bytes=0-1,5-6", "bytes=5-1", "lines=1-2"}) {
      HttpResponse<byte[]> response = get(server.uri("digits"), "Range", range);
      assertThat(response.statusCode()).as(range).isEqualTo(200);
      assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("0123456789");
    }
  }

  @Test
  void honoursIfRangeOnlyForTheCurrentVersion() throws Exception {
    Artifact stored = store.put("digits", bytes("0123456789"), Optional.empty());
    URI uri = server.uri("digits");
    String etag = '"' + stored.sha256() + '"';

    assertThat(get(uri, "Range", "bytes=0-1", "If-Range", etag).statusCode()).isEqualTo(206);
    assertThat(get(uri, "Range", "bytes=0-1", "If-Range", "\"old\"").statusCode())
        .isEqualTo(200);
    assertThat(get(uri, "Range", "bytes=0-1", "If-Range", "W/" + etag).statusCode())
        .isEqualTo(200);
    assertThat(get(uri, "Range", "bytes=0-1", "If-Range", httpDate(stored.modified()))
        .statusCode()).isEqualTo(206);
    assertThat(get(uri, "Range", "bytes=0-1", "If-Range",
        httpDate(stored.modified().minusSeconds(5))).statusCode()).isEqualTo(200);
  }

  @Test
  void ignoresRangesOnHead() throws Exception {
    store.put("digits", bytes("0123456789"), Optional.empty());

    RawHttp.Reply reply = RawHttp.send(server.port(), "HEAD", "/artifacts/digits".getBytes(),
        "Range: bytes=0-1\r\n", new byte[0]);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Length")).isEqualTo("10");
  }

  @Test
  void servesAFileLargerThanOneMappedChunkAndRangesAcrossChunks() throws Exception {
    byte[] content = new byte[BodyWriter.MAPPED_CHUNK_BYTES + 1_000_003];
    new Random(7).nextBytes(content);
    Files.write(store.root().resolve("big.bin"), content);

    HttpResponse<byte[]> whole = get(server.uri("big.bin"));
    int first = BodyWriter.MAPPED_CHUNK_BYTES - 10;
    HttpResponse<byte[]> across = get(server.uri("big.bin"), "Range",
        "bytes=" + first + "-" + (first + 99));

    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(sha256(whole.body())).isEqualTo(sha256(content));
    assertThat(header(whole, "ETag")).isEqualTo('"' + sha256(content) + '"');
    assertThat(across.body()).isEqualTo(Arrays.copyOfRange(content, first, first + 100));
  }

  @Test
  void servesAStoreThatIsNoFileSystem() throws Exception {
    byte[] content = new byte[3 * BodyWriter.COPIED_CHUNK_BYTES + 17];
    new Random(8).nextBytes(content);
    try (ArtifactServer memory = TestServers.start(new InMemoryStore())) {
      memory.store().put("big.bin", new java.io.ByteArrayInputStream(content), Optional.empty());

      HttpResponse<byte[]> whole = get(memory.uri("big.bin"));
      HttpResponse<byte[]> tail = get(memory.uri("big.bin"), "Range", "bytes=-200000");

      assertThat(sha256(whole.body())).isEqualTo(sha256(content));
      assertThat(tail.body())
          .isEqualTo(Arrays.copyOfRange(content, content.length - 200000, content.length));
      long expected = content.length + 200000L;
      assertThat(TestServers.awaitMetrics(memory, m -> m.bytesServed() == expected)
          .bytesServed()).isEqualTo(expected);
    }
  }

  @Test
  void publishesAFileUnderAContentAddressedUri() throws Exception {
    Path jar = Files.writeString(tmp.resolve("app.jar"), "hello");

    URI uri = server.publish(jar);

    assertThat(uri).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/artifacts/"
        + HELLO_SHA + "/app.jar"));
    HttpResponse<byte[]> response = get(uri);
    assertThat(response.body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(header(response, "Cache-Control"))
        .isEqualTo("public, max-age=31536000, immutable");
  }

  @Test
  void publishingTheSameContentAgainStoresNothingAndChangedContentGetsANewUri()
      throws Exception {
    Path jar = Files.writeString(tmp.resolve("app.jar"), "hello");
    URI first = server.publish(jar);
    Instant storedAt = store.stat(HELLO_SHA + "/app.jar").orElseThrow().modified();
    Thread.sleep(20);

    assertThat(server.publish(jar)).isEqualTo(first);
    assertThat(store.stat(HELLO_SHA + "/app.jar").orElseThrow().modified()).isEqualTo(storedAt);

    Files.writeString(jar, "world"); // in place: the published copy is not touched
    URI second = server.publish(jar);
    assertThat(second).isNotEqualTo(first);
    assertThat(second.getPath()).endsWith("/app.jar");
    assertThat(get(first).body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(get(second).body()).isEqualTo("world".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void publishLinkedLinksTheFileAndAnInPlaceRewriteMakesItsUriGoneNotWrong() throws Exception {
    Path jar = Files.writeString(tmp.resolve("app.jar"), "hello");
    URI first = server.publishLinked(jar);
    assertThat(first).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/artifacts/"
        + HELLO_SHA + "/app.jar"));
    assertThat(get(first).body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(Files.getAttribute(jar, "unix:nlink")).isEqualTo(2); // linked, not copied

    Files.writeString(jar, "world"); // truncated and rewritten: the linked artifact changes too
    Files.setLastModifiedTime(jar, java.nio.file.attribute.FileTime.from(
        Instant.parse("2020-01-01T00:00:00Z"))); // same size: apart from the clock's tick
    HttpResponse<byte[]> gone = get(first);

    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(new String(gone.body(), StandardCharsets.UTF_8)).isEqualTo("Gone: " + HELLO_SHA
        + "/app.jar now holds other bytes (SHA-256 " + WORLD_SHA + "); its file was changed"
        + " after it was stored\n");
    assertThat(server.metrics().notFound()).isEqualTo(1);
    URI second = server.publishLinked(jar);
    assertThat(get(second).body()).isEqualTo("world".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void publishCopiesTheFile() throws Exception {
    Path jar = Files.writeString(tmp.resolve("app.jar"), "hello");

    server.publish(jar);

    assertThat(Files.getAttribute(jar, "unix:nlink")).isEqualTo(1);
    assertThat(Files.isSameFile(jar, store.root().resolve(HELLO_SHA + "/app.jar"))).isFalse();
  }

  @Test
  void publishesFileNamesInNfc() throws Exception {
    Path file = Files.writeString(tmp.resolve("cafe\u0301.txt"), "hello");

    URI uri = server.publish(file);

    assertThat(uri.getRawPath()).endsWith("/caf%C3%A9.txt");
    assertThat(store.stat(HELLO_SHA + "/café.txt")).isPresent();
  }

  @Test
  void refusesToPublishWhatIsNoRegularFileOrHasABadName() throws IOException {
    Path missing = tmp.resolve("missing.jar");
    Path hidden = Files.writeString(tmp.resolve(".hidden"), "x");

    assertThatThrownBy(() -> server.publish(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("file must be a regular file but does not exist: " + missing);
    assertThatThrownBy(() -> server.publish(tmp))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("file must be a regular file but is not: " + tmp);
    assertThatThrownBy(() -> server.publish(hidden))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name segments must not start with '.' but was '"
            + "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881/.hidden'");
  }

  @Test
  void putsTheAdvertisedHostNotTheBindAddressInEveryUri() {
    try (ArtifactServer advertised = TestServers.loopback(new InMemoryStore())
        .advertisedHost("artifacts.example.com").build().start()) {
      int port = advertised.port();

      assertThat(advertised.baseUri())
          .isEqualTo(URI.create("http://artifacts.example.com:" + port + "/artifacts/"));
      assertThat(advertised.uri("a b.txt"))
          .isEqualTo(URI.create("http://artifacts.example.com:" + port + "/artifacts/a%20b.txt"));
      assertThat(advertised.metricsUri())
          .isEqualTo(URI.create("http://artifacts.example.com:" + port + "/metrics"));
    }
    try (ArtifactServer ipv6 = TestServers.loopback(new InMemoryStore())
        .advertisedHost("fd00::1").build().start()) {
      assertThat(ipv6.baseUri().toString())
          .isEqualTo("http://[fd00::1]:" + ipv6.port() + "/artifacts/");
    }
  }

  @Test
  void advertisesTheBindAddressWhenItIsNoWildcardAndNothingElseIsSet() {
    assertThat(server.baseUri())
        .isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/artifacts/"));
  }

  @Test
  void picksAFreePortForPortZero() {
    try (ArtifactServer other = TestServers.start(new InMemoryStore())) {
      assertThat(other.port()).isPositive().isNotEqualTo(server.port());
    }
  }

  @Test
  void failsToStartOnAPortInUse() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      ArtifactServer clash = TestServers.loopback(new InMemoryStore()).port(taken.getLocalPort())
          .build();

      assertThatThrownBy(clash::start)
          .isInstanceOf(MesosKitException.class)
          .hasMessage("cannot start artifact server: bind=127.0.0.1 port=" + taken.getLocalPort());
      assertThatThrownBy(clash::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("ArtifactServer was already started");
    }
  }

  @Test
  void startsOnceAndClosesIdempotently() {
    ArtifactServer latent = TestServers.loopback(new InMemoryStore()).build();
    assertThatThrownBy(latent::baseUri)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ArtifactServer is not started");
    assertThatThrownBy(() -> latent.uri("a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ArtifactServer is not started");
    assertThat(latent.toString()).isEqualTo("ArtifactServer[not started, InMemoryStore[0 artifacts]]");

    latent.start();
    assertThatThrownBy(latent::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ArtifactServer was already started");
    int port = latent.port();
    latent.close();
    latent.close();

    assertThatThrownBy(latent::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("ArtifactServer was already started");
    assertThatThrownBy(() -> RawHttp.send(port, "GET", "/metrics"))
        .isInstanceOf(java.net.ConnectException.class);
  }

  @Test
  void generatesAnUnguessableTokenUnlessOneIsGiven() {
    ArtifactServer a = ArtifactServer.builder().store(new InMemoryStore()).build();
    ArtifactServer b = ArtifactServer.builder().store(new InMemoryStore()).build();

    assertThat(a.uploadToken()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(b.uploadToken());
    assertThat(server.uploadToken()).isEqualTo(TestServers.TOKEN);
  }

  @Test
  void handsTasksTheUploadUrlAndToken() {
    assertThat(server.taskEnvironment()).containsOnly(
        org.assertj.core.api.Assertions.entry("MESOSKIT_ARTIFACTS_URL",
            "http://127.0.0.1:" + server.port() + "/artifacts/"),
        org.assertj.core.api.Assertions.entry("MESOSKIT_ARTIFACTS_TOKEN", TestServers.TOKEN));
  }

  @Test
  void refusesABadConfigurationAtBuild() {
    assertThatThrownBy(() -> ArtifactServer.builder().build())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("store must be set");
    ArtifactServer.Builder builder = ArtifactServer.builder().store(new InMemoryStore());
    assertThatThrownBy(() -> builder.port(70000).build())
        .hasMessage("port must be between 0 and 65535 but was 70000");
    builder.port(0);
    assertThatThrownBy(() -> builder.bindAddress(" ").build())
        .hasMessage("bindAddress must not be blank but was  ");
    builder.bindAddress("127.0.0.1");
    assertThatThrownBy(() -> builder.advertisedHost("0.0.0.0").build())
        .hasMessage("advertisedHost must be a host agents can reach but was '0.0.0.0'");
    builder.advertisedHost("localhost");
    assertThatThrownBy(() -> builder.uploadToken("short").build())
        .hasMessage("uploadToken must be at least 16 characters but was 5");
    assertThatThrownBy(() -> builder.uploadToken("0123456789abcdef\n").build())
        .hasMessage(
            "uploadToken must hold only A-Z a-z 0-9 - . _ ~ + / but had U+000A at index 16");
    builder.uploadToken(TestServers.TOKEN);
    assertThatThrownBy(() -> builder.maxUploadBytes(0).build())
        .hasMessage("maxUploadBytes must be >= 1 but was 0");
  }

  @Test
  void showsItsCountersInPrometheusTextFormat() throws Exception {
    store.put("a.txt", bytes("hello"), Optional.empty());
    get(server.uri("a.txt"));
    get(server.uri("missing"));
    RawHttp.send(server.port(), "GET", "/artifacts/..%2fx");
    TestServers.awaitMetrics(server, m -> m.bytesServed() == 5);

    HttpResponse<byte[]> metrics = get(server.metricsUri());

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(header(metrics, "Content-Type"))
        .isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    assertThat(new String(metrics.body(), StandardCharsets.UTF_8)).isEqualTo("""
        # HELP mesoskit_artifacts_served_bytes_total Bytes of artifact content sent in GET responses.
        # TYPE mesoskit_artifacts_served_bytes_total counter
        mesoskit_artifacts_served_bytes_total 5
        # HELP mesoskit_artifacts_downloads_total GET responses that started sending artifact content.
        # TYPE mesoskit_artifacts_downloads_total counter
        mesoskit_artifacts_downloads_total 1
        # HELP mesoskit_artifacts_uploads_total Uploads stored.
        # TYPE mesoskit_artifacts_uploads_total counter
        mesoskit_artifacts_uploads_total 0
        # HELP mesoskit_artifacts_uploaded_bytes_total Bytes of artifact content stored by uploads.
        # TYPE mesoskit_artifacts_uploaded_bytes_total counter
        mesoskit_artifacts_uploaded_bytes_total 0
        # HELP mesoskit_artifacts_rejects_total Requests refused as bad or unauthorized.
        # TYPE mesoskit_artifacts_rejects_total counter
        mesoskit_artifacts_rejects_total 1
        # HELP mesoskit_artifacts_not_found_total Requests for artifacts or paths that do not exist, or no longer hold the bytes their content address names.
        # TYPE mesoskit_artifacts_not_found_total counter
        mesoskit_artifacts_not_found_total 1
        """);
    assertThat(server.metrics()).isEqualTo(new ArtifactServerMetrics(5, 1, 0, 0, 1, 1));
  }

  @Test
  void aServerRestartedOnTheSameDirectoryServesWhatWasUploaded() throws Exception {
    HttpResponse<byte[]> put = TestServers.put(server.uri("results/out.txt"),
        "hello".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + TestServers.TOKEN);
    assertThat(put.statusCode()).isEqualTo(201);
    server.close();

    try (ArtifactServer restarted = TestServers.start(new DirectoryStore(tmp.resolve("root")))) {
      HttpResponse<byte[]> response = get(restarted.uri("results/out.txt"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
      assertThat(header(response, "ETag")).isEqualTo('"' + HELLO_SHA + '"');
    }
  }
}
