package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of a framework: turns submitted tasks and master events into backend calls on one
 * event thread, and keeps every task on its way to exactly one outcome.
 *
 * <p>The coordinator: it owns the lifecycle, the tasks, their snapshots and outcomes and the
 * subscription, and hands each event to the part that handles it: the {@code EventLoop} runs
 * them, the {@code OfferRound} launches tasks on offers, the {@code TaskStateMachine} applies
 * status updates and kills (and, through its {@code Deadlines}, ends tasks not placed in time and
 * kills attempts that run too long), the {@code Reconciler} asks the master what it knows, the
 * {@code Subscription} tells the framework listeners and whoever waits for a subscription.
 *
 * <p>Threading: the public methods may be called from any thread; they validate, then queue work
 * on the event executor. Everything else runs on that executor, one event at a time.
 */
public final class FrameworkRuntime {
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private enum Lifecycle { LATENT, STARTED, FINISHING, STOPPED }

  private final RuntimeConfig config;
  private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch terminated = new CountDownLatch(1);

  // Readable from any thread.
  private final TaskViews views = new TaskViews();
  private final AtomicReference<String> frameworkId = new AtomicReference<>();

  // Event thread only.
  private final Map<TaskId, TaskRecord> tasks = new LinkedHashMap<>();
  private final Set<TaskId> pending = new LinkedHashSet<>();
  /** Started with a stored framework id: tasks may already run from an earlier scheduler run. */
  private boolean failover;
  private final StateJournal journal;
  private final Leadership leadership;
  private final Submissions submissions;
  private final Drain drain;
  private final Recovery recovery = new Recovery();
  /** The stored id came from an earlier run that kept its id alone. */
  private volatile boolean legacyFailover;
  /** The store holds the framework id this instance subscribes with. */
  private volatile boolean idInStore;

  private final Observers observers;
  private final EventLoop loop;
  private final Reconciler reconciler;
  private final OfferRound offerRound;
  private final TaskStateMachine stateMachine;
  private final Pods pods;
  private final Subscription subscription;
  private final Capabilities capabilities;
  private final CurrentInfo current;
  private final FrameworkRoles roles;

  /**
   * Creates a runtime; nothing happens until {@link #start()}.
   *
   * @param config the validated configuration
   */
  public FrameworkRuntime(RuntimeConfig config) {
    this.config = config;
    this.observers = new Observers(config.info().name(), config.observers());
    this.loop = new EventLoop(config, observers, this::stopped, this::isTerminated, this::fail);
    this.reconciler = new Reconciler(config, this, loop);
    this.offerRound = new OfferRound(config, this, loop);
    this.stateMachine = new TaskStateMachine(config, this, loop, offerRound, reconciler);
    this.pods = new Pods(config, this, loop, offerRound, stateMachine);
    this.subscription = new Subscription(config, this);
    this.current = new CurrentInfo(config);
    this.capabilities = new Capabilities(config, current);
    this.roles = new FrameworkRoles(config, this, loop, current, stateMachine, offerRound);
    this.journal = new StateJournal(config.idStore(), config.stateStore().orElse(null),
        () -> loop.enqueue(() -> journal().flush()), observers, config.nanoTime());
    this.submissions = new Submissions(config, this, loop, views, recovery, journal,
        stateMachine);
    this.leadership = new Leadership(config, journal, loop, this::fail,
        cause -> failure.compareAndSet(null, cause), observers);
    this.drain = new Drain(config, this, views, journal, leadership, () -> terminate(null));
    observers.attached(config.info().name(), config.clock());
  }

  // ---------------------------------------------------------------- public, any thread

