package dev.mesoskit.artifacts.batch;

import dev.mesoskit.artifacts.ArtifactContent;
import dev.mesoskit.artifacts.ArtifactStore;
import dev.mesoskit.core.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@link BatchCollector#fromStore}: copies the stored artifact into a temporary file, checks its
 * size and SHA-256 against the store's metadata, and moves it into place.
 */
final class StoreCollector implements BatchCollector {
  private final Path directory;
  private final ArtifactStore store;
  private final Function<String, String> name;

  StoreCollector(Path directory, ArtifactStore store, Function<String, String> name) {
    this.directory = AtomicFiles.create(Objects.requireNonNull(directory,
        "directory must not be null"));
    this.store = Objects.requireNonNull(store, "store must not be null");
    this.name = Objects.requireNonNull(name, "name must not be null");
  }

  @Override
  public void prepare() {
    AtomicFiles.deleteParts(directory);
  }

  @Override
  public void collect(String key, Task task) throws Exception {
    String artifact = name.apply(key);
    Optional<ArtifactContent> opened = store.open(artifact);
    if (opened.isEmpty()) {
      throw new IOException("artifact " + artifact + " is not in " + store);
    }
    try (ArtifactContent content = opened.get()) {
      AtomicFiles.write(directory, key, tmp -> {
        MessageDigest sha = AtomicFiles.sha256();
        long copied;
        try (InputStream in = Channels.newInputStream(content.channel());
             OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
          copied = in.transferTo(out);
        }
        String actual = HexFormat.of().formatHex(sha.digest());
        if (copied != content.artifact().size() || !actual.equals(content.artifact().sha256())) {
          throw new IOException("artifact " + artifact + " in " + store + " read as " + copied
              + " bytes with SHA-256 " + actual + " but is stored as "
              + content.artifact().size() + " bytes with SHA-256 " + content.artifact().sha256());
        }
      });
    }
  }

  @Override
  public String toString() {
    return "BatchCollector.fromStore(" + directory + ", " + store + ")";
  }
}
