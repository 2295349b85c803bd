package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.CallExchange.rootCause;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.ClientThreads;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of an {@link HttpSchedulerBackend} other than SUBSCRIBE, sent to the master the
 * current stream came from with its {@code Mesos-Stream-Id}: ordered calls one at a time by the
 * sender thread, acknowledgements concurrently on threads of their own, every answer cut by the
 * watchdog past twice the request timeout, a failed call logged and never thrown; and TEARDOWN,
 * after the acknowledgements already sent. Also the requests, SUBSCRIBE's too.
 *
 * <p>Threading: every method is safe from any thread; logs as {@link HttpSchedulerBackend}.
 */
final class SchedulerCalls {
  private static final Logger log = LoggerFactory.getLogger(HttpSchedulerBackend.class);
  private static final int ACKS_IN_FLIGHT = 64;

  private final HttpClient client;
  private final Optional<String> authorization;
  private final Duration requestTimeout;
  private final ScheduledExecutorService watchdog;
  /** The backend's: set once it closes. */
  private final AtomicBoolean closed;
  /** The backend's framework id, null until the master assigned one. */
  private final Supplier<String> frameworkId;

  /** Set before TEARDOWN goes out: the stream the master then closes must not be reopened. */
  private volatile boolean tearingDown;
  private final Semaphore acksInFlight = new Semaphore(ACKS_IN_FLIGHT);
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
  private volatile String streamId;
  private volatile URI leader;

  SchedulerCalls(HttpClient client, Optional<String> authorization, Duration requestTimeout,
      ScheduledExecutorService watchdog, AtomicBoolean closed, Supplier<String> frameworkId) {
    this.client = client;
    this.authorization = authorization;
    this.requestTimeout = requestTimeout;
    this.watchdog = watchdog;
    this.closed = closed;
    this.frameworkId = frameworkId;
    this.sender = Executors.newSingleThreadExecutor(CallExchange.daemon("mesoskit-http-calls"));
  }

  /** A protobuf POST of {@code call} to the scheduler API of {@code master}. */
  HttpRequest.Builder request(URI master, Call call) {
    return CallExchange.request(master, HttpSchedulerBackend.PATH, authorization,
        call.toByteArray());
  }

  /** Sends calls on the stream {@code id} that {@code master} answered SUBSCRIBE with. */
  void streamOpened(URI master, String id) {
    streamId = id;
    leader = master;
  }

  /** The stream ended: no call is sent until the next one. */
  void streamEnded() {
    streamId = null;
  }

  /** Whether a stream id is known. */
  boolean hasStream() {
    return streamId != null;
  }

  /** Whether {@link #teardown} began. */
  boolean tearingDown() {
    return tearingDown;
  }

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
   * answered 202 (200 for UPDATE_FRAMEWORK, as Mesos answers it).
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
    String fw = frameworkId.get();
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
      // Mesos answers UPDATE_FRAMEWORK 200 OK (Master::updateFramework), every other call 202.
      int expected = call.getType() == Call.Type.UPDATE_FRAMEWORK ? 200 : 202;
      if (r.statusCode() != expected) {
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

  /** ACCEPT: launches {@code launches} on the offers. */
  void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {
    accept(offerIds, launches, List.of(), refuse);
  }

  /**
   * ACCEPT: one LAUNCH of {@code launches} (left out when there are none but groups) and one
   * LAUNCH_GROUP per group, in that order.
   */
  void accept(List<String> offerIds, List<TaskLaunch> launches, List<TaskGroupLaunch> groups,
      Duration refuse) {
    String fw = frameworkId.get();
    if (!groups.isEmpty() && fw == null) {
      log.warn("call dropped, not subscribed type=ACCEPT offers={}", offerIds);
      return;
    }
    send(Call.newBuilder().setType(Call.Type.ACCEPT)
        .setAccept(acceptCall(offerIds, launches, groups, refuse, fw)));
  }

  /**
   * The {@code Call.Accept}: one LAUNCH of {@code launches} (left out when there are none but
   * groups) and one LAUNCH_GROUP per group; {@code frameworkId} may be null without groups.
   */
  static Call.Accept acceptCall(List<String> offerIds, List<TaskLaunch> launches,
      List<TaskGroupLaunch> groups, Duration refuse, String frameworkId) {
    Call.Accept.Builder accept = Call.Accept.newBuilder();
    for (String id : offerIds) {
      accept.addOfferIds(Protos.OfferID.newBuilder().setValue(id));
    }
    if (!launches.isEmpty() || groups.isEmpty()) {
      Protos.Offer.Operation.Launch.Builder launch = Protos.Offer.Operation.Launch.newBuilder();
      for (TaskLaunch l : launches) {
        launch.addTaskInfos(V1Conversions.taskInfo(l));
      }
      accept.addOperations(Protos.Offer.Operation.newBuilder()
          .setType(Protos.Offer.Operation.Type.LAUNCH)
          .setLaunch(launch));
    }
    for (TaskGroupLaunch g : groups) {
      accept.addOperations(V1Conversions.launchGroup(g, frameworkId));
    }
    return accept.setFilters(V1Conversions.filters(refuse)).build();
  }

  /** UPDATE_FRAMEWORK with the framework's new information and the roles still suppressed. */
  void updateFramework(FrameworkInfo info, List<String> suppressedRoles) {
    send(Call.newBuilder().setType(Call.Type.UPDATE_FRAMEWORK)
        .setUpdateFramework(Call.UpdateFramework.newBuilder()
            .setFrameworkInfo(V1Conversions.frameworkInfo(info))
            .addAllSuppressedRoles(suppressedRoles)));
  }

  /** DECLINE. */
  void decline(List<String> offerIds, Duration refuse) {
    Call.Decline.Builder decline = Call.Decline.newBuilder()
        .setFilters(V1Conversions.filters(refuse));
    for (String id : offerIds) {
      decline.addOfferIds(Protos.OfferID.newBuilder().setValue(id));
    }
    send(Call.newBuilder().setType(Call.Type.DECLINE).setDecline(decline));
  }

  /** REVIVE for every role of {@code roles}. */
  void revive(java.util.List<String> roles) {
    send(Call.newBuilder().setType(Call.Type.REVIVE)
        .setRevive(Call.Revive.newBuilder().addAllRoles(roles)));
  }

  /** SUPPRESS for every role of {@code roles}. */
  void suppress(java.util.List<String> roles) {
    send(Call.newBuilder().setType(Call.Type.SUPPRESS)
        .setSuppress(Call.Suppress.newBuilder().addAllRoles(roles)));
  }

  /** KILL; {@code agentId} may be null. */
  void kill(String mesosTaskId, String agentId) {
    send(Call.newBuilder().setType(Call.Type.KILL).setKill(killCall(mesosTaskId, agentId, null)));
  }

  /** KILL with a kill policy of its own; {@code agentId} may be null. */
  void kill(String mesosTaskId, String agentId, Duration gracePeriod) {
    send(Call.newBuilder().setType(Call.Type.KILL)
        .setKill(killCall(mesosTaskId, agentId, gracePeriod)));
  }

  /** The {@code Call.Kill}; {@code agentId} and {@code gracePeriod} may be null. */
  static Call.Kill killCall(String mesosTaskId, String agentId, Duration gracePeriod) {
    Call.Kill.Builder kill = Call.Kill.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(mesosTaskId));
    if (agentId != null) {
      kill.setAgentId(Protos.AgentID.newBuilder().setValue(agentId));
    }
    if (gracePeriod != null) {
      kill.setKillPolicy(V1Conversions.killPolicy(gracePeriod));
    }
    return kill.build();
  }

