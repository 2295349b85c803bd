package dev.mesoskit.core.zookeeper;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.StateStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link StateStore} in ZooKeeper: one persistent znode per entry under {@code <base>/state},
 * and an ephemeral owner node under {@code <base>/owner} that every write checks in the same
 * transaction, so an instance whose session ended writes nothing more.
 *
 * <p>A change is one transaction when its entries add up to at most {@link #MAX_PART_BYTES}
 * (ZooKeeper refuses requests over about 1 MB); a larger change is written as several
 * transactions of at most that size each (one entry alone may exceed it, values being at most
 * 512 KiB), and is not atomic across them: a failure between two leaves the first ones written.
 *
 * <p>{@link #open()} may be called again after {@link #close()} (e.g. {@code Framework.tearDown}
 * reads the framework id, closes the store, then starts a framework that opens it again): it
 * takes a new owner node and reads the entries again; not once the {@link ZooKeeperHa} closed.
 *
 * <p>Threading: as the SPI says, one thread at a time; {@link #close()} from any thread.
 */
final class ZooKeeperStateStore implements StateStore {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperStateStore.class);

  /** The largest transaction this store sends, counting keys, values and overhead. */
  static final int MAX_PART_BYTES = 512 * 1024;

  /** The key of the framework id, which {@link #clear()} deletes last. */
  static final String FRAMEWORK_ID_KEY = "framework-id";

  /** What one operation of a transaction costs beyond its path and data, roughly. */
  private static final int OP_OVERHEAD_BYTES = 64;

  /** How often {@link #open()} looks again whether the previous owner has gone. */
  private static final long OWNER_POLL_MS = 100;

  private enum State { LATENT, STARTED, CLOSED }

  /** One operation on an entry, by encoded name; {@code data} is null for a delete. */
  private record Change(String name, byte[] data) {
    int bytes() {
      return name.length() * 3 + (data == null ? 0 : data.length) + OP_OVERHEAD_BYTES;
    }
  }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final ZooKeeperHa ha;
  private final String ownerPath;
  private final String statePath;
  private volatile String ownerNode;
  /** The encoded names of the entries, as this instance believes ZooKeeper holds them. */
  private final Set<String> existing = new HashSet<>();
  private boolean stale = true;
  /** Runs after each part of a change was written, with its index; for tests. */
  private volatile java.util.function.IntConsumer partWritten = index -> { };

  ZooKeeperStateStore(ZooKeeperHa ha) {
    this.ha = ha;
    this.ownerPath = ha.basePath() + "/owner";
    this.statePath = ha.basePath() + "/state";
  }

  @Override
  public synchronized void open() {
    State before = state.get();
    if (before == State.STARTED) {
      throw new IllegalStateException("state store already open: " + ha.url());
    }
    if (ha.client().getState() == CuratorFrameworkState.STOPPED) {
      throw new MesosKitException("cannot open the ZooKeeper state store " + ha.url()
          + ": its ZooKeeperHa (instance " + ha.instance() + ") was closed; connect a new one");
    }
    if (!state.compareAndSet(before, State.STARTED)) {
      throw new IllegalStateException("state store already open: " + ha.url());
    }
    existing.clear(); // whatever an earlier opening saw is read again
    stale = true;
    try {
      takeOwnership();
    } catch (RuntimeException e) {
      state.compareAndSet(State.STARTED, before);
      throw e;
    }
    if (state.get() != State.STARTED) { // closed meanwhile, from another thread
      String own = ownerNode;
      ownerNode = null;
      if (own != null) {
        deleteQuietly(own);
      }
      throw new IllegalStateException("state store closed while it opened: " + ha.url());
    }
    LOG.info("opened the ZooKeeper state store url={} instance={} owner={}", ha.url(),
        ha.instance(), ownerNode);
  }

  private void takeOwnership() {
    CuratorFramework client = ha.client();
    String own;
    try {
      own = client.create()
          .withProtection()
          .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
          .forPath(ownerPath + "/instance-", ha.instanceBytes());
    } catch (Exception e) {
      throw failure("could not open the ZooKeeper state store " + ha.url(), e);
    }
    ownerNode = own;
    String ownName = own.substring(own.lastIndexOf('/') + 1);
    // With a leader election, the previous leader's owner node goes when its session closes or
    // expires, which can be a little after this instance was elected: wait for it.
    long deadline = System.nanoTime() + ha.sessionTimeout().toNanos();
    try {
      while (true) {
        List<String> others = new ArrayList<>(client.getChildren().forPath(ownerPath));
        others.remove(ownName);
        others.sort(null);
        if (others.isEmpty()) {
          break;
        }
        if (System.nanoTime() - deadline >= 0) {
          byte[] holder;
          try {
            holder = client.getData().forPath(ownerPath + "/" + others.get(0));
          } catch (KeeperException.NoNodeException gone) {
            continue; // it just went: look again
          }
          deleteQuietly(own);
          ownerNode = null;
          throw new MesosKitException("another scheduler instance (" + new String(holder, UTF_8)
              + ") holds the ZooKeeper state store " + ha.url() + "; run one instance, or give"
              + " every instance a leader election (Framework.Builder.leaderElection) to run"
              + " standbys");
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        Thread.sleep(Math.max(1, Math.min(OWNER_POLL_MS, left)));
      }
      refreshView();
    } catch (MesosKitException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deleteQuietly(own);
      ownerNode = null;
      throw new MesosKitException("interrupted while opening the ZooKeeper state store "
          + ha.url(), e);
    } catch (Exception e) {
      deleteQuietly(own);
      ownerNode = null;
      throw failure("could not open the ZooKeeper state store " + ha.url(), e);
    }
  }

  @Override
  public synchronized Map<String, byte[]> load() {
    requireOpen();
    CuratorFramework client = ha.client();
    Map<String, byte[]> entries = new TreeMap<>();
    Set<String> read = new HashSet<>();
    try {
      for (String name : client.getChildren().forPath(statePath)) {
        String key;
        try {
          key = decodeKey(name);
        } catch (IllegalArgumentException e) {
          LOG.warn("ignoring a znode that is no state entry url={} znode={}/{} error={}",
              ha.url(), statePath, name, e.getMessage());
          continue;
        }
        try {
          entries.put(key, client.getData().forPath(statePath + "/" + name));
          read.add(name);
        } catch (KeeperException.NoNodeException gone) {
          // deleted meanwhile
        }
      }
    } catch (Exception e) {
      stale = true;
      throw failure("could not read the ZooKeeper state store " + ha.url(), e);
    }
    existing.clear();
    existing.addAll(read);
    stale = false;
    return new LinkedHashMap<>(entries);
  }

  @Override
  public synchronized void apply(Map<String, byte[]> puts, Set<String> deletes) {
    StateStore.checkChange(puts, deletes);
    requireOpen();
    List<Change> changes = new ArrayList<>();
    Set<String> putNames = new HashSet<>();
    puts.forEach((key, value) -> putNames.add(encodeKey(key)));
    for (String key : deletes) {
      String name = encodeKey(key);
      if (!putNames.contains(name)) {
        changes.add(new Change(name, null));
      }
    }
    puts.forEach((key, value) -> changes.add(new Change(encodeKey(key), value.clone())));
    write(changes);
  }

  @Override
  public synchronized void clear() {
    requireOpen();
    try {
      refreshView();
    } catch (Exception e) {
      throw failure("could not read the ZooKeeper state store " + ha.url(), e);
    }
    // The framework id goes last, in the last part: a clear cut short by a crash leaves it, so
    // the entries left are still those of a known framework, not tasks without one.
    String frameworkId = encodeKey(FRAMEWORK_ID_KEY);
    List<Change> changes = new ArrayList<>();
    existing.stream().filter(name -> !name.equals(frameworkId)).sorted()
        .forEach(name -> changes.add(new Change(name, null)));
    changes.add(new Change(frameworkId, null)); // skipped when missing
    write(changes);
  }

  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) != State.STARTED) {
      return;
    }
    String own = ownerNode;
    if (own != null && ha.client().getZookeeperClient().isConnected()) {
      deleteQuietly(own); // else it goes with the session, when the client closes
    }
    LOG.info("closed the ZooKeeper state store url={} instance={}", ha.url(), ha.instance());
  }

  /** Runs {@code hook} after each part of a change was written, with its index; for tests. */
  void onPartWritten(java.util.function.IntConsumer hook) {
    partWritten = hook;
  }

  /** This instance's owner node, while the store is open; for tests. */
  String ownerNode() {
    return ownerNode;
  }

  @Override
  public String toString() {
    return "ZooKeeperStateStore " + ha.url() + " instance=" + ha.instance();
  }

  // ------------------------------------------------------------------ writing

  /** Writes the changes in parts of at most {@link #MAX_PART_BYTES}, each with the owner check. */
  private void write(List<Change> changes) {
    if (stale) {
      try {
        refreshView();
      } catch (Exception e) {
        throw failure("could not read the ZooKeeper state store " + ha.url(), e);
      }
    }
    List<List<Change>> parts = new ArrayList<>();
    List<Change> part = new ArrayList<>();
    int partBytes = 0;
    for (Change change : changes) {
      if (change.data() == null && !existing.contains(change.name())) {
        continue; // deleting a missing key
      }
      int bytes = change.bytes();
      if (!part.isEmpty() && partBytes + bytes > MAX_PART_BYTES) {
        parts.add(part);
        part = new ArrayList<>();
        partBytes = 0;
      }
      part.add(change);
      partBytes += bytes;
    }
    if (!part.isEmpty()) {
      parts.add(part);
    }
    for (int i = 0; i < parts.size(); i++) {
      writePart(parts.get(i), i, parts.size());
      partWritten.accept(i);
    }
    if (parts.size() > 1) {
      LOG.debug("wrote a change in parts url={} parts={} entries={}", ha.url(), parts.size(),
          changes.size());
    }
  }

  /**
   * Writes one part as one transaction. When it fails on an entry (not the owner check) because
   * this instance's view was wrong, e.g. a transaction that committed just before the connection
   * dropped and was sent again, it reads the view again and writes the part once more.
   */
  private void writePart(List<Change> part, int index, int count) {
    for (int attempt = 1; ; attempt++) {
      List<CuratorOp> ops = new ArrayList<>();
      CuratorFramework client = ha.client();
      try {
        ops.add(client.transactionOp().check().forPath(ownerNode));
        for (Change change : part) {
          String path = statePath + "/" + change.name();
          if (change.data() == null && !existing.contains(change.name())) {
            continue; // deleted meanwhile
          } else if (change.data() == null) {
            ops.add(client.transactionOp().delete().forPath(path));
          } else if (existing.contains(change.name())) {
            ops.add(client.transactionOp().setData().forPath(path, change.data()));
          } else {
            ops.add(client.transactionOp().create().forPath(path, change.data()));
          }
        }
        client.transaction().forOperations(ops);
      } catch (KeeperException e) {
        int failed = failedOp(e);
        if (failed == 0 || e.code() == KeeperException.Code.SESSIONEXPIRED) {
          throw notOwner("its owner node " + ownerNode + " is gone (its ZooKeeper session ended)",
              index, count, e);
        }
        stale = true;
        if (attempt == 1 && failed > 0 && isViewMismatch(e.code())) {
          try {
            refreshView();
          } catch (Exception again) {
            throw writeFailure(index, count, again);
          }
          continue;
        }
        throw writeFailure(index, count, e);
      } catch (IllegalStateException e) {
        // Curator refuses calls once the client is closed: after the election was lost.
        throw notOwner("its ZooKeeper client was closed (" + e.getMessage() + ")", index, count,
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stale = true;
        throw writeFailure(index, count, e);
      } catch (Exception e) {
        stale = true;
        throw writeFailure(index, count, e);
      }
      for (Change change : part) {
        if (change.data() == null) {
          existing.remove(change.name());
        } else {
          existing.add(change.name());
        }
      }
      return;
    }
  }

  private static boolean isViewMismatch(KeeperException.Code code) {
    return code == KeeperException.Code.NODEEXISTS || code == KeeperException.Code.NONODE
        || code == KeeperException.Code.NOTEMPTY;
  }

  /** The index of the operation a failed transaction failed on, or -1 when unknown. */
  private static int failedOp(KeeperException e) {
    List<OpResult> results = e.getResults();
    if (results == null) {
      return -1;
    }
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) instanceof OpResult.ErrorResult error
          && error.getErr() != KeeperException.Code.OK.intValue()
          && error.getErr() != KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()) {
        return i;
      }
    }
    return -1;
  }

  private MesosKitException notOwner(String why, int index, int count, Exception cause) {
    return new MesosKitException("this scheduler instance (" + ha.instance()
        + ") no longer owns the ZooKeeper state store " + ha.url() + ": " + why
        + "; nothing was written" + writtenParts(index, count), cause);
  }

  private MesosKitException writeFailure(int index, int count, Exception cause) {
    return new MesosKitException("could not write to the ZooKeeper state store " + ha.url()
        + ": " + cause + writtenParts(index, count), cause);
  }

  /** For a change in parts: which parts were written before this one failed. */
  private static String writtenParts(int index, int count) {
    if (count == 1) {
      return "";
    }
    return " (part " + (index + 1) + " of " + count + " of a change too large for one"
        + " transaction; parts 1 to " + index + " were written)";
  }

  private void refreshView() throws Exception {
    List<String> names = ha.client().getChildren().forPath(statePath);
    existing.clear();
    existing.addAll(names);
    stale = false;
  }

  private void requireOpen() {
    if (state.get() != State.STARTED) {
      throw new IllegalStateException("state store is not open: " + ha.url());
    }
  }

  private void deleteQuietly(String node) {
    try {
      ha.client().delete().forPath(node);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.debug("could not delete the state store owner node node={} error={}", node,
          e.toString());
    }
  }

  private static MesosKitException failure(String what, Exception cause) {
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
    }
    return new MesosKitException(what + ": " + cause, cause);
  }

  // ------------------------------------------------------------------ keys

  /**
   * A key as the name of one znode: {@code /} as {@code %2F}, {@code %} as {@code %25}, every
   * character ZooKeeper refuses in a name (controls, surrogates, private use, specials) as
   * {@code %uXXXX}, and the names {@code .}, {@code ..} and {@code zookeeper} escaped whole.
   *
   * @param key a state key
   * @return the znode name
   */
  static String encodeKey(String key) {
    switch (key) {
      case "." -> {
        return "%2E";
      }
      case ".." -> {
        return "%2E%2E";
      }
      case "zookeeper" -> {
        return "%7Aookeeper";
      }
      default -> { }
    }
    StringBuilder name = new StringBuilder(key.length() + 8);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c == '/') {
        name.append("%2F");
      } else if (c == '%') {
        name.append("%25");
      } else if (refusedByZooKeeper(c)) {
        name.append(String.format("%%u%04X", (int) c));
      } else {
        name.append(c);
      }
    }
    return name.toString();
  }

  /**
   * The key a znode name stands for; the inverse of {@link #encodeKey}.
   *
   * @param name a znode name
   * @return the key
   * @throws IllegalArgumentException when the name has a malformed escape
   */
  static String decodeKey(String name) {
    StringBuilder key = new StringBuilder(name.length());
    int i = 0;
    while (i < name.length()) {
      char c = name.charAt(i);
      if (c != '%') {
        key.append(c);
        i++;
      } else if (i + 1 < name.length() && name.charAt(i + 1) == 'u') {
        key.append((char) hex(name, i + 2, 4));
        i += 6;
      } else {
        key.append((char) hex(name, i + 1, 2));
        i += 3;
      }
    }
    return key.toString();
  }

  private static int hex(String name, int from, int digits) {
    if (from + digits > name.length()) {
      throw new IllegalArgumentException("malformed escape at the end of '" + name + "'");
    }
    try {
      return Integer.parseInt(name.substring(from, from + digits), 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("malformed escape in '" + name + "' at " + from);
    }
  }

  /** As ZooKeeper's path validation. */
  private static boolean refusedByZooKeeper(char c) {
    return c <= '\u001f'
        || (c >= '\u007f' && c <= '\u009f')
        || (c >= '\ud800' && c <= '\uf8ff')
        || c >= '\ufff0';
  }
}
