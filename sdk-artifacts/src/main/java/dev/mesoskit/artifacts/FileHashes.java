package dev.mesoskit.artifacts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SHA-256 of the files of a {@link DirectoryStore}, per version of a file (file key, size and
 * mtime): kept in the extended attribute {@code user.mesoskit.sha256} while the file system keeps
 * user attributes, and remembered in memory for the most recently used files.
 *
 * <p>Threading: safe for concurrent use; a file is hashed by one thread at a time.
 */
final class FileHashes {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryStore.class);
  private static final String SHA_ATTRIBUTE = "mesoskit.sha256";
  private static final int BUFFER_BYTES = 128 * 1024;
  private static final int REMEMBERED_HASHES = 4096;

  /** A hash that belongs to one version of one file: same file key, size and mtime. */
  record Known(long size, long mtimeNanos, String sha256) {}

  private final Path root;
  private final Map<Object, Known> hashes = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, Known> eldest) {
          return size() > REMEMBERED_HASHES;
        }
      });
  private final ConcurrentHashMap<Object, Object> hashing = new ConcurrentHashMap<>();
  private volatile boolean attributesWork = true;

  /**
   * Creates the hashes of a store.
   *
   * @param root the store's root, named when the file system turns out to keep no attributes
   */
  FileHashes(Path root) {
    this.root = root;
  }

  /** The remembered SHA-256 of the version of {@code file} that {@code attrs} describe. */
  Optional<String> remembered(Path file, BasicFileAttributes attrs) {
    Known known = hashes.get(key(attrs, file));
    return matches(known, attrs.size(), nanos(attrs.lastModifiedTime()))
        ? Optional.of(known.sha256()) : Optional.empty();
  }

  /** Remembers the hash of the version of {@code file} that {@code attrs} describe. */
  void remember(Path file, BasicFileAttributes attrs, Known known) {
    hashes.put(key(attrs, file), known);
  }

  /**
   * The SHA-256 of any file, remembered in memory for this version of it (same inode, size and
   * mtime): a second call for an unchanged file, and a {@link DirectoryStore#putFile} that links
   * it, need not read it again. A file replaced or changed while it is hashed is hashed, not
   * remembered.
   */
  String hashOf(Path file) throws IOException {
    BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
    Known remembered = before.fileKey() == null ? null : hashes.get(before.fileKey());
    if (matches(remembered, before.size(), nanos(before.lastModifiedTime()))) {
      return remembered.sha256();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      String sha = hash(ch);
      BasicFileAttributes after = Files.readAttributes(file, BasicFileAttributes.class);
      if (sameVersion(before, after) && ch.size() == after.size() && after.fileKey() != null) {
        hashes.put(after.fileKey(), new Known(after.size(), nanos(after.lastModifiedTime()), sha));
      }
      return sha;
    }
  }

  /**
   * The SHA-256 of the version of {@code file} that {@code ch} reads: remembered, from the file's
   * attribute when it belongs to this size and mtime, or hashed through the channel once.
   */
  String sha256(Path file, FileChannel ch, BasicFileAttributes attrs) throws IOException {
    Object key = key(attrs, file);
    long mtime = nanos(attrs.lastModifiedTime());
    Known known = hashes.get(key);
    if (matches(known, attrs.size(), mtime)) {
      return known.sha256();
    }
    Object lock = hashing.computeIfAbsent(key, k -> new Object());
    try {
      synchronized (lock) {
        known = hashes.get(key);
        if (matches(known, attrs.size(), mtime)) {
          return known.sha256();
        }
        known = readAttribute(file);
        if (!matches(known, attrs.size(), mtime)) {
          known = new Known(attrs.size(), mtime, hash(ch));
          LOG.debug("hashed artifact file={} size={} sha256={}", file, known.size(),
              known.sha256());
          if (sameVersion(attrs, attributes(file))) {
            writeAttribute(file, known);
          }
        }
        hashes.put(key, known);
        return known.sha256();
      }
    } finally {
      hashing.remove(key, lock);
    }
  }

  private static boolean matches(Known known, long size, long mtimeNanos) {
    return known != null && known.size() == size && known.mtimeNanos() == mtimeNanos;
  }

  /** The SHA-256 of everything {@code ch} reads, from its start. */
  static String hash(FileChannel ch) throws IOException {
    MessageDigest md = Digests.sha256();
    ByteBuffer buf = ByteBuffer.allocate(BUFFER_BYTES);
    long position = 0;
    for (int n; (n = ch.read(buf.clear(), position)) >= 0; ) {
      md.update(buf.array(), 0, n);
      position += n;
    }
    return Digests.hex(md.digest());
  }

  private Known readAttribute(Path file) {
    if (!attributesWork) {
      return null;
    }
    try {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(
          file, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view == null || !view.list().contains(SHA_ATTRIBUTE)) {
        return null;
      }
      ByteBuffer buf = ByteBuffer.allocate(view.size(SHA_ATTRIBUTE));
      view.read(SHA_ATTRIBUTE, buf);
      String[] parts = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII)
          .split(" ");
      if (parts.length != 3 || !Digests.isSha256(parts[0])) {
        return null;
      }
      return new Known(Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[0]);
    } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
      return null;
    }
  }

  /** Tags a file of the store's own with its hash. */
  void writeAttribute(Path file, Known known) {
    writeAttribute(file, known, true);
  }

  /**
   * Tags a file with its hash. A failure on a file of the store's own means the file system keeps
   * no attributes (hashes then stay in memory); on a file linked in from elsewhere
   * ({@code ownFile} false: the user's file may be read-only, its attribute space full) it
   * concerns that file only.
   */
  void writeAttribute(Path file, Known known, boolean ownFile) {
    if (!attributesWork) {
      return;
    }
    try {
      UserDefinedFileAttributeView view = Files.getFileAttributeView(
          file, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
      if (view == null) {
        throw new UnsupportedOperationException("no user-defined attributes");
      }
      String value = known.sha256() + " " + known.size() + " " + known.mtimeNanos();
      view.write(SHA_ATTRIBUTE, ByteBuffer.wrap(value.getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException | UnsupportedOperationException e) {
      if (!ownFile || e instanceof java.nio.file.AccessDeniedException) {
        LOG.debug("cannot tag file with its hash, remembered in memory file={} problem={}", file,
            e.toString());
        return;
      }
      attributesWork = false;
      LOG.info("file system keeps no user attributes, artifact hashes are remembered in memory"
          + " only root={} problem={}", root, e.toString());
    }
  }

  // ---------------------------------------------------------------- versions of a file

  /** A file's own attributes (a link's, not its target's). */
  static BasicFileAttributes attributes(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  /** Whether two looks saw the same version of one regular file: file key, size and mtime. */
  static boolean sameVersion(BasicFileAttributes a, BasicFileAttributes b) {
    return Objects.equals(a.fileKey(), b.fileKey()) && a.size() == b.size()
        && a.lastModifiedTime().equals(b.lastModifiedTime()) && a.isRegularFile()
        && b.isRegularFile();
  }

  static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }

  private static Object key(BasicFileAttributes attrs, Path file) {
    return attrs.fileKey() != null ? attrs.fileKey() : file;
  }
}
