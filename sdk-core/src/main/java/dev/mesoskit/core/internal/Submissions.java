package dev.mesoskit.core.internal;

import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.MesosKitException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes tasks and pods in, and the tasks recovered from the state store: claims their ids on the submitting thread (so a second submission of
 * an id fails at once), or hands back the recovered task a submission is, then makes each known
 * on the event thread, where it is written to the state store and waits for an offer (or, after
 * a failover without a task store, for the master's word that it does not run yet).
 *
 * <p>Threading: {@link #submit(TaskSpec)} and {@link #submit(PodSpec)} on any thread, after the
 * runtime checked that it takes tasks; the rest on the event thread.
 */
final class Submissions {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final EventLoop loop;
  private final TaskViews views;
  private final Recovery recovery;
  private final StateJournal journal;
  private final TaskStateMachine stateMachine;
  /** Submissions made before the store was taken, made known after the recovery. */
  private final List<Runnable> early = new ArrayList<>();
  /** Recovered tasks submitted again before they were installed. */
  private final Map<TaskId, Respec> respecs = new LinkedHashMap<>();

  Submissions(RuntimeConfig config, FrameworkRuntime runtime, EventLoop loop, TaskViews views,
      Recovery recovery, StateJournal journal, TaskStateMachine stateMachine) {
    this.stateMachine = stateMachine;
    this.config = config;
    this.runtime = runtime;
    this.loop = loop;
    this.views = views;
    this.recovery = recovery;
    this.journal = journal;
  }

  /** Claims a task's id, or finds the recovered task it is, and queues it. */
  TaskId submit(TaskSpec spec) {
    RetryPolicy policy = spec.retryPolicy().orElse(config.retryPolicy());
    Optional<TaskId> recovered = recovery.adopt(spec);
    if (recovered.isPresent()) {
      log.debug("submitted task is one recovered from the state store task={}", recovered.get());
      loop.enqueue(() -> respecify(recovered.get(), spec, policy));
      return recovered.get();
    }
    CompletableFuture<Task> outcome = new CompletableFuture<>();
    TaskId id = views.claim(spec, outcome);
    Instant now = config.clock().instant();
    TaskRecord record = new TaskRecord(id, spec, policy, now, outcome);
    views.put(id, record.snapshot(now));
    loop.enqueue(() -> known(record));
    return id;
  }

  /** Claims a pod's ids, or finds the recovered pod it is, and queues it. */
  List<TaskId> submit(PodSpec spec) {
    Optional<List<TaskId>> recovered = recovery.adoptPod(spec);
    if (recovered.isPresent()) {
      return recovered.get();
    }
    Instant now = config.clock().instant();
    PodRecord pod = runtime.pods().claim(spec, config.retryPolicy(), now, views::claim,
        views::release);
    pod.members.forEach(r -> views.put(r.id, r.snapshot(now)));
    loop.enqueue(() -> {
      if (!journal.ready()) {
        early.add(() -> podKnown(pod, spec)); // the store is not taken yet: see afterRecovery
      } else {
        podKnown(pod, spec);
      }
    });
    return pod.members.stream().map(r -> r.id).toList();
  }

  private void podKnown(PodRecord pod, PodSpec spec) {
    for (TaskRecord m : pod.members) {
      if (runtime.record(m.id) != null) {
        throw new MesosKitException("pod " + spec.name() + " was submitted before start() with"
            + " task ids that tasks recovered from the state store have (" + m.id + "); submit"
            + " it after start(), when the recovered pod is returned");
      }
    }
    runtime.pods().add(pod);
    journal.submitted(pod, spec);
    pod.members.forEach(this::known);
  }

  /** Makes a submitted task known: stored, announced, and waiting. Event thread. */
  private void known(TaskRecord r) {
    Objects.requireNonNull(r);
    if (!journal.ready()) {
      early.add(() -> earlyKnown(r)); // the store is not taken yet: see afterRecovery
      return;
    }
    if (runtime.record(r.id) != null) {
      log.debug("task submitted as it was recovered from the state store task={}", r.id);
      return;
    }
    // With a task store, a new task never ran; without one (or when the id came from a run that
    // kept nothing else), an earlier run may have launched it: held until the master answers.
    r.held = runtime.mayHaveRun();
    runtime.add(r);
    runtime.pending().add(r.id);
    if (runtime.pods().of(r.id) == null) {
      journal.submitted(r);
    }
    log.info("task submitted task={} resources={}{}", r.id, r.spec.resources(),
        r.held ? " (held until reconciled: this run fails over)" : "");
    runtime.waitForLaunch(r);
  }

  /**
   * Makes a task recovered from the state store known: its outcome completed when it has one,
   * else waiting for an offer or, held, for the master's answer. Event thread.
   */
  void recovered(TaskRecord r) {
    runtime.add(r);
    Task snapshot = r.snapshot(config.clock().instant());
    views.put(r.id, snapshot);
    if (r.done) {
      r.outcome.complete(snapshot);
      return;
    }
    runtime.pending().add(r.id);
    if (!r.held) {
      stateMachine.placeable(r);
    }
  }

  /**
   * The recovered tasks are installed: the tasks submitted before the store was taken are made
   * known now, each either a task of its own or, under the id of a recovered one, that task
   * submitted again; so are the specs submitted again before the recovered tasks were known.
   * Event thread.
   *
   * @throws MesosKitException when a task submitted before start got an id derived from its
   *     name that a recovered task of another spec has
   */
  void afterRecovery() {
    List<Runnable> waiting = new ArrayList<>(early);
    early.clear();
    waiting.forEach(Runnable::run);
    Map<TaskId, Respec> again = new LinkedHashMap<>(respecs);
    respecs.clear();
    again.forEach((id, r) -> respecify(id, r.spec(), r.policy()));
  }

  private void earlyKnown(TaskRecord r) {
    TaskRecord stored = runtime.record(r.id);
    if (stored == null) {
      known(r);
      return;
    }
    if (r.spec.id().isEmpty() && !stored.spec.equals(r.spec)) {
      throw new MesosKitException("task " + r.id + " was submitted before start() under an id"
          + " derived from its name that a task of an earlier run, stored with another spec,"
          + " has; submit after start(), when derived ids skip the stored ones");
    }
    respecify(r.id, r.spec, r.policy); // the recovered task, submitted again
  }

  /** A recovered task submitted again with {@code spec}: its later attempts use it. */
  private void respecify(TaskId id, TaskSpec spec, RetryPolicy policy) {
    TaskRecord r = runtime.record(id);
    if (r == null) {
      respecs.put(id, new Respec(spec, policy)); // submitted during start: see afterRecovery
      return;
    }
    if (!r.done && !r.spec.equals(spec)) {
      Recovery.respecify(r, spec, policy);
      journal.submitted(r); // the new spec, for the next scheduler too
      runtime.gpusMayBeNeeded(r);
    }
  }

  private record Respec(TaskSpec spec, RetryPolicy policy) {}
}
