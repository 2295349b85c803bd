package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import java.util.OptionalInt;
import org.apache.mesos.v1.Protos;

/**
 * What an agent tells its master. In real Mesos this travels over libprocess; in a
 * {@link LocalCluster} it is a method call, which the master may drop or delay for fault tests.
 *
 * <p>Threading: agents call these from their own threads; the master serializes them.
 */
interface AgentListener {
  /**
   * A status update for the scheduler, carrying a uuid. The agent sends the updates of one task
   * in order, one at a time, and resends the oldest unacknowledged one until the scheduler's
   * acknowledgement reaches it through {@link LocalAgent#acknowledge}.
   *
   * @param agent the agent
   * @param frameworkId the task's framework
   * @param status the update (task id, state, uuid, source, reason, message, agent and executor
   *     ids, timestamp)
   */
  void statusUpdate(LocalAgent agent, Protos.FrameworkID frameworkId, Protos.TaskStatus status);

  /**
   * A custom executor's process ended (not for the built-in command executor, whose end is
   * reported through its tasks' updates only, as in Mesos).
   *
   * @param agent the agent
   * @param frameworkId the framework
   * @param executorId the executor
   * @param status the exit status, when known
   */
  void executorTerminated(LocalAgent agent, Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId, OptionalInt status);

  /**
   * A MESSAGE call of an executor, for its scheduler.
   *
   * @param agent the agent
   * @param frameworkId the framework
   * @param executorId the executor
   * @param data the bytes
   */
  void executorMessage(LocalAgent agent, Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId, ByteString data);
}
