package dev.mesoskit.artifacts;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link ArtifactStore}: one plain file per artifact under a root directory, so the
 * directory can be filled by hand (or by a build) and served as it is.
 *
 * <p>Writes stream to a temp file ({@code .mesoskit-<random>.tmp}) in the target's directory,
 * hashing on the way; the file is fsynced, tagged with its SHA-256, and moved over the target
 * with an atomic rename, then the directory is fsynced. Readers therefore see the old file or the
 * new one; of concurrent writers the last rename wins; a crash leaves at most a temp file, which
 * no name can reach (segments never start with {@code .}).
 *
 * <p>The SHA-256 is kept in the extended attribute {@code user.mesoskit.sha256} together with the
 * size and modification time it belongs to, so it survives restarts and moves with the file in the
 * rename; a file that was changed by hand, or a file system without user attributes, is hashed
 * once on first use and remembered in memory. GET never re-hashes a known file.
 *
 * <p>{@link #putFile} and {@link #getFile} link instead of copying when the other file is on the
 * same file system: the artifact and that file then share their bytes (see there).
 *
 * <p>Symbolic links inside the root are followed only while they lead to a place inside the
 * root: a link that leads out makes the name not found for reads and refused for writes, and
 * directories for a new name are created one by one so that nothing is ever created outside.
 * (An attacker who can change the directory tree under the root while the server runs can race
 * these checks; the root must be writable only by the server.)
 *
 * <p>Threading: safe for concurrent use from any number of threads and processes sharing the
 * directory.
 */
public final class DirectoryStore implements ArtifactStore {
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryStore.class);
  private static final String SHA_ATTRIBUTE = "mesoskit.sha256";
  private static final String TEMP_PREFIX = ".mesoskit-";
  private static final int BUFFER_BYTES = 128 * 1024;
  private static final int OPEN_ATTEMPTS = 10;
  private static final int MAX_DEPTH = 64;
  private static final int REMEMBERED_HASHES = 4096;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A hash that belongs to one version of one file: same file key, size and mtime. */
  private record Known(long size, long mtimeNanos, String sha256) {}

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
   * Creates a store in a directory.
   *
   * @param root the directory; created when missing
   * @throws MesosKitException when it cannot be created or is not a directory
   */
  public DirectoryStore(Path root) {
    Objects.requireNonNull(root, "root must not be null");
    try {
      Files.createDirectories(root);
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new MesosKitException("cannot use artifact directory: root=" + root, e);
    }
  }

  /**
   * The root directory, with every symbolic link resolved.
   *
   * @return the root
   */
  public Path root() {
    return root;
  }

  @Override
  public Artifact put(String name, InputStream content, Optional<String> expectedSha256) {
    ArtifactNames.check(name);
    Objects.requireNonNull(content, "content must not be null");
    Optional<String> expected = expectedSha256.map(Digests::checkExpected);
    Path dir = createParents(name);
    Path target = targetIn(dir, name);
    Path tmp = dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes()) + ".tmp");
    try {
      long size = 0;
      String sha;
      MessageDigest md = Digests.sha256();
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
        byte[] buf = new byte[BUFFER_BYTES];
        ByteBuffer wrapped = ByteBuffer.wrap(buf);
        for (int n; (n = read(content, buf, name)) >= 0; ) {
          md.update(buf, 0, n);
          wrapped.clear().limit(n);
          while (wrapped.hasRemaining()) {
            ch.write(wrapped);
          }
          size += n;
        }
        sha = Digests.hex(md.digest());
        if (expected.isPresent() && !expected.get().equals(sha)) {
          throw new ChecksumMismatchException(name, expected.get(), sha);
        }
        ch.force(true);
      }
      BasicFileAttributes attrs = Files.readAttributes(tmp, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
      long mtime = nanos(attrs.lastModifiedTime());
      writeAttribute(tmp, new Known(size, mtime, sha));
      moveIntoPlace(tmp, target);
      tmp = null;
      syncDirectory(dir);
      hashes.put(key(attrs, target), new Known(size, mtime, sha));
      return new Artifact(name, size, sha, attrs.lastModifiedTime().toInstant());
    } catch (IOException e) {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException(
            "name clashes with a directory of stored artifacts: name=" + name, e);
      }
      throw new MesosKitException("cannot store artifact: name=" + name + " root=" + root, e);
    } finally {
      if (tmp != null) {
        deleteTemp(tmp);
      }
    }
  }

  /**
   * Stores a file by a hard link when it is on this store's file system: no byte is copied, and
   * the file is read once to check its SHA-256. The artifact and the file are then one file
   * under two names: it gets the store's SHA-256 attribute, its bytes are as durable as the
   * original's (not synced again), and a program that later writes into the original in place
   * changes the artifact too (the store notices by the changed size or mtime and hashes it again
   * on the next read; renaming a new version over the original, as most tools do, leaves the
   * artifact alone). Where a link cannot be made (another file system, a file the process may
   * not link, a file system without hard links) the bytes are copied as by {@link #put}.
   */
  @Override
  public Artifact putFile(String name, Path file, Optional<String> expectedSha256) {
    ArtifactNames.check(name);
    Objects.requireNonNull(file, "file must not be null");
    Optional<String> expected = expectedSha256.map(Digests::checkExpected);
    Path source;
    try {
      source = file.toRealPath();
    } catch (IOException e) {
      throw new IllegalArgumentException("file must be a regular file but does not exist: "
          + file, e);
    }
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalArgumentException("file must be a regular file but is not: " + file);
    }
    Path dir = createParents(name);
    Path target = targetIn(dir, name);
    Path tmp = dir.resolve(TEMP_PREFIX + HexFormat.of().formatHex(randomBytes()) + ".tmp");
    try {
      Files.createLink(tmp, source);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      LOG.debug("cannot link file into the store, copying it file={} name={} problem={}", file,
          name, e.toString());
      return ArtifactStore.super.putFile(name, source, expected);
    }
    try {
      BasicFileAttributes attrs = attributes(tmp);
      Known remembered = hashes.get(key(attrs, tmp));
      String sha;
      if (matches(remembered, attrs.size(), nanos(attrs.lastModifiedTime()))) {
        sha = remembered.sha256(); // hashed by hashOf, and this version has not changed since
      } else {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ,
            LinkOption.NOFOLLOW_LINKS)) {
          BasicFileAttributes before = attrs;
          sha = hash(ch);
          attrs = attributes(tmp);
          if (!sameVersion(before, attrs) || ch.size() != attrs.size()) {
            throw new UncheckedIOException(new IOException("file changed while it was stored:"
                + " file=" + file + " name=" + name));
          }
        }
      }
      if (expected.isPresent() && !expected.get().equals(sha)) {
        throw new ChecksumMismatchException(name, expected.get(), sha);
      }
      Known known = new Known(attrs.size(), nanos(attrs.lastModifiedTime()), sha);
      writeAttribute(tmp, known, false);
      moveIntoPlace(tmp, target);
      // A rename onto a link of the same file does nothing and leaves tmp: delete it (below).
      syncDirectory(dir);
      hashes.put(key(attrs, target), known);
      return new Artifact(name, attrs.size(), sha, attrs.lastModifiedTime().toInstant());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file " + file + " for artifact " + name, e);
    } finally {
      deleteTemp(tmp);
    }
  }

  /**
   * Gives {@code target} the artifact's bytes by a hard link when it is on this store's file
   * system: no byte is copied or read (the size and SHA-256 are the store's, from its attribute
   * or memory). The target and the stored artifact are then one file under two names: a new
   * version stored under the name leaves the target alone (stores rename, never write in place),
   * but a program that writes into the target in place changes the artifact too (the store
   * notices by the changed size or mtime and hashes it again on its next read). Elsewhere the
   * bytes are copied and checked as by {@link ArtifactStore#getFile}.
   */
  @Override
  public Optional<Artifact> getFile(String name, Path target) throws IOException {
    ArtifactNames.check(name);
    Objects.requireNonNull(target, "target must not be null");
    Optional<Path> found = resolve(name);
    if (found.isEmpty() || !Files.isRegularFile(found.get(), LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    try {
      Files.createLink(target, found.get());
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw e;
    } catch (NoSuchFileException e) {
      // deleted meanwhile, or no target directory: the copy finds out which and says so
      return ArtifactStore.super.getFile(name, target);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      LOG.debug("cannot link artifact out of the store, copying it name={} target={} problem={}",
          name, target, e.toString());
      return ArtifactStore.super.getFile(name, target);
    }
    // The link holds whichever version was current: describe that one, from the linked file.
    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS)) {
      BasicFileAttributes attrs = attributes(target);
      String sha = sha256(target, ch, attrs);
      return Optional.of(new Artifact(name, attrs.size(), sha,
          attrs.lastModifiedTime().toInstant()));
    }
  }

  /**
   * The SHA-256 of any file, remembered in memory for this version of it (same inode, size and
   * mtime): a second call for an unchanged file, and a {@link #putFile} that links it, need not
   * read it again. A file replaced or changed while it is hashed is hashed, not remembered.
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

  private static void deleteTemp(Path tmp) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      LOG.warn("cannot delete temp file file={}", tmp, e);
    }
  }

  /** The file a name's new version replaces, which must not be a directory of artifacts. */
  private static Path targetIn(Path dir, String name) {
    Path target = dir.resolve(fileName(name));
    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      throw new IllegalStateException(
          "name clashes with a directory of stored artifacts: name=" + name);
    }
    return target;
  }

  private void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new MesosKitException(
          "cannot store artifact atomically, the file system has no atomic rename: root="
              + root, e);
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  /** Fills {@code buf} as far as the content goes: one write and one digest update per buffer. */
  private static int read(InputStream in, byte[] buf, String name) {
    try {
      int n = in.readNBytes(buf, 0, buf.length);
      return n == 0 ? -1 : n;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read content: name=" + name, e);
    }
  }

  private static String fileName(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  /**
   * Creates the directories of a name one segment at a time, never outside the root.
   *
   * @return the directory the name's file goes into, with links resolved
   */
  private Path createParents(String name) {
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

  private boolean isInside(Path real) {
    return real.startsWith(root) && !real.equals(root);
  }

  @Override
  public Optional<ArtifactContent> open(String name) {
    ArtifactNames.check(name);
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      Optional<Path> found = resolve(name);
      if (found.isEmpty()) {
        return Optional.empty();
      }
      Path file = found.get();
      FileChannel ch = null;
      try {
        BasicFileAttributes before = attributes(file);
        if (!before.isRegularFile()) {
          return Optional.empty();
        }
        ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        BasicFileAttributes after = attributes(file);
        if (sameVersion(before, after) && ch.size() == after.size()) {
          String sha = sha256(file, ch, after);
          ArtifactContent content = new ArtifactContent(
              new Artifact(name, after.size(), sha, after.lastModifiedTime().toInstant()), ch);
          ch = null;
          return Optional.of(content);
        }
        // replaced between the two looks: the channel may hold either version; look again
      } catch (NoSuchFileException e) {
        // deleted or replaced while we looked: look again
      } catch (IOException e) {
        throw new MesosKitException("cannot open artifact: name=" + name + " root=" + root, e);
      } finally {
        closeQuietly(ch);
      }
    }
    throw new MesosKitException("artifact kept changing while it was opened: name=" + name
        + " attempts=" + OPEN_ATTEMPTS);
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // nothing was read through it
      }
    }
  }

  /** The real path of a name's file, when it exists and leads to a valid name inside the root. */
  private Optional<Path> resolve(String name) {
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

  private String relativeName(Path real) {
    StringBuilder name = new StringBuilder();
    for (Path segment : root.relativize(real)) {
      if (name.length() > 0) {
        name.append('/');
      }
      name.append(segment);
    }
    return name.toString();
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }

  private static boolean sameVersion(BasicFileAttributes a, BasicFileAttributes b) {
    return Objects.equals(a.fileKey(), b.fileKey()) && a.size() == b.size()
        && a.lastModifiedTime().equals(b.lastModifiedTime()) && a.isRegularFile()
        && b.isRegularFile();
  }

  private static long nanos(FileTime time) {
    return time.to(TimeUnit.NANOSECONDS);
  }

  private static Object key(BasicFileAttributes attrs, Path file) {
    return attrs.fileKey() != null ? attrs.fileKey() : file;
  }

  /**
   * The SHA-256 of the version of {@code file} that {@code ch} reads: remembered, from the file's
   * attribute when it belongs to this size and mtime, or hashed through the channel once.
   */
  private String sha256(Path file, FileChannel ch, BasicFileAttributes attrs) throws IOException {
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

  private static String hash(FileChannel ch) throws IOException {
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

  private void writeAttribute(Path file, Known known) {
    writeAttribute(file, known, true);
  }

  /**
   * Tags a file with its hash. A failure on a file of the store's own means the file system keeps
   * no attributes (hashes then stay in memory); on a file linked in from elsewhere
   * ({@code ownFile} false: the user's file may be read-only, its attribute space full) it
   * concerns that file only.
   */
  private void writeAttribute(Path file, Known known, boolean ownFile) {
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

  private static void syncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open directories; the rename itself is still atomic.
    }
  }

  @Override
  public Optional<Artifact> stat(String name) {
    return open(name).map(content -> {
      content.close();
      return content.artifact();
    });
  }

  @Override
  public List<Artifact> list(String prefix) {
    Objects.requireNonNull(prefix, "prefix must not be null");
    int slash = prefix.lastIndexOf('/');
    Path start = root;
    if (slash >= 0) {
      String dir = prefix.substring(0, slash);
      if (!ArtifactNames.isValid(dir)) {
        return List.of();
      }
      Optional<Path> real = resolve(dir);
      if (real.isEmpty() || !Files.isDirectory(real.get(), LinkOption.NOFOLLOW_LINKS)) {
        return List.of();
      }
      start = real.get();
    }
    List<String> names = new ArrayList<>();
    try {
      Files.walkFileTree(start, java.util.EnumSet.noneOf(java.nio.file.FileVisitOption.class),
          MAX_DEPTH, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              return dir.equals(root) || !dir.getFileName().toString().startsWith(".")
                  ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                String name = relativeName(file);
                if (name.startsWith(prefix) && ArtifactNames.isValid(name)) {
                  names.add(name);
                }
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new MesosKitException("cannot list artifacts: prefix=" + prefix + " root=" + root, e);
    }
    List<Artifact> found = new ArrayList<>();
    for (String name : names) {
      stat(name).ifPresent(found::add);
    }
    found.sort(Comparator.comparing(Artifact::name));
    return List.copyOf(found);
  }

  @Override
  public boolean delete(String name) {
    ArtifactNames.check(name);
    int slash = name.lastIndexOf('/');
    try {
      Path dir = root;
      if (slash >= 0) {
        Optional<Path> real = resolve(name.substring(0, slash));
        if (real.isEmpty() || !Files.isDirectory(real.get(), LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
        dir = real.get();
      }
      Path file = dir.resolve(fileName(name));
      if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      return Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new MesosKitException("cannot delete artifact: name=" + name + " root=" + root, e);
    }
  }

  @Override
  public String toString() {
    return "DirectoryStore[" + root + "]";
  }
}
