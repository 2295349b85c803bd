package dev.mesoskit.artifacts;

import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A store that records every call before handing it to another store. */
final class RecordingStore implements ArtifactStore {
  private final ArtifactStore delegate;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  RecordingStore(ArtifactStore delegate) {
    this.delegate = delegate;
  }

  /** The calls so far, e.g. {@code open app.jar}. */
  List<String> calls() {
    return List.copyOf(calls);
  }

  void clear() {
    calls.clear();
  }

  @Override
  public Artifact put(String name, InputStream content, Optional<String> expectedSha256) {
    calls.add("put " + name);
    return delegate.put(name, content, expectedSha256);
  }

  @Override
  public Optional<ArtifactContent> open(String name) {
    calls.add("open " + name);
    return delegate.open(name);
  }

  @Override
  public Optional<Artifact> stat(String name) {
    calls.add("stat " + name);
    return delegate.stat(name);
  }

  @Override
  public List<Artifact> list(String prefix) {
    calls.add("list " + prefix);
    return delegate.list(prefix);
  }

  @Override
  public boolean delete(String name) {
    calls.add("delete " + name);
    return delegate.delete(name);
  }
}
