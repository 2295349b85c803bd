package dev.mesoskit.core.internal;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkInfo;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The capabilities that follow from what the framework runs: GPU_RESOURCES, without which the
 * master offers no GPU agent, once a task (or its executor) asks for gpus. Declared at SUBSCRIBE
 * when such a task was submitted before, else added once, with UPDATE_FRAMEWORK, when the first
 * one is submitted while subscribed (or at the subscription that follows its submission).
 *
 * <p>Threading: {@link #submitted} and {@link #atSubscribe} on any thread; the rest on the event
 * thread.
 */
final class Capabilities {
  /** Mesos' capability of frameworks that may be offered GPUs. */
  static final String GPU_RESOURCES = "GPU_RESOURCES";

  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  private final CurrentInfo current;
  /** A submitted task asks for gpus. */
  private final AtomicBoolean gpusAsked = new AtomicBoolean();
  /** GPU_RESOURCES was declared, or its update tried once. */
  private final AtomicBoolean gpuDeclared = new AtomicBoolean();

  Capabilities(RuntimeConfig config, CurrentInfo current) {
    this.current = current;
    if (config.info().capabilities().contains(GPU_RESOURCES)) {
      gpuDeclared.set(true);
    }
  }

  /** Whether a task or its executor asks for gpus. */
  static boolean needsGpus(TaskSpec spec) {
    return spec.resources().gpus() > 0
        || spec.executor().map(e -> e.resources().gpus() > 0).orElse(false);
  }

  /** A task is being submitted: remember when it asks for gpus. Any thread. */
  void submitted(TaskSpec spec) {
    if (needsGpus(spec)) {
      gpusAsked.set(true);
    }
  }

  /**
   * The information to subscribe with: the current one, plus GPU_RESOURCES when a task
   * submitted so far asks for gpus.
   */
  FrameworkInfo atSubscribe(FrameworkInfo info) {
    if (gpusAsked.get() && !info.capabilities().contains(GPU_RESOURCES)) {
      gpuDeclared.set(true);
      log.info("framework declares {} name={} (a submitted task asks for gpus)", GPU_RESOURCES,
          info.name());
      return info.capabilities(with(info.capabilities(), GPU_RESOURCES));
    }
    return info;
  }

  /**
   * A task asking for gpus was submitted, or the framework subscribed: adds GPU_RESOURCES with
   * UPDATE_FRAMEWORK, once, when needed and subscribed. The update starts from the framework's
   * current information (its roles as last changed), not the configured one. Event thread.
   *
   * @param frameworkId the framework id, when subscribed; null otherwise
   */
  void update(String frameworkId) {
    if (frameworkId == null || !gpusAsked.get() || !gpuDeclared.compareAndSet(false, true)) {
      return;
    }
    FrameworkInfo info = current.get();
    try {
      info = current.update(i -> i.capabilities(with(i.capabilities(), GPU_RESOURCES)));
      log.info("framework declared {} with UPDATE_FRAMEWORK name={} (a task asks for gpus)",
          GPU_RESOURCES, info.name());
    } catch (UnsupportedOperationException e) {
      log.warn("backend cannot add the capability {} to framework {} ({}): tasks asking for gpus"
          + " may wait, as the master offers no GPU agent without it; submit them before"
          + " start() to declare it at SUBSCRIBE", GPU_RESOURCES, info.name(), e.getMessage());
    } catch (MesosKitException e) {
      log.warn("could not add the capability {} to framework {}: tasks asking for gpus may wait"
          + " cause={}", GPU_RESOURCES, info.name(), e.getMessage());
    }
  }

  private static Set<String> with(Set<String> capabilities, String capability) {
    Set<String> more = new LinkedHashSet<>(capabilities);
    more.add(capability);
    return more;
  }
}
