package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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

  @Test
  void aMasterThatKeepsRedirectingFailsNamingItAndTheLastLocation() throws Exception {
    HttpServer looping = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String self = "127.0.0.1:" + looping.getAddress().getPort();
    List<String> hits = new CopyOnWriteArrayList<>();
    looping.createContext("/", exchange -> {
      try (exchange) {
        exchange.getRequestBody().readAllBytes();
        hits.add(exchange.getRequestURI().getPath());
        exchange.getResponseHeaders().set("Location", "//" + self + "/api/v1");
        exchange.sendResponseHeaders(307, -1);
      }
    });
    looping.start();
    try {
      Run run = Run.of("frameworks", "--master=" + self);

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.out()).isEmpty();
      assertThat(run.err()).isEqualTo("mesoskit frameworks: too many redirects from master "
          + self + " (last Location: //" + self + "/api/v1)\n");
      assertThat(hits).hasSize(4); // the first call and three redirects followed
    } finally {
      looping.stop(0);
    }
  }
}
