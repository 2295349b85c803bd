package dev.mesoskit.core.spi;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.TaskId;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link FrameworkIdStore} in one file. Writes go to a temp file in the same directory, are
 * fsynced, and replace the file by an atomic move, so a crash leaves the old or the new id.
 */
final class FileFrameworkIdStore implements FrameworkIdStore {
  private final Path file;

  /**
   * Creates a store in {@code file}.
   *
   * @param file the file
   */
  public FileFrameworkIdStore(Path file) {
    this.file = Objects.requireNonNull(file, "file must not be null").toAbsolutePath();
  }

  static String checkId(String frameworkId) {
    Objects.requireNonNull(frameworkId, "framework id must not be null");
    try {
      TaskId.of(frameworkId);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("task id", "framework id"), e);
    }
    return frameworkId;
  }

  @Override
  public Optional<String> load() {
    try {
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (text.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(checkId(text));
      } catch (IllegalArgumentException e) {
        throw new MesosKitException(
            "framework id file holds no valid id: file=" + file + " problem=" + e.getMessage());
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new MesosKitException("cannot read framework id: file=" + file, e);
    }
  }

  @Override
  public void save(String frameworkId) {
    checkId(frameworkId);
    Path dir = file.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer buf = ByteBuffer.wrap((frameworkId + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new MesosKitException(
            "cannot store framework id atomically, the file system has no atomic rename: file="
                + file, e);
      }
      tmp = null;
      syncDirectory(dir);
    } catch (IOException e) {
      throw new MesosKitException("cannot write framework id: file=" + file, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temp file is garbage either way; the failure that matters is already thrown
        }
      }
    }
  }

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename itself is still atomic.
    }
  }

  @Override
  public void clear() {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new MesosKitException("cannot delete framework id: file=" + file, e);
    }
  }

  @Override
  public String toString() {
    return "FileFrameworkIdStore[" + file + "]";
  }
}
