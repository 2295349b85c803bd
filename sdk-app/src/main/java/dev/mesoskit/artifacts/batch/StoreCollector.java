package dev.mesoskit.artifacts.batch;

import dev.mesoskit.artifacts.ArtifactStore;
import dev.mesoskit.core.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Function;

/**
 * {@link BatchCollector#fromStore}: gets the stored artifact into a temporary file with {@link
 * ArtifactStore#getFile} (a directory store on the same file system links it, any other copies
 * it and checks its size and SHA-256 against the store's metadata), syncs it and moves it into
 * place.
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
    AtomicFiles.write(directory, key, tmp -> {
      Files.delete(tmp); // getFile creates the file (a hard link, where it can)
      if (store.getFile(artifact, tmp).isEmpty()) {
        throw new IOException("artifact " + artifact + " is not in " + store);
      }
    });
  }

  @Override
  public String toString() {
    return "BatchCollector.fromStore(" + directory + ", " + store + ")";
  }
}
