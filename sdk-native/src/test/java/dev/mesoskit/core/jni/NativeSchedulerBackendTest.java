package dev.mesoskit.core.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.testing.ManualScheduler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.mesos.Protos;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

class NativeSchedulerBackendTest {
  private static final FrameworkInfo INFO = new FrameworkInfo("test", "alice", "*",
      Optional.empty(), Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(),
      Set.of("PARTITION_AWARE"));
  private static final byte[] UUID = {
      0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
      0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};

  /** Answers as a running libmesos driver: DRIVER_RUNNING, and DRIVER_STOPPED from stop. */
  private final SchedulerDriver driver = mock(SchedulerDriver.class,
      invocation -> invocation.getMethod().getName().equals("stop")
          ? Protos.Status.DRIVER_STOPPED
          : Protos.Status.DRIVER_RUNNING);
  private final List<DriverRequest> requests = new ArrayList<>();
  private final RecordingEvents events = new RecordingEvents();

  private NativeSchedulerBackend.Builder backend() {
    return NativeSchedulerBackend.builder().master("10.0.0.1:5050").driverFactory(r -> {
      requests.add(r);
      return driver;
    });
  }

  private NativeSchedulerBackend subscribed() {
    NativeSchedulerBackend backend = backend().build();
    backend.subscribe(INFO, events);
    return backend;
  }

  private Scheduler callbacks() {
    assertThat(requests).hasSize(1);
    return requests.get(0).scheduler();
  }

  // ---------------------------------------------------------------- subscribe

  @Test
  void subscribeStartsADriverWithImplicitAcknowledgementsOff() {
    subscribed();

    DriverRequest request = requests.get(0);
    assertThat(request.implicitAcknowledgements()).isFalse();
    assertThat(request.master()).isEqualTo("10.0.0.1:5050");
    assertThat(request.credential()).isEmpty();
    Protos.FrameworkInfo info = request.frameworkInfo();
    assertThat(info.getName()).isEqualTo("test");
    assertThat(info.getUser()).isEqualTo("alice");
    assertThat(info.getRolesList()).containsExactly("*");
    assertThat(info.getCheckpoint()).isTrue();
    assertThat(info.getFailoverTimeout()).isEqualTo(604_800.0);
    assertThat(info.hasId()).isFalse();
    assertThat(info.hasPrincipal()).isFalse();
    assertThat(info.getCapabilitiesList()).extracting(Protos.FrameworkInfo.Capability::getType)
        .containsExactlyInAnyOrder(Protos.FrameworkInfo.Capability.Type.MULTI_ROLE,
            Protos.FrameworkInfo.Capability.Type.PARTITION_AWARE,
            Protos.FrameworkInfo.Capability.Type.TASK_KILLING_STATE);
    verify(driver).start();
    verifyNoMoreInteractions(driver);
  }

  @Test
  void subscribeWhenFailingOverCarriesTheFrameworkId() {
    NativeSchedulerBackend backend = backend().build();

    backend.subscribe(INFO.withId("fw-1"), events);

    assertThat(requests.get(0).frameworkInfo().getId().getValue()).isEqualTo("fw-1");
  }

