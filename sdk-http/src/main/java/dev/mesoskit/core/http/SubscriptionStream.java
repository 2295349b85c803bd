package dev.mesoskit.core.http;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * One SUBSCRIBE to a Mesos v1 API and the answer it holds open, for both backends: the response
 * headers judged, the RecordIO records decoded and parsed into events, the watchdogs (SUBSCRIBED
 * within the request timeout of the headers, an error body that must end within it too, and
 * optionally a silence limit), and how the attempt ended.
 *
 * <p>The backend's {@link Api} parses and takes the events, judges headers and refusals, and
 * words every detail. The backend's loop thread opens a stream, waits in
 * {@link #await()} and decides what to do next. The SUBSCRIBE goes over the JDK's
 * {@code java.net.http} client ({@link #open(HttpClient, HttpRequest)}), whose threads then
 * deliver the events, or over a {@link BlockingPost} ({@link #open(BlockingPost, String)}), whose
 * reader thread of its own does; either way one at a time, in stream order.
 *
 * @param <E> the API's event type
 */
final class SubscriptionStream<E> implements Flow.Subscriber<List<ByteBuffer>> {
  /** How an attempt ended, for the backend's loop. */
  enum Kind {
    /** Not worth another attempt: refused for good, closed, interrupted, a scheduler's ERROR. */
    FATAL,
    /** The answer named another master ({@link Outcome#location}). */
    REDIRECT,
    /** The stream was subscribed, then broke. */
    DROPPED,
    /** Failed before SUBSCRIBED; worth another attempt. */
    RETRY
  }

  /**
   * How an attempt ended.
   *
   * @param kind what the loop does next
   * @param detail why, in the backend's words
   * @param location where a redirect points, else null
   * @param wasSubscribed whether SUBSCRIBED had come when it ended
   */
  record Outcome(Kind kind, String detail, URI location, boolean wasSubscribed) {}

  /** The endings whose detail the backend words. */
  enum Trouble {
    /** No answer: the detail is the root cause. */
    UNREACHABLE,
    /** An answer other than 200 whose body did not end in time: the detail is its status. */
    UNFINISHED_BODY,
    /** A 200 answer without SUBSCRIBED in time: no detail. */
    NO_SUBSCRIBED,
    /** The stream failed: the detail is the root cause. */
    BROKEN,
    /** The master or agent ended the stream: no detail. */
    CLOSED
  }

  /**
   * One API's side of a stream, given by its backend for each attempt: what differs between the
   * scheduler and the executor API.
   */
  interface Api<E> {
    /**
     * Parses one record, {@code length} bytes of {@code bytes} from {@code offset}, which are
     * valid during this call only.
     *
     * @throws MesosKitException naming the master or agent, when the record is no event
     */
    E parse(byte[] bytes, int offset, int length);

    /** Why a 200 answer with these headers is not the API's event stream; null to read it. */
    String notAStream(ResponseHead response);

    /**
     * Whether a 200 answer that {@link #notAStream} refused is worth another attempt; by default
     * it is.
     */
    default Kind notAStreamKind(ResponseHead response) {
      return Kind.RETRY;
    }

    /**
     * Runs {@code deliveries}, which parses and takes the events of one read, as one batch of
     * events; by default it just runs it.
     */
    default void batch(Runnable deliveries) {
      deliveries.run();
    }

    /** Takes one event, on the stream's delivering thread; what it throws ends the stream. */
    void dispatch(SubscriptionStream<E> stream, E event);

    /**
     * Ends {@code stream} for an answer other than 200, whose body was read whole up to its bound.
     */
    void refused(SubscriptionStream<E> stream, ResponseHead response, String body);

    /** Whether an answer with this status, other than 200, is worth another attempt. */
    boolean transientStatus(int status);

    /** The detail of an ending, in the backend's words. */
    String describe(Trouble trouble, String detail);

    /**
     * Logs an event handler's failure, which ends the stream: an exception, or on a
     * {@link BlockingPost}'s reader thread also an {@link Error}, which is not rethrown.
     */
    void handlingFailed(Throwable e);
  }

  /** The most bytes one read of a {@link BlockingPost}'s stream takes. */
  private static final int READ_BYTES = 16 * 1024;

  private final Api<E> api;
  private final ScheduledExecutorService timers;
  private final Duration requestTimeout;
  private final CompletableFuture<Outcome> ended = new CompletableFuture<>();
  private final RecordIoDecoder decoder;
  private volatile Flow.Subscription subscription;
  private volatile BoundedText errorBody;
  /** The SUBSCRIBE when it goes over a {@link BlockingPost}, else null. */
  private volatile BlockingPost post;
  /** The thread that reads a {@link BlockingPost}'s answer, else null. */
  private volatile Thread reader;
  /** Ends a {@link BlockingPost}'s SUBSCRIBE not answered within the request timeout. */
  private volatile ScheduledFuture<?> sendCheck;
  private volatile ScheduledFuture<?> subscribedCheck;
  private volatile ScheduledFuture<?> silenceCheck;
  private volatile boolean subscribed;
  private volatile long lastRecordNanos = System.nanoTime();

  /**
   * A stream not yet opened.
   *
   * @param api the backend's side of this attempt
   * @param timers runs the watchdogs
   * @param requestTimeout how long SUBSCRIBED (or the end of an error body) may take after the
   *     response headers
   * @param maxRecordBytes the longest event record accepted
   */
  SubscriptionStream(Api<E> api, ScheduledExecutorService timers, Duration requestTimeout,
      int maxRecordBytes) {
    this.api = api;
    this.timers = timers;
    this.requestTimeout = requestTimeout;
    this.decoder = new RecordIoDecoder(maxRecordBytes, this::onRecord);
  }

  /** A refused SUBSCRIBE is tried again on a server error, a timeout or throttling. */
  static Kind kindOf(int status) {
    return status >= 500 || status == 408 || status == 429 ? Kind.RETRY : Kind.FATAL;
  }

  /** Sends the SUBSCRIBE {@code request}; the answer ends the stream or feeds it. */
  void open(HttpClient client, HttpRequest request) {
    client.sendAsync(request, this::handle).whenComplete((r, e) -> {
      if (e != null) {
        end(Kind.RETRY, api.describe(Trouble.UNREACHABLE, PeerTrouble.unreachable(e, request.uri())));
      } else if (r.statusCode() != 200) {
        api.refused(this, ResponseHead.of(r.statusCode(), r.headers()), r.body());
      }
    });
  }

  /**
   * Sends the SUBSCRIBE {@code post} on a daemon thread of its own named {@code thread}, which
   * then reads the answer and delivers its events until the stream ends; {@link #cancel} aborts
   * the post, which ends a read blocked on it.
   */
  void open(BlockingPost post, String thread) {
    this.post = post;
    Thread t = new Thread(new Runnable() {
      @Override
      public void run() {
        try {
          read(post);
        } catch (RuntimeException | Error e) {
          // An event handler or the backend's Api failed: logged and the stream ends; not
          // rethrown, where the default handler would print it past the application's logging.
          api.handlingFailed(e);
          end(broken(), api.describe(Trouble.BROKEN, CallExchange.rootCause(e)));
        }
      }
    }, thread);
    t.setDaemon(true);
    reader = t;
    t.start();
    if (ended.isDone()) { // ended meanwhile: cancel() may have run before the post was set
      cancel();
    }
  }

  /**
   * Waits at most {@code max} for the thread that reads a {@link BlockingPost}'s answer to end,
   * unless the caller is that thread; returns at once for a stream of the JDK's client.
   *
   * @return whether no such thread is left running
   */
  boolean awaitReader(Duration max) throws InterruptedException {
    Thread t = reader;
    if (t == null || t == Thread.currentThread()) {
      return true;
    }
    t.join(Math.max(1, max.toMillis()));
    return !t.isAlive();
  }

  /** Whether the caller is the thread that reads a {@link BlockingPost}'s answer. */
  boolean onReader() {
    return reader == Thread.currentThread();
  }

  /** Waits until the stream ends, then cancels what is left of it. */
  Outcome await() {
    try {
      return ended.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      end(Kind.FATAL, "interrupted"); // no event is dispatched after this returns
      return new Outcome(Kind.FATAL, "interrupted", null, subscribed);
    } catch (ExecutionException e) {
      return new Outcome(Kind.RETRY, CallExchange.rootCause(e), null, subscribed);
    } finally {
      cancel();
    }
  }

  /** Whether SUBSCRIBED came. */
  boolean subscribed() {
    return subscribed;
  }

  /** Records that SUBSCRIBED came, which stops the watchdog waiting for it. */
  void markSubscribed() {
    subscribed = true;
    ScheduledFuture<?> check = subscribedCheck;
    if (check != null) {
      check.cancel(false);
    }
  }

  /**
   * Ends the stream as {@link Kind#DROPPED} when no record came for {@code limitNanos}, checked
   * every {@code periodNanos}. Unlike the SUBSCRIBED watchdog, a closing backend's
   * RejectedExecutionException reaches the caller (the event handler), which ends the stream.
   *
   * @param detail the detail, given how long the stream was silent in nanoseconds
   */
  void watchSilence(long limitNanos, long periodNanos, LongFunction<String> detail) {
    silenceCheck = timers.scheduleAtFixedRate(() -> {
      long silent = System.nanoTime() - lastRecordNanos;
      if (silent > limitNanos) {
        end(Kind.DROPPED, detail.apply(silent));
      }
    }, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    if (ended.isDone()) { // ended meanwhile: cancel() may have run before the check was set
      cancel();
    }
  }

  /** Ends the stream, unless it ended already. */
  void end(Kind kind, String detail) {
    end(kind, detail, null);
  }

  /** Ends the stream, unless it ended already. */
  void end(Kind kind, String detail, URI location) {
    if (ended.complete(new Outcome(kind, detail, location, subscribed))) {
      cancel();
    }
  }

  /** Stops the watchdogs and the download. */
  void cancel() {
    for (ScheduledFuture<?> check : Arrays.asList(sendCheck, subscribedCheck, silenceCheck)) {
      if (check != null) {
        check.cancel(false);
      }
    }
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    BlockingPost p = post;
    if (p != null) {
      p.abort();
    }
    BoundedText body = errorBody;
    if (body != null) {
      body.cancel();
    }
  }

  private HttpResponse.BodySubscriber<String> handle(HttpResponse.ResponseInfo info) {
    int status = info.statusCode();
    ResponseHead response = ResponseHead.of(status, info.headers());
    if (status != 200) {
      // The answer is judged on its whole (short) body; a body that never ends must not hold
      // the backend: past the request timeout it is cut and judged on its status alone.
      BoundedText body = BoundedText.upTo(BoundedText.ERROR_BODY_BYTES);
      errorBody = body;
      watch(api.transientStatus(status) ? Kind.RETRY : Kind.FATAL,
          api.describe(Trouble.UNFINISHED_BODY, String.valueOf(status)));
      return body;
    }
    String rejection = api.notAStream(response);
    if (rejection != null) {
      end(api.notAStreamKind(response), rejection);
      return BoundedText.upTo(0); // cancels the download: a rejected stream is not read
    }
    // A master or agent that sends the headers and then nothing (or anything but SUBSCRIBED) must
    // not hold the backend: the request timeout covered the headers, this covers SUBSCRIBED.
    watch(Kind.RETRY, api.describe(Trouble.NO_SUBSCRIBED, null));
    return HttpResponse.BodySubscribers.fromSubscriber(this, s -> null);
  }

  /** Ends the attempt with {@code detail} unless SUBSCRIBED came within the request timeout. */
  private void watch(Kind kind, String detail) {
    try {
      subscribedCheck = timers.schedule(() -> {
        if (!subscribed) {
          end(kind, detail);
        }
      }, requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      end(Kind.FATAL, "closed"); // the backend is closing
    }
    if (ended.isDone()) { // ended meanwhile: cancel() may have run before the check was set
      cancel();
    }
  }

  /** Before SUBSCRIBED nothing succeeded yet: the loop backs off as for any failed attempt. */
  private Kind broken() {
    return subscribed ? Kind.DROPPED : Kind.RETRY;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (ended.isDone()) {
      s.cancel();
      return;
    }
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> chunks) {
    if (deliver(() -> {
      for (ByteBuffer chunk : chunks) {
        decoder.feed(chunk);
      }
    }) && !ended.isDone()) {
      subscription.request(1);
    }
  }

  /**
   * Runs {@code feed}, which feeds the decoder the bytes of one read, as one batch of events; a
   * failure ends the stream.
   *
   * @return whether the stream goes on
   */
  private boolean deliver(Runnable feed) {
    try {
      api.batch(feed);
      return true;
    } catch (MesosKitException e) {
      end(broken(), e.getMessage());
      return false;
    } catch (RuntimeException e) {
      api.handlingFailed(e);
      end(broken(), "event handling failed: " + e);
      return false;
    } catch (Error e) {
      // Logged, and the stream ends as broken, in the words a failed read gets: on the JDK
      // client's threads too, where it would otherwise reach the client unlogged.
      api.handlingFailed(e);
      end(broken(), api.describe(Trouble.BROKEN, CallExchange.rootCause(e)));
      return false;
    }
  }

  /**
   * The reader thread of a {@link BlockingPost}: sends it, judges the answer as
   * {@link #handle} does, then feeds the stream's bytes to the decoder until it ends.
   */
  private void read(BlockingPost p) {
    // The socket's timeouts bound the connect and the reads of the head, not the name's look-up
    // nor a write to a peer that accepts but does not read (a big SUBSCRIBE to a hung agent
    // blocks for good): as the JDK client's request timeout, this covers all up to the head.
    try {
      sendCheck = timers.schedule(new Runnable() {
        @Override
        public void run() {
          end(Kind.RETRY, api.describe(Trouble.UNREACHABLE,
              PeerTrouble.unreachable(p.timeout(), p.target())));
        }
      }, requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      end(Kind.FATAL, "closed"); // the backend is closing
      return;
    }
    if (ended.isDone()) { // ended meanwhile: cancel() may have run before the check was set
      cancel();
    }
    ResponseHead response;
    try {
      response = p.send();
    } catch (IOException e) {
      end(Kind.RETRY, api.describe(Trouble.UNREACHABLE, PeerTrouble.unreachable(e, p.target())));
      return;
    } finally {
      sendCheck.cancel(false);
    }
    int status = response.status();
    if (status != 200) {
      // As handle(): judged on the whole (short) body, which must end within the request timeout.
      watch(api.transientStatus(status) ? Kind.RETRY : Kind.FATAL,
          api.describe(Trouble.UNFINISHED_BODY, String.valueOf(status)));
      String body;
      try {
        body = p.text(BoundedText.ERROR_BODY_BYTES);
      } catch (IOException e) {
        return; // aborted: the stream ended already
      }
      api.refused(this, response, body);
      return;
    }
    String rejection = api.notAStream(response);
    if (rejection != null) {
      end(api.notAStreamKind(response), rejection); // aborts the post: the stream is not read
      return;
    }
    watch(Kind.RETRY, api.describe(Trouble.NO_SUBSCRIBED, null));
    InputStream in = p.body();
    byte[] buffer = new byte[READ_BYTES];
    int[] read = new int[1];
    Runnable feed = new Runnable() {
      @Override
      public void run() {
        decoder.feed(buffer, 0, read[0]);
      }
    };
    try {
      while (!ended.isDone()) {
        read[0] = in.read(buffer, 0, buffer.length);
        if (read[0] < 0) {
          onComplete();
          return;
        }
        if (!deliver(feed)) {
          return;
        }
      }
    } catch (IOException e) {
      if (!ended.isDone()) {
        onError(e);
      }
    }
  }

  @Override
  public void onError(Throwable t) {
    end(broken(), api.describe(Trouble.BROKEN, CallExchange.rootCause(t)));
  }

  @Override
  public void onComplete() {
    end(broken(), api.describe(Trouble.CLOSED, null));
  }

  private void onRecord(byte[] bytes, int offset, int length) {
    if (ended.isDone()) {
      return;
    }
    lastRecordNanos = System.nanoTime();
    api.dispatch(this, api.parse(bytes, offset, length));
  }
}
