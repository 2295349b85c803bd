package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.http.testing.FakeMaster;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpSchedulerBackendTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final FrameworkInfo INFO = new FrameworkInfo("test", "alice", "analytics",
      Optional.empty(), Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(),
      Set.of("PARTITION_AWARE"));

  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final RecordingEvents events = new RecordingEvents();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private FakeMaster master() {
    FakeMaster m = FakeMaster.start();
    closeables.add(m);
    return m;
  }

  private HttpSchedulerBackend backend(URI... masters) {
    HttpSchedulerBackend b = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(masters)))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .requestTimeout(Duration.ofSeconds(5))
        .build();
    closeables.add(b);
    return b;
  }

  @Test
  void subscribesWithProtobufAndTheFrameworkInfo() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    backend(master.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);

    Call subscribe = master.calls(Call.Type.SUBSCRIBE).get(0);
    Protos.FrameworkInfo fi = subscribe.getSubscribe().getFrameworkInfo();
    assertThat(subscribe.hasFrameworkId()).isFalse();
    assertThat(fi.getName()).isEqualTo("test");
    assertThat(fi.getUser()).isEqualTo("alice");
    assertThat(fi.getRolesList()).containsExactly("analytics");
    assertThat(fi.getFailoverTimeout()).isEqualTo(604800.0);
    assertThat(fi.getCheckpoint()).isTrue();
    assertThat(fi.getCapabilitiesList()).extracting(c -> c.getType().name())
        .containsExactlyInAnyOrder("MULTI_ROLE", "PARTITION_AWARE", "TASK_KILLING_STATE");
  }

  @Test
  void deliversOffersUpdatesAndOtherEventsInOrder() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    backend(master.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);

    master.send(FakeMaster.offers(FakeMaster.offer("o1", "a1", 4, 4096, 31000, 31009)));
    master.send(FakeMaster.update("t.1", "a1", Protos.TaskState.TASK_RUNNING, new byte[] {1}));
    master.send(FakeMaster.update("t.2", "a1", Protos.TaskState.TASK_LOST, null));
    events.await(l -> l.size() == 4, WAIT);

    assertThat(events.lines()).containsExactly("subscribed fw-1 15000ms", "offers [o1]",
        "update t.1 RUNNING", "update t.2 LOST");
    assertThat(events.offers().get(0).resources())
        .isEqualTo(Resources.parse("cpus:4;mem:4096;ports:[31000-31009]"));
    assertThat(events.updates().get(0).uuid()).hasValueSatisfying(u -> assertThat(u).containsExactly(1));
    assertThat(events.updates().get(1).uuid()).isEmpty();
    assertThat(events.updates().get(1).reason()).contains("REASON_RECONCILIATION");
  }

  @Test
  void sendsEveryCallWithTheStreamIdAndGets202() throws Exception {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    HttpSchedulerBackend backend = backend(master.uri());
    backend.subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);

    TaskSpec spec = TaskSpec.builder().name("hello").resources("cpus:1;mem:128")
        .command(CommandSpec.shell("echo hi")).env("GREETING", "hi").build();
    backend.accept(List.of("o1", "o2"), List.of(new TaskLaunch("hello-1.1", "a1", spec,
        Resources.parse("cpus:1;mem:128"), Resources.empty())), Duration.ofSeconds(5));
    backend.decline(List.of("o3"), Duration.ofSeconds(30));
    backend.revive();
    backend.suppress();
    backend.kill("t.1", "a1");
    backend.acknowledge("a1", "t.1", new byte[] {9, 8});
    backend.reconcile(List.of(new ReconcileTask("t.1", Optional.of("a1"))));
    backend.reconcile(List.of());
    backend.message("a1", "e1", "hey".getBytes(StandardCharsets.UTF_8));
    master.awaitCall(Call.Type.MESSAGE, WAIT);

    master.awaitCall(Call.Type.ACKNOWLEDGE, WAIT);

    List<Call> all = master.calls();
    assertThat(master.answers()).containsExactly(200, 202, 202, 202, 202, 202, 202, 202, 202, 202);
    assertThat(all.subList(1, all.size()))
        .allSatisfy(c -> assertThat(c.getFrameworkId().getValue()).isEqualTo("fw-1"));
    // Acknowledgements commute and go out on their own; every other call keeps its order.
    Call ack = master.calls(Call.Type.ACKNOWLEDGE).get(0);
    assertThat(ack.getAcknowledge().getUuid().toByteArray()).containsExactly(9, 8);
    assertThat(ack.getAcknowledge().getTaskId().getValue()).isEqualTo("t.1");
    assertThat(ack.getAcknowledge().getAgentId().getValue()).isEqualTo("a1");
    List<Call> calls = all.stream().filter(c -> c.getType() != Call.Type.ACKNOWLEDGE).toList();
    assertThat(calls).extracting(Call::getType).containsExactly(Call.Type.SUBSCRIBE,
        Call.Type.ACCEPT, Call.Type.DECLINE, Call.Type.REVIVE, Call.Type.SUPPRESS, Call.Type.KILL,
        Call.Type.RECONCILE, Call.Type.RECONCILE, Call.Type.MESSAGE);

    Call.Accept accept = calls.get(1).getAccept();
    assertThat(accept.getOfferIdsList()).extracting(Protos.OfferID::getValue)
        .containsExactly("o1", "o2");
    assertThat(accept.getFilters().getRefuseSeconds()).isEqualTo(5.0);
    Protos.TaskInfo task = accept.getOperations(0).getLaunch().getTaskInfos(0);
    assertThat(accept.getOperations(0).getType()).isEqualTo(Protos.Offer.Operation.Type.LAUNCH);
    assertThat(task.getTaskId().getValue()).isEqualTo("hello-1.1");
    assertThat(task.getAgentId().getValue()).isEqualTo("a1");
    assertThat(task.getCommand().getValue()).isEqualTo("echo hi");
    assertThat(task.getCommand().getEnvironment().getVariables(0).getName()).isEqualTo("GREETING");
    assertThat(calls.get(2).getDecline().getFilters().getRefuseSeconds()).isEqualTo(30.0);
    assertThat(calls.get(3).getRevive().getRolesList()).containsExactly("analytics");
    assertThat(calls.get(4).getSuppress().getRolesList()).containsExactly("analytics");
    assertThat(calls.get(5).getKill().getTaskId().getValue()).isEqualTo("t.1");
    assertThat(calls.get(6).getReconcile().getTasks(0).getAgentId().getValue()).isEqualTo("a1");
    assertThat(calls.get(7).getReconcile().getTasksCount()).isZero();
    assertThat(calls.get(8).getMessage().getData().toStringUtf8()).isEqualTo("hey");
  }

  @Test
  void aRefusedCallCarriesItsTypeStatusAndBody() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    HttpSchedulerBackend backend = backend(master.uri());
    backend.subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
    master.redirectTo(URI.create("http://127.0.0.1:1"));

    assertThatThrownBy(() -> backend.call(Call.newBuilder().setType(Call.Type.REVIVE)).get())
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isInstanceOfSatisfying(MesosCallException.class, e -> {
          assertThat(e.callType()).isEqualTo("REVIVE");
          assertThat(e.status()).isEqualTo(307);
          assertThat(e.getMessage()).startsWith("master answered REVIVE with HTTP 307: master="
              + master.uri());
        });
  }

  @Test
  void followsTheRedirectOfANonLeadingMaster() {
    FakeMaster follower = master();
    FakeMaster leader = master();
    follower.redirectTo(leader.uri());
    leader.assignFrameworkId("fw-9");
    backend(follower.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-9 15000ms", WAIT);
    assertThat(leader.subscriptions()).isEqualTo(1);
    assertThat(follower.subscriptions()).isZero();
  }

  @Test
  void backsOffWhileTheMasterAnswers503() throws Exception {
    FakeMaster master = master();
    master.unavailable(true);
    master.assignFrameworkId("fw-1");
    backend(master.uri()).subscribe(INFO, events);
    Thread.sleep(300);
    assertThat(events.lines()).isEmpty();
    master.unavailable(false);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
  }

  @Test
  void triesTheNextMasterWhenOneIsUnreachable() throws Exception {
    // A port held by a bound socket that does not listen: connections are refused, and no other
    // test can bind it meanwhile (as it could a port closed after use).
    try (java.net.Socket reserved = new java.net.Socket()) {
      reserved.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      FakeMaster master = master();
      master.assignFrameworkId("fw-2");
      backend(URI.create("http://127.0.0.1:" + reserved.getLocalPort()), master.uri())
          .subscribe(INFO, events);
      events.awaitLine("subscribed fw-2 15000ms", WAIT);
    }
  }

  @Test
  void resubscribesWithTheFrameworkIdInBothPlacesAfterTheStreamDrops() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    backend(master.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);

    master.dropStream();
    master.awaitSubscriptions(2, WAIT);
    events.await(l -> l.equals(List.of("subscribed fw-1 15000ms", "disconnected",
        "subscribed fw-1 15000ms")), WAIT);
    Call again = master.calls(Call.Type.SUBSCRIBE).get(1);
    assertThat(again.getFrameworkId().getValue()).isEqualTo("fw-1");
    assertThat(again.getSubscribe().getFrameworkInfo().getId().getValue()).isEqualTo("fw-1");
  }

  @Test
  void treatsFiveMissedHeartbeatsAsADeadConnection() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    master.heartbeatInterval(Duration.ofMillis(100));
    backend(master.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 100ms", WAIT);
    long silentSince = System.nanoTime();
    master.heartbeats(false);

    master.awaitSubscriptions(2, WAIT);
    long silentMs = (System.nanoTime() - silentSince) / 1_000_000;
    assertThat(silentMs).as("gave up after about 5 intervals, not at the first").isGreaterThan(400);
    assertThat(events.lines()).contains("disconnected");
  }

  @Test
  void heartbeatsKeepTheConnection() throws Exception {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    // Ten intervals pass; the backend gives up only after five missed in a row (500 ms), a
    // margin that a loaded machine's pauses stay within.
    master.heartbeatInterval(Duration.ofMillis(100));
    backend(master.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 100ms", WAIT);
    Thread.sleep(1000);
    assertThat(master.subscriptions()).isEqualTo(1);
    assertThat(events.lines()).containsExactly("subscribed fw-1 100ms");
    assertThat(events.heartbeats()).as("heartbeats reported to the framework").isPositive();
  }

  @Test
  void anErrorEventEndsTheBackendWithoutResubscribing() throws Exception {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    backend(master.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
    master.send(FakeMaster.error("Framework failed over"));
    events.awaitLine("error Framework failed over", WAIT);
    Thread.sleep(300);
    assertThat(master.subscriptions()).isEqualTo(1);
  }

  @Test
  void authenticatesWithBasicAuthFromTheSecretFile(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret");
    Files.writeString(secret, "s3cret\n");
    HttpClient spy = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    List<String> seen = new ArrayList<>();
    com.sun.net.httpserver.HttpServer raw = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    raw.createContext("/api/v1/scheduler", ex -> {
      synchronized (seen) {
        seen.add(ex.getRequestHeaders().getFirst("Authorization"));
      }
      ex.sendResponseHeaders(401, -1);
      ex.close();
    });
    raw.start();
    try {
      HttpSchedulerBackend backend = HttpSchedulerBackend.builder()
          .detector(new StaticMasterDetector(
              List.of(URI.create("http://127.0.0.1:" + raw.getAddress().getPort()))))
          .principal("analytics").secretFile(secret).httpClient(spy)
          .build();
      closeables.add(backend);
      backend.subscribe(INFO, events);
      events.await(l -> l.stream().anyMatch(s -> s.startsWith("failed ")), WAIT);
      assertThat(seen.get(0)).isEqualTo("Basic " + Base64.getEncoder()
          .encodeToString("analytics:s3cret".getBytes(StandardCharsets.UTF_8)));
      assertThat(events.lines()).containsExactly("failed master http://127.0.0.1:"
          + raw.getAddress().getPort() + " did not accept the credentials of principal"
          + " 'analytics': it answered 401 to SUBSCRIBE");
    } finally {
      raw.stop(0);
    }
  }

  @Test
  void aPrincipalWithoutASecretFileIsRefusedAtBuild() {
    assertThatThrownBy(() -> HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(URI.create("http://127.0.0.1:5050"))))
        .principal("p").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secretFile must be set when a principal is set");
  }

  @Test
  void closeDisconnectsWithoutTeardownAndTeardownSendsIt() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    HttpSchedulerBackend first = backend(master.uri());
    first.subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
    first.close();
    assertThat(master.calls(Call.Type.TEARDOWN)).isEmpty();

    RecordingEvents again = new RecordingEvents();
    HttpSchedulerBackend second = backend(master.uri());
    second.subscribe(INFO.withId("fw-1"), again);
    again.awaitLine("subscribed fw-1 15000ms", WAIT);
    second.teardown();
    assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
    assertThat(master.answers().get(master.answers().size() - 1)).isEqualTo(202);
  }

  @Test
  void teardownWaitsForAcknowledgementsInFlightAndNoneIsSentAfterIt() throws Exception {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    master.delayAnswers(Call.Type.ACKNOWLEDGE, Duration.ofMillis(300)); // a slow last ack
    HttpSchedulerBackend backend = backend(master.uri());
    backend.subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
    byte[] uuid = java.util.UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII);

    backend.acknowledge("agent-1", "t.1", uuid);
    backend.teardown();
    backend.acknowledge("agent-1", "t.2", uuid); // an update that came during the teardown

    assertThat(master.exchanges()).containsExactly("arrived SUBSCRIBE", "arrived ACKNOWLEDGE",
        "answered ACKNOWLEDGE 202", "arrived TEARDOWN", "answered TEARDOWN 202");
  }

  @Test
  void aTeardownTheMasterDoesNotConfirmInTimeIsAFailureNamingTheFramework() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    master.delayAnswers(Call.Type.TEARDOWN, Duration.ofSeconds(30));
    HttpSchedulerBackend backend = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(master.uri())))
        .requestTimeout(Duration.ofMillis(300)).build();
    closeables.add(backend);
    backend.subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);

    assertThatThrownBy(backend::teardown).isInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("TEARDOWN of framework fw-1 failed: ")
        .hasMessageEndingWith("; the master keeps it and its tasks until its failover timeout");
  }

  @Test
  void aTeardownWithoutASubscriptionSaysTheFrameworkStaysRegistered() {
    FakeMaster master = master();
    master.unavailable(true);
    HttpSchedulerBackend backend = HttpSchedulerBackend.builder()
        .detector(new StaticMasterDetector(List.of(master.uri())))
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100))
        .requestTimeout(Duration.ofMillis(300)).build();
    closeables.add(backend);
    backend.subscribe(INFO.withId("fw-9"), events);

    assertThatThrownBy(backend::teardown).isInstanceOf(MesosKitException.class)
        .hasMessage("not subscribed within PT0.3S, no TEARDOWN sent: the master keeps"
            + " framework_id=fw-9 and its tasks until its failover timeout");
  }

  @Test
  void teardownRightAfterSubscribeWaitsForTheSubscriptionAndSendsIt() throws Exception {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    master.unavailable(true); // SUBSCRIBE answered 503 and retried until it is lifted
    HttpSchedulerBackend backend = backend(master.uri());
    backend.subscribe(INFO, events);
    CompletableFuture<Void> teardown = CompletableFuture.runAsync(backend::teardown);
    master.awaitSubscriptions(0, WAIT);
    Thread.sleep(200);
    assertThat(teardown).isNotDone(); // waiting for the subscription, not failing at once
    master.unavailable(false);

    teardown.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(master.calls(Call.Type.TEARDOWN)).hasSize(1);
    assertThat(master.calls(Call.Type.TEARDOWN).get(0).getFrameworkId().getValue())
        .isEqualTo("fw-1");
  }

  @Test
  void rejectsWrongContentTypesAcceptsAndStreamIdsAsMesosDoes() throws Exception {
    FakeMaster master = master();
    HttpClient http = HttpClient.newHttpClient();
    byte[] revive = Call.newBuilder().setType(Call.Type.REVIVE).build().toByteArray();
    URI endpoint = master.uri().resolve("/api/v1/scheduler");
    assertThat(post(http, endpoint, "text/plain", "application/x-protobuf", null, revive))
        .isEqualTo(415);
    assertThat(post(http, endpoint, "application/x-protobuf", "text/html", null, revive))
        .isEqualTo(406);
    assertThat(post(http, endpoint, "application/x-protobuf", "application/x-protobuf", null,
        revive)).as("calls before SUBSCRIBED").isEqualTo(403);

    master.assignFrameworkId("fw-1");
    backend(master.uri()).subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
    assertThat(post(http, endpoint, "application/x-protobuf", "application/x-protobuf", null,
        revive)).as("missing stream id").isEqualTo(400);
    assertThat(post(http, endpoint, "application/x-protobuf", "application/x-protobuf", "stale",
        revive)).as("stale stream id").isEqualTo(400);
  }

  private static int post(HttpClient http, URI uri, String type, String accept, String streamId,
      byte[] body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", type)
        .header("Accept", accept).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (streamId != null) {
      b.header("Mesos-Stream-Id", streamId);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Test
  void leaderBaseResolvesProtocolRelativeLocations() {
    URI from = URI.create("https://m1:5050");
    assertThat(HttpSchedulerBackend.leaderBase(from, "//m2:5050/api/v1/scheduler"))
        .isEqualTo(URI.create("https://m2:5050"));
    assertThat(HttpSchedulerBackend.leaderBase(from, "http://m3:5051"))
        .isEqualTo(URI.create("http://m3:5051"));
  }

  @Test
  void taskStateOfEveryV1UpdateMapsToAnSdkState() {
    for (Protos.TaskState s : Protos.TaskState.values()) {
      assertThat(TaskState.fromMesos(s.name()).toMesos()).isEqualTo(s.name());
    }
  }

  @Test
  void acceptWithPodsSendsOneLaunchAndOneLaunchGroupPerPodInOneAccept() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    HttpSchedulerBackend backend = backend(master.uri());
    backend.subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
    TaskSpec spec = TaskSpec.builder().name("hello").resources("cpus:1;mem:128")
        .command("echo hi").build();
    TaskLaunch single = new TaskLaunch("hello-1.1", "a1", spec,
        Resources.parse("cpus:1;mem:128"), Resources.empty());
    TaskGroupLaunch pod = V1ConversionsTest.pod();

    backend.accept(List.of("o1"), List.of(single), List.of(pod), Duration.ofSeconds(5));
    backend.accept(List.of("o2"), List.of(), List.of(pod), Duration.ofSeconds(5));

    master.awaitCall(Call.Type.ACCEPT, c -> c.getAccept().getOfferIds(0).getValue().equals("o2"),
        WAIT);
    List<Call> accepts = master.calls(Call.Type.ACCEPT);
    assertThat(accepts.get(0)).isEqualTo(Call.newBuilder()
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
        .setType(Call.Type.ACCEPT)
        .setAccept(Call.Accept.newBuilder()
            .addOfferIds(Protos.OfferID.newBuilder().setValue("o1"))
            .addOperations(Protos.Offer.Operation.newBuilder()
                .setType(Protos.Offer.Operation.Type.LAUNCH)
                .setLaunch(Protos.Offer.Operation.Launch.newBuilder()
                    .addTaskInfos(V1Conversions.taskInfo(single))))
            .addOperations(V1Conversions.launchGroup(pod, "fw-1"))
            .setFilters(V1Conversions.filters(Duration.ofSeconds(5))))
        .build());
    assertThat(accepts.get(1).getAccept().getOperationsList())
        .containsExactly(V1Conversions.launchGroup(pod, "fw-1"));
    assertThat(master.answers()).containsOnly(200, 202);
  }

  @Test
  void updateFrameworkSendsTheNewInfoWithTheFrameworkIdAndKeepsSuppressedRoles() {
    FakeMaster master = master();
    master.assignFrameworkId("fw-1");
    HttpSchedulerBackend backend = backend(master.uri());
    backend.subscribe(INFO, events);
    events.awaitLine("subscribed fw-1 15000ms", WAIT);
    backend.suppress();
    FrameworkInfo updated = INFO.roles(List.of("analytics", "batch"))
        .capabilities(Set.of("PARTITION_AWARE", "GPU_RESOURCES"));

    backend.updateFramework(updated);
    backend.revive();

    master.awaitCall(Call.Type.REVIVE, WAIT);
    Call update = master.calls(Call.Type.UPDATE_FRAMEWORK).get(0);
    assertThat(update).isEqualTo(Call.newBuilder()
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
        .setType(Call.Type.UPDATE_FRAMEWORK)
        .setUpdateFramework(Call.UpdateFramework.newBuilder()
            .setFrameworkInfo(V1Conversions.frameworkInfo(updated.withId("fw-1")))
            .addSuppressedRoles("analytics"))
        .build());
    assertThat(update.getUpdateFramework().getFrameworkInfo().getRolesList())
        .containsExactly("analytics", "batch");
    assertThat(master.calls(Call.Type.REVIVE).get(0).getRevive().getRolesList())
        .as("revive covers every role of the framework").containsExactly("analytics", "batch");
    // SUBSCRIBE 200, SUPPRESS 202, UPDATE_FRAMEWORK 200 as Mesos answers it, REVIVE 202
    assertThat(master.answers()).containsExactly(200, 202, 200, 202);
  }
}
