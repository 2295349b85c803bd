package dev.mesoskit.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A long-running service: {@code N} instances of one task kept running. An instance that dies
 * (FAILED, LOST, its executor killed, ...) is relaunched under the service's {@link RetryPolicy}
 * (by default without limit, backing off from 1 s up to 30 s, and from 1 s again after an
 * instance had been running for 30 s); so is one its executor killed for failing its
 * {@link TaskSpec#healthCheck() health check}. {@link #stop(Duration)} kills them all and waits
 * until Mesos confirms; {@link #scale} changes {@code N} while it runs. An instance counts as
 * up, and {@link Builder#onRunning} runs, once it is RUNNING and has passed its health and
 * readiness checks, if it has any. {@link #update} replaces the instances with those of a new
 * template, a few at a time, and rolls back when a new instance does not come up.
 *
 * <p>A service survives a restart of its scheduler when its framework has a
 * {@link Framework.Builder#stateStore state store}: {@link #start} then adopts the instances the
 * framework recovered, as many as ran before, instead of submitting {@code -1..-N}.
 *
 * <pre>{@code
 * Service web = Service.builder()
 *     .task(TaskSpec.builder().name("web").resources("cpus:0.5;mem:128;ports:1")
 *         .executor(executor).build())                    // instances web-1, web-2, web-3
 *     .instances(3)
 *     .onRunning(task -> System.out.println(task.id() + " up on port " + task.ports().get(0)))
 *     .build();
 * try (Framework framework = Framework.builder().name("web").backend(backend)
 *     .listener(web)                                      // the service hears its tasks
 *     .build()) {
 *   framework.start();
 *   web.start(framework);
 *   String why = web.ended().join();                      // or wait for a signal instead
 *   Service.Stopped stopped = web.stop(Duration.ofSeconds(30));
 * }
 * }</pre>
 *
 * <p>The service must be registered as a {@link TaskListener} of the framework it starts on
 * ({@link Framework.Builder#listener}); its callbacks run on that framework's event thread, one at
 * a time, and must not block ({@link Builder#onUpdateEvent} also on other threads, as it says). Each attempt's {@link Builder#onRunning} and
 * {@link Builder#onRelaunch} run once, however often Mesos repeats an update.
 *
 * <p>Lifecycle: {@code build() -> start(framework) -> [scale(n) | update(spec) ...] ->
 * stop(timeout)}; a second {@code start} throws. Threading: {@link #start}, {@link #scale},
 * {@link #update}, {@link #stop}, {@link #instances()} and {@link #ended()} are safe from any
 * thread, including the callbacks.
 */
public final class Service implements TaskListener {
  private static final Logger log = LoggerFactory.getLogger(Service.class);
  /** How often a running update looks at the framework's clock for its step deadline. */
  private static final Duration TICK = Duration.ofMillis(100);

  /** The default policy: relaunch without limit, 1 s doubling up to 30 s. */
  public static final RetryPolicy RELAUNCH_FOREVER = RetryPolicy.builder().unlimitedAttempts()
      .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)).build();

  /** The template new instances run: the update's new one from when it starts. */
  private volatile TaskSpec template;
  private final RetryPolicy retryPolicy;
  private final Consumer<Task> onRunning;
  private final Consumer<Task> onRelaunch;
  private final Consumer<Task> onEnd;
  private final Consumer<UpdateEvent> onUpdateEvent;
  /**
   * Guards {@link #instances}, {@link #lastNumber}, {@link #update} and the
   * start/scale/update/stop transitions.
   */
  private final Object lock = new Object();
  /** The current instances, in number order; replaced, never mutated, so reads need no lock. */
  private volatile List<TaskId> instances;
  /** The highest instance number ever used: names are never reused. */
  private int lastNumber;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<String> ended = new CompletableFuture<>();
  /** The attempt each callback last ran for, per instance; touched on the event thread only. */
  private final Map<TaskId, Integer> runningShown = new ConcurrentHashMap<>();
  private final Map<TaskId, Integer> relaunchShown = new ConcurrentHashMap<>();
  private volatile Framework framework;
  /** The template each instance was submitted with, for {@link #isUp}. */
  private final Map<TaskId, TaskSpec> templates = new ConcurrentHashMap<>();
  /** The running update, or null. */
  private volatile RollingUpdate update;

  private Service(Builder b) {
    this.template = b.task;
    this.retryPolicy = b.retryPolicy;
    this.onRunning = b.onRunning;
    this.onRelaunch = b.onRelaunch;
    this.onEnd = b.onEnd;
    this.onUpdateEvent = b.onUpdateEvent;
    List<TaskId> ids = new ArrayList<>();
    for (int i = 1; i <= b.instances; i++) {
      ids.add(instanceId(i));
    }
    this.instances = List.copyOf(ids);
    this.lastNumber = b.instances;
  }

  private TaskId instanceId(int number) {
    return TaskId.of(template.name() + "-" + number);
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
   * Adopts the instances the framework recovered, or else submits new ones. The framework must
   * have this service among its listeners.
   *
   * <p>When {@link Framework#tasks()} has tasks named {@code <name>-<n>} ({@code n} a positive
   * integer) without an outcome, e.g. those a restarted scheduler recovered from its
   * {@link Framework.Builder#stateStore state store}, they are this service's instances, in
   * number order, and no task is added: each is submitted again with the service's template,
   * which the framework takes as the recovered task described anew (its running attempt goes on;
   * later attempts use the template, e.g. with the artifact server's new address). The service
   * keeps the size it had, whatever {@link Builder#instances} says ({@link #scale} changes it),
   * and logs
   * {@code service recovered instances service=web instances=[web-1, web-4]}. Its callbacks run
   * for them from the next change Mesos reports (reconciliation reports a running one RUNNING,
   * then {@link Builder#onRunning} runs once it is up); their checks are taken to be the
   * template's. Otherwise the builder's number of instances is submitted. Either way new
   * instances are numbered after the highest number of any task of that name, ended or not. So
   * start the service after {@link Framework#start()} (and {@link Framework#awaitLeadership}
   * with a leader election), which recover the tasks; a framework not started yet has none.
   *
   * @param framework the framework the instances run in
   * @return this service
   * @throws IllegalStateException when this service was started before, or is not a listener of
   *     the framework
   * @throws IllegalArgumentException when a new instance's spec is refused (see
   *     {@link Framework#submit(TaskSpec)})
   */
  public Service start(Framework framework) {
    Objects.requireNonNull(framework, "framework must not be null");
    if (!framework.hasListener(this)) {
      throw new IllegalStateException("Service " + template.name() + " is not a listener of "
          + framework + ": add .listener(service) to its Framework.Builder, or its callbacks"
          + " never run");
    }
    synchronized (lock) {
      if (!started.compareAndSet(false, true)) {
        throw new IllegalStateException("Service " + template.name() + " was already started");
      }
      this.framework = framework;
      RecoveredInstances found = RecoveredInstances.of(template.name(), framework.tasks(),
          framework::killRequested);
      if (!found.live().isEmpty()) {
        instances = found.live();
        lastNumber = found.lastNumber();
        for (TaskId id : instances) {
          // The recovered task itself (not a second one): the template describes it anew, e.g.
          // with the artifact server's new address, for its later attempts.
          framework.submit(instanceSpec(template, id));
          templates.put(id, template);
        }
        log.info("service recovered instances service={} instances={}", template.name(),
            instances);
      } else {
        List<TaskId> ids = new ArrayList<>(); // after any ended ones: names are never reused
        for (int n = found.lastNumber() + 1; ids.size() < instances.size(); n++) {
          ids.add(instanceId(n));
        }
        instances = List.copyOf(ids);
        lastNumber = found.lastNumber() + ids.size();
        for (TaskId id : instances) {
          framework.submit(instanceSpec(template, id));
          templates.put(id, template);
        }
      }
    }
    Thread watcher = new Thread(() -> { // a framework that ends while the service runs
      try {
        framework.awaitTermination();
        ended.complete("the framework terminated");
      } catch (RuntimeException e) {
        ended.complete("the framework failed: " + e.getMessage());
      }
    }, "mesoskit-service-" + template.name());
    watcher.setDaemon(true);
    watcher.start();
    return this;
  }

  private TaskSpec instanceSpec(TaskSpec template, TaskId id) {
    return template.toBuilder().id(id.value()).name(id.value()).retryPolicy(retryPolicy).build();
  }

  /**
   * Changes how many instances run. Scaling up submits new instances of the same template, with
   * the same retry policy, numbered after the highest number this service ever used: a service of
   * {@code web-1..web-3} scaled to 5 adds {@code web-4} and {@code web-5}. Scaling down kills the
   * highest-numbered instances first ({@code web-5}, then {@code web-4}, ...), so the others keep
   * their names; a killed instance ends {@link TaskState#KILLED} (a pending one at once, a launched
   * one when Mesos confirms) and is no longer the service's: it runs no callback, is not
   * relaunched, and does not complete {@link #ended()}. Names freed by a scale-down are never used
   * again, because Mesos task ids must be unique ({@link Framework#submit(TaskSpec)} refuses an id
   * used before): after {@code web-1..web-3} scaled to 1 and back to 3 the instances are
   * {@code web-1, web-4, web-5}. {@code scale(0)} kills every instance and leaves the service
   * started and empty, {@link #ended()} not completed, until it is scaled up or stopped. Scaling
   * to the current size does nothing. {@link #instances()} shows the new set when this returns.
   *
   * @param instances how many instances should run, &gt;= 0
   * @throws IllegalArgumentException when {@code instances} is negative, or a new instance's id
   *     is not a valid task id
   * @throws IllegalStateException before {@link #start}, after {@link #stop}, while an
   *     {@link #update} runs, or when the framework no longer accepts tasks (finished or closed)
   */
  public void scale(int instances) {
    if (instances < 0) {
      throw new IllegalArgumentException("instances must be >= 0 but was " + instances);
    }
    synchronized (lock) {
      Framework fw = framework;
      if (fw == null) {
        throw new IllegalStateException("Service " + template.name()
            + " cannot scale: it is not started");
      }
      if (stopping.get()) {
        throw new IllegalStateException("Service " + template.name()
            + " cannot scale: it is stopped");
      }
      if (update != null) {
        throw new IllegalStateException("Service " + template.name()
            + " cannot scale: an update is running");
      }
      List<TaskId> current = this.instances;
      if (instances == current.size()) {
        return;
      }
      log.info("scaling service={} from={} to={}", template.name(), current.size(), instances);
      if (instances > current.size()) {
        List<TaskId> added = new ArrayList<>();
        for (int n = lastNumber + 1; added.size() < instances - current.size(); n++) {
          added.add(instanceId(n)); // every id checked before any is submitted
        }
        List<TaskId> next = new ArrayList<>(current);
        try {
          for (TaskId id : added) {
            fw.submit(instanceSpec(template, id));
            templates.put(id, template);
            next.add(id);
            lastNumber++;
          }
        } finally {
          this.instances = List.copyOf(next); // those submitted before a failure are kept
        }
      } else {
        List<TaskId> removed = current.subList(instances, current.size());
        this.instances = List.copyOf(current.subList(0, instances)); // no callback for them now
        for (int i = removed.size() - 1; i >= 0; i--) {
          forget(fw, removed.get(i));
        }
      }
    }
  }

  /** Stops following an instance that is no longer in {@link #instances} and kills it. */
  private void forget(Framework fw, TaskId id) {
    runningShown.remove(id);
    relaunchShown.remove(id);
    templates.remove(id);
    if (!fw.isTerminated()) {
      fw.kill(id);
    }
  }

  /**
   * Rolls the service over to {@code newTemplate} under {@link UpdatePolicy#defaults()}.
   *
   * @param newTemplate what the instances run from now on; its name must be the service's
   * @return the outcome, once the update ended
   * @see #update(TaskSpec, UpdatePolicy)
   */
  public CompletableFuture<UpdateOutcome> update(TaskSpec newTemplate) {
    return update(newTemplate, UpdatePolicy.defaults());
  }

  /**
   * Replaces every instance with one of {@code newTemplate}, a step at a time, without blocking.
   * Each step kills up to {@link UpdatePolicy#maxDown()} old instances, the highest-numbered
   * first (as {@link #scale} does: they end KILLED, run no callback and do not complete
   * {@link #ended()}), and submits as many instances of the new template, numbered after the
   * highest number ever used: {@code web-1..web-4} become {@code web-5..web-8}, {@code web-4}
   * replaced by {@code web-5} first. Old instances are killed before their successors are
   * submitted, without waiting for Mesos to confirm the kills. The next step starts once every new
   * instance of this one is up ({@link #isUp}, the rule of {@link Builder#onRunning}, which runs
   * for them as for any instance).
   *
   * <p>A step fails when one of its new instances ends an attempt before it was up (it failed,
   * finished, or its executor killed it as unhealthy; a relaunch is not waited for), or is not up
   * within {@link UpdatePolicy#stepTimeout()} of the step's start on the framework's clock. The
   * deadline is checked whenever the framework reports a change of any task, and every 100 ms of
   * real time by a daemon timer thread of the update, so a manual clock decides when it passes.
   * On failure with {@link UpdatePolicy#rollback()}, every new instance of the update is killed
   * (the highest-numbered first, also those already up), the old template is the service's again,
   * and instances of the old template are submitted, with new numbers, until the service has as
   * many instances as before; the update ends then, without waiting for them to come up. Without
   * rollback the update just stops: every instance stays as it is, old and new ones, a failing
   * new instance is relaunched (or ends the service) under the retry policy like any instance, and
   * scale-ups use the new template.
   *
   * <p>{@link #scale} and another update throw while an update runs; {@link #stop} ends it with
   * the reason {@code "stopped"}. The outcome lists, in order, what the update did
   * ({@link UpdateEvent}), and {@link Builder#onUpdateEvent} hears each as it happens; every step
   * is logged at INFO
   * ({@code rolling update service=web step=1 killed=[web-4] launched=[web-5]}).
   *
   * @param newTemplate what the instances run from now on; its name must be the service's
   * @param policy how many instances may be down at once, the step timeout, whether to roll back
   * @return completes, never exceptionally, once the update completed, rolled back or stopped;
   *     dependent actions run on the thread that ended it (the event thread, the update's timer
   *     thread, or the caller of {@link #stop})
   * @throws IllegalArgumentException when {@code newTemplate} has another name
   * @throws IllegalStateException before {@link #start}, after {@link #stop}, or while an update
   *     runs
   */
  public CompletableFuture<UpdateOutcome> update(TaskSpec newTemplate, UpdatePolicy policy) {
    Objects.requireNonNull(newTemplate, "newTemplate must not be null");
    Objects.requireNonNull(policy, "policy must not be null");
    RollingUpdate u;
    synchronized (lock) {
      Framework fw = framework;
      String name = template.name();
      if (fw == null) {
        throw new IllegalStateException("Service " + name + " cannot update: it is not started");
      }
      if (stopping.get()) {
        throw new IllegalStateException("Service " + name + " cannot update: it is stopped");
      }
      if (update != null) {
        throw new IllegalStateException("Service " + name
            + " cannot update: an update is running");
      }
      if (!newTemplate.name().equals(name)) {
        throw new IllegalArgumentException("newTemplate name must be " + name + " but was "
            + newTemplate.name());
      }
      u = new RollingUpdate(template, newTemplate, policy, new UpdateHooks(fw), fw,
          onUpdateEvent);
      try {
        u.begin();
      } catch (RuntimeException e) { // the update ends; the caller gets its outcome
        u.abort("the update failed: " + e);
      }
      if (!u.ended()) {
        update = u;
        u.startTimer(TICK, () -> follow(u, RollingUpdate::checkDeadline));
      }
    }
    u.publish();
    return u.outcome();
  }

  /** Runs {@code step} on the update if it still runs, then publishes its outcome unlocked. */
  private void follow(RollingUpdate u, Consumer<RollingUpdate> step) {
    if (u == null) {
      return;
    }
    synchronized (lock) {
      if (update != u) {
        return;
      }
      try {
        step.accept(u);
      } catch (RuntimeException e) { // from a listener it would fail the whole framework
        u.abort("the update failed: " + e);
      } finally {
        if (u.ended()) {
          update = null;
        }
      }
    }
    u.publish();
  }

  /** What a {@link RollingUpdate} does to this service; called while holding {@link #lock}. */
  private final class UpdateHooks implements RollingUpdate.Instances {
    private final Framework fw;

    UpdateHooks(Framework fw) {
      this.fw = fw;
    }

    @Override
    public TaskId launch(TaskSpec spec) {
      TaskId id = instanceId(lastNumber + 1);
      fw.submit(instanceSpec(spec, id));
      lastNumber++;
      templates.put(id, spec);
      List<TaskId> next = new ArrayList<>(instances);
      next.add(id);
      instances = List.copyOf(next);
      return id;
    }

    @Override
    public TaskId nextId() {
      return instanceId(lastNumber + 1);
    }

    @Override
    public void check(TaskSpec spec) {
      instanceSpec(spec, nextId());
    }

    @Override
    public void remove(TaskId id) {
      List<TaskId> next = new ArrayList<>(instances);
      next.remove(id);
      instances = List.copyOf(next); // no callback for it from now on
      forget(fw, id);
    }

    @Override
    public List<TaskId> current() {
      return instances;
    }

    @Override
    public void template(TaskSpec spec) {
      template = spec;
    }

    @Override
    public boolean isUp(Task task) {
      return Service.this.isUp(task);
    }
  }

  /**
   * The ids of the current instances: the task's name followed by {@code -1} to {@code -N}, until
   * {@link #start} adopted recovered ones, or {@link #scale} or {@link #update} changed them.
   *
   * @return the ids, in number order
   */
  public List<TaskId> instances() {
    return instances;
  }

  /**
   * Completes, with why, when the service ends without {@link #stop}: an instance ended for good
   * (its retry policy gave up, or it finished), or the framework terminated or failed. Instances
   * removed by {@link #scale} never complete it, nor does a service scaled to zero.
   *
   * @return e.g. {@code "web-1 ended FAILED"}; never completes exceptionally
   */
  public CompletableFuture<String> ended() {
    return ended;
  }

  /**
   * Kills every instance and waits at most {@code timeout} until each has its outcome. Instances
   * end {@link TaskState#KILLED}, or the state they ended in before. Instances removed by
   * {@link #scale} or {@link #update} before are not among them. A running update ends (reason
   * {@code "stopped"}), and {@link #scale} and {@link #update} throw from now on.
   *
   * @param timeout how long to wait for the outcomes
   * @return the instances as they are when every one ended or the time ran out
   * @throws IllegalStateException before {@link #start}
   */
  public Stopped stop(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    Framework fw;
    List<TaskId> stopped;
    RollingUpdate running;
    synchronized (lock) {
      fw = framework;
      if (fw == null) {
        throw new IllegalStateException("Service " + template.name() + " was not started");
      }
      stopping.set(true);
      running = update;
      if (running != null) { // in the same lock, so no step launches what stop does not kill
        running.stop();
        update = null;
      }
      stopped = instances;
    }
    if (running != null) {
      running.publish();
    }
    for (TaskId id : stopped) {
      if (!fw.isTerminated()) {
        fw.kill(id);
      }
    }
    return new Stopped(OutcomeWait.await(fw, stopped, timeout));
  }

  /**
   * Runs the callbacks; called by the framework on its event thread.
   *
   * @param task the task as it is now
   */
  @Override
  public void onUpdate(Task task) {
    follow(update, u -> u.onChange(task));
    if (framework == null || !instances.contains(task.id())) { // not started: not its tasks yet
      return;
    }
    Integer attempt = task.attempt();
    if (task.state() == TaskState.RUNNING) {
      showIfUp(task);
    } else if (task.state() == TaskState.PENDING && task.attempt() > 1
        && !attempt.equals(relaunchShown.put(task.id(), attempt))) {
      onRelaunch.accept(task);
    } else if (task.done() && !stopping.get()) {
      onEnd.accept(task);
      ended.complete(task.id() + " ended " + task.state());
    }
  }

  /**
   * Runs {@link Builder#onRunning} once an instance that waited for its checks passed them;
   * called by the framework on its event thread.
   *
   * @param task the task as it is now
   */
  @Override
  public void onHealthChanged(Task task) {
    follow(update, u -> u.onChange(task));
    if (framework != null && instances.contains(task.id()) && task.state() == TaskState.RUNNING) {
      showIfUp(task);
    }
  }

  /**
   * Whether a running instance is up: healthy when the task has a health check, its readiness
   * check passed when it has one (the checks of the template the instance was submitted with).
   *
   * @param task a snapshot of an instance
   * @return true when it counts as up
   */
  public boolean isUp(Task task) {
    TaskSpec template = templates.getOrDefault(task.id(), this.template);
    return task.state() == TaskState.RUNNING
        && (template.healthCheck().isEmpty() || task.healthy().orElse(false))
        && (template.readinessCheck().isEmpty()
            || task.check().map(CheckResult::passed).orElse(false));
  }

  private void showIfUp(Task task) {
    Integer attempt = task.attempt();
    if (isUp(task) && !attempt.equals(runningShown.get(task.id()))) {
      runningShown.put(task.id(), attempt);
      onRunning.accept(task);
    }
  }

  @Override
  public String toString() {
    return "Service[" + template.name() + " x" + instances.size() + "]";
  }

  /**
   * The instances after {@link #stop}.
   *
   * @param instances their snapshots, in instance order
   */
  public record Stopped(List<Task> instances) {
    /**
     * Copies the list.
     *
     * @param instances their snapshots, in instance order
     */
    public Stopped {
      instances = List.copyOf(instances);
    }

    /**
     * Whether every instance has its outcome.
     *
     * @return false when some instance did not end within the stop's timeout
     */
    public boolean allEnded() {
      return instances.stream().allMatch(Task::done);
    }

    /**
     * Whether every instance ended {@link TaskState#KILLED}.
     *
     * @return true when all were killed
     */
    public boolean allKilled() {
      return instances.stream().allMatch(t -> t.done() && t.state() == TaskState.KILLED);
    }
  }

  /**
   * Builds a {@link Service}. Required: {@link #task}. Defaults: 1 instance,
   * {@link #RELAUNCH_FOREVER}, callbacks that do nothing.
   */
  public static final class Builder {
    private TaskSpec task;
    private int instances = 1;
    private RetryPolicy retryPolicy = RELAUNCH_FOREVER;
    private Consumer<Task> onRunning = t -> { };
    private Consumer<Task> onRelaunch = t -> { };
    private Consumer<Task> onEnd = t -> { };
    private Consumer<UpdateEvent> onUpdateEvent = e -> { };

    private Builder() {}

    /**
     * Sets what each instance runs. Instance {@code i} runs it as the task
     * {@code <name>-<i>}; its id and retry policy are the service's.
     *
     * @param task the template; its name names the instances
     * @return this builder
     */
    public Builder task(TaskSpec task) {
      this.task = task;
      return this;
    }

    /**
     * Sets how many instances run.
     *
     * @param instances at least 1; default 1
     * @return this builder
     */
    public Builder instances(int instances) {
      this.instances = instances;
      return this;
    }

    /**
     * Sets when a dead instance is relaunched; {@link RetryPolicy#none()} ends the service at the
     * first death.
     *
     * @param retryPolicy default {@link #RELAUNCH_FOREVER}
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /**
     * Sets what runs when an attempt of an instance is up, e.g. to print where it listens
     * ({@link Task#hostname()}, {@link Task#ports()}). An instance is up once it is RUNNING, and,
     * when the task has a {@link TaskSpec#healthCheck() health check}, once Mesos reported it
     * healthy, and, when it has a {@link TaskSpec#readinessCheck() readiness check}, once that
     * check passed ({@link Service#isUp}); an instance without checks is up when first seen
     * RUNNING. A check that fails later does not call it again: an instance killed by its health
     * check is relaunched ({@link #onRelaunch}) and its next attempt runs this again once up.
     * Mesos sends {@code healthy} only for tasks with a health check, so an instance with one
     * stays down until its first probe passed.
     *
     * @param onRunning runs on the event thread, once per attempt
     * @return this builder
     */
    public Builder onRunning(Consumer<Task> onRunning) {
      this.onRunning = Objects.requireNonNull(onRunning, "onRunning must not be null");
      return this;
    }

    /**
     * Sets what runs when an instance died and waits to be relaunched; {@link Task#message()}
     * says how its attempt ended and when the next one starts.
     *
     * @param onRelaunch runs on the event thread, once per relaunch
     * @return this builder
     */
    public Builder onRelaunch(Consumer<Task> onRelaunch) {
      this.onRelaunch = Objects.requireNonNull(onRelaunch, "onRelaunch must not be null");
      return this;
    }

    /**
     * Sets what runs when an instance ended for good without {@link Service#stop}: its retry
     * policy gave up, or it finished. {@link Service#ended()} completes right after.
     *
     * @param onEnd runs on the event thread
     * @return this builder
     */
    public Builder onEnd(Consumer<Task> onEnd) {
      this.onEnd = Objects.requireNonNull(onEnd, "onEnd must not be null");
      return this;
    }

    /**
     * Sets what runs for each {@link UpdateEvent} of an {@link Service#update} as it happens:
     * every KILL, LAUNCH, UP and ROLLBACK, once each, in the order of
     * {@link UpdateOutcome#events()}, one at a time, e.g. to show an update's progress. It runs
     * after the service's lock was released, on the thread that made the change: the caller of
     * {@link Service#update} for the first step's KILL and LAUNCH events (and for a rollback when
     * that step could not be submitted), the framework's event thread for UP events and for the
     * steps and rollbacks that follow a change of a task, and the update's timer thread
     * ({@code mesoskit-update-<name>}) for a rollback because a step was not up within
     * {@link UpdatePolicy#stepTimeout()}. A thread that finds it running for another event waits
     * until it returned, so the order holds whichever thread runs it; it must not block. Every
     * event was passed to it before the update's outcome completes. An exception it throws is
     * logged at WARN and ignored: the update goes on.
     *
     * @param onUpdateEvent runs once per event; default none
     * @return this builder
     */
    public Builder onUpdateEvent(Consumer<UpdateEvent> onUpdateEvent) {
      this.onUpdateEvent = Objects.requireNonNull(onUpdateEvent,
          "onUpdateEvent must not be null");
      return this;
    }

    /**
     * Validates and builds the service.
     *
     * @return the service, not started
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public Service build() {
      if (task == null) {
        throw new IllegalArgumentException("task must be set");
      }
      if (instances < 1) {
        throw new IllegalArgumentException("instances must be >= 1 but was " + instances);
      }
      if (retryPolicy == null) {
        throw new IllegalArgumentException("retryPolicy must be set");
      }
      TaskId.of(task.name() + "-" + instances); // the instance ids must be valid task ids
      return new Service(this);
    }
  }
}
