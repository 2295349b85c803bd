package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged server jar the way the README says, as another process. */
class ArtifactServerJarIT {
  @TempDir
  Path tmp;

  private static Path jar() throws IOException {
    try (Stream<Path> files = Files.list(Path.of("target"))) {
      return files.filter(p -> p.getFileName().toString().matches("sdk-artifacts-.*-server\\.jar"))
          .findFirst().orElseThrow(() -> new AssertionError("no server jar in target/"));
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theJarServesUploadsWithTheTokenItPrints() throws Exception {
    Process server = new ProcessBuilder(List.of(java(), "-Xmx64m", "-jar", jar().toString(),
        "--dir", tmp.resolve("root").toString(), "--bind", "127.0.0.1", "--port", "0",
        "--advertise", "127.0.0.1"))
        .redirectError(tmp.resolve("server.err").toFile())
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String url = out.readLine();
      String token = out.readLine();
      assertThat(url).matches("MESOSKIT_ARTIFACTS_URL=http://127\\.0\\.0\\.1:\\d+/artifacts/");
      assertThat(token).matches("MESOSKIT_ARTIFACTS_TOKEN=[A-Za-z0-9_-]{43}");
      URI uri = URI.create(url.substring(url.indexOf('=') + 1) + "results/hello.txt");

      HttpResponse<byte[]> put = TestServers.put(uri, "hello".getBytes(StandardCharsets.UTF_8),
          "Authorization", "Bearer " + token.substring(token.indexOf('=') + 1));
      HttpResponse<byte[]> get = TestServers.get(uri);
      HttpResponse<byte[]> metrics = TestServers.get(uri.resolve("/metrics"));

      assertThat(put.statusCode()).isEqualTo(201);
      assertThat(new String(get.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(new String(metrics.body(), StandardCharsets.UTF_8))
          .contains("mesoskit_artifacts_uploads_total 1\n");
      assertThat(Files.readString(tmp.resolve("root/results/hello.txt"))).isEqualTo("hello");
    } finally {
      server.destroy();
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Files.readString(tmp.resolve("server.err")))
        .contains("artifact server started bind=127.0.0.1")
        .contains("artifact uploaded name=results/hello.txt size=5")
        .contains("artifact server stopped");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void theJarPrintsItsUsage() throws Exception {
    Process help = new ProcessBuilder(List.of(java(), "-jar", jar().toString(), "--help"))
        .redirectErrorStream(true).start();

    String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(help.waitFor()).isZero();
    assertThat(text).startsWith("Usage: mesoskit-artifacts");
  }
}
