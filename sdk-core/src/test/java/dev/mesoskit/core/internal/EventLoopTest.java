package dev.mesoskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.FrameworkObserver;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.RetryPolicy;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The event loop runs queued work in order, handing the executor one drain per batch. */
class EventLoopTest {
  private final ManualScheduler executor = new ManualScheduler();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<Throwable> failures = new ArrayList<>();
  private final List<String> ran = new CopyOnWriteArrayList<>();
  private final EventLoop loop = loop(List.of());

  private EventLoop loop(List<FrameworkObserver> observers) {
    FrameworkInfo info = new FrameworkInfo("test", "root", List.of("*"), Optional.empty(),
        Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(), Set.of());
    RuntimeConfig config = new RuntimeConfig(info, new FakeBackend(), PackingStrategy.firstFit(),
        RetryPolicy.defaults(), FrameworkIdStore.inMemory(), List.of(), List.of(), observers,
        executor.clock(), executor, false, new Random(7), Duration.ofSeconds(5),
        Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofMinutes(10), Optional.empty(),
        () -> executor.elapsed().toNanos());
    return new EventLoop(config, new Observers("test", observers), stopped::get, () -> false,
        failures::add);
  }

  private Runnable note(String what) {
    return () -> ran.add(what);
  }

  @Test
  void runsQueuedWorkInOrderWithOneExecutorTaskPerBatchOf256() {
    for (int i = 0; i < 600; i++) {
      loop.enqueue(note("w" + i));
    }

    assertThat(executor.pendingDelays()).containsExactly(Duration.ZERO);
    assertThat(executor.runPending()).isEqualTo(3); // 256, 256, then the last 88
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 600; i++) {
      expected.add("w" + i);
    }
    assertThat(ran).isEqualTo(expected);
    assertThat(executor.pendingDelays()).isEmpty();
  }

  @Test
  void workQueuedWhileTheLoopRunsJoinsTheSameDrain() {
    loop.enqueue(() -> {
      ran.add("first");
      loop.enqueue(note("queued by the first"));
    });
    loop.enqueue(note("second"));

    assertThat(executor.runPending()).isEqualTo(1);
    assertThat(ran).containsExactly("first", "second", "queued by the first");
  }

  @Test
  void aBatchHandsItsWorkToTheExecutorOnceWhenItEnds() {
    List<List<Duration>> pendingDuringBatch = new ArrayList<>();
    loop.batch(() -> {
      loop.enqueue(note("a"));
      loop.enqueue(note("b"));
      pendingDuringBatch.add(executor.pendingDelays());
      loop.enqueue(note("c"));
    });

    assertThat(pendingDuringBatch).containsExactly(List.of());
    assertThat(executor.pendingDelays()).containsExactly(Duration.ZERO);
    assertThat(executor.runPending()).isEqualTo(1);
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void workQueuedByAnotherThreadDuringABatchKeepsItsPlaceAndIsHandedOverAtOnce()
      throws InterruptedException {
    List<List<Duration>> pendingDuringBatch = new ArrayList<>();
    loop.batch(() -> {
      loop.enqueue(note("batch 1"));
      Thread other = new Thread(() -> loop.enqueue(note("other thread")));
      other.start();
      try {
        other.join();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      pendingDuringBatch.add(executor.pendingDelays());
      loop.enqueue(note("batch 2"));
    });

    assertThat(pendingDuringBatch).containsExactly(List.of(Duration.ZERO));
    executor.runPending();
    assertThat(ran).containsExactly("batch 1", "other thread", "batch 2");
  }

  @Test
  void aBatchWithinABatchEndsWithTheOuterOne() {
    List<List<Duration>> pendingAfterInner = new ArrayList<>();
    loop.batch(() -> {
      loop.batch(() -> loop.enqueue(note("inner")));
      pendingAfterInner.add(executor.pendingDelays());
      loop.enqueue(note("outer"));
    });

    assertThat(pendingAfterInner).containsExactly(List.of());
    executor.runPending();
    assertThat(ran).containsExactly("inner", "outer");
  }

  @Test
  void aBatchThatThrowsStillHandsOverWhatItQueued() {
    assertThatThrownBy(() -> loop.batch(() -> {
      loop.enqueue(note("before the failure"));
      throw new IllegalStateException("decoding failed");
    })).isInstanceOf(IllegalStateException.class).hasMessage("decoding failed");

    executor.runPending();
    assertThat(ran).containsExactly("before the failure");
  }

  @Test
  void aTimerWithoutDelayKeepsItsPlaceAmongQueuedWork() {
    loop.enqueue(note("a"));
    loop.schedule(note("timer in 1 s"), Duration.ofSeconds(1));
    loop.schedule(note("timer now"), Duration.ZERO);
    loop.enqueue(note("b"));

    executor.runPending();
    assertThat(ran).containsExactly("a", "timer now", "b");
    executor.advance(Duration.ofSeconds(1));
    assertThat(ran).containsExactly("a", "timer now", "b", "timer in 1 s");
  }

  @Test
  void workThatThrowsFailsTheFrameworkAndTheRestStillRuns() {
    IllegalStateException boom = new IllegalStateException("boom");
    loop.enqueue(() -> {
      throw boom;
    });
    loop.enqueue(note("after"));

    executor.runPending();
    assertThat(failures).containsExactly(boom);
    assertThat(ran).containsExactly("after"); // dropped only once the framework says it stopped
  }

  @Test
  void onceStoppedQueuedWorkIsDroppedButWorkAfterItRuns() {
    loop.enqueue(note("dropped"));
    loop.runAfterQueued(note("after the queued work"));
    stopped.set(true);

    executor.runPending();
    assertThat(ran).containsExactly("after the queued work");
  }

  @Test
  void workAfterTheQueuedWorkRunsOnTheCallerWhenTheExecutorTakesNoMore() {
    executor.shutdownNow();
    stopped.set(true);

    loop.enqueue(note("dropped"));
    loop.runAfterQueued(note("on the caller"));

    assertThat(ran).containsExactly("on the caller");
  }

  @Test
  void anExecutorShutDownByItsOwnerIsAnErrorWhileTheFrameworkRuns() {
    executor.shutdownNow();

    assertThatThrownBy(() -> loop.enqueue(note("never")))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("framework test event loop rejected work: it was shut down by someone else");
  }

  @Test
  void eachQueuedPieceOfWorkReportsItsOwnLag() {
    List<Duration> lags = new ArrayList<>();
    EventLoop observed = loop(List.of(new FrameworkObserver() {
      @Override
      public void eventLoopLag(Duration lag) {
        lags.add(lag);
      }
    }));
    observed.enqueue(note("queued at 0"));
    executor.stall(Duration.ofMillis(40));
    observed.enqueue(note("queued at 40 ms"));
    executor.stall(Duration.ofMillis(10));

    executor.runPending();
    assertThat(lags).containsExactly(Duration.ofMillis(50), Duration.ofMillis(10));
  }
}
