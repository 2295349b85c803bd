package dev.mesoskit.core.spi;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** A {@link FrameworkIdStore} held in memory. */
final class InMemoryFrameworkIdStore implements FrameworkIdStore {
  private final AtomicReference<String> id = new AtomicReference<>();

  @Override
  public Optional<String> load() {
    return Optional.ofNullable(id.get());
  }

  @Override
  public void save(String frameworkId) {
    id.set(FileFrameworkIdStore.checkId(frameworkId));
  }

  @Override
  public void clear() {
    id.set(null);
  }

  @Override
  public String toString() {
    return "InMemoryFrameworkIdStore";
  }
}
