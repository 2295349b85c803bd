package dev.mesoskit.artifacts;

import static dev.mesoskit.artifacts.FileHashes.attributes;
import static dev.mesoskit.artifacts.FileHashes.hash;
import static dev.mesoskit.artifacts.FileHashes.nanos;
import static dev.mesoskit.artifacts.FileHashes.sameVersion;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
  private static final int BUFFER_BYTES = 128 * 1024;
  private static final int OPEN_ATTEMPTS = 10;
  private static final int MAX_DEPTH = 64;

  private final Path root;
  private final DirectoryLayout layout;
  private final FileHashes hashes;

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
    this.layout = new DirectoryLayout(this.root);
    this.hashes = new FileHashes(this.root);
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
    Path dir = layout.createParents(name);
    Path target = layout.targetIn(dir, name);
    Path tmp = layout.tempIn(dir);
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
      hashes.writeAttribute(tmp, new FileHashes.Known(size, mtime, sha));
      layout.moveIntoPlace(tmp, target);
      tmp = null;
      layout.syncDirectory(dir);
      hashes.remember(target, attrs, new FileHashes.Known(size, mtime, sha));
      return new Artifact(name, size, sha, attrs.lastModifiedTime().toInstant());
    } catch (IOException e) {
      if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
        throw new IllegalStateException(
            "name clashes with a directory of stored artifacts: name=" + name, e);
      }
      throw new MesosKitException("cannot store artifact: name=" + name + " root=" + root, e);
    } finally {
      if (tmp != null) {
        layout.deleteTemp(tmp);
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
    Path dir = layout.createParents(name);
    Path target = layout.targetIn(dir, name);
    Path tmp = layout.tempIn(dir);
    try {
      Files.createLink(tmp, source);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      LOG.debug("cannot link file into the store, copying it file={} name={} problem={}", file,
          name, e.toString());
      return ArtifactStore.super.putFile(name, source, expected);
    }
    try {
      BasicFileAttributes attrs = attributes(tmp);
      Optional<String> remembered = hashes.remembered(tmp, attrs);
      String sha;
      if (remembered.isPresent()) {
        sha = remembered.get(); // hashed by hashOf, and this version has not changed since
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
      FileHashes.Known known = new FileHashes.Known(attrs.size(),
          nanos(attrs.lastModifiedTime()), sha);
      hashes.writeAttribute(tmp, known, false);
      layout.moveIntoPlace(tmp, target);
      // A rename onto a link of the same file does nothing and leaves tmp: delete it (below).
      layout.syncDirectory(dir);
      hashes.remember(target, attrs, known);
      return new Artifact(name, attrs.size(), sha, attrs.lastModifiedTime().toInstant());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file " + file + " for artifact " + name, e);
    } finally {
      layout.deleteTemp(tmp);
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
    Optional<Path> found = layout.resolve(name);
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
      String sha = hashes.sha256(target, ch, attrs);
      return Optional.of(new Artifact(name, attrs.size(), sha,
          attrs.lastModifiedTime().toInstant()));
    }
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

  /**
   * The SHA-256 of any file, remembered in memory for this version of it (same inode, size and
   * mtime): a second call for an unchanged file, and a {@link #putFile} that links it, need not
   * read it again. A file replaced or changed while it is hashed is hashed, not remembered.
   */
  String hashOf(Path file) throws IOException {
    return hashes.hashOf(file);
  }

  @Override
  public Optional<ArtifactContent> open(String name) {
    ArtifactNames.check(name);
    for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
      Optional<Path> found = layout.resolve(name);
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
          String sha = hashes.sha256(file, ch, after);
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
      Optional<Path> real = layout.resolve(dir);
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
                String name = layout.relativeName(file);
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
        Optional<Path> real = layout.resolve(name.substring(0, slash));
        if (real.isEmpty() || !Files.isDirectory(real.get(), LinkOption.NOFOLLOW_LINKS)) {
          return false;
        }
        dir = real.get();
      }
      Path file = dir.resolve(layout.fileName(name));
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
