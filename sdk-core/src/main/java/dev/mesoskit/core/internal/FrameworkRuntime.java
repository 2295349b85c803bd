package dev.mesoskit.core.internal;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heart of a framework: turns submitted tasks and master events into backend calls on one
 * event thread, and keeps every task on its way to exactly one outcome.
 *
 * <p>Threading: the public methods may be called from any thread; they validate, then queue work
 * on the event executor. Everything else runs on that executor, one event at a time.
 */
public final class FrameworkRuntime {
  /** The start of Mesos' TASK_ERROR message for a task id the framework used already. */
  private static final String DUPLICATE_ID = "Task has duplicate ID: ";

  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private enum Lifecycle { LATENT, STARTED, FINISHING, STOPPED }

  private final RuntimeConfig config;
  private final AtomicReference<Lifecycle> lifecycle = new AtomicReference<>(Lifecycle.LATENT);
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final AtomicLong derivedIds = new AtomicLong();

  // Readable from any thread.
  /** In submission order: a snapshot replaced later keeps its place. */
  private final Map<TaskId, Task> snapshots =
      java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<TaskId, CompletableFuture<Task>> outcomes = new ConcurrentHashMap<>();
  private final AtomicReference<String> frameworkId = new AtomicReference<>();
  private volatile Thread eventThread;

  // Event thread only.
  private final Map<TaskId, TaskRecord> tasks = new LinkedHashMap<>();
  private final Set<TaskId> pending = new LinkedHashSet<>();
  /** Concrete resources of the executors this framework launched, by agent and executor id. */
  private final Map<String, Map<String, Resources>> executors = new HashMap<>();
  private final Set<TaskId> awaitingReconcile = new HashSet<>();
  private boolean subscribed;
  /** Started with a stored framework id: tasks may already run from an earlier scheduler run. */
  private boolean failover;
  private boolean heldReconcileQueued;
  private boolean suppressed;
  private boolean declinedSinceRevive;
  private int reconcileGeneration;
  private ScheduledFuture<?> implicitReconcile;

  /**
   * Creates a runtime; nothing happens until {@link #start()}.
   *
   * @param config the validated configuration
   */
  public FrameworkRuntime(RuntimeConfig config) {
    this.config = config;
  }

  // ---------------------------------------------------------------- public, any thread

