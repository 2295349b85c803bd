package dev.mesoskit.core.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read as text up to a bound: what a master answers besides its event stream is a
 * short message, and a peer that sends an endless or huge body must cost neither the heap nor a
 * connection that keeps downloading. Past the bound the download is cancelled and the text ends
 * with {@code ... (cut at N bytes)}.
 */
final class BoundedText implements HttpResponse.BodySubscriber<String> {
  /** The most of an error answer a backend reads: Mesos' messages are one line. */
  static final int ERROR_BODY_BYTES = 64 * 1024;

  private final int limit;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final CompletableFuture<String> body = new CompletableFuture<>();
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  private BoundedText(int limit) {
    this.limit = limit;
  }

  /** A subscriber keeping at most {@code limit} bytes; 0 cancels the download at once. */
  static BoundedText upTo(int limit) {
    return new BoundedText(limit);
  }

  @Override
  public CompletionStage<String> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (limit == 0 || cancelled) {
      s.cancel();
      body.complete("");
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer b : items) {
      int n = Math.min(b.remaining(), limit - out.size());
      boolean beyond = n < b.remaining();
      byte[] bytes = new byte[n];
      b.get(bytes);
      out.write(bytes, 0, n);
      if (beyond) {
        subscription.cancel();
        body.complete(text() + "... (cut at " + limit + " bytes)");
        return;
      }
    }
    subscription.request(1);
  }

  @Override
  public void onError(Throwable failure) {
    body.complete(text()); // the part that came says what the peer meant, if anything
  }

  @Override
  public void onComplete() {
    body.complete(text());
  }

  /**
   * Stops the download from another thread (its time is up, or the client closes), now or as soon
   * as it starts; the body then never completes.
   */
  void cancel() {
    cancelled = true;
    Flow.Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }

  private String text() {
    return out.toString(StandardCharsets.UTF_8);
  }
}
