package dev.mesoskit.core;

import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One framework wired to a {@link FakeBackend} and a {@link ManualScheduler}, with a listener that
 * records every snapshot it receives: the shared setup of the {@code Framework*Test} classes.
 *
 * <p>Everything runs on the test thread: each helper pushes an event and runs the loop until it is
 * idle, so assertions see the framework's reaction at once.
 */
final class TestRig {
  /** Jitter comes from this seed; tests compute expected backoffs from the same seed. */
  static final long SEED = 7;

  final ManualScheduler loop = new ManualScheduler();
  final FakeBackend backend = new FakeBackend();
  final FrameworkIdStore store;
  /** Every snapshot the listener received, in order. */
  final List<Task> seen = new ArrayList<>();
  Framework framework;

  TestRig() {
    this(FrameworkIdStore.inMemory());
  }

  TestRig(FrameworkIdStore store) {
    this.store = store;
  }

  /** A builder with deterministic time, randomness and storage, and the recording listener. */
  Framework.Builder builder() {
    return Framework.builder()
        .name("test")
        .backend(backend)
        .executor(loop)
        .clock(loop.clock())
        .random(new Random(SEED))
        .frameworkIdStore(store)
        .listener(seen::add);
  }

  /** Builds and starts the framework. */
  TestRig start(Framework.Builder builder) {
    framework = builder.build();
    framework.start();
    loop.runPending();
    return this;
  }

  /** Builds with the defaults of {@link #builder()} and starts. */
  TestRig start() {
    return start(builder());
  }

  /** Starts and pushes SUBSCRIBED {@code fw-1}. */
  TestRig started() {
    start();
    subscribed();
    return this;
  }

  void subscribed() {
    backend.subscribed("fw-1");
    loop.runPending();
  }

  void disconnected() {
    backend.events().disconnected("connection reset");
    loop.runPending();
  }

  /** Submits a command task {@code id} needing {@code resources}. */
  TaskId submit(String id, String resources) {
    TaskId taskId = framework.submit(spec(id, resources));
    loop.runPending();
    return taskId;
  }

  TaskId submit(TaskSpec spec) {
    TaskId taskId = framework.submit(spec);
    loop.runPending();
    return taskId;
  }

  static TaskSpec spec(String id, String resources) {
    return TaskSpec.builder().id(id).name(id).resources(resources).command("sleep 1").build();
  }

  /** Pushes one offer and runs the packing pass. */
  Offer offer(String agentId, String resources) {
    Offer o = backend.offer(agentId, resources);
    loop.runPending();
    return o;
  }

  /** Pushes several offers in one OFFERS event and runs the packing pass. */
  void offers(Offer... offers) {
    backend.events().offers(List.of(offers));
    loop.runPending();
  }

  /** Pushes an update with a uuid and returns the uuid. */
  String update(String mesosTaskId, String agentId, TaskState state, String reason,
      String message) {
    String uuid = backend.update(mesosTaskId, agentId, state, reason, message);
    loop.runPending();
    return uuid;
  }

  String update(String mesosTaskId, TaskState state) {
    return update(mesosTaskId, "a1", state, null, null);
  }

  void answer(String mesosTaskId, TaskState state) {
    backend.reconciliationAnswer(mesosTaskId, "a1", state);
    loop.runPending();
  }

  void advance(Duration d) {
    loop.advance(d);
  }

  Task task(String id) {
    return framework.task(TaskId.of(id)).orElseThrow();
  }

  /** The states the listener saw for one task, in order. */
  List<TaskState> statesSeen(String id) {
    return seen.stream().filter(t -> t.id().value().equals(id)).map(Task::state).toList();
  }

  /** The snapshots the listener saw for one task. */
  List<Task> seen(String id) {
    return seen.stream().filter(t -> t.id().value().equals(id)).toList();
  }

  List<String> calls() {
    return backend.calls();
  }

  /** The calls since {@link FakeBackend#clearCalls()}. */
  void clearCalls() {
    backend.clearCalls();
  }

  /** Backoff delays of a policy for attempts 1, 2, ... drawn from a fresh {@link #SEED} random. */
  static List<Duration> backoffs(RetryPolicy policy, int count) {
    Random random = new Random(SEED);
    List<Duration> out = new ArrayList<>();
    for (int attempt = 1; attempt <= count; attempt++) {
      out.add(policy.backoff(attempt, random.nextDouble()));
    }
    return out;
  }
}
