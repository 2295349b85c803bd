package dev.mesoskit.artifacts.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock one {@link Batch} run holds on its state directory: an advisory lock on
 * {@code .lock} in it, holding the owner's process id for the message others get. The file stays
 * after release (deleting it would let a waiting process lock a file that is no longer there).
 */
final class StateLock implements AutoCloseable {
  static final String FILE = ".lock";

  /** The lock files this JVM holds, by real path: one channel per file and JVM. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(Path key, FileChannel channel, FileLock lock) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks the state directory.
   *
   * @throws IllegalStateException when another run holds it, naming its process
   * @throws UncheckedIOException when the lock file cannot be opened
   */
  static StateLock acquire(Path directory) {
    Path file = directory.resolve(FILE);
    Path key;
    try {
      key = directory.toRealPath().resolve(FILE); // one key however the directory is named
    } catch (IOException e) {
      throw new UncheckedIOException("cannot resolve the state directory " + directory, e);
    }
    // No second descriptor of the file may be opened in this JVM while it holds the lock, not
    // even to read the holder's pid: closing any descriptor of a file drops every POSIX lock the
    // process holds on it, so a refused second run would free the first run's lock for others.
    if (!HELD.add(key)) {
      throw inUse(directory, file, Long.toString(ProcessHandle.current().pid()));
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException sameJvm) { // the same file by another path
        lock = null;
      }
      if (lock == null) {
        throw inUse(directory, file, owner(channel));
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
          .getBytes(StandardCharsets.UTF_8)), 0);
      return new StateLock(key, channel, lock);
    } catch (IOException e) {
      release(key, channel);
      throw new UncheckedIOException("cannot lock " + file, e);
    } catch (RuntimeException e) {
      release(key, channel);
      throw e;
    }
  }

  /** The pid the holder wrote, read through the channel already open (see acquire). */
  private static String owner(FileChannel channel) {
    ByteBuffer buffer = ByteBuffer.allocate(32);
    try {
      channel.read(buffer, 0);
    } catch (IOException e) {
      return "";
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
  }

  private static IllegalStateException inUse(Path directory, Path file, String owner) {
    return new IllegalStateException("the batch state directory " + directory
        + " is in use by another run (" + (owner.isEmpty() ? "a process" : "process " + owner)
        + " holds " + file + "); two schedulers must not share a state directory at once");
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      // closing the channel below releases it too
    }
    release(key, channel);
  }

  private static void release(Path key, FileChannel channel) {
    if (channel != null) {
      closeQuietly(channel);
    }
    HELD.remove(key);
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing held any more
    }
  }
}
