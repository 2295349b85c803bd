package dev.mesoskit.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * readiness checks, if it has any.
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
 * a time, and must not block. Each attempt's {@link Builder#onRunning} and
 * {@link Builder#onRelaunch} run once, however often Mesos repeats an update.
 *
 * <p>Lifecycle: {@code build() -> start(framework) -> [scale(n) ...] -> stop(timeout)}; a second
 * {@code start} throws. Threading: {@link #start}, {@link #scale}, {@link #stop},
 * {@link #instances()} and {@link #ended()} are safe from any thread, including the callbacks.
 */
public final class Service implements TaskListener {
  private static final Logger log = LoggerFactory.getLogger(Service.class);
  private static final Duration POLL = Duration.ofMillis(20);

  /** The default policy: relaunch without limit, 1 s doubling up to 30 s. */
  public static final RetryPolicy RELAUNCH_FOREVER = RetryPolicy.builder().unlimitedAttempts()
      .initialBackoff(Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30)).build();

  private final TaskSpec template;
  private final RetryPolicy retryPolicy;
  private final Consumer<Task> onRunning;
  private final Consumer<Task> onRelaunch;
  private final Consumer<Task> onEnd;
  /** Guards {@link #instances}, {@link #lastNumber} and the start/scale/stop transitions. */
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

  private Service(Builder b) {
    this.template = b.task;
    this.retryPolicy = b.retryPolicy;
    this.onRunning = b.onRunning;
    this.onRelaunch = b.onRelaunch;
    this.onEnd = b.onEnd;
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
   * Submits every instance to a started or not yet started framework. The framework must have
   * this service among its listeners.
   *
   * @param framework the framework the instances run in
   * @return this service
   * @throws IllegalStateException when this service was started before, or is not a listener of
   *     the framework
   * @throws IllegalArgumentException when the framework already has a task with an instance's id
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
      for (TaskId id : instances) {
        framework.submit(instanceSpec(id));
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

  private TaskSpec instanceSpec(TaskId id) {
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
   * @throws IllegalStateException before {@link #start}, after {@link #stop}, or when the
   *     framework no longer accepts tasks (finished or closed)
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
            fw.submit(instanceSpec(id));
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
          TaskId id = removed.get(i);
          runningShown.remove(id);
          relaunchShown.remove(id);
          if (!fw.isTerminated()) {
            fw.kill(id);
          }
        }
      }
    }
  }

  /**
   * The ids of the current instances: the task's name followed by {@code -1} to {@code -N}, until
   * {@link #scale} changed them.
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
   * {@link #scale} before are not among them. {@link #scale} throws from now on.
   *
   * @param timeout how long to wait for the outcomes
   * @return the instances as they are when every one ended or the time ran out
   * @throws IllegalStateException before {@link #start}
   */
  public Stopped stop(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout must not be null");
    Framework fw;
    List<TaskId> stopped;
    synchronized (lock) {
      fw = framework;
      if (fw == null) {
        throw new IllegalStateException("Service " + template.name() + " was not started");
      }
      stopping.set(true);
      stopped = instances;
    }
    List<CompletableFuture<Task>> outcomes = new ArrayList<>();
    for (TaskId id : stopped) {
      if (!fw.isTerminated()) {
        fw.kill(id);
      }
      outcomes.add(fw.outcome(id));
    }
    // The deadline is on the framework's clock, so a test with a manual clock decides when it
    // passes; a real clock is read at least every POLL.
    java.time.Clock clock = fw.clock();
    java.time.Instant deadline = clock.instant().plus(timeout);
    CompletableFuture<Void> all = CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new));
    try {
      while (!all.isDone()) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
          break;
        }
        try {
          all.get(Math.min(left.toNanos(), POLL.toNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // look at the clock again
        }
      }
    } catch (ExecutionException e) {
      // the snapshots below say which instances have no outcome
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Stopped(stopped.stream().map(id -> fw.task(id).orElseThrow()).toList());
  }

  /**
   * Runs the callbacks; called by the framework on its event thread.
   *
   * @param task the task as it is now
   */
  @Override
  public void onUpdate(Task task) {
    if (!instances.contains(task.id())) {
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
    if (instances.contains(task.id()) && task.state() == TaskState.RUNNING) {
      showIfUp(task);
    }
  }

  /**
   * Whether a running instance is up: healthy when the task has a health check, its readiness
   * check passed when it has one.
   *
   * @param task a snapshot of an instance
   * @return true when it counts as up
   */
  public boolean isUp(Task task) {
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
