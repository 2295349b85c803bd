package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The training agent answers SUBSCRIBE with SUBSCRIBED and SHUTDOWN, and any other call 202. */
class TrainingAgentTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void recognizesSubscribeByTheCallsTypeAfterItsIds() {
    // executor_id {value: "e"}, framework_id {value: "f"}, type SUBSCRIBE
    assertThat(TrainingAgent.isSubscribe(HEX.parseHex("0a030a0165" + "12030a0166" + "1801")))
        .isTrue();
    // type UPDATE (2)
    assertThat(TrainingAgent.isSubscribe(HEX.parseHex("0a030a0165" + "1802"))).isFalse();
    assertThat(TrainingAgent.isSubscribe(new byte[0])).isFalse();
  }

  @Test
  void encodesSubscribedWithTheTrainingIdsAsTheV1ExecutorEventMessage() {
    String id = HEX.formatHex(TrainingAgent.ID.getBytes(StandardCharsets.UTF_8));
    String idMessage = "0a15" + id; // {value: ID}, 21 bytes
    String executorInfo = "0a17" + idMessage + "4217" + idMessage;
    String frameworkInfo = "0a15" + id + "1215" + id + "1a17" + idMessage;
    String agentInfo = "0a09" + HEX.formatHex("localhost".getBytes(StandardCharsets.UTF_8))
        + "3217" + idMessage;
    String subscribed = "0a32" + executorInfo + "1247" + frameworkInfo + "1a24" + agentInfo;

    assertThat(HEX.formatHex(TrainingAgent.subscribedEvent()))
        .isEqualTo("0801" + "12a301" + subscribed);
  }

  @Test
  void streamsSubscribedThenShutdownInRecordIoAndAcceptsOtherCalls() throws Exception {
    try (TrainingAgent agent = TrainingAgent.start()) {
      HttpClient client = HttpClient.newHttpClient();
      URI uri = URI.create("http://" + agent.endpoint() + "/api/v1/executor");

      HttpResponse<byte[]> subscribe = client.send(HttpRequest.newBuilder(uri)
          .header("Content-Type", "application/x-protobuf")
          .POST(HttpRequest.BodyPublishers.ofByteArray(HEX.parseHex("0a030a0165" + "1801")))
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      HttpResponse<byte[]> update = client.send(HttpRequest.newBuilder(uri)
          .POST(HttpRequest.BodyPublishers.ofByteArray(HEX.parseHex("1802"))).build(),
          HttpResponse.BodyHandlers.ofByteArray());

      byte[] event = TrainingAgent.subscribedEvent();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.writeBytes((event.length + "\n").getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(event);
      expected.writeBytes("2\n".getBytes(StandardCharsets.US_ASCII));
      expected.writeBytes(HEX.parseHex("0807"));
      assertThat(subscribe.statusCode()).isEqualTo(200);
      assertThat(subscribe.headers().firstValue("Content-Type"))
          .contains("application/x-protobuf");
      assertThat(subscribe.body()).isEqualTo(expected.toByteArray());
      assertThat(update.statusCode()).isEqualTo(202);
    }
  }

  @Test
  void runsOnDaemonThreadsSoThatItNeverKeepsAProgramFromExiting() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();
    try (TrainingAgent agent = TrainingAgent.start()) {
      assertThat(agent.endpoint()).startsWith("127.0.0.1:");
      assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> !before.contains(t))
          .filteredOn(t -> t.getName().equals("HTTP-Dispatcher")).hasSize(1)
          .allMatch(Thread::isDaemon);
    }
  }
}
