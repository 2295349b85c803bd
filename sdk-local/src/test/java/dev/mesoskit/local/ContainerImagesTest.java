package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

class ContainerImagesTest {
  private static final Path SANDBOX = Path.of("/work/agent-1/runs/c1");

  private static Protos.TaskInfo.Builder task(Protos.CommandInfo.Builder command) {
    return Protos.TaskInfo.newBuilder().setName("t")
        .setTaskId(Protos.TaskID.newBuilder().setValue("t"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
        .setCommand(command)
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder().setImage(Protos.Image.newBuilder()
                .setType(Protos.Image.Type.DOCKER)
                .setDocker(Protos.Image.Docker.newBuilder().setName("busybox:1")))));
  }

  @Test
  void aShellCommandRunsWithShInTheSandboxOnTheHostNetworkWithTheImagesPath() {
    Protos.TaskInfo.Builder task = task(Protos.CommandInfo.newBuilder().setValue("echo hi"));
    task.getContainerBuilder()
        .addVolumes(Protos.Volume.newBuilder().setContainerPath("/data").setHostPath("/srv/data")
            .setMode(Protos.Volume.Mode.RO))
        .addVolumes(Protos.Volume.newBuilder().setContainerPath("cache")
            .setMode(Protos.Volume.Mode.RW).setSource(Protos.Volume.Source.newBuilder()
                .setType(Protos.Volume.Source.Type.SANDBOX_PATH)
                .setSandboxPath(Protos.Volume.Source.SandboxPath.newBuilder()
                    .setType(Protos.Volume.Source.SandboxPath.Type.SELF).setPath("../../escape"))));

    assertThat(ContainerImages.runArguments(task.build(), "mesoskit-1-a-agent-1-t-c1", SANDBOX,
        Map.of("PATH", "/usr/bin", "MESOS_SANDBOX", SANDBOX.toString(), "A", "1")))
        .containsExactly("run", "--rm", "--init", "--name", "mesoskit-1-a-agent-1-t-c1",
            "--network=host", "--pull=missing", "-v", SANDBOX + ":/mnt/mesos/sandbox:rw",
            "-w", "/mnt/mesos/sandbox", "-v", "/srv/data:/data:ro",
            "-e", "A=1", "-e", "MESOS_SANDBOX=/mnt/mesos/sandbox",
            "busybox:1", "/bin/sh", "-c", "echo hi");
  }

  @Test
  void aCommandWithoutValueRunsTheImagesEntrypointWithItsArguments() {
    Protos.TaskInfo task = task(Protos.CommandInfo.newBuilder().setShell(false)
        .addArguments("--port").addArguments("80")).build();

    assertThat(ContainerImages.runArguments(task, "n", SANDBOX, Map.of()))
        .endsWith("busybox:1", "--port", "80");
  }

  @Test
  void onlyTasksWithAnImageNeedOneAndAppcImagesAreRefusedEvenWithPodman() {
    assertThat(ContainerImages.imageOf(Protos.TaskInfo.newBuilder().setName("t")
        .setTaskId(Protos.TaskID.newBuilder().setValue("t"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1")).build())).isNull();
    Protos.TaskInfo.Builder appc = task(Protos.CommandInfo.newBuilder().setValue("true"));
    appc.getContainerBuilder().getMesosBuilder().getImageBuilder()
        .setType(Protos.Image.Type.APPC).clearDocker()
        .setAppc(Protos.Image.Appc.newBuilder().setName("x"));

    assertThat(ContainerImages.refusal(appc.build(), Podman.none("unused")))
        .isEqualTo("Failed to launch container: Unsupported container image type: APPC;"
            + " LocalCluster cannot run container images here: podman runs Docker images only;"
            + " run on a Mesos agent with a container runtime, or install podman and runc"
            + " (see LocalCluster.Builder.containerRuntime)");
  }
}
