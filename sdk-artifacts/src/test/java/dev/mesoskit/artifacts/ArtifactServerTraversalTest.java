package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every traversal spelling of the issue, sent byte for byte over a socket (no client normalizes
 * them), against a real server whose root has a secret next to it.
 */
class ArtifactServerTraversalTest {
  private static final String SECRET = "TOP-SECRET-CONTENT";
  private static final String BEARER = "Authorization: Bearer " + TestServers.TOKEN + "\r\n";

  @TempDir
  Path tmp;

  Path root;
  RecordingStore store;
  ArtifactServer server;

  @BeforeEach
  void startServer() throws IOException {
    Files.writeString(tmp.resolve("secret.txt"), SECRET);
    root = tmp.resolve("root");
    Files.createDirectories(root.resolve("sub"));
    Files.writeString(root.resolve("sub/ok.txt"), "fine");
    store = new RecordingStore(new DirectoryStore(root));
    server = TestServers.start(store);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private List<String> allFiles() throws IOException {
    try (Stream<Path> files = Files.walk(tmp)) {
      return files.map(p -> tmp.relativize(p).toString()).sorted().toList();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/artifacts/../secret.txt",
      "/artifacts/sub/../../secret.txt",
      "/artifacts/../../../../etc/passwd",
      "/artifacts/./../secret.txt",
      "/artifacts/%2e%2e/secret.txt",
      "/artifacts/%2E%2E/secret.txt",
      "/artifacts/.%2e/secret.txt",
      "/artifacts/%2e./secret.txt",
      "/artifacts/sub/%2e%2e/%2e%2e/secret.txt",
      "/artifacts/..%2fsecret.txt",
      "/artifacts/..%2Fsecret.txt",
      "/artifacts/sub%2f..%2f..%2fsecret.txt",
      "/artifacts/%2f..%2f..%2fsecret.txt",
      "/artifacts/..%5csecret.txt",
      "/artifacts/..%5Csecret.txt",
      "/artifacts/..\\secret.txt",
      "/artifacts/%c0%ae%c0%ae/secret.txt",
      "/artifacts/%c0%ae%c0%ae%c0%afsecret.txt",
      "/artifacts/%e0%80%ae%e0%80%ae/secret.txt",
      "/artifacts/%c0%2e%c0%2e/secret.txt",
      "/artifacts/..;/secret.txt",
      "/artifacts/sub;x=1/../../secret.txt",
      "/artifacts/sub/ok.txt;jsessionid=1",
      "/artifacts/secret.txt%00.png",
      "/artifacts/sub/ok.txt%00",
      "/artifacts/%00",
      "/artifacts//etc/passwd",
      "/artifacts/%2fetc/passwd",
      "/artifacts/%252e%252e/secret.txt",
      "/artifacts/../artifacts/../secret.txt",
      "/%2e%2e/secret.txt",
      "/../secret.txt",
      "http://127.0.0.1/artifacts/../secret.txt",
      "/artifacts/sub/.ok.txt",
  })
  void refusesEveryTraversalSpellingBeforeTouchingTheStore(String target) throws IOException {
    List<String> before = allFiles();
    for (String method : List.of("GET", "HEAD", "PUT")) {
      store.clear();
      RawHttp.Reply reply = RawHttp.send(server.port(), method,
          target.getBytes(StandardCharsets.ISO_8859_1), method.equals("PUT") ? BEARER : "",
          method.equals("PUT") ? "evil".getBytes(StandardCharsets.US_ASCII) : new byte[0]);

      assertThat(reply.status()).as(method + " " + target).isEqualTo(400);
      assertThat(reply.text()).as(method + " " + target).doesNotContain(SECRET);
      assertThat(store.calls()).as(method + " " + target).isEmpty();
    }
    assertThat(allFiles()).isEqualTo(before);
    assertThat(Files.readString(tmp.resolve("secret.txt"))).isEqualTo(SECRET);
  }

  @Test
  void refusesTraversalInAnAbsoluteFormTarget() throws IOException {
    String target = "http://127.0.0.1:" + server.port() + "/artifacts/sub/../../secret.txt";

    RawHttp.Reply reply = RawHttp.send(server.port(), "GET", target);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.text()).doesNotContain(SECRET);
    assertThat(store.calls()).isEmpty();
  }

  @Test
  void refusesANulByteInTheRequestLine() throws IOException {
    RawHttp.Reply reply = RawHttp.send(server.port(), "GET",
        "/artifacts/sub/ok.txt\0.png".getBytes(StandardCharsets.ISO_8859_1), "", new byte[0]);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(store.calls()).isEmpty();
  }

  @Test
  void servesTheSameFileWhenItIsSpelledPlainly() throws IOException {
    RawHttp.Reply reply = RawHttp.send(server.port(), "GET", "/artifacts/sub/ok.txt");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.text()).isEqualTo("fine");
    assertThat(store.calls()).containsExactly("open sub/ok.txt");
  }

  @Test
  void countsEveryRefusal() throws IOException {
    RawHttp.send(server.port(), "GET", "/artifacts/..%2fsecret.txt");
    RawHttp.send(server.port(), "GET", "/artifacts/%2e%2e/secret.txt");
    RawHttp.send(server.port(), "GET", "/artifacts/..;/secret.txt");

    assertThat(server.metrics().rejects()).isEqualTo(3);
  }
}
