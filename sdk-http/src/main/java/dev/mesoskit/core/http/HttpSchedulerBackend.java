package dev.mesoskit.core.http;

import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.http.SubscriptionStream.Kind;
import dev.mesoskit.core.http.SubscriptionStream.Outcome;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure-Java scheduler backend: Mesos' v1 scheduler HTTP API, protobuf on the wire, no native
 * library.
 *
 * <p>SUBSCRIBE holds one streaming response open and decodes its RecordIO records into events;
 * every other call goes on its own request with the {@code Mesos-Stream-Id} and must be answered
 * 202. Non-leading masters' 307 redirects (protocol-relative {@code Location}) are followed, 503
 * answers and dropped connections are retried against each candidate master with exponential
 * backoff and jitter, and about five missed heartbeats count as a dead connection. Every
 * re-subscription carries the framework id in {@code call.framework_id} and
 * {@code framework_info.id}, so the master fails the framework over instead of registering a new
 * one. An ERROR event ends the backend: another scheduler may have taken over, and this one must
 * not fight it.
 *
 * <pre>{@code
 * SchedulerBackend backend = HttpSchedulerBackend.builder()
 *     .master("zk://zk1:2181,zk2:2181/mesos")
 *     .principal("analytics").secretFile(Path.of("/etc/mesos/secret"))
 *     .build();
 * }</pre>
 *
 * <p>Threading: every method is safe from any thread. Events are delivered from the HTTP client's
 * threads, one at a time, in stream order. Calls are sent in order by one sender thread; a call
 * that fails is logged as a {@link MesosCallException} (the framework recovers by
 * reconciliation), never thrown at the caller.
 */
public final class HttpSchedulerBackend implements SchedulerBackend {
  private static final Logger log = LoggerFactory.getLogger(HttpSchedulerBackend.class);
  static final String PATH = "/api/v1/scheduler";
  private static final int MAX_REDIRECTS = 5;

  private final MasterDetector detector;
  private final HttpClient client;
  /** Who the framework authenticates as, for the words of a refusal; null for nobody. */
  private final String principal;
  private final Duration requestTimeout;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final int missedHeartbeats;
  private final int maxRecordBytes;
  private final RandomGenerator random;
  private final List<AutoCloseable> attached;

  private final AtomicBoolean subscribeCalled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Every call but SUBSCRIBE, on the stream the subscription opened. */
  private final SchedulerCalls calls;
  private final ScheduledExecutorService watchdog;
  private volatile Thread loop;
  private volatile FrameworkInfo info;
  /** The roles SUPPRESS asked the master not to offer, until REVIVE. */
  private final Set<String> suppressedRoles = ConcurrentHashMap.newKeySet();
  private volatile SchedulerEvents events;
  private volatile String frameworkId;
  private volatile SubscriptionStream<WireEvent> current;
  /** The SUBSCRIBE attempt of {@link #current}, read by the connection loop once it ended. */
  private volatile SchedulerAttempt lastAttempt;

  private HttpSchedulerBackend(Builder b, MasterDetector detector) {
    this.detector = detector;
    this.client = b.client != null
        ? b.client
        : CallExchange.client("mesoskit-scheduler-http", b.requestTimeout);
    this.principal = b.principal;
    Optional<String> authorization = b.principal == null ? Optional.empty() : Optional.of(
        "Basic " + Base64.getEncoder().encodeToString(
            (b.principal + ":" + readSecret(b.secretFile)).getBytes(StandardCharsets.UTF_8)));
    this.requestTimeout = b.requestTimeout;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.missedHeartbeats = b.missedHeartbeats;
    this.maxRecordBytes = b.maxRecordBytes;
    this.random = b.random != null ? b.random : RandomGenerator.getDefault();
    this.attached = List.copyOf(b.attached);
    // Every call schedules its watchdog and cancels it on the answer: removed on cancel, the
    // queue holds the calls in flight, not every call (and its answer) of the last two timeouts.
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(1, CallExchange.daemon("mesoskit-http-watchdog"));
    timers.setRemoveOnCancelPolicy(true);
    this.watchdog = timers;
    // Calls go through a client of their own whose selector thread completes them (half the CPU
    // per acknowledgement); the event stream stays on the client above, whose pool threads may
    // block in the framework's event handling. A client given by the user carries both.
    HttpClient callClient = b.client != null ? b.client : CallExchange.directClient(requestTimeout);
    this.calls = new SchedulerCalls(callClient, authorization, requestTimeout, watchdog, closed,
        () -> frameworkId);
  }

