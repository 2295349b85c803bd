package dev.mesoskit.core.zookeeper;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.http.MasterDetector;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.PathUtils;
import org.apache.mesos.v1.Protos;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the leading Mesos master in ZooKeeper, the way Mesos' own detector does: every master
 * registers an ephemeral sequential znode {@code json.info_<seq>} under the path (e.g.
 * {@code /mesos}) holding its {@code MasterInfo} as JSON, and the one with the lowest sequence
 * number leads. Other children ({@code log_replicas}, the old binary {@code info_<seq>}) are
 * ignored.
 *
 * <p>The detector watches the path's children and re-reads the leader on every change and after
 * every (re)connection. Through a disconnection, and through the loss of its ZooKeeper session, it
 * keeps the last leader it read (the backend follows the masters' redirects and backs off on 503
 * anyway) until it can read the children again, on the old session or a new one.
 *
 * <p>Threading: {@link #candidates()} and {@link #close()} are safe from any thread. ZooKeeper's
 * watch and connection events are handed to one daemon thread, {@code mesoskit-zk-detector},
 * which reads ZooKeeper, so leader changes are seen in order.
 */
public final class ZooKeeperMasterDetector implements MasterDetector {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperMasterDetector.class);

  /** Mesos' masters: {@code json.info_} and a sequence number (10 digits, from ZooKeeper). */
  private static final Pattern MASTER_ZNODE = Pattern.compile("json\\.info_(\\d+)");

  /** Reads MasterInfo as Mesos writes it, skipping what this Mesos version does not know. */
  private static final JsonFormat.Parser JSON = JsonFormat.parser().ignoringUnknownFields();

  /** As Mesos' {@code --zk_session_timeout}. */
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

  /** How long one ZooKeeper call waits for a connection, and {@link #start} for a first view. */
  static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(10);

  /** The first wait before reading again after a read failed; doubles up to the maximum. */
  private static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

  /** How often one refresh re-reads when the lowest znode vanishes under it. */
  private static final int MAX_READS_PER_REFRESH = 5;

  private enum State { LATENT, STARTED, CLOSED }

  /** The leader and the znode it was read from. */
  private record Leader(String znode, URI uri) {}

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final String connect;
  private final String path;
  private final CuratorFramework client;
  private final ScheduledExecutorService events;
  private final AtomicBoolean refreshPending = new AtomicBoolean();
  private final CountDownLatch firstView = new CountDownLatch(1);
  private final CuratorWatcher watcher = event -> refreshSoon();
  private final ConnectionStateListener connectionListener = this::connectionChanged;
  private volatile Optional<Leader> leader = Optional.empty();
  private volatile List<String> registered = List.of();
  private Duration retryDelay = FIRST_RETRY_DELAY; // detector thread only

  private ZooKeeperMasterDetector(String connect, String path, Duration connectionTimeout) {
    this.connect = connect;
    this.path = path;
    this.client = CuratorFrameworkFactory.builder()
        .connectString(connect)
        .sessionTimeoutMs(Math.toIntExact(SESSION_TIMEOUT.toMillis()))
        .connectionTimeoutMs(Math.toIntExact(connectionTimeout.toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(200, 5, 5_000))
        .build();
    this.events = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "mesoskit-zk-detector");
      thread.setDaemon(true);
      return thread;
    });
  }

  /**
   * Connects to ZooKeeper and watches for the leading master. Waits up to
   * {@link #CONNECTION_TIMEOUT} for a first view of the masters; if ZooKeeper cannot be reached
   * by then it returns anyway, knows no leader, and keeps trying.
   *
   * @param connect the connect string, {@code host:port[,host:port...]}
   * @param path the znode under which masters register, e.g. {@code /mesos}
   * @return the started detector
   */
  static ZooKeeperMasterDetector start(String connect, String path) {
    return start(connect, path, CONNECTION_TIMEOUT);
  }

  /**
   * Connects with the given connection timeout; see {@link #start(String, String)}.
   *
   * @param connect the connect string
   * @param path the znode under which masters register
   * @param connectionTimeout how long a call waits for a connection, and this for a first view
   * @return the started detector
   */
  static ZooKeeperMasterDetector start(String connect, String path, Duration connectionTimeout) {
    Objects.requireNonNull(connect, "connect must not be null");
    Objects.requireNonNull(connectionTimeout, "connectionTimeout must not be null");
    try {
      PathUtils.validatePath(path);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "path must be a ZooKeeper path such as /mesos but was '" + path + "': " + e.getMessage());
    }
    ZooKeeperMasterDetector detector = new ZooKeeperMasterDetector(connect, path, connectionTimeout);
    try {
      detector.begin(connectionTimeout);
    } catch (RuntimeException e) {
      detector.close();
      throw e;
    }
    return detector;
  }

  private void begin(Duration firstViewTimeout) {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("detector already started");
    }
    LOG.info("watching ZooKeeper for the leading Mesos master zk={} path={}", connect, path);
    client.getConnectionStateListenable().addListener(connectionListener, events);
    client.start();
    refreshSoon();
    try {
      if (!firstView.await(firstViewTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("no view of the Mesos masters in ZooKeeper yet, still trying zk={} path={}"
            + " waited={}", connect, path, firstViewTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public List<URI> candidates() {
    return leader.map(l -> List.of(l.uri())).orElse(List.of());
  }

  /**
   * The masters' znodes as last read, leader first; for diagnostics and tests.
   *
   * @return znode names such as {@code json.info_0000000003}, lowest sequence first
   */
  List<String> registeredMasters() {
    return registered;
  }

  /**
   * The Curator client, so that tests can expire its session.
   *
   * @return the client
   */
  CuratorFramework curator() {
    return client;
  }

  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    client.getConnectionStateListenable().removeListener(connectionListener);
    events.shutdownNow();
    client.close();
    try {
      if (!events.awaitTermination(CONNECTION_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("ZooKeeper detector thread did not stop zk={} path={}", connect, path);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    leader = Optional.empty();
    registered = List.of();
    LOG.info("stopped watching ZooKeeper for the leading Mesos master zk={} path={}",
        connect, path);
  }

  @Override
  public String toString() {
    return "zookeeper zk://" + connect + path + " leader=" + candidates();
  }

  // ------------------------------------------------------------------ the detector thread

  private void connectionChanged(CuratorFramework ignored, ConnectionState newState) {
    switch (newState) {
      case CONNECTED, RECONNECTED -> refreshSoon();
      case LOST -> {
        // Keep the last leader (the backend follows redirects and backs off on 503) and read
        // again, which waits for the new session. The watches died with the old session.
        LOG.warn("ZooKeeper session lost, reading the masters again on a new session zk={}"
            + " path={} leader={}", connect, path, candidates());
        refreshSoon();
      }
      default -> { }
    }
  }

  /** Queues one read of the masters, unless one is already queued. */
  private void refreshSoon() {
    if (state.get() == State.STARTED && refreshPending.compareAndSet(false, true)) {
      try {
        events.execute(this::refresh);
      } catch (RejectedExecutionException closed) {
        refreshPending.set(false);
      }
    }
  }

  private void refresh() {
    refreshPending.set(false);
    if (state.get() != State.STARTED) {
      return;
    }
    try {
      setLeader(readLeader());
      retryDelay = FIRST_RETRY_DELAY;
      firstView.countDown();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      if (state.get() != State.STARTED) {
        return;
      }
      LOG.warn("could not read the Mesos masters from ZooKeeper, retrying in {} zk={} path={}"
          + " error={}", retryDelay, connect, path, e.toString());
      try {
        events.schedule(this::refreshSoon, retryDelay.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closed) {
        return;
      }
      Duration doubled = retryDelay.multipliedBy(2);
      retryDelay = doubled.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : doubled;
    }
  }

  /** Reads the children, sets a watch on them, and reads the lowest master's znode. */
  private Optional<Leader> readLeader() throws Exception {
    for (int read = 0; read < MAX_READS_PER_REFRESH; read++) {
      List<String> children;
      try {
        children = client.getChildren().usingWatcher(watcher).forPath(path);
      } catch (KeeperException.NoNodeException e) {
        // No master has ever registered: watch for the path to appear.
        if (client.checkExists().usingWatcher(watcher).forPath(path) != null) {
          continue;
        }
        registered = List.of();
        return Optional.empty();
      }
      List<String> masters = children.stream()
          .map(MASTER_ZNODE::matcher)
          .filter(Matcher::matches)
          .sorted(Comparator.comparingLong(m -> Long.parseLong(m.group(1))))
          .map(Matcher::group)
          .toList();
      registered = masters;
      if (masters.isEmpty()) {
        return Optional.empty();
      }
      String znode = path + "/" + masters.get(0);
      byte[] data;
      try {
        data = client.getData().forPath(znode);
      } catch (KeeperException.NoNodeException e) {
        continue; // that master just went away: read the children again
      }
      Optional<URI> uri = leaderUri(data, znode);
      return uri.map(u -> new Leader(znode, u));
    }
    refreshSoon();
    return leader;
  }

  private void setLeader(Optional<Leader> next) {
    Optional<Leader> previous = leader;
    if (previous.equals(next)) {
      return;
    }
    leader = next;
    if (next.isPresent()) {
      LOG.info("leading Mesos master is now leader={} znode={} previous={} zk={} path={}",
          next.get().uri(), next.get().znode(), previous.map(Leader::uri).orElse(null),
          connect, path);
    } else {
      LOG.info("no leading Mesos master in ZooKeeper previous={} zk={} path={}",
          previous.map(Leader::uri).orElse(null), connect, path);
    }
  }

  // ------------------------------------------------------------------ MasterInfo JSON

  /**
   * The base URI of the master described by a {@code json.info_} znode: its
   * {@code address.hostname}, else {@code address.ip}, else {@code hostname}, else the legacy
   * {@code ip}; with {@code address.port}, else {@code port}.
   *
   * @param json the znode's data, MasterInfo as JSON
   * @param znode the znode, for the log
   * @return {@code http://host:port}, or empty (logged) when the data names no usable master
   */
  static Optional<URI> leaderUri(byte[] json, String znode) {
    Protos.MasterInfo info;
    try {
      Protos.MasterInfo.Builder builder = Protos.MasterInfo.newBuilder();
      JSON.merge(new String(json, UTF_8), builder);
      info = builder.buildPartial();
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      LOG.warn("leading master's znode holds no MasterInfo JSON znode={} error={}",
          znode, e.getMessage());
      return Optional.empty();
    }
    Protos.Address address = info.getAddress();
    String host;
    if (info.hasAddress() && !address.getHostname().isEmpty()) {
      host = address.getHostname();
    } else if (info.hasAddress() && !address.getIp().isEmpty()) {
      host = address.getIp();
    } else if (!info.getHostname().isEmpty()) {
      host = info.getHostname();
    } else if (info.hasIp()) {
      host = legacyIp(info.getIp());
    } else {
      LOG.warn("leading master's MasterInfo names no host znode={}", znode);
      return Optional.empty();
    }
    int port = info.hasAddress() && address.hasPort() ? address.getPort() : info.getPort();
    try {
      if (port < 1 || port > 65535) {
        throw new URISyntaxException(String.valueOf(port), "port must be 1-65535");
      }
      URI uri = new URI("http", null, host, port, null, null, null);
      if (uri.getHost() == null) {
        throw new URISyntaxException(host, "not a hostname or an IP address");
      }
      return Optional.of(uri);
    } catch (URISyntaxException e) {
      LOG.warn("leading master's MasterInfo has no usable address znode={} host={} port={}"
          + " error={}", znode, host, port, e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Mesos' deprecated {@code MasterInfo.ip}: the IPv4 address in network byte order, read as a
   * little-endian integer (127.0.0.1 is 16777343).
   */
  private static String legacyIp(int ip) {
    return (ip & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + ((ip >>> 16) & 0xff) + "."
        + ((ip >>> 24) & 0xff);
  }

  /**
   * Detects {@code zk://} masters for the HTTP backend; registered with
   * {@link java.util.ServiceLoader}, so {@code --master=zk://...} works once this module is on the
   * class path.
   */
  public static final class Provider implements MasterDetector.Provider {
    /** For {@link java.util.ServiceLoader}. */
    public Provider() {}

    @Override
    public MasterAddress.Kind kind() {
      return MasterAddress.Kind.ZOOKEEPER;
    }

    @Override
    public MasterDetector start(MasterAddress address) {
      return ZooKeeperMasterDetector.start(address.zookeeper().orElseThrow(),
          address.zookeeperPath().orElseThrow());
    }
  }
}