  /** Subscribes through the backend. */
  public void start() {
    if (!lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.STARTED)) {
      throw new IllegalStateException(
          "framework " + config.info().name() + " was already started (state "
              + lifecycle.get() + ")");
    }
    FrameworkInfo info = config.info();
    Optional<String> storedId = config.idStore().load();
    if (storedId.isPresent()) {
      info = info.withId(storedId.get());
      frameworkId.set(storedId.get());
      failover = true;
      log.info("framework starting name={} failover_from={}", info.name(), storedId.get());
    } else {
      log.info("framework starting name={}", info.name());
    }
    config.backend().subscribe(info, new LoopEvents());
  }

  /**
   * Validates and queues a task.
   *
   * @param spec the task
   * @return its id
   */
  public TaskId submit(TaskSpec spec) {
    java.util.Objects.requireNonNull(spec, "spec must not be null");
    Lifecycle state = lifecycle.get();
    if (state == Lifecycle.FINISHING || state == Lifecycle.STOPPED) {
      throw new IllegalStateException("cannot submit to framework " + config.info().name()
          + ": it is " + (state == Lifecycle.FINISHING ? "finishing" : "stopped"));
    }
    spec.resources().role().ifPresent(role -> {
      if (!role.equals(config.info().role())) {
        throw new IllegalArgumentException("resources role must be the framework's role '"
            + config.info().role() + "' but was '" + role + "' for task " + spec.name());
      }
    });
    spec.executor().flatMap(e -> e.resources().role()).ifPresent(role -> {
      if (!role.equals(config.info().role())) {
        throw new IllegalArgumentException("executor resources role must be the framework's role '"
            + config.info().role() + "' but was '" + role + "' for task " + spec.name());
      }
    });
    CompletableFuture<Task> outcome = new CompletableFuture<>();
    TaskId id = claimId(spec, outcome);
    RetryPolicy policy = spec.retryPolicy().orElse(config.retryPolicy());
    Instant now = config.clock().instant();
    TaskRecord record = new TaskRecord(id, spec, policy, now, outcome);
    snapshots.put(id, record.snapshot(now));
    enqueue(() -> onSubmit(record));
    return id;
  }

  private TaskId claimId(TaskSpec spec, CompletableFuture<Task> outcome) {
    if (spec.id().isPresent()) {
      TaskId id = spec.id().get();
      if (outcomes.putIfAbsent(id, outcome) != null) {
        throw new IllegalArgumentException("task id must be unique but '" + id
            + "' was already submitted");
      }
      return id;
    }
    String base = spec.name().replaceAll("[/\\\\\\p{Cntrl}]", "_");
    if (base.length() > TaskId.MAX_LENGTH - 21) {
      base = base.substring(0, TaskId.MAX_LENGTH - 21);
    }
    while (true) {
      TaskId id = TaskId.of(base + "-" + derivedIds.incrementAndGet());
      if (outcomes.putIfAbsent(id, outcome) == null) {
        return id;
      }
    }
  }

  /**
   * Kills a task: a pending task ends at once, a launched one when Mesos reports it killed.
   *
   * @param id the task
   */
  public void kill(TaskId id) {
    if (!outcomes.containsKey(id)) {
      throw new IllegalArgumentException("task id must name a submitted task but was '" + id + "'");
    }
    enqueue(() -> onKill(id));
  }

  /** Stops accepting tasks; the framework tears itself down once every task has an outcome. */
  public void finish() {
    if (lifecycle.compareAndSet(Lifecycle.LATENT, Lifecycle.FINISHING)) {
      // Never started: nothing runs, so finishing ends the framework now.
      terminate(null);
      return;
    }
    if (lifecycle.compareAndSet(Lifecycle.STARTED, Lifecycle.FINISHING)) {
      enqueue(this::checkDrained);
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
    try {
      config.executor().execute(() -> terminate(null));
    } catch (RejectedExecutionException e) {
      terminate(null);
    }
    awaitQuietly();
  }

  private void awaitQuietly() {
    if (Thread.currentThread() == eventThread || !config.ownsExecutor()) {
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
    return Optional.ofNullable(snapshots.get(id));
  }

  /**
   * All task snapshots in submission order.
   *
   * @return the snapshots
   */
  public List<Task> tasks() {
    synchronized (snapshots) {
      return new ArrayList<>(snapshots.values());
    }
  }

  /**
   * A future completed with the task's outcome snapshot.
   *
   * @param id the task
   * @return the future; completed exceptionally when the framework stops first
   */
  public CompletableFuture<Task> outcome(TaskId id) {
    CompletableFuture<Task> f = outcomes.get(id);
    if (f == null) {
      throw new IllegalArgumentException("task id must name a submitted task but was '" + id + "'");
    }
    return f.copy();
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

  // ---------------------------------------------------------------- event thread

  private void enqueue(Runnable work) {
    try {
      config.executor().execute(() -> runEvent(work));
    } catch (RejectedExecutionException e) {
      if (lifecycle.get() != Lifecycle.STOPPED) {
        throw new MesosKitException("framework " + config.info().name()
            + " event loop rejected work: it was shut down by someone else", e);
      }
    }
  }

  private void schedule(Runnable work, Duration delay) {
    try {
      config.executor().schedule(() -> runEvent(work), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // stopping: timers no longer matter
    }
  }

  private void runEvent(Runnable work) {
    eventThread = Thread.currentThread();
    if (lifecycle.get() == Lifecycle.STOPPED || isTerminated()) {
      return;
    }
    try {
      work.run();
    } catch (ListenerFailure e) {
      fail(e.getCause());
    } catch (RuntimeException | Error e) {
      log.error("framework event failed name={}", config.info().name(), e);
      fail(e);
    }
  }

  /** Ends the framework with a failure: disconnect (no teardown), complete every future. */
  private void fail(Throwable cause) {
    if (!failure.compareAndSet(null, cause)) {
      return;
    }
    lifecycle.set(Lifecycle.STOPPED);
    config.backend().close();
    terminate(cause);
  }

  private void terminate(Throwable cause) {
    if (isTerminated()) {
      return;
    }
    lifecycle.set(Lifecycle.STOPPED);
    reconcileGeneration++;
    if (implicitReconcile != null) {
      implicitReconcile.cancel(false);
    }
    for (CompletableFuture<Task> f : outcomes.values()) {
      if (!f.isDone()) {
        f.completeExceptionally(cause != null
            ? new MesosKitException("framework " + config.info().name() + " failed", cause)
            : new MesosKitException("framework " + config.info().name()
                + " stopped before the task had an outcome"));
      }
    }
    if (config.ownsExecutor()) {
      config.executor().shutdown();
    }
    log.info("framework terminated name={}{}", config.info().name(),
        cause == null ? "" : " failure=" + cause);
    terminated.countDown();
  }

  private void onSubmit(TaskRecord r) {
    tasks.put(r.id, r);
    pending.add(r.id);
    r.held = failover;
    log.info("task submitted task={} resources={}{}", r.id, r.spec.resources(),
        r.held ? " (held until reconciled: this run fails over)" : "");
    publish(r);
    if (r.held) {
      queueHeldReconciliation();
    }
    wantOffers();
  }

  /** Asks the master, in one call, about every held task not asked about yet. */
  private void queueHeldReconciliation() {
    if (heldReconcileQueued || !subscribed) {
      return;
    }
    heldReconcileQueued = true;
    enqueue(() -> {
      heldReconcileQueued = false;
      List<ReconcileTask> ask = new ArrayList<>();
      for (TaskId id : pending) {
        TaskRecord r = tasks.get(id);
        if (r.held && awaitingReconcile.add(r.id)) {
          ask.add(new ReconcileTask(r.mesosTaskId(), Optional.empty()));
        }
      }
      if (!ask.isEmpty()) {
        log.info("reconciling held tasks count={}", ask.size());
        config.backend().reconcile(ask);
      }
    });
  }

  private void onKill(TaskId id) {
    TaskRecord r = tasks.get(id);
    if (r == null || r.done) {
      return;
    }
    if (r.state == TaskState.PENDING) {
      finishTask(r, TaskState.KILLED, "killed on request before launch", null);
      return;
    }
    r.killRequested = true;
    log.info("task kill requested task={} mesos_task={}", r.id, r.mesosTaskId());
    sendKill(r, config.reconcileInitial());
  }

  private void sendKill(TaskRecord r, Duration nextResend) {
    if (r.done || !r.killRequested || !r.launched()) {
      return;
    }
    config.backend().kill(r.mesosTaskId(), r.agentId);
    int attempt = r.attempt;
    Duration next = min(nextResend.multipliedBy(2), config.reconcileMax());
    schedule(() -> {
      if (r.attempt == attempt) {
        sendKill(r, next);
      }
    }, nextResend);
  }

  private void checkDrained() {
    if (lifecycle.get() != Lifecycle.FINISHING) {
      return;
    }
    for (TaskRecord r : tasks.values()) {
      if (!r.done) {
        return;
      }
    }
    log.info("framework finished every task, tearing down name={}", config.info().name());
    config.backend().teardown();
    config.idStore().clear();
    terminate(null);
  }

  // ------------------------------------------------------------ subscription

  private void onSubscribed(String id, Duration heartbeat) {
    String previous = frameworkId.getAndSet(id);
    if (!id.equals(previous)) {
      config.idStore().save(id);
    }
    subscribed = true;
    suppressed = false;
    declinedSinceRevive = false;
    log.info("framework subscribed name={} framework_id={} heartbeat={}", config.info().name(), id,
        heartbeat);
    if (failover) {
      // An earlier run may have launched tasks of any attempt: learn every running task first.
      // The master answers calls in order, so these answers come before the explicit ones.
      config.backend().reconcile(List.of());
    }
    startExplicitReconciliation();
    if (implicitReconcile == null) {
      long period = config.implicitReconcileInterval().toNanos();
      implicitReconcile = config.executor().scheduleWithFixedDelay(
          () -> runEvent(this::implicitReconcile), period, period, TimeUnit.NANOSECONDS);
    }
    if (hasDuePending()) {
      // Filters set before a failover may still hold offers back from the work waiting now.
      config.backend().revive();
    } else {
      suppress();
    }
  }

  private void onDisconnected(String cause) {
    subscribed = false;
    reconcileGeneration++;
    log.warn("framework disconnected name={} cause={} (the backend reconnects)",
        config.info().name(), cause);
  }

  private void onError(String message) {
    String id = frameworkId.get();
    fail(new MesosKitException("master sent ERROR to framework " + config.info().name()
        + " framework_id=" + id + ": " + message
        + " (another scheduler may have subscribed with this framework id, or the framework was"
        + " removed; this instance stops instead of fighting)"));
  }

  private void onFailure(String agentId, Optional<String> executorId, OptionalInt status) {
    if (executorId.isPresent()) {
      Map<String, Resources> onAgent = executors.get(agentId);
      if (onAgent != null) {
        onAgent.remove(executorId.get());
      }
      log.warn("executor terminated agent={} executor={} status={}", agentId, executorId.get(),
          status.isPresent() ? status.getAsInt() : "unknown");
    } else {
      executors.remove(agentId);
      log.warn("agent failed agent={}", agentId);
    }
  }

  // ------------------------------------------------------------ offers

  private boolean hasDuePending() {
    Instant now = config.clock().instant();
    for (TaskId id : pending) {
      if (tasks.get(id).due(now)) {
        return true;
      }
    }
    return false;
  }

  private List<PendingTask> duePending() {
    Instant now = config.clock().instant();
    List<PendingTask> due = new ArrayList<>();
    for (TaskId id : pending) {
      TaskRecord r = tasks.get(id);
      if (r.due(now)) {
        due.add(new PendingTask(r.id, r.spec));
      }
    }
    return due;
  }

  /** A task became launchable: make sure offers come. */
  private void wantOffers() {
    if (!subscribed || !hasDuePending()) {
      return;
    }
    if (suppressed || declinedSinceRevive) {
      config.backend().revive();
      suppressed = false;
      declinedSinceRevive = false;
    }
  }

  private void suppress() {
    if (subscribed && !suppressed) {
      config.backend().suppress();
      suppressed = true;
    }
  }

  private void onOffers(List<Offer> offers) {
    List<PendingTask> due = duePending();
    if (due.isEmpty()) {
      decline(offers);
      suppress();
      return;
    }
    Packing packing;
    try {
      packing = config.packing().pack(due, offers);
    } catch (RuntimeException e) {
      throw new MesosKitException("packing strategy " + config.packing() + " failed on "
          + due.size() + " tasks and " + offers.size() + " offers", e);
    }
    Map<String, List<Offer>> byAgent = new LinkedHashMap<>();
    Map<String, Resources> free = new HashMap<>();
    for (Offer o : offers) {
      byAgent.computeIfAbsent(o.agentId(), a -> new ArrayList<>()).add(o);
      free.merge(o.agentId(), o.resources(), Resources::plus);
    }
    Map<String, List<TaskLaunch>> launches = new LinkedHashMap<>();
    List<TaskRecord> launched = new ArrayList<>();
    Set<TaskId> placed = new HashSet<>();
    for (Placement p : packing.placements()) {
      TaskRecord r = tasks.get(p.taskId());
      if (r == null || !pending.contains(p.taskId()) || !placed.add(p.taskId())) {
        throw strategyBug("placed task " + p.taskId() + " that is not pending, or placed it"
            + " twice");
      }
      if (!free.containsKey(p.agentId())) {
        throw strategyBug("placed task " + p.taskId() + " on agent " + p.agentId()
            + " that has no offer");
      }
      Resources executorInfoResources = executorResources(r.spec, byAgent.get(p.agentId()), p);
      // Take the task's and the executor's resources one after the other, so that a port
      // handed to both is caught too.
      Resources left = free.get(p.agentId());
      for (Resources taken : List.of(p.resources(), p.executorResources())) {
        if (!left.contains(taken)) {
          throw strategyBug("over-committed agent " + p.agentId() + ": placed " + taken
              + " for task " + p.taskId() + " but only "
              + (left.isEmpty() ? "nothing" : left.toString()) + " is left");
        }
        left = left.minus(taken);
      }
      free.put(p.agentId(), left);
      launches.computeIfAbsent(p.agentId(), a -> new ArrayList<>()).add(new TaskLaunch(
          r.mesosTaskId(), p.agentId(), r.spec, p.resources(), executorInfoResources));
      r.agentId = p.agentId();
      r.hostname = byAgent.get(p.agentId()).get(0).hostname();
      r.ports = p.resources().ranges("ports").values();
      launched.add(r);
    }
    List<String> unused = new ArrayList<>();
    for (Map.Entry<String, List<Offer>> e : byAgent.entrySet()) {
      List<String> ids = e.getValue().stream().map(Offer::id).toList();
      List<TaskLaunch> onAgent = launches.get(e.getKey());
      if (onAgent == null) {
        unused.addAll(ids);
      } else {
        config.backend().accept(ids, onAgent, config.refuse());
      }
    }
    if (!unused.isEmpty()) {
      config.backend().decline(unused, config.refuse());
      declinedSinceRevive = true;
    }
    for (TaskRecord r : launched) {
      pending.remove(r.id);
      r.state = TaskState.STAGING;
      r.message = null;
      r.reason = null;
      log.info("task launched task={} mesos_task={} agent={} host={} attempt={}", r.id,
          r.mesosTaskId(), r.agentId, r.hostname, r.attempt);
      publish(r);
    }
    Instant now = config.clock().instant();
    for (Map.Entry<TaskId, String> e : packing.unplaced().entrySet()) {
      TaskRecord r = tasks.get(e.getKey());
      if (r != null && pending.contains(r.id) && !e.getValue().equals(r.message)) {
        r.message = e.getValue();
        snapshots.put(r.id, r.snapshot(now));
        log.debug("task not placed task={} reason={}", r.id, e.getValue());
      }
    }
    if (!hasDuePending()) {
      suppress();
    }
  }

  /**
   * The executor resources a launch carries in its ExecutorInfo: those the executor was first
   * launched with, because Mesos requires every ExecutorInfo of one executor to be identical.
   */
  private Resources executorResources(TaskSpec spec, List<Offer> agentOffers, Placement p) {
    Optional<ExecutorSpec> exec = spec.executor();
    if (exec.isEmpty()) {
      if (!p.executorResources().isEmpty()) {
        throw strategyBug("charged executor resources for command task " + p.taskId());
      }
      return Resources.empty();
    }
    String execId = exec.get().id();
    Map<String, Resources> onAgent = executors.computeIfAbsent(p.agentId(), a -> new HashMap<>());
    Resources known = onAgent.get(execId);
    boolean offeredAsRunning = agentOffers.stream().anyMatch(o -> o.executorIds().contains(execId));
    if (known != null) {
      // Launched by this scheduler; a charge the strategy made anyway is declined with the rest.
      return known;
    }
    if (offeredAsRunning) {
      // Launched by an earlier run of this scheduler: its ExecutorInfo used the spec's amounts.
      known = nominal(exec.get().resources(), agentOffers);
      onAgent.put(execId, known);
      return known;
    }
    if (p.executorResources().isEmpty()) {
      throw strategyBug("did not charge executor " + execId + " resources on agent " + p.agentId()
          + " where it does not run yet (task " + p.taskId() + ")");
    }
    onAgent.put(execId, p.executorResources());
    return p.executorResources();
  }

  /** The spec's scalar amounts as unreserved resources, allocated like the agent's offers. */
  private static Resources nominal(dev.mesoskit.core.ResourceSpec spec, List<Offer> agentOffers) {
    Optional<String> allocationRole = agentOffers.stream()
        .flatMap(o -> o.resources().list().stream())
        .map(dev.mesoskit.core.Resource::allocationRole)
        .flatMap(Optional::stream)
        .findFirst();
    List<dev.mesoskit.core.Resource> list = new ArrayList<>();
    String[] names = {"cpus", "mem", "disk", "gpus"};
    double[] amounts = {spec.cpus(), spec.memMb(), spec.diskMb(), spec.gpus()};
    for (int i = 0; i < names.length; i++) {
      dev.mesoskit.core.Resource r = dev.mesoskit.core.Resource.scalar(names[i], amounts[i]);
      list.add(allocationRole.map(r::withAllocationRole).orElse(r));
    }
    return Resources.of(list);
  }

  private MesosKitException strategyBug(String what) {
    return new MesosKitException("packing strategy " + config.packing() + " broke its contract: "
        + what);
  }

  private void decline(Collection<Offer> offers) {
    if (offers.isEmpty()) {
      return;
    }
    config.backend().decline(offers.stream().map(Offer::id).toList(), config.refuse());
    declinedSinceRevive = true;
  }

  // ------------------------------------------------------------ updates

  private void onUpdate(TaskStatus s) {
    try {
      applyUpdate(s);
    } finally {
      if (s.uuid().isPresent() && s.agentId().isPresent() && lifecycle.get() != Lifecycle.STOPPED) {
        config.backend().acknowledge(s.agentId().get(), s.mesosTaskId(), s.uuid().get());
      }
    }
  }

  private void applyUpdate(TaskStatus s) {
    int dot = s.mesosTaskId().lastIndexOf('.');
    TaskRecord found = null;
    int attempt = -1;
    if (dot > 0) {
      try {
        attempt = Integer.parseInt(s.mesosTaskId().substring(dot + 1));
        found = tasks.get(TaskId.of(s.mesosTaskId().substring(0, dot)));
      } catch (IllegalArgumentException e) {
        found = null;
      }
    }
    applyUpdate(found, attempt, s);
  }

  private void applyUpdate(TaskRecord r, int attempt, TaskStatus s) {
    if (r == null) {
      log.info("update for unknown task ignored mesos_task={} state={}", s.mesosTaskId(),
          s.state());
      return;
    }
    if (r.state == TaskState.PENDING && !r.done && attempt > r.attempt
        && !s.state().endsAttempt() && failover) {
      log.info("adopting a later attempt launched by an earlier scheduler run task={}"
          + " attempt={}", r.id, attempt);
      r.attempt = attempt;
    }
    if (attempt != r.attempt || r.done) {
      // Alive after it was replaced, or after an ending that did not prove it stopped (e.g. an
      // UNREACHABLE last attempt, or one killed on request): kill it, or it runs on unseen.
      boolean mayRun = attempt < r.attempt || (attempt == r.attempt && r.attemptEnding != null
          && !r.attemptEnding.isOutcome());
      if (!s.state().endsAttempt() && mayRun) {
        log.warn("replaced or ended attempt is alive, killing it task={} mesos_task={} state={}",
            r.id, s.mesosTaskId(), s.state());
        config.backend().kill(s.mesosTaskId(), s.agentId().orElse(null));
      } else {
        log.debug("stale update ignored task={} mesos_task={} state={}", r.id, s.mesosTaskId(),
            s.state());
      }
      return;
    }
    if (r.state == TaskState.PENDING) {
      // The current attempt was never launched by this scheduler instance.
      if (s.state().endsAttempt()) {
        if (r.held && s.state() == TaskState.FINISHED) {
          // An earlier run launched this attempt and it finished while no scheduler was there:
          // the work is done, so its end is this task's outcome, not a reason to run it again.
          r.held = false;
          log.info("adopting the outcome of a task an earlier scheduler run launched task={}"
              + " attempt={} state={}", r.id, attempt, s.state());
          pending.remove(r.id);
        } else if (r.held) {
          r.held = false;
          awaitingReconcile.remove(r.id);
          if (s.state() != TaskState.UNKNOWN && s.state() != TaskState.LOST) {
            // An earlier run launched this Mesos task id and the master still knows it (e.g.
            // ended but not acknowledged): launching the same id again is a duplicate.
            r.attempt = attempt + 1;
          }
          log.debug("held task is not running, releasing it task={} answer={}", r.id, s.state());
          wantOffers();
          return;
        } else {
          log.debug("update for an attempt not launched ignored task={} state={}", r.id,
              s.state());
          return;
        }
      } else {
        r.held = false;
        log.info("adopting task launched by an earlier scheduler run task={} state={}", r.id,
            s.state());
        pending.remove(r.id);
      }
    }
    awaitingReconcile.remove(r.id);
    s.agentId().ifPresent(a -> r.agentId = a);
    if (!s.state().endsAttempt()) {
      boolean sameState = s.state() == r.state
          && (s.reason().filter("REASON_RECONCILIATION"::equals).isPresent()
              || java.util.Objects.equals(s.message().orElse(null), r.message));
      if (s.state().rank() < r.state.rank() || sameState) {
        log.debug("duplicate or stale update ignored task={} state={} current={}", r.id, s.state(),
            r.state);
        return;
      }
      r.state = s.state();
      r.message = s.message().orElse(null);
      r.reason = s.reason().orElse(null);
      if (s.state() == TaskState.RUNNING && r.runningSince == null) {
        r.runningSince = config.clock().instant();
      }
      log.info("task {} task={} attempt={}", s.state(), r.id, r.attempt);
      publish(r);
      return;
    }
    String reason = s.reason().orElse(null);
    String message = s.message().orElse(null);
    if (s.state() == TaskState.ERROR && message != null
        && message.startsWith(DUPLICATE_ID + s.mesosTaskId())
        && !"SOURCE_EXECUTOR".equals(s.source().orElse(null)) && !r.killRequested) {
      // A run of this scheduler that was killed before it learned of its launch used this Mesos
      // id: the master still holds that task, running or ended. Ask about it and take it over
      // as a failing-over run does: running is adopted, FINISHED is the outcome, another end
      // moves on to the next id.
      log.info("Mesos id already used by an earlier scheduler run, reconciling it task={}"
          + " mesos_task={}", r.id, s.mesosTaskId());
      r.state = TaskState.PENDING;
      r.agentId = null;
      r.hostname = null;
      r.ports = List.of();
      r.held = true;
      pending.add(r.id);
      publish(r);
      queueHeldReconciliation();
      return;
    }
    r.attemptEnding = s.state();
    switch (s.state()) {
      case FINISHED -> finishTask(r, TaskState.FINISHED, message, reason);
      case KILLED -> finishTask(r, TaskState.KILLED, message, reason);
      case ERROR -> finishTask(r, TaskState.ERROR, message, reason);
      default -> attemptFailed(r, s.state(), message, reason);
    }
  }

  private void attemptFailed(TaskRecord r, TaskState state, String message, String reason) {
    String what = state.toMesos() + (reason == null ? "" : " (" + reason + ")")
        + (message == null ? "" : ": " + message);
    if (r.killRequested) {
      finishTask(r, TaskState.KILLED, "killed on request; the attempt ended " + what, reason);
      return;
    }
    log.info("task attempt ended task={} attempt={} state={} reason={} message={}", r.id,
        r.attempt, state, reason, message);
    if (r.policy.retries(r.attempt, state, reason)) {
      // Listeners see how the attempt ended, then the retry; a final failure shows once, as FAILED.
      r.state = state;
      r.message = message;
      r.reason = reason;
      publish(r);
      if (r.runningSince != null && !Duration.between(r.runningSince, config.clock().instant())
          .minus(r.policy.maxBackoff()).isNegative()) {
        r.backoffStep = 1; // it ran as long as the longest backoff: a fresh start, not a crash loop
      }
      Duration delay = r.policy.backoff(r.backoffStep++, config.random().nextDouble());
      r.nextAttempt();
      r.message = "attempt " + (r.attempt - 1) + " ended " + what + "; attempt " + r.attempt
          + (r.policy.unlimitedAttempts() ? "" : " of " + r.policy.maxAttempts()) + " after "
          + delay.toMillis() + " ms";
      r.notBefore = config.clock().instant().plus(delay);
      pending.add(r.id);
      publish(r);
      int attempt = r.attempt;
      schedule(() -> {
        if (r.attempt == attempt && !r.done) {
          r.notBefore = null;
          wantOffers();
        }
      }, delay);
    } else {
      int attempts = r.attempt;
      finishTask(r, TaskState.FAILED,
          "failed after " + attempts + (attempts == 1 ? " attempt: " : " attempts: ") + what,
          reason);
    }
  }

  private void finishTask(TaskRecord r, TaskState outcome, String message, String reason) {
    r.state = outcome;
    r.done = true;
    r.message = message;
    r.reason = reason;
    pending.remove(r.id);
    awaitingReconcile.remove(r.id);
    log.info("task outcome task={} state={} attempts={} message={}", r.id, outcome, r.attempt,
        message);
    Task snapshot = publish(r);
    r.outcome.complete(snapshot);
    if (lifecycle.get() == Lifecycle.FINISHING) {
      checkDrained();
    }
  }

  private Task publish(TaskRecord r) {
    Task snapshot = r.snapshot(config.clock().instant());
    snapshots.put(r.id, snapshot);
    for (TaskListener l : config.listeners()) {
      try {
        l.onUpdate(snapshot);
      } catch (RuntimeException e) {
        log.error("task listener failed task={} state={}", r.id, snapshot.state(), e);
        throw new ListenerFailure(new MesosKitException(
            "task listener " + l + " failed on task " + r.id + " (" + snapshot.state() + ")", e));
      }
    }
    return snapshot;
  }

  // ------------------------------------------------------------ reconciliation

  private void startExplicitReconciliation() {
    int generation = ++reconcileGeneration;
    awaitingReconcile.clear();
    for (TaskRecord r : tasks.values()) {
      if (r.reconcilable()) {
        awaitingReconcile.add(r.id);
      }
    }
    if (awaitingReconcile.isEmpty()) {
      return;
    }
    reconcileRound(generation, config.reconcileInitial());
  }

  private void reconcileRound(int generation, Duration backoff) {
    if (generation != reconcileGeneration || !subscribed) {
      return;
    }
    List<ReconcileTask> ask = new ArrayList<>();
    for (TaskId id : awaitingReconcile) {
      TaskRecord r = tasks.get(id);
      if (r.reconcilable()) {
        ask.add(new ReconcileTask(r.mesosTaskId(), Optional.ofNullable(r.agentId)));
      }
    }
    if (ask.isEmpty()) {
      awaitingReconcile.clear();
      return;
    }
    log.info("reconciling tasks count={} next_check={}", ask.size(), backoff);
    config.backend().reconcile(ask);
    Duration next = min(backoff.multipliedBy(2), config.reconcileMax());
    schedule(() -> reconcileRound(generation, next), backoff);
  }

  private void implicitReconcile() {
    if (subscribed) {
      log.debug("implicit reconciliation");
      config.backend().reconcile(List.of());
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** Carries a listener's failure out of the event so that it fails the framework. */
  private static final class ListenerFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ListenerFailure(MesosKitException cause) {
      super(cause);
    }
  }

  /** Hands every backend event to the event thread. */
  private final class LoopEvents implements SchedulerEvents {
    @Override
    public void subscribed(String id, Duration heartbeatInterval) {
      enqueue(() -> onSubscribed(id, heartbeatInterval));
    }

    @Override
    public void offers(List<Offer> offers) {
      List<Offer> copy = List.copyOf(offers);
      enqueue(() -> onOffers(copy));
    }

    @Override
    public void rescind(String offerId) {
      enqueue(() -> log.debug("offer rescinded offer={} (offers are never held)", offerId));
    }

    @Override
    public void update(TaskStatus status) {
      enqueue(() -> onUpdate(status));
    }

    @Override
    public void message(String agentId, String executorId, byte[] data) {
      enqueue(() -> log.debug("executor message agent={} executor={} bytes={}", agentId,
          executorId, data.length));
    }

    @Override
    public void failure(String agentId, Optional<String> executorId, OptionalInt status) {
      enqueue(() -> onFailure(agentId, executorId, status));
    }

    @Override
    public void error(String message) {
      enqueue(() -> onError(message));
    }

    @Override
    public void disconnected(String cause) {
      enqueue(() -> onDisconnected(cause));
    }
  }
}
