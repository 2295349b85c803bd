package dev.mesoskit.core.http.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.http.RecordIoDecoder;
import dev.mesoskit.core.http.V1Conversions;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A scriptable Mesos agent on loopback that speaks the v1 executor API over real HTTP and enforces
 * its rules, for testing executor backends and runtimes. Requests go to
 * {@code POST /api/v1/executor}; the agent answers as {@code src/slave/http.cpp} and
 * {@code validateExecutorCall} do:
 * <ul>
 *   <li>405 for anything but POST; 401 without {@code Authorization: Bearer <token>} when a token
 *       is required;
 *   <li>400 without {@code Content-Type}, 415 for a body that is neither protobuf nor JSON (and,
 *       since this agent speaks protobuf only, for JSON), 400 for a body that is not a
 *       {@code Call};
 *   <li>400 {@code Failed to validate Executor::Call: ...} without type, executor id or framework
 *       id, for an UPDATE without {@code update}, without uuid, with a uuid that is not an RFC 4122
 *       UUID of 16 bytes, with an executor id other than the call's, with a source other than
 *       {@code SOURCE_EXECUTOR}, or with {@code TASK_STAGING};
 *   <li>406 for a SUBSCRIBE whose {@code Accept} does not allow protobuf;
 *   <li>400 {@code Framework cannot be found} / {@code Executor cannot be found} for other ids;
 *   <li>403 {@code Executor is not subscribed} for UPDATE or MESSAGE before the first SUBSCRIBE;
 *   <li>503 for everything while told it is recovering.
 * </ul>
 * SUBSCRIBE opens a RecordIO stream that starts with SUBSCRIBED; the test then streams LAUNCH,
 * KILL, SHUTDOWN, ACKNOWLEDGED or any other event, and can drop the stream. Every UPDATE, and
 * every unacknowledged update a SUBSCRIBE carries, is acknowledged on the current stream unless
 * {@link #autoAcknowledge(boolean)} is off; an acknowledgement while no stream is open is lost,
 * as with a real agent.
 *
 * <pre>{@code
 * try (FakeAgent agent = FakeAgent.start("fw-1", "exec-1")) {
 *   ... executor subscribes to agent.endpoint() ...
 *   agent.awaitSubscriptions(1, Duration.ofSeconds(5));
 *   agent.launch(agent.task("t.1", "data"));
 *   agent.awaitUpdate("t.1", Protos.TaskState.TASK_FINISHED, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class FakeAgent implements AutoCloseable {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final byte[] CLOSE = new byte[0];

  private final HttpServer server;
  private final String frameworkId;
  private final String executorId;
  private final String agentId = "fake-agent-1";
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-agent");
    t.setDaemon(true);
    return t;
  });
  // Guarded by this.
  private final List<Call> calls = new ArrayList<>();
  private final List<Integer> answers = new ArrayList<>();
  private final List<String> authorizations = new ArrayList<>();
  private final List<Protos.TaskStatus> updates = new ArrayList<>();
  private Subscriber subscriber;
  private int subscriptions;
  private boolean everSubscribed;
  private volatile List<Protos.FrameworkInfo.Capability.Type> frameworkCapabilities = List.of();
  private volatile String token;
  private volatile boolean autoAcknowledge = true;
  private volatile boolean recovering;

  private FakeAgent(HttpServer server, String frameworkId, String executorId) {
    this.server = server;
    this.frameworkId = frameworkId;
    this.executorId = executorId;
  }

  /**
   * Starts an agent on 127.0.0.1 and a free port that runs one executor.
   *
   * @param frameworkId the framework the executor must name
   * @param executorId the executor it must name
   * @return the running agent
   */
  public static FakeAgent start(String frameworkId, String executorId) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeAgent agent = new FakeAgent(server, frameworkId, executorId);
      server.createContext("/api/v1/executor", agent::handle);
      server.setExecutor(agent.pool);
      server.start();
      return agent;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake agent", e);
    }
  }

  /**
   * The endpoint as agents put it in {@code MESOS_AGENT_ENDPOINT}.
   *
   * @return {@code 127.0.0.1:PORT}
   */
  public String endpoint() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The agent's base URI.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public URI uri() {
    return URI.create("http://" + endpoint());
  }

  /**
   * The agent's id.
   *
   * @return the id
   */
  public String agentId() {
    return agentId;
  }

  // ---------------------------------------------------------------- script

  /**
   * Requires every request to carry {@code Authorization: Bearer <token>}.
   *
   * @param value the token, or null to require none
   */
  public void requireToken(String value) {
    this.token = value;
  }

  /**
   * Declares framework capabilities in the {@code framework_info} of later SUBSCRIBED events, as
   * a real agent passes the framework's own.
   *
   * @param types the capabilities
   */
  public void frameworkCapabilities(Protos.FrameworkInfo.Capability.Type... types) {
    this.frameworkCapabilities = List.of(types);
  }

  /**
   * Whether updates are acknowledged as they arrive (the default).
   *
   * @param value false to acknowledge only through {@link #acknowledge}
   */
  public void autoAcknowledge(boolean value) {
    this.autoAcknowledge = value;
  }

  /**
   * Answers every request with 503 while set, as an agent that is still recovering.
   *
   * @param value true for 503
   */
  public void recovering(boolean value) {
    this.recovering = value;
  }

  /**
   * Streams an event to the current subscriber.
   *
   * @param event the event
   * @throws IllegalStateException when nobody is subscribed
   */
  public void send(Event event) {
    Subscriber s;
    synchronized (this) {
      s = subscriber;
    }
    if (s == null) {
      throw new IllegalStateException("no subscriber to send " + event.getType() + " to");
    }
    s.queue.add(RecordIoDecoder.encode(event.toByteArray()));
  }

  /**
   * Streams a LAUNCH.
   *
   * @param task the task
   */
  public void launch(Protos.TaskInfo task) {
    send(Event.newBuilder().setType(Event.Type.LAUNCH)
        .setLaunch(Event.Launch.newBuilder().setTask(task)).build());
  }

  /**
   * Streams a KILL without kill policy.
   *
   * @param taskId the task
   */
  public void kill(String taskId) {
    send(Event.newBuilder().setType(Event.Type.KILL)
        .setKill(Event.Kill.newBuilder().setTaskId(taskId(taskId))).build());
  }

  /**
   * Streams a KILL with a kill policy.
   *
   * @param taskId the task
   * @param gracePeriod the policy's grace period
   */
  public void kill(String taskId, Duration gracePeriod) {
    send(Event.newBuilder().setType(Event.Type.KILL)
        .setKill(Event.Kill.newBuilder().setTaskId(taskId(taskId))
            .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(
                Protos.DurationInfo.newBuilder().setNanoseconds(gracePeriod.toNanos()))))
        .build());
  }

  /** Streams a SHUTDOWN. */
  public void shutdown() {
    send(Event.newBuilder().setType(Event.Type.SHUTDOWN).build());
  }

  /**
   * Streams the ACKNOWLEDGED of an update.
   *
   * @param status the update
   */
  public void acknowledge(Protos.TaskStatus status) {
    send(acknowledged(status));
  }

  /**
   * Streams a MESSAGE.
   *
   * @param data the bytes
   */
  public void message(byte[] data) {
    send(Event.newBuilder().setType(Event.Type.MESSAGE)
        .setMessage(Event.Message.newBuilder().setData(ByteString.copyFrom(data))).build());
  }

  /**
   * Streams an ERROR.
   *
   * @param message the message
   */
  public void error(String message) {
    send(Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage(message)).build());
  }

  /** Closes the current subscriber's stream, as a restarting agent or a broken network would. */
  public void dropStream() {
    Subscriber s;
    synchronized (this) {
      s = subscriber;
      subscriber = null;
    }
    if (s != null) {
      s.queue.add(CLOSE);
    }
  }

  /**
   * A task for this agent's executor.
   *
   * @param taskId the Mesos task id
   * @param data the data, as UTF-8
   * @return the task
   */
  public Protos.TaskInfo task(String taskId, String data) {
    return task(taskId, data, Map.of(), "cpus:0.1;mem:32");
  }

  /**
   * A task for this agent's executor.
   *
   * @param taskId the Mesos task id
   * @param data the data, as UTF-8
   * @param labels the labels
   * @param resources the resources in Mesos syntax, e.g. {@code cpus:1;ports:[31000-31000]}
   * @return the task
   */
  public Protos.TaskInfo task(String taskId, String data, Map<String, String> labels,
      String resources) {
    Protos.TaskInfo.Builder b = Protos.TaskInfo.newBuilder()
        .setName("task " + taskId)
        .setTaskId(taskId(taskId))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
        .setData(ByteString.copyFromUtf8(data))
        .setExecutor(executorInfo());
    for (Resource r : Resources.parse(resources)) {
      b.addResources(V1Conversions.resource(r));
    }
    if (!labels.isEmpty()) {
      Protos.Labels.Builder l = Protos.Labels.newBuilder();
      labels.forEach((k, v) -> l.addLabels(Protos.Label.newBuilder().setKey(k).setValue(v)));
      b.setLabels(l);
    }
    return b.build();
  }

  private Protos.ExecutorInfo executorInfo() {
    return Protos.ExecutorInfo.newBuilder()
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue(executorId))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(frameworkId))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("java -jar executor.jar"))
        .build();
  }

  private static Protos.TaskID taskId(String id) {
    return Protos.TaskID.newBuilder().setValue(id).build();
  }

  private static Event acknowledged(Protos.TaskStatus status) {
    return Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
        .setAcknowledged(Event.Acknowledged.newBuilder()
            .setTaskId(status.getTaskId()).setUuid(status.getUuid()))
        .build();
  }

  // ---------------------------------------------------------------- observe

  /**
   * Every call received that parsed, in order, including refused ones.
   *
   * @return the calls
   */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * The calls of one type received so far.
   *
   * @param type the type
   * @return those calls
   */
  public synchronized List<Call> calls(Call.Type type) {
    return calls.stream().filter(c -> c.getType() == type).toList();
  }

  /**
   * The HTTP status of each answer, in the order of {@link #calls()}.
   *
   * @return the statuses
   */
  public synchronized List<Integer> answers() {
    return List.copyOf(answers);
  }

  /**
   * The {@code Authorization} header of every request, {@code ""} when absent.
   *
   * @return the headers, in order
   */
  public synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /**
   * Every status update accepted, from UPDATE calls and from the unacknowledged updates of
   * SUBSCRIBE calls, in order of arrival (a resent update appears again).
   *
   * @return the updates
   */
  public synchronized List<Protos.TaskStatus> updates() {
    return List.copyOf(updates);
  }

  /**
   * The accepted updates of one task, in order.
   *
   * @param taskId the task
   * @return its updates
   */
  public List<Protos.TaskStatus> updates(String taskId) {
    return updates().stream().filter(u -> u.getTaskId().getValue().equals(taskId)).toList();
  }

  /**
   * How many SUBSCRIBE calls opened a stream.
   *
   * @return the count
   */
  public synchronized int subscriptions() {
    return subscriptions;
  }

  /**
   * Waits until at least {@code count} streams were opened.
   *
   * @param count how many
   * @param timeout how long at most
   * @throws AssertionError on timeout
   */
  public void awaitSubscriptions(int count, Duration timeout) {
    FakeExecutorBackend.await(() -> subscriptions() >= count, timeout,
        () -> "expected " + count + " subscriptions but saw " + subscriptions());
  }

  /**
   * Waits for the first accepted update of a task in a state.
   *
   * @param taskId the task
   * @param state the state
   * @param timeout how long at most
   * @return the update
   * @throws AssertionError on timeout
   */
  public Protos.TaskStatus awaitUpdate(String taskId, Protos.TaskState state, Duration timeout) {
    return awaitUpdate(u -> u.getTaskId().getValue().equals(taskId) && u.getState() == state,
        timeout);
  }

  /**
   * Waits for the first accepted update that matches.
   *
   * @param match what the update must satisfy
   * @param timeout how long at most
   * @return the update
   * @throws AssertionError on timeout
   */
  public Protos.TaskStatus awaitUpdate(Predicate<Protos.TaskStatus> match, Duration timeout) {
    FakeExecutorBackend.await(() -> updates().stream().anyMatch(match), timeout,
        () -> "no matching update; updates were " + updates().stream()
            .map(u -> u.getTaskId().getValue() + ":" + u.getState()).toList());
    return updates().stream().filter(match).findFirst().orElseThrow();
  }

  /**
   * Waits for the first call of a type that matches.
   *
   * @param type the type
   * @param match what the call must satisfy
   * @param timeout how long at most
   * @return the call
   * @throws AssertionError on timeout
   */
  public Call awaitCall(Call.Type type, Predicate<Call> match, Duration timeout) {
    FakeExecutorBackend.await(() -> calls(type).stream().anyMatch(match), timeout,
        () -> "no matching " + type + " call; calls were "
            + calls().stream().map(Call::getType).toList());
    return calls(type).stream().filter(match).findFirst().orElseThrow();
  }

  /** Stops the agent: the stream ends and new connections are refused. */
  @Override
  public void close() {
    dropStream();
    server.stop(0);
    pool.shutdownNow();
  }

  // ---------------------------------------------------------------- HTTP

  private void handle(HttpExchange ex) throws IOException {
    try {
      handleCall(ex);
    } finally {
      ex.close();
    }
  }

  private void handleCall(HttpExchange ex) throws IOException {
    byte[] body = ex.getRequestBody().readAllBytes();
    String authorization =
        Optional.ofNullable(ex.getRequestHeaders().getFirst("Authorization")).orElse("");
    synchronized (this) {
      authorizations.add(authorization);
    }
    if (!"POST".equals(ex.getRequestMethod())) {
      answer(ex, null, 405, "Expecting one of { 'POST' }, but received '"
          + ex.getRequestMethod() + "'");
      return;
    }
    String required = token;
    if (required != null && !authorization.equals("Bearer " + required)) {
      ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"mesos-agent-executor\"");
      answer(ex, null, 401, "");
      return;
    }
    if (recovering) {
      answer(ex, null, 503, "Agent has not finished recovery");
      return;
    }
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null) {
      answer(ex, null, 400, "Expecting 'Content-Type' to be present");
      return;
    }
    if (!type.equals(PROTOBUF)) {
      answer(ex, null, 415, type.equals(JSON)
          ? "this fake agent speaks protobuf only"
          : "Expecting 'Content-Type' of " + JSON + " or " + PROTOBUF);
      return;
    }
    Call call;
    try {
      call = Call.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      answer(ex, null, 400, "Failed to parse body into Call protobuf");
      return;
    }
    Optional<String> invalid = validate(call);
    if (invalid.isPresent()) {
      answer(ex, call, 400, "Failed to validate Executor::Call: " + invalid.get());
      return;
    }
    if (call.getType() == Call.Type.SUBSCRIBE) {
      String accept = Optional.ofNullable(ex.getRequestHeaders().getFirst("Accept")).orElse("");
      if (!accept.contains(PROTOBUF)) {
        answer(ex, call, 406, "Expecting 'Accept' to allow '" + PROTOBUF
            + "' (this fake agent streams protobuf only)");
        return;
      }
    }
    if (call.getType() == Call.Type.HEARTBEAT) {
      answer(ex, call, 202, "");
      return;
    }
    if (!call.getFrameworkId().getValue().equals(frameworkId)) {
      answer(ex, call, 400, "Framework cannot be found");
      return;
    }
    if (!call.getExecutorId().getValue().equals(executorId)) {
      answer(ex, call, 400, "Executor cannot be found");
      return;
    }
    synchronized (this) {
      if (!everSubscribed && call.getType() != Call.Type.SUBSCRIBE) {
        answer(ex, call, 403, "Executor is not subscribed");
        return;
      }
    }
    switch (call.getType()) {
      case SUBSCRIBE -> subscribe(ex, call);
      case UPDATE -> {
        Protos.TaskStatus status = call.getUpdate().getStatus();
        synchronized (this) {
          updates.add(status);
        }
        answer(ex, call, 202, "");
        if (autoAcknowledge) {
          acknowledgeIfStreaming(status);
        }
      }
      case MESSAGE -> answer(ex, call, 202, "");
      default -> answer(ex, call, 501, "");
    }
  }

  /** The rules of Mesos' {@code validateExecutorCall}, with its messages. */
  private static Optional<String> validate(Call call) {
    if (!call.isInitialized()) {
      return Optional.of("Not initialized: " + call.findInitializationErrors());
    }
    if (!call.hasType()) {
      return Optional.of("Expecting 'type' to be present");
    }
    if (call.getType() == Call.Type.SUBSCRIBE && !call.hasSubscribe()) {
      return Optional.of("Expecting 'subscribe' to be present");
    }
    if (call.getType() == Call.Type.MESSAGE && !call.hasMessage()) {
      return Optional.of("Expecting 'message' to be present");
    }
    if (call.getType() != Call.Type.UPDATE) {
      return Optional.empty();
    }
    if (!call.hasUpdate()) {
      return Optional.of("Expecting 'update' to be present");
    }
    Protos.TaskStatus status = call.getUpdate().getStatus();
    if (!status.hasUuid()) {
      return Optional.of("Expecting 'uuid' to be present");
    }
    if (!isUuid(status.getUuid())) {
      return Optional.of("Not a valid UUID");
    }
    String executor = call.getExecutorId().getValue();
    if (status.hasExecutorId() && !status.getExecutorId().getValue().equals(executor)) {
      return Optional.of("ExecutorID in Call: " + executor
          + " does not match ExecutorID in TaskStatus: " + status.getExecutorId().getValue());
    }
    if (status.getSource() != Protos.TaskStatus.Source.SOURCE_EXECUTOR) {
      return Optional.of("Received Call from executor " + executor + " of framework "
          + call.getFrameworkId().getValue() + " with invalid source, expecting"
          + " 'SOURCE_EXECUTOR'");
    }
    if (status.getState() == Protos.TaskState.TASK_STAGING) {
      return Optional.of("Received TASK_STAGING from executor " + executor + " of framework "
          + call.getFrameworkId().getValue() + " which is not allowed");
    }
    return Optional.empty();
  }

  /** Like stout's {@code UUID::fromBytes}: 16 bytes whose version is one RFC 4122 defines. */
  static boolean isUuid(ByteString uuid) {
    if (uuid.size() != 16) {
      return false;
    }
    int version = (uuid.byteAt(6) & 0xf0) >> 4;
    return version >= 1 && version <= 5;
  }

  private void acknowledgeIfStreaming(Protos.TaskStatus status) {
    Subscriber s;
    synchronized (this) {
      s = subscriber;
    }
    if (s != null) {
      s.queue.add(RecordIoDecoder.encode(acknowledged(status).toByteArray()));
    }
  }

  private void answer(HttpExchange ex, Call call, int status, String text) throws IOException {
    if (call != null) {
      synchronized (this) {
        calls.add(call);
        answers.add(status);
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  private void subscribe(HttpExchange ex, Call call) throws IOException {
    Subscriber s = new Subscriber();
    List<Protos.TaskStatus> carried = new ArrayList<>();
    for (Call.Update u : call.getSubscribe().getUnacknowledgedUpdatesList()) {
      carried.add(u.getStatus());
    }
    Protos.FrameworkInfo.Builder framework = Protos.FrameworkInfo.newBuilder()
        .setId(Protos.FrameworkID.newBuilder().setValue(frameworkId))
        .setUser("alice").setName("fake-framework").setCheckpoint(true);
    for (Protos.FrameworkInfo.Capability.Type type : frameworkCapabilities) {
      framework.addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(type));
    }
    Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setExecutorInfo(executorInfo())
            .setFrameworkInfo(framework)
            .setAgentInfo(Protos.AgentInfo.newBuilder()
                .setId(Protos.AgentID.newBuilder().setValue(agentId))
                .setHostname("fake-agent.host").setPort(server.getAddress().getPort()))
            .setContainerId(Protos.ContainerID.newBuilder().setValue("container-1")))
        .build();
    // SUBSCRIBED goes first: the stream is queued up before a test can send on it.
    s.queue.add(RecordIoDecoder.encode(subscribed.toByteArray()));
    if (autoAcknowledge) {
      for (Protos.TaskStatus status : carried) {
        s.queue.add(RecordIoDecoder.encode(acknowledged(status).toByteArray()));
      }
    }
    Subscriber old;
    synchronized (this) {
      calls.add(call);
      answers.add(200);
      updates.addAll(carried);
      old = subscriber;
      subscriber = s;
      subscriptions++;
      everSubscribed = true;
    }
    if (old != null) {
      old.queue.add(CLOSE);
    }
    ex.getResponseHeaders().add("Content-Type", PROTOBUF);
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    try {
      while (true) {
        byte[] record = s.queue.poll(1, TimeUnit.SECONDS);
        if (record == CLOSE) {
          return;
        }
        if (record == null) {
          continue;
        }
        out.write(record);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the executor went away
    } finally {
      synchronized (this) {
        if (subscriber == s) {
          subscriber = null;
        }
      }
    }
  }

  private static final class Subscriber {
    final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  }
}
