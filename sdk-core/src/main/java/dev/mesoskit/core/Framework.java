package dev.mesoskit.core;

import dev.mesoskit.core.internal.FrameworkRuntime;
import dev.mesoskit.core.internal.RuntimeConfig;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.LeaderElection;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * A Mesos framework: submit tasks, and MesosKit subscribes to the master, packs tasks onto
 * offers, launches them, tracks every one to exactly one outcome, retries failures, reconciles
 * after every (re)subscription and keeps the framework id for failover.
 *
 * <pre>{@code
 * try (Framework framework = Framework.builder()
 *     .name("hello")
 *     .backend(backend)
 *     .listener(task -> System.out.println(task.id() + " " + task.state()))
 *     .build()) {
 *   framework.start();
 *   framework.submit(TaskSpec.builder().name("hi").resources("cpus:0.1;mem:32").command("echo hi").build());
 *   framework.finish();            // tear down once every task has an outcome
 *   framework.awaitTermination();  // rethrows what made the framework fail
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@code build() -> start() -> finish() or close()}. A second {@code start()} throws;
 * {@code close()} is idempotent, disconnects <em>without</em> tearing the framework down (so a
 * restarted scheduler fails over to the running tasks), and returns when everything stopped.
 *
 * <p>Threading: every method is safe from any thread. Master events, packing and listener calls
 * run on one event thread, in order. A listener that throws fails the framework:
 * {@link #awaitTermination()} rethrows it.
 *
 * <p>Task outcomes: {@link TaskState#FINISHED}; {@link TaskState#FAILED} once its
 * {@link RetryPolicy} gives up (LOST, DROPPED, UNREACHABLE, GONE, executor failures and attempts
 * that ran past the spec's {@link TaskSpec#timeout() timeout} count as attempts), or when it was
 * not placed within its {@link Builder#placementTimeout placement timeout};
 * {@link TaskState#KILLED} on request (a task its executor killed for failing its
 * {@link TaskSpec#healthCheck() health check} is a failed attempt, {@code "killed as unhealthy:
 * ..."}); {@link TaskState#ERROR} for a spec Mesos refuses. Health and readiness results update
 * {@link Task#healthy()} and {@link Task#check()} and reach {@link TaskListener#onHealthChanged}.
 *
 * <p>Diagnostics: a task that needs more cpus, mem, disk or gpus than any agent offered at once
 * so far cannot be placed until something changes, and is logged at WARN with the packing
 * strategy's reason ({@code "task not placed task=t1 reason=needs cpus 64, the largest offer has
 * 2"}), once, and again only when the reason changes; so is a task the strategy leaves for any
 * other reason (a constraint, ports). A task that only waits for its turn on busy agents is
 * logged at DEBUG. Either way the reason is the task's {@link Task#message()}. When
 * tasks wait for offers and none at all arrived for 30 s while subscribed, one WARN says so,
 * repeated only after offers came and stopped again. A {@link FrameworkListener} hears of
 * subscriptions, disconnections, reconnection attempts and the framework's failure.
 */
public final class Framework implements AutoCloseable {
  private final FrameworkRuntime runtime;
  private final String name;
  private final List<TaskListener> listeners;

  private Framework(String name, RuntimeConfig config, List<TaskListener> listeners) {
    this.name = name;
    this.runtime = new FrameworkRuntime(config);
    this.listeners = List.copyOf(listeners);
  }

  /** Whether a kill of the task was requested and it has no outcome yet (for {@link Service}). */
  boolean killRequested(TaskId id) {
    return runtime.killRequested(id);
  }

  /** Whether {@code listener} was added to this framework's builder (for {@link Service}). */
  boolean hasListener(TaskListener listener) {
    return listeners.stream().anyMatch(l -> l == listener);
  }

  /**
   * Tears down the framework of an earlier run, so that the next one starts fresh instead of
   * failing over to it and adopting its tasks: subscribes with the id the builder's
   * {@link Builder#frameworkIdStore id store} holds (a scheduler of that run still connected is
   * failed over), and removes the framework from the master, which kills every task it has
   * (they end {@code TASK_KILLED}, {@code REASON_FRAMEWORK_REMOVED}), then clears the store.
   * Nothing happens when the store holds no id.
   *
   * <pre>{@code
   * Framework.Builder builder = Framework.builder().name("render").backend(backend)
   *     .frameworkIdStore(FrameworkIdStore.file(idFile));
   * Framework.tearDown(builder, Duration.ofSeconds(30)); // the last run's tasks are gone
   * try (Framework framework = builder.backend(Backends.fromArgs(args)).build()) { ... }
   * }</pre>
   *
   * @param builder the builder of the framework, with its backend (used up by this call: give the
   *     next framework a new one) and its id store
   * @param timeout how long to wait for the subscription and for the teardown each
   * @return true when a framework was torn down, false when the store held no id or the master
   *     had removed that framework already (the store is cleared then)
   * @throws MesosKitException when the master cannot be reached in time or the teardown was not
   *     confirmed, with the reason; the store keeps the id then
   * @throws IllegalArgumentException when the builder's settings are invalid (see
   *     {@link Builder#build()})
   */
  public static boolean tearDown(Builder builder, Duration timeout) {
    Objects.requireNonNull(builder, "builder must not be null");
    return FrameworkTearDown.run(builder.name, FrameworkSettings.storeOf(builder.stateStore,
        builder.frameworkIdStore, builder.name), builder::build, builder.backend,
        FrameworkSettings.checkTimeout(timeout));
  }

  /** Why the teardown after {@link #finish()} failed, if it did. */
  Optional<MesosKitException> teardownFailure() {
    return runtime.teardownFailure();
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
   * Subscribes to the master; tasks submitted before run once offers arrive.
   *
   * <p>First takes the {@link Builder#stateStore state store} and recovers the tasks an
   * earlier run left there: each is adopted when it still runs, given its outcome when it ended,
   * and launched when it never ran, without being submitted again (submitting one again with an
   * equal spec returns the recovered task). With a {@link Builder#leaderElection leader
   * election}, returns at once and does all that once this instance is elected; call
   * {@link #awaitLeadership} before submitting.
   *
   * @throws IllegalStateException when already started or closed
   * @throws MesosKitException when another scheduler instance holds the state store (the
   *     framework is stopped then)
   */
  public void start() {
    runtime.start();
  }

  /**
   * Waits until this instance leads and has recovered its tasks from the state store; without a
   * leader election that is as soon as it started.
   *
   * @param timeout how long to wait, or null for ever
   * @return true when it leads, false when the time ran out first
   * @throws MesosKitException when the framework stopped first: it lost its leadership (the
   *     message says why), failed, or was closed
   * @throws IllegalStateException when called from a listener on the event thread
   */
  public boolean awaitLeadership(Duration timeout) {
    return runtime.awaitLeadership(timeout);
  }

  /**
   * Whether this instance leads: started (and elected, with a leader election) and not stopped.
   *
   * @return true while it leads
   */
  public boolean leading() {
    return runtime.leading();
  }

  /**
   * Submits a task. Its spec is checked now; it runs when an offer fits.
   *
   * @param spec the task
   * @return its id (the spec's, or one derived from the name)
   * @throws IllegalArgumentException when the id was used before or the spec does not suit this
   *     framework (e.g. another role)
   * @throws IllegalStateException after {@link #finish()} or {@link #close()}
   */
  public TaskId submit(TaskSpec spec) {
    return runtime.submit(spec);
  }

  /**
   * Submits a pod: its tasks launch together on one agent ({@code LAUNCH_GROUP}); each is a task
   * with snapshots and an outcome, retried with the whole pod when one of them fails.
   *
   * @param pod the pod
   * @return its tasks' ids in the pod's order: a task's own, else {@code <pod>.<task name>}
   *     ({@code <pod>-<n>.<task name>} when a pod of that name was submitted before)
   * @throws IllegalArgumentException as {@link #submit(TaskSpec)} does, for any of its tasks
   * @throws IllegalStateException after {@link #finish()} or {@link #close()}
   */
  public List<TaskId> submit(PodSpec pod) {
    return runtime.submit(pod);
  }

  /**
   * Kills a task: a pending one ends {@link TaskState#KILLED} at once, a launched one when Mesos
   * confirms. Killing a task that already has an outcome does nothing.
   *
   * @param id the task
   * @throws IllegalArgumentException when no task has this id
   */
  public void kill(TaskId id) {
    runtime.kill(id, Optional.empty());
  }

  /**
   * Kills a task with its own grace period, which overrides the task's
   * {@link TaskSpec#killGracePeriod() kill policy} for this kill ({@code Call.Kill.kill_policy}):
   * the executor forces the task (SIGKILL for a command task) once it has passed. A pending task
   * ends {@link TaskState#KILLED} at once, a launched one when Mesos confirms; killing a task that
   * already has an outcome does nothing. The libmesos driver ({@code --driver=native}) cannot send
   * a kill policy with a kill: there the task's own policy applies.
   *
   * @param id the task
   * @param gracePeriod how long the task may take to stop, &gt;= 0
   * @throws IllegalArgumentException when no task has this id, or the grace period is negative
   * @throws NullPointerException when the grace period is null
   */
  public void kill(TaskId id, Duration gracePeriod) {
    Objects.requireNonNull(gracePeriod, "gracePeriod must not be null");
    if (gracePeriod.isNegative()) {
      throw new IllegalArgumentException("gracePeriod must be >= 0 but was " + gracePeriod);
    }
    runtime.kill(id, Optional.of(gracePeriod));
  }

  /**
   * Changes the roles while running ({@code UPDATE_FRAMEWORK} with the current information, e.g.
   * {@code GPU_RESOURCES} when declared; before {@link #start()} they are used at SUBSCRIBE, while
   * not subscribed sent at the subscription). The first is the default role; tasks of the new
   * roles may be submitted from now on. A pending task or pod of a removed role ends FAILED,
   * {@code "role web was removed from the framework"}; launched ones run on.
   *
   * @param first the new default role
   * @param more the other roles
   * @throws IllegalArgumentException when a role is blank or repeated
   * @throws IllegalStateException after {@link #close()}, or when the backend cannot update
   */
  public void changeRoles(String first, String... more) {
    runtime.changeRoles(FrameworkSettings.changedRoles(first, more));
  }

  /**
   * Kills every task submitted so far that has no outcome yet, each as {@link #kill} does: a
   * pending one ends {@link TaskState#KILLED} at once, a launched one when Mesos confirms. Tasks
   * submitted afterwards are not affected; the framework keeps running (combine with
   * {@link #finish()} to stop once they ended).
   */
  public void killAll() {
    runtime.killAll();
  }

  /**
   * The latest snapshot of a task.
   *
   * @param id the task
   * @return the snapshot, or empty when no task has this id
   */
  public Optional<Task> task(TaskId id) {
    return runtime.task(id);
  }

  /**
   * Snapshots of every submitted task, in submission order.
   *
   * @return the snapshots
   */
  public List<Task> tasks() {
    return runtime.tasks();
  }

  /**
   * The outcome of a task.
   *
   * @param id the task
   * @return a future completed with the outcome snapshot, or exceptionally when the framework
   *     stops first
   * @throws IllegalArgumentException when no task has this id
   */
  public CompletableFuture<Task> outcome(TaskId id) {
    return runtime.outcome(id);
  }

  /**
   * The framework id the master assigned, or the stored one being failed over to.
   *
   * @return the id, once known
   */
  public Optional<String> frameworkId() {
    return runtime.frameworkId();
  }

  /**
   * Takes no more tasks; once every submitted task has an outcome the framework tears itself down
   * at the master, forgets its stored id and terminates.
   */
  public void finish() {
    runtime.finish();
  }

  /**
   * {@link #finish() Finishes}, then waits at most {@code timeout} for the framework to
   * terminate. When the time runs out the framework goes on finishing; to end it sooner, kill
   * what is left:
   *
   * <pre>{@code
   * if (!framework.finish(Duration.ofMinutes(10))) {
   *   framework.killAll();            // each task ends KILLED, then the framework tears down
   *   framework.awaitTermination();
   * }
   * }</pre>
   *
   * @param timeout how long to wait, not negative
   * @return true when terminated, false when some task still had no outcome in time
   * @throws MesosKitException when the framework failed (as {@link #awaitTermination()})
   * @throws IllegalArgumentException when {@code timeout} is null or negative
   * @throws IllegalStateException when called from a listener on the framework's own event
   *     thread (with an {@link Builder#executor injected executor}, not waiting there is up to
   *     its owner)
   */
  public boolean finish(Duration timeout) {
    return runtime.finish(FrameworkSettings.checkTimeout(timeout));
  }

  /**
   * Waits until the framework is subscribed to the master; returns at once when it is.
   *
   * @param timeout how long to wait, not negative
   * @throws MesosKitException when it is not subscribed within {@code timeout}, with a message
   *     naming the timeout and the last problem the backend reported (e.g. {@code "framework
   *     hello not subscribed within PT30S; last problem: disconnected: connection refused"}); at
   *     once when the framework failed, with the failure as its cause
   * @throws IllegalArgumentException when {@code timeout} is null or negative
   * @throws IllegalStateException when not started, stopped without failing, or called from a
   *     listener on the framework's own event thread
   */
  public void awaitSubscribed(Duration timeout) {
    runtime.awaitSubscribed(FrameworkSettings.checkTimeout(timeout));
  }

  /**
   * Waits until the framework terminated: finished, closed, or failed.
   *
   * @throws MesosKitException when it failed (a listener threw, the master sent ERROR, ...), with
   *     the failure as its cause
   */
  public void awaitTermination() {
    runtime.awaitTermination(null);
  }

  /**
   * Waits at most {@code timeout} for the framework to terminate.
   *
   * @param timeout how long to wait
   * @return true when terminated, false when the time ran out
   * @throws MesosKitException when it failed
   */
  public boolean awaitTermination(Duration timeout) {
    return runtime.awaitTermination(Objects.requireNonNull(timeout, "timeout must not be null"));
  }

  /**
   * Whether the framework terminated.
   *
   * @return true once terminated
   */
  public boolean isTerminated() {
    return runtime.isTerminated();
  }

  /**
   * Disconnects from the master without tearing the framework down: its tasks keep running for
   * the failover timeout, so a restarted scheduler can take them over. Idempotent; returns when
   * everything stopped.
   */
  @Override
  public void close() {
    runtime.close();
  }

  /** The clock of this framework: deadlines measured for it (e.g. {@link Service#stop}) use it. */
  java.time.Clock clock() {
    return runtime.clock();
  }

  @Override
  public String toString() {
    return "Framework[" + name + "]";
  }

  /**
   * Builds a {@link Framework}. Required: {@link #name(String)} and {@link #backend}. Defaults:
   * role {@code *}, the current OS user, first-fit packing, {@link RetryPolicy#defaults()}, a
   * failover timeout of 7 days, the framework id kept in
   * {@code ~/.mesoskit/frameworks/<name>/framework-id}, offers refused for 5 s when declined,
   * explicit reconciliation backing off from 1 s to 1 min, implicit reconciliation every 10 min,
   * no placement timeout (tasks wait for an offer that fits for ever), no listeners or observers.
   */
  public static final class Builder {
    private String name;
    private String user = System.getProperty("user.name", "root");
    private String role = "*";
    private List<String> extraRoles = List.of();
    private String principal;
    private String hostname;
    private String webuiUrl;
    private SchedulerBackend backend;
    private PackingStrategy packing = PackingStrategy.firstFit();
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration failoverTimeout = Duration.ofDays(7);
    private FrameworkIdStore frameworkIdStore;
    private StateStore stateStore;
    private LeaderElection leaderElection;
    private final List<TaskListener> listeners = new ArrayList<>();
    private final List<FrameworkListener> frameworkListeners = new ArrayList<>();
    private final List<FrameworkObserver> observers = new ArrayList<>();
    private Duration placementTimeout;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService executor;
    private RandomGenerator random;
    private Duration refuse = Duration.ofSeconds(5);
    private Duration reconcileInitial = Duration.ofSeconds(1);
    private Duration reconcileMax = Duration.ofMinutes(1);
    private Duration implicitReconcileInterval = Duration.ofMinutes(10);
    private boolean regionAware;

    private Builder() {}

    /**
     * Sets the framework name shown by the master.
     *
     * @param name not blank
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets the OS user tasks run as.
     *
     * @param user default: the {@code user.name} of this JVM
     * @return this builder
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * Sets the role to subscribe with.
     *
     * @param role default {@code *}
     * @return this builder
     */
    public Builder role(String role) {
      this.role = role;
      this.extraRoles = List.of();
      return this;
    }

    /**
     * Subscribes with several roles (Mesos' MULTI_ROLE): offers come allocated to one of them,
     * and a task runs on resources of its own role ({@link TaskSpec#role()}, the first role when
     * it names none), never on another role's; offers without allocation role (from a master
     * that sends none) serve the first role. Submitting a task of another role fails.
     *
     * @param first the framework's default role
     * @param more further roles
     * @return this builder
     */
    public Builder roles(String first, String... more) {
      this.role = first;
      this.extraRoles = List.of(more);
      return this;
    }

    /**
     * Declares Mesos' REGION_AWARE capability: the master then also offers agents of other
     * regions than its own (Mesos' fault domains).
     * Tasks asking for gpus make the framework declare GPU_RESOURCES on its own, at SUBSCRIBE or
     * later with UPDATE_FRAMEWORK; PARTITION_AWARE is always declared.
     *
     * @param regionAware default false
     * @return this builder
     */
    public Builder regionAware(boolean regionAware) {
      this.regionAware = regionAware;
      return this;
    }

    /**
     * Sets the principal for authentication and reservations.
     *
     * @param principal default none
     * @return this builder
     */
    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    /**
     * Sets the hostname the master shows for this scheduler.
     *
     * @param hostname default none
     * @return this builder
     */
    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    /**
     * Sets the link the master's UI shows for this framework.
     *
     * @param webuiUrl default none
     * @return this builder
     */
    public Builder webuiUrl(String webuiUrl) {
      this.webuiUrl = webuiUrl;
      return this;
    }

    /**
     * Sets the port to the master.
     *
     * @param backend required
     * @return this builder
     */
    public Builder backend(SchedulerBackend backend) {
      this.backend = backend;
      return this;
    }

    /**
     * Sets the packing strategy. A strategy that is also a {@link TaskListener} (one that keeps
     * count of running tasks, for constraints) is registered as the first listener.
     *
     * @param packing default {@link PackingStrategy#firstFit()}
     * @return this builder
     */
    public Builder packing(PackingStrategy packing) {
      this.packing = packing;
      return this;
    }

    /**
     * Sets the retry policy of tasks whose spec has none.
     *
     * @param retryPolicy default {@link RetryPolicy#defaults()}
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /**
     * Sets how long the master keeps the framework's tasks after the scheduler disconnects. Mesos'
     * own default, 0, kills every task on the first disconnection.
     *
     * @param failoverTimeout default 7 days
     * @return this builder
     */
    public Builder failoverTimeout(Duration failoverTimeout) {
      this.failoverTimeout = failoverTimeout;
      return this;
    }

    /**
     * Sets where the framework id is kept between runs, alone, when no {@link #stateStore} is
     * set (a restarted scheduler then knows its tasks only when they are submitted again). With a
     * state store too, this is where a run that kept its id alone left it: the state store takes
     * it over once, when it holds no id of its own, and the tasks submitted are held until the
     * master says whether they run, as they were then.
     *
     * @param store default none: a {@code StateStore.file} that takes the id over from
     *     {@code ~/.mesoskit/frameworks/<name>/framework-id}
     * @return this builder
     */
    public Builder frameworkIdStore(FrameworkIdStore store) {
      this.frameworkIdStore = store;
      return this;
    }

    /**
     * Sets where the framework keeps its id and every task (spec, attempt, outcome), written
     * before each launch, so that a restarted scheduler or an elected standby recovers them.
     * Taken by one instance at a time: a second one is refused at {@link Framework#start()}.
     *
     * @param store default {@code StateStore.file} in
     *     {@code ~/.mesoskit/frameworks/<name>/framework-id.state}, unless only a
     *     {@link #frameworkIdStore} is set, which then keeps the id alone
     * @return this builder
     */
    public Builder stateStore(StateStore store) {
      this.stateStore = store;
      return this;
    }

    /**
     * Runs this instance as one of several: it subscribes only once elected, and stops at once
     * when it loses the leadership (a standby takes over with the same framework id). The
     * instances must share one state store, such as ZooKeeper's.
     *
     * @param election e.g. {@code ZooKeeperHa.connect(url).election()} (sdk-zookeeper); default
     *     none: this instance leads alone
     * @return this builder
     */
    public Builder leaderElection(LeaderElection election) {
      this.leaderElection = election;
      return this;
    }

    /**
     * Adds a task listener; listeners run on the event thread in the order added.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(TaskListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Adds a framework listener, told of subscriptions, disconnections, reconnection attempts and
     * the framework's failure; listeners run on the event thread in the order added.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder frameworkListener(FrameworkListener listener) {
      frameworkListeners.add(Objects.requireNonNull(listener, "listener must not be null"));
      return this;
    }

    /**
     * Adds an observer of offers, packing, launches, retries, the event loop and the master, e.g.
     * sdk-metrics' {@code FrameworkMetrics}; called in the order added ({@link FrameworkObserver}).
     *
     * @param observer the observer
     * @return this builder
     */
    public Builder observer(FrameworkObserver observer) {
      observers.add(Objects.requireNonNull(observer, "observer must not be null"));
      return this;
    }

    /**
     * Sets how long an attempt of a task whose spec sets no {@link TaskSpec#placementTimeout()}
     * may wait for an offer that fits, from when it may be launched (its submission, or the end
     * of its retry backoff). When this has passed without a launch, the task ends
     * {@link TaskState#FAILED}, not retried, with a message naming the last reason it could not
     * be placed: {@code "not placed within PT5M: needs cpus 64, the largest offer has 2"}, or
     * {@code "not placed within PT5M: no offer was received"}.
     *
     * @param placementTimeout &gt; 0, or null to wait for ever; default null
     * @return this builder
     */
    public Builder placementTimeout(Duration placementTimeout) {
      this.placementTimeout = placementTimeout;
      return this;
    }

    /**
     * Sets the time source of task timestamps and backoff deadlines.
     *
     * @param clock default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Runs the event loop and its timers on this executor instead of a thread of the framework's
     * own. It must run one task at a time (e.g. a single-threaded executor); the framework does
     * not shut it down. Tests pass a manually driven one.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Sets the random source of backoff jitter.
     *
     * @param random default {@link RandomGenerator#getDefault()}
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = random;
      return this;
    }

    /**
     * Sets how long the master keeps declined resources from this framework. Mesos' filter hides
     * only offers contained in what was declined: when a task on that agent ends, the agent's
     * larger free resources are offered at the next allocation anyway, so a batch need not shorten
     * this to get freed resources back. Pending tasks that become launchable again (a retry's
     * backoff ended) revive offers, which clears the filters.
     *
     * @param refuse default 5 s
     * @return this builder
     */
    public Builder refuse(Duration refuse) {
      this.refuse = refuse;
      return this;
    }

    /**
     * Sets the backoff of explicit reconciliation: it doubles from {@code initial} up to
     * {@code max} until every task has answered.
     *
     * @param initial default 1 s
     * @param max default 1 min
     * @return this builder
     */
    public Builder reconcileBackoff(Duration initial, Duration max) {
      this.reconcileInitial = initial;
      this.reconcileMax = max;
      return this;
    }

    /**
     * Sets the period of implicit reconciliation (asking the master about every task).
     *
     * @param interval default 10 min
     * @return this builder
     */
    public Builder implicitReconcileInterval(Duration interval) {
      this.implicitReconcileInterval = interval;
      return this;
    }

    /**
     * Validates and builds the framework; nothing connects until {@link Framework#start()}.
     *
     * @return the framework
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public Framework build() {
      FrameworkSettings.requireSettings(name, backend, user, role, packing, retryPolicy, clock);
      FrameworkSettings.checkDurations(failoverTimeout, refuse, reconcileInitial, reconcileMax,
          implicitReconcileInterval, placementTimeout);
      FrameworkSettings.Stores stores = FrameworkSettings.storeOf(stateStore, frameworkIdStore, name);
      if (leaderElection != null && stores.state() == null) {
        throw new IllegalArgumentException("leaderElection needs a stateStore that every instance"
            + " shares (e.g. ZooKeeperHa.stateStore()), but only a frameworkIdStore was set");
      }
      FrameworkInfo info = new FrameworkInfo(name, user, FrameworkSettings.roles(role, extraRoles),
          Optional.ofNullable(principal), Optional.empty(), failoverTimeout,
          Optional.ofNullable(hostname), Optional.ofNullable(webuiUrl),
          FrameworkSettings.capabilities(regionAware));
      RuntimeConfig config = new RuntimeConfig(info, backend, packing, retryPolicy, stores.id(),
          FrameworkSettings.listeners(listeners, packing), frameworkListeners, observers, clock,
          executor == null ? FrameworkSettings.eventThread(name) : executor, executor == null,
          random != null ? random : RandomGenerator.getDefault(), refuse, reconcileInitial,
          reconcileMax, implicitReconcileInterval, Optional.ofNullable(placementTimeout))
          .durable(stores.state(), leaderElection);
      return new Framework(name, config, config.listeners());
    }
  }
}
