package dev.mesoskit.core.internal;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The work queued for the event thread, in the order it was queued: a stack that any thread
 * pushes onto, which the event thread takes whole and reverses. A push costs one compare-and-set
 * on a field the event thread touches once per take, not once per piece of work.
 *
 * <p>Threading: {@link #add} and {@link #isEmpty} from any thread; {@link #poll} from one thread
 * at a time (the event loop's drain, which the executor runs one at a time).
 */
final class EventQueue {
  /** One piece of work; {@code next} is the one queued before it until taken, then after it. */
  private static final class Node {
    final Runnable work;
    Node next;

    Node(Runnable work) {
      this.work = work;
    }
  }

  /** The work queued last, with what was queued before it behind it; null when none. */
  private final AtomicReference<Node> top = new AtomicReference<>();
  /** Taken work not yet run, first first. Drain only. */
  private Node taken;

  /** Queues work after everything queued so far. */
  void add(Runnable work) {
    Node node = new Node(work);
    Node last;
    do {
      last = top.get();
      node.next = last;
    } while (!top.compareAndSet(last, node));
  }

  /**
   * The work queued first and not yet run.
   *
   * @return the work, or null when nothing is queued
   */
  Runnable poll() {
    Node first = taken;
    if (first == null) {
      if (top.get() == null) {
        return null;
      }
      Node stack = top.getAndSet(null);
      while (stack != null) { // newest first: reversed into the order it was queued
        Node next = stack.next;
        stack.next = first;
        first = stack;
        stack = next;
      }
    }
    taken = first.next;
    return first.work;
  }

  /** Whether nothing is queued; exact only on the draining thread. */
  boolean isEmpty() {
    return taken == null && top.get() == null;
  }
}
