package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the framework writes to its {@link StateStore}, and when: the framework id when the
 * master gives it; each task's spec when it is submitted; its attempt, agent and outcome when
 * they change, and always before the task is launched and before an update that changed them is
 * acknowledged, so that a scheduler that dies at any point leaves a store from which the next
 * one neither loses a task nor launches one twice.
 *
 * <p>Entries: {@code framework-id} (the id, UTF-8); {@code spec:<task id>} (a {@link StoredSpec},
 * written once); {@code pod:<key>} (a {@link StoredPod}, written once, whose members have no
 * spec entry of their own); {@code state:<task id>} (a {@link StoredState}, rewritten as it
 * changes). Values are {@link RecordCodec} bytes.
 *
 * <p>Without a state store (a framework built with a {@code FrameworkIdStore} only) the journal
 * keeps the id there and nothing else, as before: a restarted scheduler then knows its tasks only
 * when the application submits them again.
 *
 * <p>Threading: event thread only, but for {@link #open}, {@link #load} (before the loop runs
 * anything of the store), {@link #fence} and {@link #close} (any thread).
 */
final class StateJournal {
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  static final String FRAMEWORK_ID = "framework-id";
  static final String SPEC = "spec:";
  static final String POD = "pod:";
  static final String STATE = "state:";

  /** A task's spec as submitted, with what recovery needs besides it. */
  record StoredSpec(TaskId id, TaskSpec spec, RetryPolicy policy, Instant submittedAt,
      long order) {}

  /** A pod as submitted and as claimed: its key and its tasks with their ids. */
  record StoredPod(String key, PodSpec submitted, PodSpec claimed, RetryPolicy policy,
      Instant submittedAt, long order) {}

  /**
   * Where a task stands: its attempt, whether that attempt may have been handed to Mesos, where,
   * and its outcome once it has one.
   */
  record StoredState(int attempt, boolean launched, Optional<String> agentId,
      Optional<String> hostname, List<Long> ports, boolean done, TaskState state,
      Optional<String> message, Optional<String> reason, Optional<byte[]> result,
      boolean killRequested, Optional<java.time.Duration> killGracePeriod) {

    /**
     * A task's entry. Only what recovery needs: a live attempt's Mesos state, message and the
     * like are asked of the master again, so their changes write nothing.
     */
    static StoredState of(TaskRecord r, boolean launching) {
      if (r.done) {
        return new StoredState(r.attempt, false, Optional.ofNullable(r.agentId),
            Optional.ofNullable(r.hostname), r.ports, true, r.state,
            Optional.ofNullable(r.message), Optional.ofNullable(r.reason),
            Optional.ofNullable(r.result), false, Optional.empty());
      }
      boolean launched = launching || r.held || r.state != TaskState.PENDING;
      return new StoredState(r.attempt, launched,
          Optional.ofNullable(launched ? r.agentId : null),
          Optional.ofNullable(launched ? r.hostname : null), launched ? r.ports : List.of(), false,
          launched ? TaskState.STAGING : TaskState.PENDING, Optional.empty(), Optional.empty(),
          Optional.empty(), launched && r.killRequested,
          Optional.ofNullable(launched && r.killRequested ? r.killGracePeriod : null));
    }

    /** Equal as stored: the result's bytes compared by identity, as they are never changed. */
    boolean sameAs(StoredState o) {
      return o != null && attempt == o.attempt && launched == o.launched && done == o.done
          && state == o.state && agentId.equals(o.agentId) && hostname.equals(o.hostname)
          && ports.equals(o.ports) && message.equals(o.message) && reason.equals(o.reason)
          && result.orElse(null) == o.result.orElse(null) && killRequested == o.killRequested
          && killGracePeriod.equals(o.killGracePeriod);
    }
  }

  /**
   * What a store held when this instance took it.
   *
   * @param frameworkId the stored id
   * @param legacy whether the id came from the framework id file of a run that kept nothing else
   *     (its tasks are then held until reconciled, as before)
   */
  record Recovered(Optional<String> frameworkId, boolean legacy, List<StoredPod> pods,
      List<StoredSpec> tasks, Map<TaskId, StoredState> states) {}

  private final FrameworkIdStore idStore;
  private final StateStore store;
  private final Runnable scheduleFlush;
  private final Observers observers;
  private final java.util.function.LongSupplier nanoTime;
  private final Map<String, byte[]> puts = new LinkedHashMap<>();
  private final Set<String> deletes = new java.util.LinkedHashSet<>();
  private final Map<TaskId, StoredState> dirty = new LinkedHashMap<>();
  private final Map<TaskId, StoredState> written = new HashMap<>();
  private boolean flushQueued;
  private long order;
  /** Whether the store's entries are known here (set on the event thread after the load). */
  private boolean ready;
  /** Ended tasks whose entries were removed: nothing more is written for them. */
  private final Set<TaskId> forgotten = new java.util.HashSet<>();
  /** The tasks of pods: their entries stay, as a pod is recovered whole. */
  private final Set<TaskId> podMembers = new java.util.HashSet<>();
  private volatile String fenced;
  private volatile boolean opened;

  /**
   * A journal over {@code store}, or, when it is null, over {@code idStore} alone. With a store,
   * {@code idStore} is where an earlier run that kept its id alone left it: read once, when the
   * store holds no id, and cleared once the store has it.
   *
   * @param scheduleFlush queues a {@link #flush} on the event loop
   * @param observers told how long each write took
   * @param nanoTime what writes are timed with
   */
  StateJournal(FrameworkIdStore idStore, StateStore store, Runnable scheduleFlush,
      Observers observers, java.util.function.LongSupplier nanoTime) {
    this.idStore = idStore;
    this.store = store;
    this.scheduleFlush = scheduleFlush;
    this.observers = observers;
    this.nanoTime = nanoTime;
    this.ready = store == null;
  }

  /** Whether tasks are kept: a restarted scheduler recovers them without a resubmission. */
  boolean keepsTasks() {
    return store != null;
  }

  /**
   * Takes the store for this instance.
   *
   * @throws MesosKitException when another instance holds it
   */
  void open() {
    if (store != null) {
      store.open();
      opened = true;
    }
  }

  /** Reads what an earlier run left. */
  Recovered load() {
    if (store == null) {
      return new Recovered(idStore.load(), false, List.of(), List.of(), Map.of());
    }
    Map<String, byte[]> entries = store.load();
    Optional<String> id = Optional.ofNullable(entries.get(FRAMEWORK_ID))
        .map(b -> new String(b, StandardCharsets.UTF_8));
    boolean legacy = false;
    if (id.isEmpty()) {
      id = idStore.load(); // an earlier run kept its id alone: fail over to it all the same
      legacy = id.isPresent();
      if (legacy) {
        log.info("framework id taken over from the id store of an earlier run store={}"
            + " framework_id={}", idStore, id.get());
      }
    }
    List<StoredPod> pods = new ArrayList<>();
    List<StoredSpec> tasks = new ArrayList<>();
    Map<TaskId, StoredState> states = new HashMap<>();
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      String key = e.getKey();
      try {
        if (key.startsWith(SPEC)) {
          tasks.add(RecordCodec.decode(e.getValue(), StoredSpec.class));
        } else if (key.startsWith(POD)) {
          pods.add(RecordCodec.decode(e.getValue(), StoredPod.class));
        } else if (key.startsWith(STATE)) {
          StoredState s = RecordCodec.decode(e.getValue(), StoredState.class);
          TaskId task = TaskId.of(key.substring(STATE.length()));
          states.put(task, s);
        }
      } catch (IllegalArgumentException ex) {
        throw new MesosKitException("state store " + store + " holds an entry this version cannot"
            + " read: key=" + key + " problem=" + ex.getMessage(), ex);
      }
    }
    tasks.sort(Comparator.comparingLong(StoredSpec::order));
    pods.sort(Comparator.comparingLong(StoredPod::order));
    return new Recovered(id, legacy, List.copyOf(pods), List.copyOf(tasks), Map.copyOf(states));
  }

  /**
   * The store's entries are installed: what they hold counts as written, and the changes noted
   * meanwhile (tasks submitted before start) are written now. Event thread.
   */
  void loaded(Recovered stored) {
    written.putAll(stored.states());
    stored.pods().forEach(p -> podMembers.addAll(ids(p.claimed())));
    long last = Math.max(stored.tasks().isEmpty() ? 0
        : stored.tasks().get(stored.tasks().size() - 1).order(),
        stored.pods().isEmpty() ? 0 : stored.pods().get(stored.pods().size() - 1).order());
    order = Math.max(order, last);
    ready = true;
    if (dirty() && !flushQueued) {
      flushQueued = true;
      scheduleFlush.run();
    }
  }

  /** Stores the framework id now. */
  void saveFrameworkId(String id) {
    if (store == null) {
      idStore.save(id);
      return;
    }
    checkFenced();
    store.apply(Map.of(FRAMEWORK_ID, id.getBytes(StandardCharsets.UTF_8)), Set.of());
    idStore.clear(); // an id kept alone by an earlier run is the store's now
  }

  /** A task was submitted: its spec is written with the next flush, before any launch. */
  void submitted(TaskRecord r) {
    if (store == null) {
      return;
    }
    puts.put(SPEC + r.id.value(),
        RecordCodec.encode(new StoredSpec(r.id, r.spec, r.policy, r.submittedAt, ++order)));
    changed(r);
  }

  /** A pod was submitted: it is written with the next flush, before any launch. */
  void submitted(PodRecord pod, PodSpec submitted) {
    if (store == null) {
      return;
    }
    PodSpec claimed = new PodSpec(pod.spec.name(), pod.members.stream()
        .map(m -> m.spec.toBuilder().id(m.id.value()).build()).toList(),
        pod.spec.sharedVolumes(), pod.spec.executorResources());
    pod.members.forEach(m -> podMembers.add(m.id));
    puts.put(POD + pod.key, RecordCodec.encode(new StoredPod(pod.key, submitted, claimed,
        pod.first().policy, pod.first().submittedAt, ++order)));
    pod.members.forEach(this::changed);
  }

  /** A task changed as listeners see it: written with the next flush when its entry changed. */
  void changed(TaskRecord r) {
    if (store == null) {
      return;
    }
    if (r.done && r.spec.id().isEmpty() && !podMembers.contains(r.id)) {
      forget(r.id); // nobody can submit it again: its entries are of no use any more
      return;
    }
    note(r, StoredState.of(r, false));
  }

  /** Removes a task's entries with the next flush. */
  private void forget(TaskId id) {
    if (!forgotten.add(id)) {
      return; // its entries are gone already, or go with the next flush
    }
    dirty.remove(id);
    written.remove(id);
    puts.remove(SPEC + id.value());
    deletes.add(SPEC + id.value());
    deletes.add(STATE + id.value());
    if (!flushQueued) {
      flushQueued = true;
      scheduleFlush.run();
    }
  }

  /** These tasks are about to be launched: written now, before the LAUNCH goes out. */
  void launching(List<TaskRecord> records) {
    if (store == null || records.isEmpty()) {
      return;
    }
    for (TaskRecord r : records) {
      note(r, StoredState.of(r, true));
    }
    flush();
  }

  private void note(TaskRecord r, StoredState s) {
    if (s.sameAs(written.get(r.id)) && !dirty.containsKey(r.id)) {
      return;
    }
    dirty.put(r.id, s);
    if (!flushQueued) {
      flushQueued = true;
      scheduleFlush.run();
    }
  }

  /** Whether the store's entries are known here, so that changes can be written. */
  boolean ready() {
    return ready;
  }

  /** Whether changes wait for a flush. */
  boolean dirty() {
    return !puts.isEmpty() || !dirty.isEmpty() || !deletes.isEmpty();
  }

  /**
   * Writes every change noted so far, as one change of the store.
   *
   * @throws MesosKitException when the store refuses or this instance lost its leadership
   */
  void flush() {
    flushQueued = false;
    if (store == null || !ready || !dirty()) {
      return; // before the load, changes wait for it (see loaded)
    }
    checkFenced();
    Map<String, byte[]> change = new LinkedHashMap<>(puts);
    dirty.forEach((id, s) -> change.put(STATE + id.value(), RecordCodec.encode(s)));
    long start = nanoTime.getAsLong();
    Set<String> gone = new java.util.LinkedHashSet<>(deletes);
    gone.removeAll(change.keySet());
    store.apply(change, gone);
    observers.stateWritten(java.time.Duration.ofNanos(Math.max(0L, nanoTime.getAsLong() - start)),
        change.size() + gone.size());
    deletes.clear();
    puts.clear();
    written.putAll(dirty);
    dirty.clear();
  }

  /** Flushes what waits, logging instead of throwing: the framework closes. */
  void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      log.warn("state not written as the framework closed store={} cause={}", store,
          e.getMessage());
    }
  }

  /** Forgets everything: the framework was torn down. */
  void clear() {
    puts.clear();
    dirty.clear();
    deletes.clear();
    written.clear();
    if (store != null) {
      checkFenced();
      store.clear();
    }
    idStore.clear(); // with a store: an id an earlier run kept alone, if it was never taken over
  }

  /**
   * This instance lost its leadership: no write may reach the store from now on. Any thread.
   *
   * @param reason why
   */
  void fence(String reason) {
    fenced = reason;
  }

  private void checkFenced() {
    String why = fenced;
    if (why != null) {
      throw new MesosKitException("state not written: this scheduler instance no longer leads ("
          + why + ")");
    }
  }

  /** Lets the store go. Any thread. */
  void close() {
    if (store != null && opened) {
      opened = false;
      try {
        store.close();
      } catch (RuntimeException e) {
        log.warn("state store did not close cleanly store={} cause={}", store, e.getMessage());
      }
    }
  }

  /** The ids of a recovered pod's tasks, in order. */
  static List<TaskId> ids(PodSpec claimed) {
    List<TaskId> ids = new ArrayList<>();
    for (TaskSpec t : claimed.tasks()) {
      ids.add(t.id().orElseThrow());
    }
    return ids;
  }
}
