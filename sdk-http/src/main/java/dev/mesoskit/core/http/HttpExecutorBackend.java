package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.CallExchange.PROTOBUF;
import static dev.mesoskit.core.http.CallExchange.rootCause;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.http.SubscriptionStream.Kind;
import dev.mesoskit.core.http.SubscriptionStream.Outcome;
import dev.mesoskit.core.http.SubscriptionStream.Trouble;
import dev.mesoskit.core.spi.ClientThreads;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.ExecutorRegistration;
import dev.mesoskit.core.spi.TaskStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
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
 * <pre>{@code
 * ExecutorBackend backend = HttpExecutorBackend.builder()
 *     .agentEndpoint(System.getenv("MESOS_AGENT_ENDPOINT"))
 *     .frameworkId(System.getenv("MESOS_FRAMEWORK_ID"))
 *     .executorId(System.getenv("MESOS_EXECUTOR_ID"))
 *     .build();
 * }</pre>
 *
 * <p>Threading: every method is safe from any thread. Events are delivered from the HTTP client's
 * threads, one at a time, in stream order. Calls are sent in order by one sender thread.
 */
public final class HttpExecutorBackend implements ExecutorBackend {
  private static final Logger log = LoggerFactory.getLogger(HttpExecutorBackend.class);
  private static final String PATH = "/api/v1/executor";
  /** The backoff ceiling starts at the maximum halved this many times. */
  private static final int BACKOFF_DOUBLINGS = 5;

  private final URI agent;
  private final Protos.FrameworkID frameworkId;
  private final Protos.ExecutorID executorId;
  private final boolean checkpoint;
  private final Duration recoveryTimeout;
  private final Duration subscriptionBackoffMax;
  private final Optional<String> authorization;
  private final Duration requestTimeout;
  private final Duration updateRetryInterval;
  private final int maxRecordBytes;
  private final RandomGenerator random;
  private final HttpClient client;

  private final AtomicBoolean subscribeCalled = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ExecutorService sender;
  private final ExecutorService callThreads =
      ClientThreads.bounded("mesoskit-executor-call", 2, Duration.ofSeconds(30));
  /** Resends overdue updates and runs the SUBSCRIBED watchdogs. */
  private final ScheduledExecutorService timers;
  private volatile ExecutorEvents events;
  private volatile Thread loop;

  // Guarded by this.
  private final Map<String, Protos.TaskInfo> unacknowledgedTasks = new LinkedHashMap<>();
  private final Map<ByteString, Pending> unacknowledgedUpdates = new LinkedHashMap<>();
  private SubscriptionStream<Event> current;

