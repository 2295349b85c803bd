package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.local.LocalCluster;
import dev.mesoskit.tutorial.chapter9.Operating;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Chapter 9's program against a local cluster: the addresses it prints and its exact metrics. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OperatingIT {

  @Test
  void theBatchsMetricsCountItsLaunchesTheRetryAndTheOutcomesExactly() throws Exception {
    try (LocalCluster cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:4096;ports:[31300-31399]")
        .allocationInterval(Duration.ofMillis(50)).start()) {
      TutorialProgramsIT.Output out = new TutorialProgramsIT.Output();

      String scrape = Operating.run(out.stream, "--master=" + cluster.masterAddress());

      List<String> lines = out.lines();
      assertThat(lines.get(0)).matches("status page: http://127\\.0\\.0\\.1:\\d+/");
      assertThat(lines.get(1)).matches("metrics: http://127\\.0\\.0\\.1:\\d+/metrics");
      assertThat(lines.subList(2, 5)).containsExactly("ok-1 FINISHED after 1 attempt(s)",
          "ok-2 FINISHED after 1 attempt(s)", "flaky FINISHED after 2 attempt(s)");
      List<String> samples = scrape.lines().filter(l -> l.startsWith("mesoskit_")).toList();
      assertThat(samples).contains(
          "mesoskit_task_launches_total{framework=\"operated\"} 4.0",
          "mesoskit_task_retries_total{framework=\"operated\"} 1.0",
          "mesoskit_task_failures_total{framework=\"operated\",reason=\"none\",state=\"FAILED\"}"
              + " 1.0",
          "mesoskit_offers_rescinded_total{framework=\"operated\"} 0.0",
          "mesoskit_tasks{framework=\"operated\",state=\"FINISHED\"} 3.0",
          "mesoskit_tasks{framework=\"operated\",state=\"PENDING\"} 0.0",
          "mesoskit_tasks_pending{framework=\"operated\"} 0.0",
          "mesoskit_acknowledgements_outstanding{framework=\"operated\"} 0.0");
    }
  }
}
