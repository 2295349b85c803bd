package dev.mesoskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.FrameworkObserver;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime measures durations on its configured source, and only when someone observes. */
class ObserversTest {
  private final ManualScheduler loop = new ManualScheduler();
  private final FakeBackend backend = new FakeBackend();
  /** The durations' source: counts its reads, and moves 7 ms per read. */
  private final AtomicLong nanoReads = new AtomicLong();
  private FrameworkRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private void runOneLaunch(List<FrameworkObserver> observers) {
    FrameworkInfo info = new FrameworkInfo("test", "root", List.of("*"), Optional.empty(),
        Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(), Set.of());
    RuntimeConfig config = new RuntimeConfig(info, backend, PackingStrategy.firstFit(),
        RetryPolicy.defaults(), FrameworkIdStore.inMemory(), List.of(), List.of(), observers,
        loop.clock(), loop, false, new Random(7), Duration.ofSeconds(5), Duration.ofSeconds(1),
        Duration.ofMinutes(1), Duration.ofMinutes(10), Optional.empty(),
        () -> nanoReads.incrementAndGet() * 7_000_000L);
    runtime = new FrameworkRuntime(config);
    runtime.start();
    backend.subscribed("fw-1");
    runtime.submit(TaskSpec.builder().id("t1").name("t1").resources("cpus:1;mem:128")
        .command("sleep 1").build());
    loop.runPending();
    backend.offer("a1", "cpus:1;mem:128");
    loop.runPending();
  }

  @Test
  void withoutObserversNoDurationIsMeasured() {
    runOneLaunch(List.of());

    assertThat(nanoReads).hasValue(0);
    assertThat(backend.calls()).anyMatch(c -> c.startsWith("accept"));
  }

  @Test
  void packingPassAndLagAreMeasuredOnTheDurationsSourceNotOnTheClock() {
    List<Duration> passes = new ArrayList<>();
    List<Duration> lags = new ArrayList<>();
    runOneLaunch(List.of(new FrameworkObserver() {
      @Override
      public void packingPass(Duration took, int placed, int pending) {
        passes.add(took);
      }

      @Override
      public void eventLoopLag(Duration lag) {
        lags.add(lag);
      }
    }));

    // The virtual clock never moved; the source moved 7 ms with every read.
    assertThat(loop.elapsed()).isEqualTo(Duration.ZERO);
    assertThat(passes).containsExactly(Duration.ofMillis(7));
    assertThat(lags).isNotEmpty().allMatch(l -> l.compareTo(Duration.ofMillis(7)) >= 0);
  }
}
