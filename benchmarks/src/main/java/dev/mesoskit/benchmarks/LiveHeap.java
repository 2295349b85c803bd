package dev.mesoskit.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The heap in use right after each garbage collection of this JVM, from the collectors'
 * notifications: the most seen is what the program retained at its fullest, where the heap in use
 * at a random moment also counts garbage that no collection has yet needed to reclaim.
 */
final class LiveHeap implements AutoCloseable, NotificationListener {
  private final AtomicLong peak = new AtomicLong();
  private final AtomicInteger collections = new AtomicInteger();
  private final List<NotificationEmitter> emitters = new ArrayList<>();

  private LiveHeap() {}

  /**
   * Starts listening to every collector of this JVM.
   *
   * @return the watcher; close it to stop listening
   */
  static LiveHeap watch() {
    LiveHeap heap = new LiveHeap();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(heap, null, null);
        heap.emitters.add(emitter);
      }
    }
    return heap;
  }

  @Override
  public void handleNotification(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
        .equals(notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long used = 0;
    for (MemoryUsage pool : info.getGcInfo().getMemoryUsageAfterGc().values()) {
      used += pool.getUsed();
    }
    // Non-heap pools (metaspace, code cache) are in the map too; subtract what they hold.
    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.NON_HEAP) {
        MemoryUsage after = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
        if (after != null) {
          used -= after.getUsed();
        }
      }
    }
    collections.incrementAndGet();
    peak.accumulateAndGet(used, Math::max);
  }

  /** @return the most heap in use after any collection so far, in bytes */
  long peakBytes() {
    return peak.get();
  }

  /** @return the collections seen so far */
  int collections() {
    return collections.get();
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(this);
      } catch (ListenerNotFoundException e) {
        // already gone
      }
    }
  }
}
