package dev.mesoskit.core.http.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.http.RecordIoDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A scriptable Mesos master on loopback that speaks the v1 scheduler API over real HTTP and
 * enforces its rules, for testing scheduler backends: 415 for a body that is neither protobuf nor
 * JSON, 406 for an Accept that is neither, 403 for calls before any SUBSCRIBE, 400 for a missing
 * or stale {@code Mesos-Stream-Id}, 307 with a protocol-relative {@code Location} when told it is
 * not the leader, 503 when told it is unavailable. SUBSCRIBE opens a RecordIO stream that starts
 * with SUBSCRIBED; the test then streams any events, drops the stream, or stops heartbeats.
 *
 * <p>It speaks protobuf only (a JSON body is accepted by content type but answered 415 with a
 * message saying so); {@code sdk-local} is the faithful cluster.
 *
 * <pre>{@code
 * try (FakeMaster master = FakeMaster.start()) {
 *   ... backend subscribes to master.uri() ...
 *   master.awaitSubscriptions(1, Duration.ofSeconds(5));
 *   master.send(FakeMaster.offers(offer));
 *   Call accept = master.awaitCall(Call.Type.ACCEPT, Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class FakeMaster implements AutoCloseable {
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON = "application/json";
  private static final byte[] CLOSE = new byte[0];

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-master");
    t.setDaemon(true);
    return t;
  });
  private final List<Call> calls = new ArrayList<>();
  private final List<Integer> answers = new ArrayList<>();
  private final List<String> exchanges = new ArrayList<>();
  private final java.util.Map<Call.Type, Duration> answerDelays =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicInteger frameworkIds = new AtomicInteger();
  private volatile URI redirectTo;
  private volatile boolean unavailable;
  private volatile boolean heartbeats = true;
  private volatile Duration heartbeatInterval = Duration.ofSeconds(15);
  private volatile String assignedFrameworkId;
  private Subscriber subscriber;
  private int subscriptions;

  private FakeMaster(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts a master on 127.0.0.1 and a free port.
   *
   * @return the running master
   */
  public static FakeMaster start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      FakeMaster master = new FakeMaster(server);
      server.createContext("/api/v1/scheduler", master::handle);
      server.setExecutor(master.pool);
      server.start();
      return master;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the fake master", e);
    }
  }

  /**
   * The master's base URI.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  // ---------------------------------------------------------------- script

  /**
   * Answers every call with 307 to {@code leader} (protocol-relative), or serves again when null.
   *
   * @param leader the leading master, or null
   */
  public void redirectTo(URI leader) {
    this.redirectTo = leader;
  }

  /**
   * Answers every call with 503 while set.
   *
   * @param value true for 503
   */
  public void unavailable(boolean value) {
    this.unavailable = value;
  }

  /**
   * Sets the heartbeat interval announced in SUBSCRIBED and used for heartbeats.
   *
   * @param interval the interval
   */
  public void heartbeatInterval(Duration interval) {
    this.heartbeatInterval = interval;
  }

  /**
   * Sends heartbeats on idle streams, or stops sending them (the stream stays open, silent).
   *
   * @param value false to go silent
   */
  public void heartbeats(boolean value) {
    this.heartbeats = value;
  }

  /**
   * Assigns this framework id to the next subscriber that brings none.
   *
   * @param id the id
   */
  public void assignFrameworkId(String id) {
    this.assignedFrameworkId = id;
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

  /** Closes the current subscriber's stream, as a crashing master or a broken network would. */
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

  // ---------------------------------------------------------------- observe

  /**
   * Every call received, in order, including refused ones.
   *
   * @return the calls
   */
  public synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  /**
   * Every call in the order the master saw it arrive ({@code "arrived TYPE"}) and answered it
   * ({@code "answered TYPE STATUS"}), SUBSCRIBE included.
   *
   * @return a copy of the exchanges so far
   */
  public synchronized List<String> exchanges() {
    return List.copyOf(exchanges);
  }

  /**
   * Holds the answer to every call of a type for a while (a slow master), e.g. to see what a
   * client sends while such a call is in flight.
   *
   * @param type the call type
   * @param delay how long each answer is held
   */
  public void delayAnswers(Call.Type type, Duration delay) {
    answerDelays.put(type, delay);
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
   * The calls of one type received so far.
   *
   * @param type the type
   * @return those calls
   */
  public synchronized List<Call> calls(Call.Type type) {
    return calls.stream().filter(c -> c.getType() == type).toList();
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
    await(() -> subscriptions() >= count, timeout,
        "expected " + count + " subscriptions but saw " + subscriptions());
  }

  /**
   * Waits for the first call of a type and returns it.
   *
   * @param type the type
   * @param timeout how long at most
   * @return the call
   * @throws AssertionError on timeout
   */
  public Call awaitCall(Call.Type type, Duration timeout) {
    return awaitCall(type, c -> true, timeout);
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
    Call[] found = new Call[1];
    await(() -> {
      for (Call c : calls(type)) {
        if (match.test(c)) {
          found[0] = c;
          return true;
        }
      }
      return false;
    }, timeout, "no matching " + type + " call; calls were " + types());
    return found[0];
  }

  private List<Call.Type> types() {
    return calls().stream().map(Call::getType).toList();
  }

  private static void await(java.util.function.BooleanSupplier condition, Duration timeout,
      String failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  @Override
  public void close() {
    dropStream();
    server.stop(0);
    pool.shutdownNow();
  }

  // ---------------------------------------------------------------- event builders

  /**
   * An OFFERS event.
   *
   * @param offers the offers
   * @return the event
   */
  public static Event offers(Protos.Offer... offers) {
    return Event.newBuilder().setType(Event.Type.OFFERS)
        .setOffers(Event.Offers.newBuilder().addAllOffers(List.of(offers))).build();
  }

  /**
   * An offer of unreserved cpus, mem and ports.
   *
   * @param id the offer id
   * @param agentId the agent id (hostname {@code agentId.host})
   * @param cpus the cpus
   * @param memMb the memory
   * @param portsBegin the first port
   * @param portsEnd the last port
   * @return the offer
   */
  public static Protos.Offer offer(String id, String agentId, double cpus, double memMb,
      long portsBegin, long portsEnd) {
    return Protos.Offer.newBuilder()
        .setId(Protos.OfferID.newBuilder().setValue(id))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("ignored"))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
        .setHostname(agentId + ".host")
        .addResources(scalar("cpus", cpus))
        .addResources(scalar("mem", memMb))
        .addResources(Protos.Resource.newBuilder().setName("ports")
            .setType(Protos.Value.Type.RANGES)
            .setRanges(Protos.Value.Ranges.newBuilder().addRange(
                Protos.Value.Range.newBuilder().setBegin(portsBegin).setEnd(portsEnd))))
        .build();
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  /**
   * An UPDATE event.
   *
   * @param taskId the Mesos task id
   * @param agentId the agent
   * @param state the state
   * @param uuid the uuid, or null for an update that needs no acknowledgement
   * @return the event
   */
  public static Event update(String taskId, String agentId, Protos.TaskState state, byte[] uuid) {
    Protos.TaskStatus.Builder status = Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(taskId))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agentId))
        .setState(state)
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
        .setTimestamp(1.0);
    if (uuid != null) {
      status.setUuid(com.google.protobuf.ByteString.copyFrom(uuid));
    } else {
      status.setReason(Protos.TaskStatus.Reason.REASON_RECONCILIATION);
    }
    return Event.newBuilder().setType(Event.Type.UPDATE)
        .setUpdate(Event.Update.newBuilder().setStatus(status)).build();
  }

  /**
   * An ERROR event.
   *
   * @param message the message
   * @return the event
   */
  public static Event error(String message) {
    return Event.newBuilder().setType(Event.Type.ERROR)
        .setError(Event.Error.newBuilder().setMessage(message)).build();
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
    {
      byte[] body = ex.getRequestBody().readAllBytes();
      if (!"POST".equals(ex.getRequestMethod())) {
        answer(ex, null, 405, "Expecting POST");
        return;
      }
      URI redirect = redirectTo;
      if (redirect != null) {
        ex.getResponseHeaders().add("Location", "//" + redirect.getRawAuthority()
            + "/api/v1/scheduler");
        answer(ex, null, 307, "");
        return;
      }
      if (unavailable) {
        answer(ex, null, 503, "Service Unavailable");
        return;
      }
      String type = Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
      if (!type.startsWith(PROTOBUF) && !type.startsWith(JSON)) {
        answer(ex, null, 415, "Expecting 'Content-Type' of application/json or"
            + " application/x-protobuf");
        return;
      }
      String accept = Optional.ofNullable(ex.getRequestHeaders().getFirst("Accept")).orElse("");
      if (!accept.contains(PROTOBUF) && !accept.contains(JSON)) {
        answer(ex, null, 406, "Expecting 'Accept' to allow application/json or"
            + " application/x-protobuf");
        return;
      }
      if (type.startsWith(JSON)) {
        answer(ex, null, 415, "this fake master speaks protobuf only");
        return;
      }
      Call call;
      try {
        call = Call.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        answer(ex, null, 400, "Failed to parse body into Call protobuf: " + e.getMessage());
        return;
      }
      synchronized (this) {
        exchanges.add("arrived " + call.getType());
      }
      Duration delay = answerDelays.get(call.getType());
      if (delay != null) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      if (call.getType() == Call.Type.SUBSCRIBE) {
        subscribe(ex, call);
        return;
      }
      Subscriber s;
      synchronized (this) {
        s = subscriber;
      }
      if (s == null) {
        answer(ex, call, 403, "Framework is not subscribed");
        return;
      }
      String streamId = ex.getRequestHeaders().getFirst("Mesos-Stream-Id");
      if (streamId == null) {
        answer(ex, call, 400, "All non-subscribe calls should include the 'Mesos-Stream-Id'"
            + " header");
        return;
      }
      if (!streamId.equals(s.streamId)) {
        answer(ex, call, 400, "The stream ID '" + streamId + "' included in this request didn't"
            + " match the stream ID currently associated with framework ID "
            + s.frameworkId);
        return;
      }
      answer(ex, call, call.getType() == Call.Type.UPDATE_FRAMEWORK ? 200 : 202, "");
      if (call.getType() == Call.Type.TEARDOWN) {
        dropStream();
      }
    }
  }

  private void answer(HttpExchange ex, Call call, int status, String text) throws IOException {
    if (call != null) {
      synchronized (this) {
        calls.add(call);
        answers.add(status);
        exchanges.add("answered " + call.getType() + " " + status);
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
  }

  private void subscribe(HttpExchange ex, Call call) throws IOException {
    Protos.FrameworkInfo info = call.getSubscribe().getFrameworkInfo();
    if (call.hasFrameworkId() != info.hasId()
        || (call.hasFrameworkId() && !call.getFrameworkId().equals(info.getId()))) {
      answer(ex, call, 400, "'framework_id' differs from 'subscribe.framework_info.id'");
      return;
    }
    String id = info.hasId() ? info.getId().getValue()
        : Optional.ofNullable(assignedFrameworkId)
            .orElse("fake-framework-" + frameworkIds.incrementAndGet());
    Subscriber s = new Subscriber(UUID.randomUUID().toString(), id);
    Subscriber old;
    synchronized (this) {
      calls.add(call);
      answers.add(200);
      old = subscriber;
      subscriber = s;
      subscriptions++;
    }
    if (old != null) {
      old.queue.add(CLOSE);
    }
    ex.getResponseHeaders().add("Content-Type", PROTOBUF);
    ex.getResponseHeaders().add("Mesos-Stream-Id", s.streamId);
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    Event subscribed = Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(id))
            .setHeartbeatIntervalSeconds(heartbeatInterval.toMillis() / 1000.0))
        .build();
    try {
      out.write(RecordIoDecoder.encode(subscribed.toByteArray()));
      out.flush();
      while (true) {
        byte[] record = s.queue.poll(heartbeatInterval.toMillis(), TimeUnit.MILLISECONDS);
        if (record == CLOSE) {
          return;
        }
        if (record == null) {
          if (!heartbeats) {
            continue;
          }
          record = RecordIoDecoder.encode(
              Event.newBuilder().setType(Event.Type.HEARTBEAT).build().toByteArray());
        }
        out.write(record);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // the subscriber went away
    } finally {
      synchronized (this) {
        if (subscriber == s) {
          subscriber = null;
        }
      }
    }
  }

  private static final class Subscriber {
    final String streamId;
    final String frameworkId;
    final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();

    Subscriber(String streamId, String frameworkId) {
      this.streamId = streamId;
      this.frameworkId = frameworkId;
    }
  }
}
