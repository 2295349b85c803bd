package dev.mesoskit.local;

import java.util.List;
import org.apache.mesos.v1.Protos;

/**
 * Apache Mesos' master-side checks of a LAUNCH_GROUP's tasks and executor
 * ({@code src/master/validation.cpp}, {@code task::group::internal::validateTask} and
 * {@code validateExecutor}), in Mesos' words; the checks they share with every task and executor
 * are {@link MasterValidation}'s. Each method returns the message a real master puts into its
 * TASK_ERROR, or {@code null} when the task or executor is valid.
 */
final class TaskGroupValidation {
  private TaskGroupValidation() {}

  /**
   * What {@code task::group::internal::validateTask} checks of a task of a group after the checks
   * of every task: it has an executor, an HTTP or TCP health check only when its container joins
   * the executor's network (no {@code network_infos}), and no Docker container. Null when it
   * passes.
   *
   * @param task the task
   * @param executorFilledIn whether the master filled the group's executor into a task that names
   *     none; Mesos' {@code Master::accept} always does before it validates (master.cpp, "Mutate
   *     `TaskInfo` to include `ExecutorInfo`"), so that {@code 'TaskInfo.executor' must be set}
   *     cannot fail for a LAUNCH_GROUP
   */
  static String task(Protos.TaskInfo task, boolean executorFilledIn) {
    if (!task.hasExecutor() && !executorFilledIn) {
      return "'TaskInfo.executor' must be set";
    }
    if (task.hasContainer()) {
      if (task.getContainer().getNetworkInfosCount() > 0 && task.hasHealthCheck()
          && (task.getHealthCheck().getType() == Protos.HealthCheck.Type.HTTP
              || task.getHealthCheck().getType() == Protos.HealthCheck.Type.TCP)) {
        return "HTTP and TCP health checks are not supported for nested containers not joining"
            + " parent's network";
      }
      if (task.getContainer().getType() == Protos.ContainerInfo.Type.DOCKER) {
        return "Docker ContainerInfo is not supported on the task";
      }
    }
    return null;
  }

  /**
   * {@code task::group::internal::validateExecutor} up to (not including) the check of the
   * total against the offers: the checks every executor gets ({@code executor::internal::
   * validate}: its type against its command and, for a DEFAULT executor, its container, its id, its shutdown grace, its framework id, which
   * Mesos does not fill in for a task group, and an executor of that id already on the agent
   * has the same ExecutorInfo), then a type, no Docker container, the tasks' executors, and
   * Mesos' minimum cpus,
   * memory and disk. Null when it passes.
   */
  static String groupExecutor(Protos.ExecutorInfo executor, List<Protos.TaskInfo> tasks,
      MasterValidation.Books books) {
    if (executor.getType() == Protos.ExecutorInfo.Type.DEFAULT && executor.hasCommand()) {
      return "'ExecutorInfo.command' must not be set for 'DEFAULT' executor";
    }
    if (executor.getType() == Protos.ExecutorInfo.Type.CUSTOM && !executor.hasCommand()) {
      return "'ExecutorInfo.command' must be set for 'CUSTOM' executor";
    }
    if (executor.getType() == Protos.ExecutorInfo.Type.DEFAULT && executor.hasContainer()) {
      if (executor.getContainer().getType() != Protos.ContainerInfo.Type.MESOS) {
        return "'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor";
      }
      if (executor.getContainer().getMesos().hasImage()) {
        return "'ExecutorInfo.container.mesos.image' must not be set for 'DEFAULT' executor";
      }
    }
    String problem = MasterValidation.executorIdentity(executor, books);
    if (problem == null) {
      problem = MasterValidation.incompatible(executor, books);
    }
    if (problem != null) {
      return problem;
    }
    if (!executor.hasType()) {
      return "'ExecutorInfo.type' must be set";
    }
    if (executor.getType() == Protos.ExecutorInfo.Type.UNKNOWN) {
      return "Unknown executor type";
    }
    if (executor.hasContainer()
        && executor.getContainer().getType() == Protos.ContainerInfo.Type.DOCKER) {
      return "Docker ContainerInfo is not supported on the executor";
    }
    String id = executor.getExecutorId().getValue();
    for (Protos.TaskInfo task : tasks) {
      if (task.hasExecutor() && !task.getExecutor().equals(executor)) {
        return "The `ExecutorInfo` of task '" + task.getTaskId().getValue() + "' is different"
            + " from executor '" + id + "'";
      }
    }
    Double cpus = scalar(executor.getResourcesList(), "cpus");
    if (cpus == null || cpus < MIN_CPUS) {
      return "Executor '" + id + "' uses less CPUs (" + (cpus == null ? "None"
          : MesosText.number(cpus)) + ") than the minimum required (" + MIN_CPUS + ")";
    }
    Double mem = scalar(executor.getResourcesList(), "mem");
    if (mem == null || mem < MIN_MEM_MB) {
      return "Executor '" + id + "' uses less memory (" + (mem == null ? "None" : bytes(mem))
          + ") than the minimum required (32MB)";
    }
    if (scalar(executor.getResourcesList(), "disk") == null) {
      return "Executor '" + id + "' uses no disk";
    }
    return null;
  }

  /** Mesos' {@code MIN_CPUS} of an executor. */
  static final double MIN_CPUS = 0.01;
  /** Mesos' {@code MIN_MEM} of an executor, in MB. */
  static final double MIN_MEM_MB = 32;

  /** The sum of the named scalar, or null when there is none. */
  private static Double scalar(List<Protos.Resource> resources, String name) {
    Double sum = null;
    for (Protos.Resource r : resources) {
      if (r.getName().equals(name) && r.getType() == Protos.Value.Type.SCALAR) {
        sum = (sum == null ? 0 : sum) + r.getScalar().getValue();
      }
    }
    return sum;
  }

  /** Stout's {@code stringify(Bytes)} of megabytes: the largest unit that divides exactly. */
  static String bytes(double megabytes) {
    long b = (long) (megabytes * 1024 * 1024);
    if (b != 0 && b % (1L << 30) == 0) {
      return (b >> 30) + "GB";
    }
    if (b != 0 && b % (1L << 20) == 0) {
      return (b >> 20) + "MB";
    }
    if (b != 0 && b % (1L << 10) == 0) {
      return (b >> 10) + "KB";
    }
    return b + "B";
  }
}
