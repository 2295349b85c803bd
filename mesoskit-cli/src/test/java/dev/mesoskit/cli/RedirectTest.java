package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** A non-leading master answers 307 with the leader in Location, as Mesos does. */
class RedirectTest {
  @Test
  void followsTheRedirectOfANonLeadingMasterToTheLeader() throws Exception {
    try (FakeMesos leader = new FakeMesos()) {
      HttpServer follower = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      follower.createContext("/", exchange -> {
        try (exchange) {
          exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().set("Location", "//" + leader.master() + "/api/v1");
          exchange.sendResponseHeaders(307, -1);
        }
      });
      follower.start();
      try {
        Run run = Run.of("frameworks", "--master=127.0.0.1:" + follower.getAddress().getPort());

        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("reference-fixture  active");
        assertThat(leader.callTypes()).containsExactly("GET_FRAMEWORKS");
      } finally {
        follower.stop(0);
      }
    }
  }
}
