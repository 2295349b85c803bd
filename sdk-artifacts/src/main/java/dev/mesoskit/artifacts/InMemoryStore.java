package dev.mesoskit.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * An {@link ArtifactStore} in memory, for tests: it keeps the store contract, including the
 * clashes a directory has ({@code a} and {@code a/b} cannot both exist), so code tested against
 * it behaves the same on a {@link DirectoryStore}. It holds every artifact in the heap.
 *
 * <p>Threading: safe for concurrent use; a put replaces the map entry in one step.
 */
public final class InMemoryStore implements ArtifactStore {
  private record Stored(Artifact artifact, byte[] bytes) {}

  private final Clock clock;
  private final ConcurrentSkipListMap<String, Stored> artifacts = new ConcurrentSkipListMap<>();
  private final Object writeLock = new Object();

  /** Creates an empty store that stamps artifacts with the system clock. */
  public InMemoryStore() {
    this(Clock.systemUTC());
  }

  /**
   * Creates an empty store.
   *
   * @param clock stamps {@link Artifact#modified()}
   */
  public InMemoryStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
  }

  @Override
  public Artifact put(String name, InputStream content, Optional<String> expectedSha256) {
    ArtifactNames.check(name);
    Objects.requireNonNull(content, "content must not be null");
    Optional<String> expected = expectedSha256.map(Digests::checkExpected);
    MessageDigest md = Digests.sha256();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] buf = new byte[64 * 1024];
    try {
      for (int n; (n = content.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
        bytes.write(buf, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read content: name=" + name, e);
    }
    String sha = Digests.hex(md.digest());
    if (expected.isPresent() && !expected.get().equals(sha)) {
      throw new ChecksumMismatchException(name, expected.get(), sha);
    }
    Artifact artifact = new Artifact(name, bytes.size(), sha, clock.instant());
    synchronized (writeLock) {
      checkNoClash(name);
      artifacts.put(name, new Stored(artifact, bytes.toByteArray()));
    }
    return artifact;
  }

  private void checkNoClash(String name) {
    int slash = name.indexOf('/');
    while (slash >= 0) {
      String parent = name.substring(0, slash);
      if (artifacts.containsKey(parent)) {
        throw new IllegalStateException(
            "name clashes with a stored artifact: name=" + name + " artifact=" + parent);
      }
      slash = name.indexOf('/', slash + 1);
    }
    String under = artifacts.ceilingKey(name + "/");
    if (under != null && under.startsWith(name + "/")) {
      throw new IllegalStateException(
          "name clashes with a directory of stored artifacts: name=" + name);
    }
  }

  @Override
  public Optional<ArtifactContent> open(String name) {
    ArtifactNames.check(name);
    Stored stored = artifacts.get(name);
    if (stored == null) {
      return Optional.empty();
    }
    return Optional.of(new ArtifactContent(stored.artifact(), new BytesChannel(stored.bytes())));
  }

  @Override
  public Optional<Artifact> stat(String name) {
    ArtifactNames.check(name);
    return Optional.ofNullable(artifacts.get(name)).map(Stored::artifact);
  }

  @Override
  public List<Artifact> list(String prefix) {
    Objects.requireNonNull(prefix, "prefix must not be null");
    List<Artifact> found = new ArrayList<>();
    for (Map.Entry<String, Stored> e : artifacts.tailMap(prefix).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      found.add(e.getValue().artifact());
    }
    return List.copyOf(found);
  }

  @Override
  public boolean delete(String name) {
    ArtifactNames.check(name);
    return artifacts.remove(name) != null;
  }

  @Override
  public String toString() {
    return "InMemoryStore[" + artifacts.size() + " artifacts]";
  }
}
