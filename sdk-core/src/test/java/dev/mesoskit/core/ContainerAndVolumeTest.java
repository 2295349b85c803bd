package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Containers and volumes refuse combinations Mesos refuses, with exact messages. */
class ContainerAndVolumeTest {

  @Test
  void anImageNameMustBeNonBlankWithoutWhiteSpace() {
    assertThatThrownBy(() -> ContainerSpec.image("my image"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an image name must be non-blank without white space but was 'my image'");
    assertThatThrownBy(() -> ContainerSpec.image(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an image name must be non-blank without white space but was ' '");
  }

  @Test
  void theDockerContainerizerNeedsADockerImage() {
    assertThatThrownBy(() -> new ContainerSpec(ContainerSpec.Type.DOCKER, Optional.empty(),
        ContainerSpec.Network.HOST, List.of(), List.of(), false, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the Docker containerizer needs a Docker image but had none");
  }

  @Test
  void mesosContainerizerRunsOnTheHostNetwork() {
    assertThatThrownBy(() -> ContainerSpec.builder().image("nginx")
        .network(ContainerSpec.Network.BRIDGE).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("network BRIDGE is a Docker containerizer mode; Mesos' containerizer runs on"
            + " the host's network here");
  }

  @Test
  void dockerParametersNeedTheDockerContainerizer() {
    assertThatThrownBy(() -> ContainerSpec.builder().image("nginx").parameter("memory", "1g")
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("docker parameters need the Docker containerizer but had"
            + " [Parameter[key=memory, value=1g]]");
  }

  @Test
  void aDockerParameterKeyHasNoLeadingDashes() {
    assertThatThrownBy(() -> ContainerSpec.builder().dockerEngine("nginx")
        .parameter("--memory", "1g"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a docker parameter's key must be non-blank without leading dashes but was"
            + " '--memory'");
  }

  @Test
  void portMappingsNeedTheBridgeNetwork() {
    assertThatThrownBy(() -> ContainerSpec.builder().dockerEngine("nginx").portMapping(80, 0)
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("port mappings need the Docker containerizer's BRIDGE network but the network"
            + " was HOST");
  }

  @Test
  void aPortMappingChecksItsPortIndexAndProtocol() {
    assertThatThrownBy(() -> new ContainerSpec.PortMapping(0, 0, "tcp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("containerPort must be 1 to 65535 but was 0");
    assertThatThrownBy(() -> new ContainerSpec.PortMapping(80, -1, "tcp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("taskPortIndex must be >= 0 but was -1");
    assertThatThrownBy(() -> new ContainerSpec.PortMapping(80, 0, "sctp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("protocol must be 'tcp' or 'udp' but was 'sctp'");
  }

  @Test
  void forcePullNeedsAnImage() {
    assertThatThrownBy(() -> ContainerSpec.builder().forcePull(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("forcePull needs an image");
  }

  @Test
  void aValidDockerContainerKeepsItsSettings() {
    ContainerSpec c = ContainerSpec.builder().dockerEngine("nginx:1.25")
        .network(ContainerSpec.Network.BRIDGE).portMapping(80, 0).parameter("memory", "1g")
        .forcePull(true).build();

    assertThat(c.type()).isEqualTo(ContainerSpec.Type.DOCKER);
    assertThat(c.portMappings()).containsExactly(new ContainerSpec.PortMapping(80, 0, "tcp"));
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void aVolumeNeedsBothPaths() {
    assertThatThrownBy(() -> Volume.host(" ", "/data", Volume.Mode.RO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a volume's source path must not be blank but was ' '");
    assertThatThrownBy(() -> Volume.host("/srv", "", Volume.Mode.RO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a volume's container path must not be blank but was ''");
  }

  @Test
  void aHostVolumesPathIsAbsolute() {
    assertThatThrownBy(() -> Volume.host("srv/data", "/data", Volume.Mode.RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a host volume's path must be absolute but was 'srv/data'");
  }

  @Test
  void aSandboxVolumesPathStaysInTheSandbox() {
    assertThatThrownBy(() -> Volume.sandbox("/tmp", "/data", Volume.Mode.RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a sandbox volume's path must be relative to the sandbox and not contain"
            + " '..' but was '/tmp'");
    assertThatThrownBy(() -> Volume.podSandbox("shared/../..", "/data", Volume.Mode.RW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a sandbox volume's path must be relative to the sandbox and not contain"
            + " '..' but was 'shared/../..'");
  }

  @Test
  void aVolumesContainerPathHasNoDotDot() {
    assertThatThrownBy(() -> Volume.host("/srv", "/data/../etc", Volume.Mode.RO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a volume's container path must not contain '..' but was '/data/../etc'");
  }
}
