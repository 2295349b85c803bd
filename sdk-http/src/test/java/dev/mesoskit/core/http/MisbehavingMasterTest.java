package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.FrameworkInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP backend against masters that misbehave on the socket: endless bodies, silence after
 * the headers, streams that break before SUBSCRIBED. Each master here is a raw socket on
 * loopback whose every connection stops by itself (a byte budget and a time budget).
 */
@Timeout(60)
class MisbehavingMasterTest {
  private static final FrameworkInfo INFO = new FrameworkInfo("test", "alice", "*",
      Optional.empty(), Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(),
      Set.of());
  /** More than a heap could hold as a String is never sent: this budget ends each answer. */
  private static final long BODY_BUDGET = 256L << 20;

  private RawMaster master;
  private HttpSchedulerBackend backend;

  @AfterEach
  void stop() throws Exception {
    if (backend != null) {
      backend.close();
    }
    if (master != null) {
      master.close();
    }
  }

  private HttpSchedulerBackend backend(Duration requestTimeout) {
    backend = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(master.uri())))
        .backoff(Duration.ofMillis(20), Duration.ofSeconds(1))
        .requestTimeout(requestTimeout)
        .build();
    backend.subscribe(INFO, new RecordingEvents());
    return backend;
  }

  @Test
  void anEndlessErrorBodyIsCutAndTheSubscriptionTriedAgain() throws Exception {
    master = RawMaster.start(out -> {
      out.write(head("503 Service Unavailable", "text/plain", null));
      return endless(out);
    });
    backend(Duration.ofSeconds(5));

    master.awaitConnections(2, Duration.ofSeconds(20));
    RawMaster.Answer first = master.answers.get(0);
    master.awaitEnd(first, Duration.ofSeconds(20));
    assertThat(first.closedByClient).as("the client stopped reading the first answer").isTrue();
    assertThat(first.bytes).isLessThan(BODY_BUDGET);
  }

  @Test
  void aStreamOfTheWrongTypeIsCancelledNotDownloaded() throws Exception {
    master = RawMaster.start(out -> {
      out.write(head("200 OK", "text/html", "stream-1"));
      return endless(out);
    });
    backend(Duration.ofSeconds(5));

    master.awaitConnections(1, Duration.ofSeconds(20));
    master.awaitEnd(master.answers.get(0), Duration.ofSeconds(20));
    assertThat(master.answers.get(0).closedByClient).isTrue();
    assertThat(master.answers.get(0).bytes).isLessThan(BODY_BUDGET);
  }

  @Test
  void aMasterSilentAfterItsHeadersIsLeftAfterTheRequestTimeout() throws Exception {
    AtomicBoolean release = new AtomicBoolean();
    master = RawMaster.start(out -> {
      out.write(head("200 OK", "application/x-protobuf", "stream-1"));
      out.flush();
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!release.get() && System.nanoTime() < until) {
        Thread.sleep(20); // headers, then nothing: the stream stays open and silent
      }
      return 0;
    });
    backend(Duration.ofMillis(500));

    master.awaitConnections(2, Duration.ofSeconds(20));
    release.set(true);
  }

  @Test
  void anErrorBodyThatTricklesForEverIsCutAtTheRequestTimeoutAndTriedAgain() throws Exception {
    master = RawMaster.start(out -> {
      out.write(head("503 Service Unavailable", "text/plain", null));
      out.flush();
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < until) {
        out.write('.'); // a byte now and then: never a whole body, never a read timeout
        out.flush();
        Thread.sleep(50);
      }
      return 0;
    });
    backend(Duration.ofMillis(500));

    master.awaitConnections(2, Duration.ofSeconds(20));
    RawMaster.Answer first = master.answers.get(0);
    master.awaitEnd(first, Duration.ofSeconds(20));
    assertThat(first.closedByClient).as("the client stopped reading the first answer").isTrue();
  }

  @Test
  void aCallWhoseAnswerTricklesForEverFailsAndFreesItsThread() throws Exception {
    AtomicInteger connection = new AtomicInteger();
    AtomicBoolean release = new AtomicBoolean();
    master = RawMaster.start(out -> {
      if (connection.getAndIncrement() == 0) {
        out.write(head("200 OK", "application/x-protobuf", "stream-1"));
        out.write(RawHttp.chunk(RecordIoDecoder.encode(org.apache.mesos.v1.scheduler.Protos.Event
            .newBuilder().setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.SUBSCRIBED)
            .setSubscribed(org.apache.mesos.v1.scheduler.Protos.Event.Subscribed.newBuilder()
                .setFrameworkId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder()
                    .setValue("fw-1"))
                .setHeartbeatIntervalSeconds(15))
            .build().toByteArray())));
        out.flush();
        while (!release.get()) {
          Thread.sleep(20); // the subscription stays open
        }
        return 0;
      }
      out.write(head("202 Accepted", "text/plain", null));
      long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (!release.get() && System.nanoTime() < until) {
        out.write(RawHttp.chunk(new byte[] {'.'})); // a byte now and then: the answer never ends
        out.flush();
        Thread.sleep(50);
      }
      return 0;
    });
    RecordingEvents events = new RecordingEvents();
    backend = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(master.uri())))
        .backoff(Duration.ofMillis(20), Duration.ofSeconds(1))
        .requestTimeout(Duration.ofMillis(300))
        .build();
    backend.subscribe(INFO, events);
    try {
      events.awaitLine("subscribed fw-1 15000ms", Duration.ofSeconds(10));
      // As many calls as the backend has call threads, all held by trickling answers: each
      // fails after twice the request timeout and its answer is cut, which frees its thread.
      List<java.util.concurrent.CompletableFuture<Void>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        calls.add(backend.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
            .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.REVIVE)));
      }
      for (var call : calls) {
        assertThat(call).failsWithin(Duration.ofSeconds(20))
            .withThrowableOfType(java.util.concurrent.ExecutionException.class)
            .withMessageContaining("had no whole answer within PT0.6S");
      }
      master.awaitConnections(5, Duration.ofSeconds(10));
      for (RawMaster.Answer answer : master.answers.subList(1, 5)) {
        master.awaitEnd(answer, Duration.ofSeconds(10));
        assertThat(answer.closedByClient).as("the client cut the trickling answer").isTrue();
      }
      // The threads are free again: a call is sent at once (and cut in its turn).
      var next = backend.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
          .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.REVIVE));
      master.awaitConnections(6, Duration.ofSeconds(10)); // a queued call would fail unsent
      assertThat(next).failsWithin(Duration.ofSeconds(20))
          .withThrowableOfType(java.util.concurrent.ExecutionException.class)
          .withMessageContaining("had no whole answer within PT0.6S");
    } finally {
      release.set(true);
    }
  }

  @Test
  void streamsBrokenBeforeSubscribedAreRetriedWithGrowingBackoff() throws Exception {
    master = RawMaster.start(out -> {
      out.write(head("200 OK", "application/x-protobuf", "stream-1"));
      byte[] record = "5\nabcde".getBytes(StandardCharsets.US_ASCII); // not an Event
      out.write(RawHttp.chunk(record));
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      return record.length;
    });
    backend(Duration.ofSeconds(5));

    Thread.sleep(2_000);
    // Pauses of 20 ms doubling up to 1 s, jittered down to half at most: the shortest possible
    // run of pauses, 10+20+40+80+160+320+500+500 ms, is 1.63 s, and one more makes 2.13 s; so
    // at most 9 attempts fit in 2 s, however fast the machine. With the count reset: ~100.
    assertThat(master.connections.get()).isBetween(2, 9);
  }

  /**
   * Fuzz, seeded: 40 connections answered with random wreckage (server errors with random
   * bodies, random bytes, RecordIO with random lengths and contents, headers cut short, silence
   * cut short), then a master that works. The backend survives every one of them in this small
   * heap, sends nothing to the framework before the real SUBSCRIBED, and subscribes in the end.
   */
  @Test
  void aMasterAnsweringRandomWreckageNeverBreaksTheBackendAndItSubscribesOnceTheMasterWorks()
      throws Exception {
    java.util.Random random = new java.util.Random(20261207L);
    int wrecks = 40;
    AtomicInteger connection = new AtomicInteger();
    AtomicBoolean release = new AtomicBoolean();
    master = RawMaster.start(out -> {
      int n = connection.getAndIncrement();
      if (n >= wrecks) {
        out.write(head("200 OK", "application/x-protobuf", "stream-ok"));
        out.write(RawHttp.chunk(RecordIoDecoder.encode(org.apache.mesos.v1.scheduler.Protos.Event
            .newBuilder().setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.SUBSCRIBED)
            .setSubscribed(org.apache.mesos.v1.scheduler.Protos.Event.Subscribed.newBuilder()
                .setFrameworkId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder()
                    .setValue("fw-ok"))
                .setHeartbeatIntervalSeconds(15))
            .build().toByteArray())));
        out.flush();
        while (!release.get()) {
          Thread.sleep(20);
        }
        return 0;
      }
      java.util.Random r;
      synchronized (random) {
        r = new java.util.Random(random.nextLong());
      }
      byte[] noise = new byte[r.nextInt(4096)];
      r.nextBytes(noise);
      switch (r.nextInt(6)) {
        case 0 -> { // a server error with a random body, maybe endless
          int[] statuses = {500, 502, 503, 504};
          out.write(head(statuses[r.nextInt(statuses.length)] + " Oops", "text/plain", null));
          if (r.nextBoolean()) {
            return endless(out);
          }
          out.write(RawHttp.chunk(noise));
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        case 1 -> { // a stream of random bytes
          out.write(head("200 OK", "application/x-protobuf", "stream-" + n));
          out.write(RawHttp.chunk(noise));
        }
        case 2 -> { // RecordIO framing with a random length, maybe absurd, and random content
          out.write(head("200 OK", "application/x-protobuf", "stream-" + n));
          long length = r.nextBoolean() ? r.nextInt(100) : Math.abs(r.nextLong());
          out.write(RawHttp.chunk((length + "\n").getBytes(StandardCharsets.US_ASCII)));
          out.write(RawHttp.chunk(noise));
        }
        case 3 -> { // well-framed records that are not events, or events before SUBSCRIBED
          out.write(head("200 OK", "application/x-protobuf", "stream-" + n));
          out.write(RawHttp.chunk(RecordIoDecoder.encode(noise)));
          out.write(RawHttp.chunk(RecordIoDecoder.encode(org.apache.mesos.v1.scheduler.Protos.Event
              .newBuilder().setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.HEARTBEAT)
              .build().toByteArray())));
          out.write(RawHttp.chunk(RecordIoDecoder.encode(org.apache.mesos.v1.scheduler.Protos.Event
              .newBuilder().setType(org.apache.mesos.v1.scheduler.Protos.Event.Type.RESCIND)
              .setRescind(org.apache.mesos.v1.scheduler.Protos.Event.Rescind.newBuilder()
                  .setOfferId(org.apache.mesos.v1.Protos.OfferID.newBuilder().setValue("o")))
              .build().toByteArray())));
        }
        case 4 -> { // headers cut short
          byte[] h = head("200 OK", "application/x-protobuf", "stream-" + n);
          out.write(java.util.Arrays.copyOf(h, r.nextInt(h.length)));
        }
        default -> { // headers, then a short silence, then the connection closes
          out.write(head("200 OK", "application/x-protobuf", "stream-" + n));
          out.flush();
          Thread.sleep(r.nextInt(200));
        }
      }
      return noise.length;
    });
    RecordingEvents events = new RecordingEvents();
    backend = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(master.uri())))
        .backoff(Duration.ofMillis(1), Duration.ofMillis(20))
        .requestTimeout(Duration.ofMillis(500))
        .build();
    backend.subscribe(INFO, events);
    try {
      events.awaitLine("subscribed fw-ok 15000ms", Duration.ofSeconds(45));
      assertThat(events.lines().get(0)).as("nothing reached the framework before SUBSCRIBED")
          .isEqualTo("subscribed fw-ok 15000ms");
      assertThat(connection.get()).isEqualTo(wrecks + 1);
    } finally {
      release.set(true);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static byte[] head(String status, String type, String streamId) {
    return ("HTTP/1.1 " + status + "\r\nContent-Type: " + type + "\r\n"
        + (streamId == null ? "" : "Mesos-Stream-Id: " + streamId + "\r\n")
        + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes 'x' chunks until the client goes away or the budget is spent; returns the bytes. */
  private static long endless(OutputStream out) throws IOException {
    byte[] piece = RawHttp.chunk("x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII));
    long sent = 0;
    while (sent < BODY_BUDGET) {
      out.write(piece);
      sent += piece.length;
    }
    return sent;
  }

  /** A loopback server that answers every connection with a scripted, raw HTTP answer. */
  static final class RawMaster implements AutoCloseable {
    interface Script {
      long answer(OutputStream out) throws Exception;
    }

    static final class Answer {
      volatile long bytes;
      volatile boolean closedByClient;
      volatile boolean ended;
    }

    final ServerSocket server;
    final AtomicInteger connections = new AtomicInteger();
    final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private RawMaster(ServerSocket server, Script script) {
      this.server = server;
      this.acceptor = RawHttp.acceptEach(server, "raw-master", socket -> {
        connections.incrementAndGet();
        Answer answer = new Answer();
        answers.add(answer);
        return () -> serve(socket, script, answer);
      });
    }

    static RawMaster start(Script script) throws IOException {
      return new RawMaster(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), script);
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private static void serve(Socket socket, Script script, Answer answer) {
      try (socket; InputStream in = socket.getInputStream();
          OutputStream raw = socket.getOutputStream()) {
        readRequest(in);
        OutputStream out = new java.io.FilterOutputStream(raw) {
          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            raw.write(b, off, len);
            answer.bytes += len;
          }
        };
        script.answer(out);
        out.flush();
      } catch (IOException e) {
        answer.closedByClient = true;
      } catch (Exception e) {
        throw new AssertionError(e);
      } finally {
        answer.ended = true;
      }
    }

    /** Reads the request head and its Content-Length body. */
    private static void readRequest(InputStream in) throws IOException {
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("request ended early");
        }
        head.append((char) b);
      }
      for (String line : head.toString().split("\r\n")) {
        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
          in.readNBytes(Integer.parseInt(line.substring(15).trim()));
        }
      }
    }

    /** Waits until the server is done with an answer: sent whole, or cut by the client. */
    void awaitEnd(Answer answer, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!answer.ended) {
        assertThat(System.nanoTime()).as("the answer ended within %s", timeout)
            .isLessThan(deadline);
        Thread.sleep(10);
      }
    }

    void awaitConnections(int count, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (connections.get() < count) {
        assertThat(System.nanoTime()).as("%d connections within %s, saw %d", count, timeout,
            connections.get()).isLessThan(deadline);
        Thread.sleep(10);
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
