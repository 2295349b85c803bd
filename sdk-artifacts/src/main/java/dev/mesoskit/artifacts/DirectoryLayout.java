package dev.mesoskit.artifacts;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the files of a {@link DirectoryStore} live under its root: a name's real path, which
 * never leads outside the root; the directories of a new name, created one by one; and the temp
 * file ({@code .mesoskit-<random>.tmp}) that a new version is written to and atomically renamed
 * from.
 *
 * <p>Threading: stateless apart from the root; safe for concurrent use.
 */
final class DirectoryLayout {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryStore.class);
  private static final String TEMP_PREFIX = ".mesoskit-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;

  /**
   * Creates the layout of a store.
   *
   * @param root the store's root, with every symbolic link resolved
   */
  DirectoryLayout(Path root) {
    this.root = root;
  }

  /**
   * Creates the directories of a name one segment at a time, never outside the root.
   *
   * @return the directory the name's file goes into, with links resolved
   */
  Path createParents(String name) {
    Path dir = root;
    String[] segments = name.split("/");
    for (int i = 0; i < segments.length - 1; i++) {
      Path next = dir.resolve(segments[i]);
      try {
        try {
          Files.createDirectory(next);
          dir = next;
          continue;
        } catch (FileAlreadyExistsException exists) {
          // a directory, a link or a file: look closer
        }
        Path real = next.toRealPath();
        if (!isInside(real)) {
          throw new IllegalArgumentException(
              "name leads outside the store through a symbolic link: name=" + name);
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
          throw new IllegalStateException("name clashes with a stored artifact: name=" + name
              + " artifact=" + String.join("/", java.util.Arrays.copyOf(segments, i + 1)));
        }
        dir = real;
      } catch (NoSuchFileException e) {
        throw new IllegalArgumentException(
            "name leads through a dangling symbolic link: name=" + name, e);
      } catch (IOException e) {
        throw new MesosKitException("cannot create directory: name=" + name + " root=" + root, e);
      }
    }
    return dir;
  }

  /** The file a name's new version replaces, which must not be a directory of artifacts. */
  Path targetIn(Path dir, String name) {
    Path target = dir.resolve(fileName(name));
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(
          "name clashes with a directory of stored artifacts: name=" + name);
    }
    return target;
  }

  /** A new temp file's path in {@code dir}: no name reaches it (segments never start with '.'). */
  Path tempIn(Path dir) {
    return dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes()) + ".tmp");
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** Renames a written temp file over its target in one step. */
  void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new MesosKitException(
          "cannot store artifact atomically, the file system has no atomic rename: root="
              + root, e);
    }
  }

  /** Makes a rename in {@code dir} durable, where the platform can open directories. */
  void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename itself is still atomic.
    }
  }

  /** Deletes a temp file that was not moved into place; a failure is only logged. */
  void deleteTemp(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      LOG.warn("cannot delete temp file file={}", tmp, e);
    }
  }

  /** The real path of a name's file, when it exists and leads to a valid name inside the root. */
  Optional<Path> resolve(String name) {
    try {
      Path real = root.resolve(name).toRealPath();
      if (!isInside(real)) {
        LOG.debug("artifact leads outside the store name={} target={}", name, real);
        return Optional.empty();
      }
      if (!ArtifactNames.isValid(relativeName(real))) {
        LOG.debug("artifact leads to a file no name reaches name={} target={}", name, real);
        return Optional.empty();
      }
      return Optional.of(real);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return Optional.empty();
    } catch (FileSystemException e) {
      // ENOTDIR (a file where a directory would be) and ELOOP (a link loop) mean: no such name.
      // The exception's reason is the C library's text in the machine's language, so the path
      // itself is asked instead.
      if (leadsNowhere(name)) {
        return Optional.empty();
      }
      throw new MesosKitException("cannot resolve artifact: name=" + name + " root=" + root, e);
    } catch (IOException e) {
      throw new MesosKitException("cannot resolve artifact: name=" + name + " root=" + root, e);
    }
  }

  /**
   * Whether a name leads nowhere: a link that resolves to nothing (a loop, or dangling) on the
   * way or at the end, or something other than a directory where one would be.
   */
  private boolean leadsNowhere(String name) {
    Path p = root;
    String[] parts = name.split("/");
    for (int i = 0; i < parts.length; i++) {
      p = p.resolve(parts[i]);
      if (Files.isSymbolicLink(p) && !Files.exists(p)) {
        return true;
      }
      if (i < parts.length - 1 && Files.exists(p) && !Files.isDirectory(p)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a real path is inside the root (and not the root itself). */
  private boolean isInside(Path real) {
    return real.startsWith(root) && !real.equals(root);
  }

  /** The name of a real path inside the root: its segments joined by '/'. */
  String relativeName(Path real) {
    StringBuilder name = new StringBuilder();
    for (Path segment : root.relativize(real)) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(segment);
    }
    return name.toString();
  }

  /** The last segment of a name. */
  String fileName(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
