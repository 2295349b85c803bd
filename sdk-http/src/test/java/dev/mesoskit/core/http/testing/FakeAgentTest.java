package dev.mesoskit.core.http.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fake agent refuses what a real agent refuses, with the agent's status and message. */
@Timeout(20)
class FakeAgentTest {
  private static final byte[] UUID4 = {
      0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x46, 0x17,
      (byte) 0x98, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};

  private final FakeAgent agent = FakeAgent.start("fw-1", "exec-1");
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @AfterEach
  void stop() {
    agent.close();
  }

  private HttpResponse<String> post(byte[] body, UnaryOperator<HttpRequest.Builder> headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(agent.uri().resolve("/api/v1/executor"))
        .timeout(Duration.ofSeconds(5))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    return client.send(headers.apply(b).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(Call call) throws Exception {
    return post(call.toByteArray(), b -> b.header("Content-Type", "application/x-protobuf")
        .header("Accept", "application/x-protobuf"));
  }

  private static Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("exec-1"));
  }

  private static Call update(Protos.TaskState state, byte[] uuid,
      Protos.TaskStatus.Source source) {
    return call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(
        Protos.TaskStatus.newBuilder()
            .setTaskId(Protos.TaskID.newBuilder().setValue("t.1"))
            .setState(state).setSource(source).setUuid(ByteString.copyFrom(uuid)))).build();
  }

  /** Opens a subscription in the background, so that the agent takes UPDATE calls. */
  private void subscribe() {
    HttpRequest request = HttpRequest.newBuilder(agent.uri().resolve("/api/v1/executor"))
        .header("Content-Type", "application/x-protobuf")
        .header("Accept", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(call(Call.Type.SUBSCRIBE)
            .setSubscribe(Call.Subscribe.getDefaultInstance()).build().toByteArray()))
        .build();
    client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
    agent.awaitSubscriptions(1, Duration.ofSeconds(5));
  }

  @Test
  void contentTypesOtherThanProtobufAreRefused() throws Exception {
    byte[] body = call(Call.Type.SUBSCRIBE).build().toByteArray();
    assertThat(post(body, b -> b).statusCode()).isEqualTo(400);
    HttpResponse<String> text = post(body, b -> b.header("Content-Type", "text/plain"));
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(text.body()).isEqualTo("Expecting 'Content-Type' of application/json or"
        + " application/x-protobuf");
    assertThat(post(body, b -> b.header("Content-Type", "application/json")).statusCode())
        .isEqualTo(415);
  }

  @Test
  void aSubscriptionThatDoesNotAcceptProtobufIsRefusedWith406() throws Exception {
    HttpResponse<String> r = post(call(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build().toByteArray(),
        b -> b.header("Content-Type", "application/x-protobuf").header("Accept", "text/html"));
    assertThat(r.statusCode()).isEqualTo(406);
  }

  @Test
  void anUpdateBeforeTheFirstSubscriptionIsRefusedWith403() throws Exception {
    HttpResponse<String> r = post(update(Protos.TaskState.TASK_RUNNING, UUID4,
        Protos.TaskStatus.Source.SOURCE_EXECUTOR));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).isEqualTo("Executor is not subscribed");
  }

  @Test
  void callsOfAnotherFrameworkOrExecutorAreRefused() throws Exception {
    HttpResponse<String> fw = post(call(Call.Type.SUBSCRIBE)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-2"))
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build());
    assertThat(fw.statusCode()).isEqualTo(400);
    assertThat(fw.body()).isEqualTo("Framework cannot be found");
    HttpResponse<String> ex = post(call(Call.Type.SUBSCRIBE)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("exec-2"))
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build());
    assertThat(ex.statusCode()).isEqualTo(400);
    assertThat(ex.body()).isEqualTo("Executor cannot be found");
  }

  @Test
  void updatesAreValidatedAsMesosValidatesThem() throws Exception {
    subscribe();
    HttpResponse<String> staging = post(update(Protos.TaskState.TASK_STAGING, UUID4,
        Protos.TaskStatus.Source.SOURCE_EXECUTOR));
    assertThat(staging.statusCode()).isEqualTo(400);
    assertThat(staging.body()).isEqualTo("Failed to validate Executor::Call: Received"
        + " TASK_STAGING from executor exec-1 of framework fw-1 which is not allowed");

    byte[] short15 = new byte[15];
    assertThat(post(update(Protos.TaskState.TASK_RUNNING, short15,
        Protos.TaskStatus.Source.SOURCE_EXECUTOR)).body())
        .isEqualTo("Failed to validate Executor::Call: Not a valid UUID");
    byte[] noVersion = UUID4.clone();
    noVersion[6] = 0x07;
    assertThat(post(update(Protos.TaskState.TASK_RUNNING, noVersion,
        Protos.TaskStatus.Source.SOURCE_EXECUTOR)).body())
        .isEqualTo("Failed to validate Executor::Call: Not a valid UUID");

    assertThat(post(update(Protos.TaskState.TASK_RUNNING, UUID4,
        Protos.TaskStatus.Source.SOURCE_AGENT)).body()).isEqualTo("Failed to validate"
        + " Executor::Call: Received Call from executor exec-1 of framework fw-1 with invalid"
        + " source, expecting 'SOURCE_EXECUTOR'");

    HttpResponse<String> ok = post(update(Protos.TaskState.TASK_RUNNING, UUID4,
        Protos.TaskStatus.Source.SOURCE_EXECUTOR));
    assertThat(ok.statusCode()).isEqualTo(202);
    assertThat(agent.updates()).hasSize(1);
    assertThat(agent.answers()).containsExactly(200, 400, 400, 400, 400, 202);
  }

  @Test
  void aRequiredTokenIsCheckedOnEveryRequest() throws Exception {
    agent.requireToken("s3cret");
    Call subscribe = call(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.getDefaultInstance()).build();

    assertThat(post(subscribe).statusCode()).isEqualTo(401);
    assertThat(post(subscribe.toByteArray(), b -> b.header("Content-Type",
        "application/x-protobuf").header("Accept", "application/x-protobuf")
        .header("Authorization", "Bearer wrong")).statusCode()).isEqualTo(401);
    assertThat(agent.authorizations()).containsExactly("", "Bearer wrong");
  }
}
