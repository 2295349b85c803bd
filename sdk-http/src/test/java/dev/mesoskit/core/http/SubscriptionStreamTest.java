package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.http.SubscriptionStream.Kind;
import dev.mesoskit.core.http.SubscriptionStream.Outcome;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SubscriptionStream}'s ending, apart from any transport. */
class SubscriptionStreamTest {
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    timers.shutdownNow();
  }

  @Test
  void anAwaitInterruptedEndsTheStreamSoThatNothingEndsItLater() {
    SubscriptionStream<String> stream =
        new SubscriptionStream<>(new NoApi(), timers, Duration.ofSeconds(20), 1024);

    Thread.currentThread().interrupt();
    Outcome interrupted = stream.await();
    assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
    stream.end(Kind.RETRY, "a failure after the interrupt");

    assertThat(interrupted).isEqualTo(new Outcome(Kind.FATAL, "interrupted", null, false));
    assertThat(stream.await()).isEqualTo(interrupted);
  }

  /** An API whose every use is a mistake here. */
  private static final class NoApi implements SubscriptionStream.Api<String> {
    @Override
    public String parse(byte[] bytes, int offset, int length) {
      throw new AssertionError("parse");
    }

    @Override
    public String notAStream(ResponseHead response) {
      throw new AssertionError("notAStream");
    }

    @Override
    public void dispatch(SubscriptionStream<String> stream, String event) {
      throw new AssertionError("dispatch");
    }

    @Override
    public void refused(SubscriptionStream<String> stream, ResponseHead response, String body) {
      throw new AssertionError("refused");
    }

    @Override
    public boolean transientStatus(int status) {
      throw new AssertionError("transientStatus");
    }

    @Override
    public String describe(SubscriptionStream.Trouble trouble, String detail) {
      throw new AssertionError("describe");
    }

    @Override
    public void handlingFailed(Throwable e) {
      throw new AssertionError("handlingFailed");
    }
  }
}
