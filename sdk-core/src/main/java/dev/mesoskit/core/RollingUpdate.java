package dev.mesoskit.core;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one {@link Service#update}: which old instances are still to be replaced, the new
 * instances of the current step that are not up yet, and the step's deadline.
 *
 * <p>Threading: every method but {@link #publish} runs while the caller holds the service's lock
 * (from the framework's event thread, the update's timer thread or a caller of
 * {@link Service#update}/{@link Service#stop}); {@link #publish} passes the new events to the
 * service's {@link Service.Builder#onUpdateEvent listener} and completes the outcome after that
 * lock was released, so neither the listener nor code chained on the future runs under it.
 */
final class RollingUpdate {
  private static final Logger log = LoggerFactory.getLogger(Service.class);

  /** What a rolling update does to a service, called while holding the service's lock. */
  interface Instances {
    /**
     * Submits a new instance of {@code template}, numbered after the highest ever used.
     *
     * @throws RuntimeException when the framework refuses it; nothing changed then
     */
    TaskId launch(TaskSpec template);

    /** The id the next {@link #launch} gives its instance. */
    TaskId nextId();

    /**
     * Builds the spec the next {@link #launch} of {@code template} would submit, without
     * submitting it.
     *
     * @throws RuntimeException when it cannot be built
     */
    void check(TaskSpec template);

    /** Removes an instance from the service and kills it; it runs no callback any more. */
    void remove(TaskId id);

    /** The current instances, in number order. */
    List<TaskId> current();

    /** Makes {@code template} the one scale-ups use. */
    void template(TaskSpec template);

    /** Whether a snapshot of an instance counts as up ({@link Service#isUp}). */
    boolean isUp(Task task);
  }

  final TaskSpec oldTemplate;
  final TaskSpec newTemplate;
  private final UpdatePolicy policy;
  private final Instances service;
  private final Framework framework;
  private final Clock clock;
  private final String name;
  private final int size;
  /** Old instances still to be replaced, the next one first. */
  private final Deque<TaskId> toReplace;
  /** Every new instance, in launch order. */
  private final List<TaskId> launched = new ArrayList<>();
  /** The new instances of the current step that are not up yet. */
  private final Set<TaskId> waiting = new LinkedHashSet<>();
  /** Appended under the service's lock; read by {@link #publish} without it. */
  private final List<UpdateEvent> events = new CopyOnWriteArrayList<>();
  private final Consumer<UpdateEvent> listener;
  /** Guards {@link #announced}: one thread at a time passes events to the listener, in order. */
  private final Object announcing = new Object();
  /** How many of {@link #events} the listener was given. */
  private int announced;
  private final CompletableFuture<UpdateOutcome> outcome = new CompletableFuture<>();
  private UpdateOutcome result;
  private Instant deadline;
  private int step;
  private ScheduledExecutorService timer;

  RollingUpdate(TaskSpec oldTemplate, TaskSpec newTemplate, UpdatePolicy policy,
      Instances service, Framework framework, Consumer<UpdateEvent> listener) {
    this.oldTemplate = oldTemplate;
    this.listener = listener;
    this.newTemplate = newTemplate;
    this.policy = policy;
    this.service = service;
    this.framework = framework;
    this.clock = framework.clock();
    this.name = oldTemplate.name();
    List<TaskId> current = service.current();
    this.size = current.size();
    this.toReplace = new ArrayDeque<>();
    current.forEach(toReplace::push); // the highest-numbered first
  }

  /** Makes the new template the service's and runs the first step. */
  void begin() {
    log.info("rolling update started service={} instances={} maxDown={} stepTimeout={}"
        + " rollback={}", name, size, policy.maxDown(), policy.stepTimeout(), policy.rollback());
    service.template(newTemplate);
    nextStep();
  }

  /** The outcome; completes once the update ended, never exceptionally. */
  CompletableFuture<UpdateOutcome> outcome() {
    return outcome;
  }

  /** Whether the update ended; the service forgets it then. */
  boolean ended() {
    return result != null;
  }

  /** Whether {@code id} is a new instance of this update. */
  boolean isNew(TaskId id) {
    return launched.contains(id);
  }

  /**
   * Follows a change of any task: the deadline first (a step that is late fails, whatever this
   * change says), then whether a new instance of the step is up or ended an attempt before.
   */
  void onChange(Task task) {
    if (ended() || checkDeadline()) {
      return;
    }
    TaskId id = task.id();
    if (!waiting.contains(id)) {
      return;
    }
    if (service.isUp(task)) {
      waiting.remove(id);
      events.add(UpdateEvent.up(id));
      log.info("rolling update instance up service={} step={} task={}", name, step, id);
      if (waiting.isEmpty()) {
        nextStep();
      }
    } else if (task.state().endsAttempt()) {
      String message = task.message().orElse("");
      String unhealthy = "killed as unhealthy: ";
      fail(message.startsWith(unhealthy)
          ? id + " failed its health check: " + message.substring(unhealthy.length())
          : id + " ended " + task.state() + " before it was up"
              + (message.isEmpty() ? "" : ": " + message));
    }
  }

  /**
   * Fails the step when its deadline passed on the framework's clock.
   *
   * @return whether the update ended
   */
  boolean checkDeadline() {
    if (ended()) {
      return true;
    }
    if (framework.isTerminated()) {
      finish(false, false, "the framework terminated");
      return true;
    }
    if (!waiting.isEmpty() && !clock.instant().isBefore(deadline)) {
      fail(waiting.iterator().next() + " not up within " + policy.stepTimeout());
      return true;
    }
    return false;
  }

  /** Ends the update because the service stops; nothing is killed or launched for it. */
  void stop() {
    if (!ended()) {
      finish(false, false, "stopped");
    }
  }

  /**
   * Passes the events the listener has not seen yet to it, in order, then completes
   * {@link #outcome()} once ended; call without holding the service's lock. A thread that finds
   * another one passing events waits for it, so every event that happened before this call was
   * passed on when it returns, and the listener saw every event before the outcome completes.
   */
  void publish() {
    synchronized (announcing) {
      while (announced < events.size()) {
        UpdateEvent event = events.get(announced++); // before the call: a nested publish goes on
        try {
          listener.accept(event);
        } catch (RuntimeException e) { // must not break the update
          log.warn("update event listener failed, ignored service={} event={}", name, event, e);
        }
      }
    }
    if (result != null) {
      outcome.complete(result);
    }
  }

  /**
   * Runs {@code check} every {@code period} on a daemon thread of this update until it ended.
   */
  void startTimer(java.time.Duration period, Runnable check) {
    ScheduledExecutorService t = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "mesoskit-update-" + name);
      thread.setDaemon(true);
      return thread;
    });
    Runnable guarded = () -> {
      try {
        check.run();
      } catch (RuntimeException e) { // would cancel every later check
        log.error("rolling update check failed service={} step={}", name, step, e);
      }
    };
    t.scheduleWithFixedDelay(guarded, period.toMillis(), period.toMillis(),
        TimeUnit.MILLISECONDS);
    timer = t;
    if (ended()) {
      t.shutdown();
    }
  }

  /**
   * Ends the update, not completed and not rolled back, because something failed unexpectedly
   * while it ran; nothing more is killed or launched for it.
   */
  void abort(String reason) {
    if (!ended()) {
      log.error("rolling update aborted service={} step={} reason={}", name, step, reason);
      finish(false, false, reason);
    }
  }

  private void nextStep() {
    if (framework.isTerminated()) {
      finish(false, false, "the framework terminated");
      return;
    }
    if (toReplace.isEmpty()) {
      finish(true, false, "replaced " + size + " instances");
      return;
    }
    step++;
    String refused = refusal(newTemplate); // before anything is killed
    if (refused != null) {
      fail(refused);
      return;
    }
    List<TaskId> killed = new ArrayList<>();
    while (killed.size() < policy.maxDown() && !toReplace.isEmpty()) {
      TaskId old = toReplace.poll();
      service.remove(old);
      events.add(UpdateEvent.kill(old));
      killed.add(old);
    }
    List<TaskId> added = new ArrayList<>();
    for (int i = 0; i < killed.size(); i++) {
      TaskId id;
      try {
        id = service.launch(newTemplate);
      } catch (RuntimeException e) {
        log.info("rolling update service={} step={} killed={} launched={}", name, step, killed,
            added);
        fail(notSubmitted(e));
        return;
      }
      launched.add(id);
      waiting.add(id);
      added.add(id);
      events.add(UpdateEvent.launch(id));
    }
    deadline = clock.instant().plus(policy.stepTimeout());
    log.info("rolling update service={} step={} killed={} launched={}", name, step, killed,
        added);
  }

  private void fail(String reason) {
    if (!policy.rollback()) {
      log.warn("rolling update failed service={} step={} reason={} rollback=false", name, step,
          reason);
      finish(false, false, reason);
      return;
    }
    log.warn("rolling update failed, rolling back service={} step={} reason={}", name, step,
        reason);
    events.add(UpdateEvent.rollback());
    if (framework.isTerminated()) {
      finish(false, false, reason + "; not rolled back: the framework terminated");
      return;
    }
    List<TaskId> newest = new ArrayList<>(launched);
    java.util.Collections.reverse(newest); // the highest-numbered first
    for (TaskId id : newest) {
      if (service.current().contains(id)) {
        service.remove(id);
        events.add(UpdateEvent.kill(id));
      }
    }
    service.template(oldTemplate);
    List<TaskId> restored = new ArrayList<>();
    while (service.current().size() < size) {
      TaskId id;
      try {
        id = service.launch(oldTemplate);
      } catch (RuntimeException e) {
        String why = notSubmitted(e);
        log.warn("rolling update could not roll back service={} killed={} launched={}"
            + " reason={}", name, newest, restored, why);
        finish(false, false, reason + "; not rolled back: " + why);
        return;
      }
      restored.add(id);
      events.add(UpdateEvent.launch(id));
    }
    log.info("rolling update rolled back service={} killed={} launched={}", name, newest,
        restored);
    finish(false, true, reason);
  }

  /** Why the next instance of {@code template} cannot be submitted, or null when it can be. */
  private String refusal(TaskSpec template) {
    try {
      service.check(template);
      return null;
    } catch (RuntimeException e) {
      return notSubmitted(e);
    }
  }

  /** The reason for an instance the framework refused, e.g. {@code web-7 could not be ...}. */
  private String notSubmitted(RuntimeException e) {
    String id;
    try {
      id = service.nextId().toString();
    } catch (RuntimeException invalid) {
      id = "the next instance of " + name;
    }
    return id + " could not be submitted: " + e.getMessage();
  }

  private void finish(boolean completed, boolean rolledBack, String reason) {
    waiting.clear();
    if (timer != null) {
      timer.shutdown(); // lets a running check finish
    }
    result = new UpdateOutcome(completed, rolledBack, reason, events);
    log.info("rolling update ended service={} completed={} rolledBack={} reason={}", name,
        completed, rolledBack, reason);
  }
}
