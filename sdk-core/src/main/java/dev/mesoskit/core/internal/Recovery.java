package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes over the tasks an earlier scheduler run left in the state store: each one comes back
 * with its spec, attempt and outcome; a task whose attempt may have been launched is held until
 * the master says whether it runs (adopted), finished (its outcome) or never ran (launched
 * again); a task never launched waits for an offer as if just submitted.
 *
 * <p>Recovered tasks are not announced to the listeners: they hear each task's next change.
 * A submission of a recovered task with an equal spec (and the same id, or none) gets the
 * recovered task, its id and its outcome, instead of a second task, so programs written to
 * submit their work again after a restart keep working; so does a pod submitted again.
 *
 * <p>Threading: {@link #claim} runs on the thread that starts or elects the framework, before
 * the event loop hears of the recovery and before any submission can see it; {@link #install}
 * on the event thread; {@link #adopt} and {@link #adoptPod} on submitting threads.
 */
final class Recovery {
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  /** Recovered tasks with an id of their own that no submission claimed yet. */
  private final Map<TaskId, TaskSpec> unclaimedNamed = new ConcurrentHashMap<>();
  /** Recovered tasks with derived ids no submission claimed yet, by their spec. */
  private final Map<TaskSpec, Deque<TaskId>> unclaimed = new ConcurrentHashMap<>();
  /** Recovered pods that no submission claimed yet, by the spec they were submitted with. */
  private final Map<PodSpec, Deque<List<TaskId>>> unclaimedPods = new ConcurrentHashMap<>();

  /**
   * Registers the recovered tasks' outcome futures and makes them claimable by submissions. A
   * task submitted before start under a stored id keeps its future; {@link #install} checks that
   * it is the same task.
   *
   * @param stored what the store held
   * @param outcomes the runtime's outcome futures by id
   */
  void claim(StateJournal.Recovered stored, Map<TaskId, CompletableFuture<Task>> outcomes) {
    for (StateJournal.StoredPod p : stored.pods()) {
      List<TaskId> ids = StateJournal.ids(p.claimed());
      boolean fresh = true;
      for (TaskId id : ids) {
        fresh &= outcomes.putIfAbsent(id, new CompletableFuture<>()) == null;
      }
      if (fresh) {
        unclaimedPods.computeIfAbsent(p.submitted(), k -> new ConcurrentLinkedDeque<>()).add(ids);
      }
    }
    for (StateJournal.StoredSpec t : stored.tasks()) {
      StateJournal.StoredState state = stored.states().get(t.id());
      boolean done = state != null && state.done();
      if (outcomes.putIfAbsent(t.id(), new CompletableFuture<>()) != null) {
        continue; // submitted before start: install checks it is the same task
      }
      if (t.spec().id().isPresent()) {
        unclaimedNamed.put(t.id(), t.spec());
      } else if (!done) {
        // An ended task is the same work only when it is named: an equal spec without an id
        // (every hour's backup, say) is new work.
        unclaimed.computeIfAbsent(t.spec(), k -> new ConcurrentLinkedDeque<>()).add(t.id());
      }
    }
  }

  /**
   * The recovered task a submission of {@code spec} is, if any; it is then claimed. A task with an
   * id of its own is the recovered task of that id whatever its spec (the application's newer
   * description of the same work: its later attempts use it); a task without one is a recovered
   * task with an equal spec that has no outcome yet.
   *
   * @return the task's id, or empty when the task is new
   */
  Optional<TaskId> adopt(TaskSpec spec) {
    if (spec.id().isPresent()) {
      TaskId id = spec.id().get();
      return unclaimedNamed.remove(id) != null ? Optional.of(id) : Optional.empty();
    }
    Deque<TaskId> ids = unclaimed.get(spec);
    return ids == null ? Optional.empty() : Optional.ofNullable(ids.pollFirst());
  }

  /**
   * The recovered pod a submission of {@code spec} is, if any; it is then claimed.
   *
   * @return its tasks' ids, or empty when the pod is new
   */
  Optional<List<TaskId>> adoptPod(PodSpec spec) {
    Deque<List<TaskId>> pods = unclaimedPods.get(spec);
    return pods == null ? Optional.empty() : Optional.ofNullable(pods.pollFirst());
  }

  /**
   * Builds the recovered tasks, on the thread that starts or elects the framework: records made,
   * not yet known to the event loop.
   *
   * @param stored what the store held
   * @param runtime the runtime: its pods, and the outcome futures {@link #claim} registered
   * @return the records, in submission order, pods' tasks first
   */
  static List<TaskRecord> build(StateJournal.Recovered stored, FrameworkRuntime runtime) {
    List<TaskRecord> all = new ArrayList<>();
    for (StateJournal.StoredPod p : stored.pods()) {
      PodRecord pod = runtime.pods().restore(p, runtime::outcomeFuture);
      for (TaskRecord m : pod.members) {
        restoreState(m, stored.states().get(m.id));
        all.add(m);
      }
    }
    for (StateJournal.StoredSpec t : stored.tasks()) {
      TaskRecord r = new TaskRecord(t.id(), t.spec(), t.policy(), t.submittedAt(),
          runtime.outcomeFuture(t.id()));
      restoreState(r, stored.states().get(t.id()));
      all.add(r);
    }
    long done = all.stream().filter(r -> r.done).count();
    long held = all.stream().filter(r -> r.held).count();
    log.info("recovered tasks from the state store count={} done={} maybe_running={}"
        + " never_launched={}", all.size(), done, held, all.size() - done - held);
    return all;
  }

  /**
   * Installs recovered records on the event thread: pods made known, each record handed to
   * {@code install}.
   *
   * @param records what {@link #build} made
   * @param runtime the runtime: its pods, and the tasks submitted before start
   * @param install puts a record in the runtime
   * @throws MesosKitException when a task submitted before start has a stored id but another
   *     spec
   */
  static void install(List<TaskRecord> records, FrameworkRuntime runtime,
      Consumer<TaskRecord> install) {
    for (TaskRecord r : records) {
      PodRecord pod = runtime.pods().restored(r);
      if (pod != null) {
        runtime.pods().add(pod);
      }
      TaskRecord before = runtime.record(r.id);
      if (before != null && !before.spec.equals(r.spec)) {
        if (before.spec.id().isEmpty()) {
          throw new MesosKitException("task " + r.id + " was submitted before start() under an"
              + " id derived from its name that a task of an earlier run, stored with another"
              + " spec, has; submit after start(), when derived ids skip the stored ones");
        }
        respecify(r, before.spec, before.policy); // the same work, described anew
      }
      install.accept(r);
    }
  }

  /**
   * Gives a recovered task the spec it was submitted with again: the attempt that may run keeps
   * what it was launched with; later attempts use the new spec.
   */
  static void respecify(TaskRecord r, TaskSpec spec, dev.mesoskit.core.RetryPolicy policy) {
    if (r.done || r.spec.equals(spec)) {
      return;
    }
    log.info("recovered task submitted again with another spec, later attempts use it task={}",
        r.id);
    r.spec = spec;
    r.policy = policy;
    r.pendingTask = null;
  }

  private static void restoreState(TaskRecord r, StateJournal.StoredState s) {
    if (s == null) {
      return; // submitted, never launched: attempt 1, pending
    }
    r.attempt = s.attempt();
    r.agentId = s.agentId().orElse(null);
    r.hostname = s.hostname().orElse(null);
    r.ports = s.ports();
    if (s.done()) {
      r.done = true;
      r.state = s.state();
      r.message = s.message().orElse(null);
      r.reason = s.reason().orElse(null);
      r.result = s.result().orElse(null);
    } else if (s.launched()) {
      r.held = true; // the master says whether it runs
      r.state = TaskState.PENDING;
      r.killRequested = s.killRequested(); // killed again once the master says it runs
      r.killGracePeriod = s.killGracePeriod().orElse(null);
    }
  }
}
