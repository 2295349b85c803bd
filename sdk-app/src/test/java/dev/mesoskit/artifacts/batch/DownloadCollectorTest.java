package dev.mesoskit.artifacts.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BatchCollector.download against a real ArtifactServer on loopback. */
@Timeout(30)
class DownloadCollectorTest {
  private static final Task FINISHED = new Task(TaskId.of("t-a"), "a", TaskState.FINISHED, 1, true,
      Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
      Instant.EPOCH, Instant.EPOCH);

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void downloadsTheArtifactIntoPlaceAndReplacesAnEarlierHalfResult(@TempDir Path tmp)
      throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("a.png"), "half of an earlier run");
    Files.writeString(out.resolve(".a.png.99.part"), "left by a crash");
    try (ArtifactServer server = ArtifactServer.builder().directory(tmp.resolve("store"))
        .bindAddress("127.0.0.1").advertisedHost("127.0.0.1").port(0).build().start()) {
      byte[] content = new byte[300_000];
      new java.util.Random(7).nextBytes(content);
      server.store().put("results/a.png", new ByteArrayInputStream(content), Optional.empty());
      BatchCollector collector = BatchCollector.download(out,
          key -> server.uri("results/" + key));
      assertThat(names(out)).containsExactly(".a.png.99.part", "a.png"); // until prepare
      collector.prepare();
      assertThat(names(out)).containsExactly("a.png");
      collector.collect("a.png", FINISHED);
      assertThat(Files.readAllBytes(out.resolve("a.png"))).isEqualTo(content);
      assertThat(names(out)).containsExactly("a.png");
    }
  }

  @Test
  void aMissingArtifactFailsAndLeavesNoFile(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    try (ArtifactServer server = ArtifactServer.builder().directory(tmp.resolve("store"))
        .bindAddress("127.0.0.1").advertisedHost("127.0.0.1").port(0).build().start()) {
      BatchCollector collector = BatchCollector.download(out,
          key -> server.uri("results/" + key));
      assertThatThrownBy(() -> collector.collect("b.png", FINISHED))
          .isInstanceOf(IOException.class)
          .hasMessage("GET " + server.uri("results/b.png") + " answered HTTP 404");
      assertThat(names(out)).isEmpty();
    }
  }
}
