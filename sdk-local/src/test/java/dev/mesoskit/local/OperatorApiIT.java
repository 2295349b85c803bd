package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The master's and the agent's operator API, the agent's Files API and both metrics snapshots,
 * compared with the recordings of a real Mesos 1.12 ({@code mesos-reference/}) for the same
 * scenario: framework {@code reference-fixture} with task {@code sleeper} running and task
 * {@code echo-task} finished, then an operator TEARDOWN after its scheduler is gone.
 */
class OperatorApiIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();

  /**
   * Documented differences, not compared. Statuses: LocalCluster's command executor sends
   * TASK_STARTING/RUNNING without {@code container_status} network info and pid. Offers and
   * offered resources: whether an offer is outstanding at the moment of the call depends on
   * timing (the recording had one). Offer ids and the offer's url are LocalCluster's.
   * failover_timeout: this fixture sets one hour (the recording's scheduler set 0) so that the
   * framework outlives its killed scheduler until the operator's TEARDOWN.
   */
  private static final Set<String> TIMING = Set.of(
      "$.get_frameworks.frameworks[*].framework_info.failover_timeout",
      "$.get_frameworks.completed_frameworks[*].framework_info.failover_timeout",
      "$.get_frameworks.frameworks[*].offers",
      "$.get_frameworks.frameworks[*].offered_resources",
      "$.get_agents.agents[*].offered_resources",
      "$.get_tasks.tasks[*].statuses[*].container_status",
      "$.get_tasks.completed_tasks[*].statuses[*].container_status");

  private LocalCluster cluster;
  private RawScheduler scheduler;
  private Protos.FrameworkID frameworkId;

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:4096;disk:10240;ports:[31000-31999]")
        .agentAttributes("rack:r1;zone:a")
        .allocationInterval(Duration.ofMillis(100))
        .start();
  }

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    cluster.close();
  }

  @Test
  void anIdleMasterAnswersHealthVersionMasterAndItsErrorsAsRecorded() throws Exception {
    for (String call : List.of("GET_HEALTH", "GET_VERSION", "GET_MASTER")) {
      assertMatches(masterCall(call), "master-operator/" + call + ".json", Set.of());
    }
    JsonObject errors = RecordedJson.recording("master-operator/errors.json");
    for (JsonElement e : errors.getAsJsonArray("exchanges")) {
      JsonObject exchange = e.getAsJsonObject();
      Answer answer = send(cluster.masterUri(), exchange.getAsJsonObject("request"));
      assertExchange(answer, exchange, Set.of());
    }
  }

  @Test
  void aFrameworkWithARunningAndAFinishedTaskIsDescribedAsRecordedUntilItsTeardown()
      throws Exception {
    launchFixture();
    URI agent = agentUri();

    for (String call : List.of("GET_FRAMEWORKS", "GET_TASKS", "GET_AGENTS", "GET_EXECUTORS")) {
      assertMatches(masterCall(call), "master-operator/" + call + ".json", TIMING);
    }
    Answer state = post(cluster.masterUri(), "{\"type\":\"GET_STATE\"}");
    assertThat(state.status).isEqualTo(200);
    assertThat(state.json().getAsJsonObject().getAsJsonObject("get_state").keySet())
        .containsExactlyInAnyOrder("get_tasks", "get_executors", "get_frameworks", "get_agents");

    // the finished task's stdout, through the virtual path, over the v1 API and /files
    String echo = "/frameworks/" + frameworkId.getValue() + "/executors/echo-task/runs/latest";
    Answer read = post(agent, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"" + echo
        + "/stdout\",\"offset\":0}}");
    assertMatches(read, "agent-operator/READ_FILE.json", Set.of());
    assertMatches(post(agent, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"" + echo
        + "/stdout\",\"offset\":6,\"length\":5}}"), "agent-operator/READ_FILE-offset-length.json",
        Set.of());
    assertMatches(post(agent, "{\"type\":\"LIST_FILES\",\"list_files\":{\"path\":\"" + echo
        + "\"}}"), "agent-operator/LIST_FILES-virtual-path.json",
        // the recorded stderr holds the Mesos command executor's log (706 bytes)
        Set.of("$.list_files.file_infos[*].size", "$.list_files.file_infos[*].uid",
            "$.list_files.file_infos[*].gid"));
    Answer missing = post(agent, "{\"type\":\"READ_FILE\",\"read_file\":{\"path\":\"" + echo
        + "/no-such-file\",\"offset\":0}}");
    assertExchange(missing, RecordedJson.recording("agent-operator/READ_FILE-missing.json"),
        Set.of());
    for (String call : List.of("GET_HEALTH", "GET_VERSION")) {
      assertMatches(post(agent, "{\"type\":\"" + call + "\"}"), "agent-operator/" + call
          + ".json", Set.of());
    }
    assertExchange(post(agent, "{\"type\":\"NOT_A_REAL_CALL\"}"),
        RecordedJson.recording("agent-operator/error-unknown-call-type.json"), Set.of());

    filesApiAnswersAsRecorded(agent, echo);
    metricsAreEveryRecordedKeyAsFloats(agent);

    // the scheduler goes away (failover_timeout keeps the framework), then the operator tears
    // it down
    scheduler.close();
    scheduler = null;
    Thread.sleep(300);
    Answer teardown = post(cluster.masterUri(), "{\"type\":\"TEARDOWN\",\"teardown\":"
        + "{\"framework_id\":{\"value\":\"" + frameworkId.getValue() + "\"}}}");
    assertExchange(teardown, RecordedJson.recording("master-operator/TEARDOWN.json"), Set.of());
    assertMatches(masterCall("GET_TASKS"), "master-operator/GET_TASKS-after-TEARDOWN.json",
        TIMING);
    assertMatches(masterCall("GET_FRAMEWORKS"),
        "master-operator/GET_FRAMEWORKS-after-TEARDOWN.json", TIMING);
    // the agent kills the torn-down framework's task
    long deadline = System.nanoTime() + WAIT.toNanos();
    double running = 1;
    while (running > 0 && System.nanoTime() < deadline) {
      Thread.sleep(100);
      running = get(agent, "/metrics/snapshot").json().getAsJsonObject()
          .get("slave/tasks_running").getAsDouble();
    }
    assertThat(running).isEqualTo(0.0);
    Answer again = post(cluster.masterUri(), "{\"type\":\"TEARDOWN\",\"teardown\":"
        + "{\"framework_id\":{\"value\":\"" + frameworkId.getValue() + "\"}}}");
    assertThat(again.status).isEqualTo(400);
    assertThat(again.body).isEqualTo("No framework found with specified ID");
  }

  @Test
  void aProtobufCallGetsAProtobufAnswerWhenAcceptAsksForIt() throws Exception {
    byte[] call = org.apache.mesos.v1.master.Protos.Call.newBuilder()
        .setType(org.apache.mesos.v1.master.Protos.Call.Type.GET_HEALTH).build().toByteArray();
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(cluster.masterUri()
        .resolve("/api/v1")).header("Content-Type", "application/x-protobuf")
        .header("Accept", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(call)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");
    org.apache.mesos.v1.master.Protos.Response answer =
        org.apache.mesos.v1.master.Protos.Response.parseFrom(r.body());
    assertThat(answer.getGetHealth().getHealthy()).isTrue();
  }

  @Test
  void anOperatorTeardownClosesAConnectedSchedulersStreamWithoutAnErrorEvent() throws Exception {
    launchFixture();
    Answer teardown = post(cluster.masterUri(), "{\"type\":\"TEARDOWN\",\"teardown\":"
        + "{\"framework_id\":{\"value\":\"" + frameworkId.getValue() + "\"}}}");
    assertThat(teardown.status).isEqualTo(200);
    assertThat(teardown.body).isEmpty();
    scheduler.ended.get(10, TimeUnit.SECONDS);
    assertThat(scheduler.drain()).extracting(Event::getType).doesNotContain(Event.Type.ERROR);
    JsonObject tasks = masterCall("GET_TASKS").json().getAsJsonObject()
        .getAsJsonObject("get_tasks");
    assertThat(tasks.getAsJsonArray("tasks")).isEmpty();
    JsonObject sleeper = tasks.getAsJsonArray("completed_tasks").get(1).getAsJsonObject();
    assertThat(sleeper.get("state").getAsString()).isEqualTo("TASK_KILLED");
    JsonObject last = sleeper.getAsJsonArray("statuses").get(2).getAsJsonObject();
    assertThat(last.get("source").getAsString()).isEqualTo("SOURCE_MASTER");
    assertThat(last.get("reason").getAsString()).isEqualTo("REASON_FRAMEWORK_REMOVED");
    assertThat(last.get("message").getAsString())
        .isEqualTo("Framework " + frameworkId.getValue() + " removed");
  }

  private void filesApiAnswersAsRecorded(URI agent, String echo) throws Exception {
    String stdout = echo + "/stdout";
    assertThat(get(agent, "/files/read?path=" + q(stdout) + "&offset=0&length=100").body)
        .isEqualTo("{\"data\":\"hello-stdout\\n\",\"offset\":0}");
    assertThat(get(agent, "/files/read?path=" + q(stdout)).body)
        .isEqualTo("{\"data\":\"\",\"offset\":13}");
    assertThat(get(agent, "/files/read?path=" + q(stdout) + "&offset=-1").body)
        .isEqualTo("{\"data\":\"\",\"offset\":13}");
    assertThat(get(agent, "/files/read?path=" + q(stdout) + "&offset=1000&length=10").body)
        .isEqualTo("{\"data\":\"\",\"offset\":1000}");
    Answer bad = get(agent, "/files/read?path=" + q(stdout) + "&offset=abc");
    assertExchange(bad, RecordedJson.recording("files-api/read-bad-offset.json"), Set.of());
    assertExchange(get(agent, "/files/read?path=" + q(echo) + "&offset=0"),
        RecordedJson.recording("files-api/read-directory.json"), Set.of());
    assertExchange(get(agent, "/files/read?path=" + q(echo + "/no-such-file") + "&offset=0"),
        RecordedJson.recording("files-api/missing-read-404.json"), Set.of());
    assertExchange(get(agent, "/files/read?path=/etc/hostname&offset=0"),
        RecordedJson.recording("files-api/read-outside-sandbox.json"), Set.of());
    assertExchange(get(agent, "/files/browse?path=" + q(echo)),
        RecordedJson.recording("files-api/browse-virtual-path.json"),
        Set.of("$[*].size", "$[*].uid", "$[*].gid"));
    assertExchange(get(agent, "/files/browse?path=" + q(stdout)),
        RecordedJson.recording("files-api/browse-file.json"), Set.of());
    assertExchange(get(agent, "/files/browse"),
        RecordedJson.recording("files-api/browse-no-path.json"), Set.of());
    assertExchange(get(agent, "/files/browse?path=" + q(echo + "/no-such-dir")),
        RecordedJson.recording("files-api/missing-browse-404.json"), Set.of());
    Answer download = get(agent, "/files/download?path=" + q(stdout));
    assertThat(download.status).isEqualTo(200);
    assertThat(download.body).isEqualTo("hello-stdout\n");
    assertThat(download.headers).containsEntry("Content-Disposition",
        "attachment; filename=stdout").containsEntry("Content-Type", "application/octet-stream");
    assertExchange(get(agent, "/files/download?path=" + q(echo + "/no-such-file")),
        RecordedJson.recording("files-api/missing-download-404.json"), Set.of());

    // the real path is attached too, and debug lists both
    JsonObject debug = get(agent, "/files/debug").json().getAsJsonObject();
    assertThat(debug.keySet()).contains(echo);
    String real = debug.get(echo).getAsString();
    assertThat(debug.keySet()).contains(real);
    assertThat(get(agent, "/files/read?path=" + q(real + "/stdout") + "&offset=0").body)
        .isEqualTo("{\"data\":\"hello-stdout\\n\",\"offset\":0}");
    assertThat(debug.keySet()).allMatch(k -> k.contains(frameworkId.getValue()));
  }

  private void metricsAreEveryRecordedKeyAsFloats(URI agent) throws Exception {
    JsonObject master = get(cluster.masterUri(), "/metrics/snapshot").json().getAsJsonObject();
    JsonObject recorded = RecordedJson.body("metrics/master-snapshot.json").getAsJsonObject();
    String fw = "master/frameworks/reference-fixture/" + frameworkId.getValue() + "/";
    List<String> expected = new ArrayList<>();
    recorded.keySet().forEach(k -> expected.add(k.replace(
        "master/frameworks/reference-fixture/<framework-id>/", fw)));
    assertThat(master.keySet()).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(master.entrySet()).allMatch(e -> !RecordedJson.isInteger(e.getValue()));
    assertThat(master.get("master/tasks_running").getAsDouble()).isEqualTo(1.0);
    assertThat(master.get("master/tasks_finished").getAsDouble()).isEqualTo(1.0);
    assertThat(master.get("master/frameworks_active").getAsDouble()).isEqualTo(1.0);
    assertThat(master.get("master/slaves_active").getAsDouble()).isEqualTo(1.0);
    assertThat(master.get("master/cpus_total").getAsDouble()).isEqualTo(2.0);
    assertThat(master.get("master/elected").getAsDouble()).isEqualTo(1.0);

    JsonObject slave = get(agent, "/metrics/snapshot").json().getAsJsonObject();
    JsonObject recordedAgent = RecordedJson.body("metrics/agent-snapshot.json").getAsJsonObject();
    assertThat(slave.keySet()).containsExactlyInAnyOrderElementsOf(recordedAgent.keySet());
    assertThat(slave.entrySet()).allMatch(e -> !RecordedJson.isInteger(e.getValue()));
    assertThat(slave.get("slave/tasks_running").getAsDouble()).isEqualTo(1.0);
    assertThat(slave.get("slave/cpus_total").getAsDouble()).isEqualTo(2.0);
    assertThat(slave.get("slave/registered").getAsDouble()).isEqualTo(1.0);
  }

  // ================================================================== the fixture

  /** Framework reference-fixture: task sleeper running, task echo-task finished. */
  private void launchFixture() throws Exception {
    Protos.FrameworkInfo info = Protos.FrameworkInfo.newBuilder().setUser("root")
        .setName("reference-fixture").setFailoverTimeout(3600).setCheckpoint(false)
        .addRoles("*")
        .addCapabilities(cap(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE))
        .addCapabilities(cap(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE))
        .addCapabilities(cap(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE)).build();
    scheduler = new RawScheduler(cluster.masterUri(), true);
    scheduler.subscribe(Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build());
    frameworkId = scheduler.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId();
    Protos.Offer offer = scheduler.next(Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
    Call.Builder accept = call(Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH)
            .setLaunch(Protos.Offer.Operation.Launch.newBuilder()
                .addTaskInfos(task("echo-task", "echo hello-stdout", 0.1, 32, offer))
                .addTaskInfos(task("sleeper", "echo sleeper; sleep 300", 0.2, 64, offer)))));
    assertThat(scheduler.call(accept.build())).isEqualTo("202");
    boolean finished = false;
    boolean running = false;
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!(finished && running) && System.nanoTime() < deadline) {
      Event e = scheduler.next(Event.Type.UPDATE, WAIT);
      Protos.TaskStatus s = e.getUpdate().getStatus();
      if (s.hasUuid()) {
        assertThat(scheduler.call(call(Call.Type.ACKNOWLEDGE).setAcknowledge(
            Call.Acknowledge.newBuilder().setAgentId(s.getAgentId()).setTaskId(s.getTaskId())
                .setUuid(s.getUuid())).build())).isEqualTo("202");
      }
      finished |= s.getTaskId().getValue().equals("echo-task")
          && s.getState() == Protos.TaskState.TASK_FINISHED;
      running |= s.getTaskId().getValue().equals("sleeper")
          && s.getState() == Protos.TaskState.TASK_RUNNING;
    }
    assertThat(finished && running).as("echo-task finished and sleeper running").isTrue();
    // the acknowledgement of the last update reaches the master after its 202
    Thread.sleep(300);
  }

  private Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId);
  }

  private static Protos.FrameworkInfo.Capability cap(Protos.FrameworkInfo.Capability.Type t) {
    return Protos.FrameworkInfo.Capability.newBuilder().setType(t).build();
  }

  private static Protos.TaskInfo task(String id, String command, double cpus, double mem,
      Protos.Offer offer) {
    return Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(offer.getAgentId())
        .addResources(scalar("cpus", cpus))
        .addResources(scalar("mem", mem))
        .setCommand(Protos.CommandInfo.newBuilder().setShell(true).setValue(command))
        .build();
  }

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value))
        .setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole("*")).build();
  }

  private URI agentUri() throws Exception {
    JsonObject agents = masterCall("GET_AGENTS").json().getAsJsonObject()
        .getAsJsonObject("get_agents");
    JsonObject info = agents.getAsJsonArray("agents").get(0).getAsJsonObject()
        .getAsJsonObject("agent_info");
    return URI.create("http://" + info.get("hostname").getAsString() + ":"
        + info.get("port").getAsInt());
  }

  // ================================================================== HTTP

  /** An HTTP answer: status, headers (first values) and body. */
  record Answer(int status, Map<String, String> headers, String body) {
    JsonElement json() {
      return JsonParser.parseString(body);
    }
  }

  private Answer masterCall(String type) throws Exception {
    return post(cluster.masterUri(), "{\"type\":\"" + type + "\"}");
  }

  private static Answer post(URI server, String json) throws Exception {
    return send(HttpRequest.newBuilder(server.resolve("/api/v1"))
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  private static Answer get(URI server, String pathAndQuery) throws Exception {
    return send(HttpRequest.newBuilder(server.resolve(pathAndQuery)).GET().build());
  }

  /** Sends a recorded request (method, headers, body or body_text) to {@code server}. */
  private static Answer send(URI server, JsonObject request) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve(request.get("path")
        .getAsString()));
    if (request.has("headers")) {
      request.getAsJsonObject("headers").entrySet()
          .forEach(h -> b.header(h.getKey(), h.getValue().getAsString()));
    }
    String body = request.has("body") ? request.get("body").toString()
        : request.has("body_text") ? request.get("body_text").getAsString() : "";
    b.method(request.get("method").getAsString(), request.get("method").getAsString()
        .equals("GET") ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body));
    return send(b.build());
  }

  private static Answer send(HttpRequest request) throws Exception {
    HttpResponse<String> r = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .get(10, TimeUnit.SECONDS);
    Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    r.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
    return new Answer(r.statusCode(), headers, r.body());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  // ================================================================== comparing

  private static void assertMatches(Answer answer, String recording, Set<String> ignored) {
    assertExchange(answer, RecordedJson.recording(recording), ignored);
  }

  /** Status, Content-Type (or its absence), Content-Length when recorded, and the body. */
  private static void assertExchange(Answer answer, JsonObject exchange, Set<String> ignored) {
    JsonObject response = exchange.getAsJsonObject("response");
    String what = exchange.get("description").getAsString();
    assertThat(answer.status).as(what + ": " + answer.body)
        .isEqualTo(response.get("status").getAsInt());
    JsonObject headers = response.getAsJsonObject("headers");
    if (headers.has("Content-Type")) {
      assertThat(answer.headers.get("Content-Type")).as(what)
          .isEqualTo(headers.get("Content-Type").getAsString());
    } else {
      assertThat(answer.headers).as(what).doesNotContainKey("Content-Type");
    }
    String length = headers.has("Content-Length") ? headers.get("Content-Length").getAsString()
        : null;
    if (length != null && !length.startsWith("<") && ignored.isEmpty()) {
      assertThat(answer.headers.get("Content-Length")).as(what + ": " + answer.body)
          .isEqualTo(length);
    }
    if (response.has("body")) {
      assertThat(RecordedJson.differences(response.get("body"), answer.json(), ignored))
          .as(what + ": " + answer.body).isEmpty();
    } else if (response.has("body_text")) {
      assertThat(answer.body).as(what).isEqualTo(response.get("body_text").getAsString());
    }
  }
}