  private HttpExecutorBackend(Builder b) {
    this.agent = b.agent;
    this.frameworkId = Protos.FrameworkID.newBuilder().setValue(b.frameworkId).build();
    this.executorId = Protos.ExecutorID.newBuilder().setValue(b.executorId).build();
    this.checkpoint = b.checkpoint;
    this.recoveryTimeout = b.recoveryTimeout;
    this.subscriptionBackoffMax = b.subscriptionBackoffMax;
    this.authorization = Optional.ofNullable(b.authenticationToken).map(t -> "Bearer " + t);
    this.requestTimeout = b.requestTimeout;
    this.updateRetryInterval = b.updateRetryInterval;
    this.maxRecordBytes = b.maxRecordBytes;
    this.random = b.random != null ? b.random : RandomGenerator.getDefault();
    this.client = b.client != null
        ? b.client
        : CallExchange.client("mesoskit-executor-http", b.requestTimeout);
    this.sender =
        Executors.newSingleThreadExecutor(CallExchange.daemon("mesoskit-executor-calls"));
    this.timers =
        Executors.newSingleThreadScheduledExecutor(CallExchange.daemon("mesoskit-executor-timers"));
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
    timers.scheduleAtFixedRate(this::resendOverdue, period, Math.max(1_000_000L, period / 2),
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
    Call.Subscribe.Builder subscribe = Call.Subscribe.newBuilder();
    Attempt api = new Attempt();
    SubscriptionStream<Event> stream =
        new SubscriptionStream<>(api, timers, requestTimeout, maxRecordBytes);
    synchronized (this) {
      subscribe.addAllUnacknowledgedTasks(unacknowledgedTasks.values());
      for (Map.Entry<ByteString, Pending> e : unacknowledgedUpdates.entrySet()) {
        subscribe.addUnacknowledgedUpdates(e.getValue().update);
        api.carried.add(e.getKey());
      }
      current = stream;
    }
    Call call = call(Call.Type.SUBSCRIBE).setSubscribe(subscribe).build();
    // A retry has its own WARN line already: one line per attempt when the agent misbehaves.
    log.atLevel(attempt == 1 ? Level.INFO : Level.DEBUG).log("subscribing agent={} attempt={}"
        + " executor_id={} unacknowledged_tasks={} unacknowledged_updates={}", agent, attempt,
        executorId.getValue(), subscribe.getUnacknowledgedTasksCount(),
        subscribe.getUnacknowledgedUpdatesCount());
    stream.open(client, request(call).timeout(requestTimeout).build());
    try {
      return stream.await();
    } finally {
      synchronized (this) {
        if (current == stream) {
          current = null;
        }
      }
    }
  }

  private HttpRequest.Builder request(Call call) {
    return CallExchange.request(agent, PATH, authorization, call.toByteArray());
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
  }

  private static String abbreviate(String body) {
    String b = body == null ? "" : body.strip();
    return b.length() > 500 ? b.substring(0, 500) + "..." : b;
  }

  /** One SUBSCRIBE: what the executor API makes of its answer and events. */
  private final class Attempt implements SubscriptionStream.Api<Event> {
    /** The uuids of the updates this SUBSCRIBE carried. */
    final Set<ByteString> carried = new HashSet<>();

    @Override
    public Event parse(byte[] record) {
      try {
        return Event.parseFrom(record);
      } catch (InvalidProtocolBufferException e) {
        throw new MesosKitException("agent " + agent + " sent an event that is not a valid v1"
            + " executor Event (" + record.length + " bytes): " + e.getMessage(), e);
      }
    }

    @Override
    public String notAStream(HttpResponse.ResponseInfo response) {
      String type = response.headers().firstValue("Content-Type").orElse("");
      return type.startsWith(PROTOBUF) ? null : "agent " + agent
          + " answered SUBSCRIBE with Content-Type '" + type + "'; expected " + PROTOBUF;
    }

    @Override
    public void refused(SubscriptionStream<Event> stream, HttpResponse<String> r) {
      int status = r.statusCode();
      stream.end(SubscriptionStream.kindOf(status), "agent " + agent + " answered SUBSCRIBE with"
          + " HTTP " + status + ": " + abbreviate(r.body()));
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
    public void handlingFailed(RuntimeException e) {
      log.error("executor event handling failed agent={}", agent, e);
    }

    @Override
    public void dispatch(SubscriptionStream<Event> stream, Event event) {
      if (!stream.subscribed() && event.getType() != Event.Type.SUBSCRIBED
          && event.getType() != Event.Type.HEARTBEAT) {
        throw new MesosKitException("agent " + agent + " sent " + event.getType()
            + " before SUBSCRIBED");
      }
      switch (event.getType()) {
        case SUBSCRIBED -> onSubscribed(stream, event.getSubscribed());
        case LAUNCH -> launch(event.getLaunch().getTask());
        case LAUNCH_GROUP -> {
          for (Protos.TaskInfo task : event.getLaunchGroup().getTaskGroup().getTasksList()) {
            launch(task);
          }
        }
        case KILL -> {
          Event.Kill kill = event.getKill();
          Optional<Duration> grace = kill.hasKillPolicy() && kill.getKillPolicy().hasGracePeriod()
              ? Optional.of(Duration.ofNanos(
                  Math.max(0, kill.getKillPolicy().getGracePeriod().getNanoseconds())))
              : Optional.empty();
          events.kill(kill.getTaskId().getValue(), grace);
        }
        case ACKNOWLEDGED -> acknowledged(event.getAcknowledged().getTaskId().getValue(),
            event.getAcknowledged().getUuid());
        case MESSAGE -> events.message(event.getMessage().getData().toByteArray());
        case SHUTDOWN -> {
          log.info("agent asks the executor to shut down agent={}", agent);
          events.shutdown();
        }
        case ERROR -> events.error(event.getError().getMessage());
        case HEARTBEAT -> log.trace("heartbeat agent={}", agent);
        default -> log.debug("executor event ignored type={}", event.getType());
      }
    }

    private void onSubscribed(SubscriptionStream<Event> stream, Event.Subscribed s) {
      synchronized (HttpExecutorBackend.this) {
        // Under the lock, so that an update made from now on is queued after the ones the
        // SUBSCRIBE did not carry: the agent must see each task's updates in order.
        stream.markSubscribed();
        long now = System.nanoTime();
        for (Map.Entry<ByteString, Pending> e : unacknowledgedUpdates.entrySet()) {
          if (carried.contains(e.getKey())) {
            e.getValue().sentNanos = now;
          } else {
            enqueue(e.getValue());
          }
        }
      }
      String agentId = s.getAgentInfo().getId().getValue();
      log.info("subscribed agent={} agent_id={} executor_id={}", agent, agentId,
          executorId.getValue());
      events.subscribed(new ExecutorRegistration(
          s.getFrameworkInfo().hasId() ? s.getFrameworkInfo().getId().getValue()
              : frameworkId.getValue(),
          executorId.getValue(), agentId, s.getAgentInfo().getHostname()));
    }

    private void launch(Protos.TaskInfo task) {
      synchronized (HttpExecutorBackend.this) {
        unacknowledgedTasks.put(task.getTaskId().getValue(), task);
      }
      events.launch(V1Conversions.launchedTask(task, frameworkId.getValue(),
          executorId.getValue()));
    }
  }

  // ---------------------------------------------------------------- updates

  /** An update sent but not acknowledged. */
  private static final class Pending {
    final Call.Update update;
    final String taskId;
    final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    // Guarded by the backend.
    long sentNanos;

    Pending(Call.Update update, String taskId, long sentNanos) {
      this.update = update;
      this.taskId = taskId;
      this.sentNanos = sentNanos;
    }
  }

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
    Protos.TaskStatus message = V1Conversions.taskStatusMessage(status).toBuilder()
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
        .setExecutorId(executorId)
        .build();
    Pending p = new Pending(Call.Update.newBuilder().setStatus(message).build(),
        status.mesosTaskId(), System.nanoTime());
    log.debug("update task={} state={}", status.mesosTaskId(), status.state());
    synchronized (this) {
      if (closed.get()) {
        p.acknowledged.completeExceptionally(new MesosKitException("executor backend closed,"
            + " update not sent: task=" + status.mesosTaskId() + " state=" + status.state()));
        return p.acknowledged;
      }
      unacknowledgedUpdates.put(message.getUuid(), p);
      // Queued under the lock: the sender sends in the order updates were made.
      if (current != null && current.subscribed()) {
        enqueue(p);
      }
    }
    return p.acknowledged;
  }

  private void acknowledged(String taskId, ByteString uuid) {
    Pending p;
    synchronized (this) {
      p = unacknowledgedUpdates.remove(uuid);
      unacknowledgedTasks.remove(taskId);
    }
    if (p == null) {
      log.debug("acknowledgement of an unknown update ignored task={}", taskId);
      return;
    }
    log.debug("update acknowledged task={} state={}", taskId, p.update.getStatus().getState());
    p.acknowledged.complete(null);
  }

  /** Sends again the updates the agent has not acknowledged for a retry interval. */
  private void resendOverdue() {
    synchronized (this) {
      if (current == null || !current.subscribed()) {
        return;
      }
      long now = System.nanoTime();
      for (Pending p : unacknowledgedUpdates.values()) {
        if (now - p.sentNanos >= updateRetryInterval.toNanos()) {
          p.sentNanos = now;
          log.info("resending unacknowledged update task={} state={}", p.taskId,
              p.update.getStatus().getState());
          enqueue(p);
        }
      }
    }
  }

  /** Queues one UPDATE on the sender thread; called holding the lock, so queued in order. */
  private void enqueue(Pending p) {
    try {
      sender.execute(() -> sendUpdate(p));
    } catch (RejectedExecutionException e) {
      log.debug("update not sent, backend closed task={}", p.taskId);
    }
  }

  /** Sends one UPDATE and waits for its answer; runs on the sender thread. */
  private void sendUpdate(Pending p) {
    if (p.acknowledged.isDone() || closed.get()) {
      return;
    }
    synchronized (this) {
      p.sentNanos = System.nanoTime();
    }
    String state = p.update.getStatus().getState().name();
    Call call = call(Call.Type.UPDATE).setUpdate(p.update).build();
    try {
      HttpResponse<String> r = send(call);
      int status = r.statusCode();
      if (status == 202) {
        return;
      }
      String detail = "agent answered UPDATE with HTTP " + status + ": agent=" + agent + " task="
          + p.taskId + " state=" + state + " body=" + abbreviate(r.body());
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        synchronized (this) {
          unacknowledgedUpdates.remove(p.update.getStatus().getUuid());
        }
        log.error("update refused by the agent, dropped agent={} task={} state={} status={}"
            + " body={}", agent, p.taskId, state, status, abbreviate(r.body()));
        p.acknowledged.completeExceptionally(new MesosKitException(detail));
      } else {
        log.warn("update not accepted, retried later agent={} task={} state={} status={}", agent,
            p.taskId, state, status);
      }
    } catch (MesosKitException e) {
      log.warn("update not sent, retried later agent={} task={} state={} cause={}", agent,
          p.taskId, state, e.getMessage());
    }
  }

