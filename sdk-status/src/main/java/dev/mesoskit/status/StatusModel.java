package dev.mesoskit.status;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the status page shows, bounded: every live task as last seen, the {@code maxDone} tasks
 * that finished most recently (with a count of the older ones dropped), the last
 * {@code maxEvents} events with their times, the agents seen in offers, the framework's
 * connection. Written by the framework's event thread, read by Jetty's threads: every update
 * holds this object's lock only to change a few fields in O(1) (amortized), bumps
 * {@link #version()} and wakes {@link #awaitChange}. The JSON of a version is built at most once,
 * by the first reader that asks for it, from a copy taken under the lock and written outside it;
 * every reader of that version shares it.
 */
final class StatusModel {
  /** Where the framework's subscription stands. */
  enum Connection { NOT_SUBSCRIBED, SUBSCRIBED, DISCONNECTED, RECONNECTING, FAILED }

  /** One line of the event log. */
  record Event(Instant at, String kind, String text) {}

  /** An agent as its latest offer described it. */
  record AgentSeen(String agentId, String hostname, String resources, long offers,
      Instant lastOfferAt) {}

  /** One version of the model as JSON. */
  record Snapshot(long version, String json) {}

  private String frameworkName;
  private final Clock clock;
  private final int maxEvents;
  private final int maxDone;
  private final Instant startedAt;
  private final Map<TaskId, Task> tasks = new LinkedHashMap<>();
  /** The finished tasks in {@link #tasks}, the one that finished last at the end. */
  private final Set<TaskId> done = new LinkedHashSet<>();
  private final Set<TaskId> pending = new LinkedHashSet<>();
  private long doneDropped;
  private final ArrayDeque<Event> events = new ArrayDeque<>();
  private final Map<String, AgentSeen> agents = new TreeMap<>();
  private Optional<String> frameworkId = Optional.empty();
  private Optional<String> master = Optional.empty();
  private Connection connection = Connection.NOT_SUBSCRIBED;
  private Optional<String> connectionDetail = Optional.empty();
  private Instant connectionSince;
  private long offersReceived;
  private long offersUsed;
  private long offersDeclined;
  private long offersRescinded;
  private Optional<Instant> heartbeatAt = Optional.empty();
  private long version;
  private boolean closed;
  /** Guards building a snapshot, so that one is built at a time and never under the lock. */
  private final Object building = new Object();
  private volatile Snapshot cached;

  StatusModel(String frameworkName, Clock clock, int maxEvents) {
    this(frameworkName, clock, maxEvents, Integer.MAX_VALUE);
  }

  StatusModel(String frameworkName, Clock clock, int maxEvents, int maxDone) {
    this.frameworkName = frameworkName;
    this.clock = clock;
    this.maxEvents = maxEvents;
    this.maxDone = maxDone;
    this.startedAt = clock.instant();
    this.connectionSince = startedAt;
  }

  synchronized void task(Task task) {
    Task before = put(task);
    StringBuilder text = new StringBuilder(task.name());
    if (!task.name().equals(task.id().value())) {
      text.append(" (").append(task.id().value()).append(')');
    }
    text.append(' ').append(task.state());
    if (task.attempt() > 1 || before != null && before.attempt() != task.attempt()) {
      text.append(" attempt ").append(task.attempt());
    }
    task.hostname().ifPresent(h -> {
      if (task.state() != TaskState.PENDING) {
        text.append(" on ").append(h);
      }
    });
    task.message().ifPresent(m -> text.append(": ").append(m));
    event("task", text.toString());
  }

  /** The ids of the tasks last seen pending: kept as tasks change, not found by a scan. */
  synchronized List<TaskId> pendingIds() {
    return List.copyOf(pending);
  }

  /** How many finished tasks were dropped to keep the most recent {@code maxDone}. */
  synchronized long doneDropped() {
    return doneDropped;
  }

  /**
   * Takes a newer snapshot of a pending task whose message (why it is not placed) changed, which
   * listeners are not told of; an event only when it first has a reason.
   */
  synchronized void refreshPending(Task task) {
    Task before = tasks.get(task.id());
    if (before == null || before.state() != TaskState.PENDING
        || task.state() != TaskState.PENDING || before.attempt() != task.attempt()
        || before.message().equals(task.message())) {
      return;
    }
    put(task);
    if (before.message().isEmpty()) {
      event("task", task.name() + " not placed: " + task.message().orElse(""));
    } else {
      changed();
    }
  }

  synchronized void health(Task task) {
    put(task);
    String verdict = task.healthy().map(h -> h ? "healthy" : "unhealthy").orElse("health unknown");
    event("health", task.name() + " " + verdict
        + task.check().map(c -> ", check " + c).orElse(""));
  }

  synchronized void subscribed(String id, String masterAddress, boolean failover) {
    frameworkId = Optional.of(id);
    master = Optional.of(masterAddress);
    connection(Connection.SUBSCRIBED, Optional.empty());
    event("framework", (failover ? "re-subscribed as " : "subscribed as ") + id + " at "
        + masterAddress);
  }

  synchronized void disconnected(String why) {
    connection(Connection.DISCONNECTED, Optional.of(why));
    event("framework", "disconnected: " + why);
  }

  synchronized void reconnecting(int attempt, Duration nextDelay, String why) {
    connection(Connection.RECONNECTING, Optional.of("attempt " + attempt + " failed: " + why
        + ", next in " + millis(nextDelay)));
    event("framework", "subscription attempt " + attempt + " failed (" + why + "), next in "
        + millis(nextDelay));
  }

  synchronized void failed(Throwable cause) {
    String why = String.valueOf(cause.getMessage() == null ? cause.getClass().getName()
        : cause.getMessage());
    connection(Connection.FAILED, Optional.of(why));
    event("framework", "failed: " + why);
  }

  synchronized void offers(List<Offer> offers) {
    Instant now = clock.instant();
    for (Offer offer : offers) {
      AgentSeen before = agents.get(offer.agentId());
      agents.put(offer.agentId(), new AgentSeen(offer.agentId(), offer.hostname(),
          offer.resources().toString(), (before == null ? 0 : before.offers()) + 1, now));
    }
    offersReceived += offers.size();
    changed();
  }

  synchronized void offersUsed(int count) {
    offersUsed += count;
    changed();
  }

  synchronized void offersDeclined(int count) {
    offersDeclined += count;
    changed();
  }

  synchronized void offerRescinded(String offerId) {
    offersRescinded++;
    event("offer", "offer " + offerId + " rescinded");
  }

  synchronized void retrying(Task task, Duration backoff) {
    event("retry", task.name() + " attempt " + task.attempt() + " ended " + task.state()
        + ", next attempt in " + millis(backoff));
  }

  synchronized void heartbeat(Instant at) {
    heartbeatAt = Optional.of(at);
    changed();
  }

  synchronized void reconnected(int attempt) {
    event("framework", "reconnected after " + attempt + (attempt == 1 ? " attempt" : " attempts"));
  }

  synchronized long version() {
    return version;
  }

  synchronized boolean closed() {
    return closed;
  }

  /** Ends every {@link #awaitChange} wait, for good. */
  synchronized void close() {
    closed = true;
    notifyAll();
  }

  /**
   * Waits until the version differs from {@code seen}, the model is closed, or {@code timeout}
   * passed.
   *
   * @return the version now (equal to {@code seen} after a timeout)
   */
  synchronized long awaitChange(long seen, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (version == seen && !closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return version;
  }

  /** Waits until the model is closed or {@code timeout} passed. */
  synchronized void awaitClose(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!closed) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  synchronized List<Task> tasks() {
    return List.copyOf(tasks.values());
  }

  synchronized List<Event> events() {
    return List.copyOf(events);
  }

  synchronized List<AgentSeen> agents() {
    return List.copyOf(agents.values());
  }

  /** The framework's name: as given to the builder, or as the framework reported it. */
  synchronized String frameworkName() {
    return frameworkName;
  }

  synchronized void frameworkName(String name) {
    frameworkName = name;
    changed();
  }

  /**
   * The whole model as one line of JSON, safe to embed in HTML: {@code <}, {@code >} and
   * {@code &} are written as {@code \u003c}, {@code \u003e} and {@code \u0026}.
   */
  String json() {
    return snapshot().json();
  }

  /**
   * The current version and its JSON, built once per version and shared by every caller; the
   * model's lock is held only to copy the state, never while writing JSON.
   */
  Snapshot snapshot() {
    long now = version();
    Snapshot s = cached;
    if (s != null && s.version() == now) {
      return s;
    }
    synchronized (building) {
      s = cached;
      if (s != null && s.version() == version()) {
        return s;
      }
      s = write(copy());
      cached = s;
      return s;
    }
  }

  private synchronized Copy copy() {
    return new Copy(version, clock.instant(), frameworkName, frameworkId, master, connection,
        connectionDetail, connectionSince, heartbeatAt, List.copyOf(tasks.values()), doneDropped,
        offersReceived, offersUsed, offersDeclined, offersRescinded, List.copyOf(agents.values()),
        List.copyOf(events));
  }

  /** The state of one version, copied under the lock, written as JSON outside it. */
  private record Copy(long version, Instant generatedAt, String frameworkName,
      Optional<String> frameworkId, Optional<String> master, Connection connection,
      Optional<String> connectionDetail, Instant connectionSince, Optional<Instant> heartbeatAt,
      List<Task> tasks, long doneDropped, long offersReceived, long offersUsed,
      long offersDeclined, long offersRescinded, List<AgentSeen> agents, List<Event> events) {}

  private Snapshot write(Copy c) {
    Json j = new Json();
    j.begin();
    j.name("version").value(c.version());
    j.name("generatedAt").value(c.generatedAt().toString());
    j.name("framework").begin();
    j.name("name").value(c.frameworkName());
    j.name("id").value(c.frameworkId());
    j.name("master").value(c.master());
    j.name("connection").value(c.connection().name());
    j.name("detail").value(c.connectionDetail());
    j.name("since").value(c.connectionSince().toString());
    j.name("startedAt").value(startedAt.toString());
    j.name("heartbeatAt").value(c.heartbeatAt().map(Instant::toString));
    j.end();
    Map<TaskState, Integer> counts = new EnumMap<>(TaskState.class);
    for (Task t : c.tasks()) {
      counts.merge(t.state(), 1, Integer::sum);
    }
    j.name("counts").begin();
    counts.forEach((state, n) -> j.name(state.name()).value(n));
    j.end();
    j.name("doneDropped").value(c.doneDropped());
    j.name("tasks").beginArray();
    for (Task t : c.tasks()) {
      j.begin();
      j.name("id").value(t.id().value());
      j.name("name").value(t.name());
      j.name("state").value(t.state().name());
      j.name("done").value(t.done());
      j.name("attempt").value(t.attempt());
      j.name("agentId").value(t.agentId());
      j.name("hostname").value(t.hostname());
      j.name("ports").beginArray();
      t.ports().forEach(p -> j.value(p));
      j.endArray();
      j.name("healthy");
      if (t.healthy().isPresent()) {
        j.value(t.healthy().get());
      } else {
        j.nullValue();
      }
      j.name("check").value(t.check().filter(CheckResult::known).map(CheckResult::toString));
      j.name("message").value(t.message());
      j.name("reason").value(t.reason());
      j.name("submittedAt").value(t.submittedAt().toString());
      j.name("updatedAt").value(t.updatedAt().toString());
      j.end();
    }
    j.endArray();
    j.name("offers").begin();
    j.name("received").value(c.offersReceived());
    j.name("used").value(c.offersUsed());
    j.name("declined").value(c.offersDeclined());
    j.name("rescinded").value(c.offersRescinded());
    j.end();
    j.name("agents").beginArray();
    for (AgentSeen a : c.agents()) {
      j.begin();
      j.name("agentId").value(a.agentId());
      j.name("hostname").value(a.hostname());
      j.name("resources").value(a.resources());
      j.name("offers").value(a.offers());
      j.name("lastOfferAt").value(a.lastOfferAt().toString());
      j.end();
    }
    j.endArray();
    j.name("events").beginArray(); // newest first
    for (int i = c.events().size() - 1; i >= 0; i--) {
      Event e = c.events().get(i);
      j.begin();
      j.name("at").value(e.at().toString());
      j.name("kind").value(e.kind());
      j.name("text").value(e.text());
      j.end();
    }
    j.endArray();
    j.end();
    return new Snapshot(c.version(), j.toString());
  }

  /**
   * Stores the task as last seen, keeping the pending ids and the most recent {@code maxDone}
   * finished tasks; the older finished ones are dropped and counted.
   */
  private Task put(Task task) {
    TaskId id = task.id();
    Task before = tasks.put(id, task);
    if (task.state() == TaskState.PENDING) {
      pending.add(id);
    } else {
      pending.remove(id);
    }
    done.remove(id);
    if (task.done()) {
      done.add(id);
      Iterator<TaskId> oldest = done.iterator();
      while (done.size() > maxDone) {
        tasks.remove(oldest.next());
        oldest.remove();
        doneDropped++;
      }
    }
    return before;
  }

  private void connection(Connection now, Optional<String> detail) {
    if (connection != now) {
      connectionSince = clock.instant();
    }
    connection = now;
    connectionDetail = detail;
  }

  private void event(String kind, String text) {
    events.addLast(new Event(clock.instant(), kind, text));
    while (events.size() > maxEvents) {
      events.removeFirst();
    }
    changed();
  }

  private void changed() {
    version++;
    notifyAll();
  }

  private static String millis(Duration d) {
    return d.toMillis() + " ms";
  }
}
