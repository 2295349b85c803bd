package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import dev.mesoskit.core.testing.RecordingExecutorEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP executor backend against agents that misbehave on the socket: endless and never-ending
 * bodies, silence after the headers, streams that break before SUBSCRIBED, answers to calls that
 * do not end. Each agent here is a raw socket on loopback; every answer stops by itself (a byte
 * budget or a time budget) or when the client closes the connection, which is what the tests
 * look for. Runs in surefire's {@code hostile-peers} execution, in a JVM of 64 MiB of heap: an
 * endless body of 512 MiB read into memory fails it.
 */
@Timeout(60)
class MisbehavingAgentTest {
  /** Eight times the heap of the test JVM: a body read whole cannot fit. */
  private static final long BODY_BUDGET = 512L << 20;
  /** The most any answer here is kept open by the agent when the client does not close it. */
  private static final Duration HOLD = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String X500 = "x".repeat(500) + "...";
  /** nextDouble() is 0: every pause is half its ceiling, 1/64 of the maximum at first. */
  private static final RandomGenerator LOWEST = () -> 0L;

  private final RecordingExecutorEvents events = new RecordingExecutorEvents();
  private final CapturedLog log = new CapturedLog();
  private RawAgent agent;
  private HttpExecutorBackend backend;

  @AfterEach
  void stop() throws IOException {
    try {
      if (backend != null) {
        backend.close();
      }
      if (agent != null) {
        agent.close();
      }
    } finally {
      log.close();
    }
  }

  /** The backend's builder for this agent: the default transport; a subclass gives a client. */
  HttpExecutorBackend.Builder builder() {
    return HttpExecutorBackend.builder()
        .agentEndpoint(agent.uri().toString())
        .frameworkId("fw-1")
        .executorId("exec-1")
        .checkpoint(true)
        .requestTimeout(Duration.ofSeconds(20)) // tests of a timeout set their own
        .subscriptionBackoffMax(Duration.ofMillis(320))
        .random(LOWEST);
  }

  private HttpExecutorBackend start(HttpExecutorBackend.Builder b) {
    backend = b.build();
    backend.subscribe(events);
    return backend;
  }

  private String a() {
    return "agent " + agent.uri();
  }

  private String retry(int attempt, String cause, long backoffMs) {
    return "WARN resubscribing after backoff agent=" + agent.uri() + " attempt=" + attempt
        + " cause=" + cause + " backoff_ms=" + backoffMs;
  }

  // ---------------------------------------------------------------- SUBSCRIBE