  @Override
  public void message(byte[] data) {
    Call call = call(Call.Type.MESSAGE)
        .setMessage(Call.Message.newBuilder().setData(ByteString.copyFrom(data)))
        .build();
    try {
      sender.execute(() -> {
        try {
          HttpResponse<String> r = send(call);
          if (r.statusCode() != 202) {
            log.warn("message refused agent={} status={} body={}", agent, r.statusCode(),
                abbreviate(r.body()));
          }
        } catch (MesosKitException e) {
          log.warn("message not sent agent={} cause={}", agent, e.getMessage());
        }
      });
    } catch (RejectedExecutionException e) {
      log.debug("message not sent, backend closed bytes={}", data.length);
    }
  }

  /**
   * Sends a call and waits at most twice the request timeout for the answer, whose body is read
   * up to {@link BoundedText#ERROR_BODY_BYTES}; an answer not complete by then is cancelled.
   */
  private HttpResponse<String> send(Call call) {
    HttpRequest request = request(call).timeout(requestTimeout).build();
    CallExchange exchange;
    try {
      exchange = CallExchange.start(client, request, callThreads);
    } catch (RejectedExecutionException e) {
      throw new MesosKitException(call.getType() + " to agent " + agent + " not sent: the"
          + " executor backend is closed", e);
    }
    try {
      return exchange.response().get(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new MesosKitException("cannot send " + call.getType() + " to agent " + agent + ": "
          + rootCause(e), e.getCause());
    } catch (TimeoutException e) {
      exchange.abort(e); // a slow body would hold the call thread and the connection
      throw new MesosKitException(call.getType() + " to agent " + agent + " timed out after "
          + requestTimeout.toMillis() * 2 + " ms", e);
    } catch (InterruptedException e) {
      exchange.abort(e);
      Thread.currentThread().interrupt();
      throw new MesosKitException(call.getType() + " to agent " + agent + " interrupted", e);
    }
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Closes the subscription and stops the backend's threads; updates not yet acknowledged fail.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<Pending> unacknowledged;
    SubscriptionStream<Event> s;
    synchronized (this) {
      unacknowledged = List.copyOf(unacknowledgedUpdates.values());
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
    sender.shutdown();
    try {
      if (!sender.awaitTermination(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
    callThreads.shutdownNow();
    for (Pending p : unacknowledged) {
      p.acknowledged.completeExceptionally(new MesosKitException("executor backend closed before"
          + " the agent acknowledged the update: task=" + p.taskId + " state="
          + p.update.getStatus().getState()));
    }
    log.info("executor backend closed agent={} unacknowledged_updates={}", agent,
        unacknowledged.size());
  }

  @Override
  public String toString() {
    return "HttpExecutorBackend[agent=" + agent + ", executor=" + executorId.getValue() + "]";
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
