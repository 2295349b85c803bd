package dev.mesoskit.artifacts.batch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Files that appear whole or not at all: written to {@code .<name>.<random>.part} in the same
 * directory, synced, and renamed into place atomically.
 */
final class AtomicFiles {
  static final String PART = ".part";

  /** Writes the content of a temporary file. */
  @FunctionalInterface
  interface Writer {
    void write(Path temporary) throws Exception;
  }

  private AtomicFiles() {}

  /**
   * Creates {@code directory/name} atomically, replacing an earlier file.
   *
   * @return the file
   */
  static Path write(Path directory, String name, Writer writer) throws Exception {
    Path tmp = Files.createTempFile(directory, "." + name + ".", PART);
    try {
      writer.write(tmp);
      // READ: the file may be a link to a read-only file (fsync needs no write access)
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
        ch.force(true);
      }
      Path target = directory.resolve(name);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory(directory);
      return target;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Creates the directory and deletes the temporary files an interrupted run left in it. */
  static Path prepare(Path directory) {
    deleteParts(create(directory));
    return directory;
  }

  /** Creates the directory when it is missing. */
  static Path create(Path directory) {
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create directory " + directory, e);
    }
  }

  /** Deletes the temporary files an interrupted run left in the directory. */
  static void deleteParts(Path directory) {
    try (DirectoryStream<Path> parts = Files.newDirectoryStream(directory, ".*" + PART)) {
      for (Path part : parts) {
        Files.deleteIfExists(part);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean directory " + directory, e);
    }
  }

  /** Makes a rename durable; some file systems cannot open a directory, which is fine. */
  /** A new SHA-256 digest, for the collectors' checks of what they copied. */
  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void syncDirectory(Path directory) {
    try (FileChannel ch = FileChannel.open(directory, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // not supported here (e.g. Windows): the rename is still atomic, only maybe not yet durable
    }
  }
}
