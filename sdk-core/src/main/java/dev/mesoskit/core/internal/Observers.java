package dev.mesoskit.core.internal;

import dev.mesoskit.core.FrameworkObserver;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Task;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's {@link FrameworkObserver}s as one: calls each in the order added, and logs one
 * that throws at WARN, once per observer and method, instead of letting it reach the framework.
 *
 * <p>Threading: {@link #attached} on the building thread, everything else on the event thread.
 */
final class Observers implements FrameworkObserver {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final String name;
  private final List<FrameworkObserver> observers;
  /** {@code <index>:<method>} of the observers that threw and were logged. */
  private final Set<String> warned = new HashSet<>();

  /**
   * Creates the composite.
   *
   * @param name the framework's name, for the log
   * @param observers the observers, in order
   */
  Observers(String name, List<FrameworkObserver> observers) {
    this.name = name;
    this.observers = List.copyOf(observers);
  }

  /** Whether there is any observer: callers skip work done only for them. */
  boolean any() {
    return !observers.isEmpty();
  }

  @Override
  public void attached(String frameworkName, Clock clock) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("attached", o -> o.attached(frameworkName, clock));
  }

  @Override
  public void offersReceived(List<Offer> offers) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("offersReceived", o -> o.offersReceived(offers));
  }

  @Override
  public void offersUsed(int count) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("offersUsed", o -> o.offersUsed(count));
  }

  @Override
  public void offersDeclined(int count) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("offersDeclined", o -> o.offersDeclined(count));
  }

  @Override
  public void offerRescinded(String offerId) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("offerRescinded", o -> o.offerRescinded(offerId));
  }

  @Override
  public void packingPass(Duration took, int placed, int pending) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("packingPass", o -> o.packingPass(took, placed, pending));
  }

  @Override
  public void launched(Task task) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("launched", o -> o.launched(task));
  }

  @Override
  public void retrying(Task task, Duration backoff) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("retrying", o -> o.retrying(task, backoff));
  }

  @Override
  public void attemptEnded(Task task) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("attemptEnded", o -> o.attemptEnded(task));
  }

  @Override
  public void eventLoopLag(Duration lag) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("eventLoopLag", o -> o.eventLoopLag(lag));
  }

  @Override
  public void heartbeat(Instant at) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("heartbeat", o -> o.heartbeat(at));
  }

  @Override
  public void reconnected(int attempt) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("reconnected", o -> o.reconnected(attempt));
  }

  @Override
  public void acknowledgementsOutstanding(int outstanding) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("acknowledgementsOutstanding", o -> o.acknowledgementsOutstanding(outstanding));
  }

  @Override
  public void stateWritten(Duration took, int entries) {
    if (observers.isEmpty()) {
      return; // nothing to call: no lambda allocated
    }
    each("stateWritten", o -> o.stateWritten(took, entries));
  }

  @Override
  public void leadership(boolean leading) {
    each("leadership", o -> o.leadership(leading));
  }

  private void each(String method, Consumer<FrameworkObserver> call) {
    for (int i = 0; i < observers.size(); i++) {
      FrameworkObserver o = observers.get(i);
      try {
        call.accept(o);
      } catch (RuntimeException e) {
        boolean first;
        synchronized (warned) {
          first = warned.add(i + ":" + method);
        }
        if (first) {
          log.warn("framework observer failed, ignored (logged once per method) name={}"
              + " observer={} method={}", name, o, method, e);
        }
      }
    }
  }
}
