package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.Volume;
import dev.mesoskit.core.spi.TaskLaunch;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/** MesosKit's messages pass the rules of Mesos' master validation ({@link MesosValidation}). */
class MesosValidationTest {
  private static final Resources PORTS =
      Resources.parse("cpus:0.5;mem:128;ports:[31000-31001]");

  private static Protos.TaskInfo task(TaskSpec spec) {
    return V1Conversions.taskInfo(new TaskLaunch(spec.name() + ".1", "a1", spec, PORTS,
        Resources.parse("cpus:0.1;mem:32;disk:10")));
  }

  private static TaskSpec.Builder twoPorts(String name) {
    return TaskSpec.builder().name(name).resources("cpus:0.5;mem:128;ports:2");
  }

  @Test
  void theGoldenMessagesPassTheMastersValidation() {
    assertThat(MesosValidation.launchedTask(GoldenMessagesTest.dockerBridgeTask())).isEmpty();
    assertThat(MesosValidation.launchedTask(GoldenMessagesTest.mesosImageTaskWithChecks()))
        .isEmpty();
    for (Protos.Offer.Operation op
        : GoldenMessagesTest.launchGroupCall().getAccept().getOperationsList()) {
      assertThat(MesosValidation.launchGroup(op)).isEmpty();
    }
  }

  @Test
  void everyKindOfContainerCheckAndEntrypointTaskPasses() {
    List<TaskSpec> specs = List.of(
        twoPorts("tcp").command("serve").healthCheck(HealthCheck.of(Probe.tcp()))
            .readinessCheck(ReadinessCheck.of(Probe.tcp(CheckPort.assigned(1)))).build(),
        twoPorts("cmd").command("serve").healthCheck(HealthCheck.of(Probe.command("true")))
            .readinessCheck(ReadinessCheck.of(Probe.http("/ready"))).build(),
        twoPorts("https").command("serve")
            .healthCheck(HealthCheck.of(new Probe.Http(CheckPort.fixed(8443), "/", true)))
            .build(),
        twoPorts("entry").container(ContainerSpec.image("busybox:1.36")).build(),
        twoPorts("entry-docker").container(ContainerSpec.docker("busybox:1.36")).build(),
        twoPorts("appc").command("run")
            .container(ContainerSpec.builder().appcImage("coreos.com/etcd:v3").forcePull(true)
                .volume(Volume.podSandbox("shared", "shared", Volume.Mode.RO))
                .volume(Volume.host("/tmp", "/host-tmp", Volume.Mode.RW)).build())
            .build(),
        twoPorts("exec").executor(ExecutorSpec.of("exec-1", CommandSpec.shell("./executor"))
            .container(ContainerSpec.image("openjdk:17"))).build());

    for (TaskSpec spec : specs) {
      assertThat(MesosValidation.launchedTask(task(spec))).as(spec.name()).isEmpty();
    }
  }

  @Test
  void theRulesCatchWhatTheMasterRefuses() {
    Protos.Offer.Operation good = V1Conversions.launchGroup(V1ConversionsTest.pod(), "fw-1");
    Protos.Offer.Operation.Builder bad = good.toBuilder();
    bad.getLaunchGroupBuilder().getExecutorBuilder()
        .setCommand(Protos.CommandInfo.newBuilder().setValue("x"))
        .clearFrameworkId()
        .clearResources();
    bad.getLaunchGroupBuilder().getTaskGroupBuilder().getTasksBuilder(0)
        .setExecutor(good.getLaunchGroup().getExecutor());

    assertThat(MesosValidation.launchGroup(bad.build())).containsExactly(
        "'ExecutorInfo.command' must not be set for 'DEFAULT' executor",
        "'ExecutorInfo.framework_id' must be set",
        "Executor uses less CPUs (0.0) than the minimum required",
        "Executor uses less memory (0.0) than the minimum required",
        "Executor uses no disk",
        "task web.1: a task of a group must not carry an executor (the master gives it the"
            + " group's)");
    assertThat(MesosValidation.healthCheck(Protos.HealthCheck.newBuilder()
        .setType(Protos.HealthCheck.Type.HTTP)
        .setHttp(Protos.HealthCheck.HTTPCheckInfo.newBuilder().setPath("x").setScheme("ftp")
            .buildPartial())
        .buildPartial()))
        .containsExactly("An HTTP health check needs a port",
            "Unsupported HTTP health check scheme: 'ftp'",
            "The path of HTTP health check must start with '/'");
    assertThat(MesosValidation.container(Protos.ContainerInfo.newBuilder()
        .setType(Protos.ContainerInfo.Type.DOCKER).build()))
        .containsExactly("DockerInfo 'docker' is not set for DOCKER typed ContainerInfo");
    assertThat(MesosValidation.check(Protos.CheckInfo.newBuilder()
        .setType(Protos.CheckInfo.Type.COMMAND)
        .setCommand(Protos.CheckInfo.Command.newBuilder()
            .setCommand(Protos.CommandInfo.newBuilder().setShell(true)))
        .build()))
        .containsExactly("Command check must contain a value");
  }
}
