package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A task spec checks its container, checks and role against its own resources. */
class TaskSpecChecksTest {

  private static TaskSpec.Builder web(String resources) {
    return TaskSpec.builder().name("web").resources(resources).command("serve");
  }

  @Test
  void aTaskWithoutCommandOrExecutorNeedsAnImageToRunItsEntrypoint() {
    assertThatThrownBy(() -> TaskSpec.builder().name("web").resources("cpus:1;mem:64").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a task must have exactly one of command or executor (or neither, to run its"
            + " container image's entrypoint) but had neither");
    assertThatThrownBy(() -> TaskSpec.builder().name("web").resources("cpus:1;mem:64")
        .container(ContainerSpec.builder().build()).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a task must have exactly one of command or executor (or neither, to run its"
            + " container image's entrypoint) but had neither");

    TaskSpec entrypoint = TaskSpec.builder().name("web").resources("cpus:1;mem:64")
        .container(ContainerSpec.image("nginx")).build();
    assertThat(entrypoint.command()).isEmpty();
  }

  @Test
  void aHealthCheckMayNotAskForAPortBeyondTheTasks() {
    assertThatThrownBy(() -> web("cpus:1;mem:64;ports:1")
        .healthCheck(HealthCheck.of(Probe.http(CheckPort.assigned(1), "/"))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("healthCheck asks the task's port #1 but the task asks for 1 port(s); add"
            + " ports to its resources (e.g. ports:1) or use CheckPort.fixed");
  }

  @Test
  void aReadinessCheckMayNotAskForAPortOfATaskWithoutPorts() {
    assertThatThrownBy(() -> web("cpus:1;mem:64")
        .readinessCheck(ReadinessCheck.of(Probe.tcp())).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("readinessCheck asks the task's port #0 but the task asks for 0 port(s); add"
            + " ports to its resources (e.g. ports:1) or use CheckPort.fixed");
  }

  @Test
  void checksOnFixedPortsOrCommandsNeedNoTaskPorts() {
    TaskSpec spec = web("cpus:1;mem:64")
        .healthCheck(HealthCheck.of(Probe.tcp(CheckPort.fixed(8080))))
        .readinessCheck(ReadinessCheck.of(Probe.command("test -f /tmp/ready"))).build();

    assertThat(spec.healthCheck()).isPresent();
    assertThat(spec.readinessCheck()).isPresent();
  }

  @Test
  void aPortMappingMayNotUseAPortBeyondTheTasks() {
    ContainerSpec bridge = ContainerSpec.builder().dockerEngine("nginx")
        .network(ContainerSpec.Network.BRIDGE).portMapping(80, 2).build();

    assertThatThrownBy(() -> web("cpus:1;mem:64;ports:2").container(bridge).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a port mapping uses the task's port #2 but the task asks for 2 port(s)");
  }

  @Test
  void aRoleIsNonBlankWithoutWhiteSpace() {
    assertThatThrownBy(() -> web("cpus:1;mem:64").role("my role").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role must be non-blank without white space but was 'my role'");
    assertThatThrownBy(() -> web("cpus:1;mem:64").role(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role must be non-blank without white space but was ' '");
    assertThat(web("cpus:1;mem:64").role("web").build().role()).contains("web");
  }
}
