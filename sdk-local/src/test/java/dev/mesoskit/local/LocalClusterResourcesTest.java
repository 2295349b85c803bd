package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An agent's resources are refused before anything starts when a Mesos agent would refuse them. */
class LocalClusterResourcesTest {

  @Test
  void refusesAResourceNameWithTwoTypesAsAMesosAgentDoes() {
    assertThatThrownBy(() -> LocalCluster.builder()
        .agentResources("cpus:1;mem:256;licenses:4;licenses(prod):{a}").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agentResources must give resource 'licenses' one type (a Mesos agent"
            + " refuses resources with the same name but different types) but was"
            + " 'cpus:1;mem:256;licenses:4;licenses(prod):{a}'");
    assertThatThrownBy(() -> LocalCluster.builder().agentResources(2, "cpus:1;zones:{a};zones:2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("agentResources(2) must give resource 'zones' one type (a Mesos agent"
            + " refuses resources with the same name but different types) but was"
            + " 'cpus:1;zones:{a};zones:2'");
  }
}
