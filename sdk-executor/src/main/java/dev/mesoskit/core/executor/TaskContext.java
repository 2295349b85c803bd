package dev.mesoskit.core.executor;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.LaunchedTask;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a {@link TaskHandler} knows about its task and how it talks back: the task's identity,
 * data, environment, labels, resources and ports, the sandbox, progress reports, a small result,
 * cancellation, and transfers of inputs and outputs.
 *
 * <p>Transfers: {@link #download(URI, long)} reads a small input into memory;
 * {@link #downloadTo(URI, Path, long)} streams an input of any size to a file, which is whole or
 * absent; {@link #upload(String, byte[])} and {@link #upload(String, Path)} store an output on
 * the framework's artifact server. None retries: a failure worth another attempt is a
 * {@link dev.mesoskit.core.MesosKitException}, which fails the task so that its
 * {@link dev.mesoskit.core.RetryPolicy} decides; one that no attempt can fix is a
 * {@link PermanentFailure}. A kill ends a transfer with a {@link CancellationException}.
 *
 * <p>MesosKit launches attempt {@code n} of task {@code id} as Mesos task {@code id.n};
 * {@link #taskId()} and {@link #attempt()} undo that. A task launched by another scheduler, whose
 * id has no numeric suffix, is attempt 1 of a task with its whole Mesos id.
 *
 * <p>Threading: safe from any thread; the handler's thread is the usual caller. Cancellation is
 * visible at once on every thread.
 */
public final class TaskContext {
  /**
   * The most bytes {@link #result(byte[])} takes: 64 KiB. Mesos sets no limit on a status
   * update's data, but every update is checkpointed by the agent, kept by the master and sent to
   * the scheduler, so a result belongs in an artifact ({@link #upload}) once it is larger.
   */
  public static final int MAX_RESULT_BYTES = 64 * 1024;

  private final LaunchedTask task;
  private final TaskId taskId;
  private final int attempt;
  private final Map<String, String> env;
  private final Map<String, String> labels;
  private final List<Integer> ports;
  private final Path sandbox;
  private final Consumer<String> progress;
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final AtomicBoolean ready = new AtomicBoolean();
  private final Function<String, String> processEnv;
  private final AtomicReference<byte[]> result = new AtomicReference<>();
  /** The body streams of running downloads, closed by a kill. */
  private final Set<Closeable> closeOnCancel = ConcurrentHashMap.newKeySet();
  private final ArtifactTransfers.Cancellation transfers = new ArtifactTransfers.Cancellation() {
    @Override
    public boolean isCancelled() {
      return TaskContext.this.isCancelled();
    }

    @Override
    public Runnable closeWhenCancelled(Closeable closeable) {
      closeOnCancel.add(closeable);
      if (isCancelled()) { // the kill may have passed the set before the add
        closeQuietly(closeable);
      }
      return () -> closeOnCancel.remove(closeable);
    }
  };

  /** {@code progress} gets each message, and null when the task becomes {@link #ready()}. */
  TaskContext(LaunchedTask task, Path sandbox, Consumer<String> progress) {
    this(task, sandbox, progress, System::getenv);
  }

  TaskContext(LaunchedTask task, Path sandbox, Consumer<String> progress,
      Function<String, String> processEnv) {
    this.processEnv = Objects.requireNonNull(processEnv, "processEnv must not be null");
    this.task = Objects.requireNonNull(task, "task must not be null");
    this.sandbox = Objects.requireNonNull(sandbox, "sandbox must not be null");
    this.progress = Objects.requireNonNull(progress, "progress must not be null");
    String id = task.mesosTaskId();
    int dot = id.lastIndexOf('.');
    int n = dot > 0 ? attemptNumber(id.substring(dot + 1)) : 0;
    if (n > 0) {
      this.taskId = TaskId.of(id.substring(0, dot));
      this.attempt = n;
    } else {
      this.taskId = TaskId.of(id);
      this.attempt = 1;
    }
    Map<String, String> e = new LinkedHashMap<>();
    Map<String, String> l = new LinkedHashMap<>();
    task.labels().forEach((k, v) -> {
      if (k.startsWith(TaskSpec.ENV_LABEL_PREFIX)) {
        e.put(k.substring(TaskSpec.ENV_LABEL_PREFIX.length()), v);
      } else {
        l.put(k, v);
      }
    });
    this.env = Collections.unmodifiableMap(e);
    this.labels = Collections.unmodifiableMap(l);
    List<Integer> p = new ArrayList<>();
    for (Long port : task.resources().ranges("ports").values()) {
      p.add(port.intValue());
    }
    this.ports = List.copyOf(p);
  }

  /** The attempt of a suffix of digits (without leading zeros, at least 1), else 0. */
  private static int attemptNumber(String suffix) {
    if (suffix.isEmpty() || suffix.length() > 9 || suffix.charAt(0) == '0') {
      return 0;
    }
    for (int i = 0; i < suffix.length(); i++) {
      if (suffix.charAt(i) < '0' || suffix.charAt(i) > '9') {
        return 0;
      }
    }
    return Integer.parseInt(suffix);
  }

  /**
   * The task's MesosKit id, the same for all its attempts.
   *
   * @return the id the scheduler submitted the task under
   */
  public TaskId taskId() {
    return taskId;
  }

  /**
   * Which attempt of the task this is.
   *
   * @return 1 for the first
   */
  public int attempt() {
    return attempt;
  }

  /**
   * The task id as Mesos knows it.
   *
   * @return e.g. {@code invert-7.2}
   */
  public String mesosTaskId() {
    return task.mesosTaskId();
  }

  /**
   * The task's name.
   *
   * @return the name from the task's spec
   */
  public String name() {
    return task.name();
  }

  /**
   * The bytes the scheduler attached to the task.
   *
   * @return a copy of the data, empty when none
   */
  public byte[] data() {
    return task.data();
  }

  /**
   * The data as UTF-8 text.
   *
   * @return the text, empty when no data
   */
  public String dataAsString() {
    return new String(task.data(), StandardCharsets.UTF_8);
  }

  /**
   * The task's environment: the {@code env} of its spec, carried as labels prefixed
   * {@link TaskSpec#ENV_LABEL_PREFIX}. It is not set on the executor process, which runs many
   * tasks; pass it on to the processes the handler starts.
   *
   * @return the variables, in the spec's order
   */
  public Map<String, String> env() {
    return env;
  }

  /**
   * The task's labels, without those that carry its environment.
   *
   * @return the labels
   */
  public Map<String, String> labels() {
    return labels;
  }

  /**
   * The task's resources, as the scheduler chose them from the offer.
   *
   * @return the resources
   */
  public Resources resources() {
    return task.resources();
  }

  /**
   * The ports the task holds ({@code ports} resources), lowest first.
   *
   * @return the ports, empty when it holds none
   */
  public List<Integer> ports() {
    return ports;
  }

  /**
   * The task's first port, for the common task that asked for one.
   *
   * @return the lowest port
   * @throws IllegalStateException when the task holds no port
   */
  public int port() {
    if (ports.isEmpty()) {
      throw new IllegalStateException("task " + task.mesosTaskId() + " holds no port: ask for one"
          + " with ResourceSpec ports in its TaskSpec");
    }
    return ports.get(0);
  }

  /**
   * The executor's sandbox ({@code MESOS_SANDBOX}): a directory the agent keeps, shared by the
   * executor's tasks, whose files the Mesos UI shows.
   *
   * @return the directory
   */
  public Path sandbox() {
    return sandbox;
  }

  /**
   * The framework the task belongs to.
   *
   * @return the framework id
   */
  public String frameworkId() {
    return task.frameworkId();
  }

  /**
   * The executor running the task.
   *
   * @return the executor id
   */
  public String executorId() {
    return task.executorId();
  }

  /**
   * The agent the task runs on.
   *
   * @return the agent id
   */
  public String agentId() {
    return task.agentId();
  }

  /**
   * Reports progress: a {@code TASK_RUNNING} update carrying {@code message} ({@code TASK_STARTING}
   * while a handler that reports its own readiness is not {@link #ready()} yet), which the
   * scheduler sees as the task's message. Ignored once the task ended. Status updates are
   * reliable and cost a round trip through agent, master and scheduler each, so at most one
   * progress update is sent per progress interval after the task's previous update (1 s unless
   * {@link ExecutorRuntime.Builder#progressInterval} says otherwise): a message that comes sooner
   * waits, a later one replaces it, and one still waiting when the task turns ready or ends is
   * dropped.
   *
   * @param message what the task is doing
   */
  public void progress(String message) {
    progress.accept(Objects.requireNonNull(message, "message must not be null"));
  }

  /**
   * Reports the task ready: a {@code TASK_RUNNING} update, for a handler whose
   * {@link TaskHandler#reportsReadiness()} is true (call it once the task can do its job, e.g.
   * once its server accepts connections). Only the first call sends an update; for other handlers
   * the runtime already called it before {@link TaskHandler#run}, so a call does nothing. Ignored
   * once the task ended.
   */
  public void ready() {
    if (ready.compareAndSet(false, true)) {
      progress.accept(null);
    }
  }

  /**
   * Whether the task was reported ready ({@code TASK_RUNNING}).
   *
   * @return true once {@link #ready()} was called, by the handler or by the runtime
   */
  public boolean isReady() {
    return ready.get();
  }

  /**
   * Whether the task was killed (by the scheduler, or because the executor shuts down).
   *
   * @return true once a kill arrived
   */
  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  /**
   * Throws when the task was killed, for handlers that check between steps.
   *
   * @throws CancellationException when {@link #isCancelled()}
   */
  public void throwIfCancelled() {
    if (isCancelled()) {
      throw new CancellationException("task " + task.mesosTaskId() + " was killed");
    }
  }

  /**
   * Blocks until the task is killed: the body of a long-running service task whose work happens
   * on other threads.
   *
   * @throws InterruptedException when the thread is interrupted, which a kill also does
   */
  public void awaitCancellation() throws InterruptedException {
    cancelled.await();
  }

  /**
   * Blocks until the task is killed or the timeout passes.
   *
   * @param timeout how long at most
   * @return true when the task was killed
   * @throws InterruptedException when the thread is interrupted, which a kill also does
   */
  public boolean awaitCancellation(Duration timeout) throws InterruptedException {
    return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Sets the task's result: a few bytes for the scheduler, sent as the {@code data} of the
   * task's {@code TASK_FINISHED} status update and read there as
   * {@link dev.mesoskit.core.Task#result()}, with no artifact round trip. A later call replaces
   * an earlier one; an empty result is none. The result goes with {@code TASK_FINISHED} only:
   * when the handler throws or the task is killed, the terminal update carries no data and the
   * result is dropped. Mesos checkpoints status updates and keeps them until acknowledged, so
   * keep results small; larger ones belong in an artifact ({@link #upload(String, Path)}, and
   * the URI as the result).
   *
   * <pre>{@code
   * ctx.result(uploaded.toString());
   * }</pre>
   *
   * @param data at most {@link #MAX_RESULT_BYTES} bytes; copied
   * @throws IllegalArgumentException when {@code data} is longer than {@link #MAX_RESULT_BYTES}:
   *     {@code "result must be at most 65536 bytes but was 65537"}
   */
  public void result(byte[] data) {
    Objects.requireNonNull(data, "data must not be null");
    if (data.length > MAX_RESULT_BYTES) {
      throw new IllegalArgumentException("result must be at most " + MAX_RESULT_BYTES
          + " bytes but was " + data.length);
    }
    result.set(data.clone());
  }

  /**
   * Sets the task's result as UTF-8 text: {@link #result(byte[])} of its bytes.
   *
   * @param text the result; at most {@link #MAX_RESULT_BYTES} bytes once encoded
   * @throws IllegalArgumentException when the encoded text is longer than
   *     {@link #MAX_RESULT_BYTES}
   */
  public void result(String text) {
    result(Objects.requireNonNull(text, "text must not be null").getBytes(StandardCharsets.UTF_8));
  }

  /** The result set with {@link #result(byte[])}, for the terminal update; empty when none. */
  Optional<byte[]> resultData() {
    byte[] r = result.get();
    return r == null || r.length == 0 ? Optional.empty() : Optional.of(r.clone());
  }

  /**
   * Uploads a result to the framework's artifact server: {@code PUT} to
   * {@link dev.mesoskit.core.spi.ArtifactPublisher#ENV_URL} plus {@code name}, with the bearer
   * token of {@link dev.mesoskit.core.spi.ArtifactPublisher#ENV_TOKEN} and the content's SHA-256 in
   * {@code X-Checksum-Sha256}, so the server stores it only when it arrived whole. Both variables
   * are looked up in the task's {@link #env()} first, then in the executor's environment.
   *
   * <pre>{@code
   * URI stored = ctx.upload("inverted/" + name, bytes);
   * }</pre>
   *
   * @param name the artifact name, a relative {@code /}-separated path such as
   *     {@code results/task-1.png}; its segments are percent-encoded here
   * @param content the bytes to store; sent as they are, not copied, so they must not change
   *     while the upload runs (a change would fail the server's SHA-256 check)
   * @return the artifact's URI, where the scheduler can fetch it
   * @throws PermanentFailure when no artifact server is configured, the token is refused (401,
   *     403) or the content is over the server's size limit (413)
   * @throws dev.mesoskit.core.MesosKitException when the server cannot be reached or answers
   *     anything else (worth another attempt)
   * @throws CancellationException when the thread is interrupted (the task was killed)
   */
  public URI upload(String name, byte[] content) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(content, "content must not be null");
    if (name.isEmpty() || name.startsWith("/")) {
      throw new IllegalArgumentException("name must be a relative artifact name but was '"
          + name + "'");
    }
    return ArtifactTransfers.upload(key -> env.getOrDefault(key, processEnv.apply(key)), name,
        content);
  }

  /**
   * Uploads a file to the framework's artifact server, as {@link #upload(String, byte[])} does,
   * streaming it from disk so that a file of any size moves without being held in memory: it is
   * read once to compute its SHA-256 and once to send it. The file must not change meanwhile; if
   * it does, the server refuses the content (its checksum no longer matches) and nothing is
   * stored.
   *
   * <pre>{@code
   * URI stored = ctx.upload("results/" + ctx.taskId() + ".tar", ctx.sandbox().resolve("out.tar"));
   * }</pre>
   *
   * @param name the artifact name, a relative {@code /}-separated path such as
   *     {@code results/task-1.tar}; its segments are percent-encoded here
   * @param file the regular file to store (a symbolic link is followed)
   * @return the artifact's URI, where the scheduler can fetch it
   * @throws IllegalArgumentException when {@code name} is not relative or {@code file} is not a
   *     regular file: {@code "file must be a regular file but does not exist: <file>"} or
   *     {@code "... but is not: <file>"}
   * @throws PermanentFailure when no artifact server is configured, the token is refused (401,
   *     403) or the file is over the server's size limit (413)
   * @throws dev.mesoskit.core.MesosKitException when the file cannot be read, the server cannot
   *     be reached or answers anything else (worth another attempt)
   * @throws CancellationException when the thread is interrupted (the task was killed)
   */
  public URI upload(String name, Path file) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(file, "file must not be null");
    if (name.isEmpty() || name.startsWith("/")) {
      throw new IllegalArgumentException("name must be a relative artifact name but was '"
          + name + "'");
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("file must be a regular file but "
          + (Files.exists(file) ? "is not" : "does not exist") + ": " + file);
    }
    return ArtifactTransfers.upload(key -> env.getOrDefault(key, processEnv.apply(key)), name,
        file);
  }

  /**
   * Downloads a task input into memory, refusing more than {@code maxBytes}: the
   * {@code Content-Length} is checked before reading when the server sends one, and the body is
   * never read past the limit.
   *
   * @param source an {@code http}, {@code https} or {@code file} URI
   * @param maxBytes the most bytes accepted, e.g. {@code 50L << 20}
   * @return the bytes
   * @throws PermanentFailure on an HTTP 4xx answer (except 408 and 429), a missing file, an
   *     unsupported scheme, or more than {@code maxBytes} bytes (the message names the limit)
   * @throws dev.mesoskit.core.MesosKitException when the host cannot be reached, the transfer
   *     breaks, or the server answers 5xx, 408 or 429 (worth another attempt)
   * @throws IllegalArgumentException when {@code maxBytes} is negative
   * @throws CancellationException when the task is killed or the thread interrupted
   */
  public byte[] download(URI source, long maxBytes) {
    return ArtifactTransfers.download(Objects.requireNonNull(source, "source must not be null"),
        maxBytes, transfers);
  }

  /**
   * Downloads a task input to a file of any size, streaming it so that it is never held in
   * memory: {@link #downloadTo(URI, Path, long)} without a limit.
   *
   * @param source an {@code http}, {@code https} or {@code file} URI
   * @param target the file to create or replace, e.g. {@code ctx.sandbox().resolve("in.png")}
   * @return {@code target}
   * @throws PermanentFailure on an HTTP 4xx answer (except 408 and 429), a missing file or an
   *     unsupported scheme
   * @throws dev.mesoskit.core.MesosKitException when the host cannot be reached, the transfer
   *     breaks, the server answers 5xx, 408 or 429, or the file cannot be written (worth another
   *     attempt)
   * @throws IllegalArgumentException when {@code target} is a directory
   * @throws CancellationException when the task is killed or the thread interrupted; the
   *     temporary file is deleted
   */
  public Path downloadTo(URI source, Path target) {
    return downloadTo(source, target, Long.MAX_VALUE);
  }

  /**
   * Downloads a task input to a file, refusing more than {@code maxBytes}, streaming it so that
   * it is never held in memory. The file is whole or absent: the body goes to a temporary file in
   * the target's directory (named {@code .mesoskit-download-<random>.part}), which is flushed to
   * disk and renamed onto {@code target} in one atomic step only once the whole body arrived
   * (exactly its {@code Content-Length}, when the server sent one). On any failure, a kill
   * included, the temporary file is deleted and an existing {@code target} stays as it was;
   * only a crash of the executor's process can leave a temporary file behind. Missing parent
   * directories of {@code target} are created. The limit and the failures are those of
   * {@link #download(URI, long)}, with the same messages.
   *
   * <pre>{@code
   * Path video = ctx.downloadTo(URI.create(ctx.dataAsString()), ctx.sandbox().resolve("in.mp4"),
   *     10L << 30);
   * }</pre>
   *
   * @param source an {@code http}, {@code https} or {@code file} URI
   * @param target the file to create or replace, e.g. {@code ctx.sandbox().resolve("in.png")}
   * @param maxBytes the most bytes accepted, e.g. {@code 10L << 30}
   * @return {@code target}, for chaining; {@link Files#size} tells the bytes downloaded
   * @throws PermanentFailure on an HTTP 4xx answer (except 408 and 429), a missing file, an
   *     unsupported scheme, or more than {@code maxBytes} bytes (the message names the limit)
   * @throws dev.mesoskit.core.MesosKitException when the host cannot be reached, the transfer
   *     breaks or ends short of its {@code Content-Length}, the server answers 5xx, 408 or 429,
   *     or the file cannot be written (worth another attempt)
   * @throws IllegalArgumentException when {@code maxBytes} is negative or {@code target} is a
   *     directory
   * @throws CancellationException when the task is killed or the thread interrupted; the
   *     temporary file is deleted
   */
  public Path downloadTo(URI source, Path target, long maxBytes) {
    return ArtifactTransfers.downloadTo(
        Objects.requireNonNull(source, "source must not be null"),
        Objects.requireNonNull(target, "target must not be null"), maxBytes, transfers);
  }

  void cancel() {
    cancelled.countDown();
    for (Closeable c : closeOnCancel) {
      closeQuietly(c);
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException e) {
      // the transfer's read fails either way, and reports the kill
    }
  }

  @Override
  public String toString() {
    return "TaskContext[task=" + task.mesosTaskId() + ", name=" + task.name() + ", cancelled="
        + isCancelled() + "]";
  }
}
