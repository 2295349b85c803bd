package dev.mesoskit.local;

import static dev.mesoskit.local.ExecutorClient.PROTOBUF;
import static dev.mesoskit.local.TestAgents.FRAMEWORK_ID;
import static dev.mesoskit.local.TestAgents.awaitFile;
import static dev.mesoskit.local.TestAgents.awaitStarted;
import static dev.mesoskit.local.TestAgents.config;
import static dev.mesoskit.local.TestAgents.executor;
import static dev.mesoskit.local.TestAgents.executorId;
import static dev.mesoskit.local.TestAgents.executorTask;
import static dev.mesoskit.local.TestAgents.framework;
import static dev.mesoskit.local.TestAgents.sleepingExecutor;
import static dev.mesoskit.local.TestAgents.taskId;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.executor.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executors are authenticated as by a Mesos agent with {@code --authenticate_http_executors}: a
 * process that read executor ids from the public state cannot speak for another executor.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExecutorAuthenticationTest {
  private static final String REALM = "Bearer realm=\"mesos-agent-executor\"";

  @TempDir
  Path workDir;

  private final RecordingAgentListener master = new RecordingAgentListener();
  private LocalAgent agent;

  @BeforeEach
  void startAgentWithTwoExecutors() throws Exception {
    agent = LocalAgent.start(config(workDir), master, java.time.Clock.systemUTC(),
        Duration.ofMillis(200));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    agent.launch(framework(), executorTask("t2", executor("e2", Protos.CommandInfo.newBuilder()
        .setValue("printenv MESOS_EXECUTOR_AUTHENTICATION_TOKEN > token; touch started;"
            + " exec sleep 60").build())));
    awaitStarted(workDir, "e1");
    awaitStarted(workDir, "e2");
  }

  @AfterEach
  void closeAgent() {
    agent.close();
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static HttpResponse<byte[]> update(ExecutorClient client, String task) {
    return client.post(PROTOBUF, PROTOBUF,
        client.update(taskId(task), TaskState.TASK_FAILED).toByteArray());
  }

  @Test
  void theExecutorGetsItsTokenInItsEnvironment() throws Exception {
    Path sandbox = awaitFile(workDir, "e2", "token");
    String token = Files.readString(sandbox.resolve("token"), StandardCharsets.UTF_8).strip();
    assertThat(token).isEqualTo(agent.executorToken(FRAMEWORK_ID, executorId("e2")))
        .matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  }

  @Test
  void aCallWithoutATokenIs401WithTheRealmBeforeAnyOtherRule() throws Exception {
    try (ExecutorClient anonymous = new ExecutorClient(agent.endpoint(), FRAMEWORK_ID,
        executorId("e1"))) {
      for (Call call : new Call[] {anonymous.update(taskId("t1"), TaskState.TASK_FAILED),
          anonymous.call(Call.Type.HEARTBEAT).build()}) {
        HttpResponse<byte[]> response = anonymous.post(PROTOBUF, PROTOBUF, call.toByteArray());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue(REALM);
        assertThat(body(response)).isEqualTo("401 Unauthorized.");
      }
      // Authentication comes first: even a body that is not a call is 401.
      HttpResponse<byte[]> garbage = anonymous.post("text/plain", null, new byte[] {1, 2});
      assertThat(garbage.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void aMalformedOrForgedTokenIs401SayingWhy() throws Exception {
    String forged = new ExecutorTokens(new byte[32]).issue(FRAMEWORK_ID.getValue(), "e1",
        "any-container");
    Map<String, String> cases = Map.of(
        "Bearer", "Malformed 'Authorization' header",
        "Basic dTpw", "Scheme 'Basic' unsupported",
        "Bearer a.b", "Invalid JWT: Expected 3 components in token, got 2",
        "Bearer " + forged, "Invalid JWT: Token signature does not match");
    for (Map.Entry<String, String> c : cases.entrySet()) {
      String header = c.getKey();
      String why = c.getValue();
      try (ExecutorClient client = new ExecutorClient(agent.endpoint(), FRAMEWORK_ID,
          executorId("e1"))) {
        HttpResponse<byte[]> response = client.postWithAuthorization(header,
            client.update(taskId("t1"), TaskState.TASK_FAILED).toByteArray());
        assertThat(response.statusCode()).as(header).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(header)
            .hasValue(REALM + ", error=\"invalid_token\", error_description=\"" + why + "\"");
      }
    }
  }

  @Test
  void anotherExecutorsTokenIs403AndItsUpdateIsNotForwarded() throws Exception {
    try (ExecutorClient e1 = new ExecutorClient(agent, FRAMEWORK_ID, executorId("e1"));
        ExecutorClient impostor = new ExecutorClient(agent.endpoint(), FRAMEWORK_ID,
            executorId("e1")).token(() -> agent.executorToken(FRAMEWORK_ID, executorId("e2")))) {
      assertThat(e1.subscribe(Call.Subscribe.getDefaultInstance())).isEqualTo(200);
      HttpResponse<byte[]> response = update(impostor, "t1");
      assertThat(response.statusCode()).isEqualTo(403);
      String container = containerOf("e2");
      assertThat(body(response)).isEqualTo("Authenticated principal '{\"claims\":{\"cid\":\""
          + container + "\",\"eid\":\"e2\",\"fid\":\"" + FRAMEWORK_ID.getValue() + "\"}}' does"
          + " not contain an 'eid' claim with the executor ID e1, which is set in the call");
      // e1 itself is heard: its RUNNING is the first and only update the master gets.
      assertThat(e1.post(PROTOBUF, PROTOBUF, e1.update(taskId("t1"), TaskState.TASK_RUNNING)
          .toByteArray()).statusCode()).isEqualTo(202);
      assertThat(master.nextUpdate().getState()).isEqualTo(TaskState.TASK_RUNNING);
      assertThat(master.updates).isEmpty();
    }
  }

  @Test
  void claimsOfAnotherFrameworkOrContainerAreNamed() {
    Map<String, String> claims = Map.of("fid", "f1", "eid", "e1", "cid", "c1");
    assertThat(ExecutorTokens.claimsMismatch(claims, "f2", "e1", "c1")).isEqualTo(
        "Authenticated principal '{\"claims\":{\"cid\":\"c1\",\"eid\":\"e1\",\"fid\":\"f1\"}}'"
            + " does not contain an 'fid' claim with the framework ID f2, which is set in the"
            + " call");
    assertThat(ExecutorTokens.claimsMismatch(claims, "f1", "e1", "c2")).isEqualTo(
        "Authenticated principal '{\"claims\":{\"cid\":\"c1\",\"eid\":\"e1\",\"fid\":\"f1\"}}'"
            + " does not contain a 'cid' claim with the correct active ContainerID");
    assertThat(ExecutorTokens.claimsMismatch(claims, "f1", "e1", "c1")).isNull();
  }

  @Test
  void anAgentWithoutAuthenticationTakesCallsWithoutAToken() throws Exception {
    agent.close();
    Path other = Files.createDirectories(workDir.resolve("open"));
    AgentConfig open = config(other);
    agent = LocalAgent.start(new AgentConfig(open.id(), open.hostname(), open.resources(),
        open.attributes(), other, open.registrationTimeout(), open.shutdownGracePeriod(),
        open.statusUpdateRetry(), false, false, open.gcDelay(), open.gcDiskHeadroom()), master,
        java.time.Clock.systemUTC(),
        Duration.ofMillis(200));
    agent.launch(framework(), executorTask("t1", sleepingExecutor("e1")));
    awaitStarted(other, "e1");
    assertThat(agent.executorToken(FRAMEWORK_ID, executorId("e1"))).isNull();
    try (ExecutorClient anonymous = new ExecutorClient(agent.endpoint(), FRAMEWORK_ID,
        executorId("e1"))) {
      assertThat(anonymous.subscribe(Call.Subscribe.getDefaultInstance())).isEqualTo(200);
    }
  }

  /** The container id of an executor's run: the name of its run directory. */
  private String containerOf(String executor) throws Exception {
    return awaitStarted(workDir, executor).getFileName().toString();
  }
}
