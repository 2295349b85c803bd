package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.CallExchange.PROTOBUF;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.http.SubscriptionStream.Kind;
import dev.mesoskit.core.http.SubscriptionStream.Outcome;
import dev.mesoskit.core.http.SubscriptionStream.Trouble;
import dev.mesoskit.core.http.UnacknowledgedUpdates.Pending;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.ExecutorRegistration;
import dev.mesoskit.core.spi.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The pure-Java executor backend: Mesos' v1 executor HTTP API ({@code POST /api/v1/executor} on
 * the agent at {@code MESOS_AGENT_ENDPOINT}), protobuf on the wire, no native library.
 *
 * <p>SUBSCRIBE holds one streaming response open and decodes its RecordIO records into events;
 * UPDATE and MESSAGE go on requests of their own and must be answered 202. Every update is kept
 * until the agent acknowledges it (an ACKNOWLEDGED event with its uuid): it is sent again every
 * {@link Builder#updateRetryInterval} while subscribed, and with the next SUBSCRIBE after a
 * reconnection ({@code unacknowledged_updates}), together with the tasks none of whose updates
 * was acknowledged yet ({@code unacknowledged_tasks}). An update the agent refuses with a client
 * error (4xx) is dropped and its future fails.
 *
 * <p>Disconnections follow the executor API: when the framework does not checkpoint, a broken
 * subscription means the agent is gone ({@link ExecutorEvents#lost}); when it checkpoints, the
 * backend resubscribes for up to {@code MESOS_RECOVERY_TIMEOUT} from the first failure, and
 * reports the agent lost after that. The pauses between attempts grow: each is random between half
 * and all of a ceiling that starts at 1/32 of {@code MESOS_SUBSCRIPTION_BACKOFF_MAX} and doubles
 * after every failed attempt up to it; only a SUBSCRIBED event starts the ceiling (and the
 * recovery timeout) over. A subscription the agent refuses with a client error (unknown framework
 * or executor, bad token) is lost at once. With {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN} every
 * request carries {@code Authorization: Bearer <token>}.
 *
 * <p>A misbehaving agent costs bounded memory and time: an answer other than the event stream is
 * read up to 64 KiB and its download cancelled past that; a SUBSCRIBE answered 200 with another
 * Content-Type is cancelled unread; SUBSCRIBED must come within the request timeout of the
 * response headers (an error body must end within it too), and nothing but a HEARTBEAT may come
 * before it; a call's answer that does not end within twice the request timeout is cancelled.
 *
 * <p>The transport: to a plain {@code http://} agent, unless {@link Builder#httpClient} gives a
 * client, each request is a blocking HTTP/1.1 POST on a socket of its own (no proxy, no redirect
 * followed, no retry; calls ask for {@code Connection: close}), which starts in a fraction of the
 * time and classes of the JDK's {@code java.net.http} client: the executor's first events come
 * that much sooner. An {@code https://} agent, or a given client, goes over that client.
 *
 * <pre>{@code
 * ExecutorBackend backend = HttpExecutorBackend.builder()
 *     .agentEndpoint(System.getenv("MESOS_AGENT_ENDPOINT"))
 *     .frameworkId(System.getenv("MESOS_FRAMEWORK_ID"))
 *     .executorId(System.getenv("MESOS_EXECUTOR_ID"))
 *     .build();
 * }</pre>
 *
 * <p>Threading: every method is safe from any thread. Events are delivered one at a time, in
 * stream order: to a plain {@code http://} agent without a given client, by the subscription's
 * own reader thread ({@code mesoskit-executor-events}, a daemon; one per SUBSCRIBE, and the next
 * starts only after the last one ended); otherwise by the HTTP client's threads. Calls are sent
 * in order by one sender thread. {@link #close} returns once the reader thread and the
 * connection loop ended (waiting at most the request timeout for each, which only an event
 * handler that blocks can use up); called from an event handler, it returns without waiting
 * for them, which end once the handler returned.
 */
public final class HttpExecutorBackend implements ExecutorBackend {
  private static final Logger log = LoggerFactory.getLogger(HttpExecutorBackend.class);
  /** The backoff ceiling starts at the maximum halved this many times. */
  private static final int BACKOFF_DOUBLINGS = 5;

  private final URI agent;
  private final String frameworkId;
  private final String executorId;
  private final boolean checkpoint;
  private final Duration recoveryTimeout;
  private final Duration subscriptionBackoffMax;
  private final Duration requestTimeout;
  private final Duration updateRetryInterval;
  private final int maxRecordBytes;
  private final RandomGenerator random;
  /** The JDK client, or null for the blocking POSTs of a plain http:// agent. */
  private final HttpClient client;

  private final AtomicBoolean subscribeCalled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  /** The sender thread and the calls to the agent. */
  private final AgentCalls calls;
  /** Resends overdue updates and runs the SUBSCRIBED watchdogs. */
  private final ScheduledExecutorService timers;
  private volatile ExecutorEvents events;
  private volatile Thread loop;

  /** The updates and tasks the agent has not acknowledged; guarded by this, as current is. */
  private final UnacknowledgedUpdates updates;
  // Guarded by this.
  private SubscriptionStream<WireExecutorEvent> current;

  private HttpExecutorBackend(Builder b) {
    this.agent = b.agent;
    this.frameworkId = b.frameworkId;
    this.executorId = b.executorId;
    this.checkpoint = b.checkpoint;
    this.recoveryTimeout = b.recoveryTimeout;
    this.subscriptionBackoffMax = b.subscriptionBackoffMax;
    this.requestTimeout = b.requestTimeout;
    this.updateRetryInterval = b.updateRetryInterval;
    this.maxRecordBytes = b.maxRecordBytes;
    // Only the connection loop's thread draws from it. Not RandomGenerator.getDefault(): that looks
    // up every algorithm of jdk.random through a ServiceLoader and their annotations, about 10 ms
    // of a fresh executor's start.
    this.random = b.random != null ? b.random : new SplittableRandom();
    // The agent's endpoint does not change: a plain one needs neither TLS nor the JDK's
    // java.net.http client, whose start (about 450 classes) was most of the time from an
    // executor's main to its first event. Not PlainHttp.isPlain: that initializes an SSLContext.
    this.client = b.client != null
        ? b.client
        : "http".equalsIgnoreCase(agent.getScheme())
            ? null
            : CallExchange.client("mesoskit-executor-http", b.requestTimeout);
    this.calls = new AgentCalls(agent, frameworkId, executorId,
        Optional.ofNullable(b.authenticationToken).map(t -> "Bearer " + t), requestTimeout, client);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(CallExchange.daemon("mesoskit-executor-timers"));
    this.updates = new UnacknowledgedUpdates(this, calls, closed,
        () -> current != null && current.subscribed(), agent, updateRetryInterval);
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
  public void subscribe(ExecutorEvents sink) {
    Objects.requireNonNull(sink, "events must not be null");
    if (!subscribeCalled.compareAndSet(false, true)) {
      throw new IllegalStateException("subscribe was already called on this backend");
    }
    if (closed.get()) {
      throw new IllegalStateException("the backend is closed");
    }
    this.events = sink;
    long period = updateRetryInterval.toNanos();
    timers.scheduleAtFixedRate(updates::resendOverdue, period, Math.max(1_000_000L, period / 2),
        TimeUnit.NANOSECONDS);
    Thread t = new Thread(this::connectionLoop, "mesoskit-executor-subscriber");
    t.setDaemon(true);
    loop = t;
    t.start();
  }

  /** Keeps the executor subscribed while the agent can be reached; reports it lost otherwise. */
  private void connectionLoop() {
    long recoveryDeadline = 0;
    int failures = 0; // attempts failed in a row since the start or the last SUBSCRIBED
    while (!closed.get()) {
      Outcome outcome = subscribeOnce(failures + 1);
      if (closed.get()) {
        return;
      }
      if (outcome.kind() == Kind.FATAL) {
        lost(outcome.detail());
        return;
      }
      if (!checkpoint) {
        lost(outcome.detail() + "; the framework does not checkpoint, so the executor does not"
            + " resubscribe");
        return;
      }
      if (outcome.wasSubscribed()) {
        failures = 0;
        events.disconnected(outcome.detail());
      }
      if (failures == 0) {
        // As in Mesos' executor library: the recovery timeout runs from the first failure, and
        // the attempts that fail after it do not start it over.
        recoveryDeadline = System.nanoTime() + recoveryTimeout.toNanos();
      }
      failures++;
      long left = recoveryDeadline - System.nanoTime();
      if (left <= 0) {
        lost("no subscription within the recovery timeout of " + recoveryTimeout.toMillis()
            + " ms; last problem: " + outcome.detail());
        return;
      }
      Duration backoff = backoff(failures);
      log.warn("resubscribing after backoff agent={} attempt={} cause={} backoff_ms={}", agent,
          failures, outcome.detail(), backoff.toMillis());
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(backoff.toNanos(), left));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * The pause after the {@code failures}-th failed attempt in a row: random between half and all
   * of a ceiling that starts at 1/32 of the maximum and doubles with each failure up to it.
   */
  private Duration backoff(int failures) {
    long ceiling = subscriptionBackoffMax.toNanos()
        >> Math.max(0, BACKOFF_DOUBLINGS - (failures - 1));
    return Duration.ofNanos((long) (ceiling * (0.5 + 0.5 * random.nextDouble())));
  }

  private void lost(String cause) {
    log.info("subscription ended for good, agent lost agent={} cause={}", agent, cause);
    events.lost(cause);
    close();
  }

  /** One SUBSCRIBE and its stream, until it ends; the first attempt in a row logs at INFO. */
  private Outcome subscribeOnce(int attempt) {
    List<byte[]> tasks = new ArrayList<>();
    List<byte[]> statuses = new ArrayList<>();
    Attempt api = new Attempt();
    SubscriptionStream<WireExecutorEvent> stream =
        new SubscriptionStream<>(api, timers, requestTimeout, maxRecordBytes);
    synchronized (this) {
      updates.carry(tasks, statuses, api.carried);
      current = stream;
    }
    if (closed.get()) {
      // close() ran before current was set, so it could not end this attempt: none is made.
      synchronized (this) {
        current = null;
      }
      return new Outcome(Kind.FATAL, "closed", null, false);
    }
    byte[] call = calls.subscribeCall(tasks, statuses);
    // A retry has its own WARN line already: one line per attempt when the agent misbehaves.
    log.atLevel(attempt == 1 ? Level.INFO : Level.DEBUG).log("subscribing agent={} attempt={}"
        + " executor_id={} unacknowledged_tasks={} unacknowledged_updates={}", agent, attempt,
        executorId, tasks.size(), statuses.size());
    if (client != null) {
      stream.open(client, calls.request(call).timeout(requestTimeout).build());
    } else {
      stream.open(calls.post(call, true), "mesoskit-executor-events");
    }
    try {
      return stream.await();
    } finally {
      // One reader at a time: the next attempt's events never overtake this one's. The wait
      // must not end at once on close()'s interrupt, which close() relies on the loop to keep.
      boolean interrupted = Thread.interrupted();
      awaitReader(stream);
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        if (current == stream) {
          current = null;
        }
      }
    }
  }

  /** One SUBSCRIBE: what the executor API makes of its answer and events. */
  private final class Attempt implements SubscriptionStream.Api<WireExecutorEvent> {
    /** The uuids of the updates this SUBSCRIBE carried. */
    final Set<ByteBuffer> carried = new HashSet<>();

    @Override
    public WireExecutorEvent parse(byte[] bytes, int offset, int length) {
      return WireExecutorDecoder.read(bytes, offset, length, frameworkId, executorId, agent);
    }

    @Override
    public String notAStream(ResponseHead response) {
      String type = response.header("Content-Type").orElse("");
      return type.startsWith(PROTOBUF) ? null : "agent " + agent
          + " answered SUBSCRIBE with Content-Type '" + type + "'; expected " + PROTOBUF;
    }

    @Override
    public void refused(SubscriptionStream<WireExecutorEvent> stream, ResponseHead r,
        String body) {
      int status = r.status();
      stream.end(SubscriptionStream.kindOf(status), "agent " + agent + " answered SUBSCRIBE with"
          + " HTTP " + status + ": " + AgentCalls.abbreviate(body));
    }

    @Override
    public boolean transientStatus(int status) {
      return SubscriptionStream.kindOf(status) == Kind.RETRY;
    }

    @Override
    public String describe(Trouble trouble, String detail) {
      return switch (trouble) {
        case UNREACHABLE -> "cannot reach agent " + agent + ": " + detail;
        case UNFINISHED_BODY -> "agent " + agent + " answered SUBSCRIBE with HTTP " + detail
            + " but did not finish its body within " + requestTimeout.toMillis() + " ms";
        case NO_SUBSCRIBED -> "agent " + agent + " sent no SUBSCRIBED event within "
            + requestTimeout.toMillis() + " ms of answering SUBSCRIBE";
        case BROKEN -> "subscription stream from agent " + agent + " broke: " + detail;
        case CLOSED -> "agent " + agent + " closed the subscription stream";
      };
    }

    @Override
    public void handlingFailed(Throwable e) {
      log.error("executor event handling failed agent={}", agent, e);
    }

    @Override
    public void dispatch(SubscriptionStream<WireExecutorEvent> stream, WireExecutorEvent event) {
      int type = event.type();
      if (!stream.subscribed() && type != WireExecutorEvent.SUBSCRIBED
          && type != WireExecutorEvent.HEARTBEAT) {
        throw new MesosKitException("agent " + agent + " sent " + event.typeName()
            + " before SUBSCRIBED");
      }
      if (event.parsed() != null && type != WireExecutorEvent.OTHER) {
        // An event the decoder left to the parser: converted as it always was.
        event = WireExecutorEvent.converted(event.parsed(), frameworkId, executorId);
      }
      switch (type) {
        case WireExecutorEvent.SUBSCRIBED -> onSubscribed(stream, event.subscribed());
        case WireExecutorEvent.LAUNCH, WireExecutorEvent.LAUNCH_GROUP -> {
          for (WireExecutorEvent.Task task : event.tasks()) {
            updates.launched(task.task().mesosTaskId(), task.taskInfo());
            events.launch(task.task());
          }
        }
        case WireExecutorEvent.KILL -> events.kill(event.taskId(), event.killGrace());
        case WireExecutorEvent.ACKNOWLEDGED ->
            updates.acknowledged(event.taskId(), event.bytes());
        case WireExecutorEvent.MESSAGE -> events.message(event.bytes());
        case WireExecutorEvent.SHUTDOWN -> {
          log.info("agent asks the executor to shut down agent={}", agent);
          events.shutdown();
        }
        case WireExecutorEvent.ERROR -> events.error(event.text());
        case WireExecutorEvent.HEARTBEAT -> log.trace("heartbeat agent={}", agent);
        default -> log.debug("executor event ignored type={}", event.typeName());
      }
    }

    private void onSubscribed(SubscriptionStream<WireExecutorEvent> stream,
        WireExecutorEvent.Subscribed s) {
      synchronized (HttpExecutorBackend.this) {
        // Under the lock, so that an update made from now on is queued after the ones the
        // SUBSCRIBE did not carry: the agent must see each task's updates in order.
        stream.markSubscribed();
        updates.subscribed(carried);
      }
      log.info("subscribed agent={} agent_id={} executor_id={}", agent, s.agentId(), executorId);
      events.subscribed(new ExecutorRegistration(s.frameworkId().orElse(frameworkId), executorId,
          s.agentId(), s.hostname(), s.capabilities()));
    }
  }

  // ---------------------------------------------------------------- updates

  /**
   * Sends an update and keeps it until the agent acknowledges it.
   *
   * @param status the update; needs a uuid of 16 bytes and a state other than STAGING
   * @return completes on the agent's ACKNOWLEDGED; fails when the agent refuses the update with a
   *     client error or when the backend closes first
   * @throws IllegalArgumentException when the update has no 16-byte uuid or is STAGING
   */
  @Override
  public CompletableFuture<Void> update(TaskStatus status) {
    byte[] uuid = status.uuid().orElseThrow(() -> new IllegalArgumentException(
        "an executor's status update must carry a uuid but task " + status.mesosTaskId()
            + " had none"));
    if (uuid.length != 16) {
      throw new IllegalArgumentException("status uuid must have 16 bytes but had " + uuid.length);
    }
    if (status.state() == TaskState.STAGING || status.state() == TaskState.PENDING) {
      throw new IllegalArgumentException("an executor must not send " + status.state()
          + " but task " + status.mesosTaskId() + " did");
    }
    Pending p = new Pending(WireExecutorCalls.status(status, executorId), uuid,
        status.mesosTaskId(), status.state().toMesos(), System.nanoTime());
    log.debug("update task={} state={}", status.mesosTaskId(), status.state());
    synchronized (this) {
      if (closed.get()) {
        p.acknowledged.completeExceptionally(new MesosKitException("executor backend closed,"
            + " update not sent: task=" + status.mesosTaskId() + " state=" + status.state()));
        return p.acknowledged;
      }
      updates.add(p);
    }
    return p.acknowledged;
  }

  @Override
  public void message(byte[] data) {
    calls.message(data);
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Closes the subscription and stops the backend's threads; updates not yet acknowledged fail.
   * Returns once they stopped (see the class's threading). Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Pending> unacknowledged;
    SubscriptionStream<WireExecutorEvent> s;
    synchronized (this) {
      unacknowledged = updates.pending();
      s = current;
    }
    if (s != null) {
      s.end(Kind.FATAL, "closed");
    }
    Thread t = loop;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
    timers.shutdownNow();
    calls.close();
    if (s != null) {
      awaitReader(s);
    }
    // Not from an event handler on the reader: the loop waits for the reader before it ends.
    if (t != null && t != Thread.currentThread() && (s == null || !s.onReader())) {
      try {
        t.join(Math.max(1, requestTimeout.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("connection loop still running after close agent={} thread={}", agent,
            t.getName());
      }
    }
    UnacknowledgedUpdates.closedBefore(unacknowledged);
    log.info("executor backend closed agent={} unacknowledged_updates={}", agent,
        unacknowledged.size());
  }

  /** Waits at most the request timeout for {@code stream}'s reader thread to end. */
  private void awaitReader(SubscriptionStream<WireExecutorEvent> stream) {
    try {
      if (!stream.awaitReader(requestTimeout)) {
        log.warn("event reader still running, an event handler blocks agent={}", agent);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "HttpExecutorBackend[agent=" + agent + ", executor=" + executorId + "]";
  }

  /**
   * Builds an {@link HttpExecutorBackend}. Required: {@link #agentEndpoint},
   * {@link #frameworkId}, {@link #executorId}. Defaults: no checkpointing (a broken connection
   * ends the executor), a recovery timeout of 15 min and a backoff of at most 2 s when
   * checkpointing (the agent's defaults), no authentication, a 10 s request timeout, unacknowledged
   * updates sent again every 10 s, event records up to 64 MiB.
   */
  public static final class Builder {
    private URI agent;
    private String frameworkId;
    private String executorId;
    private boolean checkpoint;
    private Duration recoveryTimeout = Duration.ofMinutes(15);
    private Duration subscriptionBackoffMax = Duration.ofSeconds(2);
    private String authenticationToken;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration updateRetryInterval = Duration.ofSeconds(10);
    private int maxRecordBytes = 64 << 20;
    private RandomGenerator random;
    private HttpClient client;

    private Builder() {}

    /**
     * Sets the agent: {@code ip:port} as in {@code MESOS_AGENT_ENDPOINT}, or an
     * {@code http(s)://host:port} URL.
     *
     * @param endpoint the agent's address
     * @return this builder
     * @throws IllegalArgumentException when it is neither
     */
    public Builder agentEndpoint(String endpoint) {
      Objects.requireNonNull(endpoint, "agentEndpoint must not be null");
      String text = endpoint.strip();
      URI uri;
      try {
        uri = URI.create(text.startsWith("http://") || text.startsWith("https://")
            ? text : "http://" + text);
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null || uri.getHost() == null || uri.getPort() < 0) {
        throw new IllegalArgumentException("agentEndpoint must be ip:port or http(s)://host:port"
            + " but was '" + endpoint + "'");
      }
      this.agent = URI.create(uri.getScheme() + "://" + uri.getRawAuthority());
      return this;
    }

    /**
     * Sets the framework ({@code MESOS_FRAMEWORK_ID}).
     *
     * @param id the framework id
     * @return this builder
     */
    public Builder frameworkId(String id) {
      this.frameworkId = id;
      return this;
    }

    /**
     * Sets the executor ({@code MESOS_EXECUTOR_ID}).
     *
     * @param id the executor id
     * @return this builder
     */
    public Builder executorId(String id) {
      this.executorId = id;
      return this;
    }

    /**
     * Sets whether the framework checkpoints ({@code MESOS_CHECKPOINT=1}): only then does the
     * executor resubscribe after a broken connection.
     *
     * @param value default false
     * @return this builder
     */
    public Builder checkpoint(boolean value) {
      this.checkpoint = value;
      return this;
    }

    /**
     * Sets how long to try to resubscribe after a disconnection ({@code MESOS_RECOVERY_TIMEOUT}).
     *
     * @param timeout default 15 min
     * @return this builder
     */
    public Builder recoveryTimeout(Duration timeout) {
      this.recoveryTimeout = timeout;
      return this;
    }

    /**
     * Sets the longest pause between two subscription attempts
     * ({@code MESOS_SUBSCRIPTION_BACKOFF_MAX}). The pauses grow while attempts fail: each is
     * random between half and all of a ceiling that starts at 1/32 of this and doubles after
     * every failed attempt up to this; a SUBSCRIBED event starts it over.
     *
     * @param max default 2 s
     * @return this builder
     */
    public Builder subscriptionBackoffMax(Duration max) {
      this.subscriptionBackoffMax = max;
      return this;
    }

    /**
     * Authenticates every request with {@code Authorization: Bearer <token>}
     * ({@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}).
     *
     * @param token the token, or null for none
     * @return this builder
     */
    public Builder authenticationToken(String token) {
      this.authenticationToken = token;
      return this;
    }

    /**
     * Sets how long a call (and the SUBSCRIBE response headers) may take; SUBSCRIBED must come
     * within this of the headers, and a call's answer must be complete within twice this.
     *
     * @param timeout default 10 s
     * @return this builder
     */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /**
     * Sets how long an update may stay unacknowledged before it is sent again.
     *
     * @param interval default 10 s
     * @return this builder
     */
    public Builder updateRetryInterval(Duration interval) {
      this.updateRetryInterval = interval;
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
     * Sets the random source of the subscription backoff.
     *
     * @param random the source
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /**
     * Uses this HTTP client (it must not follow redirects itself). Without one, an
     * {@code https://} agent gets a client of the backend's own, and a plain {@code http://} agent
     * none: each request is then a blocking POST on a socket of its own.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.client = client;
      return this;
    }

    /**
     * Validates and builds the backend; nothing connects until {@code subscribe}.
     *
     * @return the backend
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public HttpExecutorBackend build() {
      if (agent == null) {
        throw new IllegalArgumentException("agentEndpoint must be set");
      }
      if (frameworkId == null || frameworkId.isBlank()) {
        throw new IllegalArgumentException("frameworkId must be set but was " + frameworkId);
      }
      if (executorId == null || executorId.isBlank()) {
        throw new IllegalArgumentException("executorId must be set but was " + executorId);
      }
      positive("recoveryTimeout", recoveryTimeout);
      positive("requestTimeout", requestTimeout);
      positive("updateRetryInterval", updateRetryInterval);
      if (subscriptionBackoffMax == null || subscriptionBackoffMax.isNegative()) {
        throw new IllegalArgumentException(
            "subscriptionBackoffMax must be >= 0 but was " + subscriptionBackoffMax);
      }
      if (authenticationToken != null && authenticationToken.isBlank()) {
        throw new IllegalArgumentException("authenticationToken must not be blank");
      }
      if (authenticationToken != null && (authenticationToken.indexOf('\r') >= 0
          || authenticationToken.indexOf('\n') >= 0)) {
        throw new IllegalArgumentException("authenticationToken must not contain a line break");
      }
      if (maxRecordBytes < 1) {
        throw new IllegalArgumentException("maxRecordBytes must be >= 1 but was " + maxRecordBytes);
      }
      return new HttpExecutorBackend(this);
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be > 0 but was " + d);
      }
    }
  }
}
