package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.MasterAddress;
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

  /** An IPv4 address of an interface of this machine that is up and not loopback. */
  private static Optional<String> ownAddress() throws Exception {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp() && !nic.isLoopback()) {
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
}
