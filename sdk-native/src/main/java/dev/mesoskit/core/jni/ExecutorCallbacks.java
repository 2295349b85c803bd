package dev.mesoskit.core.jni;

import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.ExecutorRegistration;
import java.util.Optional;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Executor} libmesos calls: turns each callback into one {@link ExecutorEvents} event
 * with MesosKit values.
 *
 * <p>libmesos reports the loss of the agent as {@code shutdown} (after its own recovery timeout
 * when the framework checkpoints), so that is what the runtime sees too.
 *
 * <p>Threading: libmesos calls it on its own thread, one callback at a time, in the order the
 * agent sent the messages. Nothing may escape a callback: libmesos aborts the driver when Java
 * code throws, so failures are logged here.
 */
final class ExecutorCallbacks implements Executor {
  private static final Logger log = LoggerFactory.getLogger(ExecutorCallbacks.class);

  private final ExecutorEvents events;
  private volatile String frameworkId = "";
  private volatile String executorId = "";
  private volatile java.util.Set<String> frameworkCapabilities = java.util.Set.of();

  ExecutorCallbacks(ExecutorEvents events) {
    this.events = events;
  }

  @Override
  public void registered(ExecutorDriver driver, Protos.ExecutorInfo executorInfo,
      Protos.FrameworkInfo frameworkInfo, Protos.SlaveInfo agentInfo) {
    deliver("registered", () -> {
      frameworkId = frameworkInfo.hasId() ? frameworkInfo.getId().getValue()
          : executorInfo.getFrameworkId().getValue();
      executorId = executorInfo.getExecutorId().getValue();
      frameworkCapabilities = V0Conversions.capabilities(frameworkInfo);
      events.subscribed(new ExecutorRegistration(frameworkId, executorId,
          agentInfo.getId().getValue(), agentInfo.getHostname(), frameworkCapabilities));
    });
  }

  @Override
  public void reregistered(ExecutorDriver driver, Protos.SlaveInfo agentInfo) {
    deliver("reregistered", () -> events.subscribed(new ExecutorRegistration(frameworkId,
        executorId, agentInfo.getId().getValue(), agentInfo.getHostname(),
        frameworkCapabilities)));
  }

  @Override
  public void disconnected(ExecutorDriver driver) {
    deliver("disconnected", () -> events.disconnected("the libmesos executor driver lost the"
        + " agent; it reconnects by itself when the framework checkpoints"));
  }

  @Override
  public void launchTask(ExecutorDriver driver, Protos.TaskInfo task) {
    deliver("launchTask",
        () -> events.launch(V0Conversions.launchedTask(task, frameworkId, executorId)));
  }

  @Override
  public void killTask(ExecutorDriver driver, Protos.TaskID taskId) {
    deliver("killTask", () -> events.kill(taskId.getValue(), Optional.empty()));
  }

  @Override
  public void frameworkMessage(ExecutorDriver driver, byte[] data) {
    deliver("frameworkMessage", () -> events.message(data.clone()));
  }

  @Override
  public void shutdown(ExecutorDriver driver) {
    deliver("shutdown", events::shutdown);
  }

  @Override
  public void error(ExecutorDriver driver, String message) {
    deliver("error", () -> events.error(message));
  }

  private static void deliver(String callback, Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.error("native executor driver callback failed; event dropped callback={}", callback, e);
    }
  }
}
