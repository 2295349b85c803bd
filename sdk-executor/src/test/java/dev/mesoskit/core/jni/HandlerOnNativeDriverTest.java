package dev.mesoskit.core.jni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.executor.ExecutorMain;
import dev.mesoskit.core.executor.ExecutorRuntime;
import dev.mesoskit.core.executor.PermanentFailure;
import dev.mesoskit.core.executor.TaskHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mockito.ArgumentCaptor;

/** The executor runtime runs the same handler under libmesos' executor driver (mocked). */
@Timeout(20)
class HandlerOnNativeDriverTest {
  private final ExecutorDriver driver = mock(ExecutorDriver.class,
      invocation -> invocation.getMethod().getName().equals("stop")
          ? Protos.Status.DRIVER_STOPPED
          : Protos.Status.DRIVER_RUNNING);
  private final List<Executor> created = new ArrayList<>();

  private static final TaskHandler HANDLER = context -> {
    context.progress("env " + context.env());
    if (context.mesosTaskId().startsWith("bad")) {
      throw new PermanentFailure("bad input " + context.dataAsString());
    }
    if (context.mesosTaskId().startsWith("long")) {
      context.awaitCancellation();
    }
  };

  private static Protos.TaskInfo taskInfo(String id) {
    return Protos.TaskInfo.newBuilder()
        .setName("task " + id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setSlaveId(Protos.SlaveID.newBuilder().setValue("agent-1"))
        .setData(ByteString.copyFromUtf8("payload"))
        .setLabels(Protos.Labels.newBuilder().addLabels(
            Protos.Label.newBuilder().setKey("mesoskit.env.MODE").setValue("fast")))
        .build();
  }

  @Test
  void theSameHandlerRunsUnderTheNativeDriver() throws Exception {
    NativeExecutorBackend backend = new NativeExecutorBackend(executor -> {
      created.add(executor);
      return driver;
    }, Duration.ZERO);
    ExecutorRuntime runtime = ExecutorRuntime.builder().backend(backend)
        .killGracePeriod(Duration.ofMillis(200)).shutdownGracePeriod(Duration.ofSeconds(2))
        .progressInterval(Duration.ZERO).build();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Thread main = new Thread(() -> exit.complete(runtime.run(HANDLER)), "test-executor-main");
    main.setDaemon(true);
    main.start();
    verify(driver, timeout(5000)).start();
    Executor libmesos = created.get(0);

    libmesos.registered(driver, Protos.ExecutorInfo.newBuilder()
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue("exec-1"))
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
        .setCommand(Protos.CommandInfo.newBuilder().setValue("java -jar x.jar")).build(),
        Protos.FrameworkInfo.newBuilder().setUser("alice").setName("fw")
            .setId(Protos.FrameworkID.newBuilder().setValue("fw-1")).build(),
        Protos.SlaveInfo.newBuilder().setHostname("agent-1.host")
            .setId(Protos.SlaveID.newBuilder().setValue("agent-1")).build());
    libmesos.launchTask(driver, taskInfo("good.1"));
    libmesos.launchTask(driver, taskInfo("bad.1"));
    libmesos.launchTask(driver, taskInfo("long.1"));
    verify(driver, timeout(5000).atLeast(8)).sendStatusUpdate(any());
    libmesos.shutdown(driver);

    assertThat(exit.get(5, TimeUnit.SECONDS)).isEqualTo(ExecutorMain.EXIT_SHUTDOWN);
    ArgumentCaptor<Protos.TaskStatus> sent = ArgumentCaptor.forClass(Protos.TaskStatus.class);
    verify(driver, timeout(5000).times(9)).sendStatusUpdate(sent.capture());
    verify(driver).stop();
    assertThat(describe(sent.getAllValues(), "good.1")).containsExactly("TASK_RUNNING ",
        "TASK_RUNNING env {MODE=fast}", "TASK_FINISHED ");
    assertThat(describe(sent.getAllValues(), "bad.1")).containsExactly("TASK_RUNNING ",
        "TASK_RUNNING env {MODE=fast}", "TASK_FAILED bad input payload REASON_TASK_INVALID");
    assertThat(describe(sent.getAllValues(), "long.1")).containsExactly("TASK_RUNNING ",
        "TASK_RUNNING env {MODE=fast}", "TASK_KILLED killed: the executor shuts down");
    assertThat(sent.getAllValues()).allSatisfy(s -> {
      assertThat(s.getSource()).isEqualTo(Protos.TaskStatus.Source.SOURCE_EXECUTOR);
      assertThat(s.getExecutorId().getValue()).isEqualTo("exec-1");
      assertThat(s.getSlaveId().getValue()).isEqualTo("agent-1");
      assertThat(s.getUuid().size()).isEqualTo(16);
    });
  }

  private static List<String> describe(List<Protos.TaskStatus> all, String taskId) {
    return all.stream().filter(s -> s.getTaskId().getValue().equals(taskId))
        .map(s -> s.getState() + " " + s.getMessage()
            + (s.hasReason() ? " " + s.getReason() : ""))
        .toList();
  }
}
