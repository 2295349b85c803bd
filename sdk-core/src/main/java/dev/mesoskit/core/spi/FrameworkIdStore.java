package dev.mesoskit.core.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps the framework id between runs of the scheduler, so that a restarted scheduler fails over
 * to its running tasks instead of registering a new framework.
 *
 * <p>Threading: called on the framework's event thread; implementations need not be thread-safe
 * beyond that. Failures are unchecked {@code MesosKitException}s naming the store.
 *
 * <pre>{@code
 * Framework.builder().frameworkIdStore(FrameworkIdStore.file(Path.of("state/framework-id")));
 * }</pre>
 */
public interface FrameworkIdStore {
  /**
   * Reads the stored id.
   *
   * @return the id, or empty when none is stored
   */
  Optional<String> load();

  /**
   * Stores the id, replacing any other; a crash leaves the old or the new id, never a mix.
   *
   * @param frameworkId the id
   */
  void save(String frameworkId);

  /** Forgets the id, e.g. after the framework was torn down. */
  void clear();

  /**
   * A store in one file, written atomically (temp file, fsync, atomic move).
   *
   * @param file the file; its directory is created when missing
   * @return the store
   */
  static FrameworkIdStore file(Path file) {
    return new FileFrameworkIdStore(file);
  }

  /**
   * A store that lives as long as the object: for tests and for frameworks that never fail over.
   *
   * @return the store
   */
  static FrameworkIdStore inMemory() {
    return new InMemoryFrameworkIdStore();
  }
}
