package dev.mesoskit.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits on a framework's clock until tasks have their outcomes, as {@link Service#stop} does. */
final class OutcomeWait {
  /** How often a real clock is read while waiting. */
  private static final Duration POLL = Duration.ofMillis(20);

  private OutcomeWait() {}

  /**
   * Waits at most {@code timeout} until each task has its outcome. The deadline is on the
   * framework's clock, so a test with a manual clock decides when it passes; a real clock is read
   * at least every 20 ms.
   *
   * @param fw the framework that runs the tasks
   * @param ids the tasks
   * @param timeout how long to wait
   * @return the tasks' snapshots when every one ended or the time ran out, in the order of ids
   */
  static List<Task> await(Framework fw, List<TaskId> ids, Duration timeout) {
    CompletableFuture<?>[] outcomes = ids.stream().map(fw::outcome)
        .toArray(CompletableFuture[]::new);
    Clock clock = fw.clock();
    Instant deadline = clock.instant().plus(timeout);
    CompletableFuture<Void> all = CompletableFuture.allOf(outcomes);
    try {
      while (!all.isDone()) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          break;
        }
        try {
          all.get(Math.min(left.toNanos(), POLL.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // look at the clock again
        }
      }
    } catch (ExecutionException e) {
      // the snapshots say which tasks have no outcome
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ids.stream().map(id -> fw.task(id).orElseThrow()).toList();
  }
}