  private static String readSecret(Path file) {
    if (file == null) {
      throw new IllegalArgumentException("secretFile must be set when a principal is set");
    }
    try {
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("secret file must not be empty: " + file);
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalArgumentException("secret file cannot be read: " + file + " (" + e + ")", e);
    }
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---------------------------------------------------------------- subscription

  @Override
  public void subscribe(FrameworkInfo frameworkInfo, SchedulerEvents sink) {
    if (!subscribeCalled.compareAndSet(false, true)) {
      throw new IllegalStateException("subscribe was already called on this backend");
    }
    this.info = Objects.requireNonNull(frameworkInfo, "frameworkInfo must not be null");
    this.events = Objects.requireNonNull(sink, "events must not be null");
    this.frameworkId = frameworkInfo.id().orElse(null);
    Thread t = new Thread(this::connectionLoop, "mesoskit-http-subscriber");
    t.setDaemon(true);
    loop = t;
    t.start();
  }

  /** Keeps the framework subscribed until closed or the master sends ERROR. */
  private void connectionLoop() {
    int failures = 0;
    int candidate = 0;
    URI redirect = null;
    int redirects = 0;
    while (!closed.get()) {
      URI master = redirect;
      if (master == null) {
        List<URI> candidates = detector.candidates();
        if (candidates.isEmpty()) {
          log.warn("no leading master known yet detector={}", detector);
          failures++;
          Duration pause = backoff(failures);
          events.reconnecting(failures, pause, "no leading master known yet (" + detector + ")");
          pause(pause);
          continue;
        }
        master = candidates.get(Math.floorMod(candidate, candidates.size()));
      }
      redirect = null;
      Outcome outcome = subscribeOnce(master);
      if (closed.get() || calls.tearingDown()) {
        return;
      }
      switch (outcome.kind()) {
        case FATAL -> {
          log.error("subscription ended for good master={} cause={}", master, outcome.detail());
          if (lastAttempt != null && lastAttempt.masterSentError()) {
            events.error(outcome.detail());
          } else {
            events.failed(outcome.detail()); // not the master's ERROR: why no retry can help
          }
          closeQuietly();
          return;
        }
        case REDIRECT -> {
          if (++redirects <= MAX_REDIRECTS) {
            log.info("following redirect to the leading master from={} to={}", master,
                outcome.location());
            redirect = outcome.location();
            continue;
          }
          log.warn("too many redirects, backing off last={}", outcome.location());
        }
        case DROPPED -> {
          // The stream was up; the connection broke afterwards. Start over quickly.
          events.disconnected(outcome.detail());
          failures = 0;
        }
        case RETRY -> candidate++;
      }
      redirects = 0;
      failures++;
      Duration pause = backoff(failures);
      log.warn("resubscribing after backoff master={} cause={} backoff={}", master,
          outcome.detail(), pause);
      events.reconnecting(failures, pause, outcome.detail());
      pause(pause);
    }
  }

  private Duration backoff(int failures) {
    double nanos = minBackoff.toNanos() * Math.pow(2, Math.min(30, Math.max(0, failures - 1)));
    nanos = Math.min(nanos, maxBackoff.toNanos());
    return Duration.ofNanos((long) (nanos * (0.5 + 0.5 * random.nextDouble())));
  }

  private void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.set(true);
    }
  }

  private Outcome subscribeOnce(URI master) {
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
    FrameworkInfo fi = frameworkId == null ? info : info.withId(frameworkId);
    if (frameworkId != null) {
      call.setFrameworkId(Protos.FrameworkID.newBuilder().setValue(frameworkId));
    }
    call.setSubscribe(Call.Subscribe.newBuilder()
        .setFrameworkInfo(V1Conversions.frameworkInfo(fi)));
    HttpRequest request = calls.request(master, call.build()).timeout(requestTimeout).build();
    SchedulerAttempt attempt = new SchedulerAttempt(master, principal, requestTimeout,
        missedHeartbeats, events, calls, id -> frameworkId = id);
    lastAttempt = attempt;
    SubscriptionStream<WireEvent> stream =
        new SubscriptionStream<>(attempt, watchdog, requestTimeout, maxRecordBytes);
    current = stream;
    log.info("subscribing master={} framework_id={}", master, frameworkId);
    stream.open(client, request);
    try {
      return stream.await();
    } finally {
      calls.streamEnded();
    }
  }

  /** The base URI of the master a 307 points to; the Location is often protocol-relative. */
  static URI leaderBase(URI from, String location) {
    String loc = location.strip();
    URI target = loc.startsWith("//")
        ? URI.create(from.getScheme() + ":" + loc)
        : from.resolve(loc);
    return URI.create(target.getScheme() + "://" + target.getRawAuthority());
  }

  // ---------------------------------------------------------------- calls

  /**
   * Sends one call to the current leader with the stream id and completes when the master
   * answered 202.
   *
   * @param call the call; its framework id is filled in
   * @return completes normally on 202, exceptionally with a {@link MesosCallException} on any
   *     other status, or with the I/O failure
   */
  CompletableFuture<Void> call(Call.Builder call) {
    return calls.call(call);
  }

  @Override
  public void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {
    calls.accept(offerIds, launches, refuse);
  }

  /**
   * Accepts offers with one {@code LAUNCH} operation of {@code launches} (none when there are
   * only groups) and one {@code LAUNCH_GROUP} operation per group
   * ({@link V1Conversions#launchGroup}), in one {@code ACCEPT}.
   *
   * @param offerIds the offers, all of one agent
   * @param launches single tasks
   * @param groups pods
   * @param refuse how long the master should not re-offer what is left
   */
  @Override
  public void accept(List<String> offerIds, List<TaskLaunch> launches,
      List<TaskGroupLaunch> groups, Duration refuse) {
    calls.accept(offerIds, launches, groups, refuse);
  }

  /**
   * Sends {@code UPDATE_FRAMEWORK} with the new information (its id the framework's) and keeps
   * it for later re-subscriptions, REVIVE and SUPPRESS. The roles this backend suppressed that
   * the new information still holds stay suppressed ({@code suppressed_roles}).
   *
   * @param newInfo the framework's information as it should now be
   */
  @Override
  public void updateFramework(FrameworkInfo newInfo) {
    Objects.requireNonNull(newInfo, "info must not be null");
    String id = frameworkId;
    FrameworkInfo withId = id == null ? newInfo : newInfo.withId(id);
    info = withId;
    List<String> suppressed = withId.roles().stream().filter(suppressedRoles::contains).toList();
    suppressedRoles.retainAll(withId.roles());
    calls.updateFramework(withId, suppressed);
  }

  @Override
  public void decline(List<String> offerIds, Duration refuse) {
    calls.decline(offerIds, refuse);
  }

  @Override
  public void revive() {
    suppressedRoles.removeAll(info.roles());
    calls.revive(info.roles());
  }

  @Override
  public void suppress() {
    suppressedRoles.addAll(info.roles());
    calls.suppress(info.roles());
  }

  @Override
  public void kill(String mesosTaskId, String agentId) {
    calls.kill(mesosTaskId, agentId);
  }

  /**
   * Kills a task with {@code Call.Kill.kill_policy} set to the grace period.
   *
   * @param mesosTaskId the Mesos task id
   * @param agentId the agent it runs on, if known (null otherwise)
   * @param gracePeriod how long the executor waits before forcing the task
   */
  @Override
  public void kill(String mesosTaskId, String agentId, Duration gracePeriod) {
    calls.kill(mesosTaskId, agentId, gracePeriod);
  }

  @Override
  public void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
    calls.acknowledge(agentId, mesosTaskId, uuid);
  }

  @Override
  public void reconcile(List<ReconcileTask> tasks) {
    calls.reconcile(tasks);
  }

  @Override
  public void message(String agentId, String executorId, byte[] data) {
    calls.message(agentId, executorId, data);
  }

  /**
   * Removes the framework from the master (every task is killed), waiting at most the request
   * timeout for the master's 202, then closes. A subscription still under way (a framework that
   * finishes right after it started, or one reconnecting) gets the request timeout to complete
   * first. Without a subscription no TEARDOWN can be sent: a framework the master registered
   * earlier stays registered, its tasks running, until its failover timeout.
   *
   * @throws MesosKitException when a framework the master registered could not be torn down (no
   *     subscription in time, TEARDOWN refused or unanswered); the backend is closed either way
   */
  @Override
  public void teardown() {
    if (closed.get()) {
      return;
    }
    if (!awaitSubscribed(requestTimeout)) {
      close();
      if (frameworkId == null) {
        log.info("never subscribed, nothing to tear down");
        return;
      }
      throw new MesosKitException("not subscribed within " + requestTimeout + ", no TEARDOWN"
          + " sent: the master keeps framework_id=" + frameworkId + " and its tasks until its"
          + " failover timeout");
    }
    try {
      calls.teardown();
    } finally {
      close();
    }
  }

  /** Waits until a stream is subscribed; false when {@code timeout} passes or on close first. */
  private boolean awaitSubscribed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      SubscriptionStream<WireEvent> stream = current;
      if (stream != null && stream.subscribed() && calls.hasStream()) {
        return true;
      }
      if (closed.get() || System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Disconnects without TEARDOWN, so a restarted scheduler can fail over. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    closeQuietly();
  }

  private void closeQuietly() {
    closed.set(true);
    SubscriptionStream<WireEvent> s = current;
    if (s != null) {
      s.end(Kind.FATAL, "closed");
    }
    Thread t = loop;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
    calls.closeSender();
    watchdog.shutdownNow();
    calls.closeCallThreads();
    detector.close();
    for (AutoCloseable resource : attached) {
      try {
        resource.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", resource, e.toString());
      }
    }
    log.info("backend closed framework_id={}", frameworkId);
  }

  @Override
  public String toString() {
    return "HttpSchedulerBackend[" + detector + "]";
  }

  /**
   * Builds an {@link HttpSchedulerBackend}. Required: {@link #master(String)} or
   * {@link #detector(MasterDetector)}. Defaults: no authentication, 10 s request timeout, backoff
   * from 500 ms to 30 s, a connection counted dead after 5 missed heartbeats, records up to 64 MiB.
   */
  public static final class Builder {
    private MasterDetector detector;
    private String principal;
    private Path secretFile;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration minBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private int missedHeartbeats = 5;
    private int maxRecordBytes = 64 << 20;
    private HttpClient client;
    private RandomGenerator random;
    private final List<AutoCloseable> attached = new ArrayList<>();

    private Builder() {}

    /**
     * Closes {@code resource} when the backend closes, e.g. the embedded cluster it talks to.
     *
     * @param resource what to close
     * @return this builder
     */
    public Builder attach(AutoCloseable resource) {
      attached.add(Objects.requireNonNull(resource, "resource must not be null"));
      return this;
    }

    /**
     * Sets the master: {@code host:port[,host:port]}, {@code http(s)://host:port} or
     * {@code zk://host:port[,host:port]/path}.
     *
     * @param master the address
     * @return this builder
     */
    public Builder master(String master) {
      MasterAddress address = MasterAddress.parse(master);
      if (address.kind() == MasterAddress.Kind.LOCAL) {
        throw new IllegalArgumentException(
            "master 'local' is the embedded cluster, not an address the HTTP backend can reach");
      }
      this.detector = MasterDetector.forAddress(address);
      return this;
    }

    /**
     * Sets how masters are found.
     *
     * @param detector the detector
     * @return this builder
     */
    public Builder detector(MasterDetector detector) {
      this.detector = detector;
      return this;
    }

    /**
     * Authenticates with HTTP Basic as this principal.
     *
     * @param principal the principal
     * @return this builder
     */
    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    /**
     * Reads the principal's secret from this file (never from the command line).
     *
     * @param secretFile the file
     * @return this builder
     */
    public Builder secretFile(Path secretFile) {
      this.secretFile = secretFile;
      return this;
    }

    /**
     * Sets how long a call (and the SUBSCRIBE response headers) may take.
     *
     * @param timeout default 10 s
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Sets the backoff between subscription attempts; it doubles from {@code min} to {@code max},
     * with jitter.
     *
     * @param min default 500 ms
     * @param max default 30 s
     * @return this builder
     */
    public Builder backoff(Duration min, Duration max) {
      this.minBackoff = min;
      this.maxBackoff = max;
      return this;
    }

    /**
     * Sets after how many missed heartbeats the connection counts as dead.
     *
     * @param count default 5
     * @return this builder
     */
    public Builder missedHeartbeats(int count) {
      this.missedHeartbeats = count;
      return this;
    }

    /**
     * Sets the longest event record accepted.
     *
     * @param bytes default 64 MiB
     * @return this builder
     */
    public Builder maxRecordBytes(int bytes) {
      this.maxRecordBytes = bytes;
      return this;
    }

    /**
     * Uses this HTTP client (it must not follow redirects itself).
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.client = client;
      return this;
    }

    /**
     * Sets the random source of backoff jitter.
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /**
     * Validates and builds the backend; nothing connects until {@code subscribe}.
     *
     * @return the backend
     */
    public HttpSchedulerBackend build() {
      if (detector == null) {
        throw new IllegalArgumentException("master must be set");
      }
      if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be > 0 but was " + requestTimeout);
      }
      if (minBackoff == null || maxBackoff == null || minBackoff.isNegative()
          || maxBackoff.compareTo(minBackoff) < 0) {
        throw new IllegalArgumentException("backoff must satisfy 0 <= min <= max but was "
            + minBackoff + ".." + maxBackoff);
      }
      if (missedHeartbeats < 1) {
        throw new IllegalArgumentException(
            "missedHeartbeats must be >= 1 but was " + missedHeartbeats);
      }
      if (maxRecordBytes < 1) {
        throw new IllegalArgumentException("maxRecordBytes must be >= 1 but was " + maxRecordBytes);
      }
      return new HttpSchedulerBackend(this, detector);
    }
  }
}
