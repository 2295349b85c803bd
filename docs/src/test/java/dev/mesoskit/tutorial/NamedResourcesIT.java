package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chapter 3's section on resources of any name: an agent with two licenses runs two licensed
 * tasks at a time, and the third waits with its reason. The chapter's samples are regions of
 * this class.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamedResourcesIT {

  @Test
  void anAgentWithTwoLicensesRunsTwoLicensedTasksAndTheThirdWaitsForOne(@TempDir Path dir)
      throws Exception {
    Path gate = dir.resolve("gate");
    // tutorial:begin named-cluster
    LocalCluster cluster = LocalCluster.builder()
        .agents(1)
        .agentResources("cpus:4;mem:4096;licenses:2;zones:{a,b}")
        .start();
    // tutorial:end named-cluster
    try (cluster; Framework framework = Framework.builder()
        .name("licensed")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .build()) {
      framework.start();
      List<TaskId> ids = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        // tutorial:begin named-tasks
        TaskId id = framework.submit(TaskSpec.builder()
            .name("render-" + i)
            .resources("cpus:0.5;mem:256;licenses:1")      // one of the agent's licenses
            .command("until [ -e '" + gate + "' ]; do sleep 0.05; done")
            .build());
        // tutorial:end named-tasks
        ids.add(id);
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (framework.tasks().stream().filter(t -> t.state() == TaskState.RUNNING).count() < 2
          || framework.tasks().stream().noneMatch(t -> t.message().equals(
              Optional.of("needs licenses 1, the largest offer has 0")))) {
        assertThat(System.nanoTime()).as("%s", framework.tasks()).isLessThan(deadline);
        Thread.sleep(20);
      }
      Task waiting = framework.tasks().stream().filter(t -> t.state() == TaskState.PENDING)
          .findFirst().orElseThrow();
      assertThat(waiting.message()).hasValue("needs licenses 1, the largest offer has 0");

      Files.createFile(gate);
      for (TaskId id : ids) {
        assertThat(framework.outcome(id).get().state()).isEqualTo(TaskState.FINISHED);
      }
    }
  }
}
