package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.core.executor.PermanentFailure;
import java.io.InterruptedIOException;

/**
 * The heap the images of concurrent inversions may take in one executor: a task reserves what
 * its decoded image needs before decoding it and waits while others hold the rest, so several
 * large images at once queue instead of running the executor out of memory; an image larger than
 * the whole budget fails at once with a {@link PermanentFailure} saying so.
 *
 * <p>Threading: safe from any thread.
 */
final class HeapBudget {
  private final long total;
  private long free;

  /**
   * A budget of {@code bytes}.
   *
   * @param bytes what the images together may take
   */
  HeapBudget(long bytes) {
    this.total = bytes;
    this.free = bytes;
  }

  /** A share of this JVM's maximum heap, the rest left to the executor runtime and encoders. */
  static HeapBudget ofHeap(double share) {
    return new HeapBudget((long) (Runtime.getRuntime().maxMemory() * share));
  }

  /**
   * Reserves {@code bytes}, waiting while other reservations hold too much.
   *
   * @param bytes what this image needs
   * @param what the image, for the message
   * @return the reservation; close it when the image is encoded
   * @throws PermanentFailure when {@code bytes} exceeds the whole budget
   * @throws InterruptedIOException when the task is killed while waiting
   */
  Reservation reserve(long bytes, String what) throws InterruptedIOException {
    if (bytes > total) {
      throw new PermanentFailure(what + " needs about " + mb(bytes) + " MB of heap to invert,"
          + " more than this executor's " + mb(total) + " MB for images (give it a larger heap,"
          + " e.g. --executor-jvm-option=-Xmx4g)");
    }
    synchronized (this) {
      while (free < bytes) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for " + mb(bytes)
              + " MB of heap for " + what);
        }
      }
      free -= bytes;
    }
    return new Reservation(bytes);
  }

  /** What is not reserved now, in bytes. */
  synchronized long free() {
    return free;
  }

  private synchronized void release(long bytes) {
    free += bytes;
    notifyAll();
  }

  private static long mb(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  /** One image's reservation, released once. */
  final class Reservation implements AutoCloseable {
    private long bytes;

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      long held;
      synchronized (this) {
        held = bytes;
        bytes = 0;
      }
      if (held > 0) {
        release(held);
      }
    }
  }
}
