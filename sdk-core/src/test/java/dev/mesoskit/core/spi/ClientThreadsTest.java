package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ClientThreadsTest {

  @Test
  void runsEveryTaskOnAtMostTheGivenNumberOfNamedDaemonThreads() throws Exception {
    ExecutorService pool = ClientThreads.bounded("test-http", 2, Duration.ofSeconds(30));
    try {
      Set<Thread> used = ConcurrentHashMap.newKeySet();
      CountDownLatch release = new CountDownLatch(1);
      // Two tasks block, so the remaining 98 must queue rather than start more threads.
      List<Future<?>> futures = IntStream.range(0, 100).<Future<?>>mapToObj(i -> pool.submit(() -> {
        used.add(Thread.currentThread());
        if (i < 2) {
          release.await(10, TimeUnit.SECONDS);
        }
        return null;
      })).toList();
      assertThat(((ThreadPoolExecutor) pool).getQueue()).hasSize(98);
      release.countDown();
      for (Future<?> f : futures) {
        f.get(10, TimeUnit.SECONDS);
      }
      assertThat(used).hasSize(2);
      assertThat(used).allSatisfy(t -> {
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).matches("test-http-[12]");
      });
      assertThat(((ThreadPoolExecutor) pool).getLargestPoolSize()).isEqualTo(2);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void letsIdleThreadsEndSoAnIdleClientHoldsNoThread() throws Exception {
    ExecutorService pool = ClientThreads.bounded("test-idle", 2, Duration.ofMillis(50));
    try {
      pool.submit(() -> null).get(10, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (((ThreadPoolExecutor) pool).getPoolSize() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(((ThreadPoolExecutor) pool).getPoolSize()).isZero();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void refusesLessThanOneThreadOrANonPositiveIdleTime() {
    assertThatThrownBy(() -> ClientThreads.bounded("x", 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("threads must be >= 1 but was 0");
    assertThatThrownBy(() -> ClientThreads.bounded("x", 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idle must be positive but was PT0S");
  }
}
