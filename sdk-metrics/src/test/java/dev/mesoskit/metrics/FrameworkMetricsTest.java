package dev.mesoskit.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scrape after a known sequence of events, on a framework driven by a {@link FakeBackend}
 * and a {@link ManualScheduler}: every value exact, every duration on the virtual clock.
 */
class FrameworkMetricsTest {
  /** Retries after exactly 2 s: no jitter. */
  private static final RetryPolicy RETRY = RetryPolicy.builder()
      .initialBackoff(Duration.ofSeconds(2)).jitter(0).build();

  private final ManualScheduler loop = new ManualScheduler();
  private final FakeBackend backend = new FakeBackend();
  /** Micrometer's own clock stands still too: a timer's max never rotates out mid-test. */
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(
      PrometheusConfig.DEFAULT, new PrometheusRegistry(), new MockClock());
  private final FrameworkMetrics metrics = FrameworkMetrics.on(registry);
  private Framework framework;

  @AfterEach
  void close() {
    if (framework != null) {
      framework.close();
    }
  }

  private Framework.Builder builder() {
    return Framework.builder()
        .name("demo")
        .backend(backend)
        .executor(loop)
        .clock(loop.clock())
        .random(new Random(7))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RETRY)
        .observer(metrics)
        .listener(metrics)
        .frameworkListener(metrics);
  }

  private void submit(String id, String resources) {
    framework.submit(TaskSpec.builder().id(id).name(id).resources(resources)
        .command("sleep 1").build());
  }

  private void update(String mesosTaskId, String agentId, TaskState state, String reason) {
    backend.update(mesosTaskId, agentId, state, reason, null);
  }

  /** The scrape's sample lines (no HELP or TYPE comments). */
  private List<String> samples() {
    return Arrays.stream(metrics.scrape().split("\n"))
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .toList();
  }

  @Test
  void scrapeShowsExactValuesAfterLaunchesARetryADeclineARescindAndHeartbeats() {
    framework = builder().build();
    framework.start();
    backend.subscribed("fw-1");
    submit("t1", "cpus:1;mem:128");
    submit("t2", "cpus:1;mem:128");
    submit("t3", "cpus:1;mem:128");
    submit("big", "cpus:64;mem:128"); // never fits: pending from t=0 to the end
    loop.runPending();

    // t=0: two offers in one event take t1, t2 (a1) and t3 (a2).
    backend.events().offers(List.of(backend.newOffer("a1", "cpus:2;mem:256"),
        backend.newOffer("a2", "cpus:1;mem:128")));
    update("t1.1", "a1", TaskState.RUNNING, null);
    update("t2.1", "a1", TaskState.RUNNING, null);
    update("t3.1", "a2", TaskState.RUNNING, null);
    update("t2.1", "a1", TaskState.FAILED, "REASON_COMMAND_EXECUTOR_FAILED");
    loop.runPending();
    backend.offer("a3", "cpus:1;mem:128"); // t2 backs off for 2 s: declined
    loop.runPending();

    // t=2s: t2's second attempt launches and finishes, t1 finishes; an offer is rescinded.
    loop.advance(Duration.ofSeconds(2));
    backend.offer("a1", "cpus:1;mem:128");
    update("t2.2", "a1", TaskState.RUNNING, null);
    update("t2.2", "a1", TaskState.FINISHED, null);
    update("t1.1", "a1", TaskState.FINISHED, null);
    backend.rescind("o9");
    loop.runPending();

    // The master fails over: a failed attempt, then subscribed again at t=2s.
    backend.events().disconnected("connection reset");
    backend.events().reconnecting(1, Duration.ofSeconds(1), "connection refused");
    backend.subscribed("fw-1");
    loop.runPending();

    // A heartbeat arrives at t=2s while the event thread is busy for 250 ms.
    backend.heartbeat();
    loop.stall(Duration.ofMillis(250));
    loop.runPending();
    loop.advance(Duration.ofSeconds(5)); // t=7.25s

    String demo = "{framework=\"demo\"}";
    String state = "mesoskit_tasks{framework=\"demo\",state=";
    assertThat(samples()).containsExactly(
        "mesoskit_acknowledgements_outstanding" + demo + " 0.0",
        // 21 events queued: the start (recovery from the store), subscribed twice, 4
        // submissions, 3 OFFERS, 7 updates, a rescind, a disconnection, a failed attempt and a
        // heartbeat; only the heartbeat waited.
        "mesoskit_event_loop_lag_seconds_count" + demo + " 21",
        "mesoskit_event_loop_lag_seconds_sum" + demo + " 0.25",
        "mesoskit_event_loop_lag_seconds_max" + demo + " 0.25",
        "mesoskit_heartbeat_age_seconds" + demo + " 5.25",
        "mesoskit_leader" + demo + " 1.0",
        "mesoskit_offers_declined_total" + demo + " 1.0",
        "mesoskit_offers_received_total" + demo + " 4.0",
        "mesoskit_offers_rescinded_total" + demo + " 1.0",
        "mesoskit_offers_used_total" + demo + " 3.0",
        "mesoskit_packing_pass_seconds_count" + demo + " 3",
        "mesoskit_packing_pass_seconds_sum" + demo + " 0.0",
        "mesoskit_packing_pass_seconds_max" + demo + " 0.0",
        "mesoskit_reconnects_total" + demo + " 1.0",
        // the framework keeps its id alone (frameworkIdStore): no state is written
        "mesoskit_state_writes_seconds_count" + demo + " 0",
        "mesoskit_state_writes_seconds_sum" + demo + " 0.0",
        "mesoskit_state_writes_seconds_max" + demo + " 0.0",
        "mesoskit_task_failures_total{framework=\"demo\","
            + "reason=\"REASON_COMMAND_EXECUTOR_FAILED\",state=\"FAILED\"} 1.0",
        "mesoskit_task_launches_total" + demo + " 4.0",
        "mesoskit_task_pending_oldest_seconds" + demo + " 7.25",
        "mesoskit_task_retries_total" + demo + " 1.0",
        state + "\"DROPPED\"} 0.0",
        state + "\"ERROR\"} 0.0",
        state + "\"FAILED\"} 0.0",
        state + "\"FINISHED\"} 2.0",
        state + "\"GONE\"} 0.0",
        state + "\"GONE_BY_OPERATOR\"} 0.0",
        state + "\"KILLED\"} 0.0",
        state + "\"KILLING\"} 0.0",
        state + "\"LOST\"} 0.0",
        state + "\"PENDING\"} 1.0",
        state + "\"RUNNING\"} 1.0",
        state + "\"STAGING\"} 0.0",
        state + "\"STARTING\"} 0.0",
        state + "\"UNKNOWN\"} 0.0",
        state + "\"UNREACHABLE\"} 0.0",
        "mesoskit_tasks_pending" + demo + " 1.0");
  }

  @Test
  void heartbeatAgeCountsFromTheSubscriptionUntilTheFirstHeartbeatAndIsNanBefore() {
    framework = builder().build();
    framework.start();
    loop.runPending();
    assertThat(samples()).contains("mesoskit_heartbeat_age_seconds{framework=\"demo\"} NaN");

    backend.subscribed("fw-1");
    loop.runPending();
    loop.advance(Duration.ofSeconds(3));

    assertThat(samples()).contains("mesoskit_heartbeat_age_seconds{framework=\"demo\"} 3.0");
  }

  @Test
  void acknowledgementsOutstandingShowsUpdatesQueuedAndNotYetAcknowledged() {
    List<String> seenWhileHandling = new ArrayList<>();
    framework = builder().listener(task -> {
      if (task.state() == TaskState.STARTING || task.state() == TaskState.RUNNING) {
        seenWhileHandling.add(task.state() + " " + samples().stream()
            .filter(l -> l.startsWith("mesoskit_acknowledgements_outstanding")).findFirst()
            .orElseThrow());
      }
    }).build();
    framework.start();
    backend.subscribed("fw-1");
    submit("t1", "cpus:1;mem:128");
    loop.runPending();
    backend.offer("a1", "cpus:1;mem:128");
    loop.runPending();

    update("t1.1", "a1", TaskState.STARTING, null);
    update("t1.1", "a1", TaskState.RUNNING, null);
    loop.runPending();

    assertThat(seenWhileHandling).containsExactly(
        "STARTING mesoskit_acknowledgements_outstanding{framework=\"demo\"} 2.0",
        "RUNNING mesoskit_acknowledgements_outstanding{framework=\"demo\"} 1.0");
    assertThat(samples()).contains("mesoskit_acknowledgements_outstanding{framework=\"demo\"} 0.0");
    assertThat(backend.acks()).hasSize(2);
  }

  @Test
  void aSecondInstanceForAFrameworkOfTheSameNameOnTheSameRegistryTakesTheMetersOver() {
    framework = builder().build();
    framework.start();
    backend.subscribed("fw-1");
    submit("t1", "cpus:1;mem:128");
    loop.runPending();
    backend.offer("a1", "cpus:1;mem:128"); // t1 launched: 0 pending, 1 launch
    loop.runPending();
    framework.close();

    ManualScheduler loop2 = new ManualScheduler();
    FakeBackend backend2 = new FakeBackend();
    FrameworkMetrics second = FrameworkMetrics.on(registry);
    framework = Framework.builder().name("demo").backend(backend2).executor(loop2)
        .clock(loop2.clock()).frameworkIdStore(FrameworkIdStore.inMemory())
        .observer(second).listener(second).build();
    framework.start();
    backend2.subscribed("fw-1");
    submit("t1", "cpus:1;mem:128");
    submit("t2", "cpus:1;mem:128");
    loop2.runPending();

    assertThat(samples()).contains(
        "mesoskit_tasks_pending{framework=\"demo\"} 2.0",
        "mesoskit_tasks{framework=\"demo\",state=\"STAGING\"} 0.0",
        "mesoskit_task_launches_total{framework=\"demo\"} 0.0");
  }

  @Test
  void failuresCountOnlyAttemptsThatFailedAsThemselvesWhenAPodFailsForGood() {
    framework = builder().retryPolicy(RetryPolicy.none()).build();
    framework.start();
    backend.subscribed("fw-1");
    framework.submit(PodSpec.builder("p")
        .task(TaskSpec.builder().name("web").resources("cpus:0.5;mem:64").command("a").build())
        .task(TaskSpec.builder().name("side").resources("cpus:0.5;mem:64").command("b").build())
        .build());
    submit("t1", "cpus:0.5;mem:64");
    loop.runPending();
    backend.offer("a1", "cpus:4;mem:1024;disk:1024");
    loop.runPending();
    update("p.side.1", "a1", TaskState.FINISHED, null);
    update("p.web.1", "a1", TaskState.LOST, "REASON_AGENT_REMOVED");
    update("t1.1", "a1", TaskState.LOST, "REASON_AGENT_DISCONNECTED");
    loop.runPending();

    assertThat(samples()).filteredOn(l -> l.startsWith("mesoskit_task_failures_total"))
        .containsExactly(
            "mesoskit_task_failures_total{framework=\"demo\",reason=\"REASON_AGENT_DISCONNECTED\","
                + "state=\"LOST\"} 1.0",
            "mesoskit_task_failures_total{framework=\"demo\",reason=\"REASON_AGENT_REMOVED\","
                + "state=\"LOST\"} 1.0");
  }

  @Test
  void metersCarryNoValuesBeforeTheFrameworkIsBuilt() {
    assertThat(samples()).isEmpty();
    assertThat(metrics).hasToString("FrameworkMetrics[not attached]");

    framework = builder().build();

    assertThat(metrics).hasToString("FrameworkMetrics[demo]");
    assertThat(samples()).contains("mesoskit_task_launches_total{framework=\"demo\"} 0.0");
  }

  @Test
  void oneInstanceRefusesASecondFramework() {
    framework = builder().build();

    assertThatThrownBy(() -> metrics.attached("other", loop.clock()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("FrameworkMetrics already observes framework demo: use one FrameworkMetrics"
            + " per framework (not other)");
  }

  @Test
  void scrapeAndServeNeedAPrometheusRegistry() {
    FrameworkMetrics onSimple = FrameworkMetrics.on(new SimpleMeterRegistry());

    assertThatThrownBy(onSimple::scrape)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("scrape needs a PrometheusMeterRegistry but the registry is"
            + " io.micrometer.core.instrument.simple.SimpleMeterRegistry: serve that registry the"
            + " way it is meant to be");
  }

  @Test
  void prometheusCreatesAPrometheusRegistry() {
    assertThat(FrameworkMetrics.prometheus().registry())
        .isInstanceOf(PrometheusMeterRegistry.class);
  }
}
