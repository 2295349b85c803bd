package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.MasterAddress;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The bind address follows the master: loopback for the embedded cluster, else every interface. */
class ArtifactServerBindAddressTest {
  @Test
  void bindsLoopbackForTheEmbeddedClusterAndEveryInterfaceOtherwise() throws Exception {
    try (ArtifactServer local = ArtifactServer.builder().store(new InMemoryStore())
        .bindAddressFor(MasterAddress.parse("local")).build().start()) {
      assertThat(local.baseUri().getHost()).isEqualTo("127.0.0.1");
    }
    // A wildcard bind advertises this machine's host name; a specific one, itself.
    try (ArtifactServer real = ArtifactServer.builder().store(new InMemoryStore())
        .bindAddressFor(MasterAddress.parse("zk://zk1:2181/mesos")).build().start()) {
      assertThat(real.baseUri().getHost())
          .isEqualTo(InetAddress.getLocalHost().getCanonicalHostName());
    }
  }
}
