package dev.mesoskit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {
  private final ManualScheduler loop = new ManualScheduler();

  @Test
  void runsTimersOnlyWhenVirtualTimeReachesThem() {
    List<String> ran = new ArrayList<>();
    loop.schedule(() -> ran.add("late"), 2, TimeUnit.SECONDS);
    loop.execute(() -> ran.add("now"));

    loop.advance(Duration.ofSeconds(2).minusNanos(1));
    assertThat(ran).containsExactly("now");
    loop.advance(Duration.ofNanos(1));
    assertThat(ran).containsExactly("now", "late");
    assertThat(loop.elapsed()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void doesNotRunAPeriodicJobAgainThatCancelledItselfWhileRunning() {
    AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
    List<Duration> runs = new ArrayList<>();
    self.set(loop.scheduleWithFixedDelay(() -> {
      runs.add(loop.elapsed());
      self.get().cancel(false);
    }, 1, 1, TimeUnit.SECONDS));

    loop.advance(Duration.ofSeconds(1));
    assertThat(loop.pendingDelays()).isEmpty();
    loop.advance(Duration.ofSeconds(5));

    assertThat(runs).containsExactly(Duration.ofSeconds(1));
  }
}
