package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules of {@code sdk-local/VALIDATION.md}, one test each: what a real Mesos 1.12 master
 * answers (its source, and the recordings in {@code shared/mesos-reference}), asserted exactly.
 */
class MesosRulesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String JSON = "application/json";
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String AGENT_1_POOL = "cpus(allocated: *):2; mem(allocated: *):1024;"
      + " disk(allocated: *):1000; ports(allocated: *):[31000-31004]";
  private static LocalCluster cluster;
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).build();

  private final List<Framework> frameworks = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:1024;disk:1000;ports:[31000-31009]")
        .allocationInterval(Duration.ofMillis(20))
        .start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Framework f : frameworks) {
      f.call(call(f.id, Call.Type.TEARDOWN));
      f.raw.close();
    }
  }

  // ================================================================ HTTP and calls

  @Test
  void aCallWithoutContentTypeIsABadRequest() throws Exception {
    assertThat(post(null, JSON, "{}", null))
        .isEqualTo("400 Expecting 'Content-Type' to be present");
  }

  @Test
  void aContentTypeWithParametersIsUnsupportedBecauseMesosComparesItLiterally() throws Exception {
    assertThat(post("application/json; charset=utf-8", JSON, "{\"type\":\"TEARDOWN\"}", null))
        .isEqualTo("415 Expecting 'Content-Type' of application/json or application/x-protobuf");
  }

  @Test
  void onlyPostIsAllowed() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint()).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode() + " " + r.body()).isEqualTo(
        "405 405 Method Not Allowed. Expecting one of { 'POST' }, but received 'GET'.");
  }

  @Test
  void malformedJsonIsABadRequest() throws Exception {
    assertThat(post(JSON, JSON, "{\"type\": \"SUBSCRIBE\"", null))
        .startsWith("400 Failed to parse body into JSON: ");
  }

  @Test
  void aJsonIdWithAnUnpairedSurrogateRefusesTheWholeCallAndItsNeighbourLaunchesAfter()
      throws Exception {
    Framework f = subscribe("rules-surrogate", true);
    Protos.Offer offer = f.offer("agent-1");
    Protos.TaskInfo bad = task("BAD-ID", "agent-1", "cpus:0.1;mem:32");
    Protos.TaskInfo good = task("good", "agent-1", "cpus:0.1;mem:32");
    Call accept = call(f.id, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH)
            .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(good)
                .addTaskInfos(bad)))).build();
    String json = com.google.protobuf.util.JsonFormat.printer().print(accept);
    for (String id : new String[] {"\\ud800x", "x\\udfff"}) {
      assertThat(post(JSON, JSON, json.replace("BAD-ID", id), f.raw.streamId)).isEqualTo(
          "400 Failed to parse body into JSON: the string \"" + id
              + "\" holds an unpaired UTF-16 surrogate");
    }
    // Bytes that are not UTF-8 could not be kept in a Java string: refused too.
    byte[] notUtf8 = json.replace("BAD-ID", "\u00ff").getBytes(StandardCharsets.ISO_8859_1);
    assertThat(post(JSON, JSON, notUtf8, f.raw.streamId))
        .isEqualTo("400 Failed to parse body into JSON: the body is not UTF-8 text");
    // Nothing of the refused calls happened: the offer is still whole and launches the
    // neighbour alone, which gets exactly one first answer, under its own id.
    Call alone = call(f.id, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH)
            .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(good)))).build();
    assertThat(f.call(alone)).isEqualTo("202");
    Protos.TaskStatus first = f.next(e -> e.getType() == Event.Type.UPDATE).getUpdate()
        .getStatus();
    assertThat(first.getTaskId().getValue()).isEqualTo("good");
    assertThat(first.getState()).isIn(Protos.TaskState.TASK_STARTING,
        Protos.TaskState.TASK_RUNNING);
  }

  @Test
  void jsonNestedDeeperThanStoutsLimitIsABadRequestNotAStackOverflow() throws Exception {
    assertThat(post(JSON, JSON, "[".repeat(201) + "]".repeat(201), null))
        .isEqualTo("400 Failed to parse body into JSON: nesting deeper than 200 levels");
    assertThat(post(JSON, JSON, "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000), null))
        .isEqualTo("400 Failed to parse body into JSON: nesting deeper than 200 levels");
    // 200 levels are still parsed (and then are not a call)
    assertThat(post(JSON, JSON, "[".repeat(200) + "]".repeat(200), null))
        .startsWith("400 Failed to convert JSON into Call protobuf: ");
  }

  @Test
  void aProtobufIdWhoseBytesAreNotUtf8IsRefusedNotMangled() throws Exception {
    Framework f = subscribe("rules-not-utf8", true);
    Protos.Offer offer = f.offer("agent-1");
    Protos.TaskInfo bad = task("x", "agent-1", "cpus:0.1;mem:32").toBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValueBytes(
            com.google.protobuf.ByteString.copyFrom(new byte[] {'t', (byte) 0xff})))
        .build();
    Call accept = call(f.id, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId())
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH)
            .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(bad)))).build();
    assertThat(post(PROTOBUF, PROTOBUF, accept.toByteArray(), f.raw.streamId)).isEqualTo(
        "400 Failed to parse body into Call protobuf: the string field"
            + " 'accept.operations.launch.task_infos.task_id.value' is not UTF-8");
  }

  @Test
  void aSubscribeWithoutFrameworkInfoMissesARequiredField() throws Exception {
    assertThat(post(JSON, JSON, "{\"type\": \"SUBSCRIBE\", \"subscribe\": {}}", null))
        .isEqualTo("400 Failed to convert JSON into Call protobuf: Missing required fields:"
            + " subscribe.framework_info");
  }

  @Test
  void aSubscribeWithoutItsSubscribeMessageFailsValidation() throws Exception {
    assertThat(post(JSON, JSON, "{\"type\": \"SUBSCRIBE\"}", null))
        .isEqualTo("400 Failed to validate scheduler::Call: Expecting 'subscribe' to be present");
  }

  @Test
  void anUnparsableProtobufIsABadRequest() throws Exception {
    assertThat(post(PROTOBUF, PROTOBUF, "not a protobuf", null))
        .isEqualTo("400 Failed to parse body into Call protobuf");
  }

  @Test
  void anUnknownCallTypeIsDroppedWhileParsingSoTheTypeIsMissing() throws Exception {
    assertThat(post(JSON, JSON, "{\"type\": \"NOT_A_CALL\"}", null))
        .isEqualTo("400 Failed to validate scheduler::Call: Expecting 'type' to be present");
  }

  @Test
  void aCallOtherThanSubscribeNeedsAFrameworkIdAndItsMessage() throws Exception {
    assertThat(post(JSON, JSON, "{\"type\": \"DECLINE\"}", null)).isEqualTo(
        "400 Failed to validate scheduler::Call: Expecting 'framework_id' to be present");
    assertThat(post(JSON, JSON, "{\"type\": \"ACCEPT\", \"framework_id\": {\"value\": \"x\"}}",
        null)).isEqualTo("400 Failed to validate scheduler::Call: Expecting 'accept' to be present");
    assertThat(post(JSON, JSON, "{\"type\": \"KILL\", \"framework_id\": {\"value\": \"x\"}}",
        null)).isEqualTo("400 Failed to validate scheduler::Call: Expecting 'kill' to be present");
  }

  @Test
  void subscribeFrameworkIdsMustAgree() throws Exception {
    Call bad = subscribeCall("rules-bad", "a", true).toBuilder()
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("b")).build();
    assertThat(post(PROTOBUF, PROTOBUF, bad.toByteArray(), null)).isEqualTo("400 Failed to"
        + " validate scheduler::Call: 'framework_id' differs from 'subscribe.framework_info.id'");
  }

  @Test
  void anAcknowledgementMustCarryAnRfc4122Uuid() throws Exception {
    Framework f = subscribe("rules-ack-uuid", true);
    Call ack = call(f.id, Call.Type.ACKNOWLEDGE).setAcknowledge(Call.Acknowledge.newBuilder()
        .setAgentId(Protos.AgentID.newBuilder().setValue("agent-1"))
        .setTaskId(Protos.TaskID.newBuilder().setValue("t"))
        .setUuid(ByteString.copyFrom(new byte[16]))).build();
    assertThat(f.call(ack)).isEqualTo("400 Failed to validate scheduler::Call: Not a valid UUID");
  }

  @Test
  void onlySubscribeLooksAtAcceptAndJsonWinsWhenBothAreAllowed() throws Exception {
    byte[] subscribe = subscribeCall("rules-accept", null, true).toByteArray();
    assertThat(post(PROTOBUF, "text/plain", subscribe, null)).isEqualTo("406 Expecting 'Accept'"
        + " to allow 'application/x-protobuf' or 'application/json'");
    assertThat(post(PROTOBUF, JSON + ";q=0", subscribe, null)).startsWith("406 ");
    // No Accept header accepts anything; JSON is chosen first, as Mesos chooses.
    assertThat(Wire.ofAccept(null)).contains(Wire.JSON);
    assertThat(Wire.ofAccept(PROTOBUF + ", " + JSON)).contains(Wire.JSON);
    assertThat(Wire.ofAccept("application/*")).contains(Wire.JSON);
    assertThat(Wire.ofAccept(PROTOBUF)).contains(Wire.PROTOBUF);
    // Other calls do not look at Accept.
    Framework f = subscribe("rules-accept-call", true);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint())
        .header("Content-Type", PROTOBUF).header("Accept", "text/plain")
        .header("Mesos-Stream-Id", f.raw.streamId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call(f.id, Call.Type.SUPPRESS)
            .build().toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(202);
  }

  @Test
  void anUpdateFrameworkIsAnsweredOkWithoutBodyAsMesosAnswersItNotAccepted() throws Exception {
    Framework f = subscribe("rules-update-ok", true);
    Protos.FrameworkInfo info = subscribeCall("rules-update-ok", f.id, true).getSubscribe()
        .getFrameworkInfo();
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(endpoint())
        .header("Content-Type", PROTOBUF).header("Mesos-Stream-Id", f.raw.streamId)
        .POST(HttpRequest.BodyPublishers.ofByteArray(call(f.id, Call.Type.UPDATE_FRAMEWORK)
            .setUpdateFramework(Call.UpdateFramework.newBuilder().setFrameworkInfo(info))
            .build().toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    // process::http::OK(): 200, a Response of type NONE: Content-Length 0, no Content-Type.
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEmpty();
    assertThat(r.headers().firstValue("Content-Length")).contains("0");
    assertThat(r.headers().firstValue("Content-Type")).isEmpty();
    assertThat(r.headers().firstValue("Date")).isPresent();
  }

  @Test
  void aSubscribeMustNotCarryAStreamId() throws Exception {
    assertThat(post(PROTOBUF, PROTOBUF, subscribeCall("rules-sid", null, true).toByteArray(),
        "some-stream")).isEqualTo(
            "400 Subscribe calls should not include the 'Mesos-Stream-Id' header");
  }

  @Test
  void aCallOfAnUnknownFrameworkIsABadRequestEvenWithoutAStreamId() throws Exception {
    assertThat(post(JSON, JSON, "{\"type\": \"DECLINE\", \"framework_id\": {\"value\":"
        + " \"no-such-framework\"}, \"decline\": {\"offer_ids\": []}}", null))
        .isEqualTo("400 Framework cannot be found");
  }

  @Test
  void aCallOfADisconnectedFrameworkIsForbiddenAndARecoveringMasterUnavailable()
      throws Exception {
    Framework f = subscribe("rules-disconnected", true);
    byte[] revive = call(f.id, Call.Type.REVIVE).build().toByteArray();
    cluster.restartMaster(Duration.ofMillis(300)); // closes every stream; failover_timeout 60 s
    assertThat(post(PROTOBUF, PROTOBUF, revive, f.raw.streamId))
        .isEqualTo("503 Master has not finished recovery");
    f.raw.ended.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    Thread.sleep(400); // the recovery is over: the framework is known and not subscribed
    assertThat(post(PROTOBUF, PROTOBUF, revive, f.raw.streamId))
        .isEqualTo("403 Framework is not subscribed");
    frameworks.remove(f);
    Framework again = new Framework(new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribeCall("rules-disconnected", f.id, true)), f.id);
    frameworks.add(again);
    again.raw.next(Event.Type.SUBSCRIBED, WAIT);
  }

  @Test
  void aCallNeedsTheCurrentStreamId() throws Exception {
    Framework f = subscribe("rules-stream", true);
    byte[] revive = call(f.id, Call.Type.REVIVE).build().toByteArray();
    assertThat(post(PROTOBUF, PROTOBUF, revive, null)).isEqualTo(
        "400 All non-subscribe calls should include the 'Mesos-Stream-Id' header");
    assertThat(post(PROTOBUF, PROTOBUF, revive, "stale")).isEqualTo("400 The stream ID 'stale'"
        + " included in this request didn't match the stream ID currently associated with"
        + " framework ID " + f.id);
  }

  @Test
  void frameworkIdsTheMasterAssignsAreAsciiInEveryLocale() throws Exception {
    java.util.Locale before = java.util.Locale.getDefault();
    java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-EG-u-nu-arab"));
    try {
      assertThat(String.format("%d", 7)).as("this locale writes other digits").isEqualTo("\u0667");
      assertThat(subscribe("rules-locale", true).id).matches("[0-9a-f-]+-[0-9]{4}");
    } finally {
      java.util.Locale.setDefault(before);
    }
  }

  // ================================================================ SUBSCRIBE's FrameworkInfo

  @Test
  void rolesWithoutMultiRoleAreRefusedOnTheStream() throws Exception {
    Protos.FrameworkInfo info = Protos.FrameworkInfo.newBuilder().setUser("u")
        .setName("rules-roles").addRoles("*").build();
    assertThat(refusal(info)).isEqualTo(
        "'FrameworkInfo.roles' must not be set when the framework is not MULTI_ROLE capable");
  }

  @Test
  @SuppressWarnings("deprecation")
  void theLegacyRoleWithMultiRoleIsRefusedOnTheStream() throws Exception {
    Protos.FrameworkInfo info = multiRole().setRole("*").build();
    assertThat(refusal(info)).isEqualTo(
        "'FrameworkInfo.role' must not be set when the framework is MULTI_ROLE capable");
  }

  @Test
  void duplicateAndInvalidRolesAreRefusedOnTheStream() throws Exception {
    assertThat(refusal(multiRole().addRoles("a").addRoles("a").build()))
        .isEqualTo("'FrameworkInfo.roles' contains duplicate items: { a }");
    assertThat(refusal(multiRole().addRoles("a/../b").build())).isEqualTo(
        "'FrameworkInfo.roles' contains invalid role: Role 'a/../b' cannot include '..' as a"
            + " component");
    assertThat(refusal(multiRole().addRoles("-x").build())).isEqualTo(
        "'FrameworkInfo.roles' contains invalid role: Role component '-x' is invalid because it"
            + " starts with a dash");
  }

  @Test
  void anInvalidFrameworkIdOrFailoverTimeoutIsRefusedOnTheStream() throws Exception {
    Protos.FrameworkInfo slash = multiRole().addRoles("*")
        .setId(Protos.FrameworkID.newBuilder().setValue("a/b")).build();
    assertThat(refusal(slash, "a/b")).isEqualTo("'a/b' contains invalid characters");
    assertThat(refusal(multiRole().addRoles("*").setFailoverTimeout(1e20).build()))
        .isEqualTo("The framework failover_timeout (1e+20) is invalid");
  }

  // ================================================================ offers

  @Test
  void offersToAFrameworkWithoutMultiRoleCarryNoAllocationInfo() throws Exception {
    Framework plain = subscribe("rules-no-multi-role", false);
    Protos.Offer offer = plain.offer("agent-1");
    assertThat(offer.hasAllocationInfo()).isFalse();
    assertThat(offer.getResourcesList()).allSatisfy(r ->
        assertThat(r.hasAllocationInfo()).isFalse());
    plain.call(call(plain.id, Call.Type.DECLINE).setDecline(Call.Decline.newBuilder()
        .addOfferIds(plain.offer("agent-2").getId())));
    Framework multi = subscribe("rules-multi-role", true);
    Protos.Offer other = multi.offer("agent-2");
    assertThat(other.getAllocationInfo().getRole()).isEqualTo("*");
    assertThat(other.getResourcesList()).allSatisfy(r ->
        assertThat(r.getAllocationInfo().getRole()).isEqualTo("*"));
  }

  @Test
  void aFrameworkWithoutMultiRoleLaunchesResourcesWithoutAllocationInfo() throws Exception {
    Framework f = subscribe("rules-plain-launch", false);
    Protos.TaskStatus status = f.launch("agent-1", task("plain", "agent-1", "cpus:0.1;mem:32"))
        .get(0);
    assertThat(status.getState()).isEqualTo(Protos.TaskState.TASK_STARTING);
    assertThat(status.hasUuid()).isTrue();
  }

  @Test
  void aMultiRoleFrameworkMayOmitAllocationInfoButNotNameAnotherRole() throws Exception {
    Framework f = subscribe("rules-multi-launch", true);
    assertThat(f.launch("agent-1", task("omitted", "agent-1", "cpus:0.1;mem:32")).get(0)
        .getState()).isEqualTo(Protos.TaskState.TASK_STARTING);
    Protos.TaskInfo other = task("wrong-role", "agent-2", "cpus:0.1;mem:32").toBuilder()
        .clearResources()
        .addResources(resource("cpus", 0.1).toBuilder().setAllocationInfo(role("other-role")))
        .addResources(resource("mem", 32).toBuilder().setAllocationInfo(role("other-role")))
        .build();
    Protos.TaskStatus error = f.launch("agent-2", other).get(0);
    assertThat(error.getState()).isEqualTo(Protos.TaskState.TASK_ERROR);
    assertThat(error.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
    assertThat(error.getMessage()).isEqualTo("Total resources cpus(allocated: other-role):0.1;"
        + " mem(allocated: other-role):32 required by task and its executor is more than available"
        + " cpus(allocated: *):2; mem(allocated: *):1024; disk(allocated: *):1000;"
        + " ports(allocated: *):[31005-31009]");
    assertThat(error.hasUuid()).isFalse();
  }

  @Test
  void aTaskNeedingMoreThanTheOffersHaveIsAnErrorInMesosWords() throws Exception {
    Framework f = subscribe("rules-too-big", true);
    Protos.TaskStatus error = f.launch("agent-1", task("big", "agent-1", "cpus:5;mem:32"))
        .get(0);
    assertThat(error.getMessage()).isEqualTo("Total resources cpus(allocated: *):5;"
        + " mem(allocated: *):32 required by task and its executor is more than available "
        + AGENT_1_POOL);
  }

  @Test
  void invalidOffersDropEveryTaskOfTheCallWithTheRuleBroken() throws Exception {
    Framework f = subscribe("rules-offers", true);
    Protos.Offer one = f.offer("agent-1");
    Protos.Offer two = f.offer("agent-2");
    assertThat(f.acceptOffers(List.of(), task("none", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("Task launched with invalid offers: No offers specified");
    assertThat(f.acceptOffers(List.of(one.getId(), one.getId()),
        task("twice", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("Task launched with invalid offers: Duplicate offer "
            + one.getId().getValue() + " in offer list");
    assertThat(f.acceptOffers(List.of(Protos.OfferID.newBuilder().setValue("gone").build()),
        task("gone", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("Task launched with invalid offers: Offer gone is no longer valid");
    // The failed call discarded the valid offer it named, as Mesos does: agent-1 comes again.
    Protos.Offer three = f.offer("agent-1");
    assertThat(three.getId()).isNotEqualTo(one.getId());
    assertThat(f.acceptOffers(List.of(three.getId(), two.getId()),
        task("both", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("Task launched with invalid offers: Aggregated offers must belong to one"
            + " single agent. Offer " + two.getId().getValue() + " uses agent agent-2 and agent"
            + " agent-1");
  }

  @Test
  void anOfferOfAnotherFrameworkIsNamedAsSuch() throws Exception {
    Framework owner = subscribe("rules-owner", true);
    Protos.Offer theirs = owner.offer("agent-1");
    Framework thief = subscribe("rules-thief", true);
    assertThat(thief.acceptOffers(List.of(theirs.getId()),
        task("stolen", "agent-1", "cpus:0.1;mem:32"))).isEqualTo("Task launched with invalid"
        + " offers: Offer " + theirs.getId().getValue() + " has invalid framework " + owner.id
        + " while framework " + thief.id + " is expected");
  }

  // ================================================================ resources of a LAUNCH

  @Test
  void oneInvalidResourceFailsEveryTaskOfItsLaunchOperation() throws Exception {
    Framework f = subscribe("rules-negative", true);
    Protos.TaskInfo good = task("good", "agent-1", "cpus:0.1;mem:32");
    Protos.TaskInfo bad = task("bad", "agent-1", "cpus:0.1;mem:32").toBuilder()
        .setResources(0, resource("cpus", -1)).build();
    List<Protos.TaskStatus> statuses = f.launch("agent-1", good, bad);
    assertThat(statuses).extracting(s -> s.getTaskId().getValue() + " " + s.getState() + " "
        + s.getReason() + " " + s.getMessage()).containsExactly(
            "good TASK_ERROR REASON_TASK_INVALID Resource 'cpus:-1' is invalid: Invalid scalar"
                + " resource: value <= 0",
            "bad TASK_ERROR REASON_TASK_INVALID Resource 'cpus:-1' is invalid: Invalid scalar"
                + " resource: value <= 0");
    // Nothing was held: the whole agent is offered again.
    assertThat(f.offer("agent-1").getResourcesList()).filteredOn(r -> r.getName()
        .equals("cpus")).singleElement().satisfies(r -> assertThat(r.getScalar().getValue())
        .isEqualTo(2.0));
  }

  @Test
  void everyKindOfInvalidResourceIsNamed() throws Exception {
    Framework f = subscribe("rules-resources", true);
    assertThat(firstMessage(f, resource("mem", Double.NEGATIVE_INFINITY))).isEqualTo(
        "Resource 'mem:-inf' is invalid: Invalid scalar resource: value <= 0");
    assertThat(firstMessage(f, resource("mem", Double.NaN))).isEqualTo(
        "Resource 'mem:nan' is invalid: Invalid scalar resource: value is not finite");
    assertThat(firstMessage(f, resource("mem", 0.0001))).isEqualTo(
        "Resource 'mem:0' is invalid: Invalid scalar resource: value <= 0");
    assertThat(firstMessage(f, ranges("ports", 31002, 31001))).isEqualTo(
        "Resource 'ports:[31002-31001]' is invalid: Invalid ranges resource: begin > end");
    assertThat(firstMessage(f, ranges("ports", 31000, 31002, 31001, 31003))).isEqualTo(
        "Resource 'ports:[31000-31002, 31001-31003]' is invalid: Invalid ranges resource:"
            + " overlapping ranges");
    assertThat(firstMessage(f, Protos.Resource.newBuilder().setName("zones")
        .setType(Protos.Value.Type.SET).setSet(Protos.Value.Set.newBuilder().addItem("a")
            .addItem("a")).build()))
        .isEqualTo("Resource 'zones:{a, a}' is invalid: Invalid set resource: duplicated"
            + " elements");
    assertThat(firstMessage(f, resource("", 1))).isEqualTo(
        "Resource ':1' is invalid: Empty resource name");
  }

  // ================================================================ tasks

  @Test
  void taskIdsFollowMesosIdRules() throws Exception {
    Framework f = subscribe("rules-task-ids", true);
    assertThat(taskError(f, task("a/b", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("'a/b' contains invalid characters");
    assertThat(taskError(f, task("a\\b", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("'a\\b' contains invalid characters");
    assertThat(taskError(f, task("..", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("'..' is disallowed");
    assertThat(taskError(f, task("", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("ID must not be empty");
    assertThat(taskError(f, task("x".repeat(256), "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("ID must not be greater than 255 characters");
    assertThat(taskError(f, task("tab\tid", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("'tab\\u0009id' contains invalid characters");
    assertThat(taskError(f, task("del\u007fid", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("'del\\u007fid' contains invalid characters");
    // Mesos counts bytes: 128 two-byte characters are 256 bytes.
    assertThat(taskError(f, task("\u00e9".repeat(128), "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("ID must not be greater than 255 characters");
  }

  @Test
  void aDuplicateTaskIdIsRefusedWithinOneAcceptAndAcrossAccepts() throws Exception {
    Framework f = subscribe("rules-duplicates", true);
    List<Protos.TaskStatus> statuses = f.launch("agent-1",
        task("dup", "agent-1", "cpus:0.1;mem:32"), task("dup", "agent-1", "cpus:0.1;mem:32"));
    assertThat(statuses).extracting(s -> s.getState() + " " + s.getMessage())
        .containsExactly("TASK_ERROR Task has duplicate ID: dup", "TASK_STARTING ");
    assertThat(taskError(f, task("dup", "agent-1", "cpus:0.1;mem:32")))
        .isEqualTo("Task has duplicate ID: dup");
  }

  @Test
  void aTaskMustNameTheAgentOfItsOffers() throws Exception {
    Framework f = subscribe("rules-agent", true);
    assertThat(taskError(f, task("elsewhere", "agent-2", "cpus:0.1;mem:32")))
        .isEqualTo("Task uses invalid agent agent-2 while agent agent-1 is expected");
  }

  @Test
  void durationsOfATaskMustNotBeNegative() throws Exception {
    Framework f = subscribe("rules-durations", true);
    Protos.DurationInfo negative = Protos.DurationInfo.newBuilder().setNanoseconds(-1).build();
    assertThat(taskError(f, task("kp", "agent-1", "cpus:0.1;mem:32").toBuilder()
        .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(negative)).build()))
        .isEqualTo("Task's 'kill_policy.grace_period' must be non-negative");
    assertThat(taskError(f, task("mct", "agent-1", "cpus:0.1;mem:32").toBuilder()
        .setMaxCompletionTime(negative).build()))
        .isEqualTo("Task's `max_completion_time` must be non-negative");
  }

  @Test
  void aTaskNeedsResourcesWholeGpusAndOneAllocationRole() throws Exception {
    Framework f = subscribe("rules-task-resources", true);
    assertThat(taskError(f, task("none", "agent-1", "cpus:0.1").toBuilder().clearResources()
        .build())).isEqualTo("Task uses no resources");
    assertThat(taskError(f, task("gpu", "agent-1", "cpus:0.1").toBuilder()
        .addResources(resource("gpus", 0.5)).build())).isEqualTo("Task uses invalid resources:"
        + " Invalid 'gpus' resource: The 'gpus' resource must be an unsigned integer");
    assertThat(taskError(f, task("roles", "agent-1", "cpus:0.1").toBuilder()
        .addResources(resource("mem", 32).toBuilder().setAllocationInfo(role("other"))).build()))
        .isEqualTo("Invalid task resources: The resources have multiple allocation roles"
            + " ('other' and '*') but only one allocation role is allowed");
  }

  @Test
  void aTaskHasACommandOrAnExecutorNotBoth() throws Exception {
    Framework f = subscribe("rules-command", true);
    String message = "Task should have at least one (but not both) of CommandInfo or"
        + " ExecutorInfo present";
    assertThat(taskError(f, task("neither", "agent-1", "cpus:0.1;mem:32").toBuilder()
        .clearCommand().build())).isEqualTo(message);
    assertThat(taskError(f, task("both", "agent-1", "cpus:0.1;mem:32").toBuilder()
        .setExecutor(executor("e")).build())).isEqualTo(message);
  }

  @Test
  void aTaskGroupWithOneInvalidTaskIsRefusedWholeWithTheTaskNamed() throws Exception {
    Framework f = subscribe("rules-group", true);
    Protos.ExecutorInfo executor = executor("group-executor").toBuilder()
        .setType(Protos.ExecutorInfo.Type.DEFAULT).clearCommand().build();
    Protos.TaskInfo ok = task("ok", "agent-1", "cpus:0.1;mem:32").toBuilder().clearCommand()
        .setCommand(Protos.CommandInfo.newBuilder().setValue("true")).build();
    Protos.TaskInfo bad = ok.toBuilder().setTaskId(Protos.TaskID.newBuilder().setValue("a/b"))
        .build();
    Protos.Offer offer = f.offer("agent-1");
    assertThat(f.call(call(f.id, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0))
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
            .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                .setTaskGroup(Protos.TaskGroupInfo.newBuilder().addTasks(ok).addTasks(bad)))))))
        .isEqualTo("202");
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Protos.TaskStatus s = f.next(e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
      answers.add(s.getTaskId().getValue() + " " + s.getState() + " " + s.getReason() + " "
          + s.getMessage());
    }
    String why = " TASK_ERROR REASON_TASK_GROUP_INVALID Task 'a/b' is invalid: 'a/b' contains"
        + " invalid characters";
    assertThat(answers).containsExactly("ok" + why, "a/b" + why);
  }

  @Test
  void aTaskGroupsExecutorFollowsTheIdRuleSoNoneEscapesTheSandbox() throws Exception {
    Framework f = subscribe("rules-group-executor", true);
    Protos.ExecutorInfo executor = executor("../../x").toBuilder()
        .setType(Protos.ExecutorInfo.Type.DEFAULT).clearCommand().build();
    Protos.TaskInfo one = task("one", "agent-1", "cpus:0.1;mem:32");
    Protos.Offer offer = f.offer("agent-1");
    f.call(call(f.id, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
        .addOfferIds(offer.getId()).setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0))
        .addOperations(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
            .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder().setExecutor(executor)
                .setTaskGroup(Protos.TaskGroupInfo.newBuilder().addTasks(one))))));
    Protos.TaskStatus s = f.next(e -> e.getType() == Event.Type.UPDATE).getUpdate().getStatus();
    assertThat(s.getState() + " " + s.getReason() + " " + s.getMessage()).isEqualTo(
        "TASK_ERROR REASON_TASK_GROUP_INVALID '../../x' contains invalid characters");
  }

  @Test
  void aResourceLocalClusterCannotCountIsRefusedAndHoldsNothing() throws Exception {
    Framework f = subscribe("rules-huge", true);
    String message = taskError(f, task("huge", "agent-1", "cpus:0.1;mem:32").toBuilder()
        .addResources(ranges("ports", 1, Long.MAX_VALUE)).build());
    assertThat(message).startsWith("Task uses invalid resources: ");
    assertThat(f.offer("agent-1").getResourcesList()).filteredOn(r -> r.getName()
        .equals("cpus")).singleElement().satisfies(r -> assertThat(r.getScalar().getValue())
        .isEqualTo(2.0));
  }

  // ================================================================ executors

  @Test
  void executorIdsFollowMesosIdRulesSoNoneEscapesTheSandbox() throws Exception {
    Framework f = subscribe("rules-executor-ids", true);
    assertThat(taskError(f, withExecutor("esc", executor("../../../../../x"))))
        .isEqualTo("'../../../../../x' contains invalid characters");
    assertThat(taskError(f, withExecutor("abs", executor("/tmp/x"))))
        .isEqualTo("'/tmp/x' contains invalid characters");
    assertThat(taskError(f, withExecutor("dotdot", executor(".."))))
        .isEqualTo("'..' is disallowed");
    assertThat(taskError(f, withExecutor("nul", executor("e\0x"))))
        .isEqualTo("'e\\u0000x' contains invalid characters");
  }

  @Test
  void anExecutorsTypeCommandAndGracePeriodAreChecked() throws Exception {
    Framework f = subscribe("rules-executor-fields", true);
    assertThat(taskError(f, withExecutor("default-cmd", executor("d").toBuilder()
        .setType(Protos.ExecutorInfo.Type.DEFAULT).build())))
        .isEqualTo("'ExecutorInfo.command' must not be set for 'DEFAULT' executor");
    assertThat(taskError(f, withExecutor("custom-no-cmd", executor("c").toBuilder()
        .setType(Protos.ExecutorInfo.Type.CUSTOM).clearCommand().build())))
        .isEqualTo("'ExecutorInfo.command' must be set for 'CUSTOM' executor");
    assertThat(taskError(f, withExecutor("default", executor("d").toBuilder()
        .setType(Protos.ExecutorInfo.Type.DEFAULT).clearCommand().build())))
        .isEqualTo("'ExecutorInfo.type' must be 'CUSTOM'");
    assertThat(taskError(f, withExecutor("no-cmd", executor("n").toBuilder()
        .clearCommand().build()))).isEqualTo("'ExecutorInfo.command' must be set");
    assertThat(taskError(f, withExecutor("grace", executor("g").toBuilder()
        .setShutdownGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(-1)).build())))
        .isEqualTo("ExecutorInfo's 'shutdown_grace_period' must be non-negative");
    assertThat(taskError(f, withExecutor("fw", executor("f").toBuilder()
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("someone-else")).build())))
        .isEqualTo("ExecutorInfo has an invalid FrameworkID (Actual: someone-else vs Expected: "
            + f.id + ")");
  }

  @Test
  void aSecondExecutorInfoWithTheSameIdMustBeTheSame() throws Exception {
    Framework f = subscribe("rules-executor-compatible", true);
    f.send("agent-1", withExecutor("first", executor("shared"))); // its executor never reports
    assertThat(taskError(f, withExecutor("second", executor("shared").toBuilder()
        .setName("another name").build()))).startsWith(
            "ExecutorInfo is not compatible with existing ExecutorInfo with same ExecutorID.\n"
                + "------------------------------------------------------------\n"
                + "Existing ExecutorInfo:\n");
  }

  // ================================================================ helpers

  private static URI endpoint() {
    return cluster.masterUri().resolve("/api/v1/scheduler");
  }

  private static String post(String contentType, String accept, String body, String streamId)
      throws Exception {
    return post(contentType, accept, body.getBytes(StandardCharsets.UTF_8), streamId);
  }

  private static String post(String contentType, String accept, byte[] body, String streamId)
      throws Exception {
    return RawScheduler.post(cluster.masterUri(), contentType, accept, body, streamId);
  }

  private static Protos.FrameworkInfo.Builder multiRole() {
    return Protos.FrameworkInfo.newBuilder().setUser("u").setName("rules")
        .addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE));
  }

  private static Protos.FrameworkInfo.Capability capability(
      Protos.FrameworkInfo.Capability.Type type) {
    return Protos.FrameworkInfo.Capability.newBuilder().setType(type).build();
  }

  private static Call subscribeCall(String name, String id, boolean multiRole) {
    Protos.FrameworkInfo.Builder info = Protos.FrameworkInfo.newBuilder().setUser("u")
        .setName(name).setFailoverTimeout(60)
        .addCapabilities(capability(Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE));
    if (multiRole) {
      info.addRoles("*").addCapabilities(capability(
          Protos.FrameworkInfo.Capability.Type.MULTI_ROLE));
    }
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE);
    if (id != null) {
      info.setId(Protos.FrameworkID.newBuilder().setValue(id));
      call.setFrameworkId(info.getId());
    }
    return call.setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info)).build();
  }

  private static Call.Builder call(String fwId, Call.Type type) {
    return Call.newBuilder().setType(type)
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(fwId));
  }

  private Framework subscribe(String name, boolean multiRole) throws Exception {
    RawScheduler raw = new RawScheduler(cluster.masterUri(), false)
        .subscribe(subscribeCall(name, null, multiRole));
    String id = raw.next(Event.Type.SUBSCRIBED, WAIT).getSubscribed().getFrameworkId()
        .getValue();
    Framework f = new Framework(raw, id);
    frameworks.add(f);
    return f;
  }

  /** The ERROR event a refused subscription gets on its 200 stream, then the stream ends. */
  private static String refusal(Protos.FrameworkInfo info) throws Exception {
    return refusal(info, null);
  }

  private static String refusal(Protos.FrameworkInfo info, String id) throws Exception {
    Call.Builder call = Call.newBuilder().setType(Call.Type.SUBSCRIBE)
        .setSubscribe(Call.Subscribe.newBuilder().setFrameworkInfo(info));
    if (id != null) {
      call.setFrameworkId(Protos.FrameworkID.newBuilder().setValue(id));
    }
    try (RawScheduler raw = new RawScheduler(cluster.masterUri(), false)
        .subscribe(call.build())) {
      assertThat(raw.subscribeStatus).isEqualTo(200);
      String message = raw.next(Event.Type.ERROR, WAIT).getError().getMessage();
      raw.ended.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      return message;
    }
  }

  private static Protos.Resource.AllocationInfo role(String role) {
    return Protos.Resource.AllocationInfo.newBuilder().setRole(role).build();
  }

  private static Protos.Resource resource(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static Protos.Resource ranges(String name, long... bounds) {
    Protos.Value.Ranges.Builder ranges = Protos.Value.Ranges.newBuilder();
    for (int i = 0; i < bounds.length; i += 2) {
      ranges.addRange(Protos.Value.Range.newBuilder().setBegin(bounds[i]).setEnd(bounds[i + 1]));
    }
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.RANGES)
        .setRanges(ranges).build();
  }

  /** A command task whose resources carry no allocation_info, as most clients send them. */
  private static Protos.TaskInfo task(String id, String agent, String resources) {
    Protos.TaskInfo.Builder t = Protos.TaskInfo.newBuilder().setName("task")
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setAgentId(Protos.AgentID.newBuilder().setValue(agent))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 30"));
    for (String part : resources.split(";")) {
      String[] kv = part.split(":");
      t.addResources(resource(kv[0], Double.parseDouble(kv[1])));
    }
    return t.build();
  }

  private static Protos.ExecutorInfo executor(String id) {
    return Protos.ExecutorInfo.newBuilder()
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue(id))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 30"))
        .addResources(resource("cpus", 0.1)).addResources(resource("mem", 32)).build();
  }

  private static Protos.TaskInfo withExecutor(String id, Protos.ExecutorInfo executor) {
    return task(id, "agent-1", "cpus:0.1;mem:32").toBuilder().clearCommand()
        .setExecutor(executor).build();
  }

  private static String taskError(Framework f, Protos.TaskInfo task) throws Exception {
    Protos.TaskStatus status = f.launch("agent-1", task).get(0);
    assertThat(status.getState()).as(status.toString()).isEqualTo(Protos.TaskState.TASK_ERROR);
    assertThat(status.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_TASK_INVALID);
    assertThat(status.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_MASTER);
    assertThat(status.hasUuid()).isFalse();
    return status.getMessage();
  }

  private static String firstMessage(Framework f, Protos.Resource extra) throws Exception {
    return taskError(f, task("r", "agent-1", "cpus:0.1").toBuilder().addResources(extra)
        .build());
  }

  /** One subscribed framework: its raw client, its id and the offers it holds, by agent. */
  private static final class Framework {
    final RawScheduler raw;
    final String id;
    final Map<String, Protos.Offer> offers = new HashMap<>();

    Framework(RawScheduler raw, String id) {
      this.raw = raw;
      this.id = id;
    }

    String call(Call.Builder call) throws Exception {
      return raw.call(call.build());
    }

    String call(Call call) throws Exception {
      return raw.call(call);
    }

    /** The next event matching; offers met on the way are kept, not skipped. */
    Event next(java.util.function.Predicate<Event> match) throws InterruptedException {
      return raw.next(e -> {
        if (e.getType() == Event.Type.OFFERS) {
          e.getOffers().getOffersList().forEach(o -> offers.put(o.getAgentId().getValue(), o));
        }
        return match.test(e);
      }, WAIT);
    }

    /** The outstanding offer of this agent, waiting for one if none is held. */
    Protos.Offer offer(String agent) throws Exception {
      while (!offers.containsKey(agent)) {
        next(e -> e.getType() == Event.Type.OFFERS);
      }
      return offers.remove(agent);
    }

    /** Launches the tasks on the agent's offer; returns the first update of each, in order. */
    List<Protos.TaskStatus> launch(String agent, Protos.TaskInfo... tasks) throws Exception {
      send(agent, tasks);
      java.util.Set<Protos.TaskID> ids = new java.util.HashSet<>();
      for (Protos.TaskInfo t : tasks) {
        ids.add(t.getTaskId());
      }
      List<Protos.TaskStatus> firsts = new ArrayList<>();
      for (int i = 0; i < tasks.length; i++) {
        firsts.add(next(e -> e.getType() == Event.Type.UPDATE
            && ids.contains(e.getUpdate().getStatus().getTaskId())).getUpdate().getStatus());
      }
      return firsts;
    }

    /** Sends an ACCEPT launching the tasks on the agent's offer, and nothing else. */
    void send(String agent, Protos.TaskInfo... tasks) throws Exception {
      Protos.Offer offer = offer(agent);
      Call accept = MesosRulesTest.call(id, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addOfferIds(offer.getId())
          .setFilters(Protos.Filters.newBuilder().setRefuseSeconds(0))
          .addOperations(Protos.Offer.Operation.newBuilder()
              .setType(Protos.Offer.Operation.Type.LAUNCH)
              .setLaunch(Protos.Offer.Operation.Launch.newBuilder()
                  .addAllTaskInfos(List.of(tasks))))).build();
      assertThat(raw.call(accept)).isEqualTo("202");
    }

    /** An ACCEPT of these offers; returns the message of the one task's update. */
    String acceptOffers(List<Protos.OfferID> ids, Protos.TaskInfo task) throws Exception {
      Call accept = MesosRulesTest.call(id, Call.Type.ACCEPT).setAccept(Call.Accept.newBuilder()
          .addAllOfferIds(ids)
          .addOperations(Protos.Offer.Operation.newBuilder()
              .setType(Protos.Offer.Operation.Type.LAUNCH)
              .setLaunch(Protos.Offer.Operation.Launch.newBuilder().addTaskInfos(task)))).build();
      assertThat(raw.call(accept)).isEqualTo("202");
      Protos.TaskStatus status = next(e -> e.getType() == Event.Type.UPDATE).getUpdate()
          .getStatus();
      assertThat(status.getTaskId()).isEqualTo(task.getTaskId());
      assertThat(status.getState()).isEqualTo(Protos.TaskState.TASK_DROPPED);
      assertThat(status.getReason()).isEqualTo(Protos.TaskStatus.Reason.REASON_INVALID_OFFERS);
      return status.getMessage();
    }
  }
}
