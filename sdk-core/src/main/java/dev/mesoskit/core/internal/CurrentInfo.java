package dev.mesoskit.core.internal;

import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.SchedulerBackend;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's {@link FrameworkInfo} as it stands: the configured one, then as last sent to the
 * master (at SUBSCRIBE, or with UPDATE_FRAMEWORK: roles and capabilities changed while running).
 * Every change goes through {@link #update}, which sends it when subscribed; a change made while
 * not subscribed is sent at the next subscription, as is any difference between this and what
 * the backend subscribed with (a backend re-subscribes with the information it was given).
 *
 * <p>Threading: any thread; changes and the UPDATE_FRAMEWORK calls that carry them are serialized
 * on this object, so the master always ends with the latest information.
 */
final class CurrentInfo {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final SchedulerBackend backend;
  /** Without the framework id, which is added when sent. */
  private volatile FrameworkInfo current;
  /** What the backend was given at SUBSCRIBE, without the id; null before. */
  private FrameworkInfo subscribedWith;
  /** The framework id while subscribed; null otherwise. */
  private String subscribedId;

  CurrentInfo(RuntimeConfig config) {
    this.backend = config.backend();
    this.current = config.info();
  }

  /** The information as it stands: what was last sent, or is sent at the next subscription. */
  FrameworkInfo get() {
    return current;
  }

  /** The backend is about to SUBSCRIBE with {@code info} (without the framework id). */
  synchronized void subscribing(FrameworkInfo info) {
    current = info;
    subscribedWith = info;
  }

  /**
   * The framework subscribed: sends what changed since the backend was given its information.
   * Event thread.
   */
  synchronized void subscribed(String frameworkId) {
    subscribedId = frameworkId;
    if (subscribedWith == null || current.equals(subscribedWith)) {
      return;
    }
    FrameworkInfo info = current.withId(frameworkId);
    try {
      backend.updateFramework(info);
      log.info("framework updated at subscription name={} roles={} capabilities={}",
          info.name(), info.roles(), info.capabilities());
    } catch (UnsupportedOperationException | dev.mesoskit.core.MesosKitException e) {
      log.warn("could not update framework {} at subscription roles={} capabilities={} cause={}",
          info.name(), info.roles(), info.capabilities(), e.getMessage());
    }
  }

  /** The framework lost its subscription: changes wait for the next one. Event thread. */
  synchronized void disconnected() {
    subscribedId = null;
  }

  /**
   * Changes the information: sends it with UPDATE_FRAMEWORK when subscribed (it stands only when
   * the backend took it), else keeps it for the next subscription (or for SUBSCRIBE itself).
   *
   * @param change makes the new information from the current one
   * @return the new information
   * @throws UnsupportedOperationException when the backend cannot update a framework
   * @throws dev.mesoskit.core.MesosKitException when the backend failed to send the update
   */
  synchronized FrameworkInfo update(UnaryOperator<FrameworkInfo> change) {
    FrameworkInfo next = change.apply(current);
    if (subscribedId != null) {
      backend.updateFramework(next.withId(subscribedId));
    }
    current = next;
    return next;
  }

  /** Whether the framework is subscribed now, as far as this object was told. */
  synchronized boolean subscribed() {
    return subscribedId != null;
  }
}
