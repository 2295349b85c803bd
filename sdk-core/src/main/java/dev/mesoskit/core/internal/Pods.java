package dev.mesoskit.core.internal;

import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pods of a framework: tasks launched together on one agent by Mesos' default executor, that
 * live and die as one.
 *
 * <p>Packing: the {@link dev.mesoskit.core.spi.PackingStrategy} sees a pod as one
 * {@link dev.mesoskit.core.spi.PendingTask} under its first task's id: a command task (so no
 * executor is charged on top) with the pod's name, the labels of all its tasks (the first task's
 * win) and, as resources, the sum of its tasks' resources and the executor's. Every strategy thus
 * places a pod whole on one agent, from one round's offers, or leaves it pending with a reason,
 * without knowing pods. The offer round then splits the placed resources back with
 * {@link dev.mesoskit.core.Resources#allocate}: each task in the pod's order (scalars to Mesos'
 * three decimals, counted ports lowest first, specific ports as asked), then the executor from
 * what is left, and launches one {@link dev.mesoskit.core.spi.TaskGroupLaunch}.
 *
 * <p>Lifecycle: each task keeps its own record, snapshots and updates. A task whose attempt ends
 * shows how it ended but waits for the others; once every task's attempt ended, the pod's attempt
 * ended: all FINISHED is each task's outcome FINISHED; a kill on request ends each task KILLED
 * (FINISHED when it finished first); any other ending failed the pod's attempt, which is retried
 * whole under the first task's {@link RetryPolicy} (or the framework's), every task with the next
 * attempt number, or ends every task FAILED (ERROR when Mesos refused a task, never retried).
 * Mesos' default executor kills the rest of a pod when one of its tasks fails or is killed there;
 * a task that ends any other way (through the master or the agent: LOST, GONE, ERROR, ...) gets
 * the rest killed here, so that the pod's attempt always ends whole. A failing-over run relaunches
 * a pod none of whose tasks runs any more, and ends the attempt of a pod found running in part.
 *
 * <p>Threading: {@link #claim} may run on any thread; everything else on the event thread.
 */
final class Pods {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final EventLoop loop;
  private final OfferRound offerRound;
  private final TaskStateMachine stateMachine;
  /** The keys of every pod submitted, claimed on the submitting thread. */
  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final AtomicLong derived = new AtomicLong();
  /** Event thread only. */
  private final Map<TaskId, PodRecord> byTask = new HashMap<>();
  /** Pods rebuilt from the state store and not yet made known, by their first task. */
  private final Map<TaskId, PodRecord> restoredPods = new ConcurrentHashMap<>();

  Pods(RuntimeConfig config, FrameworkRuntime runtime, EventLoop loop, OfferRound offerRound,
      TaskStateMachine stateMachine) {
    this.config = config;
    this.runtime = runtime;
    this.loop = loop;
    this.offerRound = offerRound;
    this.stateMachine = stateMachine;
  }

  /**
   * Claims the pod's key and its tasks' ids and builds its records; releases what it claimed when
   * an id is taken. Any thread.
   *
   * @param claim claims an id for a task's outcome, false when the id was submitted before
   * @param release gives a claimed id back
   * @throws IllegalArgumentException when a task's own id was submitted before, or the tasks ask
   *     for ports in ways that cannot be added up
   */
  PodRecord claim(PodSpec spec, RetryPolicy frameworkPolicy, Instant now,
      BiPredicate<TaskId, CompletableFuture<Task>> claim, Consumer<TaskId> release) {
    ResourceSpec demand = demand(spec);
    String base = sanitize(spec.name(), 21);
    String key = base;
    while (!keys.add(key)) {
      key = base + "-" + derived.incrementAndGet();
    }
    RetryPolicy policy = spec.tasks().get(0).retryPolicy().orElse(frameworkPolicy);
    List<TaskRecord> members = new ArrayList<>();
    for (TaskSpec t : spec.tasks()) {
      CompletableFuture<Task> outcome = new CompletableFuture<>();
      TaskId id;
      if (t.id().isPresent()) {
        id = t.id().get();
        if (!claim.test(id, outcome)) {
          members.forEach(m -> release.accept(m.id));
          keys.remove(key);
          throw new IllegalArgumentException("task id must be unique but '" + id
              + "' was already submitted (task " + t.name() + " of pod " + spec.name() + ")");
        }
      } else {
        String derivedBase = sanitize(key + "." + t.name(), 42);
        id = TaskId.of(derivedBase);
        while (!claim.test(id, outcome)) {
          id = TaskId.of(derivedBase + "-" + derived.incrementAndGet());
        }
      }
      members.add(new TaskRecord(id, t, policy, now, outcome));
    }
    return new PodRecord(key, spec, members, demand);
  }

  private static ResourceSpec demand(PodSpec spec) {
    ResourceSpec sum = spec.tasks().get(0).resources();
    try {
      for (TaskSpec t : spec.tasks().subList(1, spec.tasks().size())) {
        if (t.resources().ports().intersect(sum.ports()).size() > 0) {
          throw new IllegalArgumentException("ports " + t.resources().ports().intersect(
              sum.ports()) + " are asked for by two tasks");
        }
        sum = sum.plus(t.resources());
      }
      return sum.plus(spec.executorResources());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pod " + spec.name() + ": its tasks' resources must add"
          + " up on one agent, but " + e.getMessage(), e);
    }
  }

  /** Keeps an id within Mesos' rules, with room for a suffix of {@code room} characters. */
  private static String sanitize(String name, int room) {
    String s = name.replaceAll("[/\\\\\\p{Cntrl}]", "_");
    return s.length() > TaskId.MAX_LENGTH - room ? s.substring(0, TaskId.MAX_LENGTH - room) : s;
  }

  /**
   * Rebuilds a pod recovered from the state store, under its stored key and ids. Event thread.
   *
   * @param outcomeOf the outcome future of each member's id
   */
  PodRecord restore(StateJournal.StoredPod stored,
      java.util.function.Function<TaskId, CompletableFuture<Task>> outcomeOf) {
    keys.add(stored.key());
    List<TaskRecord> members = new ArrayList<>();
    List<TaskSpec> submitted = stored.submitted().tasks();
    for (int i = 0; i < submitted.size(); i++) {
      TaskId id = stored.claimed().tasks().get(i).id().orElseThrow();
      members.add(new TaskRecord(id, submitted.get(i), stored.policy(), stored.submittedAt(),
          outcomeOf.apply(id)));
    }
    PodRecord pod = new PodRecord(stored.key(), stored.submitted(), members,
        demand(stored.submitted()));
    restoredPods.put(members.get(0).id, pod);
    return pod;
  }

  /**
   * The pod a recovered record is the first task of, once: to be made known with {@link #add}.
   *
   * @return the pod, or null when the record is not a recovered pod's first task
   */
  PodRecord restored(TaskRecord r) {
    return restoredPods.remove(r.id);
  }

  /** Makes a claimed pod known. Event thread. */
  void add(PodRecord pod) {
    for (TaskRecord m : pod.members) {
      byTask.put(m.id, pod);
    }
  }

  /**
   * The pod of a task.
   *
   * @return the pod, or null for a task of its own
   */
  PodRecord of(TaskId id) {
    return byTask.get(id);
  }

  /**
   * The tasks that share the fate of a task: its pod's, or the task alone.
   *
   * @return the records; one null element for an unknown id
   */
  List<TaskRecord> withPod(TaskId id) {
    PodRecord pod = byTask.get(id);
    return pod != null ? pod.members : Collections.singletonList(runtime.record(id));
  }

  /** What must fit one agent for this task: its pod's demand, or its own resources. */
  ResourceSpec demand(TaskRecord r) {
    PodRecord pod = byTask.get(r.id);
    return pod != null ? pod.demand : r.spec.resources();
  }

  /**
   * The task a kill should go to: a task of the same pod still running when this one's attempt
   * ended already (Mesos' default executor then kills the rest), else the task itself.
   */
  TaskRecord killTarget(TaskRecord r) {
    PodRecord pod = byTask.get(r.id);
    if (pod == null || r.attemptEnding == null) {
      return r;
    }
    for (TaskRecord m : pod.members) {
      if (m.attemptEnding == null && !m.done) {
        return m;
      }
    }
    return r;
  }

  /**
   * Ends every task of a pod the backend could not launch: FAILED, not retried.
   *
   * @param why the backend's words, e.g. {@code "X cannot launch pods (LAUNCH_GROUP)"}
   */
  void notLaunched(PodRecord pod, String why) {
    log.warn("pod not launched pod={} tasks={} cause={}", pod.spec.name(), pod.members.size(), why);
    for (TaskRecord m : pod.members) {
      m.agentId = null;
      m.hostname = null;
      m.ports = List.of();
      if (!m.done) {
        stateMachine.finishTask(m, TaskState.FAILED, "not launched: " + why, null);
      }
    }
  }

  /**
   * Takes the end of a task's attempt when the task belongs to a pod. Mesos' default executor
   * kills the rest of the pod only when one of its tasks fails or is killed there (its own
   * TASK_FAILED or TASK_KILLED); an ending that comes from the master or the agent (LOST, DROPPED,
   * GONE, GONE_BY_OPERATOR, UNKNOWN, ERROR, UNREACHABLE, or any update whose source is not
   * {@code SOURCE_EXECUTOR}) leaves the others running, so they are killed here: the pod's attempt
   * then ends, and is retried or fails, instead of being left half-ended.
   *
   * @param state how the attempt ended (a state that ends attempts)
   * @param source the update's source, e.g. {@code SOURCE_EXECUTOR}; null when not known
   * @return false for a task of its own, which the state machine handles
   */
  boolean memberEnded(TaskRecord r, TaskState state, String message, String reason,
      String source) {
    PodRecord pod = byTask.get(r.id);
    if (pod == null) {
      return false;
    }
    if (r.attemptEnding != null) {
      log.debug("duplicate end of a pod's task ignored task={} state={}", r.id, state);
      return true;
    }
    r.attemptEnding = state;
    if (r.timedOutAfter != null && !r.killRequested && state != TaskState.FINISHED
        && state != TaskState.ERROR) {
      state = TaskState.FAILED;
      message = "timed out after " + r.timedOutAfter;
      reason = null;
    }
    r.state = state;
    r.message = message;
    r.reason = reason;
    log.info("pod task attempt ended task={} pod={} attempt={} state={} reason={} message={}",
        r.id, pod.spec.name(), r.attempt, state, reason, message);
    if (state != TaskState.FINISHED && !endedByExecutor(r.attemptEnding, source)) {
      killRest(pod, r);
    }
    for (TaskRecord m : pod.members) {
      if (m.attemptEnding == null) {
        runtime.publish(r); // the pod's attempt goes on: show how this task's ended
        return true;
      }
    }
    attemptEnded(pod, r);
    return true;
  }

  /** Whether Mesos' default executor ended the attempt, and so kills the rest of the pod. */
  private static boolean endedByExecutor(TaskState state, String source) {
    return "SOURCE_EXECUTOR".equals(source)
        && (state == TaskState.FAILED || state == TaskState.KILLED);
  }

  /** Kills the tasks of the pod whose current attempt still lives, but for {@code ended}. */
  private void killRest(PodRecord pod, TaskRecord ended) {
    for (TaskRecord m : pod.members) {
      if (m != ended && m.attemptEnding == null && m.launched() && !m.killRequested
          && !m.killedWithPod) {
        log.info("killing the rest of a pod task={} pod={} attempt={} cause=task {} ended {}",
            m.id, pod.spec.name(), m.attempt, ended.id, ended.attemptEnding);
        stateMachine.killWithPod(m);
      }
    }
  }

  /**
   * A held task of a pod (a failing-over run asked the master about it) answered that its
   * attempt does not run: the pod is relaunched whole once every task of it answered so, and
   * when some of its tasks were adopted instead (running, or finished) its attempt ends: the
   * tasks that do not run end their attempt as the master answered, the adopted ones still live
   * are killed, and the pod is retried (or fails) as a unit. Event thread.
   *
   * @param state the master's answer, a state that ends attempts
   * @return false for a task of its own, which the state machine handles
   */
  boolean heldMemberNotRunning(TaskRecord r, TaskState state) {
    PodRecord pod = byTask.get(r.id);
    if (pod == null) {
      return false;
    }
    r.heldAnswer = state;
    log.debug("held task of a pod is not running task={} pod={} answer={}", r.id,
        pod.spec.name(), state);
    return true;
  }

  /**
   * After an update of a task of a pod that fails over: settles the pod once every task of it
   * answered (see {@link #heldMemberNotRunning}). Event thread.
   */
  void settle(TaskRecord r) {
    PodRecord pod = byTask.get(r.id);
    if (pod == null || r.done) {
      return;
    }
    List<TaskRecord> notRunning = new ArrayList<>();
    int attempt = 0;
    for (TaskRecord m : pod.members) {
      if (m.held) {
        return; // wait for every answer
      }
      if (m.heldAnswer != null) {
        notRunning.add(m);
      }
      attempt = Math.max(attempt, m.attempt);
    }
    if (notRunning.isEmpty()) {
      return;
    }
    if (notRunning.size() == pod.members.size()
        && pod.members.stream().anyMatch(m -> m.killRequested)) {
      log.info("no task of the pod runs, and it was killed on request pod={}", pod.spec.name());
      for (TaskRecord m : pod.members) {
        TaskState answer = m.heldAnswer;
        m.heldAnswer = null;
        finish(m, TaskState.KILLED, "killed on request; the master says its pod's attempt "
            + (answer == TaskState.UNKNOWN ? "never ran" : "ended " + answer), null);
      }
      return;
    }
    if (notRunning.size() == pod.members.size()) {
      log.info("no task of the pod runs, launching it again pod={} attempt={}", pod.spec.name(),
          attempt);
      for (TaskRecord m : pod.members) {
        m.heldAnswer = null;
        m.attempt = attempt; // one attempt number for the whole pod, past every id used
        stateMachine.placeable(m);
      }
      offerRound.wantOffers();
      return;
    }
    log.warn("pod adopted in part, ending its attempt pod={} attempt={} not_running={}",
        pod.spec.name(), attempt, notRunning.stream().map(m -> m.id).toList());
    for (TaskRecord m : notRunning) {
      TaskState answer = m.heldAnswer;
      m.heldAnswer = null;
      m.attempt = attempt;
      runtime.pending().remove(m.id);
      memberEnded(m, answer, "not running when this scheduler run took over its pod ("
          + answer.toMesos() + ")", m.reason, null);
    }
  }

  /**
   * Gives a task of the pod its outcome and tells the observers how its own attempt ended (its
   * state and reason before the outcome: a task that finished while the pod failed finished).
   */
  private void finish(TaskRecord m, TaskState outcome, String message, String reason) {
    Task endedAttempt = m.snapshot(config.clock().instant());
    stateMachine.finishTask(m, outcome, message, reason);
    stateMachine.ended(endedAttempt);
  }

  /** Every task's attempt ended: the pod's outcome, or its next attempt. */
  private void attemptEnded(PodRecord pod, TaskRecord last) {
    TaskRecord killed = null;
    TaskRecord culprit = null;
    for (TaskRecord m : pod.members) {
      if (m.killRequested && killed == null) {
        killed = m;
      }
      if (m.state != TaskState.FINISHED && (culprit == null
          || culprit.state == TaskState.KILLED && m.state != TaskState.KILLED)) {
        culprit = m; // the first that failed; one the executor killed only when none failed
      }
    }
    if (killed != null) {
      for (TaskRecord m : pod.members) {
        if (m.state == TaskState.FINISHED) {
          finish(m, TaskState.FINISHED, m.message, m.reason);
        } else if (m.killRequested) {
          finish(m, TaskState.KILLED, m.message, m.reason);
        } else {
          finish(m, TaskState.KILLED, "killed with its pod " + pod.spec.name() + ": task "
              + killed.id + " was killed on request", m.reason);
        }
      }
      return;
    }
    if (culprit == null) {
      for (TaskRecord m : pod.members) {
        finish(m, TaskState.FINISHED, m.message, m.reason);
      }
      return;
    }
    String what = "task " + culprit.id + " " + culprit.state.toMesos()
        + (culprit.reason == null ? "" : " (" + culprit.reason + ")")
        + (culprit.message == null ? "" : ": " + culprit.message);
    int attempt = pod.attempt();
    RetryPolicy policy = pod.first().policy;
    // Killed, but not on request (unhealthy, or by the executor when another task failed): the
    // pod's attempt failed.
    TaskState failedAs = culprit.state == TaskState.KILLED ? TaskState.FAILED : culprit.state;
    if (failedAs == TaskState.ERROR || !policy.retries(attempt, failedAs, culprit.reason)) {
      TaskState outcome = culprit.state == TaskState.ERROR ? TaskState.ERROR : TaskState.FAILED;
      String message = "pod " + pod.spec.name() + " failed after " + attempt
          + (attempt == 1 ? " attempt: " : " attempts: ") + what;
      for (TaskRecord m : pod.members) {
        finish(m, outcome, message, culprit.reason);
      }
      return;
    }
    runtime.publish(last); // listeners see how the attempt ended, then the retry
    Instant now = config.clock().instant();
    for (TaskRecord m : pod.members) {
      if (m.runningSince != null
          && !Duration.between(m.runningSince, now).minus(policy.maxBackoff()).isNegative()) {
        pod.backoffStep = 1; // it ran as long as the longest backoff: a fresh start
      }
    }
    Duration delay = policy.backoff(pod.backoffStep++, config.random().nextDouble());
    log.info("pod attempt failed, retrying pod={} attempt={} next_in={} cause={}",
        pod.spec.name(), attempt, delay, what);
    int top = 0;
    for (TaskRecord m : pod.members) {
      top = Math.max(top, m.attempt);
    }
    for (TaskRecord m : pod.members) {
      Task endedAttempt = m.snapshot(now);
      stateMachine.ended(endedAttempt);
      runtime.observers().retrying(endedAttempt, delay);
      m.attempt = top; // one attempt number for the whole pod (adopted tasks may differ)
      m.nextAttempt();
      m.message = "attempt " + attempt + " of pod " + pod.spec.name() + " ended: " + what
          + "; attempt " + m.attempt
          + (policy.unlimitedAttempts() ? "" : " of " + policy.maxAttempts()) + " after "
          + delay.toMillis() + " ms";
      m.reason = null;
      m.notBefore = now.plus(delay);
      runtime.pending().add(m.id);
      runtime.publish(m);
    }
    int next = pod.attempt();
    loop.schedule(() -> {
      if (pod.attempt() != next || pod.first().done) {
        return;
      }
      for (TaskRecord m : pod.members) {
        m.notBefore = null;
        stateMachine.placeable(m);
      }
      offerRound.wantOffers();
    }, delay);
  }
}
