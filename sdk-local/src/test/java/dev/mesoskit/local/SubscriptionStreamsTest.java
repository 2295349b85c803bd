package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Subscription streams cost no thread each, and one that its scheduler closes is noticed at
 * once: the framework is disconnected, its offers go back to the pool and its failover timer
 * starts, long before a heartbeat could have found the broken connection.
 */
@Timeout(120)
class SubscriptionStreamsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Call subscribe(String name, double failoverSeconds) {
    return Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(Protos.FrameworkInfo
            .newBuilder().setUser("u").setName(name).setFailoverTimeout(failoverSeconds)))
        .build();
  }

  /** A SUBSCRIBE on a raw socket, in JSON; the caller reads the answer. */
  private static Socket openSubscription(URI master, String name, double failoverSeconds)
      throws IOException {
    byte[] body = ("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\","
        + "\"name\":\"" + name + "\",\"failover_timeout\":" + failoverSeconds + "}}}")
        .getBytes(StandardCharsets.UTF_8);
    Socket socket = new Socket(master.getHost(), master.getPort());
    socket.setSoTimeout((int) WAIT.toMillis());
    String head = "POST /api/v1/scheduler HTTP/1.1\r\nHost: " + master.getHost() + ":"
        + master.getPort() + "\r\nContent-Type: application/json\r\nAccept: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n";
    socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(body);
    socket.getOutputStream().flush();
    return socket;
  }

  /** Reads until the answer holds {@code marker}; returns what was read. */
  private static String readUntil(Socket socket, String marker) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!read.toString(StandardCharsets.UTF_8).contains(marker)) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new AssertionError("the stream ended before " + marker + ": " + read);
      }
      read.write(buffer, 0, n);
    }
    return read.toString(StandardCharsets.UTF_8);
  }

  private static JsonObject framework(LocalCluster cluster, String name) {
    JsonObject state = JsonParser.parseString(cluster.stateJson()).getAsJsonObject();
    for (var f : state.getAsJsonArray("frameworks")) {
      if (f.getAsJsonObject().get("name").getAsString().equals(name)) {
        return f.getAsJsonObject();
      }
    }
    return null;
  }

  @Test
  void aSchedulerThatClosesItsConnectionIsDisconnectedAtOnceAndItsOffersGoToAnother()
      throws Exception {
    // Heartbeats every 10 minutes: only the closed connection itself can tell the master.
    try (LocalCluster cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:1024;disk:1000;ports:[31000-31009]")
        .heartbeatInterval(Duration.ofMinutes(10))
        .allocationInterval(Duration.ofMillis(20)).start()) {
      Socket first = openSubscription(cluster.masterUri(), "leaves", 3600);
      String answer = readUntil(first, "\"OFFERS\"");
      assertThat(answer).startsWith("HTTP/1.1 200 OK").contains("\"SUBSCRIBED\"");
      JsonObject before = framework(cluster, "leaves");
      assertThat(before.get("active").getAsBoolean()).isTrue();
      assertThat(before.get("offers").getAsInt()).isEqualTo(1);

      try (RawScheduler other = new RawScheduler(cluster.masterUri(), false)
          .subscribe(subscribe("stays", 60))) {
        other.next(Event.Type.SUBSCRIBED, WAIT);
        first.close();
        // The agent's resources were held by the first framework's offer; they are offered to
        // the other one once the master notices the first has gone, within WAIT: long before
        // the first heartbeat (10 minutes) could have found the broken connection.
        Event offers = other.next(Event.Type.OFFERS, WAIT);
        assertThat(offers.getOffers().getOffersList()).hasSize(1);
      }
      JsonObject after = framework(cluster, "leaves");
      assertThat(after).as("kept for its failover timeout").isNotNull();
      assertThat(after.get("active").getAsBoolean()).isFalse();
      assertThat(after.get("offers").getAsInt()).isZero();
    }
  }

  @Test
  void aClosedSubscriptionWithNoFailoverTimeoutRemovesItsFramework() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder().agents(1)
        .heartbeatInterval(Duration.ofMinutes(10)).start()) {
      Socket socket = openSubscription(cluster.masterUri(), "gone", 0);
      readUntil(socket, "\"SUBSCRIBED\"");
      assertThat(framework(cluster, "gone")).isNotNull();
      socket.close();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (framework(cluster, "gone") != null) {
        assertThat(System.nanoTime()).as("removed within %s", WAIT).isLessThan(deadline);
        Thread.sleep(5);
      }
      JsonArray completed = JsonParser.parseString(cluster.stateJson()).getAsJsonObject()
          .getAsJsonArray("completed_framework_ids");
      assertThat(completed).hasSize(1);
    }
  }

  @Test
  void aThousandOpenSubscriptionsLeaveTheMasterAnsweringEveryOtherRequest() throws Exception {
    int streams = 1000;
    try (LocalCluster cluster = LocalCluster.builder().agents(1)
        .heartbeatInterval(Duration.ofMinutes(10)).start()) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < streams; i++) {
          sockets.add(openSubscription(cluster.masterUri(), "many-" + i, 3600));
        }
        for (Socket socket : sockets) {
          assertThat(readUntil(socket, "\"SUBSCRIBED\"")).startsWith("HTTP/1.1 200 OK");
        }
        // Far more streams than the master's 256 threads, every one open: other requests are
        // still answered, and the state shows every framework connected.
        for (int i = 0; i < 20; i++) {
          assertThat(RawScheduler.get(cluster.masterUri().resolve("/health")))
              .isEqualTo("200");
        }
        JsonObject state = JsonParser.parseString(cluster.stateJson()).getAsJsonObject();
        JsonArray frameworks = state.getAsJsonArray("frameworks");
        assertThat(frameworks).hasSize(streams);
        assertThat(frameworks).allMatch(f -> f.getAsJsonObject().get("active").getAsBoolean());
        // A SUBSCRIBE still subscribes with a thousand streams open.
        try (RawScheduler late = new RawScheduler(cluster.masterUri(), false)
            .subscribe(subscribe("late", 60))) {
          assertThat(late.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId()
              .getValue()).isNotEmpty();
        }
      } finally {
        for (Socket socket : sockets) {
          socket.close();
        }
      }
    }
  }
}
