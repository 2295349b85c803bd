package dev.mesoskit.artifacts.batch;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A hold on a batch state directory for longer than one {@link Batch#run}: the lock a run takes
 * on {@code <state directory>/.lock}, taken before the run and released when the program is done
 * with what the run left, e.g. after it deleted the artifact store the results were collected
 * from. A {@link Batch} built with {@link Batch.Builder#lock} runs under it instead of taking
 * the lock itself; meanwhile another run on the directory, in this process or another, fails at
 * once naming the holder's process.
 *
 * <pre>{@code
 * try (BatchLock lock = BatchLock.acquire(Path.of("out/.state"))) {
 *   BatchSummary summary = Batch.builder().framework(framework).lock(lock) ... .run(keys);
 *   // ... clean up under the lock
 * }
 * }</pre>
 *
 * <p>Threading: {@link #close} may be called from any thread, once or more.
 */
public final class BatchLock implements AutoCloseable {
  private final Path directory;
  private final StateLock held;
  private final AtomicBoolean running = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private BatchLock(Path directory, StateLock held) {
    this.directory = directory;
    this.held = held;
  }

  /**
   * Locks a state directory, creating it when missing.
   *
   * @param stateDirectory the directory a {@link Batch} keeps its records in
   * @return the held lock; close it
   * @throws IllegalStateException when another run, in this process or another, holds it
   * @throws java.io.UncheckedIOException when the directory or its lock file cannot be made
   */
  public static BatchLock acquire(Path stateDirectory) {
    Objects.requireNonNull(stateDirectory, "stateDirectory must not be null");
    Path directory = AtomicFiles.create(stateDirectory);
    return new BatchLock(directory, StateLock.acquire(directory));
  }

  /**
   * The locked state directory.
   *
   * @return the directory, as given to {@link #acquire}
   */
  public Path directory() {
    return directory;
  }

  /** Marks the start of a run under this lock; one at a time. */
  void beginRun() {
    if (closed.get()) {
      throw new IllegalStateException("the lock on " + directory + " was released");
    }
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("another run uses the lock on " + directory);
    }
  }

  void endRun() {
    running.set(false);
  }

  /** Releases the lock. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      held.close();
    }
  }

  @Override
  public String toString() {
    return "BatchLock[" + directory + "]";
  }
}