  /**
   * Takes the state store, recovers its tasks and subscribes through the backend; with a leader
   * election, starts contending and does all that once elected.
   *
   * @throws MesosKitException when another instance holds the state store (the framework is
   *     stopped then)
   */
  public void start() {
    if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
      throw new IllegalStateException(
          "framework " + config.info().name() + " was already started (state "
              + lifecycle.get() + ")");
    }
    try {
      if (leadership.contend(this::lead)) {
        return;
      }
    } catch (RuntimeException e) {
      fail(e);
      throw e;
    }
    try {
      lead();
    } catch (RuntimeException e) {
      fail(e);
      throw e;
    }
  }

  /** Takes the store, recovers what it holds, subscribes. Caller's or election thread. */
  private void lead() {
    if (stopped()) {
      return;
    }
    journal.open();
    if (stopped()) {
      journal.close(); // closed or failed while the store was being taken
      return;
    }
    StateJournal.Recovered stored = journal.load();
    legacyFailover = stored.legacy();
    idInStore = stored.frameworkId().isPresent() && !stored.legacy();
    recovery.claim(stored, views.outcomes());
    stored.tasks().forEach(t -> capabilities.submitted(t.spec()));
    stored.pods().forEach(p -> p.submitted().tasks().forEach(capabilities::submitted));
    FrameworkInfo info = capabilities.atSubscribe(current.get());
    current.subscribing(info);
    Optional<String> storedId = stored.frameworkId();
    if (storedId.isPresent()) {
      info = info.withId(storedId.get());
      frameworkId.set(storedId.get());
      failover = true;
      log.info("framework starting name={} failover_from={}", info.name(), storedId.get());
    } else {
      log.info("framework starting name={}", info.name());
    }
    List<TaskRecord> recovered = Recovery.build(stored, this);
    Instant now = config.clock().instant();
    for (TaskRecord r : recovered) { // seen by tasks() as soon as start() returns
      views.putIfAbsent(r.id, r.snapshot(now));
      views.killing(r);
    }
    loop.enqueue(() -> recover(stored, recovered)); // before any event of the subscription
    config.backend().subscribe(info, new LoopEvents(config, this, loop, offerRound, stateMachine));
  }

  /** Installs what the store held, then counts as leading. Event thread. */
  private void recover(StateJournal.Recovered stored, List<TaskRecord> recovered) {
    journal.loaded(stored);
    Recovery.install(recovered, this, submissions::recovered);
    submissions.afterRecovery();
    if (!recovered.isEmpty()) {
      offerRound.wantOffers(); // held ones are asked about once subscribed
    }
    leadership.led();
    drain.led();
  }

  /**
   * Waits until this instance leads and has recovered its tasks; without a leader election, that
   * is once started.
   *
   * @param timeout how long to wait, or null for ever
   * @return true when it leads, false when the time ran out
   * @throws MesosKitException when the framework stopped first (lost its leadership, failed,
   *     closed)
   */
  public boolean awaitLeadership(Duration timeout) {
    notOnEventThread("awaitLeadership");
    return leadership.await(timeout);
  }

  /**
   * Whether this instance leads (always once started, without an election).
   *
   * @return true once it leads and recovered its tasks, until it stops
   */
  public boolean leading() {
    return leadership.leads() && !stopped();
  }

  /** The outcome future of a task id, made when missing. */
  CompletableFuture<Task> outcomeFuture(TaskId id) {
    return views.outcomeFuture(id);
  }

  /**
   * Whether a kill of this task was requested (here, or by an earlier scheduler run) and it has
   * no outcome yet.
   *
   * @param id the task
   * @return true while it is being killed
   */
  public boolean killRequested(TaskId id) {
    return views.killRequested(id);
  }

  /** Notes that a task's kill was requested, or that it ended. Event thread. */
  void killing(TaskRecord r) {
    views.killing(r);
  }

  /** The journal of the state store. Event thread. */
  StateJournal journal() {
    return journal;
  }

  /**
   * Validates and queues a task.
   *
   * @param spec the task
   * @return its id
   */
  public TaskId submit(TaskSpec spec) {
    java.util.Objects.requireNonNull(spec, "spec must not be null");
    checkSubmittable(spec);
    return submissions.submit(spec);
  }

  /**
   * Validates and queues a pod: its tasks are launched together, on one agent, as one unit.
   *
   * @param spec the pod
   * @return its tasks' ids, in the pod's order
   */
  public List<TaskId> submit(PodSpec spec) {
    java.util.Objects.requireNonNull(spec, "pod must not be null");
    spec.tasks().forEach(this::checkSubmittable);
    return submissions.submit(spec);
  }

  private void checkSubmittable(TaskSpec spec) {
    Lifecycle state = lifecycle.get();
    if (state == Lifecycle.FINISHING || state == Lifecycle.STOPPED) {
      throw new IllegalStateException("cannot submit to framework " + config.info().name()
          + ": it is " + (state == Lifecycle.FINISHING ? "finishing" : "stopped"));
    }
    if (state == Lifecycle.STARTED) {
      leadership.checkSubmittable();
    }
    TaskRoles.check(spec, current.get());
    capabilities.submitted(spec);
  }

  /**
   * Kills a task: a pending task ends at once, a launched one when Mesos reports it killed.
   *
   * @param id the task
   * @param gracePeriod the grace period of this kill, overriding the task's kill policy; empty
   *     for the task's
   */
  public void kill(TaskId id, Optional<Duration> gracePeriod) {
    if (!views.known(id)) {
      throw new IllegalArgumentException("task id must name a submitted task but was '" + id + "'");
    }
    loop.enqueue(() -> stateMachine.onKill(id, gracePeriod));
  }

  /**
   * Changes the framework's roles while it runs, or before it subscribes.
   *
   * @param newRoles the roles, validated by the caller: at least one, non-blank, distinct
   * @throws IllegalStateException when stopped, or the backend cannot update a framework
   */
  public void changeRoles(List<String> newRoles) {
    if (stopped()) {
      throw new IllegalStateException("cannot change the roles of framework "
          + config.info().name() + ": it is stopped");
    }
    roles.change(newRoles);
  }

  /** Kills every task submitted so far that has no outcome yet, as {@link #kill} does. */
  public void killAll() {
    loop.enqueue(() -> {
      List<TaskRecord> live = tasks.values().stream().filter(r -> !r.done).toList();
      log.info("killing every task without an outcome count={}", live.size());
      for (TaskRecord r : live) {
        stateMachine.onKill(r.id, Optional.empty());
      }
    });
  }

  /**
   * Finishes, then waits at most {@code timeout} for the framework to terminate.
   *
   * @param timeout how long to wait
   * @return true when terminated, false when tasks still had no outcome when the time ran out
   * @throws MesosKitException when the framework failed
   */
  public boolean finish(Duration timeout) {
    notOnEventThread("finish(Duration)");
    finish();
    return awaitTermination(timeout);
  }

  /**
   * Waits until the framework is subscribed to the master.
   *
   * @param timeout how long to wait
   * @throws MesosKitException when the framework failed or the time ran out
   * @throws IllegalStateException when not started, or stopped
   */
  public void awaitSubscribed(Duration timeout) {
    notOnEventThread("awaitSubscribed");
    if (lifecycle.get() == Lifecycle.LATENT) {
      throw new IllegalStateException("framework " + config.info().name()
          + " was not started: call start() before awaitSubscribed");
    }
    subscription.await(timeout);
  }

  /** Refuses to wait on the framework's own event thread (an injected one is its owner's). */
  private void notOnEventThread(String method) {
    if (config.ownsExecutor() && loop.onEventThread()) {
      throw new IllegalStateException(method + " must not be called on the event thread (from a"
          + " listener) of framework " + config.info().name() + ": it would wait for itself");
    }
  }

  /** Stops accepting tasks; the framework tears itself down once every task has an outcome. */
  public void finish() {
    if (lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.FINISHING)) {
      // Never started: nothing runs, so finishing ends the framework now.
      terminate(null);
      return;
    }
    if (lifecycle.compareAndSet(Lifecycle.STARTED, Lifecycle.FINISHING)) {
      loop.enqueue(drain::check);
    }
  }

  /** Disconnects without tearing down, so that a restarted scheduler can fail over. */
  public void close() {
    Lifecycle before = lifecycle.getAndSet(Lifecycle.STOPPED);
    if (before == Lifecycle.STOPPED) {
      awaitQuietly();
      return;
    }
    if (before == Lifecycle.LATENT) {
      terminate(null);
      return;
    }
    log.info("framework closing name={} (no teardown, tasks keep running)", config.info().name());
    config.backend().close();
    loop.runAfterQueued(() -> {
      journal.flushQuietly();
      terminate(null);
    });
    awaitQuietly();
  }

  private void awaitQuietly() {
    if (loop.onEventThread() || !config.ownsExecutor()) {
      return; // the event thread cannot wait for itself; an injected executor is driven by its owner
    }
    try {
      terminated.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Waits until the framework has terminated.
   *
   * @param timeout how long to wait, or null for ever
   * @return true when terminated, false on timeout
   * @throws MesosKitException when the framework failed, with the failure as its cause
   */
  public boolean awaitTermination(Duration timeout) {
    try {
      if (timeout == null) {
        terminated.await();
      } else if (!terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MesosKitException("interrupted while waiting for framework "
          + config.info().name() + " to terminate", e);
    }
    Throwable cause = failure.get();
    if (cause instanceof MesosKitException m) {
      throw m;
    }
    if (cause != null) {
      throw new MesosKitException(
          "framework " + config.info().name() + " failed: " + cause.getMessage(), cause);
    }
    return true;
  }

  /**
   * Whether the framework has terminated.
   *
   * @return true once terminated
   */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /**
   * The failure that ended the framework, if any.
   *
   * @return the failure
   */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  /**
   * The latest snapshot of a task.
   *
   * @param id the task
   * @return the snapshot, when the task was submitted
   */
  public Optional<Task> task(TaskId id) {
    return Optional.ofNullable(views.snapshot(id));
  }

  /**
   * All task snapshots in submission order.
   *
   * @return the snapshots
   */
  public List<Task> tasks() {
    return views.all();
  }

  /**
   * A future completed with the task's outcome snapshot.
   *
   * @param id the task
   * @return the future; completed exceptionally when the framework stops first
   */
  public CompletableFuture<Task> outcome(TaskId id) {
    if (!views.known(id)) {
      throw new IllegalArgumentException("task id must name a submitted task but was '" + id + "'");
    }
    return views.outcomeFuture(id).copy();
  }

  /**
   * The framework's clock, which deadlines measured for it use.
   *
   * @return the clock of the configuration
   */
  public java.time.Clock clock() {
    return config.clock();
  }

  /**
   * The framework id, once subscribed or loaded from the store.
   *
   * @return the id
   */
  public Optional<String> frameworkId() {
    return Optional.ofNullable(frameworkId.get());
  }

  // ---------------------------------------------------------------- shared with the parts

  /** Whether the framework stopped: closed, failed or terminated. */
  boolean stopped() {
    return lifecycle.get() == Lifecycle.STOPPED;
  }

  /** Whether the framework is subscribed to the master now. Event thread only. */
  boolean subscribed() {
    return subscription.isSubscribed();
  }

  /** The framework's information as it stands: roles and capabilities as last changed. */
  FrameworkInfo info() {
    return current.get();
  }

  /** Whether this run started with a stored framework id. */
  boolean failover() {
    return failover;
  }

  /** The framework's observers, as one. */
  Observers observers() {
    return observers;
  }

  /** The pods. Event thread only, but for submitting. */
  Pods pods() {
    return pods;
  }

  /** The task with this id, or null. Event thread only. */
  TaskRecord record(TaskId id) {
    return tasks.get(id);
  }

  /** Every task, in submission order. Event thread only. */
  Collection<TaskRecord> records() {
    return tasks.values();
  }

  /** The ids of the tasks waiting for a launch, in order; the parts change it. Event thread. */
  Set<TaskId> pending() {
    return pending;
  }

  /**
   * Stores a task's snapshot and hands it to every listener.
   *
   * @throws EventLoop.ListenerFailure when a listener throws: it fails the framework
   */
  Task publish(TaskRecord r) {
    journal.changed(r);
    return views.publish(r, config.clock().instant(), config.listeners());
  }

  /**
   * Stores a task's snapshot and tells every listener that its check results changed
   * ({@link TaskListener#onHealthChanged}).
   *
   * @param snapshot the snapshot {@link #publish} just stored, or null to take one now
   * @throws EventLoop.ListenerFailure when a listener throws: it fails the framework
   */
  void publishHealth(TaskRecord r, Task snapshot) {
    views.publishHealth(r, snapshot != null ? snapshot : r.snapshot(config.clock().instant()),
        config.listeners());
  }

  /** Stores a task's snapshot without telling the listeners. */
  void updateSnapshot(TaskRecord r, Instant now) {
    views.put(r.id, r.snapshot(now));
  }

  /** A task reached its outcome: when finishing, tear down once it was the last one. */
  void drainIfFinishing() {
    drain.check();
  }

  /** Whether finish() was called and the framework has not terminated. */
  boolean finishing() {
    return lifecycle.get() == Lifecycle.FINISHING;
  }

  // ---------------------------------------------------------------- event thread

  /** Ends the framework with a failure: disconnect (no teardown), complete every future. */
  void fail(Throwable cause) {
    if ((!failure.compareAndSet(null, cause) && failure.get() != cause) || isTerminated()) {
      return; // the first failure is the one to report; its own call ends the framework
    }
    lifecycle.set(Lifecycle.STOPPED);
    config.backend().close();
    journal.fence("the framework failed: " + cause.getMessage());
    subscription.failed(cause);
    terminate(cause);
  }

  private void terminate(Throwable cause) {
    if (isTerminated()) {
      return;
    }
    lifecycle.set(Lifecycle.STOPPED);
    reconciler.stop();
    journal.close();
    leadership.stopped();
    for (CompletableFuture<Task> f : views.futures()) {
      if (!f.isDone()) {
        f.completeExceptionally(cause != null
            ? new MesosKitException("framework " + config.info().name() + " failed", cause)
            : new MesosKitException("framework " + config.info().name()
                + " stopped before the task had an outcome"));
      }
    }
    stateMachine.stoppedAcknowledging();
    loop.shutdown();
    log.info("framework terminated name={}{}", config.info().name(),
        cause == null ? "" : " failure=" + cause);
    terminated.countDown();
    subscription.ended();
  }

  /** Whether a task submitted now may have been launched by an earlier run. Event thread. */
  boolean mayHaveRun() {
    return failover && (!journal.keepsTasks() || legacyFailover);
  }

  /** Makes a task known, in place of one of the same id. Event thread. */
  void add(TaskRecord r) {
    tasks.put(r.id, r);
  }

  /**
   * Announces a task just made known, and lets it wait for an offer, or for the master's answer
   * when it is held. Event thread.
   */
  void waitForLaunch(TaskRecord r) {
    publish(r);
    if (r.held) {
      reconciler.queueHeldReconciliation();
    } else {
      stateMachine.placeable(r);
    }
    gpusMayBeNeeded(r);
    offerRound.wantOffers();
  }

  /** Declares GPU_RESOURCES when the task asks for gpus and it was not yet. Event thread. */
  void gpusMayBeNeeded(TaskRecord r) {
    if (Capabilities.needsGpus(r.spec)) {
      capabilities.update(subscribed() ? frameworkId.get() : null);
    }
  }

  /**
   * Why the teardown after {@link #finish()} failed, if it did.
   *
   * @return the backend's exception; empty when it succeeded or did not happen
   */
  public Optional<MesosKitException> teardownFailure() {
    return drain.teardownFailure();
  }

  // ------------------------------------------------------------ subscription

  /**
   * A subscription: store the id, reconcile, ask for offers, tell the listeners.
   *
   * @param master the master's address, or the backend's description when it reports none
   */
  void onSubscribed(String id, Duration heartbeat, String master) {
    String previous = frameworkId.getAndSet(id);
    if (!id.equals(previous) || !idInStore) {
      journal.saveFrameworkId(id);
      idInStore = true;
    }
    offerRound.subscribed();
    current.subscribed(id);
    capabilities.update(id);
    subscription.subscribed(id, master, id.equals(previous));
    log.info("framework subscribed name={} framework_id={} master={} heartbeat={}",
        config.info().name(), id, master, heartbeat);
    reconciler.subscribed(failover);
    offerRound.reviveOrSuppress();
  }

  void onDisconnected(String cause) {
    reconciler.disconnected();
    offerRound.disconnected();
    current.disconnected();
    log.warn("framework disconnected name={} cause={} (the backend reconnects)",
        config.info().name(), cause);
    subscription.disconnected(cause);
  }

  void onReconnecting(int attempt, Duration delay, String cause) {
    // The backend logs its attempts itself.
    log.debug("framework reconnecting name={} attempt={} next_in={} cause={}",
        config.info().name(), attempt, delay, cause);
    subscription.reconnecting(attempt, delay, cause);
  }

  void onError(String message) {
    String id = frameworkId.get();
    fail(new MesosKitException("master sent ERROR to framework " + config.info().name()
        + " framework_id=" + id + ": " + message
        + " (another scheduler may have subscribed with this framework id, or the framework was"
        + " removed; this instance stops instead of fighting)"));
  }
}
