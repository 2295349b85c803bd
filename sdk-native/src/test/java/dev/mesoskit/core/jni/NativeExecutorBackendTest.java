package dev.mesoskit.core.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.ExecutorRegistration;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.testing.RecordingExecutorEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

@Timeout(20)
class NativeExecutorBackendTest {
  private static final byte[] UUID = {
      0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x46, 0x17,
      (byte) 0x98, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f};

  /** Answers as a running libmesos driver: DRIVER_RUNNING, and DRIVER_STOPPED from stop. */
  private final ExecutorDriver driver = mock(ExecutorDriver.class,
      invocation -> invocation.getMethod().getName().equals("stop")
          ? Protos.Status.DRIVER_STOPPED
          : Protos.Status.DRIVER_RUNNING);
  private final List<Executor> created = new ArrayList<>();
  private final RecordingExecutorEvents events = new RecordingExecutorEvents();

  private NativeExecutorBackend backend(Duration linger) {
    return new NativeExecutorBackend(executor -> {
      created.add(executor);
      return driver;
    }, linger);
  }

  private NativeExecutorBackend subscribed() {
    NativeExecutorBackend backend = backend(Duration.ZERO);
    backend.subscribe(events);
    return backend;
  }

  private Executor libmesos() {
    assertThat(created).hasSize(1);
    return created.get(0);
  }

