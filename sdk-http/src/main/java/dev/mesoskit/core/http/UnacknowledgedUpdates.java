package dev.mesoskit.core.http;

import dev.mesoskit.core.MesosKitException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status updates of an {@link HttpExecutorBackend} that the agent has not acknowledged, and
 * the tasks none of whose updates it has: carried by every SUBSCRIBE, sent as UPDATE on the
 * sender thread, sent again every retry interval while subscribed, dropped when the agent refuses
 * one with a client error, failed when the backend closes first.
 *
 * <p>Threading: guarded by the backend's monitor, which also guards its current stream, so that
 * updates are queued on the sender thread in the order they were made; logs as
 * {@link HttpExecutorBackend}.
 */
final class UnacknowledgedUpdates {
  private static final Logger log = LoggerFactory.getLogger(HttpExecutorBackend.class);

  /** An update sent but not acknowledged. */
  static final class Pending {
    /** The update's {@code TaskStatus}, encoded by {@link WireExecutorCalls#status}. */
    final byte[] status;
    /** The update's uuid, the key of its acknowledgement. */
    final ByteBuffer uuid;
    final String taskId;
    /** The update's state's Mesos name, for log lines. */
    final String state;
    final CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    // Guarded by the backend.
    long sentNanos;

    Pending(byte[] status, byte[] uuid, String taskId, String state, long sentNanos) {
      this.status = status;
      this.uuid = ByteBuffer.wrap(uuid.clone());
      this.taskId = taskId;
      this.state = state;
      this.sentNanos = sentNanos;
    }
  }

  /** The backend: the lock of all this and of its current stream. */
  private final Object lock;
  private final AgentCalls calls;
  /** The backend's: set once it closes. */
  private final AtomicBoolean closed;
  /** Whether the backend's current stream is subscribed; asked holding the lock. */
  private final BooleanSupplier subscribed;
  private final URI agent;
  private final Duration updateRetryInterval;

  // Guarded by lock.
  /** Each task's {@code TaskInfo} as it came, by task id. */
  private final Map<String, byte[]> unacknowledgedTasks = new LinkedHashMap<>();
  private final Map<ByteBuffer, Pending> unacknowledgedUpdates = new LinkedHashMap<>();

  UnacknowledgedUpdates(Object lock, AgentCalls calls, AtomicBoolean closed,
      BooleanSupplier subscribed, URI agent, Duration updateRetryInterval) {
    this.lock = lock;
    this.calls = calls;
    this.closed = closed;
    this.subscribed = subscribed;
    this.agent = agent;
    this.updateRetryInterval = updateRetryInterval;
  }

  /**
   * Adds every unacknowledged task's {@code TaskInfo} to {@code tasks} and update's
   * {@code TaskStatus} to {@code updates}, for a SUBSCRIBE, and the updates' uuids to
   * {@code carried}; the backend holds the lock around this and its new stream.
   */
  void carry(List<byte[]> tasks, List<byte[]> updates, Set<ByteBuffer> carried) {
    synchronized (lock) {
      tasks.addAll(unacknowledgedTasks.values());
      for (Map.Entry<ByteBuffer, Pending> e : unacknowledgedUpdates.entrySet()) {
        updates.add(e.getValue().status);
        carried.add(e.getKey());
      }
    }
  }

  /**
   * On SUBSCRIBED: the updates the SUBSCRIBE carried count as sent now, the others are queued;
   * the backend holds the lock around this and marking its stream subscribed.
   */
  void subscribed(Set<ByteBuffer> carried) {
    synchronized (lock) {
      long now = System.nanoTime();
      for (Map.Entry<ByteBuffer, Pending> e : unacknowledgedUpdates.entrySet()) {
        if (carried.contains(e.getKey())) {
          e.getValue().sentNanos = now;
        } else {
          enqueue(e.getValue());
        }
      }
    }
  }

