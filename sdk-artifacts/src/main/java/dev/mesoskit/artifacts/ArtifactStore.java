package dev.mesoskit.artifacts;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;

/**
 * Where an {@link ArtifactServer} keeps artifacts: a directory ({@link DirectoryStore}, the
 * default), memory ({@link InMemoryStore}, for tests), or anything else that can store a stream
 * under a name.
 *
 * <p>Contract every implementation keeps (the shared contract tests check both stock stores):
 * <ul>
 *   <li>Every method first checks the name with {@link ArtifactNames#check(String)} and throws its
 *       {@link IllegalArgumentException}.
 *   <li>Content streams through: a store never needs a whole artifact in memory (except
 *       {@link InMemoryStore}, whose point is memory).
 *   <li>{@link #put} is all or nothing: a reader sees the old version or the new one, complete,
 *       never a part. Of concurrent puts of one name, one complete version wins. When the
 *       content stream fails, the size limit of the caller's stream is hit, or the content does
 *       not match the expected SHA-256, nothing is stored.
 *   <li>{@link #open} returns the metadata and the bytes of the same version, even while another
 *       thread replaces it.
 * </ul>
 *
 * <p>Failures: a caller's mistake is an {@link IllegalArgumentException} (a bad name, a
 * {@link ChecksumMismatchException}); a name that clashes with what is stored (a file where a
 * directory would go), or an artifact too large for {@link #readAllBytes}, is an
 * {@link IllegalStateException}; a failing content stream is an
 * {@link java.io.UncheckedIOException} carrying the stream's exception; a failing store is a
 * {@link dev.mesoskit.core.MesosKitException}.
 *
 * <p>Threading: implementations are safe for concurrent use from any number of threads.
 *
 * <p>Another backend, such as an object store, is about a page of code: {@code put} streams to
 * the object store's multi-part upload while hashing, checks the digest, and completes the upload
 * only when it matches (aborting otherwise), which gives the all-or-nothing rule; the SHA-256 is
 * kept as object metadata; {@code open} issues a GET for the object's current version (by
 * version id or ETag, so metadata and bytes agree) and returns a {@link
 * java.nio.channels.SeekableByteChannel} whose {@code position} starts a ranged GET; {@code
 * list} maps to a prefix listing; {@code delete} to a delete. The server serves any channel; it
 * takes a faster path for a {@link java.nio.channels.FileChannel}.
 *
 * <pre>{@code
 * ArtifactStore store = ArtifactStore.directory(Path.of("/srv/artifacts"));
 * Artifact stored = store.put("app.jar", Files.newInputStream(jar), Optional.empty());
 * try (ArtifactContent content = store.open("app.jar").orElseThrow()) {
 *   content.channel().read(buffer);
 * }
 * byte[] manifest = store.readAllBytes("app/manifest.json").orElseThrow();
 * }</pre>
 */
public interface ArtifactStore {
  /** The most bytes {@link #readAllBytes(String)} reads into memory: 64 MiB. */
  int READ_ALL_BYTES_LIMIT = 64 * 1024 * 1024;

  /**
   * Stores a stream under a name, replacing any earlier version.
   *
   * @param name the name
   * @param content the bytes; read to its end, not closed
   * @param expectedSha256 the SHA-256 the bytes must have (64 hex digits, either case), if known
   * @return the stored artifact
   * @throws ChecksumMismatchException when the bytes do not have the expected SHA-256
   * @throws IllegalStateException when the name clashes with what is stored
   * @throws java.io.UncheckedIOException when reading {@code content} fails
   */
  Artifact put(String name, InputStream content, Optional<String> expectedSha256);

