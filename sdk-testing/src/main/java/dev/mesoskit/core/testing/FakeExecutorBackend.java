package dev.mesoskit.core.testing;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.ExecutorRegistration;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * An in-memory {@link ExecutorBackend} for executor runtime tests: records every update, lets the
 * test push the agent's events, and acknowledges updates at once unless told not to.
 *
 * <pre>{@code
 * FakeExecutorBackend agent = new FakeExecutorBackend();
 * ... runtime.run(handler) on another thread ...
 * agent.launch(FakeExecutorBackend.task("t.1"));
 * agent.awaitUpdate("t.1", TaskState.FINISHED, Duration.ofSeconds(5));
 * }</pre>
 */
public final class FakeExecutorBackend implements ExecutorBackend {
  /** The framework of {@link #task}. */
  public static final String FRAMEWORK_ID = "fw-1";
  /** The executor of {@link #task}. */
  public static final String EXECUTOR_ID = "exec-1";
  /** The agent of {@link #task}. */
  public static final String AGENT_ID = "agent-1";

  private final List<TaskStatus> updates = new ArrayList<>();
  private final List<CompletableFuture<Void>> acknowledgements = new ArrayList<>();
  private final List<byte[]> messages = new ArrayList<>();
  private volatile ExecutorEvents events;
  private volatile boolean autoAcknowledge = true;
  private volatile int closes;
  private final Set<String> frameworkCapabilities;

  /** An agent whose framework declared no capabilities. */
  public FakeExecutorBackend() {
    this(Set.of());
  }

  /**
   * An agent whose framework declared these capabilities, as the agent passes them in
   * {@code SUBSCRIBED.framework_info}.
   *
   * @param frameworkCapabilities Mesos capability names, e.g. {@code TASK_KILLING_STATE}
   */
  public FakeExecutorBackend(Set<String> frameworkCapabilities) {
    this.frameworkCapabilities = Set.copyOf(frameworkCapabilities);
  }

  /**
   * A task of {@link #FRAMEWORK_ID} on {@link #EXECUTOR_ID} and {@link #AGENT_ID}, no data, no
   * labels, no resources, no kill policy.
   *
   * @param mesosTaskId the Mesos task id
   * @return the task
   */
  public static LaunchedTask task(String mesosTaskId) {
    return task(mesosTaskId, "", Map.of(), Resources.empty(), Optional.empty());
  }

  /**
   * A task of {@link #FRAMEWORK_ID} on {@link #EXECUTOR_ID} and {@link #AGENT_ID}.
   *
   * @param mesosTaskId the Mesos task id
   * @param data the data, as UTF-8
   * @param labels the labels
   * @param resources the resources
   * @param killGracePeriod the kill policy's grace period, if any
   * @return the task
   */
  public static LaunchedTask task(String mesosTaskId, String data, Map<String, String> labels,
      Resources resources, Optional<Duration> killGracePeriod) {
    return new LaunchedTask(mesosTaskId, "name-" + mesosTaskId,
        data.getBytes(StandardCharsets.UTF_8), labels, resources, EXECUTOR_ID, FRAMEWORK_ID,
        AGENT_ID, killGracePeriod);
  }

  // ---------------------------------------------------------------- ExecutorBackend

  @Override
  public void subscribe(ExecutorEvents sink) {
    if (events != null) {
      throw new IllegalStateException("subscribe was already called");
    }
    events = sink;
    sink.subscribed(new ExecutorRegistration(FRAMEWORK_ID, EXECUTOR_ID, AGENT_ID, "agent.host",
        frameworkCapabilities));
  }

  @Override
  public synchronized CompletableFuture<Void> update(TaskStatus status) {
    updates.add(status);
    CompletableFuture<Void> f = new CompletableFuture<>();
    acknowledgements.add(f);
    if (autoAcknowledge) {
      f.complete(null);
    }
    return f;
  }

  @Override
  public synchronized void message(byte[] data) {
    messages.add(data.clone());
  }

  @Override
  public void close() {
    closes++;
  }

  // ---------------------------------------------------------------- script

  /**
   * Whether updates are acknowledged as they arrive (the default).
   *
   * @param value false to leave them unacknowledged until {@link #acknowledgeAll()}
   */
  public void autoAcknowledge(boolean value) {
    autoAcknowledge = value;
  }

  /** Acknowledges every update received so far. */
  public synchronized void acknowledgeAll() {
    acknowledgements.forEach(f -> f.complete(null));
  }

  /**
   * The runtime's events, once it subscribed.
   *
   * @return the events
   */
  public ExecutorEvents events() {
    await(() -> events != null, Duration.ofSeconds(5), () -> "the runtime never subscribed");
    return events;
  }

  /**
   * Hands the runtime a task.
   *
   * @param task the task
   */
  public void launch(LaunchedTask task) {
    events().launch(task);
  }

  /**
   * Kills a task without a kill policy of its own.
   *
   * @param mesosTaskId the task
   */
  public void kill(String mesosTaskId) {
    events().kill(mesosTaskId, Optional.empty());
  }

  /** Asks the executor to shut down. */
  public void shutdown() {
    events().shutdown();
  }

  // ---------------------------------------------------------------- observe

  /**
   * Every update received, in order.
   *
   * @return the updates
   */
  public synchronized List<TaskStatus> updates() {
    return List.copyOf(updates);
  }

  /**
   * The updates of one task, in order.
   *
   * @param mesosTaskId the task
   * @return its updates
   */
  public synchronized List<TaskStatus> updates(String mesosTaskId) {
    return updates.stream().filter(u -> u.mesosTaskId().equals(mesosTaskId)).toList();
  }

  /**
   * The states of one task's updates, in order.
   *
   * @param mesosTaskId the task
   * @return the states
   */
  public List<TaskState> states(String mesosTaskId) {
    return updates(mesosTaskId).stream().map(TaskStatus::state).toList();
  }

  /**
   * Waits for an update of a task in a state and returns it.
   *
   * @param mesosTaskId the task
   * @param state the state
   * @param timeout how long at most
   * @return the first such update
   * @throws AssertionError on timeout
   */
  public TaskStatus awaitUpdate(String mesosTaskId, TaskState state, Duration timeout) {
    Predicate<TaskStatus> match = u -> u.mesosTaskId().equals(mesosTaskId) && u.state() == state;
    await(() -> updates().stream().anyMatch(match), timeout,
        () -> "no " + state + " update for " + mesosTaskId + "; updates were " + describe());
    return updates().stream().filter(match).findFirst().orElseThrow();
  }

  /**
   * How often {@link #close()} was called.
   *
   * @return the count
   */
  public int closes() {
    return closes;
  }

  private String describe() {
    return updates().stream().map(u -> u.mesosTaskId() + ":" + u.state()
        + u.message().map(m -> "(" + m + ")").orElse("")).toList().toString();
  }

  /**
   * Waits until a condition holds.
   *
   * @param condition the condition
   * @param timeout how long at most
   * @param failure the message of the error on timeout
   * @throws AssertionError on timeout
   */
  public static void await(BooleanSupplier condition, Duration timeout,
      Supplier<String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(failure.get());
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }
}
