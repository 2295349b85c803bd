package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.http.testing.FakeAgent;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import dev.mesoskit.core.testing.RecordingExecutorEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class HttpExecutorBackendTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final FakeAgent agent = FakeAgent.start("fw-1", "exec-1");
  private final RecordingExecutorEvents events = new RecordingExecutorEvents();
  private HttpExecutorBackend backend;
  private int uuids;

  @AfterEach
  void stop() {
    if (backend != null) {
      backend.close();
    }
    agent.close();
  }

  /** The backend's builder for this agent: the default transport; a subclass gives a client. */
  HttpExecutorBackend.Builder builder() {
    return HttpExecutorBackend.builder()
        .agentEndpoint(agent.endpoint())
        .frameworkId("fw-1")
        .executorId("exec-1")
        .requestTimeout(Duration.ofSeconds(20)) // no test here waits for it: a loaded machine must not fail them
        .subscriptionBackoffMax(Duration.ofMillis(50));
  }

  /** The prefix of the names of the threads that deliver events. */
  String eventThreads() {
    return "mesoskit-executor-events";
  }

  private HttpExecutorBackend subscribed(HttpExecutorBackend.Builder b) {
    backend = b.build();
    backend.subscribe(events);
    events.awaitLineStartingWith("subscribed", WAIT);
    return backend;
  }

  private HttpExecutorBackend subscribed() {
    return subscribed(builder());
  }

  private TaskStatus status(String taskId, TaskState state) {
    byte[] uuid = new byte[16];
    uuid[0] = (byte) ++uuids;
    uuid[6] = 0x40;
    uuid[8] = (byte) 0x80;
    return new TaskStatus(taskId, state, Optional.of("message of " + state), Optional.empty(),
        Optional.of("SOURCE_EXECUTOR"), Optional.of(agent.agentId()), Optional.of("exec-1"),
        Optional.of(uuid), Instant.ofEpochSecond(1_700_000_000L, 250_000_000));
  }

  // ---------------------------------------------------------------- subscription

  @Test
  void theRegistrationCarriesTheFrameworksCapabilities() {
    agent.frameworkCapabilities(Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE,
        Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE);

    subscribed();

    assertThat(events.registrations()).extracting(r -> r.frameworkCapabilities())
        .containsExactly(java.util.Set.of("TASK_KILLING_STATE", "PARTITION_AWARE"));
  }

  @Test
  void subscribesWithTheIdsOverProtobufAndReportsTheRegistration() {
    subscribed();

    Call subscribe = agent.calls(Call.Type.SUBSCRIBE).get(0);
    assertThat(subscribe.getFrameworkId().getValue()).isEqualTo("fw-1");
    assertThat(subscribe.getExecutorId().getValue()).isEqualTo("exec-1");
    assertThat(subscribe.getSubscribe().getUnacknowledgedTasksCount()).isZero();
    assertThat(subscribe.getSubscribe().getUnacknowledgedUpdatesCount()).isZero();
    assertThat(events.lines()).containsExactly("subscribed fw-1 exec-1 fake-agent-1"
        + " fake-agent.host");
    assertThat(agent.authorizations()).containsExactly("");
  }

  @Test
  void theAgentsEventsArriveAsMesosKitValues() {
    subscribed();
    Protos.TaskInfo task = agent.task("t.1", "payload", Map.of("k", "v", "mesoskit.env.A", "1"),
        "cpus:0.5;mem:64;ports:[31000-31002]").toBuilder()
        .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(
            Protos.DurationInfo.newBuilder().setNanoseconds(2_000_000_000L)))
        .build();

    agent.launch(task);
    agent.send(Event.newBuilder().setType(Event.Type.LAUNCH_GROUP)
        .setLaunchGroup(Event.LaunchGroup.newBuilder().setTaskGroup(Protos.TaskGroupInfo
            .newBuilder().addTasks(agent.task("g.1", "")).addTasks(agent.task("g.2", ""))))
        .build());
    agent.kill("t.1");
    agent.kill("t.1", Duration.ofMillis(1500));
    agent.message("hi".getBytes(StandardCharsets.UTF_8));
    agent.send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
    agent.error("bad call");
    agent.shutdown();

    events.awaitLine("shutdown", WAIT);
    assertThat(events.lines()).containsExactly(
        "subscribed fw-1 exec-1 fake-agent-1 fake-agent.host",
        "launch t.1", "launch g.1", "launch g.2", "kill t.1", "kill t.1 1500ms", "message hi",
        "error bad call", "shutdown");
    LaunchedTask launched = events.launched().get(0);
    assertThat(launched).isEqualTo(new LaunchedTask("t.1", "task t.1",
        "payload".getBytes(StandardCharsets.UTF_8), Map.of("k", "v", "mesoskit.env.A", "1"),
        Resources.parse("cpus:0.5;mem:64;ports:[31000-31002]"), "exec-1", "fw-1",
        "fake-agent-1", Optional.of(Duration.ofSeconds(2))));
  }

  @Test
  void aBearerTokenGoesWithEveryRequest() throws Exception {
    agent.requireToken("jwt.token.value");
    subscribed(builder().authenticationToken("jwt.token.value"));

    backend.update(status("t.1", TaskState.RUNNING)).get(5, TimeUnit.SECONDS);
    backend.message(new byte[] {1});
    agent.awaitCall(Call.Type.MESSAGE, c -> true, WAIT);

    assertThat(agent.authorizations()).hasSize(3)
        .containsOnly("Bearer jwt.token.value");
    assertThat(agent.answers()).containsExactly(200, 202, 202);
  }

  @Test
  void aSubscriptionRefusedForAWrongTokenMeansTheAgentIsLost() {
    agent.requireToken("right");
    backend = builder().authenticationToken("wrong").checkpoint(true).build();

    backend.subscribe(events);

    assertThat(events.awaitLineStartingWith("lost", WAIT))
        .startsWith("lost agent " + agent.uri() + " answered SUBSCRIBE with HTTP 401");
    assertThat(agent.subscriptions()).isZero();
  }

  @Test
  void aSubscriptionRefusedForAnUnknownExecutorMeansTheAgentIsLost() {
    backend = builder().executorId("exec-9").checkpoint(true).build();

    backend.subscribe(events);

    assertThat(events.awaitLineStartingWith("lost", WAIT)).isEqualTo("lost agent "
        + agent.uri() + " answered SUBSCRIBE with HTTP 400: Executor cannot be found");
  }

  @Test
  void anAgentStillRecoveringIsAskedAgainWhenTheFrameworkCheckpoints() throws Exception {
    agent.recovering(true);
    backend = builder().checkpoint(true).build();
    backend.subscribe(events);
    Thread.sleep(200);
    assertThat(agent.subscriptions()).isZero();

    agent.recovering(false);

    events.awaitLineStartingWith("subscribed", WAIT);
    assertThat(events.lines()).noneMatch(l -> l.startsWith("lost"));
  }

  // ---------------------------------------------------------------- updates

  @Test
  void anUpdateIsSentAsUpdateAndCompletesWhenTheAgentAcknowledgesIt() throws Exception {
    subscribed();
    TaskStatus running = status("t.1", TaskState.RUNNING);

    backend.update(running).get(5, TimeUnit.SECONDS);

    Call update = agent.calls(Call.Type.UPDATE).get(0);
    Protos.TaskStatus sent = update.getUpdate().getStatus();
    assertThat(update.getFrameworkId().getValue()).isEqualTo("fw-1");
    assertThat(update.getExecutorId().getValue()).isEqualTo("exec-1");
    assertThat(sent.getTaskId().getValue()).isEqualTo("t.1");
    assertThat(sent.getState()).isEqualTo(Protos.TaskState.TASK_RUNNING);
    assertThat(sent.getMessage()).isEqualTo("message of RUNNING");
    assertThat(sent.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(sent.getExecutorId().getValue()).isEqualTo("exec-1");
    assertThat(sent.getAgentId().getValue()).isEqualTo("fake-agent-1");
    assertThat(sent.getUuid().toByteArray()).isEqualTo(running.uuid().orElseThrow());
    assertThat(sent.getTimestamp()).isEqualTo(1_700_000_000.25);
  }

  @Test
  void anUnacknowledgedUpdateIsResentUntilTheAgentAcknowledgesIt() throws Exception {
    agent.autoAcknowledge(false);
    subscribed(builder().updateRetryInterval(Duration.ofMillis(100)));

    CompletableFuture<Void> acked = backend.update(status("t.1", TaskState.RUNNING));
    FakeExecutorBackend.await(() -> agent.calls(Call.Type.UPDATE).size() >= 3, WAIT,
        () -> "expected resends but saw " + agent.calls(Call.Type.UPDATE).size());
    assertThat(agent.calls(Call.Type.UPDATE)).extracting(c -> c.getUpdate().getStatus().getUuid())
        .containsOnly(agent.updates().get(0).getUuid());
    assertThat(acked).isNotDone();

    agent.acknowledge(agent.updates().get(0));

    acked.get(5, TimeUnit.SECONDS);
    int sent = agent.calls(Call.Type.UPDATE).size();
    Thread.sleep(400);
    assertThat(agent.calls(Call.Type.UPDATE)).as("no resend after the acknowledgement")
        .hasSizeLessThanOrEqualTo(sent + 1);
    int settled = agent.calls(Call.Type.UPDATE).size();
    Thread.sleep(300);
    assertThat(agent.calls(Call.Type.UPDATE)).hasSize(settled);
  }

  @Test
  void anUpdateTheAgentRefusesIsDroppedAndItsFutureFails() throws Exception {
    agent.autoAcknowledge(false);
    subscribed(builder().updateRetryInterval(Duration.ofMillis(100)));
    TaskStatus noVersion = new TaskStatus("t.1", TaskState.RUNNING, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(new byte[16]), Instant.EPOCH);

    CompletableFuture<Void> f = backend.update(noVersion);

    assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(MesosKitException.class)
        .hasMessage("agent answered UPDATE with HTTP 400: agent=" + agent.uri() + " task=t.1"
            + " state=TASK_RUNNING body=Failed to validate Executor::Call: Not a valid UUID");
    Thread.sleep(300);
    assertThat(agent.calls(Call.Type.UPDATE)).hasSize(1);
  }

  @Test
  void stagingAndUpdatesWithoutA16ByteUuidAreTheCallersMistake() {
    subscribed();
    TaskStatus good = status("t.1", TaskState.RUNNING);

    assertThatThrownBy(() -> backend.update(new TaskStatus("t.1", TaskState.STAGING,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        good.uuid(), Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an executor must not send STAGING but task t.1 did");
    assertThatThrownBy(() -> backend.update(new TaskStatus("t.1", TaskState.RUNNING,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.of(new byte[8]), Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("status uuid must have 16 bytes but had 8");
    assertThatThrownBy(() -> backend.update(new TaskStatus("t.1", TaskState.RUNNING,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Instant.EPOCH)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an executor's status update must carry a uuid but task t.1 had none");
  }

  // ---------------------------------------------------------------- disconnections

  @Test
  void afterADroppedConnectionTheResubscriptionCarriesTheUnacknowledgedTasksAndUpdates()
      throws Exception {
    agent.autoAcknowledge(false);
    subscribed(builder().checkpoint(true));
    agent.launch(agent.task("acked.1", ""));
    Protos.TaskInfo openTask = agent.task("open.1", "payload", Map.of("k", "v"),
        "cpus:0.1;mem:32;ports:[31000-31001]");
    agent.launch(openTask);
    events.awaitLine("launch open.1", WAIT);
    CompletableFuture<Void> acked = backend.update(status("acked.1", TaskState.RUNNING));
    CompletableFuture<Void> open = backend.update(status("open.1", TaskState.RUNNING));
    agent.awaitUpdate("open.1", Protos.TaskState.TASK_RUNNING, WAIT);
    agent.acknowledge(agent.updates("acked.1").get(0));
    acked.get(5, TimeUnit.SECONDS);

    agent.dropStream();

    agent.awaitSubscriptions(2, WAIT);
    Call.Subscribe again = agent.calls(Call.Type.SUBSCRIBE).get(1).getSubscribe();
    // The task as it came, and the update as it was first sent.
    assertThat(again.getUnacknowledgedTasksList()).containsExactly(openTask);
    assertThat(again.getUnacknowledgedUpdatesList()).extracting(Call.Update::getStatus)
        .containsExactly(agent.updates("open.1").get(0));
    assertThat(events.awaitLineStartingWith("disconnected", WAIT))
        .isEqualTo("disconnected agent " + agent.uri() + " closed the subscription stream");

    agent.acknowledge(again.getUnacknowledgedUpdates(0).getStatus());
    open.get(5, TimeUnit.SECONDS);
  }

  @Test
  void updatesMadeWhileDisconnectedGoWithTheNextSubscription() throws Exception {
    subscribed(builder().checkpoint(true).subscriptionBackoffMax(Duration.ofMillis(300)));
    agent.recovering(true);
    agent.dropStream();
    events.awaitLineStartingWith("disconnected", WAIT);

    CompletableFuture<Void> f = backend.update(status("t.1", TaskState.FINISHED));
    agent.recovering(false);

    f.get(5, TimeUnit.SECONDS);
    Call.Subscribe carried = agent.calls(Call.Type.SUBSCRIBE).get(1).getSubscribe();
    assertThat(carried.getUnacknowledgedUpdatesList())
        .extracting(u -> u.getStatus().getState()).containsExactly(Protos.TaskState.TASK_FINISHED);
    assertThat(agent.calls(Call.Type.UPDATE)).isEmpty();
  }

  @Test
  void withoutCheckpointingADroppedConnectionMeansTheAgentIsLost() {
    subscribed(builder().checkpoint(false));

    agent.dropStream();

    assertThat(events.awaitLineStartingWith("lost", WAIT)).isEqualTo("lost agent "
        + agent.uri() + " closed the subscription stream; the framework does not checkpoint,"
        + " so the executor does not resubscribe");
    assertThat(agent.subscriptions()).isEqualTo(1);
  }

  @Test
  void anAgentThatStaysAwayPastTheRecoveryTimeoutIsLost() {
    subscribed(builder().checkpoint(true).recoveryTimeout(Duration.ofMillis(400)));

    long before = System.nanoTime();
    agent.close();

    String lost = events.awaitLineStartingWith("lost", WAIT);
    assertThat(lost).startsWith("lost no subscription within the recovery timeout of 400 ms;"
        + " last problem: ");
    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .isBetween(Duration.ofMillis(350), Duration.ofSeconds(4));
    assertThat(events.lines()).filteredOn(l -> l.startsWith("disconnected")).hasSize(1);
  }

  @Test
  void closeFailsTheUnacknowledgedUpdatesAndIsIdempotent() {
    agent.autoAcknowledge(false);
    subscribed();
    CompletableFuture<Void> f = backend.update(status("t.1", TaskState.RUNNING));
    agent.awaitUpdate("t.1", Protos.TaskState.TASK_RUNNING, WAIT);

    backend.close();
    backend.close();

    assertThat(f).isCompletedExceptionally();
    assertThatThrownBy(f::join).hasCauseInstanceOf(MesosKitException.class)
        .hasMessageContaining("executor backend closed before the agent acknowledged the update:"
            + " task=t.1 state=TASK_RUNNING");
    assertThat(backend.update(status("t.2", TaskState.RUNNING))).isCompletedExceptionally();
    assertThat(events.lines()).noneMatch(l -> l.startsWith("lost"));
  }

  @Test
  void messagesGoToTheAgentAsMessageCalls() {
    subscribed();

    backend.message("progress 50%".getBytes(StandardCharsets.UTF_8));

    Call message = agent.awaitCall(Call.Type.MESSAGE, c -> true, WAIT);
    assertThat(message.getMessage().getData()).isEqualTo(ByteString.copyFromUtf8("progress 50%"));
  }

  @Test
  void closeWhileTheFirstAttemptStartsReturnsOnceTheBackendsThreadsEnded() throws Exception {
    // The loop and close() both wait for the backend's lock, the loop to make its attempt
    // current: whichever takes it first, close() must stop the attempt and wait for its threads.
    for (int round = 1; round <= 10; round++) {
      java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
      HttpExecutorBackend b = builder().build();
      Thread closer = new Thread(b::close, "test-closer");
      synchronized (b) {
        b.subscribe(new RecordingExecutorEvents());
        awaitBlocked(() -> newThreads(before).stream()
            .filter(t -> t.getName().equals("mesoskit-executor-subscriber")).findFirst());
        closer.start();
        awaitBlocked(() -> Optional.of(closer));
      }
      closer.join(WAIT.toMillis());

      assertThat(closer.isAlive()).as("round %d: close() returned", round).isFalse();
      assertThat(newThreads(before)).as("round %d", round)
          .filteredOn(t -> t.getName().equals("mesoskit-executor-events")
              || t.getName().equals("mesoskit-executor-subscriber"))
          .isEmpty();
    }
  }

  private static List<Thread> newThreads(java.util.Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive()).toList();
  }

  private static void awaitBlocked(java.util.function.Supplier<Optional<Thread>> thread) {
    FakeExecutorBackend.await(() -> thread.get().map(t -> t.getState() == Thread.State.BLOCKED)
        .orElse(false), WAIT, () -> "no thread waiting for the backend's lock");
  }

  @Test
  void eventsArriveOneAtATimeOnTheTransportsThreadAndCloseStopsIt() throws Exception {
    List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicInteger inside = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger overlaps = new java.util.concurrent.atomic.AtomicInteger();
    java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
    backend = builder().build();
    backend.subscribe(new dev.mesoskit.core.spi.ExecutorEvents() {
      private void on(Runnable r) {
        if (inside.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        threads.add(Thread.currentThread().getName());
        r.run();
        inside.decrementAndGet();
      }

      @Override
      public void subscribed(dev.mesoskit.core.spi.ExecutorRegistration registration) {
        on(() -> events.subscribed(registration));
      }

      @Override
      public void launch(LaunchedTask task) {
        on(() -> events.launch(task));
      }

      @Override
      public void kill(String mesosTaskId, Optional<Duration> gracePeriod) {
        on(() -> events.kill(mesosTaskId, gracePeriod));
      }

      @Override
      public void message(byte[] data) {
        on(() -> events.message(data));
      }

      @Override
      public void shutdown() {
        on(events::shutdown);
      }

      @Override
      public void error(String message) {
        on(() -> events.error(message));
      }

      @Override
      public void disconnected(String cause) {
        on(() -> events.disconnected(cause));
      }

      @Override
      public void lost(String cause) {
        on(() -> events.lost(cause));
      }
    });
    events.awaitLineStartingWith("subscribed", WAIT);
    for (int i = 0; i < 50; i++) {
      agent.launch(agent.task("t." + i, ""));
    }
    agent.shutdown();
    events.awaitLine("shutdown", WAIT);
    List<Thread> readers = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.getName().equals("mesoskit-executor-events"))
        .toList();

    backend.close();

    assertThat(events.lines()).hasSize(52).endsWith("launch t.49", "shutdown");
    assertThat(overlaps.get()).isZero();
    assertThat(threads).allMatch(t -> t.startsWith(eventThreads()), "named " + eventThreads());
    assertThat(readers).as("close() returned once the reader ended").noneMatch(Thread::isAlive);
  }

  @Test
  void subscribeTwiceIsRefused() {
    subscribed();

    assertThatThrownBy(() -> backend.subscribe(events)).isInstanceOf(IllegalStateException.class)
        .hasMessage("subscribe was already called on this backend");
  }

  @Test
  void theBuilderNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> HttpExecutorBackend.builder().build())
        .hasMessage("agentEndpoint must be set");
    assertThatThrownBy(() -> HttpExecutorBackend.builder().agentEndpoint("no-port"))
        .hasMessage("agentEndpoint must be ip:port or http(s)://host:port but was 'no-port'");
    assertThatThrownBy(() -> HttpExecutorBackend.builder().agentEndpoint("10.0.0.1:5051")
        .executorId("e").build()).hasMessage("frameworkId must be set but was null");
    assertThatThrownBy(() -> HttpExecutorBackend.builder().agentEndpoint("10.0.0.1:5051")
        .frameworkId("f").build()).hasMessage("executorId must be set but was null");
    assertThatThrownBy(() -> HttpExecutorBackend.builder().agentEndpoint("10.0.0.1:5051")
        .frameworkId("f").executorId("e").recoveryTimeout(Duration.ZERO).build())
        .hasMessage("recoveryTimeout must be > 0 but was PT0S");
    assertThatThrownBy(() -> HttpExecutorBackend.builder().agentEndpoint("10.0.0.1:5051")
        .frameworkId("f").executorId("e").authenticationToken("a\r\nX-Evil: 1").build())
        .hasMessage("authenticationToken must not contain a line break");
    assertThat(HttpExecutorBackend.builder().agentEndpoint("https://agent.example:5051")
        .frameworkId("f").executorId("e").build().toString())
        .isEqualTo("HttpExecutorBackend[agent=https://agent.example:5051, executor=e]");
    assertThat(List.of(HttpExecutorBackend.builder().agentEndpoint("[::1]:5051")
        .frameworkId("f").executorId("e").build().toString()))
        .containsExactly("HttpExecutorBackend[agent=http://[::1]:5051, executor=e]");
  }
}