  /** ACKNOWLEDGE, on the acknowledgement threads; none once teardown began. */
  void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
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
        Throwable cause = failure instanceof CompletionException c
            && c.getCause() != null ? c.getCause() : failure;
        log.warn("acknowledgement not delivered task={} cause={} (the agent resends the update)",
            mesosTaskId, cause.getMessage());
      }
    });
  }

  /** RECONCILE. */
  void reconcile(List<ReconcileTask> tasks) {
    Call.Reconcile.Builder reconcile = Call.Reconcile.newBuilder();
    for (ReconcileTask t : tasks) {
      Call.Reconcile.Task.Builder task = Call.Reconcile.Task.newBuilder()
          .setTaskId(Protos.TaskID.newBuilder().setValue(t.mesosTaskId()));
      t.agentId().ifPresent(a -> task.setAgentId(Protos.AgentID.newBuilder().setValue(a)));
      reconcile.addTasks(task);
    }
    send(Call.newBuilder().setType(Call.Type.RECONCILE).setReconcile(reconcile));
  }

  /** MESSAGE to an executor. */
  void message(String agentId, String executorId, byte[] data) {
    send(Call.newBuilder().setType(Call.Type.MESSAGE)
        .setMessage(Call.Message.newBuilder()
            .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorId))
            .setData(ByteString.copyFrom(data))));
  }

  /**
   * Sends TEARDOWN on the sender thread, after the acknowledgements in flight (waiting at most the
   * request timeout for them); from now on no acknowledgement goes out and no stream is reopened.
   * Waits at most the request timeout for the master's 202.
   *
   * @throws MesosKitException when the master did not answer 202 in time, with the cause
   */
  void teardown() {
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
      log.debug("acknowledgements still in flight at teardown framework_id={}", frameworkId.get());
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      sender.execute(() -> {
        try {
          call(Call.newBuilder().setType(Call.Type.TEARDOWN))
              .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
          log.info("framework torn down framework_id={}", frameworkId.get());
          done.complete(null);
        } catch (Exception e) {
          done.completeExceptionally(e);
        }
      });
      done.get(requestTimeout.toMillis() * 3, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new MesosKitException("TEARDOWN of framework " + frameworkId.get() + " failed: "
          + rootCause(e) + "; the master keeps it and its tasks until its failover timeout", e);
    } finally {
      if (drained) {
        // An acknowledge() waiting for a permit gets one, and sees tearingDown.
        acksInFlight.release(ACKS_IN_FLIGHT);
      }
    }
  }

  /**
   * Stops the sender thread, waiting at most the request timeout for the calls it has queued;
   * the first step of closing, before the watchdog stops.
   */
  void closeSender() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the call and acknowledgement threads; the last step of closing, after the watchdog. */
  void closeCallThreads() {
    callThreads.shutdown();
    ackThreads.shutdown();
  }
}
