package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProcessExitsTest {
  @Test
  void theActionRunsOnThePoolsThreadAfterTheEndAndOneThreadServesProcessAfterProcess()
      throws Exception {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      threads.incrementAndGet();
      return new Thread(r, "exits-test");
    });
    List<String> seen = new CopyOnWriteArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        Process process = new ProcessBuilder("/bin/sh", "-c", "exit " + (3 + i)).start();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ProcessExits.whenEnded(process, pool, () -> {
          seen.add(Thread.currentThread().getName() + " alive=" + process.isAlive() + " exit="
              + process.exitValue());
          done.complete(null);
        });
        done.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(seen).containsExactly("exits-test alive=false exit=3",
        "exits-test alive=false exit=4", "exits-test alive=false exit=5");
    assertThat(threads).hasValue(1);
  }

  @Test
  void aPoolShutDownWhileItWaitsEndsTheWaitWithoutTheAction() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Process process = new ProcessBuilder("/bin/sh", "-c", "sleep 30").start();
    AtomicBoolean ran = new AtomicBoolean();
    try {
      ProcessExits.whenEnded(process, pool, () -> ran.set(true));
      pool.shutdownNow();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      assertThat(ran).isFalse();
      assertThat(process.isAlive()).isTrue();
    } finally {
      process.destroyForcibly().waitFor();
    }
    assertThatThrownBy(() -> ProcessExits.whenEnded(process, pool, () -> ran.set(true)))
        .isInstanceOf(RejectedExecutionException.class);
    assertThat(ran).isFalse();
  }
}
