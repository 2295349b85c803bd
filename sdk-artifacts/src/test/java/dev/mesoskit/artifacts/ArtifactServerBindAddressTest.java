package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.MasterAddress;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The bind address follows the master: loopback for the embedded cluster, else every interface,
 * advertised under a name or address that reaches this machine, whatever this machine is called.
 */
class ArtifactServerBindAddressTest {
  @Test
  void bindsLoopbackForTheEmbeddedClusterAndEveryInterfaceOtherwise() throws Exception {
    try (ArtifactServer local = ArtifactServer.builder().store(new InMemoryStore())
        .bindAddressFor(MasterAddress.parse("local")).build().start()) {
      assertThat(local.baseUri().getHost()).isEqualTo("127.0.0.1");
    }
    InMemoryStore store = new InMemoryStore();
    store.put("hello.txt", new java.io.ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8)),
        Optional.empty());
    try (ArtifactServer real = ArtifactServer.builder().store(store)
        .bindAddressFor(MasterAddress.parse("zk://zk1:2181/mesos")).build().start()) {
      URI advertised = real.uri("hello.txt");
      assertThat(advertised.getHost()).isNotIn("0.0.0.0", "::", "[::]");
      // It names this machine (no request leaves loopback: the address is only looked up).
      InetAddress address = InetAddress.getByName(advertised.getHost());
      assertThat(address.isLoopbackAddress() || NetworkInterface.getByInetAddress(address) != null)
          .as(advertised.getHost() + " is an address of this machine").isTrue();
      URI viaLoopback = URI.create("http://127.0.0.1:" + advertised.getPort() + advertised.getPath());
      HttpResponse<String> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(viaLoopback).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).as("the wildcard bind serves loopback too").isEqualTo("hello");
    }
  }

  @Test
  void aWildcardBindAdvertisesTheHostNameOrAnInterfaceAddressWhenTheNameDoesNotResolve() {
    assertThat(ArtifactServer.advertisedHostFor("10.1.2.3", () -> "unused",
        () -> Optional.of("unused"))).isEqualTo("10.1.2.3");
    assertThat(ArtifactServer.advertisedHostFor("0.0.0.0", () -> "node7.example.com",
        () -> Optional.of("10.0.0.7"))).isEqualTo("node7.example.com");
    assertThat(ArtifactServer.advertisedHostFor("0.0.0.0", () -> {
      throw new UnknownHostException("node7: Name or service not known");
    }, () -> Optional.of("10.0.0.7"))).isEqualTo("10.0.0.7");
    assertThat(ArtifactServer.advertisedHostFor("::", () -> {
      throw new UnknownHostException("node7: Name or service not known");
    }, Optional::empty)).isEqualTo("127.0.0.1");
  }
}
