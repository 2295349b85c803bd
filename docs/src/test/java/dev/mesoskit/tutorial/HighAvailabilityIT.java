package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Service;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.UpdateOutcome;
import dev.mesoskit.core.UpdatePolicy;
import dev.mesoskit.core.spi.StateStore;
import dev.mesoskit.local.LocalCluster;
import dev.mesoskit.local.TaskLaunchRecord;
import dev.mesoskit.tutorial.chapter10.HighAvailability;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chapter 10's program against a local cluster and an embedded ZooKeeper: the standby takes over
 * the leader's tasks; and the chapter's samples of a service that scales and rolls over.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HighAvailabilityIT {

  @Test
  void theStandbyRecoversTheLeadersTasksAndEachFinishesOnceWithoutARelaunch() throws Exception {
    try (TestingServer zooKeeper = new TestingServer();
         LocalCluster cluster = LocalCluster.builder().agents(2)
             .agentResources("cpus:2;mem:2048;disk:4096;ports:[31400-31499]")
             .allocationInterval(Duration.ofMillis(50)).start()) {
      TutorialProgramsIT.Output out = new TutorialProgramsIT.Output();

      HighAvailability.run(out.stream, "--master=" + cluster.masterAddress(),
          "--zk=zk://" + zooKeeper.getConnectString() + "/mesoskit/ha");

      List<String> lines = out.lines();
      assertThat(lines).hasSize(10);
      assertThat(lines.subList(0, 2)).containsExactly(
          "scheduler-1 leads: true, scheduler-2 leads: false",
          "scheduler-1 runs [sleep-1, sleep-2, sleep-3]");
      assertThat(lines.get(2)).isEqualTo("scheduler-1 stepped down, leads: false");
      assertThat(lines.subList(3, 10)).containsExactly(
          "scheduler-2 recovered sleep-1, attempt 1",
          "scheduler-2 recovered sleep-2, attempt 1",
          "scheduler-2 recovered sleep-3, attempt 1",
          "sleep-1 FINISHED after 1 attempt(s)",
          "sleep-2 FINISHED after 1 attempt(s)",
          "sleep-3 FINISHED after 1 attempt(s)",
          "FINISHED heard for [sleep-1, sleep-2, sleep-3]");
      assertThat(cluster.launches()).extracting(TaskLaunchRecord::taskId)
          .containsExactlyInAnyOrder("sleep-1.1", "sleep-2.1", "sleep-3.1"); // attempt 1, once
    }
  }

  @Test
  void aServiceScalesUpRollsOverToANewTemplateAndRollsBackAFailingOne() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:4096;ports:[31500-31599]")
        .allocationInterval(Duration.ofMillis(50)).start()) {
      Service web = Service.builder()
          .task(TaskSpec.builder().name("web").resources("cpus:0.1;mem:32")
              .command("sleep 600").build())
          .instances(2)
          .build();
      try (Framework framework = Framework.builder().name("services")
          .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
          .stateStore(StateStore.inMemory())
          .listener(web).build()) {
        framework.start();
        web.start(framework);
        TaskSpec v2 = TaskSpec.builder().name("web").resources("cpus:0.1;mem:32")
            .command("sleep 601").build();
        TaskSpec broken = TaskSpec.builder().name("web").resources("cpus:64;mem:32") // fits no agent
            .command("sleep 602").build();

        // tutorial:begin scale
        web.scale(3);                                   // adds web-3
        UpdateOutcome rolled = web.update(v2, UpdatePolicy.builder()
            .maxDown(1)                                 // one old instance down at a time
            .stepTimeout(Duration.ofSeconds(30))        // each new one up within 30 s
            .rollback(true)                             // else restore the old ones
            .build()).join();
        // tutorial:end scale
        assertThat(rolled.completed()).isTrue();
        assertThat(rolled.reason()).isEqualTo("replaced 3 instances");
        assertThat(web.instances()).extracting(TaskId::value)
            .containsExactly("web-4", "web-5", "web-6");

        // tutorial:begin rollback
        UpdateOutcome failed = web.update(broken, UpdatePolicy.builder()
            .stepTimeout(Duration.ofSeconds(2)).build()).join();
        // failed.rolledBack(): true; failed.reason(): "web-7 not up within PT2S"
        // failed.events(): [KILL web-6, LAUNCH web-7, ROLLBACK, KILL web-7, LAUNCH web-8]
        // tutorial:end rollback
        assertThat(failed.completed()).isFalse();
        assertThat(failed.rolledBack()).isTrue();
        assertThat(failed.reason()).isEqualTo("web-7 not up within PT2S");
        assertThat(failed.events().toString()).isEqualTo(
            "[KILL web-6, LAUNCH web-7, ROLLBACK, KILL web-7, LAUNCH web-8]");
        assertThat(web.instances()).extracting(TaskId::value)
            .containsExactly("web-4", "web-5", "web-8");
        web.stop(Duration.ofSeconds(30));
      }
    }
  }
}
