package dev.mesoskit.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class ArrayBodyPublisherTest {
  /** Records what a publisher emits; asks for {@code perRequest} items at a time, on demand. */
  private static final class Recorder implements Flow.Subscriber<ByteBuffer> {
    final List<String> events = new ArrayList<>();
    final List<ByteBuffer> pieces = new ArrayList<>();
    Flow.Subscription subscription;
    int depth;
    int deepest;
    long requestInOnNext = 1;

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      this.subscription = subscription;
      events.add("subscribed");
    }

    @Override
    public void onNext(ByteBuffer item) {
      pieces.add(item);
      events.add("next " + item.remaining());
      depth++;
      deepest = Math.max(deepest, depth);
      if (requestInOnNext > 0) {
        subscription.request(requestInOnNext);
      }
      depth--;
    }

    @Override
    public void onError(Throwable throwable) {
      events.add("error " + throwable.getMessage());
    }

    @Override
    public void onComplete() {
      events.add("complete");
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) i;
    }
    return b;
  }

  @Test
  void emitsReadOnlyViewsOfTheArrayInPiecesAndCompletes() {
    byte[] content = bytes(10);
    ArrayBodyPublisher publisher = new ArrayBodyPublisher(content, 4);
    Recorder r = new Recorder();
    publisher.subscribe(r);
    r.subscription.request(1);
    assertThat(publisher.contentLength()).isEqualTo(10);
    assertThat(r.events).containsExactly("subscribed", "next 4", "next 4", "next 2", "complete");
    assertThat(r.deepest).isEqualTo(1); // a request from onNext does not nest another onNext
    ByteBuffer joined = ByteBuffer.allocate(10);
    r.pieces.forEach(p -> {
      assertThat(p.isReadOnly()).isTrue();
      joined.put(p.duplicate());
    });
    assertThat(joined.array()).isEqualTo(content);
  }

  @Test
  void emitsOnlyWhatWasAskedFor() {
    Recorder r = new Recorder();
    r.requestInOnNext = 0;
    new ArrayBodyPublisher(bytes(10), 3).subscribe(r);
    r.subscription.request(2);
    assertThat(r.events).containsExactly("subscribed", "next 3", "next 3");
    r.subscription.request(5);
    assertThat(r.events).containsExactly("subscribed", "next 3", "next 3", "next 3", "next 1",
        "complete");
  }

  @Test
  void anEmptyBodyCompletesWithoutBeingAsked() {
    Recorder r = new Recorder();
    new ArrayBodyPublisher(new byte[0], 3).subscribe(r);
    assertThat(r.events).containsExactly("subscribed", "complete");
  }

  @Test
  void everySubscriptionStartsFromTheFirstByte() {
    ArrayBodyPublisher publisher = new ArrayBodyPublisher(bytes(5), 8);
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    publisher.subscribe(first);
    first.subscription.request(1);
    publisher.subscribe(second);
    second.subscription.request(Long.MAX_VALUE);
    second.subscription.request(Long.MAX_VALUE); // demand saturates instead of overflowing
    assertThat(first.events).containsExactly("subscribed", "next 5", "complete");
    assertThat(second.events).containsExactly("subscribed", "next 5", "complete");
  }

  @Test
  void aCancelledSubscriptionEmitsNoMore() {
    Recorder r = new Recorder();
    r.requestInOnNext = 0;
    new ArrayBodyPublisher(bytes(10), 3).subscribe(r);
    r.subscription.request(1);
    r.subscription.cancel();
    r.subscription.request(10);
    assertThat(r.events).containsExactly("subscribed", "next 3");
  }

  @Test
  void aRequestOfNothingIsAnErrorAndEndsTheSubscription() {
    Recorder r = new Recorder();
    new ArrayBodyPublisher(bytes(10), 3).subscribe(r);
    r.subscription.request(0);
    r.subscription.request(1);
    assertThat(r.events).containsExactly("subscribed",
        "error a subscriber must request > 0 items but requested 0");
  }

  @Test
  void refusesAPieceOfNoBytes() {
    assertThatThrownBy(() -> new ArrayBodyPublisher(new byte[1], 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pieceBytes must be >= 1 but was 0");
  }
}
