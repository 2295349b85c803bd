package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.CallExchange.PROTOBUF;
import static dev.mesoskit.core.http.CallExchange.rootCause;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.http.SubscriptionStream.Kind;
import dev.mesoskit.core.http.SubscriptionStream.Outcome;
import dev.mesoskit.core.http.SubscriptionStream.Trouble;
import dev.mesoskit.core.spi.ClientThreads;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskLaunch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
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
  private static final String PATH = "/api/v1/scheduler";
  private static final int MAX_REDIRECTS = 5;

  private final MasterDetector detector;
  private final HttpClient client;
  private final Optional<String> authorization;
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
  /** Set before TEARDOWN goes out: the stream the master then closes must not be reopened. */
  private volatile boolean tearingDown;
  private static final int ACKS_IN_FLIGHT = 64;
  private final java.util.concurrent.Semaphore acksInFlight =
      new java.util.concurrent.Semaphore(ACKS_IN_FLIGHT);
  private final ExecutorService sender;
  /**
   * Runs calls as blocking sends: {@code HttpClient.sendAsync} hands every response to the
   * JDK's default async pool, which starts a new thread per response when the common pool has
   * one thread (machines with two cores).
   */
  private final ExecutorService callThreads =
      ClientThreads.bounded("mesoskit-http-call", 4, Duration.ofSeconds(30));
  /** Acknowledgements on threads of their own, so that ordered calls never queue behind them. */
  private final ExecutorService ackThreads =
      ClientThreads.bounded("mesoskit-http-ack", 4, Duration.ofSeconds(30));
  private final ScheduledExecutorService watchdog;
  private volatile Thread loop;
  private volatile FrameworkInfo info;
  private volatile SchedulerEvents events;
  private volatile String frameworkId;
  private volatile String streamId;
  private volatile URI leader;
  private volatile SubscriptionStream<Event> current;

  private HttpSchedulerBackend(Builder b, MasterDetector detector) {
    this.detector = detector;
    this.client = b.client != null
        ? b.client
        : CallExchange.client("mesoskit-scheduler-http", b.requestTimeout);
    this.principal = b.principal;
    this.authorization = b.principal == null ? Optional.empty() : Optional.of(
        "Basic " + Base64.getEncoder().encodeToString(
            (b.principal + ":" + readSecret(b.secretFile)).getBytes(StandardCharsets.UTF_8)));
    this.requestTimeout = b.requestTimeout;
    this.minBackoff = b.minBackoff;
    this.maxBackoff = b.maxBackoff;
    this.missedHeartbeats = b.missedHeartbeats;
    this.maxRecordBytes = b.maxRecordBytes;
    this.random = b.random != null ? b.random : RandomGenerator.getDefault();
    this.attached = List.copyOf(b.attached);
    this.sender = Executors.newSingleThreadExecutor(CallExchange.daemon("mesoskit-http-calls"));
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(CallExchange.daemon("mesoskit-http-watchdog"));
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
      if (closed.get() || tearingDown) {
        return;
      }
      switch (outcome.kind()) {
        case FATAL -> {
          log.error("subscription ended for good master={} cause={}", master, outcome.detail());
          events.error(outcome.detail());
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
    HttpRequest request = request(master, call.build()).timeout(requestTimeout).build();
    SubscriptionStream<Event> stream =
        new SubscriptionStream<>(new Attempt(master), watchdog, requestTimeout, maxRecordBytes);
    current = stream;
    log.info("subscribing master={} framework_id={}", master, frameworkId);
    stream.open(client, request);
    try {
      return stream.await();
    } finally {
      streamId = null;
    }
  }

  private HttpRequest.Builder request(URI master, Call call) {
    return CallExchange.request(master, PATH, authorization, call.toByteArray());
  }

  /** One SUBSCRIBE to {@code master}: what the scheduler API makes of its answer and events. */
  private final class Attempt implements SubscriptionStream.Api<Event> {
    private final URI master;

    Attempt(URI master) {
      this.master = master;
    }

    @Override
    public Event parse(byte[] record) {
      try {
        return Event.parseFrom(record);
      } catch (InvalidProtocolBufferException e) {
        throw new MesosKitException("master " + master + " sent an event that is not a valid"
            + " v1 scheduler Event (" + record.length + " bytes): " + e.getMessage(), e);
      }
    }

    @Override
    public String notAStream(HttpResponse.ResponseInfo response) {
      String type = response.headers().firstValue("Content-Type").orElse("");
      Optional<String> id = response.headers().firstValue("Mesos-Stream-Id");
      if (!type.startsWith(PROTOBUF)) {
        return PeerTrouble.notAStream("master", master, type);
      }
      if (id.isEmpty()) {
        return "master " + master + " answered SUBSCRIBE with Content-Type '" + type
            + "' and stream id " + id.orElse("(none)") + "; expected " + PROTOBUF
            + " and a Mesos-Stream-Id";
      }
      streamId = id.get();
      leader = master;
      return null;
    }

    @Override
    public Kind notAStreamKind(HttpResponse.ResponseInfo response) {
      // Only a Mesos master answers the scheduler API with a stream of protobuf events; another
      // server never will, however often it is asked.
      return response.headers().firstValue("Content-Type").orElse("").startsWith(PROTOBUF)
          ? Kind.RETRY : Kind.FATAL;
    }

    @Override
    public void refused(SubscriptionStream<Event> stream, HttpResponse<String> r) {
      int status = r.statusCode();
      String body = r.body() == null ? "" : r.body();
      if (status == 307) {
        Optional<String> location = r.headers().firstValue("Location");
        if (location.isPresent()) {
          stream.end(Kind.REDIRECT, "redirect", leaderBase(master, location.get()));
        } else {
          stream.end(Kind.RETRY, "307 without Location from " + master);
        }
        return;
      }
      String type = r.headers().firstValue("Content-Type").orElse("");
      if (PeerTrouble.notMesos(status)) {
        stream.end(Kind.FATAL, PeerTrouble.notMesos("master", master, status, type, body));
        return;
      }
      if (status == 401 || status == 403) {
        stream.end(Kind.FATAL, credentialsRefused(status, PeerTrouble.brief(type, body)));
        return;
      }
      MesosCallException e = new MesosCallException("SUBSCRIBE", master.toString(), status, body);
      stream.end(SubscriptionStream.kindOf(status), e.getMessage());
    }

    /** A 401 or 403: no retry brings other credentials. */
    private String credentialsRefused(int status, String brief) {
      String refusal;
      if (status == 401) {
        refusal = principal == null
            ? " asks for credentials and the framework has none (set a principal and its secret"
                + " file)"
            : " did not accept the credentials of principal '" + principal + "'";
      } else {
        refusal = principal == null
            ? " does not allow the framework to subscribe without credentials"
            : " does not allow principal '" + principal + "' to subscribe this framework";
      }
      return "master " + master + refusal + ": it answered " + status + " to SUBSCRIBE"
          + (brief.isEmpty() ? "" : " (" + brief + ")");
    }

    @Override
    public boolean transientStatus(int status) {
      return status >= 500 || status == 408 || status == 429 || status == 307;
    }

    @Override
    public String describe(Trouble trouble, String detail) {
      return switch (trouble) {
        case UNREACHABLE -> "cannot reach master " + master + ": " + detail;
        case UNFINISHED_BODY -> "master " + master + " answered SUBSCRIBE with HTTP " + detail
            + " but did not finish its body within " + requestTimeout;
        case NO_SUBSCRIBED -> "master " + master + " sent no SUBSCRIBED event within "
            + requestTimeout + " of answering SUBSCRIBE";
        case BROKEN -> "stream from " + master + " broke: " + detail;
        case CLOSED -> "master " + master + " closed the stream";
      };
    }

    @Override
    public void handlingFailed(RuntimeException e) {
      log.error("event handling failed master={}", master, e);
    }

    @Override
    public void dispatch(SubscriptionStream<Event> stream, Event event) {
      switch (event.getType()) {
        case SUBSCRIBED -> {
          Event.Subscribed s = event.getSubscribed();
          frameworkId = s.getFrameworkId().getValue();
          stream.markSubscribed();
          Duration interval = EventDelivery.heartbeatInterval(s);
          watchHeartbeats(stream, interval);
          log.info("subscribed master={} framework_id={} heartbeat={}", master, frameworkId,
              interval);
          events.subscribed(frameworkId, interval, master.toString());
        }
        case ERROR -> stream.end(Kind.FATAL, event.getError().getMessage());
        case HEARTBEAT -> log.trace("heartbeat master={}", master);
        default -> EventDelivery.deliver(event, events);
      }
    }

    /** About {@code missedHeartbeats} silent intervals count as a dead connection. */
    private void watchHeartbeats(SubscriptionStream<Event> stream, Duration interval) {
      long limit = interval.toNanos() * missedHeartbeats;
      long period = Math.max(1_000_000L, interval.toNanos() / 2);
      stream.watchSilence(limit, period, silent -> "no event or heartbeat from " + master
          + " for " + Duration.ofNanos(silent).toMillis() + " ms (" + missedHeartbeats
          + " heartbeat intervals of " + interval.toMillis() + " ms)");
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

  private void send(Call.Builder call) {
    Call.Type type = call.getType();
    if (closed.get()) {
      log.debug("call dropped, backend closed type={}", type);
      return;
    }
    try {
      sender.execute(() -> sendNow(call));
    } catch (RejectedExecutionException e) {
      log.debug("call dropped, backend closed type={}", type);
    }
  }

  /** Sends one call and waits for its answer; runs on the sender thread. */
  private void sendNow(Call.Builder call) {
    try {
      call(call).get(requestTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof MesosCallException m) {
        log.warn("call refused type={} status={} body={}", m.callType(), m.status(), m.body());
      } else {
        log.warn("call failed type={} cause={}", call.getType(), rootCause(cause));
      }
    } catch (TimeoutException e) {
      log.warn("call timed out type={} timeout={}", call.getType(), requestTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Sends one call to the current leader with the stream id and completes when the master
   * answered 202.
   *
   * @param call the call; its framework id is filled in
   * @return completes normally on 202, exceptionally with a {@link MesosCallException} on any
   *     other status, or with the I/O failure
   */
  CompletableFuture<Void> call(Call.Builder call) {
    return call(call, callThreads);
  }

  private CompletableFuture<Void> call(Call.Builder call, ExecutorService threads) {
    String id = streamId;
    URI master = leader;
    String fw = frameworkId;
    if (id == null || master == null || fw == null) {
      return CompletableFuture.failedFuture(new MesosKitException(
          "not subscribed, " + call.getType() + " not sent (the framework reconciles after the"
              + " next subscription)"));
    }
    call.setFrameworkId(Protos.FrameworkID.newBuilder().setValue(fw));
    HttpRequest request = request(master, call.build())
        .header("Mesos-Stream-Id", id)
        .timeout(requestTimeout)
        .build();
    String type = call.getType().name();
    return exchange(request, threads).thenApply(r -> {
      if (r.statusCode() != 202) {
        throw new MesosCallException(type, master.toString(), r.statusCode(), r.body());
      }
      return null;
    });
  }

  /**
   * Sends a request on one of {@code threads}: completes with the response or the failure. An
   * answer whose body has not ended within twice the request timeout (the request timeout itself
   * ends at the headers) is cut and fails the call, so a master that trickles its answers cannot
   * hold the call threads. The time counts from the call, so a call that waited that long for a
   * thread fails without being sent: the caller is never told "failed" about a call that then
   * goes out.
   */
  private CompletableFuture<HttpResponse<String>> exchange(HttpRequest request,
      ExecutorService threads) {
    CallExchange exchange;
    try {
      exchange = CallExchange.start(client, request, threads);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new MesosKitException("backend closed, "
          + request.method() + " " + request.uri() + " not sent"));
    }
    long limit = requestTimeout.toNanos() * 2;
    try {
      ScheduledFuture<?> check = watchdog.schedule(() -> exchange.abort(new MesosKitException(
          request.method() + " " + request.uri() + " had no whole answer within "
              + Duration.ofNanos(limit))), limit, TimeUnit.NANOSECONDS);
      exchange.response().whenComplete((r, e) -> check.cancel(false));
    } catch (RejectedExecutionException e) {
      log.debug("backend closing, no watchdog for {}", request.uri());
    }
    return exchange.response();
  }

  @Override
  public void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {
    Protos.Offer.Operation.Launch.Builder launch = Protos.Offer.Operation.Launch.newBuilder();
    for (TaskLaunch l : launches) {
      launch.addTaskInfos(V1Conversions.taskInfo(l));
    }
    Call.Accept.Builder accept = Call.Accept.newBuilder()
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH)
            .setLaunch(launch))
        .setFilters(V1Conversions.filters(refuse));
    for (String id : offerIds) {
      accept.addOfferIds(Protos.OfferID.newBuilder().setValue(id));
    }
    send(Call.newBuilder().setType(Call.Type.ACCEPT).setAccept(accept));
  }

  @Override
  public void decline(List<String> offerIds, Duration refuse) {
    Call.Decline.Builder decline = Call.Decline.newBuilder()
        .setFilters(V1Conversions.filters(refuse));
    for (String id : offerIds) {
      decline.addOfferIds(Protos.OfferID.newBuilder().setValue(id));
    }
    send(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(decline));
  }

  @Override
  public void revive() {
    send(Call.newBuilder().setType(Call.Type.REVIVE)
        .setRevive(Call.Revive.newBuilder().addRoles(info.role())));
  }

  @Override
  public void suppress() {
    send(Call.newBuilder().setType(Call.Type.SUPPRESS)
        .setSuppress(Call.Suppress.newBuilder().addRoles(info.role())));
  }

  @Override
  public void kill(String mesosTaskId, String agentId) {
    Call.Kill.Builder kill = Call.Kill.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(mesosTaskId));
    if (agentId != null) {
      kill.setAgentId(Protos.AgentID.newBuilder().setValue(agentId));
    }
    send(Call.newBuilder().setType(Call.Type.KILL).setKill(kill));
  }

  @Override
  public void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
    // Acknowledgements commute: they go out concurrently on their own threads (at most 64
    // waiting or in flight) instead of in line behind each other and the ordered calls, which
    // would cap a busy framework at one round trip per update.
    Call.Builder call = Call.newBuilder().setType(Call.Type.ACKNOWLEDGE)
        .setAcknowledge(Call.Acknowledge.newBuilder()
            .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
            .setTaskId(Protos.TaskID.newBuilder().setValue(mesosTaskId))
            .setUuid(ByteString.copyFrom(uuid)));
    if (closed.get() || tearingDown) {
      log.debug("update not acknowledged, the framework is being torn down task={}", mesosTaskId);
      return;
    }
    try {
      acksInFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (tearingDown) { // teardown began meanwhile: it waits only for acknowledgements before it
      acksInFlight.release();
      log.debug("update not acknowledged, the framework is being torn down task={}", mesosTaskId);
      return;
    }
    call(call, ackThreads).whenComplete((ok, failure) -> {
      acksInFlight.release();
      if (failure != null) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException c
            && c.getCause() != null ? c.getCause() : failure;
        log.warn("acknowledgement not delivered task={} cause={} (the agent resends the update)",
            mesosTaskId, cause.getMessage());
      }
    });
  }

  @Override
  public void reconcile(List<ReconcileTask> tasks) {
    Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
    for (ReconcileTask t : tasks) {
      Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder()
          .setTaskId(Protos.TaskID.newBuilder().setValue(t.mesosTaskId()));
      t.agentId().ifPresent(a -> task.setAgentId(Protos.AgentID.newBuilder().setValue(a)));
      reconcile.addTasks(task);
    }
    send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(reconcile));
  }

  @Override
  public void message(String agentId, String executorId, byte[] data) {
    send(Call.newBuilder().setType(Call.Type.MESSAGE)
        .setMessage(Call.Message.newBuilder()
            .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorId))
            .setData(ByteString.copyFrom(data))));
  }

  /**
   * Removes the framework from the master (every task is killed), waiting at most the request
   * timeout for the master's 202, then closes. A subscription still under way (a framework that
   * finishes right after it started, or one reconnecting) gets the request timeout to complete
   * first. Without a subscription no TEARDOWN can be sent: a framework the master registered
   * earlier stays registered, its tasks running, until its failover timeout (logged as a
   * warning). A refused TEARDOWN is logged.
   */
  @Override
  public void teardown() {
    if (closed.get()) {
      return;
    }
    if (!awaitSubscribed(requestTimeout)) {
      if (frameworkId == null) {
        log.info("never subscribed, nothing to tear down");
      } else {
        log.warn("not subscribed within {}, no TEARDOWN sent: the master keeps framework_id={}"
            + " and its tasks until its failover timeout", requestTimeout, frameworkId);
      }
      close();
      return;
    }
    tearingDown = true;
    // Acknowledgements already sent go first: the master answers any that reach it after
    // TEARDOWN with 403, and the framework is gone then. None is sent from now on.
    boolean drained = false;
    try {
      drained = acksInFlight.tryAcquire(ACKS_IN_FLIGHT, requestTimeout.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!drained) {
      log.debug("acknowledgements still in flight at teardown framework_id={}", frameworkId);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      sender.execute(() -> {
        try {
          call(Call.newBuilder().setType(Call.Type.TEARDOWN))
              .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
          log.info("framework torn down framework_id={}", frameworkId);
          done.complete(null);
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      });
      done.get(requestTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("teardown failed framework_id={} cause={}", frameworkId, rootCause(e));
    }
    if (drained) {
      acksInFlight.release(ACKS_IN_FLIGHT); // an acknowledge() waiting for a permit sees tearingDown
    }
    close();
  }

  /** Waits until a stream is subscribed; false when {@code timeout} passes or on close first. */
  private boolean awaitSubscribed(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      SubscriptionStream<Event> stream = current;
      if (stream != null && stream.subscribed() && streamId != null) {
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
    SubscriptionStream<Event> s = current;
    if (s != null) {
      s.end(Kind.FATAL, "closed");
    }
    Thread t = loop;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watchdog.shutdownNow();
    callThreads.shutdown();
    ackThreads.shutdown();
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
