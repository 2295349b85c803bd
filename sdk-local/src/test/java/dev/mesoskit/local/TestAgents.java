package dev.mesoskit.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;

/** Settings, frameworks and tasks for agent tests. */
final class TestAgents {
  static final Protos.FrameworkID FRAMEWORK_ID =
      Protos.FrameworkID.newBuilder().setValue("framework-1").build();
  static final Protos.AgentID AGENT_ID = Protos.AgentID.newBuilder().setValue("agent-1").build();

  private TestAgents() {}

  static AgentConfig config(Path workDir) {
    return config(workDir, Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  /**
   * Settings with the sandboxes of finished containers kept for a day, without headroom: tests
   * read them after their tasks ended.
   */
  static AgentConfig config(Path workDir, Duration registrationTimeout,
      Duration statusUpdateRetry) {
    return config(workDir, registrationTimeout, statusUpdateRetry, Duration.ofDays(1), 0.0);
  }

  static AgentConfig config(Path workDir, Duration registrationTimeout,
      Duration statusUpdateRetry, Duration gcDelay, double gcDiskHeadroom) {
    return new AgentConfig("agent-1", "127.0.0.1",
        List.of(scalar("cpus", 4), scalar("mem", 4096)),
        List.of(Protos.Attribute.newBuilder().setName("rack").setType(Protos.Value.Type.TEXT)
            .setText(Protos.Value.Text.newBuilder().setValue("r1")).build()),
        workDir, registrationTimeout, Duration.ofMillis(500), statusUpdateRetry, false, true,
        gcDelay, gcDiskHeadroom);
  }

  /** Settings whose sandboxes of finished containers are deleted after {@code gcDelay}. */
  static AgentConfig withGcDelay(Path workDir, Duration gcDelay) {
    return config(workDir, Duration.ofSeconds(10), Duration.ofSeconds(10), gcDelay, 0.0);
  }

  static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  static Protos.FrameworkInfo framework(Protos.FrameworkInfo.Capability.Type... capabilities) {
    Protos.FrameworkInfo.Builder framework = Protos.FrameworkInfo.newBuilder()
        .setId(FRAMEWORK_ID).setUser("tester").setName("test framework");
    for (Protos.FrameworkInfo.Capability.Type type : capabilities) {
      framework.addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(type));
    }
    return framework.build();
  }

  static Protos.TaskID taskId(String id) {
    return Protos.TaskID.newBuilder().setValue(id).build();
  }

  static Protos.ExecutorID executorId(String id) {
    return Protos.ExecutorID.newBuilder().setValue(id).build();
  }

  static Protos.TaskInfo commandTask(String id, String shellCommand) {
    return commandTask(id, Protos.CommandInfo.newBuilder().setValue(shellCommand).build());
  }

  static Protos.TaskInfo commandTask(String id, Protos.CommandInfo command) {
    return Protos.TaskInfo.newBuilder().setName(id).setTaskId(taskId(id)).setAgentId(AGENT_ID)
        .addResources(scalar("cpus", 0.1)).setCommand(command).build();
  }

  static Protos.ExecutorInfo executor(String id, Protos.CommandInfo command) {
    return Protos.ExecutorInfo.newBuilder().setExecutorId(executorId(id))
        .setFrameworkId(FRAMEWORK_ID).setCommand(command).build();
  }

  static Protos.TaskInfo executorTask(String id, Protos.ExecutorInfo executor) {
    return Protos.TaskInfo.newBuilder().setName(id).setTaskId(taskId(id)).setAgentId(AGENT_ID)
        .addResources(scalar("cpus", 0.1)).setExecutor(executor).build();
  }

  /**
   * A custom executor that marks its sandbox with a file {@code started} and sleeps: the test
   * speaks the executor API in its place.
   */
  static Protos.ExecutorInfo sleepingExecutor(String id) {
    return executor(id, Protos.CommandInfo.newBuilder()
        .setValue("touch started; exec sleep 60").build());
  }

  /** Waits until an executor's process has started, by its {@code started} file; its sandbox. */
  static Path awaitStarted(Path workDir, String executorId) throws Exception {
    return awaitFile(workDir, executorId, "started");
  }

  /** Waits until a file appears in an executor's sandbox; the sandbox. */
  static Path awaitFile(Path workDir, String executorId, String file) throws Exception {
    Path runs = workDir.resolve("frameworks").resolve(FRAMEWORK_ID.getValue())
        .resolve("executors").resolve(executorId).resolve("runs");
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (java.nio.file.Files.isDirectory(runs)) {
        try (var list = java.nio.file.Files.list(runs)) {
          for (Path run : list.toList()) {
            if (java.nio.file.Files.exists(run.resolve(file))) {
              return run;
            }
          }
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + file + " in the sandbox of " + executorId + " within 15 s");
  }
}
