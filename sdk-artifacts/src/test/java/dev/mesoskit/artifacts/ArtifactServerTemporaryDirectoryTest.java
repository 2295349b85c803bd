package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A server on a temporary directory serves from it while it runs and deletes it when closed. */
class ArtifactServerTemporaryDirectoryTest {
  @Test
  void servesFromANewTemporaryDirectoryAndDeletesItWithEverythingInItOnClose() throws Exception {
    ArtifactServer server = ArtifactServer.builder().temporaryDirectory("tmpdir-test-")
        .bindAddress("127.0.0.1").build().start();
    Path directory = ((DirectoryStore) server.store()).root();
    assertThat(directory.getFileName().toString()).startsWith("tmpdir-test-");
    server.store().put("nested/dir/greeting.txt",
        new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)), Optional.empty());
    URI uri = server.uri("nested/dir/greeting.txt");
    HttpResponse<String> get = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(get.body()).isEqualTo("hello");
    server.close();
    assertThat(directory).doesNotExist();
    server.close(); // idempotent
  }

  @Test
  void aServerClosedWithoutEverStartingStillDeletesItsDirectory() {
    ArtifactServer server = ArtifactServer.builder().temporaryDirectory("tmpdir-test-")
        .bindAddress("127.0.0.1").build();
    Path directory = ((DirectoryStore) server.store()).root();
    assertThat(directory).isDirectory();
    server.close();
    assertThat(directory).doesNotExist();
  }

  @Test
  void aServerThatCannotBindDeletesItsDirectoryAndEachBuildGetsItsOwn() throws Exception {
    ArtifactServer.Builder builder = ArtifactServer.builder().temporaryDirectory("tmpdir-test-")
        .bindAddress("127.0.0.1");
    try (ArtifactServer first = builder.build().start()) {
      ArtifactServer second = builder.port(first.port()).build();
      Path directory = ((DirectoryStore) second.store()).root();
      assertThat(directory).isNotEqualTo(((DirectoryStore) first.store()).root()).isDirectory();
      assertThatThrownBy(second::start).isInstanceOf(MesosKitException.class)
          .hasMessageStartingWith("cannot start artifact server: bind=127.0.0.1 port=");
      assertThat(directory).doesNotExist();
      assertThat(((DirectoryStore) first.store()).root()).isDirectory();
    }
  }

  @Test
  void aGivenDirectoryIsKeptOnClose() throws Exception {
    Path directory = Files.createTempDirectory("kept-");
    try {
      ArtifactServer.builder().directory(directory).bindAddress("127.0.0.1").build().start()
          .close();
      assertThat(directory).isDirectory();
    } finally {
      Files.delete(directory);
    }
  }
}
