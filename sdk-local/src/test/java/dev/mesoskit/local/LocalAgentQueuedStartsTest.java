package dev.mesoskit.local;

import static dev.mesoskit.local.TestAgents.commandTask;
import static dev.mesoskit.local.TestAgents.config;
import static dev.mesoskit.local.TestAgents.framework;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent closed while more containers wait for its {@link Containerizer#CONCURRENT_STARTS}
 * start threads than they can take: the starts under way are killed, the queued ones never start,
 * and no task is reported started.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LocalAgentQueuedStartsTest {
  @TempDir
  Path workDir;

  @Test
  void aCloseWithStartsQueuedStartsNothingMoreAndKillsWhatStarted() throws Exception {
    RecordingAgentListener master = new RecordingAgentListener();
    LocalAgent agent = LocalAgent.start(config(workDir), master);
    List<Process> started = new CopyOnWriteArrayList<>();
    CountDownLatch allThreadsBusy = new CountDownLatch(Containerizer.CONCURRENT_STARTS);
    CountDownLatch proceed = new CountDownLatch(1);
    agent.containerizer.starter(builder -> {
      Process process = builder.start();
      started.add(process);
      allThreadsBusy.countDown();
      try {
        proceed.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return process;
    });
    int tasks = Containerizer.CONCURRENT_STARTS * 3;
    for (int i = 0; i < tasks; i++) {
      agent.launch(framework(), commandTask("t" + i, "sleep 60"));
    }
    assertThat(allThreadsBusy.await(15, TimeUnit.SECONDS)).isTrue();

    agent.close();
    proceed.countDown();

    assertThat(started).hasSize(Containerizer.CONCURRENT_STARTS);
    for (Process process : started) {
      assertThat(process.onExit().get(15, TimeUnit.SECONDS).exitValue()).isEqualTo(128 + 9);
    }
    assertThat(master.updates).extracting(update -> update.status().getState())
        .doesNotContain(TaskState.TASK_STARTING, TaskState.TASK_RUNNING);
    assertThat(List.copyOf(agent.processes)).isEmpty();
  }
}
