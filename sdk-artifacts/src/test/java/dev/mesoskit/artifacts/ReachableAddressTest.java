package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.MesosKitException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReachableAddressTest {

  /**
   * An IPv4 address of an interface of this machine that is up and not loopback, nor the bridge
   * of an isolated LocalCluster ({@code mk...-br}), which a test running at the same time may
   * remove before the route to it is looked up.
   */
  private static Optional<String> ownAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback() && !nic.getName().matches("mk[0-9a-f]{5}-.*")) {
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
          if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void theAddressTowardAMasterIsTheSourceAddressOfTheRouteToIt() throws Exception {
    Optional<String> own = ownAddress();
    Assumptions.assumeTrue(own.isPresent(), "no non-loopback IPv4 interface here");
    assertThat(ReachableAddress.toward(MasterAddress.parse(own.get() + ":5050"))).isEqualTo(own);
    assertThat(ReachableAddress.toward(MasterAddress.parse("zk://" + own.get() + ":2181/mesos")))
        .isEqualTo(own);
  }

  @Test
  void noAddressForTheEmbeddedMasterALoopbackMasterOrOneThatDoesNotResolve() {
    assertThat(ReachableAddress.toward(MasterAddress.parse("local"))).isEmpty();
    assertThat(ReachableAddress.toward(MasterAddress.parse("127.0.0.1:5050"))).isEmpty();
    assertThat(ReachableAddress.toward(MasterAddress.parse("no-such-master.invalid:5050")))
        .isEmpty();
  }

  @Test
  void aServerForAMasterElsewhereAdvertisesTheAddressOnTheRouteToIt(@TempDir Path dir)
      throws Exception {
    Optional<String> own = ownAddress();
    Assumptions.assumeTrue(own.isPresent(), "no non-loopback IPv4 interface here");
    MasterAddress master = MasterAddress.parse(own.get() + ":5050");
    try (ArtifactServer server = ArtifactServer.builder().directory(dir)
        .bindAddressFor(master).advertisedHostFor(master).build().start()) {
      assertThat(server.baseUri().getHost()).isEqualTo(own.get());
    }
  }

  @Test
  void anExplicitAdvertisedHostWinsOverTheRoute(@TempDir Path dir) throws Exception {
    Optional<String> own = ownAddress();
    Assumptions.assumeTrue(own.isPresent(), "no non-loopback IPv4 interface here");
    try (ArtifactServer server = ArtifactServer.builder().directory(dir)
        .advertisedHost("127.0.0.1")
        .advertisedHostFor(MasterAddress.parse(own.get() + ":5050")).build().start()) {
      assertThat(server.baseUri().getHost()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void aZooKeeperOnLoopbackIsAMasterOnThisMachine() {
    assertThat(ReachableAddress.onLoopback(MasterAddress.parse("zk://127.0.0.1:2181/mesos")))
        .isTrue();
    assertThat(ReachableAddress.onLoopback(MasterAddress.parse("zk://localhost,[::1]:2182/m")))
        .isTrue();
    assertThat(ReachableAddress.onLoopback(MasterAddress.parse("zk://127.0.0.1,192.0.2.7/m")))
        .isFalse();
    assertThat(ReachableAddress.onLoopback(MasterAddress.parse("local"))).isTrue();
    assertThat(ReachableAddress.onLoopback(MasterAddress.parse("127.0.0.1:5050,[::1]:5051")))
        .isTrue();
    assertThat(ReachableAddress.onLoopback(MasterAddress.parse("192.0.2.7:5050"))).isFalse();
  }

  @Test
  void aServerForAZooKeeperOnLoopbackKeepsItsDefault(@TempDir Path dir) throws Exception {
    try (ArtifactServer server = ArtifactServer.builder().directory(dir).bindAddress("127.0.0.1")
        .advertisedHostFor(MasterAddress.parse("zk://127.0.0.1:2181/mesos")).build().start()) {
      assertThat(server.baseUri().getHost()).isEqualTo("127.0.0.1");
    }
  }

  @Test
  void aServerLeftWithLoopbackForAMasterElsewhereRefusesToStartNamingTheMaster(
      @TempDir Path dir) {
    ArtifactServer server = ArtifactServer.builder().directory(dir).bindAddress("127.0.0.1")
        .advertisedHostFor(MasterAddress.parse("no-such-master.invalid:5050")).build();
    assertThatThrownBy(server::start).isInstanceOf(MesosKitException.class)
        .hasMessage("the artifact server found no address of this machine that agents on other"
            + " hosts can reach: its default, '127.0.0.1', is a loopback address, and no address"
            + " of this machine routes to the master no-such-master.invalid:5050; set the"
            + " advertised host (--advertise) to a name or address the agents can reach");
  }

  @Test
  void mastersAreDescribedAsMasterNamesThem() {
    assertThat(ReachableAddress.describe(MasterAddress.parse("m1:5050,https://m2:5443")))
        .isEqualTo("m1:5050,https://m2:5443");
    assertThat(ReachableAddress.describe(MasterAddress.parse("zk://z1:2181,z2/mesos")))
        .isEqualTo("zk://z1:2181,z2:2181/mesos");
    assertThat(ReachableAddress.toward(MasterAddress.parse("zk://[::1]:2181/mesos"))).isEmpty();
  }
}
