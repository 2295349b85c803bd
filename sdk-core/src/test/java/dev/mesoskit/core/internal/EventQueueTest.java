package dev.mesoskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event queue gives work back in the order it was queued, from any number of threads. */
class EventQueueTest {
  /** Work that names who queued it and its place among that thread's work. */
  private record Work(int thread, int seq) implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void givesWorkBackInTheOrderItWasQueued() {
    EventQueue queue = new EventQueue();
    List<Runnable> queued = new ArrayList<>();
    List<Runnable> polled = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Runnable w = new Work(0, i);
      queued.add(w);
      queue.add(w);
      if (i % 3 == 0) { // taken while more is queued behind it
        polled.add(queue.poll());
      }
    }
    Runnable w;
    while ((w = queue.poll()) != null) {
      polled.add(w);
    }
    assertThat(polled).isEqualTo(queued);
    assertThat(queue.isEmpty()).isTrue();
    assertThat(queue.poll()).isNull();
  }

  @Test
  void keepsTheOrderOfEachThreadAndLosesNothingWhenThreadsQueueAtOnce() throws Exception {
    EventQueue queue = new EventQueue();
    int threads = 4;
    int each = 20_000;
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      producers.add(new Thread(() -> {
        for (int i = 0; i < each; i++) {
          queue.add(new Work(thread, i));
        }
      }));
    }
    producers.forEach(Thread::start);
    int[] next = new int[threads];
    int taken = 0;
    while (taken < threads * each) {
      Runnable r = queue.poll();
      if (r == null) {
        Thread.onSpinWait();
        continue;
      }
      Work w = (Work) r;
      assertThat(w.seq()).as("work of thread %d", w.thread()).isEqualTo(next[w.thread()]);
      next[w.thread()]++;
      taken++;
    }
    for (Thread p : producers) {
      p.join();
    }
    assertThat(next).containsOnly(each);
    assertThat(queue.poll()).isNull();
  }
}
