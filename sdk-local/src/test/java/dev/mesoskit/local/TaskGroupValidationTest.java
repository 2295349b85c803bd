package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * The LAUNCH_GROUP rules of {@code task::group::internal::validateTask} and
 * {@code validateExecutor} ({@code src/master/validation.cpp}) that need no cluster, in Mesos'
 * words and order: every task first, wrapped with its id, then the executor.
 */
class TaskGroupValidationTest {
  private static final MasterValidation.Books BOOKS = new MasterValidation.Books() {
    @Override
    public String frameworkId() {
      return "fw";
    }

    @Override
    public String agentId() {
      return "agent-1";
    }

    @Override
    public boolean hasTask(String taskId) {
      return false;
    }

    @Override
    public Protos.ExecutorInfo executor(String executorId) {
      return null;
    }
  };

  private static final Protos.ExecutorInfo EXECUTOR = Protos.ExecutorInfo.newBuilder()
      .setType(Protos.ExecutorInfo.Type.DEFAULT)
      .setExecutorId(Protos.ExecutorID.newBuilder().setValue("e"))
      .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw"))
      .addResources(scalar("cpus", 0.1)).addResources(scalar("mem", 32))
      .addResources(scalar("disk", 10)).build();

  private static final Protos.TaskInfo TASK = Protos.TaskInfo.newBuilder().setName("t")
      .setTaskId(Protos.TaskID.newBuilder().setValue("t1"))
      .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
      .addResources(scalar("cpus", 0.1).toBuilder()
          .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("*")))
      .setCommand(Protos.CommandInfo.newBuilder().setValue("true")).build();

  private static final Protos.ContainerInfo DOCKER = Protos.ContainerInfo.newBuilder()
      .setType(Protos.ContainerInfo.Type.DOCKER)
      .setDocker(Protos.ContainerInfo.DockerInfo.newBuilder().setImage("busybox")).build();

  @Test
  void aValidGroupPasses() {
    assertThat(tasks(TASK)).isNull();
    assertThat(executor(EXECUTOR, TASK)).isNull();
  }

  @Test
  void aDockerContainerOnATaskIsRefusedWithTheTaskNamed() {
    assertThat(tasks(TASK.toBuilder().setContainer(DOCKER).build()))
        .isEqualTo("Task 't1' is invalid: Docker ContainerInfo is not supported on the task");
  }

  @Test
  void anHttpOrTcpHealthCheckIsRefusedOnATaskWithItsOwnNetworkBeforeDocker() {
    Protos.ContainerInfo ownNetwork = DOCKER.toBuilder()
        .addNetworkInfos(Protos.NetworkInfo.newBuilder().setName("net")).build();
    String expected = "Task 't1' is invalid: HTTP and TCP health checks are not supported for"
        + " nested containers not joining parent's network";
    for (Protos.HealthCheck.Type type : List.of(Protos.HealthCheck.Type.HTTP,
        Protos.HealthCheck.Type.TCP)) {
      Protos.TaskInfo task = TASK.toBuilder().setContainer(ownNetwork)
          .setHealthCheck(Protos.HealthCheck.newBuilder().setType(type)).build();
      assertThat(tasks(task)).as(type.toString()).isEqualTo(expected);
    }
    Protos.TaskInfo command = TASK.toBuilder().setContainer(ownNetwork)
        .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.COMMAND))
        .build();
    assertThat(tasks(command))
        .isEqualTo("Task 't1' is invalid: Docker ContainerInfo is not supported on the task");
    Protos.TaskInfo parentsNetwork = TASK.toBuilder().setContainer(Protos.ContainerInfo
        .newBuilder().setType(Protos.ContainerInfo.Type.MESOS))
        .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.HTTP))
        .build();
    assertThat(tasks(parentsNetwork)).isNull();
  }

  @Test
  void theChecksOfEveryTaskComeBeforeTheGroupOnes() {
    Protos.TaskInfo task = TASK.toBuilder().clearResources().setContainer(DOCKER).build();
    assertThat(tasks(task)).isEqualTo("Task 't1' is invalid: Task uses no resources");
  }

  @Test
  void aTaskWithoutExecutorPassesBecauseTheMasterFillsTheGroupsExecutorInFirst() {
    assertThat(TaskGroupValidation.task(TASK, true)).isNull();
    assertThat(TaskGroupValidation.task(TASK, false)).isEqualTo("'TaskInfo.executor' must be set");
    assertThat(TaskGroupValidation.task(TASK.toBuilder().setExecutor(EXECUTOR).build(), false))
        .isNull();
  }

  @Test
  void aDefaultExecutorsContainerMustBeMesosWithoutImage() {
    Protos.ExecutorInfo docker = EXECUTOR.toBuilder().setContainer(DOCKER).build();
    assertThat(executor(docker, TASK))
        .isEqualTo("'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor");
    Protos.ExecutorInfo image = EXECUTOR.toBuilder().setContainer(Protos.ContainerInfo
        .newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
        .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder().setImage(Protos.Image.newBuilder()
            .setType(Protos.Image.Type.DOCKER)
            .setDocker(Protos.Image.Docker.newBuilder().setName("busybox"))))).build();
    assertThat(executor(image, TASK))
        .isEqualTo("'ExecutorInfo.container.mesos.image' must not be set for 'DEFAULT' executor");
    Protos.ExecutorInfo mesos = EXECUTOR.toBuilder().setContainer(Protos.ContainerInfo
        .newBuilder().setType(Protos.ContainerInfo.Type.MESOS)).build();
    assertThat(executor(mesos, TASK)).isNull();
  }

  @Test
  void aDefaultExecutorsContainerIsCheckedBeforeItsIdAsMesosChecksItsTypeFirst() {
    Protos.ExecutorInfo both = EXECUTOR.toBuilder().setContainer(DOCKER)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("a/b")).build();
    assertThat(executor(both, TASK))
        .isEqualTo("'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor");
  }

  @Test
  void aCustomExecutorWithADockerContainerIsRefusedAfterItsTypeIsKnown() {
    Protos.ExecutorInfo custom = EXECUTOR.toBuilder().setType(Protos.ExecutorInfo.Type.CUSTOM)
        .setCommand(Protos.CommandInfo.newBuilder().setValue("./executor"))
        .setContainer(DOCKER).build();
    assertThat(executor(custom, TASK))
        .isEqualTo("Docker ContainerInfo is not supported on the executor");
    Protos.ExecutorInfo untyped = custom.toBuilder().clearType().build();
    assertThat(executor(untyped, TASK)).isEqualTo("'ExecutorInfo.type' must be set");
  }

  @Test
  void aDockerExecutorComesBeforeADifferingTaskExecutor() {
    Protos.ExecutorInfo custom = EXECUTOR.toBuilder().setType(Protos.ExecutorInfo.Type.CUSTOM)
        .setCommand(Protos.CommandInfo.newBuilder().setValue("./executor"))
        .setContainer(DOCKER).build();
    Protos.TaskInfo other = TASK.toBuilder().clearCommand().setExecutor(EXECUTOR).build();
    assertThat(executor(custom, other))
        .isEqualTo("Docker ContainerInfo is not supported on the executor");
  }

  private static String tasks(Protos.TaskInfo... tasks) {
    return MasterValidation.groupTasks(List.of(tasks), BOOKS, new HashSet<>());
  }

  private static String executor(Protos.ExecutorInfo executor, Protos.TaskInfo... tasks) {
    return TaskGroupValidation.groupExecutor(executor, List.of(tasks), BOOKS);
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }
}