  private static Protos.ExecutorInfo executorInfo() {
    return Protos.ExecutorInfo.newBuilder()
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("exec-1"))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("java -jar x.jar"))
        .build();
  }

  private static Protos.FrameworkInfo frameworkInfo() {
    return Protos.FrameworkInfo.newBuilder().setUser("alice").setName("fw")
        .setId(Protos.FrameworkID.newBuilder().setValue("fw-1")).build();
  }

  private static Protos.SlaveInfo agentInfo(String id) {
    return Protos.SlaveInfo.newBuilder().setHostname(id + ".host")
        .setId(Protos.SlaveID.newBuilder().setValue(id)).build();
  }

  private static Protos.TaskInfo taskInfo(String id) {
    return Protos.TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setSlaveId(Protos.SlaveID.newBuilder().setValue("agent-1"))
        .setData(ByteString.copyFromUtf8("payload"))
        .setExecutor(executorInfo())
        .addResources(Protos.Resource.newBuilder().setName("cpus")
            .setType(Protos.Value.Type.SCALAR)
            .setScalar(Protos.Value.Scalar.newBuilder().setValue(0.5)))
        .addResources(Protos.Resource.newBuilder().setName("ports")
            .setType(Protos.Value.Type.RANGES)
            .setRanges(Protos.Value.Ranges.newBuilder().addRange(
                Protos.Value.Range.newBuilder().setBegin(31000).setEnd(31001))))
        .setLabels(Protos.Labels.newBuilder().addLabels(
            Protos.Label.newBuilder().setKey("mesoskit.env.MODE").setValue("fast")))
        .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(
            Protos.DurationInfo.newBuilder().setNanoseconds(4_000_000_000L)))
        .build();
  }

  private static TaskStatus status(String taskId, TaskState state) {
    return new TaskStatus(taskId, state, Optional.of("all good"), Optional.empty(),
        Optional.of("SOURCE_EXECUTOR"), Optional.of("agent-1"), Optional.of("exec-1"),
        Optional.of(UUID), Instant.ofEpochSecond(1_700_000_000L));
  }

  // ---------------------------------------------------------------- lifecycle

  @Test
  void subscribeCreatesTheDriverOverTheCallbacksAndStartsIt() {
    subscribed();

    assertThat(libmesos()).isInstanceOf(ExecutorCallbacks.class);
    verify(driver).start();
    verifyNoMoreInteractions(driver);
    assertThat(events.lines()).isEmpty();
  }

  @Test
  void aDriverThatDoesNotStartFailsTheSubscription() {
    when(driver.start()).thenReturn(Protos.Status.DRIVER_ABORTED);
    NativeExecutorBackend backend = backend(Duration.ZERO);

    assertThatThrownBy(() -> backend.subscribe(events)).isInstanceOf(MesosKitException.class)
        .hasMessage("the native executor driver did not start: status=DRIVER_ABORTED");
    assertThatThrownBy(() -> backend.subscribe(events))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("subscribe needs a new native executor backend but this one was closed");
  }

  @Test
  void callsBeforeSubscribeAreTheCallersMistake() {
    NativeExecutorBackend backend = backend(Duration.ZERO);

    assertThatThrownBy(() -> backend.update(status("t.1", TaskState.RUNNING)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("update needs a subscribed native executor backend: call subscribe first");
    assertThatCode(backend::close).doesNotThrowAnyException();
    verifyNoMoreInteractions(driver);
  }

  @Test
  void closeStopsTheDriverOnceAndDropsLaterCalls() {
    NativeExecutorBackend backend = subscribed();

    backend.close();
    backend.close();

    verify(driver, times(1)).stop();
    CompletableFuture<Void> late = backend.update(status("t.1", TaskState.FINISHED));
    assertThat(late).isCompletedExceptionally();
    backend.message(new byte[] {1});
    verify(driver, never()).sendStatusUpdate(any());
    verify(driver, never()).sendFrameworkMessage(any());
  }

  @Test
  void closeLetsLibmesosDeliverTheLastUpdateBeforeStopping() {
    NativeExecutorBackend backend = backend(Duration.ofMillis(200));
    backend.subscribe(events);
    backend.update(status("t.1", TaskState.FINISHED));

    long before = System.nanoTime();
    backend.close();

    assertThat(Duration.ofNanos(System.nanoTime() - before))
        .isBetween(Duration.ofMillis(100), Duration.ofSeconds(2));
    verify(driver).stop();
  }

  // ---------------------------------------------------------------- callbacks

  @Test
  void libmesosCallbacksArriveAsMesosKitEvents() {
    subscribed();
    Executor libmesos = libmesos();

    libmesos.registered(driver, executorInfo(), frameworkInfo(), agentInfo("agent-1"));
    libmesos.launchTask(driver, taskInfo("t.1"));
    libmesos.killTask(driver, Protos.TaskID.newBuilder().setValue("t.1").build());
    libmesos.frameworkMessage(driver, "hello".getBytes(StandardCharsets.UTF_8));
    libmesos.disconnected(driver);
    libmesos.reregistered(driver, agentInfo("agent-2"));
    libmesos.error(driver, "driver aborted");
    libmesos.shutdown(driver);

    assertThat(events.lines()).containsExactly(
        "subscribed fw-1 exec-1 agent-1 agent-1.host",
        "launch t.1",
        "kill t.1",
        "message hello",
        "disconnected the libmesos executor driver lost the agent; it reconnects by itself when"
            + " the framework checkpoints",
        "subscribed fw-1 exec-1 agent-2 agent-2.host",
        "error driver aborted",
        "shutdown");
    assertThat(events.launched().get(0)).isEqualTo(new LaunchedTask("t.1", "task t.1",
        "payload".getBytes(StandardCharsets.UTF_8), Map.of("mesoskit.env.MODE", "fast"),
        Resources.parse("cpus:0.5;ports:[31000-31001]"), "exec-1", "fw-1", "agent-1",
        Optional.of(Duration.ofSeconds(4))));
    assertThat(events.registrations().get(1))
        .isEqualTo(new ExecutorRegistration("fw-1", "exec-1", "agent-2", "agent-2.host"));
  }

  @Test
  void aFailingEventNeverReachesLibmesos() {
    NativeExecutorBackend backend = backend(Duration.ZERO);
    ExecutorEvents throwing = mock(ExecutorEvents.class, invocation -> {
      throw new IllegalStateException("boom");
    });
    backend.subscribe(throwing);
    Executor libmesos = libmesos();

    assertThatCode(() -> {
      libmesos.registered(driver, executorInfo(), frameworkInfo(), agentInfo("agent-1"));
      libmesos.launchTask(driver, taskInfo("t.1"));
      libmesos.shutdown(driver);
    }).doesNotThrowAnyException();
  }

  // ---------------------------------------------------------------- updates

  @Test
  void anUpdateIsHandedToTheDriverAsAV0Status() {
    NativeExecutorBackend backend = subscribed();

    CompletableFuture<Void> f = backend.update(status("t.1", TaskState.RUNNING));

    assertThat(f).isCompleted();
    ArgumentCaptor<Protos.TaskStatus> sent = ArgumentCaptor.forClass(Protos.TaskStatus.class);
    verify(driver).sendStatusUpdate(sent.capture());
    Protos.TaskStatus s = sent.getValue();
    assertThat(s.getTaskId().getValue()).isEqualTo("t.1");
    assertThat(s.getState()).isEqualTo(Protos.TaskState.TASK_RUNNING);
    assertThat(s.getMessage()).isEqualTo("all good");
    assertThat(s.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_EXECUTOR);
    assertThat(s.getSlaveId().getValue()).isEqualTo("agent-1");
    assertThat(s.getExecutorId().getValue()).isEqualTo("exec-1");
    assertThat(s.getUuid().toByteArray()).isEqualTo(UUID);
    assertThat(s.getTimestamp()).isEqualTo(1_700_000_000.0);
  }

  @Test
  void anUpdateTheDriverRefusesFailsItsFuture() {
    NativeExecutorBackend backend = subscribed();
    when(driver.sendStatusUpdate(any())).thenReturn(Protos.Status.DRIVER_ABORTED);

    CompletableFuture<Void> f = backend.update(status("t.1", TaskState.FAILED));

    assertThatThrownBy(f::join).hasCauseInstanceOf(MesosKitException.class)
        .hasMessageContaining("the native executor driver refused the update: task=t.1"
            + " state=FAILED status=DRIVER_ABORTED");
  }

  @Test
  void aStagingUpdateIsRefusedBeforeLibmesosAbortsOverIt() {
    NativeExecutorBackend backend = subscribed();

    assertThatThrownBy(() -> backend.update(status("t.1", TaskState.STAGING)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("an executor must not send STAGING but task t.1 did");
    verify(driver, never()).sendStatusUpdate(any());
  }

  @Test
  void messagesGoThroughTheDriver() {
    NativeExecutorBackend backend = subscribed();

    backend.message("ping".getBytes(StandardCharsets.UTF_8));

    verify(driver).sendFrameworkMessage("ping".getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- the real driver

  @Test
  void withoutLibmesosTheRealDriverFailsWithOneMessageNamingMesosNativeJavaLibrary() {
    // This machine has no libmesos; a machine with MESOS_NATIVE_JAVA_LIBRARY set has one.
    assumeThat(System.getenv("MESOS_NATIVE_JAVA_LIBRARY")).isNull();
    assumeThat(System.getenv("MESOS_NATIVE_LIBRARY")).isNull();
    String expected = "the native executor driver needs libmesos, which could not be loaded:"
        + " MESOS_NATIVE_JAVA_LIBRARY is not set, so System.loadLibrary(\"mesos\") searched"
        + " java.library.path=" + System.getProperty("java.library.path") + " (";
    String advice = "). Set MESOS_NATIVE_JAVA_LIBRARY to the absolute path of libmesos (e.g."
        + " /usr/local/lib/libmesos.so), or use the HTTP executor API (the default; drop"
        + " --driver=native), which needs no native library";

    // The first touch of MesosExecutorDriver fails in its class initializer, every later one
    // with NoClassDefFoundError; both read the same.
    for (int i = 0; i < 2; i++) {
      NativeExecutorBackend backend = NativeExecutorBackend.create();
      assertThatThrownBy(() -> backend.subscribe(events))
          .isInstanceOf(MesosKitException.class)
          .hasMessageStartingWith(expected)
          .hasMessageContaining("UnsatisfiedLinkError")
          .hasMessageEndingWith(advice)
          .hasCauseInstanceOf(LinkageError.class);
      backend.close();
    }
    assertThat(events.lines()).isEmpty();
  }
}
