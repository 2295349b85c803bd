package dev.mesoskit.artifacts.batch;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch job on a {@link Framework}: one task per key, each finished task's result collected
 * exactly once, resumable across scheduler restarts.
 *
 * <p>{@link #run} submits the task {@link Builder#task} makes for every key not yet done, waits
 * for every outcome, calls the {@link BatchCollector} for each key whose task ended
 * {@code FINISHED}, and only when it returned records the key as done: the file
 * {@code <state directory>/<key>.done}, written to a temporary file and renamed atomically. A
 * later run with the same state directory skips done keys; a key whose run crashed before the
 * record redoes its task, and the collector replaces any output atomically, so the output has no
 * partial and no duplicate files. Failed tasks and failed collections are reported with their
 * reasons in the {@link BatchSummary}; {@link #progress()} gives live counts, and
 * {@link Builder#progress(PrintStream)} draws them as a progress bar (a plain line per change
 * when the output is not a terminal).
 *
 * <pre>{@code
 * framework.start();
 * BatchSummary summary = Batch.builder()
 *     .framework(framework)
 *     .stateDirectory(Path.of("out/.state"))
 *     .task(key -> TaskSpec.builder().id("invert-" + key).name(key)
 *         .resources(ResourceSpec.of(0.5, 256)).executor(executor).data(key).build())
 *     .collector(BatchCollector.download(Path.of("out"), key -> server.uri("results/" + key)))
 *     .progress(System.err)
 *     .build()
 *     .run(List.of("a.png", "b.png"));
 * framework.finish();
 * }</pre>
 *
 * <p>Keys name files: they must not be empty, start with {@code .}, or hold {@code /},
 * {@code \} or NUL. A run holds a lock on {@code <state directory>/.lock} (an advisory
 * {@link java.nio.channels.FileLock}, released when the run returns or its process dies), so a
 * second scheduler on the same state directory fails at once instead of redoing the same keys.
 * A program that must keep other runs out for longer (while it cleans up after the run) takes
 * a {@link BatchLock} itself and builds the batch with {@link Builder#lock}.
 *
 * <p>Threading: {@link #run} blocks its caller and may be called once; collectors run on the
 * batch's own threads ({@link Builder#collectorThreads}); {@link #progress()} is safe from any
 * thread.
 */
public final class Batch {
  private static final Logger LOG = LoggerFactory.getLogger(Batch.class);
  static final String DONE = ".done";

  private final Framework framework;
  private final Path stateDirectory;
  private final BatchLock lock;
  private final Function<String, TaskSpec> taskOf;
  private final BatchCollector collector;
  private final PrintStream progressOut;
  private final Duration progressInterval;
  private final int collectorThreads;
  private final Clock clock;

  private final AtomicBoolean ran = new AtomicBoolean();
  private final Map<String, TaskId> submitted = new ConcurrentHashMap<>();
  private final Set<String> doneKeys = ConcurrentHashMap.newKeySet();
  private final Map<String, String> failures = new ConcurrentHashMap<>();
  private volatile int total;
  private volatile int skipped;
  private volatile Instant startedAt;

  private Batch(Builder b) {
    this.framework = b.framework;
    this.stateDirectory = b.lock != null ? b.lock.directory() : b.stateDirectory;
    this.lock = b.lock;
    this.taskOf = b.taskOf;
    this.collector = b.collector;
    this.progressOut = b.progressOut;
    this.progressInterval = b.progressInterval;
    this.collectorThreads = b.collectorThreads;
    this.clock = b.clock;
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the batch: skips done keys, submits a task for every other key, collects and records
   * each finished one, and returns when every key has its outcome. Does not start or finish the
   * framework: start it before (or after, from another thread), finish it after.
   *
   * @param keys the keys, each once; the order is the order of submission and of the summary
   * @return the summary
   * @throws IllegalArgumentException when a key is not a valid file name, appears twice, or there
   *     are none; when a key's task has no explicit id, or two keys' tasks share one (checked
   *     before anything is submitted)
   * @throws IllegalStateException when called a second time, when another run (in this or
   *     another process) holds the state directory, when the {@link Builder#lock} it was built
   *     with was released or another run uses it, or when the collector cannot prepare
   * @throws UncheckedIOException when the state directory cannot be created or read
   */
  public BatchSummary run(Collection<String> keys) {
    List<String> all = List.copyOf(keys);
    checkKeys(all);
    if (!ran.compareAndSet(false, true)) {
      throw new IllegalStateException("run was already called on this batch");
    }
    AutoCloseable held;
    if (lock != null) {
      lock.beginRun();
      held = lock::endRun;
    } else {
      held = StateLock.acquire(AtomicFiles.create(stateDirectory));
    }
    try {
      AtomicFiles.deleteParts(stateDirectory);
      try {
        collector.prepare();
      } catch (Exception e) {
        throw new IllegalStateException("the collector cannot prepare its output: " + e, e);
      }
      return runLocked(all);
    } finally {
      try {
        held.close();
      } catch (Exception e) {
        throw new IllegalStateException("releasing the state directory failed: " + e, e);
      }
    }
  }

  private BatchSummary runLocked(List<String> all) {
    startedAt = clock.instant();
    List<String> todo = new ArrayList<>();
    for (String key : all) {
      if (!isDone(key)) {
        todo.add(key);
      }
    }
    total = all.size();
    skipped = all.size() - todo.size();
    LOG.info("batch starts keys={} skipped={} state_directory={}", all.size(), skipped,
        stateDirectory);
    ExecutorService collectors = Executors.newFixedThreadPool(collectorThreads, r -> {
      Thread t = new Thread(r, "mesoskit-batch-collector");
      t.setDaemon(true);
      return t;
    });
    ProgressDisplay display = progressOut == null ? null
        : ProgressDisplay.start(this::progress, progressOut, progressInterval);
    try {
      List<CompletableFuture<Void>> outcomes = new ArrayList<>();
      Map<String, TaskSpec> specs = specs(todo);
      for (String key : todo) {
        TaskId id;
        try {
          id = framework.submit(specs.get(key));
        } catch (RuntimeException e) { // e.g. the framework is finishing: this key's outcome
          LOG.warn("submitting a task failed key={}", key, e);
          failures.put(key, "not submitted: " + rootMessage(e));
          continue;
        }
        submitted.put(key, id);
        outcomes.add(framework.outcome(id)
            .handleAsync((task, error) -> {
              complete(key, task, error);
              return null;
            }, collectors));
      }
      CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
    } finally {
      if (display != null) {
        display.close();
      }
      collectors.shutdownNow();
    }
    List<String> done = new ArrayList<>();
    Map<String, String> failed = new LinkedHashMap<>();
    for (String key : all) {
      if (failures.containsKey(key)) {
        failed.put(key, failures.get(key));
      } else {
        done.add(key);
      }
    }
    BatchSummary summary = new BatchSummary(all.size(), done, skipped, failed,
        Duration.between(startedAt, clock.instant()));
    LOG.info("batch ended {}", summary.line());
    return summary;
  }

  /**
   * Every key's task, checked before anything is submitted: a resumable batch needs an explicit
   * task id per key, and a distinct one.
   */
  private Map<String, TaskSpec> specs(List<String> keys) {
    Map<String, TaskSpec> specs = new LinkedHashMap<>();
    Map<TaskId, String> keyOfId = new HashMap<>();
    for (String key : keys) {
      TaskSpec spec = Objects.requireNonNull(taskOf.apply(key),
          "the task of key " + key + " must not be null");
      TaskId id = spec.id().orElseThrow(() -> new IllegalArgumentException("the task of key "
          + key + " must have an explicit id (TaskSpec.Builder.id), the same in every run, so"
          + " that a restarted batch adopts it"));
      String other = keyOfId.putIfAbsent(id, key);
      if (other != null) {
        throw new IllegalArgumentException("the tasks of keys " + other + " and " + key
            + " have the same id " + id + "; every key needs its own");
      }
      specs.put(key, spec);
    }
    return specs;
  }

  private void complete(String key, Task task, Throwable error) {
    if (error != null) {
      failures.put(key, "no outcome: " + rootMessage(error));
      return;
    }
    if (task.state() != TaskState.FINISHED) {
      failures.put(key, task.message().orElse(task.state() + ", no reason given"));
      return;
    }
    try {
      collector.collect(key, task);
      AtomicFiles.write(stateDirectory, key + DONE, tmp -> Files.writeString(tmp,
          "task=" + task.id() + " attempt=" + task.attempt() + " at=" + clock.instant() + "\n"));
      doneKeys.add(key);
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("collecting a result failed key={} task={}", key, task.id(), e);
      failures.put(key, "collecting the result failed: " + e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while ((t instanceof java.util.concurrent.CompletionException
        || t instanceof java.util.concurrent.ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }

  /**
   * Whether a key is recorded as done in the state directory.
   *
   * @param key a key
   * @return true when an earlier (or this) run collected its result
   */
  public boolean isDone(String key) {
    return Files.isRegularFile(stateDirectory.resolve(key + DONE));
  }

  /**
   * The live counts. Before {@link #run} every count is 0.
   *
   * @return a snapshot
   */
  public BatchProgress progress() {
    Instant start = startedAt;
    int failed = 0;
    int done = 0;
    int running = 0;
    int pending = 0;
    int seen = 0;
    for (Map.Entry<String, TaskId> e : submitted.entrySet()) {
      seen++;
      String key = e.getKey();
      if (failures.containsKey(key)) {
        failed++;
      } else if (doneKeys.contains(key)) {
        done++;
      } else if (framework.task(e.getValue()).map(Task::state).orElse(TaskState.PENDING)
          == TaskState.PENDING) {
        pending++;
      } else {
        running++; // launched, or ended and about to be (or being) collected
      }
    }
    int all = total;
    pending += all - skipped - seen; // not submitted yet (the map may grow while we count)
    return new BatchProgress(all, skipped, done, failed, running, pending,
        start == null ? Duration.ZERO : Duration.between(start, clock.instant()));
  }

  static void checkKeys(List<String> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("keys must not be empty");
    }
    Set<String> seen = new HashSet<>();
    for (String key : keys) {
      if (key == null || key.isEmpty() || key.startsWith(".") || key.indexOf('/') >= 0
          || key.indexOf('\\') >= 0 || key.indexOf('\0') >= 0 || key.length() > 200) {
        throw new IllegalArgumentException("key must be a file name (not empty, at most 200"
            + " characters, no '/', '\\' or NUL, not starting with '.') but was '" + key + "'");
      }
      if (!seen.add(key)) {
        throw new IllegalArgumentException("keys must be unique but '" + key + "' appears twice");
      }
    }
  }

  @Override
  public String toString() {
    return "Batch[stateDirectory=" + stateDirectory + ", collector=" + collector + "]";
  }

  /**
   * Builds a {@link Batch}. Required: {@link #framework}, {@link #stateDirectory} (or
   * {@link #lock}), {@link #task}
   * and {@link #collector}. Defaults: no progress view, progress every 500 ms, 2 collector
   * threads, the system clock.
   */
  public static final class Builder {
    private Framework framework;
    private Path stateDirectory;
    private BatchLock lock;
    private Function<String, TaskSpec> taskOf;
    private BatchCollector collector;
    private PrintStream progressOut;
    private Duration progressInterval = Duration.ofMillis(500);
    private int collectorThreads = 2;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * The framework the tasks run on.
     *
     * @param framework the framework, started or not
     * @return this builder
     */
    public Builder framework(Framework framework) {
      this.framework = Objects.requireNonNull(framework, "framework must not be null");
      return this;
    }

    /**
     * Where done keys are recorded ({@code <key>.done}); created when missing.
     *
     * @param stateDirectory the directory, the same for every run of the same batch
     * @return this builder
     */
    public Builder stateDirectory(Path stateDirectory) {
      this.stateDirectory = Objects.requireNonNull(stateDirectory,
          "stateDirectory must not be null");
      return this;
    }

    /**
     * Runs under a lock the caller holds (and releases after the run), in its state directory,
     * instead of locking the state directory for the run alone.
     *
     * @param lock the held lock; its directory becomes the state directory
     * @return this builder
     */
    public Builder lock(BatchLock lock) {
      this.lock = Objects.requireNonNull(lock, "lock must not be null");
      return this;
    }

    /**
     * Makes the task of a key. Give every key its own task id, the same in every run, so that a
     * restarted scheduler adopts tasks an earlier run launched.
     *
     * @param taskOf key to task spec
     * @return this builder
     */
    public Builder task(Function<String, TaskSpec> taskOf) {
      this.taskOf = Objects.requireNonNull(taskOf, "task must not be null");
      return this;
    }

    /**
     * Collects a finished task's result, e.g. {@link BatchCollector#download}.
     *
     * @param collector the collector
     * @return this builder
     */
    public Builder collector(BatchCollector collector) {
      this.collector = Objects.requireNonNull(collector, "collector must not be null");
      return this;
    }

    /**
     * Shows progress while {@link #run} runs: a progress bar when the JVM has a terminal
     * ({@code System.console()}), else one plain line whenever the counts change.
     *
     * @param out where to draw, usually {@code System.err}
     * @return this builder
     */
    public Builder progress(PrintStream out) {
      this.progressOut = Objects.requireNonNull(out, "out must not be null");
      return this;
    }

    /**
     * How often the progress view refreshes.
     *
     * @param interval at least 10 ms; default 500 ms
     * @return this builder
     */
    public Builder progressInterval(Duration interval) {
      Objects.requireNonNull(interval, "progressInterval must not be null");
      if (interval.toMillis() < 10) {
        throw new IllegalArgumentException("progressInterval must be >= 10 ms but was "
            + interval);
      }
      this.progressInterval = interval;
      return this;
    }

    /**
     * How many results are collected at once.
     *
     * @param threads at least 1; default 2
     * @return this builder
     */
    public Builder collectorThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("collectorThreads must be >= 1 but was " + threads);
      }
      this.collectorThreads = threads;
      return this;
    }

    /**
     * The clock for elapsed times and rates, for tests.
     *
     * @param clock the clock; default the system clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Builds the batch.
     *
     * @return the batch, not yet run
     * @throws IllegalStateException when a required setting is missing, or the state directory
     *     is not the lock's
     */
    public Batch build() {
      if (lock != null && stateDirectory != null && !stateDirectory.equals(lock.directory())) {
        throw new IllegalStateException("the state directory " + stateDirectory + " is not the"
            + " locked one, " + lock.directory() + " (give one of stateDirectory and lock)");
      }
      Path state = lock != null ? lock.directory() : stateDirectory;
      if (framework == null || state == null || taskOf == null || collector == null) {
        throw new IllegalStateException("a batch needs framework, stateDirectory, task and"
            + " collector but " + (framework == null ? "framework"
            : state == null ? "stateDirectory" : taskOf == null ? "task" : "collector")
            + " was not set");
      }
      return new Batch(this);
    }
  }
}