  @Test
  void subscribeAuthenticatesWithThePrincipalAndTheSecretReadFromTheFile(@TempDir Path dir)
      throws Exception {
    Path secret = dir.resolve("secret");
    Files.write(secret, "s3cr3t with spaces\n".getBytes(StandardCharsets.UTF_8));
    NativeSchedulerBackend backend = backend().principal("fw-principal").secretFile(secret).build();

    backend.subscribe(INFO, events);

    DriverRequest request = requests.get(0);
    Protos.Credential credential = request.credential().orElseThrow();
    assertThat(credential.getPrincipal()).isEqualTo("fw-principal");
    assertThat(credential.getSecretBytes().toStringUtf8()).isEqualTo("s3cr3t with spaces");
    assertThat(request.frameworkInfo().getPrincipal()).isEqualTo("fw-principal");
    assertThat(request.implicitAcknowledgements()).isFalse();
    assertThat(request.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void subscribeRefusesAFrameworkPrincipalOtherThanTheAuthenticatedOne(@TempDir Path dir)
      throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "s");
    NativeSchedulerBackend backend = backend().principal("fw-principal").secretFile(secret).build();
    FrameworkInfo other = new FrameworkInfo("test", "alice", "*", Optional.of("someone-else"),
        Optional.empty(), Duration.ofDays(7), Optional.empty(), Optional.empty(), Set.of());

    assertThatThrownBy(() -> backend.subscribe(other, events))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the backend authenticates as principal 'fw-principal' so the framework's"
            + " principal must be the same but was 'someone-else'");
    assertThat(requests).isEmpty();
  }

  @Test
  void subscribeTwiceFails() {
    NativeSchedulerBackend backend = subscribed();

    assertThatThrownBy(() -> backend.subscribe(INFO, events))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("subscribe must be called once on a native backend but it was already"
            + " subscribed");
  }

  @Test
  void subscribeFailsWhenTheDriverDoesNotStart() {
    when(driver.start()).thenReturn(Protos.Status.DRIVER_ABORTED);
    NativeSchedulerBackend backend = backend().build();

    assertThatThrownBy(() -> backend.subscribe(INFO, events))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("the native scheduler driver did not start: master=10.0.0.1:5050"
            + " status=DRIVER_ABORTED");
    backend.close();
    verify(driver, never()).stop(anyBoolean());
  }

  @Test
  void callsBeforeSubscribeFail() {
    NativeSchedulerBackend backend = backend().build();

    assertThatThrownBy(backend::revive)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("revive needs a subscribed native backend: call subscribe first");
  }

  // ---------------------------------------------------------------- the backend's calls

  @Test
  void acceptLaunchesTheTasksInOneLaunchOperationWithTheRefuseFilter() {
    NativeSchedulerBackend backend = subscribed();
    TaskSpec spec = TaskSpec.builder().id("t").name("greet").resources("cpus:1;mem:128")
        .command("echo hi").build();
    TaskLaunch launch = new TaskLaunch("t.1", "agent-1", spec, Resources.parse("cpus:1;mem:128"),
        Resources.empty());

    backend.accept(List.of("o1", "o2"), List.of(launch), Duration.ofSeconds(5));

    ArgumentCaptor<Collection<Protos.OfferID>> offerIds = captor();
    ArgumentCaptor<Collection<Protos.Offer.Operation>> operations = captor();
    ArgumentCaptor<Protos.Filters> filters = ArgumentCaptor.forClass(Protos.Filters.class);
    verify(driver).acceptOffers(offerIds.capture(), operations.capture(), filters.capture());
    assertThat(offerIds.getValue()).extracting(Protos.OfferID::getValue)
        .containsExactly("o1", "o2");
    assertThat(operations.getValue()).hasSize(1);
    Protos.Offer.Operation operation = operations.getValue().iterator().next();
    assertThat(operation.getType()).isEqualTo(Protos.Offer.Operation.Type.LAUNCH);
    assertThat(operation.getLaunch().getTaskInfosList()).hasSize(1);
    Protos.TaskInfo task = operation.getLaunch().getTaskInfos(0);
    assertThat(task.getTaskId().getValue()).isEqualTo("t.1");
    assertThat(task.getName()).isEqualTo("greet");
    assertThat(task.getSlaveId().getValue()).isEqualTo("agent-1");
    assertThat(task.getResourcesList())
        .extracting(Protos.Resource::getName, r -> r.getScalar().getValue(),
            Protos.Resource::getType)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("cpus", 1.0, Protos.Value.Type.SCALAR),
            org.assertj.core.groups.Tuple.tuple("mem", 128.0, Protos.Value.Type.SCALAR));
    assertThat(task.getCommand().getShell()).isTrue();
    assertThat(task.getCommand().getValue()).isEqualTo("echo hi");
    assertThat(task.hasExecutor()).isFalse();
    assertThat(filters.getValue().getRefuseSeconds()).isEqualTo(5.0);
  }

  @Test
  void declineDeclinesEveryOfferWithTheRefuseFilter() {
    NativeSchedulerBackend backend = subscribed();

    backend.decline(List.of("o1", "o2"), Duration.ofSeconds(30));

    Protos.Filters thirtySeconds = Protos.Filters.newBuilder().setRefuseSeconds(30.0).build();
    InOrder order = inOrder(driver);
    order.verify(driver).declineOffer(V0Conversions.offerId("o1"), thirtySeconds);
    order.verify(driver).declineOffer(V0Conversions.offerId("o2"), thirtySeconds);
  }

  @Test
  void reviveAndSuppressReachTheDriver() {
    NativeSchedulerBackend backend = subscribed();

    backend.suppress();
    backend.revive();

    InOrder order = inOrder(driver);
    order.verify(driver).suppressOffers();
    order.verify(driver).reviveOffers();
  }

  @Test
  void killKillsTheTaskById() {
    NativeSchedulerBackend backend = subscribed();

    backend.kill("t.1", "agent-1");

    verify(driver).killTask(Protos.TaskID.newBuilder().setValue("t.1").build());
  }

  @Test
  void aKillWithItsOwnGracePeriodKillsByIdBecauseTheDriverHasNoKillPolicy() {
    NativeSchedulerBackend backend = subscribed();

    backend.kill("t.1", "agent-1", Duration.ofMillis(500));

    verify(driver).killTask(Protos.TaskID.newBuilder().setValue("t.1").build());
  }

  @Test
  void aTasksKillGracePeriodIsItsV0KillPolicyInNanoseconds() {
    NativeSchedulerBackend backend = subscribed();
    TaskSpec spec = TaskSpec.builder().id("t").name("greet").resources("cpus:1;mem:128")
        .command("echo hi").killGracePeriod(Duration.ofSeconds(3)).build();

    backend.accept(List.of("o1"), List.of(new TaskLaunch("t.1", "agent-1", spec,
        Resources.parse("cpus:1;mem:128"), Resources.empty())), Duration.ofSeconds(5));

    ArgumentCaptor<Collection<Protos.Offer.Operation>> operations = captor();
    verify(driver).acceptOffers(any(), operations.capture(), any());
    Protos.TaskInfo task = operations.getValue().iterator().next().getLaunch().getTaskInfos(0);
    assertThat(task.getKillPolicy()).isEqualTo(Protos.KillPolicy.newBuilder()
        .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(3_000_000_000L))
        .build());
  }

  @Test
  void acknowledgeCarriesTheTaskTheAgentAndTheUuidBytes() {
    NativeSchedulerBackend backend = subscribed();

    backend.acknowledge("agent-1", "t.1", UUID);

    ArgumentCaptor<Protos.TaskStatus> ack = ArgumentCaptor.forClass(Protos.TaskStatus.class);
    verify(driver).acknowledgeStatusUpdate(ack.capture());
    assertThat(ack.getValue().getTaskId().getValue()).isEqualTo("t.1");
    assertThat(ack.getValue().getSlaveId().getValue()).isEqualTo("agent-1");
    assertThat(ack.getValue().getUuid().toByteArray()).isEqualTo(UUID);
  }

  @Test
  void reconcileAsksForEveryTaskWithItsAgentWhenKnown() {
    NativeSchedulerBackend backend = subscribed();

    backend.reconcile(List.of(new ReconcileTask("t.1", Optional.of("agent-1")),
        new ReconcileTask("u.2", Optional.empty())));

    ArgumentCaptor<Collection<Protos.TaskStatus>> statuses = captor();
    verify(driver).reconcileTasks(statuses.capture());
    assertThat(statuses.getValue())
        .extracting(s -> s.getTaskId().getValue(), s -> s.hasSlaveId() ? s.getSlaveId().getValue()
            : "none")
        .containsExactly(org.assertj.core.groups.Tuple.tuple("t.1", "agent-1"),
            org.assertj.core.groups.Tuple.tuple("u.2", "none"));
  }

  @Test
  void reconcileWithoutTasksIsImplicitReconciliation() {
    NativeSchedulerBackend backend = subscribed();

    backend.reconcile(List.of());

    verify(driver).reconcileTasks(List.of());
  }

  @Test
  void messageSendsTheBytesToTheExecutor() {
    NativeSchedulerBackend backend = subscribed();

    backend.message("agent-1", "exec-1", new byte[] {1, 2, 3});

    verify(driver).sendFrameworkMessage(V0Conversions.executorId("exec-1"),
        V0Conversions.agentId("agent-1"), new byte[] {1, 2, 3});
  }

  @Test
  void aCallTheDriverRefusesIsLoggedNotThrown() {
    NativeSchedulerBackend backend = subscribed();
    when(driver.declineOffer(any(), any())).thenReturn(Protos.Status.DRIVER_ABORTED);
    when(driver.reviveOffers()).thenReturn(null);

    assertThatCode(() -> {
      backend.decline(List.of("o1"), Duration.ofSeconds(5));
      backend.revive();
    }).doesNotThrowAnyException();
    verify(driver).declineOffer(any(), any());
    verify(driver).reviveOffers();
  }

  @Test
  void closeStopsTheDriverForFailoverOnceAndDropsLaterCalls() {
    NativeSchedulerBackend backend = subscribed();

    backend.close();
    backend.close();
    backend.revive();
    backend.acknowledge("agent-1", "t.1", UUID);

    verify(driver).start();
    verify(driver).stop(true);
    verifyNoMoreInteractions(driver);
  }

  @Test
  void teardownStopsTheDriverWithoutFailover() {
    NativeSchedulerBackend backend = subscribed();

    backend.teardown();
    backend.close();

    verify(driver).stop(false);
    verify(driver, never()).stop(true);
  }

  // ---------------------------------------------------------------- libmesos callbacks

  @Test
  void registeredDeliversSubscribedWithTheFrameworkIdAndA15SecondHeartbeat() {
    subscribed();

    callbacks().registered(driver, frameworkId("fw-1"), masterInfo());

    assertThat(events.log).containsExactly("subscribed fw-1 PT15S");
  }

  @Test
  void reregisteredDeliversSubscribedWithTheRegisteredFrameworkId() {
    subscribed();

    callbacks().registered(driver, frameworkId("fw-1"), masterInfo());
    callbacks().reregistered(driver, masterInfo());

    assertThat(events.log).containsExactly("subscribed fw-1 PT15S", "subscribed fw-1 PT15S");
  }

  @Test
  void reregisteredAfterFailoverDeliversTheFailedOverFrameworkId() {
    NativeSchedulerBackend backend = backend().build();
    backend.subscribe(INFO.withId("fw-0"), events);

    callbacks().reregistered(driver, masterInfo());

    assertThat(events.log).containsExactly("subscribed fw-0 PT15S");
  }

  @Test
  void resourceOffersDeliverTheOffersAsMesosKitOffers() {
    subscribed();
    Protos.Offer offer = v0Offer("o1", "agent-1", "cpus:2;mem:1024;ports:[31000-31009]")
        .toBuilder()
        .addAttributes(Protos.Attribute.newBuilder().setName("rack")
            .setType(Protos.Value.Type.TEXT)
            .setText(Protos.Value.Text.newBuilder().setValue("r1")))
        .addExecutorIds(V0Conversions.executorId("exec-1"))
        .build();

    callbacks().resourceOffers(driver, List.of(offer));

    assertThat(events.log).containsExactly("offers [o1]");
    Offer delivered = events.offers.get(0).get(0);
    assertThat(delivered).isEqualTo(new Offer("o1", "agent-1", "agent-1.example.com",
        Resources.parse("cpus:2;mem:1024;ports:[31000-31009]"), Map.of("rack", "r1"),
        Set.of("exec-1")));
  }

  @Test
  void anOfferThatCannotBeConvertedIsDeclinedAndTheOthersDelivered() {
    subscribed();
    // libmesos never hands over such an offer; one missing a required field stands for any
    // message the v1 classes cannot parse.
    Protos.Offer broken = v0Offer("o1", "agent-1", "cpus:1").toBuilder()
        .setResources(0, Protos.Resource.newBuilder().setName("cpus").buildPartial())
        .buildPartial();

    callbacks().resourceOffers(driver, List.of(broken, v0Offer("o2", "agent-1", "cpus:1")));

    assertThat(events.log).containsExactly("offers [o2]");
    verify(driver).declineOffer(V0Conversions.offerId("o1"));
  }

  @Test
  void offerRescindedDeliversRescind() {
    subscribed();

    callbacks().offerRescinded(driver, V0Conversions.offerId("o1"));

    assertThat(events.log).containsExactly("rescind o1");
  }

  @Test
  void statusUpdateDeliversTheUpdateWithItsUuid() {
    subscribed();
    Protos.TaskStatus status = v0Status("t.1", Protos.TaskState.TASK_RUNNING).toBuilder()
        .setMessage("started")
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
        .setReason(Protos.TaskStatus.Reason.REASON_COMMAND_EXECUTOR_FAILED)
        .setExecutorId(V0Conversions.executorId("exec-1"))
        .setTimestamp(1_700_000_000.5)
        .build();

    callbacks().statusUpdate(driver, status);

    assertThat(events.log).containsExactly("update t.1 RUNNING");
    TaskStatus update = events.updates.get(0);
    assertThat(update.mesosTaskId()).isEqualTo("t.1");
    assertThat(update.state()).isEqualTo(TaskState.RUNNING);
    assertThat(update.message()).contains("started");
    assertThat(update.reason()).contains("REASON_COMMAND_EXECUTOR_FAILED");
    assertThat(update.source()).contains("SOURCE_EXECUTOR");
    assertThat(update.agentId()).contains("agent-1");
    assertThat(update.executorId()).contains("exec-1");
    assertThat(update.uuid()).hasValueSatisfying(u -> assertThat(u).isEqualTo(UUID));
    assertThat(update.timestamp()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
  }

  @Test
  void frameworkMessageDeliversTheBytes() {
    subscribed();

    callbacks().frameworkMessage(driver, V0Conversions.executorId("exec-1"),
        V0Conversions.agentId("agent-1"), "hello".getBytes(StandardCharsets.UTF_8));

    assertThat(events.log).containsExactly("message agent-1 exec-1 hello");
  }

  @Test
  void disconnectedDeliversDisconnected() {
    subscribed();

    callbacks().disconnected(driver);

    assertThat(events.log).containsExactly(
        "disconnected the libmesos driver lost the master; it re-registers by itself");
  }

  @Test
  void slaveLostDeliversAnAgentFailure() {
    subscribed();

    callbacks().slaveLost(driver, V0Conversions.agentId("agent-1"));

    assertThat(events.log).containsExactly("failure agent-1 Optional.empty OptionalInt.empty");
  }

  @Test
  void executorLostDeliversAnExecutorFailureWithItsStatus() {
    subscribed();

    callbacks().executorLost(driver, V0Conversions.executorId("exec-1"),
        V0Conversions.agentId("agent-1"), 137);

    assertThat(events.log).containsExactly(
        "failure agent-1 Optional[exec-1] OptionalInt[137]");
  }

  @Test
  void errorDeliversError() {
    subscribed();

    callbacks().error(driver, "Framework has been removed");

    assertThat(events.log).containsExactly("error Framework has been removed");
  }

  @Test
  void aFailingEventSinkNeverThrowsIntoLibmesos() {
    NativeSchedulerBackend backend = backend().build();
    backend.subscribe(INFO, new RecordingEvents() {
      @Override
      public void subscribed(String frameworkId, Duration heartbeatInterval) {
        throw new IllegalStateException("boom");
      }
    });

    assertThatCode(() -> callbacks().registered(driver, frameworkId("fw-1"), masterInfo()))
        .doesNotThrowAnyException();
  }

  // ---------------------------------------------------------------- builder

  @Test
  void buildRejectsAnHttpMaster() {
    assertThatThrownBy(() -> NativeSchedulerBackend.create("http://m1:5050"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("master must be host:port, zk://host:port[,host:port]/path or file:///path"
            + " for the native driver but was 'http://m1:5050' (http(s) URLs are for the HTTP"
            + " backend)");
  }

  @Test
  void buildAcceptsTheFormsLibmesosTakes() {
    for (String master : List.of("m1:5050", "master@10.0.0.1:5050", "zk://z1:2181,z2:2181/mesos",
        "file:///etc/mesos/master")) {
      assertThat(NativeSchedulerBackend.create(master)).hasToString(
          "NativeSchedulerBackend[master=" + master + ", principal=none]");
    }
  }

  @Test
  void toBuilderKeepsEverySetting(@TempDir Path dir) throws Exception {
    Path secret = Files.writeString(dir.resolve("secret"), "s");
    NativeSchedulerBackend backend = backend().principal("fw").secretFile(secret).build()
        .toBuilder().build();

    backend.subscribe(INFO, events);

    assertThat(backend).hasToString("NativeSchedulerBackend[master=10.0.0.1:5050, principal=fw]");
    assertThat(requests.get(0).credential().orElseThrow().getSecretBytes().toStringUtf8())
        .isEqualTo("s");
  }

  @Test
  void buildRejectsAPrincipalWithoutASecretFile() {
    assertThatThrownBy(() -> backend().principal("fw").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("principal and secretFile must be set together but only principal was set");
  }

  @Test
  void buildRejectsAMissingSecretFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope");

    assertThatThrownBy(() -> backend().principal("fw").secretFile(missing).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secretFile must be a readable file but was " + missing + " (missing)");
  }

  // ---------------------------------------------------------------- the real driver

  @Test
  void theRealDriverWithoutLibmesosFailsNamingMesosNativeJavaLibrary() {
    // This machine has no libmesos; a machine with MESOS_NATIVE_JAVA_LIBRARY set has one.
    assumeThat(System.getenv("MESOS_NATIVE_JAVA_LIBRARY")).isNull();
    assumeThat(System.getenv("MESOS_NATIVE_LIBRARY")).isNull();
    String expected = "the native scheduler driver needs libmesos, which could not be loaded:"
        + " MESOS_NATIVE_JAVA_LIBRARY is not set, so System.loadLibrary(\"mesos\") searched"
        + " java.library.path=" + System.getProperty("java.library.path") + " (";
    String advice = "). Set MESOS_NATIVE_JAVA_LIBRARY to the absolute path of libmesos (e.g."
        + " /usr/local/lib/libmesos.so), or use the HTTP backend, which needs no native library";

    // The first touch of MesosSchedulerDriver fails in its class initializer, every later one
    // with NoClassDefFoundError; both read the same.
    for (int i = 0; i < 2; i++) {
      NativeSchedulerBackend backend = NativeSchedulerBackend.create("127.0.0.1:5050");
      assertThatThrownBy(() -> backend.subscribe(INFO, events))
          .isInstanceOf(MesosKitException.class)
          .hasMessageStartingWith(expected)
          .hasMessageContaining("UnsatisfiedLinkError")
          .hasMessageEndingWith(advice)
          .hasCauseInstanceOf(LinkageError.class);
      backend.close();
    }
    assertThat(events.log).isEmpty();
  }

  @Test
  void theMissingLibraryMessageNamesTheFileMesosNativeJavaLibraryPointsAt() {
    Map<String, String> env = Map.of("MESOS_NATIVE_JAVA_LIBRARY", "/opt/mesos/libmesos-nope.so");

    String message = NativeDriverFactory.missingLibraryMessage(env::get, "/usr/lib",
        new UnsatisfiedLinkError("Can't load library: /opt/mesos/libmesos-nope.so"));

    assertThat(message).isEqualTo("the native scheduler driver needs libmesos, which could not be"
        + " loaded: MESOS_NATIVE_JAVA_LIBRARY=/opt/mesos/libmesos-nope.so, so System.load tried"
        + " that file (no such file) (java.lang.UnsatisfiedLinkError: Can't load library:"
        + " /opt/mesos/libmesos-nope.so). Set MESOS_NATIVE_JAVA_LIBRARY to the absolute path of"
        + " libmesos (e.g. /usr/local/lib/libmesos.so), or use the HTTP backend, which needs no"
        + " native library");
  }

  @Test
  void theMissingLibraryMessageNamesTheDeprecatedVariableWhenOnlyItIsSet() {
    Map<String, String> env = Map.of("MESOS_NATIVE_LIBRARY", "/opt/mesos/libmesos-nope.so");

    String message = NativeDriverFactory.missingLibraryMessage(env::get, "/usr/lib",
        new NoClassDefFoundError("Could not initialize class MesosSchedulerDriver"));

    assertThat(message).isEqualTo("the native scheduler driver needs libmesos, which could not"
        + " be loaded: MESOS_NATIVE_JAVA_LIBRARY is not set, so System.load tried the deprecated"
        + " MESOS_NATIVE_LIBRARY=/opt/mesos/libmesos-nope.so (no such file)"
        + " (java.lang.NoClassDefFoundError: Could not initialize class MesosSchedulerDriver)."
        + " Set MESOS_NATIVE_JAVA_LIBRARY to the absolute path of libmesos (e.g."
        + " /usr/local/lib/libmesos.so), or use the HTTP backend, which needs no native library");
  }

  // ---------------------------------------------------------------- end to end

  @Test
  void aFrameworkOnTheNativeBackendAcceptsTheOfferAndAcknowledgesTheUpdate() {
    ManualScheduler loop = new ManualScheduler();
    NativeSchedulerBackend backend = backend().build();
    Framework framework = Framework.builder().name("e2e").user("alice").backend(backend)
        .executor(loop).clock(loop.clock()).frameworkIdStore(FrameworkIdStore.inMemory()).build();
    TaskId id = framework.submit(TaskSpec.builder().id("t").name("greet")
        .resources("cpus:1;mem:128").command("echo hi").build());
    framework.start();
    loop.runPending();
    Scheduler libmesos = callbacks();
    assertThat(requests.get(0).implicitAcknowledgements()).isFalse();

    libmesos.registered(driver, frameworkId("fw-1"), masterInfo());
    loop.runPending();
    libmesos.resourceOffers(driver, List.of(v0Offer("o1", "agent-1", "cpus:4;mem:1024")));
    loop.runPending();

    ArgumentCaptor<Collection<Protos.OfferID>> offerIds = captor();
    ArgumentCaptor<Collection<Protos.Offer.Operation>> operations = captor();
    ArgumentCaptor<Protos.Filters> filters = ArgumentCaptor.forClass(Protos.Filters.class);
    verify(driver).acceptOffers(offerIds.capture(), operations.capture(), filters.capture());
    assertThat(offerIds.getValue()).extracting(Protos.OfferID::getValue).containsExactly("o1");
    Protos.TaskInfo task = operations.getValue().iterator().next().getLaunch().getTaskInfos(0);
    assertThat(task.getTaskId().getValue()).isEqualTo("t.1");
    assertThat(task.getSlaveId().getValue()).isEqualTo("agent-1");
    assertThat(task.getCommand().getValue()).isEqualTo("echo hi");
    assertThat(filters.getValue().getRefuseSeconds()).isEqualTo(5.0);
    assertThat(framework.task(id).orElseThrow().state()).isEqualTo(TaskState.STAGING);

    libmesos.statusUpdate(driver, v0Status("t.1", Protos.TaskState.TASK_RUNNING));
    loop.runPending();

    ArgumentCaptor<Protos.TaskStatus> ack = ArgumentCaptor.forClass(Protos.TaskStatus.class);
    verify(driver).acknowledgeStatusUpdate(ack.capture());
    assertThat(ack.getValue().getTaskId().getValue()).isEqualTo("t.1");
    assertThat(ack.getValue().getSlaveId().getValue()).isEqualTo("agent-1");
    assertThat(ack.getValue().getUuid().toByteArray()).isEqualTo(UUID);
    assertThat(framework.task(id).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
    assertThat(framework.frameworkId()).contains("fw-1");

    framework.close();
    loop.runPending();
    verify(driver).stop(true);
    verify(driver, never()).stop(false);
  }

  // ---------------------------------------------------------------- helpers

  @SuppressWarnings("unchecked")
  private static <T> ArgumentCaptor<Collection<T>> captor() {
    return ArgumentCaptor.forClass((Class<Collection<T>>) (Class<?>) Collection.class);
  }

  private static Protos.FrameworkID frameworkId(String id) {
    return Protos.FrameworkID.newBuilder().setValue(id).build();
  }

  private static Protos.MasterInfo masterInfo() {
    return Protos.MasterInfo.newBuilder().setId("master-1").setIp(0x0100000a).setPort(5050)
        .setHostname("m1.example.com").build();
  }

  /** A complete v0 offer, as libmesos hands it over, with the resources in agent syntax. */
  private static Protos.Offer v0Offer(String id, String agentId, String resources) {
    Protos.Offer.Builder b = Protos.Offer.newBuilder()
        .setId(V0Conversions.offerId(id))
        .setFrameworkId(frameworkId("fw-1"))
        .setSlaveId(V0Conversions.agentId(agentId))
        .setHostname(agentId + ".example.com");
    for (org.apache.mesos.v1.Protos.Resource r :
        dev.mesoskit.core.http.V1Conversions.resources(Resources.parse(resources))) {
      try {
        b.addResources(Protos.Resource.parseFrom(r.toByteString()));
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }
    return b.build();
  }

  private static Protos.TaskStatus v0Status(String taskId, Protos.TaskState state) {
    return Protos.TaskStatus.newBuilder()
        .setTaskId(V0Conversions.taskId(taskId))
        .setState(state)
        .setSlaveId(V0Conversions.agentId("agent-1"))
        .setUuid(ByteString.copyFrom(UUID))
        .build();
  }

  /** Records every event as a line of text, plus the offers and updates themselves. */
  private static class RecordingEvents implements SchedulerEvents {
    final List<String> log = new ArrayList<>();
    final List<List<Offer>> offers = new ArrayList<>();
    final List<TaskStatus> updates = new ArrayList<>();

    @Override
    public void subscribed(String frameworkId, Duration heartbeatInterval) {
      log.add("subscribed " + frameworkId + " " + heartbeatInterval);
    }

    @Override
    public void offers(List<Offer> offers) {
      this.offers.add(List.copyOf(offers));
      log.add("offers " + offers.stream().map(Offer::id).toList());
    }

    @Override
    public void rescind(String offerId) {
      log.add("rescind " + offerId);
    }

    @Override
    public void update(TaskStatus status) {
      updates.add(status);
      log.add("update " + status.mesosTaskId() + " " + status.state());
    }

    @Override
    public void message(String agentId, String executorId, byte[] data) {
      log.add("message " + agentId + " " + executorId + " "
          + new String(data, StandardCharsets.UTF_8));
    }

    @Override
    public void failure(String agentId, Optional<String> executorId, OptionalInt status) {
      log.add("failure " + agentId + " " + executorId + " " + status);
    }

    @Override
    public void error(String message) {
      log.add("error " + message);
    }

    @Override
    public void disconnected(String cause) {
      log.add("disconnected " + cause);
    }
  }

  // ---------------------------------------------------------------- pods and framework updates

  private static Protos.Resource scalar(String name, double value) {
    return Protos.Resource.newBuilder().setName(name).setType(Protos.Value.Type.SCALAR)
        .setScalar(Protos.Value.Scalar.newBuilder().setValue(value)).build();
  }

  private static TaskGroupLaunch pod() {
    TaskSpec sidecar = TaskSpec.builder().name("sidecar").resources("cpus:0.1;mem:32")
        .command("sleep 60").build();
    return new TaskGroupLaunch("pod-exec.1", "pod", Resources.parse("cpus:0.1;mem:32;disk:10"),
        List.of("shared"), List.of(new TaskLaunch("sidecar.1", "agent-1", sidecar,
            Resources.parse("cpus:0.1;mem:32"), Resources.empty())));
  }

  @Test
  void acceptWithAPodSendsALaunchGroupOnTheDefaultExecutorThroughAcceptOffers() {
    NativeSchedulerBackend backend = subscribed();
    callbacks().registered(driver, frameworkId("fw-1"), masterInfo());
    TaskSpec spec = TaskSpec.builder().id("t").name("greet").resources("cpus:1;mem:128")
        .command("echo hi").build();
    TaskLaunch single = new TaskLaunch("t.1", "agent-1", spec, Resources.parse("cpus:1;mem:128"),
        Resources.empty());

    backend.accept(List.of("o1"), List.of(single), List.of(pod()), Duration.ofSeconds(5));

    ArgumentCaptor<Collection<Protos.OfferID>> offerIds = captor();
    ArgumentCaptor<Collection<Protos.Offer.Operation>> operations = captor();
    verify(driver).acceptOffers(offerIds.capture(), operations.capture(), any());
    assertThat(offerIds.getValue()).extracting(Protos.OfferID::getValue).containsExactly("o1");
    List<Protos.Offer.Operation> ops = List.copyOf(operations.getValue());
    assertThat(ops).extracting(Protos.Offer.Operation::getType).containsExactly(
        Protos.Offer.Operation.Type.LAUNCH, Protos.Offer.Operation.Type.LAUNCH_GROUP);
    assertThat(ops.get(0).getLaunch().getTaskInfos(0).getTaskId().getValue()).isEqualTo("t.1");
    assertThat(ops.get(1)).isEqualTo(Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
        .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder()
            .setExecutor(Protos.ExecutorInfo.newBuilder()
                .setType(Protos.ExecutorInfo.Type.DEFAULT)
                .setExecutorId(Protos.ExecutorID.newBuilder().setValue("pod-exec.1"))
                .setName("pod")
                .setFrameworkId(frameworkId("fw-1"))
                .addResources(scalar("cpus", 0.1))
                .addResources(scalar("mem", 32))
                .addResources(scalar("disk", 10)))
            .setTaskGroup(Protos.TaskGroupInfo.newBuilder()
                .addTasks(Protos.TaskInfo.newBuilder()
                    .setName("sidecar")
                    .setTaskId(Protos.TaskID.newBuilder().setValue("sidecar.1"))
                    .setSlaveId(Protos.SlaveID.newBuilder().setValue("agent-1"))
                    .addResources(scalar("cpus", 0.1))
                    .addResources(scalar("mem", 32))
                    .setCommand(Protos.CommandInfo.newBuilder().setShell(true)
                        .setValue("sleep 60"))
                    .setContainer(Protos.ContainerInfo.newBuilder()
                        .setType(Protos.ContainerInfo.Type.MESOS)
                        .addVolumes(Protos.Volume.newBuilder()
                            .setContainerPath("shared")
                            .setMode(Protos.Volume.Mode.RW)
                            .setSource(Protos.Volume.Source.newBuilder()
                                .setType(Protos.Volume.Source.Type.SANDBOX_PATH)
                                .setSandboxPath(Protos.Volume.Source.SandboxPath.newBuilder()
                                    .setType(Protos.Volume.Source.SandboxPath.Type.PARENT)
                                    .setPath("shared"))))))))
        .build());
  }

  @Test
  void acceptWithOnlyPodsHasNoLaunchOperation() {
    NativeSchedulerBackend backend = subscribed();
    callbacks().registered(driver, frameworkId("fw-1"), masterInfo());

    backend.accept(List.of("o1"), List.of(), List.of(pod()), Duration.ofSeconds(5));

    ArgumentCaptor<Collection<Protos.Offer.Operation>> operations = captor();
    verify(driver).acceptOffers(any(), operations.capture(), any());
    assertThat(operations.getValue()).extracting(Protos.Offer.Operation::getType)
        .containsExactly(Protos.Offer.Operation.Type.LAUNCH_GROUP);
  }

  @Test
  void acceptWithAPodBeforeRegistrationIsDropped() {
    NativeSchedulerBackend backend = subscribed();

    backend.accept(List.of("o1"), List.of(), List.of(pod()), Duration.ofSeconds(5));

    verify(driver, never()).acceptOffers(any(), any(), any());
  }

  @Test
  void updateFrameworkCallsTheDriverWithTheRegisteredIdAndTheSuppressedRoles() {
    NativeSchedulerBackend backend = subscribed();
    callbacks().registered(driver, frameworkId("fw-1"), masterInfo());
    FrameworkInfo updated = INFO.roles(List.of("*", "gpu"))
        .capabilities(Set.of("GPU_RESOURCES"));

    backend.updateFramework(updated);
    backend.suppress();
    backend.updateFramework(updated);

    ArgumentCaptor<Protos.FrameworkInfo> infos = ArgumentCaptor.forClass(Protos.FrameworkInfo.class);
    ArgumentCaptor<Collection<String>> suppressed = captor();
    verify(driver, org.mockito.Mockito.times(2)).updateFramework(infos.capture(),
        suppressed.capture(), any());
    Protos.FrameworkInfo info = infos.getAllValues().get(0);
    assertThat(info.getId().getValue()).isEqualTo("fw-1");
    assertThat(info.getRolesList()).containsExactly("*", "gpu");
    assertThat(info.getCapabilitiesList()).extracting(c -> c.getType().name())
        .containsExactly("GPU_RESOURCES", "MULTI_ROLE", "TASK_KILLING_STATE");
    assertThat(suppressed.getAllValues().get(0)).isEmpty();
    assertThat(suppressed.getAllValues().get(1)).containsExactly("*", "gpu");
  }
}
