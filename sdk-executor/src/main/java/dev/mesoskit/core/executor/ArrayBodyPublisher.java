package dev.mesoskit.core.executor;

import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body that hands the HTTP client read-only views of one byte array, piece by piece,
 * instead of copies. The JDK's {@code BodyPublishers.ofByteArray} copies the whole array into
 * new buffers on every subscription: for an upload of a 24 MB image that is 24 MB more garbage
 * and one more pass over the bytes. The array must not change while the request is sent
 * ({@link TaskContext#upload(String, byte[])} says so); a change shows at the server as a
 * SHA-256 that does not match, and nothing is stored.
 *
 * <p>Threading: each subscription emits on the thread that asks for more (a guard keeps a
 * request from within {@code onNext} from nesting); safe from any thread.
 */
final class ArrayBodyPublisher implements HttpRequest.BodyPublisher {
  private final byte[] content;
  private final int pieceBytes;

  /**
   * A body of {@code content}, in pieces of at most {@code pieceBytes}.
   *
   * @param content the bytes, not copied
   * @param pieceBytes the largest piece handed to the client at a time, at least 1
   */
  ArrayBodyPublisher(byte[] content, int pieceBytes) {
    this.content = Objects.requireNonNull(content, "content must not be null");
    if (pieceBytes < 1) {
      throw new IllegalArgumentException("pieceBytes must be >= 1 but was " + pieceBytes);
    }
    this.pieceBytes = pieceBytes;
  }

  @Override
  public long contentLength() {
    return content.length;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber must not be null");
    Pieces pieces = new Pieces(subscriber);
    subscriber.onSubscribe(pieces);
    pieces.drain(); // an empty body completes without being asked
  }

  /** One subscriber's walk through the array. */
  private final class Pieces implements Flow.Subscription {
    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger draining = new AtomicInteger();
    private volatile boolean cancelled;
    private int position; // guarded by draining
    private boolean done; // guarded by draining

    Pieces(Flow.Subscriber<? super ByteBuffer> subscriber) {
      this.subscriber = subscriber;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancelled = true;
        subscriber.onError(new IllegalArgumentException(
            "a subscriber must request > 0 items but requested " + n));
        return;
      }
      demand.getAndAccumulate(n, (a, b) -> a + b < 0 ? Long.MAX_VALUE : a + b);
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    void drain() {
      if (draining.getAndIncrement() != 0) {
        return; // the thread already draining sees the new demand
      }
      do {
        while (!cancelled && !done) {
          if (position == content.length) {
            done = true;
            subscriber.onComplete();
            break;
          }
          if (demand.get() == 0) {
            break;
          }
          demand.decrementAndGet();
          int length = Math.min(pieceBytes, content.length - position);
          ByteBuffer piece = ByteBuffer.wrap(content, position, length).slice()
              .asReadOnlyBuffer();
          position += length;
          subscriber.onNext(piece);
        }
      } while (draining.decrementAndGet() != 0);
    }
  }
}