  /**
   * Stores a file's content under a name, replacing any earlier version, with the guarantees of
   * {@link #put}. A store may take the file without copying its bytes: {@link DirectoryStore}
   * makes a hard link when the file is on its file system (see there). This default streams the
   * file through {@link #put}.
   *
   * @param name the name
   * @param file a regular file (a symbolic link is followed)
   * @param expectedSha256 the SHA-256 the file must have (64 hex digits, either case), if known
   * @return the stored artifact
   * @throws IllegalArgumentException when the file is missing or not a regular file
   * @throws ChecksumMismatchException when the file does not have the expected SHA-256
   * @throws IllegalStateException when the name clashes with what is stored
   * @throws UncheckedIOException when reading the file fails or it changes while it is stored
   */
  default Artifact putFile(String name, Path file, Optional<String> expectedSha256) {
    ArtifactNames.check(name);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file must be a regular file but "
          + (Files.exists(file) ? "is not" : "does not exist") + ": " + file);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return put(name, in, expectedSha256);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read file " + file + " for artifact " + name, e);
    }
  }

  /**
   * Writes the current version of an artifact to a new file, checked against the artifact's size
   * and SHA-256. A store may give the file the artifact's bytes without copying them: {@link
   * DirectoryStore} makes a hard link when the file is on its file system (see there). This
   * default copies the bytes from {@link #open}.
   *
   * @param name the name
   * @param target the file to create; it must not exist yet, its directory must
   * @return the artifact written, or empty when there is none (and no file was created)
   * @throws java.nio.file.FileAlreadyExistsException when {@code target} exists
   * @throws IOException when writing fails or the bytes read do not match the artifact's size
   *     and SHA-256; the target may then exist with part of the bytes
   */
  default Optional<Artifact> getFile(String name, Path target) throws IOException {
    Optional<ArtifactContent> opened = open(name);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (ArtifactContent content = opened.get()) {
      MessageDigest sha = Digests.sha256();
      long copied;
      try (InputStream in = Channels.newInputStream(content.channel());
           OutputStream out = new DigestOutputStream(
               Files.newOutputStream(target, StandardOpenOption.CREATE_NEW), sha)) {
        copied = in.transferTo(out);
      }
      String actual = Digests.hex(sha.digest());
      if (copied != content.artifact().size() || !actual.equals(content.artifact().sha256())) {
        throw new IOException("artifact " + name + " in " + this + " read as " + copied
            + " bytes with SHA-256 " + actual + " but is stored as "
            + content.artifact().size() + " bytes with SHA-256 " + content.artifact().sha256());
      }
      return Optional.of(content.artifact());
    }
  }

  /**
   * Reads the current version of a small artifact into memory, at most
   * {@link #READ_ALL_BYTES_LIMIT} (64 MiB): {@link #readAllBytes(String, int)} with that limit.
   *
   * @param name the name
   * @return the artifact's bytes, or empty when there is none
   * @throws IllegalStateException when the artifact is larger than 64 MiB
   * @throws MesosKitException when reading fails or the bytes read do not match the artifact's
   *     size and SHA-256
   */
  default Optional<byte[]> readAllBytes(String name) {
    return readAllBytes(name, READ_ALL_BYTES_LIMIT);
  }

  /**
   * Reads the current version of a small artifact into memory, refusing one larger than
   * {@code maxBytes} before reading any of it, and checks the bytes against the artifact's size
   * and SHA-256. A convenience for manifests, results and the like: stream larger artifacts with
   * {@link #open} or {@link #getFile}. A missing artifact is empty, as with {@link #open}. This
   * default reads through {@link #open}.
   *
   * @param name the name
   * @param maxBytes the largest artifact accepted, in bytes
   * @return the artifact's bytes, or empty when there is none
   * @throws IllegalArgumentException when the name is not valid or {@code maxBytes} is negative
   * @throws IllegalStateException when the artifact is larger than {@code maxBytes}, e.g.
   *     {@code "artifact big.bin must be at most 1024 bytes to be read into memory but is 1025
   *     bytes: stream it with open or getFile"}
   * @throws MesosKitException when reading fails or the bytes read do not match the artifact's
   *     size and SHA-256
   */
  default Optional<byte[]> readAllBytes(String name, int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0 but was " + maxBytes);
    }
    Optional<ArtifactContent> opened = open(name);
    if (opened.isEmpty()) {
      return Optional.empty();
    }
    try (ArtifactContent content = opened.get()) {
      Artifact artifact = content.artifact();
      if (artifact.size() > maxBytes) {
        throw new IllegalStateException("artifact " + name + " must be at most " + maxBytes
            + " bytes to be read into memory but is " + artifact.size()
            + " bytes: stream it with open or getFile");
      }
      byte[] bytes = new byte[(int) artifact.size()];
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      SeekableByteChannel channel = content.channel();
      while (buf.hasRemaining() && channel.read(buf) >= 0) {
        // read until full or the end
      }
      boolean longer = !buf.hasRemaining() && channel.read(ByteBuffer.allocate(1)) > 0;
      String actual = Digests.hex(Digests.sha256().digest(bytes));
      if (buf.hasRemaining() || longer || !actual.equals(artifact.sha256())) {
        throw new MesosKitException("artifact " + name + " in " + this + " read as "
            + (longer ? "more than " + bytes.length : buf.position()) + " bytes"
            + (buf.hasRemaining() || longer ? "" : " with SHA-256 " + actual)
            + " but is stored as " + artifact.size() + " bytes with SHA-256 "
            + artifact.sha256());
      }
      return Optional.of(bytes);
    } catch (IOException e) {
      throw new MesosKitException("cannot read artifact: name=" + name + " store=" + this, e);
    }
  }

  /**
   * Opens the current version of an artifact for reading. The caller closes it.
   *
   * @param name the name
   * @return the artifact and a channel over exactly its bytes, or empty when there is none
   */
  Optional<ArtifactContent> open(String name);

  /**
   * Reads the metadata of the current version of an artifact.
   *
   * @param name the name
   * @return the artifact, or empty when there is none
   */
  Optional<Artifact> stat(String name);

  /**
   * Lists the artifacts whose names start with a prefix, sorted by name.
   *
   * @param prefix a name prefix such as {@code results/}, or {@code ""} for all
   * @return the artifacts
   */
  List<Artifact> list(String prefix);

  /**
   * Deletes an artifact. Readers that opened it before keep reading the old bytes.
   *
   * @param name the name
   * @return true when there was one to delete
   */
  boolean delete(String name);

  /**
   * A store in a directory: see {@link DirectoryStore}.
   *
   * @param root the directory; created when missing
   * @return the store
   */
  static ArtifactStore directory(Path root) {
    return new DirectoryStore(root);
  }

  /**
   * A store in memory, for tests: see {@link InMemoryStore}.
   *
   * @return the store
   */
  static ArtifactStore inMemory() {
    return new InMemoryStore();
  }
}
