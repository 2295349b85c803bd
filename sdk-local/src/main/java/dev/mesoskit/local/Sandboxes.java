package dev.mesoskit.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sandboxes of a {@link LocalAgent}, garbage-collected as a Mesos agent collects them
 * ({@code --gc_delay}, {@code --gc_disk_headroom}, {@code --disk_watch_interval}): when a
 * container terminates, its run directory
 * {@code <workDir>/frameworks/<framework>/executors/<executor>/runs/<container>} is deleted once
 * it is {@link #delay older than} {@code gcDelay * max(0.0, 1.0 - gcDiskHeadroom - diskUsage)},
 * where the disk usage is that of the work directory's file system, read again every minute: a
 * filling disk shortens the delay, a full one makes it zero. Its executor directory, and then its
 * framework directory, go with it once nothing else is left in them. Sandboxes left in the work
 * directory by an earlier run are collected by their modification time, as a Mesos agent does on
 * recovery.
 *
 * <p>Differences from Mesos: a sandbox is collected from the moment its container terminates
 * (Mesos waits for the scheduler to acknowledge the executor's last updates too); an emptied
 * framework directory goes with its last sandbox (Mesos keeps it until the framework leaves the
 * agent, and deletes it {@code gc_delay} later: an empty directory holds nothing to read, and
 * comes back with the framework's next task).
 *
 * <p>Threading: {@link #create} and {@link #collect} may be called from any thread, the latter
 * with the agent's lock held: it only queues. Deletions run on this collector's thread, never
 * holding the agent's lock or any other; a running container's sandbox is never queued, so never
 * deleted. An emptied parent directory is removed only while it is empty ({@code rmdir}); a
 * sandbox created meanwhile below it creates it again.
 */
final class Sandboxes implements AutoCloseable {
  /** Logs as the agent, under whose name these lines have always been written. */
  private static final Logger LOG = LoggerFactory.getLogger(LocalAgent.class);

  /** Mesos' default {@code --disk_watch_interval}: how often the disk usage is read again. */
  static final Duration DISK_WATCH_INTERVAL = Duration.ofMinutes(1);

  /** A terminated container's sandbox, waiting for its deletion. */
  private record Finished(Path sandbox, Instant endedAt, long order) {}

  /**
   * What deleting a tree did.
   *
   * @param files the files (and links) deleted
   * @param directories the directories deleted
   * @param failures the paths that could not be deleted
   * @param firstFailure the first of those failures, in words
   */
  record Deletion(long files, long directories, long failures, Optional<String> firstFailure) {
    static final Deletion NONE = new Deletion(0, 0, 0, Optional.empty());

    Deletion plus(Deletion other) {
      return new Deletion(files + other.files, directories + other.directories,
          failures + other.failures, firstFailure.or(other::firstFailure));
    }

    static Deletion failure(Path path, IOException e) {
      return new Deletion(0, 0, 1, Optional.of(path + ": " + e));
    }
  }

  private final String agentId;
  private final Path frameworksDir;
  private final Duration gcDelay;
  private final double gcDiskHeadroom;
  private final Clock clock;
  private final DoubleSupplier diskUsage;
  private final ScheduledExecutorService thread;
  /** Held by a sweep: sweeps run one at a time. */
  private final Object sweeping = new Object();

  // guarded by this
  private final PriorityQueue<Finished> waiting = new PriorityQueue<>(
      Comparator.comparing(Finished::endedAt).thenComparingLong(Finished::order));
  private long order;
  private Duration maxAge;
  private ScheduledFuture<?> sweep;
  private Instant sweepAt;
  private ScheduledFuture<?> diskWatch;
  private long deletedSinceSummary;
  private volatile boolean closed;

  /**
   * A collector for the sandboxes under an agent's work directory.
   *
   * @param agentId the agent, for log lines
   * @param workDir the agent's work directory
   * @param gcDelay how long a finished sandbox is kept at most
   * @param gcDiskHeadroom the share of the disk kept free, 0.0 to 1.0
   * @param clock when containers end, and what time it is
   * @param diskUsage the share of the work directory's file system in use, 0.0 to 1.0
   * @param thread the collector's own thread; closed with it
   */
  Sandboxes(String agentId, Path workDir, Duration gcDelay, double gcDiskHeadroom, Clock clock,
      DoubleSupplier diskUsage, ScheduledExecutorService thread) {
    this.agentId = agentId;
    this.frameworksDir = workDir.resolve("frameworks");
    this.gcDelay = gcDelay;
    this.gcDiskHeadroom = gcDiskHeadroom;
    this.clock = clock;
    this.diskUsage = diskUsage;
    this.thread = thread;
    this.maxAge = delay(gcDelay, gcDiskHeadroom, 0.0);
  }

  /**
   * How long a finished sandbox is kept, as Mesos' {@code Slave::age}:
   * {@code gcDelay * max(0.0, 1.0 - gcDiskHeadroom - diskUsage)}, to the nearest nanosecond.
   *
   * @param gcDelay the longest time
   * @param gcDiskHeadroom the share of the disk to keep free, 0.0 to 1.0
   * @param diskUsage the share of the disk in use, 0.0 to 1.0
   * @return the delay, zero when the disk is fuller than {@code 1.0 - gcDiskHeadroom}
   */
  static Duration delay(Duration gcDelay, double gcDiskHeadroom, double diskUsage) {
    double share = Math.max(0.0, 1.0 - gcDiskHeadroom - diskUsage);
    return Duration.ofNanos(Math.round(nanos(gcDelay) * share));
  }

  /** The nanoseconds of a duration, at most {@code Long.MAX_VALUE} (292 years). */
  private static long nanos(Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * The share of a file system in use, as stout's {@code fs::usage}: used blocks over all blocks.
   *
   * @param dir a directory on it
   * @return 0.0 to 1.0
   * @throws UncheckedIOException when the file system cannot be read
   */
  static double diskUsage(Path dir) {
    try {
      FileStore store = Files.getFileStore(dir);
      long total = store.getTotalSpace();
      return total <= 0 ? 0.0 : (double) (total - store.getUnallocatedSpace()) / total;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the disk usage, queues the sandboxes an earlier run left (by their modification time),
   * and reads the disk usage again every {@link #DISK_WATCH_INTERVAL}.
   */
  void start() {
    watchDisk();
    List<Finished> left = new ArrayList<>();
    try (DirectoryStream<Path> frameworks = Files.newDirectoryStream(frameworksDir)) {
      for (Path framework : frameworks) {
        for (Path executor : children(framework.resolve("executors"))) {
          for (Path run : children(executor.resolve("runs"))) {
            left.add(new Finished(run, Files.getLastModifiedTime(run,
                LinkOption.NOFOLLOW_LINKS).toInstant(), 0));
          }
        }
      }
    } catch (NoSuchFileException e) {
      // a new work directory
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("Cannot list the sandboxes left in {} agent={} cause={}", frameworksDir, agentId,
          e.toString());
    }
    synchronized (this) {
      for (Finished f : left) {
        waiting.add(new Finished(f.sandbox(), f.endedAt(), order++));
      }
      if (!left.isEmpty()) {
        LOG.info("Found {} sandboxes of an earlier run agent={} max_age={}", left.size(), agentId,
            DurationFormat.stringify(maxAge));
      }
      try {
        diskWatch = thread.scheduleWithFixedDelay(this::watchDisk, DISK_WATCH_INTERVAL.toNanos(),
            DISK_WATCH_INTERVAL.toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        return; // closed
      }
      reschedule();
    }
  }

  private static List<Path> children(Path dir) throws IOException {
    List<Path> found = new ArrayList<>();
    if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        entries.forEach(found::add);
      }
    }
    return found;
  }

  /**
   * Creates a sandbox and its parents, again when the collector removed an emptied parent
   * between two of them.
   *
   * @param sandbox the run directory
   * @throws IOException when it cannot be created
   */
  void create(Path sandbox) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(sandbox);
        return;
      } catch (NoSuchFileException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /**
   * Queues the sandbox of a container that terminated, to be deleted once old enough. Cheap:
   * called with the agent's lock held.
   *
   * @param sandbox the run directory
   */
  synchronized void collect(Path sandbox) {
    if (closed) {
      return;
    }
    waiting.add(new Finished(sandbox, clock.instant(), order++));
    reschedule();
  }

  /** @return the sandboxes waiting for their deletion */
  synchronized int waiting() {
    return waiting.size();
  }

  /** @return how long a finished sandbox is kept now */
  synchronized Duration maxAge() {
    return maxAge;
  }

  /** Reads the disk usage again; the sandboxes now old enough go at once. */
  void watchDisk() {
    double now;
    try {
      now = diskUsage.getAsDouble();
    } catch (RuntimeException e) {
      LOG.warn("Cannot read the disk usage of {} agent={} cause={}", frameworksDir.getParent(),
          agentId, e.toString());
      return;
    }
    synchronized (this) {
      maxAge = delay(gcDelay, gcDiskHeadroom, now);
      LOG.debug("Disk usage {}% agent={} max_age={} waiting={}",
          String.format(Locale.ROOT, "%.2f", 100 * now), agentId, DurationFormat.stringify(maxAge),
          waiting.size());
      if (deletedSinceSummary > 0) {
        LOG.info("Garbage-collected {} sandboxes agent={} waiting={} max_age={} disk_usage={}%",
            deletedSinceSummary, agentId, waiting.size(), DurationFormat.stringify(maxAge),
            String.format(Locale.ROOT, "%.2f", 100 * now));
        deletedSinceSummary = 0;
      }
      reschedule();
    }
  }

  /** Sets the timer for the oldest waiting sandbox, when it is not set for it already. */
  private void reschedule() {
    Finished oldest = waiting.peek();
    if (closed || oldest == null) {
      return;
    }
    Instant due = oldest.endedAt().plus(maxAge);
    if (sweep != null && !sweep.isDone() && sweepAt.equals(due)) {
      return;
    }
    if (sweep != null) {
      sweep.cancel(false);
    }
    long nanos = Math.max(0, nanos(Duration.between(clock.instant(), due)));
    try {
      sweep = thread.schedule(this::sweep, nanos, TimeUnit.NANOSECONDS);
      sweepAt = due;
    } catch (RejectedExecutionException e) {
      sweep = null; // closed
    }
  }

  /**
   * Deletes every sandbox old enough, then sets the timer for the next one. Returns once every
   * sandbox old enough when it was called is deleted, also by a sweep already under way.
   */
  void sweep() {
    synchronized (sweeping) {
      List<Finished> due = new ArrayList<>();
      synchronized (this) {
        sweep = null; // this run; a sandbox queued meanwhile sets a timer of its own
        sweepAt = null;
        Instant now = clock.instant();
        while (!waiting.isEmpty() && !waiting.peek().endedAt().plus(maxAge).isAfter(now)) {
          due.add(waiting.poll());
        }
      }
      for (Finished f : due) {
        if (closed) {
          return;
        }
        delete(f);
      }
      synchronized (this) {
        deletedSinceSummary += due.size();
        reschedule();
      }
    }
  }

  private void delete(Finished finished) {
    Path sandbox = finished.sandbox();
    Deletion deletion = delete(sandbox, () -> closed);
    if (closed) {
      return; // the agent is stopping; what is left stays, or goes with the work directory
    }
    for (Path dir = sandbox.getParent();
        dir.startsWith(frameworksDir) && !dir.equals(frameworksDir); dir = dir.getParent()) {
      try {
        Files.delete(dir);
      } catch (DirectoryNotEmptyException | NoSuchFileException e) {
        break; // another run of the executor, another executor of the framework, or gone
      } catch (IOException e) {
        LOG.debug("Cannot delete {} agent={} cause={}", dir, agentId, e.toString());
        break;
      }
    }
    if (deletion.failures() > 0) {
      LOG.warn("Cannot delete all of sandbox {} agent={} failures={} first={}", sandbox, agentId,
          deletion.failures(), deletion.firstFailure().orElse(""));
    } else {
      LOG.debug("Deleted sandbox {} agent={} ended={} files={}", sandbox, agentId,
          finished.endedAt(), deletion.files());
    }
  }

  /** Stops collecting; returns once a deletion under way has ended. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
      if (sweep != null) {
        sweep.cancel(false);
      }
      if (diskWatch != null) {
        diskWatch.cancel(false);
      }
    }
    thread.shutdownNow();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Sandbox collector did not stop within 30 s agent={}", agentId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Deleting trees
  // ---------------------------------------------------------------------------------------------

  /**
   * Deletes a tree on this thread, links not followed, going on past what cannot be deleted (as
   * Mesos' {@code os::rmdir(path, recursive, removeRoot, continueOnError)}).
   *
   * @param root the tree; nothing happens when it does not exist
   * @param stop asked before each file and directory: true leaves the rest
   * @return what was deleted
   */
  static Deletion delete(Path root, BooleanSupplier stop) {
    long[] counts = new long[3];
    List<String> firstFailure = new ArrayList<>(1);
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
          return stop.getAsBoolean() ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
          if (stop.getAsBoolean()) {
            return FileVisitResult.TERMINATE;
          }
          deleteOne(file, 0);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          if (!(e instanceof NoSuchFileException)) {
            fail(file, e);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
          if (stop.getAsBoolean()) {
            return FileVisitResult.TERMINATE;
          }
          if (e != null) {
            fail(dir, e);
          }
          deleteOne(dir, 1);
          return FileVisitResult.CONTINUE;
        }

        private void deleteOne(Path path, int kind) {
          try {
            Files.delete(path);
            counts[kind]++;
          } catch (NoSuchFileException e) {
            // gone already
          } catch (IOException e) {
            fail(path, e);
          }
        }

        private void fail(Path path, IOException e) {
          counts[2]++;
          if (firstFailure.isEmpty()) {
            firstFailure.add(path + ": " + e);
          }
        }
      });
    } catch (IOException | UncheckedIOException e) {
      counts[2]++;
      if (firstFailure.isEmpty()) {
        firstFailure.add(root + ": " + e);
      }
    }
    return new Deletion(counts[0], counts[1], counts[2], firstFailure.stream().findFirst());
  }

  /**
   * Deletes a tree with {@code threads} threads, each directory's entries shared among them:
   * deleting is mostly waiting for the file system, which takes many deletions at once (5,000
   * sandboxes: 1-3 s with 8 threads, 5-30 s with one, on an ext4 disk of a virtual machine).
   *
   * @param root the tree; nothing happens when it does not exist
   * @param threads how many threads delete
   * @return what was deleted
   */
  static Deletion deleteInParallel(Path root, int threads) {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(root, BasicFileAttributes.class,
          LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Deletion.NONE;
    } catch (IOException e) {
      return Deletion.failure(root, e);
    }
    if (!attributes.isDirectory()) {
      return FileBatch.deleteFile(root);
    }
    ForkJoinPool pool = new ForkJoinPool(threads, p -> {
      ForkJoinWorkerThread worker = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
      worker.setName("mesoskit-local-delete-" + worker.getPoolIndex());
      worker.setDaemon(true);
      return worker;
    }, null, false);
    try {
      return pool.invoke(new TreeDeletion(root));
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Deletes a directory: its subdirectories and batches of its files as tasks of their own, then
   * the directory itself.
   */
  private static final class TreeDeletion extends RecursiveTask<Deletion> {
    /** Files deleted by one task. */
    private static final int BATCH = 64;

    private final Path dir;

    TreeDeletion(Path dir) {
      this.dir = dir;
    }

    @Override
    protected Deletion compute() {
      Deletion done = Deletion.NONE;
      List<RecursiveTask<Deletion>> forked = new ArrayList<>();
      List<Path> files = new ArrayList<>();
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
        for (Path entry : entries) {
          if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
            forked.add(new TreeDeletion(entry));
          } else {
            files.add(entry);
          }
          if (files.size() == BATCH) {
            forked.add(new FileBatch(files));
            files = new ArrayList<>();
          }
        }
      } catch (NoSuchFileException e) {
        return Deletion.NONE;
      } catch (IOException e) {
        done = Deletion.failure(dir, e);
      } catch (UncheckedIOException e) {
        done = Deletion.failure(dir, e.getCause());
      }
      for (RecursiveTask<Deletion> task : forked) {
        task.fork();
      }
      done = done.plus(new FileBatch(files).compute());
      for (RecursiveTask<Deletion> task : forked) {
        done = done.plus(task.join());
      }
      try {
        Files.delete(dir);
        return done.plus(new Deletion(0, 1, 0, Optional.empty()));
      } catch (NoSuchFileException e) {
        return done;
      } catch (IOException e) {
        return done.plus(Deletion.failure(dir, e));
      }
    }
  }

  /** Deletes some files (or links) of one directory. */
  private static final class FileBatch extends RecursiveTask<Deletion> {
    private final List<Path> files;

    FileBatch(List<Path> files) {
      this.files = files;
    }

    @Override
    protected Deletion compute() {
      Deletion done = Deletion.NONE;
      for (Path file : files) {
        done = done.plus(deleteFile(file));
      }
      return done;
    }

    static Deletion deleteFile(Path file) {
      try {
        Files.delete(file);
        return new Deletion(1, 0, 0, Optional.empty());
      } catch (NoSuchFileException e) {
        return Deletion.NONE;
      } catch (IOException e) {
        return Deletion.failure(file, e);
      }
    }
  }
}
