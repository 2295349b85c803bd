package dev.mesoskit.local;

import static dev.mesoskit.local.ExecutorClient.JSON;
import static dev.mesoskit.local.ExecutorClient.PROTOBUF;
import static dev.mesoskit.local.TestAgents.FRAMEWORK_ID;
import static dev.mesoskit.local.TestAgents.awaitStarted;
import static dev.mesoskit.local.TestAgents.config;
import static dev.mesoskit.local.TestAgents.executorId;
import static dev.mesoskit.local.TestAgents.executorTask;
import static dev.mesoskit.local.TestAgents.framework;
import static dev.mesoskit.local.TestAgents.sleepingExecutor;
import static dev.mesoskit.local.TestAgents.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExecutorApiTest {
  @TempDir
  Path workDir;

  private final RecordingAgentListener master = new RecordingAgentListener();
  private LocalAgent agent;
  private ExecutorClient executor;

  @BeforeEach
  void startAgentWithAnUnsubscribedExecutor() throws Exception {
    agent = LocalAgent.start(config(workDir), master, java.time.Clock.systemUTC(),
        Duration.ofMillis(200));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(workDir, "e1");
    executor = new ExecutorClient(agent, FRAMEWORK_ID, executorId("e1"));
  }

  @AfterEach
  void closeAgent() throws Exception {
    executor.close();
    agent.close();
  }

  private void subscribe() {
    assertThat(executor.subscribe()).isEqualTo(200);
    assertThat(executor.nextEvent().getType()).isEqualTo(Event.Type.SUBSCRIBED);
    assertThat(executor.nextEvent().getType()).isEqualTo(Event.Type.LAUNCH);
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void endpointIsOnLoopbackWithAnEphemeralPort() {
    assertThat(agent.endpoint().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(agent.endpoint().getPort()).isPositive();
    assertThat(agent.id()).isEqualTo("agent-1");
    assertThat(agent.hostname()).isEqualTo("127.0.0.1");
    assertThat(agent.resources()).extracting(Protos.Resource::getName)
        .containsExactly("cpus", "mem");
    assertThat(agent.attributes()).extracting(Protos.Attribute::getName).containsExactly("rack");
  }

  @Test
  void bodyOfAnotherContentTypeIs415() {
    HttpResponse<byte[]> response = executor.post("text/plain", PROTOBUF, new byte[0]);
    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(body(response))
        .isEqualTo("Expecting 'Content-Type' of application/json or application/x-protobuf");
  }

  @Test
  void missingContentTypeIs400() {
    HttpResponse<byte[]> response = executor.post(null, PROTOBUF, new byte[0]);
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response)).isEqualTo("Expecting 'Content-Type' to be present");
  }

  @Test
  void unparsableProtobufIs400() {
    HttpResponse<byte[]> response = executor.post(PROTOBUF, PROTOBUF, new byte[] {1, 2, 3});
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response)).isEqualTo("Failed to parse body into Call protobuf");
  }

  @Test
  void subscribeWithAnAcceptOfNeitherTypeIs406() {
    HttpResponse<byte[]> response = executor.post(PROTOBUF, "text/html",
        executor.call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance())
            .build().toByteArray());
    assertThat(response.statusCode()).isEqualTo(406);
    assertThat(body(response)).isEqualTo(
        "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
  }

  @Test
  void callsBeforeSubscribeAre403() {
    HttpResponse<byte[]> response = executor.post(PROTOBUF, PROTOBUF,
        executor.update(taskId("t1"), TaskState.TASK_RUNNING).toByteArray());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(body(response)).isEqualTo("Executor is not subscribed");
    assertThat(executor.send(executor.message(ByteString.copyFromUtf8("x")))).isEqualTo(403);
  }

  @Test
  void unknownFrameworkOrExecutorIs400() throws Exception {
    // With e1's own token: the lookup comes before the token's claims are compared.
    java.util.function.Supplier<String> e1Token =
        () -> agent.executorToken(FRAMEWORK_ID, executorId("e1"));
    try (ExecutorClient stranger = new ExecutorClient(agent.endpoint(),
        Protos.FrameworkID.newBuilder().setValue("other").build(), executorId("e1"))
        .token(e1Token)) {
      HttpResponse<byte[]> response = stranger.post(PROTOBUF, PROTOBUF,
          stranger.call(Call.Type.SUBSCRIBE).setSubscribe(Call.Subscribe.getDefaultInstance())
              .build().toByteArray());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(body(response)).isEqualTo("Framework cannot be found");
    }
    try (ExecutorClient stranger = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e9")).token(e1Token)) {
      HttpResponse<byte[]> response = stranger.post(PROTOBUF, PROTOBUF,
          stranger.update(taskId("t1"), TaskState.TASK_RUNNING).toByteArray());
      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(body(response)).isEqualTo("Executor cannot be found");
    }
  }

  @Test
  void invalidUpdatesAre400WithTheReason() {
    subscribe();
    Protos.TaskStatus valid = executor.status(taskId("t1"), TaskState.TASK_RUNNING);

    assertUpdateRejected(valid.toBuilder().clearUuid().build(),
        "Failed to validate Executor::Call: Expecting 'uuid' to be present");
    assertUpdateRejected(valid.toBuilder().setUuid(ByteString.copyFrom(new byte[15])).build(),
        "Failed to validate Executor::Call: Not a valid UUID");
    assertUpdateRejected(valid.toBuilder().setExecutorId(executorId("e2")).build(),
        "Failed to validate Executor::Call: ExecutorID in Call: e1 does not match ExecutorID in"
            + " TaskStatus: e2");
    assertUpdateRejected(valid.toBuilder().setState(TaskState.TASK_STAGING).build(),
        "Failed to validate Executor::Call: Received TASK_STAGING from executor e1 of framework"
            + " framework-1 which is not allowed");
    assertUpdateRejected(valid.toBuilder().setSource(Protos.TaskStatus.Source.SOURCE_AGENT)
            .build(),
        "Failed to validate Executor::Call: Received Call from executor e1 of framework"
            + " framework-1 with invalid source, expecting 'SOURCE_EXECUTOR'");
    assertUpdateRejected(valid.toBuilder().setTaskId(taskId("someone-elses-task")).build(),
        "Task someone-elses-task is not a task of executor e1");
    assertThat(master.updates).isEmpty();
  }

  private void assertUpdateRejected(Protos.TaskStatus status, String message) {
    HttpResponse<byte[]> response = executor.post(PROTOBUF, PROTOBUF,
        executor.call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder().setStatus(status))
            .build().toByteArray());
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response)).isEqualTo(message);
  }

  @Test
  void heartbeatCallIsAccepted() {
    assertThat(executor.send(executor.call(Call.Type.HEARTBEAT).build())).isEqualTo(202);
  }

  @Test
  void subscribedExecutorGetsHeartbeats() throws Exception {
    subscribe();
    assertThat(executor.nextEvent().getType()).isEqualTo(Event.Type.HEARTBEAT);
    assertThat(executor.nextEvent().getType()).isEqualTo(Event.Type.HEARTBEAT);
  }

  @Test
  void aJsonUpdateWhoseTaskIdHasAnUnpairedSurrogateIsRefusedNotMangled() throws Exception {
    executor.subscribe(Call.Subscribe.getDefaultInstance());
    String update = "{\"type\":\"UPDATE\",\"framework_id\":{\"value\":\"framework-1\"},"
        + "\"executor_id\":{\"value\":\"e1\"},\"update\":{\"status\":{"
        + "\"task_id\":{\"value\":\"t\\ud800\"},\"state\":\"TASK_RUNNING\","
        + "\"source\":\"SOURCE_EXECUTOR\",\"uuid\":\"AAAAAAAAQACAAAAAAAAAAA==\"}}}";
    HttpResponse<byte[]> refused = executor.post(JSON, JSON,
        update.getBytes(StandardCharsets.UTF_8));
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(body(refused)).isEqualTo("Failed to parse body into JSON: the string"
        + " \"t\\ud800\" holds an unpaired UTF-16 surrogate");
    assertThat(master.updates).isEmpty();
  }

  @Test
  void otherMethodsAre405AndOtherPaths404() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    // As libprocess: authentication first, then the method.
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
        agent.endpoint().resolve("/api/v1/executor")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(
        agent.endpoint().resolve("/api/v1/executor")).header("Authorization", "Bearer "
        + agent.executorToken(FRAMEWORK_ID, executorId("e1"))).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).hasValue("POST");
    HttpResponse<String> other = http.send(HttpRequest.newBuilder(
        agent.endpoint().resolve("/api/v1/scheduler")).POST(HttpRequest.BodyPublishers.noBody())
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(other.statusCode()).isEqualTo(404);
  }

  @Test
  void jsonSubscribeStreamsJsonEventsAndJsonUpdatesAreAccepted() throws Exception {
    String subscribe = "{\"type\":\"SUBSCRIBE\",\"framework_id\":{\"value\":\"framework-1\"},"
        + "\"executor_id\":{\"value\":\"e1\"},\"subscribe\":{}}";
    HttpResponse<java.io.InputStream> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(agent.endpoint() + "/api/v1/executor"))
            .header("Content-Type", JSON)
            .header("Authorization", "Bearer "
                + agent.executorToken(FRAMEWORK_ID, executorId("e1")))
            .POST(HttpRequest.BodyPublishers.ofString(subscribe)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(JSON);
    try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(),
        StandardCharsets.UTF_8))) {
      Event subscribed = readJsonRecord(in);
      assertThat(subscribed.getType()).isEqualTo(Event.Type.SUBSCRIBED);
      assertThat(subscribed.getSubscribed().getAgentInfo().getId().getValue())
          .isEqualTo("agent-1");
      Event launch = readJsonRecord(in);
      assertThat(launch.getLaunch().getTask().getTaskId()).isEqualTo(taskId("t1"));

      String uuid = java.util.Base64.getEncoder()
          .encodeToString(LocalAgent.newUuid().toByteArray());
      String update = "{\"type\":\"UPDATE\",\"framework_id\":{\"value\":\"framework-1\"},"
          + "\"executor_id\":{\"value\":\"e1\"},\"update\":{\"status\":{"
          + "\"task_id\":{\"value\":\"t1\"},\"state\":\"TASK_RUNNING\","
          + "\"source\":\"SOURCE_EXECUTOR\",\"uuid\":\"" + uuid + "\"}}}";
      HttpResponse<byte[]> accepted = executor.post(JSON, JSON,
          update.getBytes(StandardCharsets.UTF_8));
      assertThat(accepted.statusCode()).isEqualTo(202);
      Event acknowledged = readJsonRecord(in);
      assertThat(acknowledged.getType()).isEqualTo(Event.Type.ACKNOWLEDGED);
      assertThat(java.util.Base64.getEncoder().encodeToString(
          acknowledged.getAcknowledged().getUuid().toByteArray())).isEqualTo(uuid);
      assertThat(master.nextUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);
    }
  }

  @Test
  void jsonCallMissingRequiredFieldsIs400() {
    HttpResponse<byte[]> response = executor.post(JSON, JSON,
        "{\"type\":\"HEARTBEAT\"}".getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(body(response)).startsWith("Failed to convert JSON into Call protobuf: Missing"
        + " required fields: ");
  }

  @Test
  void newSubscriptionClosesTheEarlierStream() throws Exception {
    subscribe();
    try (ExecutorClient again = new ExecutorClient(agent, FRAMEWORK_ID,
        executorId("e1"))) {
      assertThat(again.subscribe()).isEqualTo(200);
      assertThat(again.nextEvent().getType()).isEqualTo(Event.Type.SUBSCRIBED);
      executor.awaitStreamEnd();
    }
  }

  /** Reads one RecordIO record of a JSON stream: the length line, then that many bytes. */
  private static Event readJsonRecord(BufferedReader in) throws Exception {
    String length = in.readLine();
    char[] record = new char[Integer.parseInt(length)];
    int read = 0;
    while (read < record.length) {
      int n = in.read(record, read, record.length - read);
      assertThat(n).isPositive();
      read += n;
    }
    Event.Builder event = Event.newBuilder();
    JsonFormat.parser().merge(new String(record), event);
    if (event.getType() == Event.Type.HEARTBEAT) {
      return readJsonRecord(in);
    }
    return event.build();
  }
}
