package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** What the default executor refuses to launch, and in which words. */
class DefaultExecutorTest {
  private static Protos.TaskInfo task(Protos.CommandInfo.Builder command) {
    return Protos.TaskInfo.newBuilder().setName("t")
        .setTaskId(Protos.TaskID.newBuilder().setValue("t"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a"))
        .setCommand(command).build();
  }

  @Test
  void aCommandWithAValueLaunches() {
    assertThat(DefaultExecutor.launchRefusal(task(Protos.CommandInfo.newBuilder()
        .setValue("sleep 1")))).isNull();
    assertThat(DefaultExecutor.launchRefusal(task(Protos.CommandInfo.newBuilder().setShell(false)
        .setValue("/bin/sleep").addArguments("sleep").addArguments("1")))).isNull();
  }

  @Test
  void aShellCommandWithoutAValueIsRefusedInMesosWords() {
    assertThat(DefaultExecutor.launchRefusal(task(Protos.CommandInfo.newBuilder())))
        .isEqualTo("Failed to launch container: Shell command is not specified; a shell command"
            + " needs a value, the command line that /bin/sh -c runs");
  }

  @Test
  void anImageOtherThanDockerIsNamedByItsType() {
    Protos.TaskInfo appc = task(Protos.CommandInfo.newBuilder().setValue("true")).toBuilder()
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder().setImage(Protos.Image
                .newBuilder().setType(Protos.Image.Type.APPC)
                .setAppc(Protos.Image.Appc.newBuilder().setName("x"))))).build();
    assertThat(DefaultExecutor.launchRefusal(appc)).startsWith("Failed to launch container:"
        + " Unsupported container image type: APPC; LocalCluster cannot run container images in"
        + " task groups: ");
  }
}
