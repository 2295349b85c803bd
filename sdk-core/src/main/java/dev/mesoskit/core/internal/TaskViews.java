package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.TaskSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the world sees of the tasks: each task's latest snapshot (in submission order), its
 * outcome future (claimed when it is submitted, so ids are unique from that moment) and whether
 * its kill was requested, for any thread to read; and the task listeners, told of each change.
 *
 * <p>Threading: every method is safe from any thread, but for {@link #publish} and
 * {@link #publishHealth}, which the event thread calls.
 */
final class TaskViews {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  /** Room left for {@code -<number>} when an id is derived from a name. */
  private static final int DERIVED_SUFFIX = 21;

  /** In submission order: a snapshot replaced later keeps its place. */
  private final Map<TaskId, Task> snapshots = Collections.synchronizedMap(new LinkedHashMap<>());
  private final Map<TaskId, CompletableFuture<Task>> outcomes = new ConcurrentHashMap<>();
  /** Tasks whose kill was requested and that have no outcome yet. */
  private final Set<TaskId> killing = ConcurrentHashMap.newKeySet();
  private final AtomicLong derivedIds = new AtomicLong();

  /** Stores a task's snapshot (in place, for a task seen before). */
  void put(TaskId id, Task snapshot) {
    snapshots.put(id, snapshot);
  }

  /** Stores a snapshot of a task not seen yet; one seen already keeps its own. */
  void putIfAbsent(TaskId id, Task snapshot) {
    snapshots.putIfAbsent(id, snapshot);
  }

  /** The latest snapshot of a task, or null. */
  Task snapshot(TaskId id) {
    return snapshots.get(id);
  }

  /** Every snapshot, in submission order. */
  List<Task> all() {
    synchronized (snapshots) {
      return new ArrayList<>(snapshots.values());
    }
  }

  /**
   * Claims an id for a submission.
   *
   * @return the spec's id, or one derived from its name that no task has
   * @throws IllegalArgumentException when the spec's id was claimed before
   */
  TaskId claim(TaskSpec spec, CompletableFuture<Task> outcome) {
    if (spec.id().isPresent()) {
      TaskId id = spec.id().get();
      if (outcomes.putIfAbsent(id, outcome) != null) {
        throw new IllegalArgumentException("task id must be unique but '" + id
            + "' was already submitted");
      }
      return id;
    }
    String base = spec.name().replaceAll("[/\\\\\\p{Cntrl}]", "_");
    if (base.length() > TaskId.MAX_LENGTH - DERIVED_SUFFIX) {
      base = base.substring(0, TaskId.MAX_LENGTH - DERIVED_SUFFIX);
    }
    while (true) {
      TaskId id = TaskId.of(base + "-" + derivedIds.incrementAndGet());
      if (outcomes.putIfAbsent(id, outcome) == null) {
        return id;
      }
    }
  }

  /** Claims one id; false when it was claimed before. */
  boolean claim(TaskId id, CompletableFuture<Task> outcome) {
    return outcomes.putIfAbsent(id, outcome) == null;
  }

  /** Releases an id claimed by a submission that failed after all. */
  void release(TaskId id) {
    outcomes.remove(id);
  }

  /** Whether the id was claimed. */
  boolean known(TaskId id) {
    return outcomes.containsKey(id);
  }

  /** The outcome future of an id, made (and the id claimed) when missing. */
  CompletableFuture<Task> outcomeFuture(TaskId id) {
    return outcomes.computeIfAbsent(id, k -> new CompletableFuture<>());
  }

  /** The outcome futures by id, for recovery to claim the stored ids. */
  Map<TaskId, CompletableFuture<Task>> outcomes() {
    return outcomes;
  }

  /** Every outcome future. */
  Collection<CompletableFuture<Task>> futures() {
    return outcomes.values();
  }

  /** Whether a kill of the task was requested and it has no outcome yet. */
  boolean killRequested(TaskId id) {
    return killing.contains(id);
  }

  /** Notes whether a task is being killed, as its record says. */
  void killing(TaskRecord r) {
    if (r.killRequested && !r.done) {
      killing.add(r.id);
    } else {
      killing.remove(r.id);
    }
  }

  /**
   * Stores a task's snapshot and hands it to every listener.
   *
   * @return the snapshot
   * @throws EventLoop.ListenerFailure when a listener throws: it fails the framework
   */
  Task publish(TaskRecord r, Instant now, List<TaskListener> listeners) {
    Task snapshot = r.snapshot(now);
    snapshots.put(r.id, snapshot);
    if (r.done) {
      killing.remove(r.id);
    }
    for (TaskListener l : listeners) {
      try {
        l.onUpdate(snapshot);
      } catch (RuntimeException e) {
        log.error("task listener failed task={} state={}", r.id, snapshot.state(), e);
        throw new EventLoop.ListenerFailure(new MesosKitException(
            "task listener " + l + " failed on task " + r.id + " (" + snapshot.state() + ")", e));
      }
    }
    return snapshot;
  }

  /**
   * Stores a task's snapshot and tells every listener that its check results changed.
   *
   * @throws EventLoop.ListenerFailure when a listener throws: it fails the framework
   */
  void publishHealth(TaskRecord r, Task snapshot, List<TaskListener> listeners) {
    snapshots.put(r.id, snapshot);
    for (TaskListener l : listeners) {
      try {
        l.onHealthChanged(snapshot);
      } catch (RuntimeException e) {
        log.error("task listener failed task={} healthy={}", r.id, snapshot.healthy(), e);
        throw new EventLoop.ListenerFailure(new MesosKitException(
            "task listener " + l + " failed on task " + r.id + " (health changed)", e));
      }
    }
  }
}
