package dev.mesoskit.status;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.FrameworkListener;
import dev.mesoskit.core.FrameworkObserver;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskListener;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live web page of one framework, served by an embedded Jetty: the framework id, the master
 * and the subscription state; every task with its state, attempt, agent and host, ports, health,
 * and for a pending task why it is not placed; the recent events; the offers and agents seen.
 *
 * <p>Register it with the framework ({@link #attach}) so it sees tasks and the connection, then
 * {@link #start()} it. It serves {@code GET /} (one HTML page, its CSS and script inline, nothing
 * loaded from elsewhere), {@code GET /api/status} (the snapshot as JSON) and
 * {@code GET /api/events} (server-sent events, one {@code status} event with the whole snapshot
 * after each change; the page polls {@code /api/status} when it cannot use them). At most
 * {@link Builder#maxStreams} event streams are open at once; one more is answered {@code 503} and
 * that page polls instead, so {@code /} and {@code /api/status} are always served. The page keeps
 * every live task and the {@link Builder#maxDone} tasks that finished last, and counts the older
 * finished ones it dropped.
 *
 * <p>Threading: the listener methods run on the framework's event thread and only update a small
 * model under a lock, in constant time; they never build JSON nor block on the network. Each
 * version's JSON is built once, on a Jetty thread, and shared by every request. Requests are served on Jetty's threads,
 * all daemons, so a page left open does not keep a program alive.
 */
public final class StatusPage
    implements TaskListener, FrameworkListener, FrameworkObserver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StatusPage.class);

  private enum State { LATENT, STARTED, CLOSED }

  private final InetSocketAddress address;
  private final StatusModel model;
  private final Duration minInterval;
  private final boolean namedByBuilder;
  private final int maxStreams;
  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  /** Held while Jetty starts or stops, so a close() during start() stops what start() starts. */
  private final Object lifecycle = new Object();
  /** Runs inside start() just before Jetty starts; tests use it to close() in that window. */
  volatile Runnable beforeServing = () -> {};
  private volatile Framework framework;
  private volatile Server jetty;
  private volatile StatusHandler handler;
  private volatile URI uri;

  private StatusPage(Builder b) {
    this.address = b.address;
    this.model = new StatusModel(b.frameworkName, b.clock, b.maxEvents, b.maxDone);
    this.minInterval = b.minInterval;
    this.maxStreams = b.maxStreams;
    this.namedByBuilder = b.namedByBuilder;
  }

  /**
   * A builder with the defaults: loopback, any free port, the attached framework's name, 200
   * events, 1,000 finished tasks, 16 event streams, the system clock.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Registers this page with a framework builder, as its task listener, framework listener and
   * observer: the one call that puts a framework on the page.
   *
   * @param framework the builder of the framework to show
   * @return {@code framework}, for chaining
   */
  public Framework.Builder attach(Framework.Builder framework) {
    return framework.listener(this).frameworkListener(this).observer(this);
  }

  /**
   * Lets the page read the framework's task snapshots after each packing pass that left tasks
   * pending, so that it shows why each is not placed as that reason changes: listeners are told
   * of changes of state, not of this reason. Optional; without it a pending task shows the
   * message of its last update.
   *
   * @param framework the framework this page is {@linkplain #attach attached} to
   * @return this page
   */
  public StatusPage watch(Framework framework) {
    this.framework = Objects.requireNonNull(framework, "framework must not be null");
    return this;
  }

  /**
   * Binds the address and starts serving.
   *
   * @return the page's URL, e.g. {@code http://127.0.0.1:8081/}
   * @throws IllegalStateException when already started or closed
   * @throws MesosKitException when the address cannot be bound
   */
  public URI start() {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("StatusPage was already started");
    }
    synchronized (lifecycle) { // a close() from now on waits, then stops what starts here
      return serve();
    }
  }

  private URI serve() {
    // each event stream holds a thread: leave plenty for the page, the snapshot and Jetty itself
    QueuedThreadPool threads = new QueuedThreadPool(maxStreams + 32, 2);
    threads.setName("status-page");
    threads.setDaemon(true); // and the timer below: neither holds the JVM
    Server server = new Server(threads,
        new ScheduledExecutorScheduler("status-page-timer", true), null);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
    connector.setHost(address.getHostString());
    connector.setPort(address.getPort());
    server.addConnector(connector);
    handler = new StatusHandler(model, minInterval, maxStreams);
    server.setHandler(handler);
    server.setStopTimeout(0);
    beforeServing.run();
    if (state.get() == State.CLOSED) {
      throw new IllegalStateException("StatusPage was closed while starting");
    }
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      state.set(State.CLOSED);
      throw new MesosKitException("cannot start status page: address=" + address, e);
    }
    jetty = server;
    InetAddress bound = address.getAddress();
    String host = bound == null || bound.isAnyLocalAddress() ? "127.0.0.1"
        : bound.getHostAddress();
    uri = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
        + connector.getLocalPort() + "/");
    LOG.info("status page started framework={} url={}", model.frameworkName(), uri);
    return uri;
  }

  /**
   * The page's URL once started.
   *
   * @return the URL {@link #start()} returned, empty before it
   */
  public Optional<URI> uri() {
    return Optional.ofNullable(uri);
  }

  /**
   * The snapshot {@code GET /api/status} serves.
   *
   * @return the model as one line of JSON
   */
  public String statusJson() {
    return model.json();
  }

  /**
   * Stops serving: open event streams end, the port is released. Idempotent; returns when Jetty
   * stopped.
   */
  @Override
  public void close() {
    State was = state.getAndSet(State.CLOSED);
    if (was == State.CLOSED) {
      return;
    }
    model.close();
    if (was == State.STARTED) {
      synchronized (lifecycle) { // waits for a start() under way, so its server is stopped too
        if (jetty != null) {
          handler.awaitNoStreams(java.time.Duration.ofSeconds(2)); // they end their responses
          stopQuietly(jetty);
          LOG.info("status page stopped framework={} url={}", model.frameworkName(), uri);
        }
      }
    }
  }

  // TaskListener

  /**
   * Records the task as it is now, and an event.
   *
   * @param task the task as it is now
   */
  @Override
  public void onUpdate(Task task) {
    model.task(task);
  }

  /**
   * Records the task's new health and an event.
   *
   * @param task the task with its new health verdict
   */
  @Override
  public void onHealthChanged(Task task) {
    model.health(task);
  }

  // FrameworkListener

  /**
   * Records the framework id, the master and the subscription.
   *
   * @param frameworkId the framework id
   * @param master the master
   * @param failover whether the master confirmed an id the scheduler subscribed with
   */
  @Override
  public void subscribed(String frameworkId, String master, boolean failover) {
    model.subscribed(frameworkId, master, failover);
  }

  /**
   * Records the lost connection.
   *
   * @param why what happened
   */
  @Override
  public void disconnected(String why) {
    model.disconnected(why);
  }

  /**
   * Records a failed subscription attempt.
   *
   * @param attempt failed attempts in a row, from 1
   * @param nextDelay how long until the next
   * @param why why it failed
   */
  @Override
  public void reconnecting(int attempt, Duration nextDelay, String why) {
    model.reconnecting(attempt, nextDelay, why);
  }

  /**
   * Records the framework's failure.
   *
   * @param cause the failure
   */
  @Override
  public void failed(Throwable cause) {
    model.failed(cause);
  }

  // FrameworkObserver

  /**
   * Takes the framework's name as the page's title, unless the builder set one.
   *
   * @param frameworkName the framework's name
   * @param clock the framework's clock (the page stamps events with its own)
   */
  @Override
  public void attached(String frameworkName, Clock clock) {
    if (!namedByBuilder) {
      model.frameworkName(frameworkName);
    }
  }

  /**
   * Records the agents the offers came from, with their hostnames and offered resources.
   *
   * @param offers the offers of one OFFERS event
   */
  @Override
  public void offersReceived(List<Offer> offers) {
    model.offers(offers);
  }

  /**
   * After a pass that left tasks pending, reads their snapshots from the
   * {@linkplain #watch watched} framework, for why each is not placed: only the pending ones,
   * whose ids the page keeps as tasks change, never a scan of every task.
   *
   * @param took how long the pass took
   * @param placed tasks it placed
   * @param pending tasks it left pending
   */
  @Override
  public void packingPass(Duration took, int placed, int pending) {
    Framework watched = framework;
    if (watched != null && pending > 0) {
      for (TaskId id : model.pendingIds()) {
        watched.task(id).ifPresent(model::refreshPending);
      }
    }
  }

  /**
   * Counts offers used.
   *
   * @param count how many offers
   */
  @Override
  public void offersUsed(int count) {
    model.offersUsed(count);
  }

  /**
   * Counts offers declined.
   *
   * @param count how many offers
   */
  @Override
  public void offersDeclined(int count) {
    model.offersDeclined(count);
  }

  /**
   * Counts a rescinded offer and records an event.
   *
   * @param offerId the offer
   */
  @Override
  public void offerRescinded(String offerId) {
    model.offerRescinded(offerId);
  }

  /**
   * Records an event: the attempt ended and the task will be tried again.
   *
   * @param task the task, with the attempt that ended
   * @param backoff how long until the next attempt
   */
  @Override
  public void retrying(Task task, Duration backoff) {
    model.retrying(task, backoff);
  }

  /**
   * Records when the master's last heartbeat arrived.
   *
   * @param at when it arrived
   */
  @Override
  public void heartbeat(Instant at) {
    model.heartbeat(at);
  }

  /**
   * Records an event: the framework subscribed again.
   *
   * @param attempt the attempt that succeeded
   */
  @Override
  public void reconnected(int attempt) {
    model.reconnected(attempt);
  }

  @Override
  public String toString() {
    return "StatusPage[framework=" + model.frameworkName() + ", address=" + address + ", url="
        + uri + ", state=" + state.get() + "]";
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("status page did not stop cleanly", e);
    }
  }

  /** Builds a {@link StatusPage}; every setting has a default. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private String frameworkName = "framework";
    private boolean namedByBuilder;
    private int maxEvents = 200;
    private int maxDone = 1_000;
    private int maxStreams = 16;
    private Clock clock = Clock.systemUTC();
    private Duration minInterval = Duration.ofMillis(200);

    private Builder() {}

    /**
     * Where to listen. Default: loopback, a free port ({@code 127.0.0.1:0}); port 0 picks one.
     *
     * @param address the address and port to bind
     * @return this builder
     */
    public Builder address(InetSocketAddress address) {
      this.address = Objects.requireNonNull(address, "address must not be null");
      return this;
    }

    /**
     * The page's title. Default: the name of the framework the page is
     * {@linkplain #attach attached} to, {@code "framework"} until then.
     *
     * @param frameworkName the name
     * @return this builder
     */
    public Builder frameworkName(String frameworkName) {
      this.frameworkName = Objects.requireNonNull(frameworkName, "frameworkName must not be null");
      this.namedByBuilder = true;
      return this;
    }

    /**
     * How many recent events the page keeps. Default: 200.
     *
     * @param maxEvents at least 1
     * @return this builder
     */
    public Builder maxEvents(int maxEvents) {
      this.maxEvents = maxEvents;
      return this;
    }

    /**
     * How many finished tasks the page keeps, the ones that finished last; older finished tasks
     * are dropped and counted ({@code doneDropped} in the snapshot). Live tasks are all kept.
     * Default: 1,000.
     *
     * @param maxDone zero or more
     * @return this builder
     */
    public Builder maxDone(int maxDone) {
      this.maxDone = maxDone;
      return this;
    }

    /**
     * How many event streams ({@code GET /api/events}) may be open at once, each holding a
     * thread; one more is answered {@code 503} and its page polls {@code /api/status} instead.
     * Default: 16.
     *
     * @param maxStreams zero (every page polls) or more
     * @return this builder
     */
    public Builder maxStreams(int maxStreams) {
      this.maxStreams = maxStreams;
      return this;
    }

    /**
     * The clock that stamps events. Default: {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * The shortest time between two snapshots on an event stream: changes within it go out as
     * one. Default: 200 ms.
     *
     * @param minInterval zero or more
     * @return this builder
     */
    public Builder minInterval(Duration minInterval) {
      this.minInterval = Objects.requireNonNull(minInterval, "minInterval must not be null");
      return this;
    }

    /**
     * Builds the page, not yet serving.
     *
     * @return the page
     * @throws IllegalArgumentException when a setting breaks its rule
     */
    public StatusPage build() {
      if (maxEvents < 1) {
        throw new IllegalArgumentException("maxEvents must be >= 1 but was " + maxEvents);
      }
      if (maxDone < 0) {
        throw new IllegalArgumentException("maxDone must be >= 0 but was " + maxDone);
      }
      if (maxStreams < 0 || maxStreams > 1_000) {
        throw new IllegalArgumentException("maxStreams must be in 0..1000 but was "
            + maxStreams);
      }
      if (minInterval.isNegative()) {
        throw new IllegalArgumentException("minInterval must be >= 0 but was " + minInterval);
      }
      if (frameworkName.isBlank()) {
        throw new IllegalArgumentException("frameworkName must not be blank but was '"
            + frameworkName + "'");
      }
      return new StatusPage(this);
    }
  }
}
