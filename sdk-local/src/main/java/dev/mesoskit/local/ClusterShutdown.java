package dev.mesoskit.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a {@link LocalCluster} stops, once: its agents in parallel, then its master, then its work
 * directory when the cluster created it.
 *
 * <p>Threading: {@link #close()} is safe from any thread; the first caller stops the cluster and
 * every other caller waits until it has stopped.
 */
final class ClusterShutdown {
  /** Logs as the cluster, under whose name these lines have always been written. */
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  /**
   * Threads deleting the work directory on close: deleting is mostly waiting for the file system,
   * which takes many deletions at once (5,000 sandboxes: 1-3 s with 8 threads, 5-30 s with one).
   */
  private static final int DELETE_THREADS = 8;

  private final LocalMaster master;
  /** The cluster's agents, as it starts them. */
  private final List<LocalAgent> agents;
  private final Path workDir;
  private final boolean ownsWorkDir;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);

  ClusterShutdown(LocalMaster master, List<LocalAgent> agents, Path workDir,
      boolean ownsWorkDir) {
    this.master = master;
    this.agents = agents;
    this.workDir = workDir;
    this.ownsWorkDir = ownsWorkDir;
  }

  /** Stops the cluster; idempotent, and returns when it stopped, also to a second caller. */
  void close() {
    if (!closed.compareAndSet(false, true)) {
      awaitStopped();
      return;
    }
    try {
      stop();
    } finally {
      stopped.countDown();
    }
  }

  private void stop() {
    long start = System.nanoTime();
    int containers = 0;
    int sandboxes = 0;
    for (LocalAgent a : agents) {
      containers += a.containerCount();
      sandboxes += a.sandboxCount();
    }
    log.info("local cluster stopping: {} containers, {} work dir {} ({} sandboxes)", containers,
        ownsWorkDir ? "deleting" : "keeping", workDir, sandboxes);
    closeAgents();
    master.close();
    long agentsStopped = System.nanoTime();
    if (ownsWorkDir) {
      Sandboxes.Deletion deletion = Sandboxes.deleteInParallel(workDir, DELETE_THREADS);
      if (deletion.failures() > 0) {
        log.warn("cannot delete {} paths of work dir {} first={}", deletion.failures(),
            workDir, deletion.firstFailure().orElse(""));
      }
      long end = System.nanoTime();
      log.info("local cluster stopped in {} (processes and servers {}, work dir {}: {} files,"
          + " {} directories)", seconds(end - start), seconds(agentsStopped - start),
          seconds(end - agentsStopped), deletion.files(), deletion.directories());
    } else {
      log.info("local cluster stopped in {}", seconds(System.nanoTime() - start));
    }
  }

  /** Closes the agents, each on a thread of its own: each waits for its processes to exit. */
  private void closeAgents() {
    List<Thread> closing = new ArrayList<>();
    for (LocalAgent a : agents) {
      Thread thread = new Thread(() -> {
        try {
          a.close();
        } catch (RuntimeException e) {
          log.warn("agent did not close cleanly agent={} cause={}", a.id(), e.toString());
        }
      }, "mesoskit-local-close-" + a.id());
      thread.setDaemon(true);
      thread.start();
      closing.add(thread);
    }
    boolean interrupted = false;
    for (Thread thread : closing) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void awaitStopped() {
    boolean interrupted = false;
    while (true) {
      try {
        stopped.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }
}
