package dev.mesoskit.core.http;

import dev.mesoskit.core.spi.ClientThreads;
import dev.mesoskit.core.spi.PlainHttp;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * One call to a Mesos v1 API, for both backends: a blocking send on one of the backend's call
 * threads (not {@code HttpClient.sendAsync}, which hands every response to the JDK's default
 * async pool, and that starts a thread per response on a machine with two cores), its answer
 * read up to {@link BoundedText#ERROR_BODY_BYTES}, and an {@link #abort} that cuts an answer
 * whose time is up. Also the requests, client and threads the backends share.
 *
 * <p>Threading: {@link #abort} is safe from any thread; the response completes on the call
 * thread.
 */
final class CallExchange implements Abortable {
  /** The media type of calls and events. */
  static final String PROTOBUF = "application/x-protobuf";

  private final CompletableFuture<HttpResponse<String>> response = new CompletableFuture<>();
  /** One for the request: the client asks for a body subscriber once, following no redirect. */
  private final BoundedText body = BoundedText.upTo(BoundedText.ERROR_BODY_BYTES);
  /** The thread while it sends, else null. */
  private Thread sender; // guarded by this

  private CallExchange() {}

  /**
   * Sends {@code request} on one of {@code threads}. A call aborted while it waited for a thread
   * is never sent: the caller is never told "failed" about a call that then goes out.
   *
   * @throws java.util.concurrent.RejectedExecutionException when {@code threads} shut down
   */
  static CallExchange start(HttpClient client, HttpRequest request, Executor threads) {
    CallExchange exchange = new CallExchange();
    threads.execute(() -> exchange.send(client, request));
    return exchange;
  }

  /** Completes with the answer, or the failure to get it, or the failure it was aborted with. */
  CompletableFuture<HttpResponse<String>> response() {
    return response;
  }

  /**
   * Fails the call with {@code failure} unless it completed, and then cuts its answer: the body
   * download stops and a send under way is interrupted ({@code HttpClient.send} then cancels its
   * exchange).
   *
   * @return whether this failed the call
   */
  @Override
  public boolean abort(Throwable failure) {
    if (!response.completeExceptionally(failure)) {
      return false;
    }
    body.cancel();
    synchronized (this) {
      if (sender != null) {
        sender.interrupt();
      }
    }
    return true;
  }

  private void send(HttpClient client, HttpRequest request) {
    if (response.isDone()) {
      return; // failed while it waited for a thread: the caller was told it was not sent
    }
    synchronized (this) {
      sender = Thread.currentThread();
    }
    try {
      response.complete(client.send(request, info -> body));
    } catch (InterruptedException | IOException | RuntimeException | Error e) {
      response.completeExceptionally(e); // an Error too, as a Future from submit() would keep it
    } finally {
      synchronized (this) {
        sender = null;
        Thread.interrupted(); // an interrupt meant for this send never reaches the next task
      }
    }
  }

  /** A protobuf POST of {@code body} to the API at {@code path} of {@code base}. */
  static HttpRequest.Builder request(URI base, String path, Optional<String> authorization,
      byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", PROTOBUF)
        .header("Accept", PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    authorization.ifPresent(a -> b.header("Authorization", a));
    return b;
  }

  /** A backend's own client: HTTP/1.1, no redirects followed, at most 2 threads named so. */
  static HttpClient client(String threads, Duration connectTimeout) {
    return client(threads, connectTimeout, HttpClient.newBuilder());
  }

  /**
   * A client for calls alone (never an event stream): HTTP/1.1, no redirects followed, and a
   * direct executor, so the client's selector thread reads each answer into its
   * {@link BoundedText} and completes the waiting {@code send} itself instead of handing every
   * step of the exchange to a pool thread. That halves the client's CPU per call
   * ({@code AckPostCost}: jdk against jdk-direct). Only for calls: what runs on that thread must
   * never block, and a call's answer is read by {@link BoundedText} and completed to the thread
   * blocked in {@code send}, which runs the caller's code.
   */
  static HttpClient directClient(Duration connectTimeout) {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        .executor(Runnable::run)
        .build();
  }

  /**
   * {@link #client(String, Duration)} for a server known to speak plain HTTP only: it never
   * initializes TLS, see {@link PlainHttp}.
   */
  static HttpClient plainClient(String threads, Duration connectTimeout) {
    return client(threads, connectTimeout, PlainHttp.builder());
  }

  private static HttpClient client(String threads, Duration connectTimeout,
      HttpClient.Builder builder) {
    return builder
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(connectTimeout)
        // The default cached pool starts threads by the hundred; responses never block.
        .executor(ClientThreads.bounded(threads, 2, Duration.ofSeconds(30)))
        .build();
  }

  /** Daemon threads named {@code name}. */
  static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** The innermost cause of {@code e}, as text. */
  static String rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.toString();
  }
}
