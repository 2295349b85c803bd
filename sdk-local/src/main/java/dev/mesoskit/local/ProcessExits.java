package dev.mesoskit.local;

import java.util.concurrent.Executor;

/**
 * Runs an action when a process ends, on a thread of the caller's pool. {@code Process.onExit()}
 * hands its completion to {@code CompletableFuture}'s default executor, and on a machine with
 * fewer than 3 cores (a common pool of parallelism 1) that executor starts a new thread for
 * every call: one thread created and ended per task. Here a thread of {@code threads} waits for
 * the exit and then runs the action, so a cached pool's threads serve one process after another.
 * The price: one waiting thread per running process, next to the reaper thread the JDK already
 * keeps for each.
 */
final class ProcessExits {
  private ProcessExits() {}

  /**
   * Runs {@code action} on one of {@code threads} once {@code process} has ended. A wait
   * interrupted (the pool shut down) ends without the action: whoever shut the pool down ends the
   * process too.
   *
   * @throws java.util.concurrent.RejectedExecutionException when {@code threads} is shut down
   */
  static void whenEnded(Process process, Executor threads, Runnable action) {
    threads.execute(() -> {
      try {
        process.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      action.run();
    });
  }
}