  /** Keeps a launched task's {@code TaskInfo} until one of its updates is acknowledged. */
  void launched(String taskId, byte[] taskInfo) {
    synchronized (lock) {
      unacknowledgedTasks.put(taskId, taskInfo);
    }
  }

  /**
   * Keeps {@code p} until the agent acknowledges it, and queues it when the stream is subscribed;
   * the backend holds the lock around this and its check that it is not closed.
   */
  void add(Pending p) {
    synchronized (lock) {
      unacknowledgedUpdates.put(p.uuid, p);
      // Queued under the lock: the sender sends in the order updates were made.
      if (subscribed.getAsBoolean()) {
        enqueue(p);
      }
    }
  }

  /** The agent acknowledged the update {@code uuid} of {@code taskId}. */
  void acknowledged(String taskId, byte[] uuid) {
    Pending p;
    synchronized (lock) {
      p = unacknowledgedUpdates.remove(ByteBuffer.wrap(uuid));
      unacknowledgedTasks.remove(taskId);
    }
    if (p == null) {
      log.debug("acknowledgement of an unknown update ignored task={}", taskId);
      return;
    }
    log.debug("update acknowledged task={} state={}", taskId, p.state);
    p.acknowledged.complete(null);
  }

  /** Sends again the updates the agent has not acknowledged for a retry interval. */
  void resendOverdue() {
    synchronized (lock) {
      if (!subscribed.getAsBoolean()) {
        return;
      }
      long now = System.nanoTime();
      for (Pending p : unacknowledgedUpdates.values()) {
        if (now - p.sentNanos >= updateRetryInterval.toNanos()) {
          p.sentNanos = now;
          log.info("resending unacknowledged update task={} state={}", p.taskId, p.state);
          enqueue(p);
        }
      }
    }
  }

  /** The updates not acknowledged yet. */
  List<Pending> pending() {
    synchronized (lock) {
      return List.copyOf(unacknowledgedUpdates.values());
    }
  }

  /** Fails {@code unacknowledged}: the backend closed before the agent acknowledged them. */
  static void closedBefore(List<Pending> unacknowledged) {
    for (Pending p : unacknowledged) {
      p.acknowledged.completeExceptionally(new MesosKitException("executor backend closed before"
          + " the agent acknowledged the update: task=" + p.taskId + " state=" + p.state));
    }
  }

  /** Queues one UPDATE on the sender thread; called holding the lock, so queued in order. */
  private void enqueue(Pending p) {
    try {
      calls.queue(() -> sendUpdate(p));
    } catch (RejectedExecutionException e) {
      log.debug("update not sent, backend closed task={}", p.taskId);
    }
  }

  /** Sends one UPDATE and waits for its answer; runs on the sender thread. */
  private void sendUpdate(Pending p) {
    if (p.acknowledged.isDone() || closed.get()) {
      return;
    }
    synchronized (lock) {
      p.sentNanos = System.nanoTime();
    }
    String state = p.state;
    byte[] call = calls.updateCall(p.status);
    try {
      BlockingPost.Answer r = calls.send("UPDATE", call);
      int status = r.status();
      if (status == 202) {
        return;
      }
      String detail = "agent answered UPDATE with HTTP " + status + ": agent=" + agent + " task="
          + p.taskId + " state=" + state + " body=" + AgentCalls.abbreviate(r.body());
      if (status >= 400 && status < 500 && status != 408 && status != 429) {
        synchronized (lock) {
          unacknowledgedUpdates.remove(p.uuid);
        }
        log.error("update refused by the agent, dropped agent={} task={} state={} status={}"
            + " body={}", agent, p.taskId, state, status, AgentCalls.abbreviate(r.body()));
        p.acknowledged.completeExceptionally(new MesosKitException(detail));
      } else {
        log.warn("update not accepted, retried later agent={} task={} state={} status={}", agent,
            p.taskId, state, status);
      }
    } catch (MesosKitException e) {
      log.warn("update not sent, retried later agent={} task={} state={} cause={}", agent,
          p.taskId, state, e.getMessage());
    }
  }
}
