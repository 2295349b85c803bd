package dev.mesoskit.core.spi;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** A {@link StateStore} held in memory; any number of opens, as it has one owner. */
final class InMemoryStateStore implements StateStore {
  private final Map<String, byte[]> entries = new LinkedHashMap<>();

  @Override
  public synchronized void open() {
    // one object, one owner
  }

  @Override
  public synchronized Map<String, byte[]> load() {
    Map<String, byte[]> copy = new LinkedHashMap<>();
    entries.forEach((k, v) -> copy.put(k, v.clone()));
    return copy;
  }

  @Override
  public synchronized void apply(Map<String, byte[]> puts, Set<String> deletes) {
    StateKeys.check(puts, deletes);
    for (String k : deletes) {
      entries.remove(k);
    }
    puts.forEach((k, v) -> entries.put(k, Arrays.copyOf(v, v.length)));
  }

  @Override
  public synchronized void clear() {
    entries.clear();
  }

  @Override
  public void close() {
    // nothing held
  }

  @Override
  public String toString() {
    return "InMemoryStateStore";
  }
}
