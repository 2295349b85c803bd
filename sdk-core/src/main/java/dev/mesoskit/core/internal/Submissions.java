package dev.mesoskit.core.internal;

import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import java.time.Instant;
import java.util.List;
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
      loop.enqueue(() -> {
        TaskRecord r = runtime.record(recovered.get());
        if (r != null && !r.done && !r.spec.equals(spec)) {
          Recovery.respecify(r, spec, policy);
          journal.submitted(r); // the new spec, for the next scheduler too
        }
      });
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
      runtime.pods().add(pod);
      journal.submitted(pod, spec);
      pod.members.forEach(this::known);
    });
    return pod.members.stream().map(r -> r.id).toList();
  }

  /** Makes a submitted task known: stored, announced, and waiting. Event thread. */
  private void known(TaskRecord r) {
    Objects.requireNonNull(r);
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
   * Makes a task recovered from the state store known, in place of one submitted before start
   * under its id (the same task: {@code Recovery} checked): its outcome completed when it has
   * one, else waiting for an offer or, held, for the master's answer. Event thread.
   */
  void recovered(TaskRecord r) {
    if (runtime.record(r.id) != null) {
      runtime.pending().remove(r.id);
    }
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
}
