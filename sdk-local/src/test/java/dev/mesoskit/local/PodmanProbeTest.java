package dev.mesoskit.local;

import static dev.mesoskit.local.TestAgents.FRAMEWORK_ID;
import static dev.mesoskit.local.TestAgents.commandTask;
import static dev.mesoskit.local.TestAgents.framework;
import static dev.mesoskit.local.TestAgents.scalar;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Under AUTO a cluster probes podman for its first image task, never at its start. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PodmanProbeTest {
  @TempDir
  Path workDir;

  @Test
  void autoDoesNotProbeWhenDetectedButWritesTheConfiguration() throws Exception {
    Podman podman = Podman.detect(ContainerRuntime.AUTO, workDir);

    assertThat(podman.probed()).isFalse();
    assertThat(Files.readString(workDir.resolve("containers.conf")))
        .isEqualTo(Podman.CONTAINERS_CONF);
  }

  @Test
  void aProbeCutShortByAnInterruptIsNotKept() {
    Podman podman = Podman.detect(ContainerRuntime.AUTO, workDir);

    Thread.currentThread().interrupt(); // as a closing agent interrupts its start threads
    try {
      podman.unusable();
    } finally {
      Thread.interrupted();
    }

    assertThat(podman.probed()).isFalse();
    assertThat(podman.unusable().orElse("")).doesNotContain("interrupted");
    assertThat(podman.probed()).isTrue();
  }

  @Test
  void noneNeedsNoProbe() {
    Podman podman = Podman.detect(ContainerRuntime.NONE, workDir);

    assertThat(podman.probed()).isTrue();
    assertThat(podman.unusable()).hasValue("disabled by containerRuntime NONE");
  }

  @Test
  void anAgentThatRunsNoImageNeverProbes() throws Exception {
    Podman podman = Podman.detect(ContainerRuntime.AUTO, workDir);
    AgentConfig config = new AgentConfig("agent-1", "127.0.0.1", List.of(scalar("cpus", 4)),
        List.of(), workDir.resolve("agent"), Duration.ofSeconds(10), Duration.ofMillis(500),
        Duration.ofSeconds(10), false, true, Duration.ofDays(1), 0.0, podman);
    RecordingAgentListener master = new RecordingAgentListener();
    LocalAgent agent = LocalAgent.start(config, master);
    try {
      agent.launch(framework(), commandTask("t1", "exit 0"));
      TaskState last = null;
      while (last != TaskState.TASK_FINISHED) {
        TaskStatus status = master.nextUpdate();
        agent.acknowledge(FRAMEWORK_ID, status.getTaskId(), status.getUuid());
        last = status.getState();
      }
    } finally {
      agent.close();
    }

    assertThat(podman.probed()).isFalse();
  }
}
