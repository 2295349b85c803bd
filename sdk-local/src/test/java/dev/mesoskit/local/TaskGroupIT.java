package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LAUNCH_GROUP with the DEFAULT executor, as recorded from Mesos 1.12
 * ({@code mesos-reference/scheduler/f-launch-group-default-executor.json}) and as Mesos' default
 * executor kills a group.
 */
class TaskGroupIT {
  @TempDir
  Path workDir;
  private LocalCluster cluster;
  private SchedulerSession scheduler;

  @BeforeEach
  void start() throws Exception {
    cluster = LocalCluster.builder().agents(1).workDir(workDir)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31009]").start();
    scheduler = SchedulerSession.subscribe(cluster.masterUri(), "group-it", List.of("*"),
        Type.MULTI_ROLE, Type.TASK_KILLING_STATE, Type.PARTITION_AWARE);
  }

  @AfterEach
  void stop() {
    scheduler.close();
    cluster.close();
  }

  private Protos.ExecutorInfo executor() {
    return Protos.ExecutorInfo.newBuilder().setType(Protos.ExecutorInfo.Type.DEFAULT)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("group-executor"))
        .setFrameworkId(scheduler.id())
        .addResources(SchedulerSession.scalar("cpus", 0.1))
        .addResources(SchedulerSession.scalar("mem", 32))
        .addResources(SchedulerSession.scalar("disk", 10)).build();
  }

  private static Protos.TaskInfo.Builder task(String id, Protos.AgentID agent, String command) {
    return Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id)).setAgentId(agent)
        .addResources(SchedulerSession.scalar("cpus", 0.1))
        .addResources(SchedulerSession.scalar("mem", 32))
        .setCommand(Protos.CommandInfo.newBuilder().setValue(command));
  }

  private static Protos.ContainerInfo sharedVolume() {
    return Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
        .addVolumes(Protos.Volume.newBuilder().setMode(Protos.Volume.Mode.RW)
            .setContainerPath("data")
            .setSource(Protos.Volume.Source.newBuilder()
                .setType(Protos.Volume.Source.Type.SANDBOX_PATH)
                .setSandboxPath(Protos.Volume.Source.SandboxPath.newBuilder()
                    .setType(Protos.Volume.Source.SandboxPath.Type.PARENT).setPath("shared"))))
        .build();
  }

  private String launch(Protos.TaskInfo... tasks) throws Exception {
    Protos.Offer offer = scheduler.offers().get(0);
    Protos.TaskGroupInfo.Builder group = Protos.TaskGroupInfo.newBuilder();
    for (Protos.TaskInfo t : tasks) {
      group.addTasks(t.toBuilder().setAgentId(offer.getAgentId()));
    }
    return scheduler.accept(offer.getId(), Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
        .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor())
            .setTaskGroup(group)).build());
  }

  /** Updates until every task is terminal, by task id, in order. */
  private Map<String, List<Protos.TaskStatus>> updatesUntilTerminal(int tasks) throws Exception {
    Map<String, List<Protos.TaskStatus>> byTask = new LinkedHashMap<>();
    int terminal = 0;
    while (terminal < tasks) {
      Protos.TaskStatus s = scheduler.update();
      byTask.computeIfAbsent(s.getTaskId().getValue(), k -> new ArrayList<>()).add(s);
      if (LocalMaster.isTerminal(s.getState())) {
        terminal++;
      }
    }
    return byTask;
  }

  private static List<TaskState> states(List<Protos.TaskStatus> updates) {
    return updates.stream().map(Protos.TaskStatus::getState).toList();
  }

  @Test
  void tasksOfAGroupShareAParentVolumeAndTheExecutorExitsWithStatusZero() throws Exception {
    Protos.AgentID none = Protos.AgentID.newBuilder().setValue("set-by-launch").build();
    assertThat(launch(
        task("writer", none, "echo shared-bytes > data/file").setContainer(sharedVolume()).build(),
        task("reader", none, "while [ ! -e data/file ]; do sleep 0.05; done; cat data/file")
            .setContainer(sharedVolume()).build())).isEqualTo("202");

    Map<String, List<Protos.TaskStatus>> updates = updatesUntilTerminal(2);

    assertThat(updates.keySet()).containsExactlyInAnyOrder("writer", "reader");
    for (List<Protos.TaskStatus> task : updates.values()) {
      assertThat(states(task)).containsExactly(TaskState.TASK_STARTING, TaskState.TASK_RUNNING,
          TaskState.TASK_FINISHED);
      Protos.TaskStatus last = task.get(2);
      assertThat(last.getMessage()).isEqualTo("Command exited with status 0");
      assertThat(last.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_EXECUTOR);
      assertThat(last.getExecutorId().getValue()).isEqualTo("group-executor");
      assertThat(last.getContainerStatus().getNetworkInfosCount()).isZero();
      assertThat(task.get(0).getContainerStatus().getNetworkInfos(0).getIpAddresses(0)
          .getIpAddress()).isEqualTo("127.0.0.1");
      assertThat(task.get(0).getContainerStatus().getContainerId())
          .isEqualTo(last.getContainerStatus().getContainerId());
    }
    Protos.ContainerID writer = updates.get("writer").get(0).getContainerStatus().getContainerId();
    Protos.ContainerID reader = updates.get("reader").get(0).getContainerStatus().getContainerId();
    assertThat(writer.getParent()).isEqualTo(reader.getParent());
    assertThat(writer.getValue()).isNotEqualTo(reader.getValue());

    Event.Failure failure = scheduler.raw.next(Event.Type.FAILURE, SchedulerSession.WAIT)
        .getFailure();
    assertThat(failure.getExecutorId().getValue()).isEqualTo("group-executor");
    assertThat(failure.getAgentId().getValue()).isEqualTo("agent-1");
    assertThat(failure.hasStatus()).isTrue();
    assertThat(failure.getStatus()).isZero();

    Path executorSandbox = workDir.resolve("agent-1/frameworks").resolve(scheduler.id()
        .getValue()).resolve("executors/group-executor/runs").resolve(writer.getParent()
        .getValue());
    assertThat(Files.readString(executorSandbox.resolve("tasks/reader/stdout")))
        .isEqualTo("shared-bytes\n");
    assertThat(Files.readString(executorSandbox.resolve("shared/file")))
        .isEqualTo("shared-bytes\n");
    assertThat(Files.isSymbolicLink(executorSandbox.resolve("tasks/writer/data"))).isTrue();
  }

  @Test
  void aFailedTaskGetsTheOtherTasksOfItsGroupKilled() throws Exception {
    Protos.AgentID none = Protos.AgentID.newBuilder().setValue("set-by-launch").build();
    assertThat(launch(task("failer", none, "exit 3").build(),
        task("sleeper", none, "sleep 1000").build())).isEqualTo("202");

    Map<String, List<Protos.TaskStatus>> updates = updatesUntilTerminal(2);

    assertThat(states(updates.get("failer"))).containsExactly(TaskState.TASK_STARTING,
        TaskState.TASK_RUNNING, TaskState.TASK_FAILED);
    assertThat(updates.get("failer").get(2).getMessage())
        .isEqualTo("Command exited with status 3");
    assertThat(states(updates.get("sleeper"))).containsExactly(TaskState.TASK_STARTING,
        TaskState.TASK_RUNNING, TaskState.TASK_KILLING, TaskState.TASK_KILLED);
    assertThat(updates.get("sleeper").get(3).getMessage())
        .isEqualTo("Command terminated with signal Terminated");
    Event.Failure failure = scheduler.raw.next(Event.Type.FAILURE, SchedulerSession.WAIT)
        .getFailure();
    assertThat(failure.getExecutorId().getValue()).isEqualTo("group-executor");
    assertThat(failure.getStatus()).isZero();
  }

  @Test
  void aGroupWhoseExecutorLacksAFrameworkIdIsRefusedAsMesosRefusesIt() throws Exception {
    Protos.Offer offer = scheduler.offers().get(0);
    Protos.Offer.Operation op = Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
        .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder()
            .setExecutor(executor().toBuilder().clearFrameworkId())
            .setTaskGroup(Protos.TaskGroupInfo.newBuilder()
                .addTasks(task("lonely", offer.getAgentId(), "true")))).build();
    assertThat(scheduler.accept(offer.getId(), op)).isEqualTo("202");

    Protos.TaskStatus error = scheduler.update();
    assertThat(error.getState()).isEqualTo(TaskState.TASK_ERROR);
    assertThat(error.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_GROUP_INVALID);
    assertThat(error.getMessage()).isEqualTo("ExecutorInfo has an invalid FrameworkID (Actual: "
        + " vs Expected: " + scheduler.id().getValue() + ")");
  }
}
