package dev.mesoskit.core.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Where a framework keeps what it must not forget when its scheduler dies: the framework id and,
 * for every submitted task, its spec and current attempt, written before the task is launched.
 * A restarted scheduler, or a standby that becomes the leader, recovers every task from it
 * without the application submitting anything again.
 *
 * <p>The store is a map of keys to opaque values; the framework decides what they hold. Keys are
 * 1 to 512 characters without control characters (a store encodes them as it needs: a
 * ZooKeeper store escapes {@code /}); a value is at most 512 KiB. A store whose transactions
 * are smaller than a change (ZooKeeper's: about 1 MB) may write it in parts, and must say so: the
 * framework's changes stay safe when a crash leaves only some parts written, since each entry is
 * whole and a launch is sent only after the whole change was written. {@link #apply} changes several
 * entries as one: after a crash at any point the store holds all of a change or none of it,
 * never a torn entry.
 *
 * <p>Ownership: {@link #open()} takes the store for this scheduler instance and refuses when
 * another instance holds it, so that two schedulers started by mistake do not fight over one
 * framework; a store shared by standbys is opened by whichever instance leads. {@link #close()}
 * lets it go.
 *
 * <p>Threading: {@link #open()} and the first {@link #load()} are called on the thread that
 * starts the framework (or on the election's thread, once elected), and may block there; the
 * rest on the framework's event thread (and {@link #close()} from the thread that closes the
 * framework). Implementations need not be thread-safe beyond that. Failures are
 * unchecked {@code MesosKitException}s naming the store; a store that can no longer guarantee
 * this instance owns it (its ZooKeeper session ended, say) throws from {@link #apply} and the
 * framework stops at once.
 *
 * <pre>{@code
 * Framework.builder().name("web").stateStore(StateStore.file(Path.of("state/web")));
 * }</pre>
 */
public interface StateStore extends AutoCloseable {
  /**
   * Takes the store for this scheduler instance. A store may be opened again after
   * {@link #close()}: it takes the store anew for this instance and {@link #load()} reads the
   * entries as they are then, as written meanwhile by any other instance that held it.
   *
   * @throws dev.mesoskit.core.MesosKitException when another instance holds it, naming that
   *     instance where the store knows it, or the store cannot be reached
   */
  void open();

  /**
   * Reads every entry.
   *
   * @return the entries, by key; values are the bytes last written
   */
  Map<String, byte[]> load();

  /**
   * Writes {@code puts} and deletes {@code deletes} as one change, durable when this returns.
   *
   * @param puts entries to create or replace
   * @param deletes keys to remove; missing keys are ignored
   */
  void apply(Map<String, byte[]> puts, Set<String> deletes);

  /** Removes every entry, e.g. after the framework was torn down. */
  void clear();

  /** Lets the store go; idempotent, throws nothing. */
  @Override
  void close();

  /**
   * Checks a change against the rules of keys and values, for store implementations to call
   * first in {@link #apply}.
   *
   * @param puts entries to create or replace
   * @param deletes keys to remove
   * @throws IllegalArgumentException naming the first key or value that breaks a rule
   */
  static void checkChange(Map<String, byte[]> puts, Set<String> deletes) {
    StateKeys.check(puts, deletes);
  }

  /**
   * A store in a directory of its own: an append-only log of checksummed changes, fsynced at
   * every change and compacted into a snapshot now and then; a process killed in the middle of a
   * write loses at most that change. {@link #open()} holds an advisory lock on the directory.
   *
   * @param directory the directory; created when missing
   * @return the store
   */
  static StateStore file(Path directory) {
    return new FileStateStore(directory);
  }

  /**
   * A store that lives as long as the object: for tests and for frameworks that never fail over.
   *
   * @return the store
   */
  static StateStore inMemory() {
    return new InMemoryStateStore();
  }
}
