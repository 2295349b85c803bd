package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class IsolatedNetworkTest {

  @Test
  void takesTheFirstSubnetNoAddressOrRouteOverlaps() {
    assertThat(IsolatedNetwork.freeSubnet(List.of(
        "4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0",
        "default via 192.0.2.1 dev eth0",
        "10.213.0.0/24 dev mk12345-br proto kernel scope link src 10.213.0.1",
        "10.213.1.0/24")))
        .hasValue("10.213.2");
  }

  @Test
  void aWiderRouteOverTheRangeLeavesNoSubnet() {
    assertThat(IsolatedNetwork.freeSubnet(List.of("10.0.0.0/8 via 192.0.2.1 dev eth0")))
        .isEmpty();
  }

  @Test
  void defaultRoutesDoNotCount() {
    assertThat(IsolatedNetwork.freeSubnet(List.of("0.0.0.0/0 via 192.0.2.1", "default")))
        .hasValue("10.213.0");
  }

  @Test
  void namesTheCapabilitiesThatAreMissing() {
    assertThat(IsolatedNetwork.missingCapabilities("000001ffffffffff")).isEmpty();
    assertThat(IsolatedNetwork.missingCapabilities("0000000000000000"))
        .containsExactly("CAP_NET_ADMIN", "CAP_SYS_ADMIN");
    assertThat(IsolatedNetwork.missingCapabilities("0000000000001000"))
        .containsExactly("CAP_SYS_ADMIN");
    assertThat(IsolatedNetwork.capabilitiesMessage(List.of("CAP_NET_ADMIN", "CAP_SYS_ADMIN")))
        .isEqualTo("isolatedNetwork needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run as root) to create"
            + " network namespaces, a bridge and veth pairs, but this process lacks CAP_NET_ADMIN,"
            + " CAP_SYS_ADMIN");
  }

  @Test
  void findsTheLinksOfAPrefixInIpOutput() {
    assertThat(IsolatedNetwork.linksOf("mkab123", List.of(
        "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN",
        "7: mkab123-br: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500",
        "9: mkab123-h1@if8: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 master mkab123-br",
        "11: mkab1234-h1@if10: <BROADCAST> mtu 1500")))
        .containsExactly("mkab123-br", "mkab123-h1");
  }

  @Test
  void curlsErrorLosesItsPrefixAndTiming() {
    assertThat(AgentNetwork.curlMessage("curl: (7) Failed to connect to 127.0.0.1 port 8080 after"
        + " 0 ms: Couldn't connect to server\n"))
        .isEqualTo("Failed to connect to 127.0.0.1 port 8080: Couldn't connect to server");
  }

  @Test
  void theDefaultPlacementWrapsNothing() {
    assertThat(AgentNetwork.HOST.wrap(List.of("/bin/sh", "-c", "true")))
        .containsExactly("/bin/sh", "-c", "true");
    assertThat(AgentNetwork.HOST.bindHost()).isEqualTo("127.0.0.1");
    assertThat(AgentNetwork.HOST.isolated()).isFalse();
  }

  @Test
  void aStateFileIsOwnedOnlyByTheLiveProcessThatStartedWhenItSays() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/stat")), "no /proc here");
    ProcessHandle self = ProcessHandle.current();
    String started = IsolatedNetwork.startTicks(self.pid()).orElseThrow();
    assertThat(started).matches("[0-9]+");
    assertThat(IsolatedNetwork.owned(state(self.pid(), started))).isTrue();
    // the pid reused by another process: a different start time
    String other = Long.toString(Long.parseLong(started) + 1);
    assertThat(IsolatedNetwork.owned(state(self.pid(), other))).isFalse();
    assertThat(IsolatedNetwork.owned(state(self.pid(), ""))).isFalse();
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    assertThat(IsolatedNetwork.owned(state(gone.pid(), started))).isFalse();
    assertThat(IsolatedNetwork.owned(state(-1, started))).isFalse();
  }

  private static Properties state(long pid, String started) {
    Properties state = new Properties();
    state.setProperty("pid", Long.toString(pid));
    state.setProperty("started", started);
    return state;
  }

  @Test
  void aClusterOnAnIsolatedNetworkTakesNoHost() {
    assertThatThrownBy(() -> LocalCluster.builder().isolatedNetwork(true).host("0.0.0.0").start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("host must not be set with isolatedNetwork: the master listens on the"
            + " isolated network's bridge, but host was '0.0.0.0'");
  }
}
