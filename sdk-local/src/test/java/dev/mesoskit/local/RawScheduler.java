package dev.mesoskit.local;

import com.google.protobuf.util.JsonFormat;
import dev.mesoskit.core.http.RecordIoDecoder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;

/**
 * A raw v1 scheduler client for wire tests: subscribes in protobuf or JSON, collects every event,
 * and sends calls with the stream id, returning the exact HTTP status and body.
 */
public final class RawScheduler implements AutoCloseable {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .followRedirects(HttpClient.Redirect.NEVER).build();
  final URI endpoint;
  final boolean json;
  final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  final List<Event> seen = new ArrayList<>();
  volatile String streamId;
  volatile String contentType;
  volatile int subscribeStatus;
  private volatile Flow.Subscription subscription;
  final CompletableFuture<Void> ended = new CompletableFuture<>();

  public RawScheduler(URI master, boolean json) {
    this.endpoint = master.resolve("/api/v1/scheduler");
    this.json = json;
  }

  private String type() {
    return json ? "application/json" : "application/x-protobuf";
  }

  public byte[] encode(Call call) {
    try {
      return json ? JsonFormat.printer().print(call).getBytes(StandardCharsets.UTF_8)
          : call.toByteArray();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public Event decode(byte[] record) {
    try {
      if (!json) {
        return Event.parseFrom(record);
      }
      Event.Builder b = Event.newBuilder();
      JsonFormat.parser().merge(new String(record, StandardCharsets.UTF_8), b);
      return b.build();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Subscribes; returns once the response headers arrived. */
  public RawScheduler subscribe(Call subscribe) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(endpoint).header("Content-Type", type())
        .header("Accept", type()).POST(HttpRequest.BodyPublishers.ofByteArray(encode(subscribe)))
        .build();
    CompletableFuture<Void> headers = new CompletableFuture<>();
    RecordIoDecoder decoder = new RecordIoDecoder(1 << 24, r -> events.add(decode(r)));
    http.sendAsync(req, info -> {
      subscribeStatus = info.statusCode();
      streamId = info.headers().firstValue("Mesos-Stream-Id").orElse(null);
      contentType = info.headers().firstValue("Content-Type").orElse(null);
      headers.complete(null);
      return HttpResponse.BodySubscribers.fromSubscriber(new Flow.Subscriber<List<ByteBuffer>>() {
        @Override
        public void onSubscribe(Flow.Subscription s) {
          subscription = s;
          s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
          item.forEach(decoder::feed);
        }

        @Override
        public void onError(Throwable t) {
          ended.complete(null);
        }

        @Override
        public void onComplete() {
          ended.complete(null);
        }
      }, s -> null);
    });
    headers.get(10, TimeUnit.SECONDS);
    return this;
  }

  /** The next event matching, skipping heartbeats and others; fails after the timeout. */
  public Event next(Predicate<Event> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Event e = left > 0 ? events.poll(left, TimeUnit.NANOSECONDS) : null;
      if (e == null) {
        throw new AssertionError("no matching event within " + timeout + "; saw " + seen.stream()
            .map(Event::getType).toList());
      }
      seen.add(e);
      if (match.test(e)) {
        return e;
      }
    }
  }

  /** Every event received so far and not yet taken, without waiting. */
  public List<Event> drain() {
    List<Event> out = new ArrayList<>();
    events.drainTo(out);
    seen.addAll(out);
    return out;
  }

  /** Every event that arrives within {@code quiet}, from now. */
  public List<Event> drainFor(Duration quiet) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    long deadline = System.nanoTime() + quiet.toNanos();
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      Event e = events.poll(left, TimeUnit.NANOSECONDS);
      if (e != null) {
        out.add(e);
      }
    }
    seen.addAll(out);
    return out;
  }

  public Event next(Event.Type type, Duration timeout) throws InterruptedException {
    return next(e -> e.getType() == type, timeout);
  }

  /** Sends a call with the stream id; returns "status body". */
  public String call(Call call) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).header("Content-Type", type())
        .header("Accept", type()).POST(HttpRequest.BodyPublishers.ofByteArray(encode(call)));
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return (r.statusCode() + " " + r.body()).strip();
  }

  /**
   * One raw POST to the scheduler API of {@code master}, any header left out when null; returns
   * {@code "status body"}. Bounded: a master that answers 200 with an endless stream fails the
   * caller after 10 s instead of hanging it.
   */
  static String post(URI master, String contentType, String accept, byte[] body,
      String streamId) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(master.resolve("/api/v1/scheduler"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    HttpResponse<String> r = HttpClient.newHttpClient().sendAsync(b.build(),
        HttpResponse.BodyHandlers.ofString()).get(10, TimeUnit.SECONDS);
    return (r.statusCode() + " " + r.body()).strip();
  }

  /** One GET, bounded to 10 s; returns {@code "status body"}. */
  public static String get(URI uri) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().sendAsync(
        HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString())
        .get(10, TimeUnit.SECONDS);
    return (r.statusCode() + " " + r.body()).strip();
  }

  @Override
  public void close() {
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}
