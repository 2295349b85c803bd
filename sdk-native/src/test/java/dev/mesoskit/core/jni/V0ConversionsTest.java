package dev.mesoskit.core.jni;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.Volume;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.Protos;
import org.junit.jupiter.api.Test;

/**
 * The libmesos (v0) messages of #20's fields: containers, health checks, checks, {@code healthy}
 * and {@code check_status}, roles and capabilities. v0 is wire-compatible with v1, so the
 * conversions go through bytes; these tests pin the v0 messages field by field.
 */
class V0ConversionsTest {
  private static final Resources RESOURCES = Resources.parse("cpus:1;mem:128;ports:[31002-31002]");

  @Test
  void aDockerTaskWithAHealthCheckAndACheckReachesLibmesosAsTheExactV0TaskInfo() {
    TaskSpec spec = TaskSpec.builder().name("web").resources("cpus:1;mem:128;ports:1")
        .command("nginx")
        .container(ContainerSpec.builder().dockerEngine("nginx:1.25")
            .network(ContainerSpec.Network.BRIDGE).portMapping(80, 0)
            .volume(Volume.host("/etc/ssl", "/etc/ssl", Volume.Mode.RO)).build())
        .healthCheck(HealthCheck.builder(Probe.http("/health")).delay(Duration.ofSeconds(1))
            .interval(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(3))
            .gracePeriod(Duration.ofSeconds(4)).consecutiveFailures(5).build())
        .readinessCheck(ReadinessCheck.of(Probe.command("test -f ready")))
        .build();

    Protos.TaskInfo task = V0Conversions.taskInfo(
        new TaskLaunch("web.1", "agent-1", spec, RESOURCES, Resources.empty()));

    assertThat(task.getSlaveId().getValue()).isEqualTo("agent-1");
    assertThat(task.getCommand().getEnvironment().getVariablesList())
        .extracting(Protos.Environment.Variable::getName, Protos.Environment.Variable::getValue)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("PORT0", "31002"),
            org.assertj.core.groups.Tuple.tuple("PORTS", "31002"));
    assertThat(task.getContainer()).isEqualTo(Protos.ContainerInfo.newBuilder()
        .setType(Protos.ContainerInfo.Type.DOCKER)
        .addVolumes(Protos.Volume.newBuilder().setContainerPath("/etc/ssl")
            .setHostPath("/etc/ssl").setMode(Protos.Volume.Mode.RO))
        .setDocker(Protos.ContainerInfo.DockerInfo.newBuilder().setImage("nginx:1.25")
            .setNetwork(Protos.ContainerInfo.DockerInfo.Network.BRIDGE)
            .addPortMappings(Protos.ContainerInfo.DockerInfo.PortMapping.newBuilder()
                .setHostPort(31002).setContainerPort(80).setProtocol("tcp"))
            .setForcePullImage(false))
        .build());
    assertThat(task.getHealthCheck()).isEqualTo(Protos.HealthCheck.newBuilder()
        .setDelaySeconds(1).setIntervalSeconds(2).setTimeoutSeconds(3)
        .setGracePeriodSeconds(4).setConsecutiveFailures(5)
        .setType(Protos.HealthCheck.Type.HTTP)
        .setHttp(Protos.HealthCheck.HTTPCheckInfo.newBuilder()
            .setPort(80).setPath("/health").setScheme("http")) // probed inside the container
        .build());
    assertThat(task.getCheck()).isEqualTo(Protos.CheckInfo.newBuilder()
        .setDelaySeconds(15).setIntervalSeconds(10).setTimeoutSeconds(20)
        .setType(Protos.CheckInfo.Type.COMMAND)
        .setCommand(Protos.CheckInfo.Command.newBuilder().setCommand(
            Protos.CommandInfo.newBuilder().setShell(true).setValue("test -f ready")))
        .build());
  }

  @Test
  void aV0StatusCarriesHealthAndCheckStatusBothWays() {
    Protos.TaskStatus v0 = Protos.TaskStatus.newBuilder()
        .setTaskId(V0Conversions.taskId("web.1"))
        .setState(Protos.TaskState.TASK_RUNNING)
        .setReason(Protos.TaskStatus.Reason.REASON_TASK_CHECK_STATUS_UPDATED)
        .setHealthy(false)
        .setCheckStatus(Protos.CheckStatusInfo.newBuilder().setType(Protos.CheckInfo.Type.HTTP)
            .setHttp(Protos.CheckStatusInfo.Http.newBuilder().setStatusCode(503)))
        .build();

    TaskStatus status = V0Conversions.taskStatus(v0);

    assertThat(status.healthy()).contains(false);
    assertThat(status.checkStatus()).contains(CheckResult.statusCode(503));
    TaskStatus sent = new TaskStatus("web.1", TaskState.RUNNING, Optional.empty(),
        Optional.of("REASON_TASK_HEALTH_CHECK_STATUS_UPDATED"), Optional.of("SOURCE_EXECUTOR"),
        Optional.empty(), Optional.empty(), Optional.empty(), Instant.ofEpochSecond(5),
        Optional.empty(), Optional.of(true), Optional.of(CheckResult.pending(Probe.Kind.TCP)));
    assertThat(V0Conversions.executorStatus(sent)).isEqualTo(Protos.TaskStatus.newBuilder()
        .setTaskId(V0Conversions.taskId("web.1"))
        .setState(Protos.TaskState.TASK_RUNNING)
        .setTimestamp(5)
        .setReason(Protos.TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED)
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
        .setHealthy(true)
        .setCheckStatus(Protos.CheckStatusInfo.newBuilder().setType(Protos.CheckInfo.Type.TCP)
            .setTcp(Protos.CheckStatusInfo.Tcp.newBuilder()))
        .build());
  }

  @Test
  void aV0TaskInfoWithChecksIsReadBackWithFixedPorts() {
    Protos.TaskInfo task = Protos.TaskInfo.newBuilder().setName("web")
        .setTaskId(V0Conversions.taskId("web.1")).setSlaveId(V0Conversions.agentId("agent-1"))
        .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.TCP)
            .setTcp(Protos.HealthCheck.TCPCheckInfo.newBuilder().setPort(31002))
            .setIntervalSeconds(1).setConsecutiveFailures(2))
        .setCheck(Protos.CheckInfo.newBuilder().setType(Protos.CheckInfo.Type.HTTP)
            .setHttp(Protos.CheckInfo.Http.newBuilder().setPort(31002).setPath("/ready")))
        .build();

    LaunchedTask launched = V0Conversions.launchedTask(task, "fw-1", "exec-1");

    assertThat(launched.healthCheck()).contains(HealthCheck.builder(
            Probe.tcp(CheckPort.fixed(31002)))
        .interval(Duration.ofSeconds(1)).consecutiveFailures(2).build());
    assertThat(launched.readinessCheck())
        .contains(ReadinessCheck.of(Probe.http(CheckPort.fixed(31002), "/ready")));
  }

  @Test
  void aFrameworkOfTwoRolesDeclaresThemAndItsCapabilitiesToLibmesos() {
    FrameworkInfo info = new FrameworkInfo("fw", "root", List.of("batch", "web"),
        Optional.empty(), Optional.empty(), Duration.ZERO, Optional.empty(), Optional.empty(),
        Set.of("GPU_RESOURCES", "REGION_AWARE"));

    Protos.FrameworkInfo v0 = V0Conversions.frameworkInfo(info);

    assertThat(v0.getRolesList()).containsExactly("batch", "web");
    assertThat(v0.getCapabilitiesList()).extracting(Protos.FrameworkInfo.Capability::getType)
        .containsExactlyInAnyOrder(Protos.FrameworkInfo.Capability.Type.GPU_RESOURCES,
            Protos.FrameworkInfo.Capability.Type.REGION_AWARE,
            Protos.FrameworkInfo.Capability.Type.MULTI_ROLE,
            Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
  }
}
