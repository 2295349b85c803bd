package dev.mesoskit.core.zookeeper;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.LeaderElection;
import dev.mesoskit.core.spi.StateStore;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.PathUtils;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * High availability for a scheduler through ZooKeeper: a {@link LeaderElection} so that standbys
 * wait while one instance leads, and a {@link StateStore} that only the instance holding it can
 * write, both on one ZooKeeper session.
 *
 * <p>The znodes, under the URL's path (the base, e.g. {@code /mesoskit/web}):
 * <ul>
 *   <li>{@code <base>/leader/_c_<uuid>-latch-<seq>}: Curator's {@code LeaderLatch}, one
 *       ephemeral sequential node per contending instance, holding its description; the lowest
 *       sequence number leads.
 *   <li>{@code <base>/owner/_c_<uuid>-instance-<seq>}: ephemeral sequential, the instance that
 *       holds the state store, holding its description.
 *   <li>{@code <base>/state/<encoded key>}: one persistent node per entry, holding its value; a
 *       key's {@code /} and {@code %} are escaped as {@code %2F} and {@code %25}, characters
 *       ZooKeeper refuses in names as {@code %uXXXX}, and the names {@code .}, {@code ..} and
 *       {@code zookeeper} are escaped as a whole.
 * </ul>
 *
 * <p>Fencing: every write of the store is a ZooKeeper transaction that first checks that this
 * instance's owner node still exists, so an instance whose session ended never writes again. The
 * election calls {@link LeaderElection.Listener#lost} on the leader as soon as the connection is
 * {@code SUSPENDED} or {@code LOST} (or the latch says it does not lead) and then closes the
 * ZooKeeper client, so that this instance's ephemeral nodes go away as soon as ZooKeeper hears of
 * it (at once when the server can still be reached, at the session timeout otherwise) and a
 * standby takes over. A standby whose connection drops keeps contending once it is back.
 *
 * <p>Lifecycle: {@code LATENT -> STARTED -> CLOSED}; {@link #connect(String)} and
 * {@link Builder#connect()} return a started instance. Threading: safe from any thread; the
 * election calls its listener on its own daemon threads: {@code elected} on
 * {@code mesoskit-zk-elected}, {@code lost} on {@code mesoskit-zk-election}.
 *
 * <pre>{@code
 * ZooKeeperHa ha = ZooKeeperHa.connect("zk://zk1:2181,zk2:2181/mesoskit/web");
 * Framework.builder().name("web").leaderElection(ha.election()).stateStore(ha.stateStore());
 * }</pre>
 */
public final class ZooKeeperHa implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperHa.class);

  /** The default ZooKeeper session timeout, as Mesos' {@code --zk_session_timeout}. */
  public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);

  /** The default time a ZooKeeper call, and {@link #connect(String)}, waits for a connection. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final String url;
  private final String connectString;
  private final String basePath;
  private final String instance;
  private final Duration sessionTimeout;
  private final Duration connectionTimeout;
  private final CuratorFramework client;
  private final ZooKeeperLeaderElection election;
  private final ZooKeeperStateStore store;

  private ZooKeeperHa(Builder builder, MasterAddress address) {
    this.url = builder.url;
    this.connectString = address.zookeeper().orElseThrow();
    this.basePath = address.zookeeperPath().orElseThrow();
    this.instance = builder.instance;
    this.sessionTimeout = builder.sessionTimeout;
    this.connectionTimeout = builder.connectionTimeout;
    this.client = CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
        .connectionTimeoutMs(Math.toIntExact(connectionTimeout.toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(200, 5, 5_000))
        .build();
    this.election = new ZooKeeperLeaderElection(this);
    this.store = new ZooKeeperStateStore(this);
  }

  /**
   * Connects to ZooKeeper with the default timeouts and instance description.
   *
   * @param zkUrl {@code zk://host:port[,host:port...]/path}; the path is the base of every znode,
   *     e.g. {@code zk://127.0.0.1:2181/mesoskit/web}
   * @return the connected instance
   * @throws IllegalArgumentException when the URL is not a {@code zk://} URL with a path
   * @throws MesosKitException when ZooKeeper cannot be reached within the connection timeout
   */
  public static ZooKeeperHa connect(String zkUrl) {
    return builder().url(zkUrl).connect();
  }

  /**
   * A builder, for timeouts and the instance description.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The leader election of this instance; the same object on every call.
   *
   * @return the election, on {@code <base>/leader}
   */
  public LeaderElection election() {
    return election;
  }

  /**
   * The state store of this instance; the same object on every call.
   *
   * @return the store, on {@code <base>/state} and {@code <base>/owner}
   */
  public StateStore stateStore() {
    return store;
  }

  /**
   * This instance as the other instances see it in ZooKeeper.
   *
   * @return the instance description, e.g. {@code host:pid}
   */
  public String instance() {
    return instance;
  }

  /**
   * The URL this instance connected to.
   *
   * @return the {@code zk://} URL as given
   */
  public String url() {
    return url;
  }

  /** Closes the election, the store and the ZooKeeper client; idempotent, throws nothing. */
  @Override
  public void close() {
    if (state.getAndSet(State.CLOSED) == State.CLOSED) {
      return;
    }
    election.close();
    store.close();
    client.close();
    LOG.info("disconnected from ZooKeeper url={} instance={}", url, instance);
  }

  @Override
  public String toString() {
    return "ZooKeeperHa " + url + " instance=" + instance;
  }

  // ------------------------------------------------------------------ for the election and store

  CuratorFramework client() {
    return client;
  }

  String basePath() {
    return basePath;
  }

  Duration sessionTimeout() {
    return sessionTimeout;
  }

  Duration connectionTimeout() {
    return connectionTimeout;
  }

  byte[] instanceBytes() {
    return instance.getBytes(UTF_8);
  }

  /** Closes the ZooKeeper client at once, ending this instance's session: after losing. */
  void closeClient() {
    client.close();
  }

  private void start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("ZooKeeperHa already started");
    }
    client.start();
    boolean connected;
    try {
      connected = client.blockUntilConnected(
          Math.toIntExact(connectionTimeout.toMillis()), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      connected = false;
    }
    if (!connected) {
      throw new MesosKitException("could not connect to ZooKeeper " + url + " within "
          + connectionTimeout.toMillis() + " ms");
    }
    for (String child : List.of("leader", "owner", "state")) {
      String path = basePath + "/" + child;
      try {
        client.create().creatingParentsIfNeeded().forPath(path);
      } catch (KeeperException.NodeExistsException exists) {
        // created before, by this or another instance
      } catch (Exception e) {
        throw new MesosKitException("could not create " + path + " in ZooKeeper " + url + ": "
            + e, e);
      }
    }
    LOG.info("connected to ZooKeeper url={} instance={} sessionTimeout={}", url, instance,
        sessionTimeout);
  }

  /**
   * Builds and connects a {@link ZooKeeperHa}.
   *
   * <pre>{@code
   * ZooKeeperHa ha = ZooKeeperHa.builder().url("zk://zk1:2181/mesoskit/web")
   *     .sessionTimeout(Duration.ofSeconds(20)).instance("web-1").connect();
   * }</pre>
   */
  public static final class Builder {
    private String url;
    private Duration sessionTimeout = DEFAULT_SESSION_TIMEOUT;
    private Duration connectionTimeout = DEFAULT_CONNECTION_TIMEOUT;
    private String instance;

    private Builder() {}

    /**
     * Sets where ZooKeeper is; required.
     *
     * @param url {@code zk://host:port[,host:port...]/path}
     * @return this builder
     */
    public Builder url(String url) {
      this.url = url;
      return this;
    }

    /**
     * Sets the ZooKeeper session timeout (default 10 s): how long after losing touch with
     * ZooKeeper this instance's nodes go away, and how long {@link StateStore#open()} waits for a
     * previous holder's to go. The server may adjust it to its own bounds.
     *
     * @param sessionTimeout a positive duration
     * @return this builder
     */
    public Builder sessionTimeout(Duration sessionTimeout) {
      this.sessionTimeout = sessionTimeout;
      return this;
    }

    /**
     * Sets how long connecting, and each ZooKeeper call, waits for a connection (default 5 s).
     *
     * @param connectionTimeout a positive duration
     * @return this builder
     */
    public Builder connectionTimeout(Duration connectionTimeout) {
      this.connectionTimeout = connectionTimeout;
      return this;
    }

    /**
     * Sets how this instance describes itself to the others, in its znodes and in their errors
     * (default {@code host:pid}).
     *
     * @param instance a non-blank description
     * @return this builder
     */
    public Builder instance(String instance) {
      this.instance = instance;
      return this;
    }

    /**
     * Validates the settings and connects.
     *
     * @return the connected instance
     * @throws IllegalArgumentException naming the setting that is wrong
     * @throws MesosKitException when ZooKeeper cannot be reached within the connection timeout
     */
    public ZooKeeperHa connect() {
      Objects.requireNonNull(url, "url must not be null");
      if (!url.startsWith("zk://")) {
        throw new IllegalArgumentException(
            "url must be zk://host:port[,host:port...]/path but was '" + url + "'");
      }
      MasterAddress address = MasterAddress.parse(url);
      try {
        PathUtils.validatePath(address.zookeeperPath().orElseThrow());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("url's path must be a ZooKeeper path such as"
            + " /mesoskit/web but was '" + url + "': " + e.getMessage());
      }
      checkPositive("sessionTimeout", sessionTimeout);
      checkPositive("connectionTimeout", connectionTimeout);
      if (instance == null) {
        instance = defaultInstance();
      } else if (instance.isBlank()) {
        throw new IllegalArgumentException("instance must not be blank but was '" + instance
            + "'");
      }
      ZooKeeperHa ha = new ZooKeeperHa(this, address);
      try {
        ha.start();
      } catch (RuntimeException e) {
        ha.close();
        throw e;
      }
      return ha;
    }

    private static void checkPositive(String name, Duration value) {
      Objects.requireNonNull(value, name + " must not be null");
      if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(name + " must be > 0 and at most "
            + Integer.MAX_VALUE + " ms but was " + value);
      }
    }

    private static String defaultInstance() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "localhost";
      }
      return host + ":" + ProcessHandle.current().pid();
    }
  }
}
