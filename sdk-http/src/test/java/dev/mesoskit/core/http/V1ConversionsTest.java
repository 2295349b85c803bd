package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.Volume;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.Protos;
import org.junit.jupiter.api.Test;

/**
 * Status updates keep their data, health and check results both ways; kill policies, containers,
 * checks, port variables, roles and task groups reach the wire exactly.
 */
class V1ConversionsTest {
  @Test
  void resourcesOfEveryTypeAndAnyNameSurviveTheRoundTripThroughProtobuf() {
    Resources resources = Resources.parse("cpus:1.5;licenses:0.125;network_bandwidth(prod):1000;"
        + "ephemeral:[5000-5009,6000-6000];zones:{c,a,b}");

    List<Protos.Resource> messages = V1Conversions.resources(resources);

    assertThat(messages).extracting(Protos.Resource::getName, Protos.Resource::getType)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("cpus", Protos.Value.Type.SCALAR),
            org.assertj.core.groups.Tuple.tuple("licenses", Protos.Value.Type.SCALAR),
            org.assertj.core.groups.Tuple.tuple("network_bandwidth", Protos.Value.Type.SCALAR),
            org.assertj.core.groups.Tuple.tuple("ephemeral", Protos.Value.Type.RANGES),
            org.assertj.core.groups.Tuple.tuple("zones", Protos.Value.Type.SET));
    assertThat(messages.get(4).getSet().getItemList()).containsExactly("a", "b", "c");
    assertThat(Resources.of(messages.stream().map(V1Conversions::resource)
        .map(Optional::orElseThrow).toList())).isEqualTo(resources);
  }

  @Test
  void anUpdatesDataIsSentAndReadBack() {
    byte[] result = "result: 42".getBytes(StandardCharsets.UTF_8);
    TaskStatus status = new TaskStatus("t1.1", TaskState.FINISHED, Optional.empty(),
        Optional.empty(), Optional.of("SOURCE_EXECUTOR"), Optional.of("a1"), Optional.of("e1"),
        Optional.empty(), Instant.ofEpochSecond(1_700_000_000L), Optional.of(result));

    Protos.TaskStatus wire = V1Conversions.taskStatusMessage(status);
    assertThat(wire.getData().toByteArray()).isEqualTo(result);

    assertThat(V1Conversions.taskStatus(wire).data().orElseThrow()).isEqualTo(result);
  }

  @Test
  void anUpdateWithoutDataHasNone() {
    Protos.TaskStatus wire = Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("t1.1"))
        .setState(Protos.TaskState.TASK_FINISHED).build();

    assertThat(V1Conversions.taskStatus(wire).data()).isEmpty();
    assertThat(V1Conversions.taskStatusMessage(V1Conversions.taskStatus(wire)).hasData())
        .isFalse();
  }

  private static TaskLaunch launch(TaskSpec.Builder spec) {
    return new TaskLaunch("kill-graceful.1", "a1", spec.id("kill-graceful").name("kill-graceful")
        .resources("cpus:0.1;mem:32").command("sleep 60").build(), Resources.empty(),
        Resources.empty());
  }

  @Test
  void aTasksKillGracePeriodIsItsKillPolicyInNanoseconds() {
    Protos.TaskInfo task = V1Conversions.taskInfo(
        launch(TaskSpec.builder().killGracePeriod(Duration.ofSeconds(3))));

    assertThat(task).isEqualTo(Protos.TaskInfo.newBuilder()
        .setName("kill-graceful")
        .setTaskId(Protos.TaskID.newBuilder().setValue("kill-graceful.1"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
        .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue("sleep 60"))
        .setKillPolicy(Protos.KillPolicy.newBuilder()
            .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(3_000_000_000L)))
        .build());
  }

  @Test
  void aTaskWithoutKillGracePeriodHasNoKillPolicy() {
    assertThat(V1Conversions.taskInfo(launch(TaskSpec.builder())).hasKillPolicy()).isFalse();
  }

  @Test
  void aKillWithItsOwnGracePeriodCarriesItAsTheKillsPolicy() {
    assertThat(SchedulerCalls.killCall("t1.1", "a1", Duration.ofMillis(500)))
        .isEqualTo(Call.Kill.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue("t1.1"))
            .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
            .setKillPolicy(Protos.KillPolicy.newBuilder()
                .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(500_000_000L)))
            .build());
    assertThat(SchedulerCalls.killCall("t1.1", null, null)).isEqualTo(Call.Kill.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("t1.1")).build());
  }

  @Test
  void anExecutorLearnsTheFrameworksCapabilitiesFromItsFrameworkInfo() {
    Protos.FrameworkInfo info = Protos.FrameworkInfo.newBuilder().setUser("root").setName("f")
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
            .setType(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
        .addCapabilities(Protos.FrameworkInfo.Capability.newBuilder()
            .setType(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE))
        .build();

    assertThat(V1Conversions.capabilities(info))
        .isEqualTo(Set.of("TASK_KILLING_STATE", "PARTITION_AWARE"));
  }

  // ------------------------------------------------------------------ containers, checks, ports

  private static final Resources TWO_PORTS =
      Resources.parse("cpus:0.5;mem:128;ports:[31005-31005,31002-31002]");

  private static TaskLaunch launchOf(String id, TaskSpec spec, Resources resources) {
    return new TaskLaunch(id, "a1", spec, resources, Resources.empty());
  }

  private static TaskSpec.Builder twoPortTask(String name) {
    return TaskSpec.builder().name(name).resources("cpus:0.5;mem:128;ports:2");
  }

  private static Protos.TaskInfo.Builder taskBase(String id, String name, Resources resources) {
    return Protos.TaskInfo.newBuilder()
        .setName(name)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
        .addAllResources(V1Conversions.resources(resources));
  }

  private static Protos.Environment env(String... nameValues) {
    Protos.Environment.Builder e = Protos.Environment.newBuilder();
    for (int i = 0; i < nameValues.length; i += 2) {
      e.addVariables(Protos.Environment.Variable.newBuilder().setName(nameValues[i])
          .setType(Protos.Environment.Variable.Type.VALUE).setValue(nameValues[i + 1]));
    }
    return e.build();
  }

  private static Protos.Volume sandboxVolume(Protos.Volume.Source.SandboxPath.Type type,
      String path, String containerPath, Protos.Volume.Mode mode) {
    return Protos.Volume.newBuilder().setContainerPath(containerPath).setMode(mode)
        .setSource(Protos.Volume.Source.newBuilder()
            .setType(Protos.Volume.Source.Type.SANDBOX_PATH)
            .setSandboxPath(Protos.Volume.Source.SandboxPath.newBuilder()
                .setType(type).setPath(path)))
        .build();
  }

  @Test
  void aDockerContainerizerTaskMapsContainerPortsToItsOfferedPortsInAscendingOrder() {
    TaskSpec spec = twoPortTask("web").command("nginx -g 'daemon off;'")
        .container(ContainerSpec.builder().dockerEngine("nginx:1.25")
            .network(ContainerSpec.Network.BRIDGE)
            .portMapping(80, 0)
            .portMapping(443, 1)
            .parameter("memory-swap", "-1")
            .forcePull(true)
            .volume(Volume.host("/etc/ssl/certs", "/etc/ssl/certs", Volume.Mode.RO))
            .volume(Volume.sandbox("logs", "/var/log/nginx", Volume.Mode.RW))
            .build())
        .build();

    Protos.TaskInfo task = V1Conversions.taskInfo(launchOf("web.1", spec, TWO_PORTS));

    assertThat(task).isEqualTo(taskBase("web.1", "web", TWO_PORTS)
        .setCommand(Protos.CommandInfo.newBuilder().setShell(true)
            .setValue("nginx -g 'daemon off;'")
            .setEnvironment(env("PORT0", "31002", "PORT1", "31005", "PORTS", "31002,31005")))
        .setContainer(Protos.ContainerInfo.newBuilder()
            .setType(Protos.ContainerInfo.Type.DOCKER)
            .setDocker(Protos.ContainerInfo.DockerInfo.newBuilder()
                .setImage("nginx:1.25")
                .setNetwork(Protos.ContainerInfo.DockerInfo.Network.BRIDGE)
                .addPortMappings(Protos.ContainerInfo.DockerInfo.PortMapping.newBuilder()
                    .setHostPort(31002).setContainerPort(80).setProtocol("tcp"))
                .addPortMappings(Protos.ContainerInfo.DockerInfo.PortMapping.newBuilder()
                    .setHostPort(31005).setContainerPort(443).setProtocol("tcp"))
                .addParameters(Protos.Parameter.newBuilder().setKey("memory-swap")
                    .setValue("-1"))
                .setForcePullImage(true))
            .addVolumes(Protos.Volume.newBuilder().setContainerPath("/etc/ssl/certs")
                .setHostPath("/etc/ssl/certs").setMode(Protos.Volume.Mode.RO))
            .addVolumes(sandboxVolume(Protos.Volume.Source.SandboxPath.Type.SELF, "logs",
                "/var/log/nginx", Protos.Volume.Mode.RW)))
        .build());
  }

  @Test
  void checksOfABridgedDockerTaskProbeTheMappedContainerPortAndOthersTheOfferedPort() {
    TaskSpec bridged = twoPortTask("web").command("nginx")
        .container(ContainerSpec.builder().dockerEngine("nginx:1.25")
            .network(ContainerSpec.Network.BRIDGE).portMapping(80, 0).build())
        .healthCheck(HealthCheck.of(Probe.http("/")))
        .readinessCheck(ReadinessCheck.of(Probe.tcp(CheckPort.assigned(1))))
        .build();
    TaskSpec host = bridged.toBuilder().container(ContainerSpec.docker("nginx:1.25")).build();

    Protos.TaskInfo inBridge = V1Conversions.taskInfo(launchOf("web.1", bridged, TWO_PORTS));
    Protos.TaskInfo onHost = V1Conversions.taskInfo(launchOf("web.1", host, TWO_PORTS));

    assertThat(inBridge.getHealthCheck().getHttp().getPort())
        .as("mapped: the executor probes inside the container").isEqualTo(80);
    assertThat(inBridge.getCheck().getTcp().getPort()).as("not mapped").isEqualTo(31005);
    assertThat(onHost.getHealthCheck().getHttp().getPort()).isEqualTo(31002);
    assertThat(onHost.getCheck().getTcp().getPort()).isEqualTo(31005);
  }

  @Test
  void aDockerContainerizerOnTheHostNetworkDoesNotPullUnlessAsked() {
    Protos.ContainerInfo container =
        ContainerMessages.containerInfo(ContainerSpec.docker("redis:7"), List.of());

    assertThat(container).isEqualTo(Protos.ContainerInfo.newBuilder()
        .setType(Protos.ContainerInfo.Type.DOCKER)
        .setDocker(Protos.ContainerInfo.DockerInfo.newBuilder().setImage("redis:7")
            .setNetwork(Protos.ContainerInfo.DockerInfo.Network.HOST)
            .setForcePullImage(false))
        .build());
  }

  @Test
  void aMesosContainerizerImageIsCachedUnlessForcePulled() {
    assertThat(ContainerMessages.containerInfo(ContainerSpec.image("nginx:1.25"), List.of()))
        .isEqualTo(Protos.ContainerInfo.newBuilder()
            .setType(Protos.ContainerInfo.Type.MESOS)
            .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder()
                .setImage(Protos.Image.newBuilder().setType(Protos.Image.Type.DOCKER)
                    .setDocker(Protos.Image.Docker.newBuilder().setName("nginx:1.25"))
                    .setCached(true)))
            .build());
    assertThat(ContainerMessages.containerInfo(
        ContainerSpec.builder().appcImage("coreos.com/etcd:v3").forcePull(true).build(),
        List.of()))
        .isEqualTo(Protos.ContainerInfo.newBuilder()
            .setType(Protos.ContainerInfo.Type.MESOS)
            .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder()
                .setImage(Protos.Image.newBuilder().setType(Protos.Image.Type.APPC)
                    .setAppc(Protos.Image.Appc.newBuilder().setName("coreos.com/etcd:v3"))
                    .setCached(false)))
            .build());
  }

  @Test
  void aMesosContainerWithoutImageCarriesHostSandboxAndPodSandboxVolumes() {
    ContainerSpec spec = ContainerSpec.builder()
        .volume(Volume.host("/data", "data", Volume.Mode.RW))
        .volume(Volume.sandbox("cache", "tmp/cache", Volume.Mode.RO))
        .volume(Volume.podSandbox("shared", "shared", Volume.Mode.RW))
        .build();

    assertThat(ContainerMessages.containerInfo(spec, List.of()))
        .isEqualTo(Protos.ContainerInfo.newBuilder()
            .setType(Protos.ContainerInfo.Type.MESOS)
            .addVolumes(Protos.Volume.newBuilder().setContainerPath("data").setHostPath("/data")
                .setMode(Protos.Volume.Mode.RW))
            .addVolumes(sandboxVolume(Protos.Volume.Source.SandboxPath.Type.SELF, "cache",
                "tmp/cache", Protos.Volume.Mode.RO))
            .addVolumes(sandboxVolume(Protos.Volume.Source.SandboxPath.Type.PARENT, "shared",
                "shared", Protos.Volume.Mode.RW))
            .build());
  }

  @Test
  void aTaskWithAnImageAndNoCommandRunsTheEntrypointWithoutShellOrValue() {
    Resources res = Resources.parse("cpus:0.1;mem:32");
    TaskSpec spec = TaskSpec.builder().name("entry").resources("cpus:0.1;mem:32")
        .container(ContainerSpec.image("busybox:1.36")).env("MODE", "batch").build();

    Protos.TaskInfo task = V1Conversions.taskInfo(launchOf("entry.1", spec, res));

    assertThat(task).isEqualTo(taskBase("entry.1", "entry", res)
        .setCommand(Protos.CommandInfo.newBuilder().setShell(false)
            .setEnvironment(env("MODE", "batch")))
        .setContainer(ContainerMessages.containerInfo(ContainerSpec.image("busybox:1.36"),
            List.of()))
        .build());
    assertThat(task.getCommand().hasValue()).isFalse();
  }

  @Test
  void anEntrypointTaskWithoutEnvOrPortsHasNoEnvironment() {
    TaskSpec spec = TaskSpec.builder().name("entry").resources("cpus:0.1;mem:32")
        .container(ContainerSpec.docker("busybox:1.36")).build();

    assertThat(V1Conversions.taskInfo(launchOf("entry.1", spec, Resources.parse("cpus:0.1")))
        .getCommand()).isEqualTo(Protos.CommandInfo.newBuilder().setShell(false).build());
  }

  @Test
  void aCommandTaskHoldingPortsGetsPortVariablesThatItsOwnEnvOverrides() {
    TaskSpec spec = twoPortTask("srv").command("serve").env("PORT1", "8080").env("X", "y")
        .build();

    Protos.TaskInfo task = V1Conversions.taskInfo(launchOf("srv.1", spec, TWO_PORTS));

    assertThat(task.getCommand()).isEqualTo(Protos.CommandInfo.newBuilder().setShell(true)
        .setValue("serve")
        .setEnvironment(env("PORT0", "31002", "PORT1", "8080", "PORTS", "31002,31005",
            "X", "y"))
        .build());
  }

  @Test
  void aTaskWithoutPortsGetsNoPortVariables() {
    assertThat(V1Conversions.portEnv(List.of())).isEmpty();
    assertThat(V1Conversions.portEnv(List.of(31000L)))
        .containsExactly(Map.entry("PORT0", "31000"), Map.entry("PORTS", "31000"));
  }

  @Test
  void anExecutorTaskGetsItsPortVariablesAsEnvLabelsAndTheExecutorItsContainer() {
    ExecutorSpec exec = ExecutorSpec.of("exec-1", CommandSpec.shell("./executor"))
        .container(ContainerSpec.image("openjdk:17"));
    TaskSpec spec = TaskSpec.builder().name("work").resources("cpus:0.1;mem:32;ports:1")
        .executor(exec).env("A", "b").build();
    Resources res = Resources.parse("cpus:0.1;mem:32;ports:[31007-31007]");
    Resources execRes = Resources.parse("cpus:0.1;mem:32");

    Protos.TaskInfo task = V1Conversions.taskInfo(
        new TaskLaunch("work.1", "a1", spec, res, execRes));

    assertThat(task).isEqualTo(taskBase("work.1", "work", res)
        .setExecutor(Protos.ExecutorInfo.newBuilder()
            .setType(Protos.ExecutorInfo.Type.CUSTOM)
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue("exec-1"))
            .setName(exec.name())
            .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue("./executor"))
            .addAllResources(V1Conversions.resources(execRes))
            .setContainer(ContainerMessages.containerInfo(ContainerSpec.image("openjdk:17"),
                List.of())))
        .setLabels(Protos.Labels.newBuilder()
            .addLabels(Protos.Label.newBuilder().setKey("mesoskit.env.PORT0").setValue("31007"))
            .addLabels(Protos.Label.newBuilder().setKey("mesoskit.env.PORTS").setValue("31007"))
            .addLabels(Protos.Label.newBuilder().setKey("mesoskit.env.A").setValue("b")))
        .build());
  }

  @Test
  void anHttpHealthCheckAsksTheTasksAssignedPortWithItsSchemeAndTimings() {
    TaskSpec spec = twoPortTask("hc").command("serve")
        .healthCheck(HealthCheck.builder(Probe.http(CheckPort.assigned(1), "/healthz"))
            .delay(Duration.ofMillis(1500)).interval(Duration.ofSeconds(2))
            .timeout(Duration.ofSeconds(3)).gracePeriod(Duration.ofSeconds(4))
            .consecutiveFailures(5).build())
        .build();

    Protos.TaskInfo task = V1Conversions.taskInfo(launchOf("hc.1", spec, TWO_PORTS));

    assertThat(task.getHealthCheck()).isEqualTo(Protos.HealthCheck.newBuilder()
        .setType(Protos.HealthCheck.Type.HTTP)
        .setHttp(Protos.HealthCheck.HTTPCheckInfo.newBuilder().setPort(31005)
            .setPath("/healthz").setScheme("http"))
        .setDelaySeconds(1.5).setIntervalSeconds(2).setTimeoutSeconds(3)
        .setGracePeriodSeconds(4).setConsecutiveFailures(5)
        .build());
  }

  @Test
  void anHttpsHealthCheckOnAFixedPortSaysHttps() {
    HealthCheck check = HealthCheck.of(new Probe.Http(CheckPort.fixed(8443), "/", true));

    assertThat(CheckMessages.healthCheck(check, List.of()))
        .isEqualTo(Protos.HealthCheck.newBuilder()
            .setType(Protos.HealthCheck.Type.HTTP)
            .setHttp(Protos.HealthCheck.HTTPCheckInfo.newBuilder().setPort(8443).setPath("/")
                .setScheme("https"))
            .setDelaySeconds(15).setIntervalSeconds(10).setTimeoutSeconds(20)
            .setGracePeriodSeconds(10).setConsecutiveFailures(3)
            .build());
  }

  @Test
  void tcpAndCommandHealthChecksCarryTheirPortAndCommand() {
    assertThat(CheckMessages.healthCheck(HealthCheck.of(Probe.tcp()), List.of(31002L, 31005L)))
        .isEqualTo(Protos.HealthCheck.newBuilder()
            .setType(Protos.HealthCheck.Type.TCP)
            .setTcp(Protos.HealthCheck.TCPCheckInfo.newBuilder().setPort(31002))
            .setDelaySeconds(15).setIntervalSeconds(10).setTimeoutSeconds(20)
            .setGracePeriodSeconds(10).setConsecutiveFailures(3)
            .build());
    Probe command = new Probe.Command(CommandSpec.builder().shell("test -f ready")
        .uri(FetchUri.of("http://example.com/x.tgz")).build());
    assertThat(CheckMessages.healthCheck(HealthCheck.of(command), List.of()))
        .isEqualTo(Protos.HealthCheck.newBuilder()
            .setType(Protos.HealthCheck.Type.COMMAND)
            .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue("test -f ready"))
            .setDelaySeconds(15).setIntervalSeconds(10).setTimeoutSeconds(20)
            .setGracePeriodSeconds(10).setConsecutiveFailures(3)
            .build());
  }

  @Test
  void aHealthCheckOnAPortTheTaskDoesNotHoldFails() {
    assertThatThrownBy(() -> CheckMessages.healthCheck(
        HealthCheck.of(Probe.tcp(CheckPort.assigned(2))), List.of(31002L, 31005L)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a check asks the task's port #2 but the task holds 2 port(s):"
            + " [31002, 31005]");
  }

  @Test
  void readinessChecksOfEveryKindAreCheckInfos() {
    TaskSpec spec = twoPortTask("ready").command("serve")
        .readinessCheck(ReadinessCheck.of(Probe.http(CheckPort.assigned(1), "/ready"))
            .delay(Duration.ZERO).interval(Duration.ofSeconds(1))
            .timeout(Duration.ofMillis(500)))
        .build();

    assertThat(V1Conversions.taskInfo(launchOf("ready.1", spec, TWO_PORTS)).getCheck())
        .isEqualTo(Protos.CheckInfo.newBuilder()
            .setType(Protos.CheckInfo.Type.HTTP)
            .setHttp(Protos.CheckInfo.Http.newBuilder().setPort(31005).setPath("/ready"))
            .setDelaySeconds(0).setIntervalSeconds(1).setTimeoutSeconds(0.5)
            .build());
    assertThat(CheckMessages.checkInfo(ReadinessCheck.of(Probe.tcp(CheckPort.fixed(9000))),
        List.of()))
        .isEqualTo(Protos.CheckInfo.newBuilder()
            .setType(Protos.CheckInfo.Type.TCP)
            .setTcp(Protos.CheckInfo.Tcp.newBuilder().setPort(9000))
            .setDelaySeconds(15).setIntervalSeconds(10).setTimeoutSeconds(20)
            .build());
    assertThat(CheckMessages.checkInfo(
        ReadinessCheck.of(Probe.command("test -f \"$MESOS_SANDBOX/ready\"")), List.of()))
        .isEqualTo(Protos.CheckInfo.newBuilder()
            .setType(Protos.CheckInfo.Type.COMMAND)
            .setCommand(Protos.CheckInfo.Command.newBuilder()
                .setCommand(Protos.CommandInfo.newBuilder().setShell(true)
                    .setValue("test -f \"$MESOS_SANDBOX/ready\"")))
            .setDelaySeconds(15).setIntervalSeconds(10).setTimeoutSeconds(20)
            .build());
  }

  @Test
  void anHttpsReadinessCheckIsRefusedBecauseCheckInfoHasNoScheme() {
    assertThatThrownBy(() -> CheckMessages.checkInfo(
        ReadinessCheck.of(new Probe.Http(CheckPort.fixed(443), "/", true)), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a readiness check's HTTP probe must use http but asked for https: Mesos'"
            + " CheckInfo has no scheme (a HealthCheck has)");
  }

  // ------------------------------------------------------------------ status checks

  private static Protos.TaskStatus.Builder running() {
    return Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue("t1.1"))
        .setState(Protos.TaskState.TASK_RUNNING);
  }

  @Test
  void anUpdatesHealthIsReadAndWritten() {
    TaskStatus healthy = V1Conversions.taskStatus(running().setHealthy(true).build());
    TaskStatus unhealthy = V1Conversions.taskStatus(running().setHealthy(false).build());

    assertThat(healthy.healthy()).contains(true);
    assertThat(unhealthy.healthy()).contains(false);
    assertThat(V1Conversions.taskStatus(running().build()).healthy()).isEmpty();
    assertThat(V1Conversions.taskStatusMessage(healthy).getHealthy()).isTrue();
    assertThat(V1Conversions.taskStatusMessage(unhealthy).hasHealthy()).isTrue();
    assertThat(V1Conversions.taskStatusMessage(unhealthy).getHealthy()).isFalse();
    assertThat(V1Conversions.taskStatusMessage(
        V1Conversions.taskStatus(running().build())).hasHealthy()).isFalse();
  }

  @Test
  void anEmptyCommandCheckStatusIsAPendingResult() {
    Protos.CheckStatusInfo empty = Protos.CheckStatusInfo.newBuilder()
        .setType(Protos.CheckInfo.Type.COMMAND)
        .setCommand(Protos.CheckStatusInfo.Command.newBuilder())
        .build();

    TaskStatus status = V1Conversions.taskStatus(running().setCheckStatus(empty).build());

    assertThat(status.checkStatus()).contains(CheckResult.pending(Probe.Kind.COMMAND));
    assertThat(V1Conversions.taskStatusMessage(status).getCheckStatus()).isEqualTo(empty);
  }

  @Test
  void checkStatusesOfEveryKindAreReadAndWrittenExactly() {
    Protos.CheckStatusInfo exit = Protos.CheckStatusInfo.newBuilder()
        .setType(Protos.CheckInfo.Type.COMMAND)
        .setCommand(Protos.CheckStatusInfo.Command.newBuilder().setExitCode(1)).build();
    Protos.CheckStatusInfo http = Protos.CheckStatusInfo.newBuilder()
        .setType(Protos.CheckInfo.Type.HTTP)
        .setHttp(Protos.CheckStatusInfo.Http.newBuilder().setStatusCode(503)).build();
    Protos.CheckStatusInfo tcp = Protos.CheckStatusInfo.newBuilder()
        .setType(Protos.CheckInfo.Type.TCP)
        .setTcp(Protos.CheckStatusInfo.Tcp.newBuilder().setSucceeded(true)).build();
    Protos.CheckStatusInfo httpPending = Protos.CheckStatusInfo.newBuilder()
        .setType(Protos.CheckInfo.Type.HTTP)
        .setHttp(Protos.CheckStatusInfo.Http.newBuilder()).build();

    assertThat(CheckMessages.checkResult(exit)).contains(CheckResult.exitCode(1));
    assertThat(CheckMessages.checkResult(http)).contains(CheckResult.statusCode(503));
    assertThat(CheckMessages.checkResult(tcp)).contains(CheckResult.tcp(true));
    assertThat(CheckMessages.checkResult(httpPending))
        .contains(CheckResult.pending(Probe.Kind.HTTP));
    assertThat(CheckMessages.checkResult(Protos.CheckStatusInfo.getDefaultInstance())).isEmpty();
    for (Protos.CheckStatusInfo s : List.of(exit, http, tcp, httpPending)) {
      TaskStatus status = V1Conversions.taskStatus(running().setCheckStatus(s).build());
      assertThat(V1Conversions.taskStatusMessage(status).getCheckStatus()).isEqualTo(s);
    }
  }

  // ------------------------------------------------------------------ launched tasks

  @Test
  void aLaunchedTaskReadsItsChecksBackWithTheirPortsFixed() {
    HealthCheck health = HealthCheck.builder(Probe.http(CheckPort.assigned(1), "/healthz"))
        .delay(Duration.ofSeconds(1)).interval(Duration.ofSeconds(2))
        .timeout(Duration.ofMillis(2500)).gracePeriod(Duration.ZERO).consecutiveFailures(4)
        .build();
    ReadinessCheck ready = ReadinessCheck.of(Probe.tcp()).interval(Duration.ofSeconds(1));
    TaskSpec spec = twoPortTask("rt").command("serve").healthCheck(health)
        .readinessCheck(ready).build();

    LaunchedTask launched = V1Conversions.launchedTask(
        V1Conversions.taskInfo(launchOf("rt.1", spec, TWO_PORTS)), "fw-1", "rt.1");

    assertThat(launched.healthCheck()).contains(new HealthCheck(
        new Probe.Http(CheckPort.fixed(31005), "/healthz", false), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofMillis(2500), Duration.ZERO, 4));
    assertThat(launched.readinessCheck()).contains(new ReadinessCheck(
        new Probe.Tcp(CheckPort.fixed(31002)), Duration.ofSeconds(15), Duration.ofSeconds(1),
        Duration.ofSeconds(20)));
  }

  @Test
  void aLaunchedTaskReadsHttpsAndCommandChecks() {
    Protos.TaskInfo task = Protos.TaskInfo.newBuilder()
        .setName("x").setTaskId(Protos.TaskID.newBuilder().setValue("x.1"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
        .setHealthCheck(CheckMessages.healthCheck(
            HealthCheck.of(new Probe.Http(CheckPort.fixed(8443), "/", true)), List.of()))
        .setCheck(CheckMessages.checkInfo(ReadinessCheck.of(Probe.command("test -f ready")),
            List.of()))
        .build();

    LaunchedTask launched = V1Conversions.launchedTask(task, "fw-1", "e1");

    assertThat(launched.healthCheck())
        .contains(HealthCheck.of(new Probe.Http(CheckPort.fixed(8443), "/", true)));
    assertThat(launched.readinessCheck())
        .contains(ReadinessCheck.of(Probe.command("test -f ready")));
  }

  @Test
  void aLaunchedTaskWithoutChecksOrWithAnUnknownCheckHasNone() {
    Protos.TaskInfo task = Protos.TaskInfo.newBuilder()
        .setName("x").setTaskId(Protos.TaskID.newBuilder().setValue("x.1"))
        .setAgentId(Protos.AgentID.newBuilder().setValue("a1"))
        .build();

    assertThat(V1Conversions.launchedTask(task, "fw-1", "e1").healthCheck()).isEmpty();
    assertThat(V1Conversions.launchedTask(task.toBuilder()
        .setCheck(Protos.CheckInfo.newBuilder().setType(Protos.CheckInfo.Type.UNKNOWN))
        .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.HTTP))
        .build(), "fw-1", "e1"))
        .satisfies(t -> {
          assertThat(t.healthCheck()).isEmpty();
          assertThat(t.readinessCheck()).isEmpty();
        });
  }

  // ------------------------------------------------------------------ framework

  @Test
  void aFrameworkSubscribesWithEveryRoleAndPassesGpuAndRegionCapabilitiesThrough() {
    FrameworkInfo info = new FrameworkInfo("f", "root", List.of("web", "batch", "*"),
        Optional.empty(), Optional.empty(), Duration.ofDays(1), Optional.empty(),
        Optional.empty(), Set.of("GPU_RESOURCES", "REGION_AWARE", "PARTITION_AWARE"));

    Protos.FrameworkInfo wire = V1Conversions.frameworkInfo(info);

    assertThat(wire.getRolesList()).containsExactly("web", "batch", "*");
    assertThat(wire.hasRole()).isFalse();
    assertThat(wire.getCapabilitiesList()).extracting(c -> c.getType().name())
        .containsExactly("GPU_RESOURCES", "MULTI_ROLE", "PARTITION_AWARE", "REGION_AWARE",
            "TASK_KILLING_STATE");
  }

  // ------------------------------------------------------------------ task groups

  static TaskGroupLaunch pod() {
    Resources webRes = Resources.parse("cpus:0.5;mem:256;ports:[31000-31000]");
    Resources writerRes = Resources.parse("cpus:0.1;mem:32");
    TaskSpec web = TaskSpec.builder().name("web").resources("cpus:0.5;mem:256;ports:1")
        .command("python3 -m http.server $PORT0 --directory shared")
        .container(ContainerSpec.builder()
            .volume(Volume.sandbox("cache", "cache", Volume.Mode.RW)).build())
        .build();
    TaskSpec writer = TaskSpec.builder().name("writer").resources("cpus:0.1;mem:32")
        .command("while true; do date > shared/index.html; sleep 1; done").build();
    return new TaskGroupLaunch("pod-exec.1", "web-and-writer",
        Resources.parse("cpus:0.1;mem:32;disk:10"), List.of("shared"),
        List.of(new TaskLaunch("web.1", "a1", web, webRes, Resources.empty()),
            new TaskLaunch("writer.1", "a1", writer, writerRes, Resources.empty())));
  }

  @Test
  void aTaskGroupIsOneLaunchGroupOnTheDefaultExecutorWithTheSharedVolumesInEveryTask() {
    TaskGroupLaunch group = pod();

    Protos.Offer.Operation op = V1Conversions.launchGroup(group, "fw-1");

    Protos.Volume shared = sandboxVolume(Protos.Volume.Source.SandboxPath.Type.PARENT,
        "shared", "shared", Protos.Volume.Mode.RW);
    assertThat(op).isEqualTo(Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
        .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder()
            .setExecutor(Protos.ExecutorInfo.newBuilder()
                .setType(Protos.ExecutorInfo.Type.DEFAULT)
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue("pod-exec.1"))
                .setName("web-and-writer")
                .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
                .addAllResources(V1Conversions.resources(
                    Resources.parse("cpus:0.1;mem:32;disk:10"))))
            .setTaskGroup(Protos.TaskGroupInfo.newBuilder()
                .addTasks(taskBase("web.1", "web", group.tasks().get(0).resources())
                    .setCommand(Protos.CommandInfo.newBuilder().setShell(true)
                        .setValue("python3 -m http.server $PORT0 --directory shared")
                        .setEnvironment(env("PORT0", "31000", "PORTS", "31000")))
                    .setContainer(Protos.ContainerInfo.newBuilder()
                        .setType(Protos.ContainerInfo.Type.MESOS)
                        .addVolumes(sandboxVolume(Protos.Volume.Source.SandboxPath.Type.SELF,
                            "cache", "cache", Protos.Volume.Mode.RW))
                        .addVolumes(shared)))
                .addTasks(taskBase("writer.1", "writer", group.tasks().get(1).resources())
                    .setCommand(Protos.CommandInfo.newBuilder().setShell(true)
                        .setValue("while true; do date > shared/index.html; sleep 1; done"))
                    .setContainer(Protos.ContainerInfo.newBuilder()
                        .setType(Protos.ContainerInfo.Type.MESOS)
                        .addVolumes(shared)))))
        .build());
  }

  @Test
  void aTaskGroupWithoutSharedVolumesLeavesItsTasksContainersAlone() {
    TaskGroupLaunch group = pod();
    TaskGroupLaunch plain = new TaskGroupLaunch(group.executorId(), group.executorName(),
        group.executorResources(), List.of(), group.tasks());

    Protos.TaskGroupInfo tasks = V1Conversions.launchGroup(plain, "fw-1").getLaunchGroup()
        .getTaskGroup();

    assertThat(tasks.getTasks(0).getContainer().getVolumesCount()).isEqualTo(1);
    assertThat(tasks.getTasks(1).hasContainer()).isFalse();
  }

  @Test
  void aTaskGroupRefusesATaskThatNamesAnExecutor() {
    TaskSpec exec = TaskSpec.builder().name("e").resources("cpus:0.1;mem:32")
        .executor(ExecutorSpec.of("custom", CommandSpec.shell("./run"))).build();
    TaskGroupLaunch group = new TaskGroupLaunch("pod.1", "pod", Resources.empty(), List.of(),
        List.of(new TaskLaunch("e.1", "a1", exec, Resources.empty(), Resources.empty())));

    assertThatThrownBy(() -> V1Conversions.launchGroup(group, "fw-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task e.1 of task group pod.1 names executor custom but the tasks of a group"
            + " run on Mesos' default executor");
  }
}
