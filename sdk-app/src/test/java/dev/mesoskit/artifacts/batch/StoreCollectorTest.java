package dev.mesoskit.artifacts.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.artifacts.Artifact;
import dev.mesoskit.artifacts.ArtifactContent;
import dev.mesoskit.artifacts.ArtifactStore;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** BatchCollector.fromStore against a directory store and a store that returns other bytes. */
@Timeout(30)
class StoreCollectorTest {
  private static final Task FINISHED = new Task(TaskId.of("t-a"), "a", TaskState.FINISHED, 1, true,
      Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(),
      Instant.EPOCH, Instant.EPOCH);

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] random(int size, long seed) {
    byte[] content = new byte[size];
    new Random(seed).nextBytes(content);
    return content;
  }

  @Test
  void copiesTheStoredArtifactIntoPlaceAndReplacesAnEarlierHalfResult(@TempDir Path tmp)
      throws Exception {
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.writeString(out.resolve("a.png"), "half of an earlier run");
    Files.writeString(out.resolve(".a.png.99.part"), "left by a crash");
    ArtifactStore store = ArtifactStore.directory(tmp.resolve("store"));
    byte[] content = random(300_000, 7);
    store.put("results/a.png", new ByteArrayInputStream(content), Optional.empty());

    BatchCollector collector = BatchCollector.fromStore(out, store, key -> "results/" + key);
    assertThat(names(out)).containsExactly(".a.png.99.part", "a.png"); // until prepare
    collector.prepare();
    assertThat(names(out)).containsExactly("a.png");
    collector.collect("a.png", FINISHED);

    assertThat(Files.readAllBytes(out.resolve("a.png"))).isEqualTo(content);
    assertThat(names(out)).containsExactly("a.png");
    // the same file system: linked, not copied
    assertThat(Files.isSameFile(out.resolve("a.png"), tmp.resolve("store/results/a.png")))
        .isTrue();
  }

  @Test
  void copiesFromAStoreThatCannotLink(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    ArtifactStore store = ArtifactStore.inMemory();
    byte[] content = random(300_000, 8);
    store.put("results/a.png", new ByteArrayInputStream(content), Optional.empty());
    BatchCollector collector = BatchCollector.fromStore(out, store, key -> "results/" + key);
    collector.prepare();

    collector.collect("a.png", FINISHED);

    assertThat(Files.readAllBytes(out.resolve("a.png"))).isEqualTo(content);
    assertThat(names(out)).containsExactly("a.png");
  }

  @Test
  void aMissingArtifactFailsAndLeavesNoFile(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    ArtifactStore store = ArtifactStore.inMemory();
    BatchCollector collector = BatchCollector.fromStore(out, store, key -> "results/" + key);

    assertThatThrownBy(() -> collector.collect("b.png", FINISHED))
        .isInstanceOf(IOException.class)
        .hasMessage("artifact results/b.png is not in " + store);
    assertThat(names(out)).isEmpty();
  }

  @Test
  void bytesThatDoNotMatchTheStoredSha256FailAndLeaveNoFile(@TempDir Path tmp) throws Exception {
    Path out = tmp.resolve("out");
    ArtifactStore recorded = ArtifactStore.inMemory();
    Artifact meta = recorded.put("results/c.png", new ByteArrayInputStream(random(1000, 1)),
        Optional.empty());
    ArtifactStore other = ArtifactStore.inMemory();
    Artifact actual = other.put("results/c.png", new ByteArrayInputStream(random(1000, 2)),
        Optional.empty());
    ArtifactStore corrupt = new ArtifactStore() {
      @Override
      public Artifact put(String name, InputStream content, Optional<String> expectedSha256) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<ArtifactContent> open(String name) {
        return Optional.of(new ArtifactContent(meta, other.open(name).orElseThrow().channel()));
      }

      @Override
      public Optional<Artifact> stat(String name) {
        return Optional.of(meta);
      }

      @Override
      public List<Artifact> list(String prefix) {
        return List.of(meta);
      }

      @Override
      public boolean delete(String name) {
        return false;
      }

      @Override
      public String toString() {
        return "corrupt-store";
      }
    };
    BatchCollector collector = BatchCollector.fromStore(out, corrupt, key -> "results/" + key);

    assertThatThrownBy(() -> collector.collect("c.png", FINISHED))
        .isInstanceOf(IOException.class)
        .hasMessage("artifact results/c.png in corrupt-store read as 1000 bytes with SHA-256 "
            + actual.sha256() + " but is stored as 1000 bytes with SHA-256 " + meta.sha256());
    assertThat(names(out)).isEmpty();
  }
}
