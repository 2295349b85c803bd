package dev.mesoskit.metrics;

import dev.mesoskit.core.FrameworkListener;
import dev.mesoskit.core.FrameworkObserver;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A framework's metrics on a Micrometer {@link MeterRegistry}: tasks by state, launches,
 * retries, failures by reason, pending tasks and the oldest one's wait, offers received, used,
 * declined and rescinded, packing-pass time, event-loop lag, reconnections, the heartbeat's age
 * and the acknowledgements outstanding. Every meter is tagged {@code framework=<name>}.
 *
 * <pre>{@code
 * FrameworkMetrics metrics = FrameworkMetrics.prometheus();
 * try (Framework framework = Framework.builder().name("render").backend(backend)
 *         .observer(metrics).listener(metrics).frameworkListener(metrics).build();
 *     MetricsServer server = metrics.serve(new InetSocketAddress("0.0.0.0", 9400))) {
 *   framework.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Register it with the framework as its
 * {@link dev.mesoskit.core.Framework.Builder#observer observer} (required: the meters are
 * created when the framework is built, tagged with its name) and
 * {@link dev.mesoskit.core.Framework.Builder#listener task listener} (for the task gauges), and
 * optionally as its {@link dev.mesoskit.core.Framework.Builder#frameworkListener framework
 * listener}: the heartbeat's age then counts from the subscription until the first heartbeat
 * (without it, it is NaN until then). One instance serves one framework; attaching it to a
 * second one fails (the framework logs that and goes on without it). A new instance attached to a
 * framework of the same name on the same registry (a restart in the same JVM, tests) takes the
 * meters over: it removes every meter tagged with that framework's name from the registry before
 * it registers its own, so the scrape reads the new instance and the old one is no longer held;
 * whatever the old instance still records afterwards is lost.
 *
 * <p>The meters, as the Prometheus registry names them:
 * <ul>
 *   <li>{@code mesoskit_tasks{state}} gauge: tasks in each {@link TaskState}, from the latest
 *       snapshots (every state has a series, 0 when empty);
 *   <li>{@code mesoskit_tasks_pending} gauge: tasks waiting for a launch (new or retried);
 *   <li>{@code mesoskit_task_pending_oldest_seconds} gauge: how long the task pending longest
 *       has waited since it became pending, 0 when none is;
 *   <li>{@code mesoskit_task_launches_total}, {@code mesoskit_task_retries_total} counters;
 *   <li>{@code mesoskit_task_failures_total{reason,state}} counter: launched attempts that ended
 *       other than {@code FINISHED} or {@code KILLED}, by Mesos reason ({@code none} when Mesos
 *       gave none) and state;
 *   <li>{@code mesoskit_offers_received_total}, {@code mesoskit_offers_used_total},
 *       {@code mesoskit_offers_declined_total}, {@code mesoskit_offers_rescinded_total} counters;
 *   <li>{@code mesoskit_packing_pass_seconds} and {@code mesoskit_event_loop_lag_seconds} timers
 *       ({@code _count}, {@code _sum}, {@code _max});
 *   <li>{@code mesoskit_reconnects_total} counter;
 *   <li>{@code mesoskit_heartbeat_age_seconds} gauge: time since the last heartbeat (or the
 *       subscription), NaN before either;
 *   <li>{@code mesoskit_acknowledgements_outstanding} gauge: status updates received and not yet
 *       acknowledged;
 *   <li>{@code mesoskit_leader} gauge: 1 while this instance leads (elected, with a leader
 *       election, and its tasks recovered from the state store), else 0;
 *   <li>{@code mesoskit_state_writes_seconds} timer: writes to the state store, each before the
 *       launches or acknowledgements it makes durable.
 * </ul>
 *
 * <p>Threading: the framework calls it on its event thread; the registry reads the gauges from
 * any thread (scrapes), which is safe. Ages are measured on the framework's clock.
 */
public final class FrameworkMetrics implements FrameworkObserver, TaskListener, FrameworkListener {
  /** The tag every meter carries. */
  public static final String FRAMEWORK_TAG = "framework";

  private final MeterRegistry registry;
  private final AtomicReference<Meters> meters = new AtomicReference<>();

  private FrameworkMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Metrics on a new Prometheus registry of Micrometer's defaults, ready to
   * {@link #serve(InetSocketAddress) serve} or {@link #scrape()}.
   *
   * @return the metrics
   */
  public static FrameworkMetrics prometheus() {
    return new FrameworkMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Metrics on the user's own registry (any Micrometer registry: Prometheus, a composite,
   * Datadog...).
   *
   * @param registry the registry the meters are added to
   * @return the metrics
   * @throws NullPointerException when {@code registry} is null
   */
  public static FrameworkMetrics on(MeterRegistry registry) {
    return new FrameworkMetrics(Objects.requireNonNull(registry, "registry must not be null"));
  }

  /**
   * The registry the meters are on.
   *
   * @return the registry
   */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * The metrics in the Prometheus text format (version 0.0.4), as {@code GET /metrics} answers.
   *
   * @return the scrape
   * @throws IllegalStateException when the registry is not a {@link PrometheusMeterRegistry}
   */
  public String scrape() {
    return prometheusRegistry("scrape").scrape();
  }

  /**
   * Serves {@code GET /metrics} in the Prometheus text format on {@code address}.
   *
   * @param address where to listen, e.g. {@code new InetSocketAddress("127.0.0.1", 0)} for a free
   *     port on loopback
   * @return the running server; close it to stop
   * @throws IllegalStateException when the registry is not a {@link PrometheusMeterRegistry}
   * @throws java.io.UncheckedIOException when the address cannot be bound
   */
  public MetricsServer serve(InetSocketAddress address) {
    return MetricsServer.start(address, prometheusRegistry("serve"));
  }

  private PrometheusMeterRegistry prometheusRegistry(String what) {
    if (registry instanceof PrometheusMeterRegistry prometheus) {
      return prometheus;
    }
    throw new IllegalStateException(what + " needs a PrometheusMeterRegistry but the registry is "
        + registry.getClass().getName() + ": serve that registry the way it is meant to be");
  }

  // ---------------------------------------------------------------- FrameworkObserver

  /**
   * Creates the meters, tagged with the framework's name.
   *
   * @throws IllegalStateException when already attached to a framework
   */
  @Override
  public void attached(String frameworkName, Clock clock) {
    Meters created = new Meters(frameworkName, clock);
    if (!meters.compareAndSet(null, created)) {
      throw new IllegalStateException("FrameworkMetrics already observes framework "
          + meters.get().name + ": use one FrameworkMetrics per framework (not " + frameworkName
          + ")");
    }
    created.register();
  }

  @Override
  public void offersReceived(List<Offer> offers) {
    with(m -> m.offersReceived.increment(offers.size()));
  }

  @Override
  public void offersUsed(int count) {
    with(m -> m.offersUsed.increment(count));
  }

  @Override
  public void offersDeclined(int count) {
    with(m -> m.offersDeclined.increment(count));
  }

  @Override
  public void offerRescinded(String offerId) {
    with(m -> m.offersRescinded.increment());
  }

  @Override
  public void packingPass(Duration took, int placed, int pending) {
    with(m -> m.packingPass.record(took));
  }

  @Override
  public void launched(Task task) {
    with(m -> m.launches.increment());
  }

  @Override
  public void retrying(Task task, Duration backoff) {
    with(m -> m.retries.increment());
  }

  @Override
  public void attemptEnded(Task task) {
    if (task.state() == TaskState.FINISHED || task.state() == TaskState.KILLED) {
      return;
    }
    with(m -> Counter.builder("mesoskit.task.failures")
        .description("Launched attempts of tasks that ended other than FINISHED or KILLED")
        .tags(m.tags)
        .tag("reason", task.reason().orElse("none"))
        .tag("state", task.state().name())
        .register(registry)
        .increment());
  }

  @Override
  public void eventLoopLag(Duration lag) {
    with(m -> m.eventLoopLag.record(lag));
  }

  @Override
  public void heartbeat(Instant at) {
    with(m -> m.lastHeartbeat.set(at));
  }

  @Override
  public void reconnected(int attempt) {
    with(m -> m.reconnects.increment());
  }

  @Override
  public void acknowledgementsOutstanding(int outstanding) {
    with(m -> m.unacknowledged.set(outstanding));
  }

  @Override
  public void stateWritten(Duration took, int entries) {
    with(m -> m.stateWrites.record(took));
  }

  @Override
  public void leadership(boolean leading) {
    with(m -> m.leader.set(leading ? 1 : 0));
  }

  // ---------------------------------------------------------------- TaskListener

  /** Moves the task between the per-state gauges, and starts or ends its pending wait. */
  @Override
  public void onUpdate(Task task) {
    with(m -> m.update(task));
  }

  // ---------------------------------------------------------------- FrameworkListener

  /** The heartbeat's age counts from the subscription until a heartbeat comes. */
  @Override
  public void subscribed(String frameworkId, String master, boolean failover) {
    with(m -> m.lastHeartbeat.set(m.clock.instant()));
  }

  private void with(java.util.function.Consumer<Meters> action) {
    Meters m = meters.get();
    if (m != null) {
      action.accept(m);
    }
  }

  @Override
  public String toString() {
    Meters m = meters.get();
    return "FrameworkMetrics[" + (m == null ? "not attached" : m.name) + "]";
  }

  /** The meters of the framework attached, and what the gauges read. */
  private final class Meters {
    final String name;
    final Clock clock;
    final Tags tags;
    final Map<TaskState, AtomicInteger> byState = new EnumMap<>(TaskState.class);
    /** The latest state of every task. Event thread writes, scrapes read. */
    final Map<TaskId, TaskState> states = new ConcurrentHashMap<>();
    /** Since when each pending task waits. */
    final Map<TaskId, Instant> pendingSince = new ConcurrentHashMap<>();
    final AtomicReference<Instant> lastHeartbeat = new AtomicReference<>();
    final AtomicInteger unacknowledged = new AtomicInteger();
    final AtomicInteger leader = new AtomicInteger();
    Counter launches;
    Counter retries;
    Counter offersReceived;
    Counter offersUsed;
    Counter offersDeclined;
    Counter offersRescinded;
    Counter reconnects;
    Timer packingPass;
    Timer eventLoopLag;
    Timer stateWrites;

    Meters(String name, Clock clock) {
      this.name = name;
      this.clock = clock;
      this.tags = Tags.of(FRAMEWORK_TAG, name);
      for (TaskState s : TaskState.values()) {
        byState.put(s, new AtomicInteger());
      }
    }

    void register() {
      takeOver();
      for (TaskState s : TaskState.values()) {
        AtomicInteger count = byState.get(s);
        Gauge.builder("mesoskit.tasks", count, AtomicInteger::get)
            .description("Tasks in each state, from their latest snapshots")
            .tags(tags).tag("state", s.name()).strongReference(true).register(registry);
      }
      Gauge.builder("mesoskit.tasks.pending", byState.get(TaskState.PENDING), AtomicInteger::get)
          .description("Tasks waiting for a launch").tags(tags).strongReference(true)
          .register(registry);
      Gauge.builder("mesoskit.task.pending.oldest", this, Meters::oldestPendingSeconds)
          .description("How long the task pending longest has waited")
          .baseUnit("seconds").tags(tags).strongReference(true).register(registry);
      Gauge.builder("mesoskit.heartbeat.age", this, Meters::heartbeatAgeSeconds)
          .description("Time since the last heartbeat of the master (or the subscription)")
          .baseUnit("seconds").tags(tags).strongReference(true).register(registry);
      Gauge.builder("mesoskit.acknowledgements.outstanding", unacknowledged, AtomicInteger::get)
          .description("Status updates received and not yet acknowledged")
          .tags(tags).strongReference(true).register(registry);
      Gauge.builder("mesoskit.leader", leader, AtomicInteger::get)
          .description("1 while this instance leads (is elected and recovered its tasks), else 0")
          .tags(tags).strongReference(true).register(registry);
      launches = counter("mesoskit.task.launches", "Attempts of tasks launched");
      retries = counter("mesoskit.task.retries", "Attempts of tasks that ended and are retried");
      offersReceived = counter("mesoskit.offers.received", "Offers received from the master");
      offersUsed = counter("mesoskit.offers.used", "Offers accepted with launches");
      offersDeclined = counter("mesoskit.offers.declined", "Offers declined");
      offersRescinded = counter("mesoskit.offers.rescinded", "Offers the master took back");
      reconnects = counter("mesoskit.reconnects", "Subscriptions again after the first");
      packingPass = Timer.builder("mesoskit.packing.pass")
          .description("Time the packing strategy took per batch of offers")
          .tags(tags).register(registry);
      eventLoopLag = Timer.builder("mesoskit.event.loop.lag")
          .description("Time events waited in the event loop's queue")
          .tags(tags).register(registry);
      stateWrites = Timer.builder("mesoskit.state.writes")
          .description("Writes to the state store (before launches and acknowledgements)")
          .tags(tags).register(registry);
    }

    /**
     * Removes the meters an earlier instance registered for a framework of this name on the
     * registry (a restart in the same JVM): Micrometer would otherwise hand back its gauges, which
     * read (and keep alive) the earlier instance's state.
     */
    private void takeOver() {
      for (Meter existing : registry.getMeters()) {
        if (name.equals(existing.getId().getTag(FRAMEWORK_TAG))) {
          registry.remove(existing);
        }
      }
    }

    private Counter counter(String meter, String description) {
      return Counter.builder(meter).description(description).tags(tags).register(registry);
    }

    void update(Task task) {
      TaskState before = states.put(task.id(), task.state());
      if (before != task.state()) {
        if (before != null) {
          byState.get(before).decrementAndGet();
        }
        byState.get(task.state()).incrementAndGet();
      }
      if (task.state() == TaskState.PENDING) {
        pendingSince.putIfAbsent(task.id(), task.updatedAt());
      } else {
        pendingSince.remove(task.id());
      }
    }

    double oldestPendingSeconds() {
      Instant now = clock.instant();
      return pendingSince.values().stream()
          .map(since -> Duration.between(since, now))
          .max(Duration::compareTo)
          .map(Meters::seconds)
          .orElse(0.0);
    }

    double heartbeatAgeSeconds() {
      Instant last = lastHeartbeat.get();
      return last == null ? Double.NaN : seconds(Duration.between(last, clock.instant()));
    }

    private static double seconds(Duration d) {
      return d.toNanos() / 1e9;
    }
  }
}
