package dev.mesoskit.artifacts;

import static dev.mesoskit.artifacts.ArtifactStoreContract.HELLO_SHA;
import static dev.mesoskit.artifacts.ArtifactStoreContract.WORLD_SHA;
import static dev.mesoskit.artifacts.ArtifactStoreContract.sha256;
import static dev.mesoskit.artifacts.TestServers.TOKEN;
import static dev.mesoskit.artifacts.TestServers.put;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactServerUploadTest {
  private static final String AUTH = "Authorization";
  private static final String BEARER = "Bearer " + TOKEN;
  private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
  private static final byte[] WORLD = "world".getBytes(StandardCharsets.UTF_8);
  private static final int LIMIT = 64 * 1024;

  @TempDir
  Path tmp;

  DirectoryStore store;
  ArtifactServer server;

  @BeforeEach
  void startServer() {
    store = new DirectoryStore(tmp.resolve("root"));
    server = TestServers.loopback(store).maxUploadBytes(LIMIT).build().start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private List<String> filesInRoot() throws IOException {
    try (Stream<Path> files = Files.walk(store.root())) {
      return files.filter(Files::isRegularFile).map(p -> store.root().relativize(p).toString())
          .sorted().toList();
    }
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void storesAnUploadWithTheTokenAndAnswers201WithTheUri() throws Exception {
    URI uri = server.uri("results/task-1/out.txt");

    HttpResponse<byte[]> response = put(uri, HELLO, AUTH, BEARER);

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.headers().firstValue("Location")).contains(uri.toString());
    assertThat(response.headers().firstValue("ETag")).contains('"' + HELLO_SHA + '"');
    assertThat(text(response)).isEqualTo(uri + "\n");
    assertThat(Files.readString(store.root().resolve("results/task-1/out.txt")))
        .isEqualTo("hello");
    assertThat(TestServers.get(uri).body()).isEqualTo(HELLO);
    assertThat(server.metrics().uploads()).isEqualTo(1);
    assertThat(server.metrics().bytesUploaded()).isEqualTo(5);
  }

  @Test
  void answers200WhenAnUploadReplacesAnArtifact() throws Exception {
    put(server.uri("out.txt"), HELLO, AUTH, BEARER);

    HttpResponse<byte[]> response = put(server.uri("out.txt"), WORLD, AUTH, BEARER);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestServers.get(server.uri("out.txt")).body()).isEqualTo(WORLD);
  }

  @Test
  void acceptsTheBearerSchemeInAnyCase() throws Exception {
    assertThat(put(server.uri("a"), HELLO, AUTH, "bearer " + TOKEN).statusCode()).isEqualTo(201);
    assertThat(put(server.uri("b"), HELLO, AUTH, "BEARER  " + TOKEN).statusCode())
        .isEqualTo(201);
  }

  @Test
  void refusesAnUploadWithoutTheRightTokenAndStoresNothing() throws Exception {
    List<String[]> attempts = List.of(
        new String[] {},
        new String[] {AUTH, "Bearer wrong-token-0123456789"},
        new String[] {AUTH, "Bearer " + TOKEN + "x"},
        new String[] {AUTH, "Bearer " + TOKEN.substring(1)},
        new String[] {AUTH, "Bearer"},
        new String[] {AUTH, "Basic " + java.util.Base64.getEncoder().encodeToString(
            ("user:" + TOKEN).getBytes(StandardCharsets.UTF_8))},
        new String[] {AUTH, TOKEN});
    for (String[] headers : attempts) {
      HttpResponse<byte[]> response = put(server.uri("out.txt"), HELLO, headers);

      assertThat(response.statusCode()).as(String.join(" ", headers)).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .contains("Bearer realm=\"mesoskit-artifacts\"");
      assertThat(text(response)).isEqualTo("Unauthorized: a valid bearer token is required\n");
      assertThat(response.headers().firstValue("Connection")).contains("close");
    }
    assertThat(filesInRoot()).isEmpty();
    assertThat(server.metrics().rejects()).isEqualTo(attempts.size());
    assertThat(server.metrics().uploads()).isZero();
  }

  @Test
  void refusesAnUploadAnnouncedLargerThanTheLimitBeforeReadingIt() throws Exception {
    RawHttp.Reply reply = RawHttp.send(server.port(), "PUT", "/artifacts/big".getBytes(),
        "Authorization: " + BEARER + "\r\n", new byte[LIMIT + 1]);

    assertThat(reply.status()).isEqualTo(413);
    assertThat(reply.text()).isEqualTo("Payload Too Large: upload exceeds the limit of "
        + LIMIT + " bytes\n");
    assertThat(filesInRoot()).isEmpty();
    assertThat(server.metrics().rejects()).isEqualTo(1);
  }

  @Test
  void refusesAStreamedUploadThatGrowsPastTheLimitAndStoresNothing() throws Exception {
    put(server.uri("big"), HELLO, AUTH, BEARER);
    InputStream overLimit = new java.io.ByteArrayInputStream(new byte[LIMIT + 1]);

    HttpResponse<byte[]> response = TestServers.send(TestServers.request(server.uri("big"))
        .header(AUTH, BEARER)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> overLimit)));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(filesInRoot()).containsExactly("big");
    assertThat(TestServers.get(server.uri("big")).body()).isEqualTo(HELLO);
  }

  @Test
  void acceptsAnUploadOfExactlyTheLimit() throws Exception {
    HttpResponse<byte[]> response = TestServers.send(TestServers.request(server.uri("max"))
        .header(AUTH, BEARER)
        .PUT(HttpRequest.BodyPublishers.ofInputStream(
            () -> new java.io.ByteArrayInputStream(new byte[LIMIT]))));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(store.stat("max").orElseThrow().size()).isEqualTo(LIMIT);
  }

  @Test
  void storesAnUploadWhoseChecksumMatches() throws Exception {
    HttpResponse<byte[]> response = put(server.uri("out.txt"), HELLO, AUTH, BEARER,
        "X-Checksum-Sha256", HELLO_SHA.toUpperCase());

    assertThat(response.statusCode()).isEqualTo(201);
  }

  @Test
  void refusesAnUploadWhoseChecksumDoesNotMatchAndStoresNothing() throws Exception {
    put(server.uri("out.txt"), HELLO, AUTH, BEARER);

    HttpResponse<byte[]> response = put(server.uri("out.txt"), WORLD, AUTH, BEARER,
        "X-Checksum-Sha256", HELLO_SHA);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(text(response)).isEqualTo("Bad Request: sha256 mismatch: name=out.txt expected="
        + HELLO_SHA + " actual=" + WORLD_SHA + "\n");
    assertThat(filesInRoot()).containsExactly("out.txt");
    assertThat(TestServers.get(server.uri("out.txt")).body()).isEqualTo(HELLO);
  }

  @Test
  void anUploadToAContentAddressedNameMustHaveThatSha256() throws Exception {
    HttpResponse<byte[]> wrongBody = put(server.uri(HELLO_SHA + "/a.txt"), WORLD, AUTH, BEARER);
    HttpResponse<byte[]> wrongHeader = put(server.uri(HELLO_SHA + "/a.txt"), HELLO, AUTH, BEARER,
        "X-Checksum-Sha256", WORLD_SHA);
    assertThat(filesInRoot()).isEmpty();
    HttpResponse<byte[]> right = put(server.uri(HELLO_SHA + "/a.txt"), HELLO, AUTH, BEARER);

    assertThat(wrongBody.statusCode()).isEqualTo(400);
    assertThat(text(wrongBody)).isEqualTo("Bad Request: sha256 mismatch: name=" + HELLO_SHA
        + "/a.txt expected=" + HELLO_SHA + " actual=" + WORLD_SHA + "\n");
    assertThat(wrongHeader.statusCode()).isEqualTo(400);
    assertThat(text(wrongHeader)).isEqualTo("Bad Request: name " + HELLO_SHA + "/a.txt is"
        + " content-addressed: its X-Checksum-Sha256 must be " + HELLO_SHA + " but was "
        + WORLD_SHA + "\n");
    assertThat(right.statusCode()).isEqualTo(201);
    assertThat(filesInRoot()).containsExactly(HELLO_SHA + "/a.txt");
    // a name that merely starts like one (upper case, 63 digits) is not content-addressed
    assertThat(put(server.uri(HELLO_SHA.toUpperCase() + "/a.txt"), WORLD, AUTH, BEARER)
        .statusCode()).isEqualTo(201);
    assertThat(put(server.uri(HELLO_SHA.substring(1) + "/a.txt"), WORLD, AUTH, BEARER)
        .statusCode()).isEqualTo(201);
  }

  @Test
  void refusesAMalformedChecksumHeader() throws Exception {
    HttpResponse<byte[]> response = put(server.uri("out.txt"), HELLO, AUTH, BEARER,
        "X-Checksum-Sha256", "md5:abc");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(text(response))
        .isEqualTo("Bad Request: expected sha256 must be 64 hex digits but was 'md5:abc'\n");
    assertThat(filesInRoot()).isEmpty();
  }

  @Test
  void refusesAnUploadThatClashesWithAStoredArtifactWith409() throws Exception {
    put(server.uri("a"), HELLO, AUTH, BEARER);

    HttpResponse<byte[]> response = put(server.uri("a/b"), HELLO, AUTH, BEARER);

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(text(response))
        .isEqualTo("Conflict: name clashes with a stored artifact: name=a/b artifact=a\n");
  }

  @Test
  void storesNothingWhenTheClientGoesAwayMidUpload() throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.port())) {
      socket.getOutputStream().write(("PUT /artifacts/cut HTTP/1.1\r\nHost: x\r\n"
          + "Authorization: " + BEARER + "\r\nContent-Length: 10000\r\n\r\n"
          + "only a part").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      Thread.sleep(200);
    }
    Thread.sleep(300);

    assertThat(filesInRoot()).isEmpty();
    assertThat(store.stat("cut")).isEmpty();
  }

  @Test
  void servesWhatWasUploadedWithItsChecksumAsTag() throws Exception {
    byte[] content = new byte[LIMIT];
    new java.util.Random(3).nextBytes(content);
    put(server.uri("data.bin"), content, AUTH, BEARER);

    HttpResponse<byte[]> response = TestServers.get(server.uri("data.bin"));

    assertThat(response.headers().firstValue("ETag")).contains('"' + sha256(content) + '"');
    assertThat(response.body()).isEqualTo(content);
    assertThat(store.stat("data.bin").map(Artifact::sha256)).isEqualTo(
        Optional.of(sha256(content)));
  }
}