  @Test
  void anEndlessErrorBodyIsCutAtItsBoundAndTheSubscriptionTriedAgain() throws Exception {
    agent = RawAgent.start(ex -> {
      if (ex.ordinal == 1) {
        ex.write(head("503 Service Unavailable", "text/plain", "Transfer-Encoding: chunked"));
        ex.endlessChunks();
      } else {
        ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder());

    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", WAIT);
    RawAgent.Exchange first = agent.awaitEnd(1);
    assertThat(first.closedByClient).as("the client stopped reading the error body").isTrue();
    assertThat(first.bytes).isLessThan(BODY_BUDGET / 8);
    assertThat(log.lines(agent.uri())).contains(retry(1,
        a() + " answered SUBSCRIBE with HTTP 503: " + X500, 5));
    assertThat(events.lines()).containsExactly("subscribed fw-1 exec-1 agent-1 raw-agent.host");
  }

  @Test
  void anEndlessRefusalWithAHugeContentLengthIsCutAndEndsTheExecutorAtOnce() throws Exception {
    agent = RawAgent.start(ex -> {
      ex.write(head("400 Bad Request", "text/plain", "Content-Length: 1000000000000"));
      ex.endless();
    });
    start(builder());

    assertThat(events.awaitLineStartingWith("lost", WAIT)).isEqualTo("lost " + a()
        + " answered SUBSCRIBE with HTTP 400: " + X500);
    RawAgent.Exchange only = agent.awaitEnd(1);
    assertThat(only.closedByClient).isTrue();
    assertThat(only.bytes).isLessThan(BODY_BUDGET / 8);
    assertThat(agent.exchanges).hasSize(1);
  }

  @Test
  void aStreamOfTheWrongTypeIsCancelledNotDownloaded() throws Exception {
    agent = RawAgent.start(ex -> {
      if (ex.ordinal == 1) {
        ex.write(head("200 OK", "text/html", "Transfer-Encoding: chunked"));
        ex.endlessChunks();
      } else {
        ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder());

    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", WAIT);
    RawAgent.Exchange first = agent.awaitEnd(1);
    assertThat(first.closedByClient).isTrue();
    assertThat(first.bytes).isLessThan(BODY_BUDGET / 8);
    assertThat(log.lines(agent.uri())).contains(retry(1, a() + " answered SUBSCRIBE with"
        + " Content-Type 'text/html'; expected application/x-protobuf", 5));
  }

  @Test
  void anAgentSilentAfterItsHeadersIsLeftAfterTheRequestTimeout() throws Exception {
    agent = RawAgent.start(ex -> {
      if (ex.ordinal == 1) {
        ex.write(head("200 OK", PROTOBUF, "Transfer-Encoding: chunked"));
        ex.awaitClientClose(HOLD);
      } else {
        ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder().requestTimeout(Duration.ofSeconds(1)));

    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", WAIT);
    assertThat(agent.awaitEnd(1).closedByClient).isTrue();
    assertThat(log.lines(agent.uri())).contains(retry(1,
        a() + " sent no SUBSCRIBED event within 1000 ms of answering SUBSCRIBE", 5));
  }

  @Test
  void heartbeatsWithoutSubscribedDoNotHoldTheExecutor() throws Exception {
    byte[] heartbeat = RecordIoDecoder.encode(
        Event.newBuilder().setType(Event.Type.HEARTBEAT).build().toByteArray());
    agent = RawAgent.start(ex -> {
      if (ex.ordinal == 1) {
        ex.write(head("200 OK", PROTOBUF, "Transfer-Encoding: chunked"));
        ex.dribble(RawHttp.chunk(heartbeat), Duration.ofMillis(50));
      } else {
        ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder().requestTimeout(Duration.ofSeconds(1)));

    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", WAIT);
    assertThat(agent.awaitEnd(1).closedByClient).isTrue();
    assertThat(log.lines(agent.uri())).contains(retry(1,
        a() + " sent no SUBSCRIBED event within 1000 ms of answering SUBSCRIBE", 5));
  }

  @Test
  void anErrorBodyThatNeverEndsIsLeftAfterTheRequestTimeout() throws Exception {
    agent = RawAgent.start(ex -> {
      if (ex.ordinal == 1) {
        ex.write(head("503 Service Unavailable", "text/plain", "Transfer-Encoding: chunked"));
        ex.dribble(RawHttp.chunk("x".getBytes(StandardCharsets.US_ASCII)), Duration.ofMillis(50));
      } else {
        ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder().requestTimeout(Duration.ofSeconds(1)));

    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", WAIT);
    assertThat(agent.awaitEnd(1).closedByClient).isTrue();
    assertThat(log.lines(agent.uri())).contains(retry(1, a() + " answered SUBSCRIBE with HTTP 503"
        + " but did not finish its body within 1000 ms", 5));
  }

  @Test
  void streamsBrokenBeforeSubscribedAreRetriedWithGrowingBackoffUntilOneSubscribes()
      throws Exception {
    byte[] launch = Event.newBuilder().setType(Event.Type.LAUNCH)
        .setLaunch(Event.Launch.newBuilder().setTask(Protos.TaskInfo.newBuilder()
            .setName("t").setTaskId(Protos.TaskID.newBuilder().setValue("t.1"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))))
        .build().toByteArray();
    agent = RawAgent.start(ex -> {
      switch (ex.ordinal) {
        case 1 -> ex.stream("5\nabcde".getBytes(StandardCharsets.US_ASCII)); // not an Event
        case 2 -> ex.stream("1000000000000\n".getBytes(StandardCharsets.US_ASCII));
        case 3 -> ex.stream("hello\n".getBytes(StandardCharsets.US_ASCII));
        case 4 -> ex.stream(RecordIoDecoder.encode(launch));
        case 5 -> ex.stream(new byte[0]);
        case 6 -> { } // closes the connection without an answer
        default -> ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder().subscriptionBackoffMax(Duration.ofMillis(640)));

    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", WAIT);
    String notAnEvent;
    try {
      Event.parseFrom("abcde".getBytes(StandardCharsets.US_ASCII));
      throw new AssertionError("abcde parsed as an Event");
    } catch (InvalidProtocolBufferException e) {
      notAnEvent = e.getMessage();
    }
    List<String> lines = log.lines(agent.uri());
    // One line per attempt: the first attempt says it subscribes, each failure says why.
    assertThat(lines).hasSize(8);
    assertThat(lines.get(0)).isEqualTo("INFO subscribing agent=" + agent.uri() + " attempt=1"
        + " executor_id=exec-1 unacknowledged_tasks=0 unacknowledged_updates=0");
    assertThat(lines.subList(1, 6)).containsExactly(
        retry(1, a() + " sent an event that is not a valid v1 executor Event (5 bytes): "
            + notAnEvent, 10),
        retry(2, "RecordIO record length exceeds the limit of 67108864 bytes (at stream"
            + " offset 8)", 20),
        retry(3, "RecordIO expects a decimal length followed by '\\n' but got byte 0x68 at"
            + " stream offset 0", 40),
        retry(4, a() + " sent LAUNCH before SUBSCRIBED", 80),
        retry(5, a() + " closed the subscription stream", 160));
    assertThat(lines.get(6)).isEqualTo("WARN resubscribing after backoff agent=" + agent.uri()
        + " attempt=6 cause=cannot reach " + a() + ": 127.0.0.1:" + agent.uri().getPort()
        + " closed the connection without answering backoff_ms=320");
    assertThat(lines.get(7)).isEqualTo("INFO subscribed agent=" + agent.uri()
        + " agent_id=agent-1 executor_id=exec-1");
    assertThat(agent.exchanges).hasSize(7);
    long[] pausesMs = {10, 20, 40, 80, 160, 320};
    for (int i = 0; i < pausesMs.length; i++) {
      assertThat(agent.exchanges.get(i + 1).acceptedNanos - agent.exchanges.get(i).acceptedNanos)
          .as("time between attempts %d and %d", i + 1, i + 2)
          .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(pausesMs[i]));
    }
    assertThat(events.lines()).containsExactly("subscribed fw-1 exec-1 agent-1 raw-agent.host");
  }

  /**
   * Fuzz, seeded: 40 SUBSCRIBEs answered with random wreckage (server errors with random or
   * endless bodies, random bytes, RecordIO with random lengths, records that are not events,
   * events before SUBSCRIBED, headers cut short, a short silence), then an agent that works. The
   * executor survives them all in this small heap, hands nothing to the runtime before the real
   * SUBSCRIBED, and subscribes in the end.
   */
  @Test
  void anAgentAnsweringRandomWreckageNeverBreaksTheExecutorAndItSubscribesOnceItWorks()
      throws Exception {
    java.util.Random seeds = new java.util.Random(20261207L);
    int wrecks = 40;
    byte[] launch = Event.newBuilder().setType(Event.Type.LAUNCH)
        .setLaunch(Event.Launch.newBuilder().setTask(Protos.TaskInfo.newBuilder()
            .setName("t").setTaskId(Protos.TaskID.newBuilder().setValue("t.1"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))))
        .build().toByteArray();
    byte[] kill = Event.newBuilder().setType(Event.Type.KILL)
        .setKill(Event.Kill.newBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("t.1")))
        .build().toByteArray();
    agent = RawAgent.start(ex -> {
      if (ex.ordinal > wrecks) {
        ex.subscribed(new LinkedBlockingQueue<>());
        return;
      }
      java.util.Random r;
      synchronized (seeds) {
        r = new java.util.Random(seeds.nextLong());
      }
      byte[] noise = new byte[r.nextInt(4096)];
      r.nextBytes(noise);
      switch (r.nextInt(7)) {
        case 0 -> { // a server error, its body random or endless
          String[] statuses = {"500 Oops", "502 Bad Gateway", "503 Service Unavailable"};
          ex.write(head(statuses[r.nextInt(statuses.length)], "text/plain",
              "Transfer-Encoding: chunked"));
          if (r.nextBoolean()) {
            ex.endlessChunks();
          } else {
            ex.write(RawHttp.chunk(noise));
            ex.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          }
        }
        case 1 -> ex.stream(noise);
        case 2 -> ex.stream(((r.nextBoolean() ? r.nextInt(100) : Math.abs(r.nextLong())) + "\n")
            .getBytes(StandardCharsets.US_ASCII));
        case 3 -> ex.stream(RecordIoDecoder.encode(noise));
        case 4 -> ex.stream(RecordIoDecoder.encode(r.nextBoolean() ? launch : kill));
        case 5 -> {
          byte[] h = head("200 OK", PROTOBUF, "Transfer-Encoding: chunked");
          ex.write(java.util.Arrays.copyOf(h, r.nextInt(h.length)));
        }
        default -> {
          ex.write(head("200 OK", PROTOBUF, "Transfer-Encoding: chunked"));
          ex.awaitClientClose(Duration.ofMillis(r.nextInt(200)));
        }
      }
    });
    start(builder().requestTimeout(Duration.ofMillis(500))
        .subscriptionBackoffMax(Duration.ofMillis(20)));

    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", Duration.ofSeconds(45));
    assertThat(events.lines()).as("nothing reached the runtime before SUBSCRIBED")
        .containsExactly("subscribed fw-1 exec-1 agent-1 raw-agent.host");
    assertThat(agent.exchanges.stream().filter(e -> e.call.getType() == Call.Type.SUBSCRIBE))
        .hasSize(wrecks + 1);
  }

  /** What breaks when the connection ends inside a chunk: the transport's words. */
  String endedInsideAChunk() {
    return "java.io.EOFException: the peer closed the connection inside a chunked answer";
  }

  @Test
  void aStreamCutInsideARecordIsADisconnectionAndTheExecutorSubscribesAgain() throws Exception {
    byte[] message = RecordIoDecoder.encode(Event.newBuilder().setType(Event.Type.MESSAGE)
        .setMessage(Event.Message.newBuilder().setData(com.google.protobuf.ByteString
            .copyFromUtf8("the whole of a message that never arrives")))
        .build().toByteArray());
    agent = RawAgent.start(ex -> {
      if (ex.ordinal == 1) {
        ex.write(head("200 OK", PROTOBUF, "Transfer-Encoding: chunked"));
        ex.write(RawHttp.chunk(subscribedEvent()));
        ex.write(RawHttp.chunk(java.util.Arrays.copyOf(message, message.length / 2)));
        // and the connection ends, without the last chunk
      } else {
        ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder());

    FakeExecutorBackend.await(() -> events.lines().size() == 3, WAIT,
        () -> "expected 2 subscriptions; events were " + events.lines());
    assertThat(events.lines()).containsExactly(
        "subscribed fw-1 exec-1 agent-1 raw-agent.host",
        "disconnected subscription stream from " + a() + " broke: " + endedInsideAChunk(),
        "subscribed fw-1 exec-1 agent-1 raw-agent.host");
  }

  @Test
  void closeEndsASilentStreamItsReaderAndItsConnection() throws Exception {
    agent = RawAgent.start(ex -> ex.subscribed(new LinkedBlockingQueue<>()));
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    start(builder());
    events.awaitLine("subscribed fw-1 exec-1 agent-1 raw-agent.host", WAIT);
    List<Thread> backendThreads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && (t.getName().equals("mesoskit-executor-events")
            || t.getName().equals("mesoskit-executor-subscriber")))
        .toList();
    assertThat(backendThreads).extracting(Thread::getName).contains("mesoskit-executor-subscriber");

    backend.close();

    assertThat(backendThreads).as("close() returned once they ended").noneMatch(Thread::isAlive);
    RawAgent.Exchange stream = agent.awaitEnd(1);
    assertThat(stream.closedByClient).isTrue();
    assertThat(events.lines()).containsExactly("subscribed fw-1 exec-1 agent-1 raw-agent.host");
  }

  /** Events that run {@code handler} on SUBSCRIBED and record only {@code lost}. */
  private dev.mesoskit.core.spi.ExecutorEvents onSubscribed(Runnable handler) {
    return new dev.mesoskit.core.spi.ExecutorEvents() {
      @Override
      public void subscribed(dev.mesoskit.core.spi.ExecutorRegistration registration) {
        handler.run();
      }

      @Override
      public void launch(dev.mesoskit.core.spi.LaunchedTask task) {}

      @Override
      public void kill(String mesosTaskId, Optional<Duration> gracePeriod) {}

      @Override
      public void message(byte[] data) {}

      @Override
      public void shutdown() {}

      @Override
      public void error(String message) {}

      @Override
      public void disconnected(String cause) {}

      @Override
      public void lost(String cause) {
        events.lost(cause);
      }
    };
  }

  @Test
  void closeFromAnEventHandlerReturnsWithoutWaitingForTheThreadItRunsOn() throws Exception {
    agent = RawAgent.start(ex -> ex.subscribed(new LinkedBlockingQueue<>()));
    CompletableFuture<Long> closed = new CompletableFuture<>();
    backend = builder().requestTimeout(Duration.ofSeconds(10)).build();
    backend.subscribe(onSubscribed(() -> {
      long start = System.nanoTime();
      backend.close();
      closed.complete(System.nanoTime() - start);
    }));

    // Waiting for the reader (itself) or the loop (which waits for it) would take the timeout.
    assertThat(Duration.ofNanos(closed.get(30, TimeUnit.SECONDS)))
        .isLessThan(Duration.ofSeconds(5));
    assertThat(agent.awaitEnd(1).closedByClient).isTrue();
    assertThat(log.lines(agent.uri())).filteredOn(l -> l.startsWith("WARN")).isEmpty();
    assertThat(events.lines()).isEmpty();
  }

  @Test
  void anErrorInAnEventHandlerIsLoggedAndEndsTheStreamWithoutReachingTheDefaultHandler()
      throws Exception {
    agent = RawAgent.start(ex -> ex.subscribed(new LinkedBlockingQueue<>()));
    backend = builder().checkpoint(false).build();
    backend.subscribe(onSubscribed(() -> {
      throw new AssertionError("handler broke");
    }));

    assertThat(events.awaitLineStartingWith("lost", WAIT)).isEqualTo("lost subscription stream"
        + " from " + a() + " broke: java.lang.AssertionError: handler broke; the framework does"
        + " not checkpoint, so the executor does not resubscribe");
    assertThat(log.lines(agent.uri())).contains("ERROR executor event handling failed agent="
        + agent.uri());
    backend.close();
    assertThat(log.text()).doesNotContain("Exception in thread");
  }

  @Test
  void anUpdateWhoseAnswerStopsAfterItsHeadIsCutAfterTwiceTheRequestTimeout() throws Exception {
    agent(new LinkedBlockingQueue<>(), ex -> {
      ex.write(head("202 Accepted", "text/plain", "Content-Length: 10"));
      ex.awaitClientClose(HOLD);
    });
    start(builder().requestTimeout(Duration.ofSeconds(1))
        .updateRetryInterval(Duration.ofMinutes(1)));
    events.awaitLineStartingWith("subscribed", WAIT);

    backend.update(running("t.1"));

    RawAgent.Exchange update = agent.awaitEnd(2);
    assertThat(update.closedByClient).as("the client closed the stuck answer").isTrue();
    log.await(agent.uri(), "WARN update not sent, retried later agent=" + agent.uri()
        + " task=t.1 state=TASK_RUNNING cause=UPDATE to agent " + agent.uri()
        + " timed out after 2000 ms");
  }

  @Test
  void aSubscriptionThatBreaksAfterSubscribedStartsTheBackoffOver() throws Exception {
    agent = RawAgent.start(ex -> {
      switch (ex.ordinal) {
        case 1, 4 -> ex.subscribed(new LinkedBlockingQueue<>(List.of(
            "garbage".getBytes(StandardCharsets.US_ASCII))));
        case 2, 3, 5, 6 -> ex.stream("garbage".getBytes(StandardCharsets.US_ASCII));
        default -> ex.subscribed(new LinkedBlockingQueue<>());
      }
    });
    start(builder());

    FakeExecutorBackend.await(() -> events.lines().size() == 5, WAIT,
        () -> "expected 3 subscriptions; events were " + events.lines());
    String garbage = "RecordIO expects a decimal length followed by '\\n' but got byte 0x67 at"
        + " stream offset ";
    String dropped = garbage + subscribedEvent().length; // the garbage follows SUBSCRIBED
    assertThat(events.lines()).containsExactly(
        "subscribed fw-1 exec-1 agent-1 raw-agent.host", "disconnected " + dropped,
        "subscribed fw-1 exec-1 agent-1 raw-agent.host", "disconnected " + dropped,
        "subscribed fw-1 exec-1 agent-1 raw-agent.host");
    assertThat(log.lines(agent.uri())).filteredOn(l -> l.startsWith("WARN")).containsExactly(
        retry(1, dropped, 5), retry(2, garbage + "0", 10), retry(3, garbage + "0", 20),
        retry(1, dropped, 5), retry(2, garbage + "0", 10), retry(3, garbage + "0", 20));
  }

  @Test
  void anAgentThatNeverSubscribesIsLostAtTheRecoveryTimeout() throws Exception {
    agent = RawAgent.start(ex -> ex.stream("garbage".getBytes(StandardCharsets.US_ASCII)));
    start(builder().recoveryTimeout(Duration.ofSeconds(1)).subscriptionBackoffMax(
        Duration.ofMillis(100)));

    String lost = events.awaitLineStartingWith("lost", WAIT);
    assertThat(lost).isEqualTo("lost no subscription within the recovery timeout of 1000 ms;"
        + " last problem: RecordIO expects a decimal length followed by '\\n' but got byte 0x67"
        + " at stream offset 0");
    assertThat(events.lines()).containsExactly(lost);
    // Every attempt but the last is followed by its backoff line; the last by the loss.
    List<String> warnings =
        log.lines(agent.uri()).stream().filter(l -> l.startsWith("WARN")).toList();
    assertThat(agent.exchanges).hasSize(warnings.size() + 1);
    // Pauses of at least 1.5625, 3.125, 6.25, 12.5, 25, then 50 ms: at most 25 fit in 1 s.
    assertThat(warnings.size()).isBetween(1, 25);
  }

  @Test
  void aSubscribeTheAgentNeverReadsEndsAtTheRequestTimeout() throws Exception {
    agent = RawAgent.deaf();
    backend = builder().checkpoint(false).requestTimeout(Duration.ofSeconds(1)).build();
    // Six unacknowledged updates of 1 MiB each: more than the kernel buffers of both ends.
    for (int i = 1; i <= 6; i++) {
      backend.update(withData(running("t." + i), i, 1 << 20));
    }
    backend.subscribe(events);

    assertThat(events.awaitLineStartingWith("lost", WAIT)).isEqualTo("lost cannot reach agent "
        + agent.uri() + ": no answer from " + agent.uri().getAuthority() + " within the request"
        + " timeout; the framework does not checkpoint, so the executor does not resubscribe");
    assertThat(events.lines()).hasSize(1);
  }

  /** {@code status} with {@code size} bytes of data and a uuid of its own, numbered {@code n}. */
  private static TaskStatus withData(TaskStatus status, int n, int size) {
    byte[] uuid = status.uuid().orElseThrow();
    uuid[15] = (byte) n;
    return new TaskStatus(status.mesosTaskId(), status.state(), Optional.empty(),
        Optional.empty(), status.source(), status.agentId(), status.executorId(), Optional.of(uuid),
        status.timestamp(), Optional.of(new byte[size]));
  }

  @Test
  void withoutCheckpointingAStreamBrokenBeforeSubscribedEndsTheExecutor() throws Exception {
    agent = RawAgent.start(ex -> ex.stream("garbage".getBytes(StandardCharsets.US_ASCII)));
    start(builder().checkpoint(false));

    assertThat(events.awaitLineStartingWith("lost", WAIT)).isEqualTo("lost RecordIO expects a"
        + " decimal length followed by '\\n' but got byte 0x67 at stream offset 0; the framework"
        + " does not checkpoint, so the executor does not resubscribe");
    assertThat(agent.exchanges).hasSize(1);
  }

  // ---------------------------------------------------------------- UPDATE and MESSAGE

  /** Serves SUBSCRIBE with a stream fed from {@code stream}, other calls with {@code calls}. */
  private void agent(BlockingQueue<byte[]> stream, RawAgent.Script calls) throws IOException {
    agent = RawAgent.start(ex -> {
      if (ex.call.getType() == Call.Type.SUBSCRIBE) {
        ex.subscribed(stream);
      } else {
        calls.answer(ex);
      }
    });
  }

  private static TaskStatus running(String taskId) {
    byte[] uuid = new byte[16];
    uuid[0] = 1;
    uuid[6] = 0x40;
    uuid[8] = (byte) 0x80;
    return new TaskStatus(taskId, TaskState.RUNNING, Optional.empty(), Optional.empty(),
        Optional.of("SOURCE_EXECUTOR"), Optional.of("agent-1"), Optional.of("exec-1"),
        Optional.of(uuid), Instant.ofEpochSecond(1_700_000_000L));
  }

  @Test
  void anUpdateRefusedWithAnEndlessBodyFailsWithItsStartAndTheDownloadIsCancelled()
      throws Exception {
    agent(new LinkedBlockingQueue<>(), ex -> {
      ex.write(head("400 Bad Request", "text/plain", "Transfer-Encoding: chunked"));
      ex.endlessChunks();
    });
    start(builder());
    events.awaitLineStartingWith("subscribed", WAIT);

    CompletableFuture<Void> acked = backend.update(running("t.1"));

    assertThatThrownBy(() -> acked.get(20, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MesosKitException.class)
        .hasMessage("agent answered UPDATE with HTTP 400: agent=" + agent.uri() + " task=t.1"
            + " state=TASK_RUNNING body=" + X500);
    RawAgent.Exchange update = agent.awaitEnd(2);
    assertThat(update.call.getType()).isEqualTo(Call.Type.UPDATE);
    assertThat(update.closedByClient).isTrue();
    assertThat(update.bytes).isLessThan(BODY_BUDGET / 8);
  }

  @Test
  void anUpdateAcceptedWithAnEndlessBodyIsCutAndWaitsForItsAcknowledgement() throws Exception {
    BlockingQueue<byte[]> stream = new LinkedBlockingQueue<>();
    agent(stream, ex -> {
      ex.write(head("202 Accepted", "text/plain", "Transfer-Encoding: chunked"));
      ex.endlessChunks();
    });
    start(builder());
    events.awaitLineStartingWith("subscribed", WAIT);
    TaskStatus status = running("t.1");

    CompletableFuture<Void> acked = backend.update(status);

    RawAgent.Exchange update = agent.awaitEnd(2);
    assertThat(update.closedByClient).isTrue();
    assertThat(update.bytes).isLessThan(BODY_BUDGET / 8);
    assertThat(acked).isNotDone();
    stream.add(RecordIoDecoder.encode(Event.newBuilder().setType(Event.Type.ACKNOWLEDGED)
        .setAcknowledged(Event.Acknowledged.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue("t.1"))
            .setUuid(update.call.getUpdate().getStatus().getUuid()))
        .build().toByteArray()));
    acked.get(20, TimeUnit.SECONDS);
  }

  @Test
  void anUpdateAnswerThatNeverEndsIsCancelledAfterTwiceTheRequestTimeout() throws Exception {
    agent(new LinkedBlockingQueue<>(), ex -> {
      ex.write(head("202 Accepted", "text/plain", "Transfer-Encoding: chunked"));
      ex.dribble(RawHttp.chunk("x".getBytes(StandardCharsets.US_ASCII)), Duration.ofMillis(50));
    });
    start(builder().requestTimeout(Duration.ofSeconds(1))
        .updateRetryInterval(Duration.ofMinutes(1)));
    events.awaitLineStartingWith("subscribed", WAIT);

    backend.update(running("t.1"));

    RawAgent.Exchange update = agent.awaitEnd(2);
    assertThat(update.closedByClient).as("the client closed the slow answer").isTrue();
    log.await(agent.uri(), "WARN update not sent, retried later agent=" + agent.uri()
        + " task=t.1 state=TASK_RUNNING cause=UPDATE to agent " + agent.uri()
        + " timed out after 2000 ms");
  }

  @Test
  void aMessageRefusedWithAnEndlessBodyIsLoggedWithItsStart() throws Exception {
    agent(new LinkedBlockingQueue<>(), ex -> {
      ex.write(head("500 Internal Server Error", "text/plain", "Transfer-Encoding: chunked"));
      ex.endlessChunks();
    });
    start(builder());
    events.awaitLineStartingWith("subscribed", WAIT);

    backend.message("hi".getBytes(StandardCharsets.UTF_8));

    log.await(agent.uri(), "WARN message refused agent=" + agent.uri() + " status=500 body="
        + X500);
    RawAgent.Exchange message = agent.awaitEnd(2);
    assertThat(message.call.getType()).isEqualTo(Call.Type.MESSAGE);
    assertThat(message.closedByClient).isTrue();
    assertThat(message.bytes).isLessThan(BODY_BUDGET / 8);
  }

  // ------------------------------------------------------------------ helpers

  /** A response head: status line, Content-Type, {@code Connection: close} and more headers. */
  private static byte[] head(String status, String type, String... headers) {
    StringBuilder b = new StringBuilder("HTTP/1.1 ").append(status).append("\r\n")
        .append("Content-Type: ").append(type).append("\r\nConnection: close\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] subscribedEvent() {
    return RecordIoDecoder.encode(Event.newBuilder().setType(Event.Type.SUBSCRIBED)
        .setSubscribed(Event.Subscribed.newBuilder()
            .setExecutorInfo(Protos.ExecutorInfo.newBuilder()
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue("exec-1"))
                .setCommand(Protos.CommandInfo.newBuilder().setValue("true")))
            .setFrameworkInfo(Protos.FrameworkInfo.newBuilder()
                .setId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
                .setUser("alice").setName("raw"))
            .setAgentInfo(Protos.AgentInfo.newBuilder()
                .setId(Protos.AgentID.newBuilder().setValue("agent-1"))
                .setHostname("raw-agent.host")))
        .build().toByteArray());
  }

  /**
   * A loopback server that answers each connection's one request (every answer says
   * {@code Connection: close}) with a scripted raw HTTP answer, and records how it ended.
   */
  static final class RawAgent implements AutoCloseable {
    interface Script {
      void answer(Exchange exchange) throws Exception;
    }

    /** One connection: its request, what the agent sent, and how it ended. */
    static final class Exchange {
      final Call call;
      /** 1 for the first call of its type, 2 for the second, and so on. */
      final int ordinal;
      final long acceptedNanos;
      final CountDownLatch ended = new CountDownLatch(1);
      volatile long bytes;
      volatile boolean closedByClient;
      private final Socket socket;
      private final InputStream in;
      private final OutputStream out;

      Exchange(Socket socket, Call call, int ordinal, long acceptedNanos) throws IOException {
        this.socket = socket;
        this.call = call;
        this.ordinal = ordinal;
        this.acceptedNanos = acceptedNanos;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
      }

      void write(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        bytes += b.length;
      }

      /** Writes 'x' until the client goes away or {@link #BODY_BUDGET} is spent. */
      void endless() throws IOException {
        byte[] piece = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
        while (bytes < BODY_BUDGET) {
          write(piece);
        }
      }

      /** Writes chunks of 'x' until the client goes away or {@link #BODY_BUDGET} is spent. */
      void endlessChunks() throws IOException {
        byte[] piece = RawHttp.chunk("x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII));
        while (bytes < BODY_BUDGET) {
          write(piece);
        }
      }

      /** Writes {@code piece} every {@code every} until the client goes away or {@link #HOLD}. */
      void dribble(byte[] piece, Duration every) throws IOException {
        long deadline = System.nanoTime() + HOLD.toNanos();
        while (System.nanoTime() < deadline) {
          write(piece);
          if (awaitClientClose(every)) {
            return;
          }
        }
      }

      /** A 200 protobuf stream with {@code body} in one chunk, then the end of the stream. */
      void stream(byte[] body) throws IOException {
        write(head("200 OK", PROTOBUF, "Transfer-Encoding: chunked"));
        if (body.length > 0) {
          write(RawHttp.chunk(body));
        }
        write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }

      /** SUBSCRIBED, then what the test queues, until the client goes away or {@link #HOLD}. */
      void subscribed(BlockingQueue<byte[]> records) throws IOException {
        write(head("200 OK", PROTOBUF, "Transfer-Encoding: chunked"));
        write(RawHttp.chunk(subscribedEvent()));
        long deadline = System.nanoTime() + HOLD.toNanos();
        while (System.nanoTime() < deadline) {
          byte[] next = records.poll();
          if (next != null) {
            write(RawHttp.chunk(next));
          } else if (awaitClientClose(Duration.ofMillis(20))) {
            return;
          }
        }
      }

      /** Waits up to {@code max} for the client to close the connection; true if it did. */
      boolean awaitClientClose(Duration max) throws IOException {
        long deadline = System.nanoTime() + max.toNanos();
        while (true) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            return false;
          }
          socket.setSoTimeout((int) Math.min(left, Integer.MAX_VALUE));
          try {
            if (in.read() < 0) {
              closedByClient = true;
              return true;
            }
          } catch (SocketTimeoutException e) {
            return false;
          }
        }
      }
    }

    final ServerSocket server;
    final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    private final Map<Call.Type, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closing;

    private RawAgent(ServerSocket server, Script script) {
      this.server = server;
      RawHttp.acceptEach(server, "raw-agent", socket -> {
        long accepted = System.nanoTime();
        sockets.add(socket);
        return () -> serve(socket, accepted, script);
      });
    }

    static RawAgent start(Script script) throws IOException {
      return new RawAgent(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    /**
     * An agent whose process hangs but whose kernel accepts: it never reads a byte, and its
     * receive buffer is small, so a request of a few MiB fills both ends' buffers and blocks.
     */
    static RawAgent deaf() throws IOException {
      ServerSocket server = new ServerSocket();
      server.setReceiveBufferSize(8 * 1024);
      server.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      return new RawAgent(server, null);
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void serve(Socket socket, long accepted, Script script) {
      if (script == null) { // deaf: holds the connection unread until the test ends
        while (!closing && !socket.isClosed()) {
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
        return;
      }
      Exchange exchange = null;
      try (socket) {
        Call call = readCall(socket.getInputStream());
        int ordinal = counts.computeIfAbsent(call.getType(), t -> new AtomicInteger())
            .incrementAndGet();
        exchange = new Exchange(socket, call, ordinal, accepted);
        synchronized (exchanges) { // in the order of acceptance
          int i = exchanges.size();
          while (i > 0 && exchanges.get(i - 1).acceptedNanos > accepted) {
            i--;
          }
          exchanges.add(i, exchange);
        }
        script.answer(exchange);
      } catch (IOException e) {
        if (exchange != null && !closing) {
          exchange.closedByClient = true;
        }
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        if (exchange != null) {
          exchange.ended.countDown();
        }
      }
    }

    /** Reads the request head and its Content-Length body, an executor Call. */
    private static Call readCall(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("request ended early");
        }
        head.append((char) b);
      }
      int length = 0;
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      return Call.parseFrom(in.readNBytes(length));
    }

    /** The {@code n}-th connection (from 1), once the agent is done with it. */
    Exchange awaitEnd(int n) throws InterruptedException {
      FakeExecutorBackend.await(() -> exchanges.size() >= n, WAIT,
          () -> n + " connections expected, saw " + exchanges.size());
      Exchange exchange = exchanges.get(n - 1);
      assertThat(exchange.ended.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .as("the answer on connection %d ended within %s", n, WAIT).isTrue();
      return exchange;
    }

    @Override
    public void close() throws IOException {
      closing = true;
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  /**
   * The lines {@link HttpExecutorBackend} logs meanwhile, as {@code LEVEL message}: slf4j-simple
   * looks {@code System.err} up for every line, so a copy of it sees them.
   */
  static final class CapturedLog implements AutoCloseable {
    private static final String LOGGER = " " + HttpExecutorBackend.class.getName() + " - ";
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    CapturedLog() {
      System.setErr(new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
          original.write(b);
          copy.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          original.write(b, off, len);
          copy.write(b, off, len);
        }
      }, true, StandardCharsets.UTF_8));
    }

    /** All that was printed meanwhile. */
    String text() {
      return copy.toString(StandardCharsets.UTF_8);
    }

    /** The lines that mention {@code agent}: another test's backend may still be closing. */
    List<String> lines(URI agent) {
      List<String> lines = new ArrayList<>();
      for (String line : copy.toString(StandardCharsets.UTF_8).split("\n")) {
        int at = line.indexOf(LOGGER);
        if (at > 0 && line.contains(agent.toString())) {
          String level = line.substring(line.lastIndexOf(' ', at - 1) + 1, at);
          lines.add(level + " " + line.substring(at + LOGGER.length()));
        }
      }
      return lines;
    }

    void await(URI agent, String line) {
      FakeExecutorBackend.await(() -> lines(agent).contains(line), WAIT,
          () -> "no log line '" + line + "'; lines were " + lines(agent));
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }
}
