package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service counts an instance as up once its checks passed, and relaunches an instance its
 * executor killed as unhealthy.
 */
@Timeout(30)
class ServiceHealthTest {
  private final TestRig rig = new TestRig();
  private final List<String> events = new ArrayList<>();

  private static TaskSpec.Builder web() {
    return TaskSpec.builder().name("web").resources("cpus:1;mem:128;ports:1").command("serve");
  }

  private Service launched(TaskSpec template) {
    Service service = Service.builder().task(template).instances(1)
        .retryPolicy(RetryPolicy.builder().unlimitedAttempts().jitter(0).build())
        .onRunning(t -> events.add("up " + t.id() + " attempt " + t.attempt()))
        .onRelaunch(t -> events.add("relaunch " + t.id() + ": " + t.message().orElse("")))
        .onEnd(t -> events.add("end " + t.id() + " " + t.state()))
        .build();
    rig.start(rig.builder().listener(service));
    rig.subscribed();
    service.start(rig.framework);
    rig.loop.runPending();
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31001]");
    return service;
  }

  private void push(String mesosTaskId, TaskState state, String message, Boolean healthy,
      CheckResult check) {
    rig.backend.update(mesosTaskId, "a1", state, message, Optional.ofNullable(healthy),
        Optional.ofNullable(check));
    rig.loop.runPending();
  }

  @Test
  void anInstanceWithAHealthCheckIsUpOnlyOnceHealthy() {
    Service service = launched(web().healthCheck(HealthCheck.of(Probe.tcp())).build());

    rig.update("web-1.1", TaskState.RUNNING);
    assertThat(events).isEmpty();
    assertThat(service.isUp(rig.task("web-1"))).isFalse();

    push("web-1.1", TaskState.RUNNING, null, false, null);
    assertThat(events).isEmpty();

    push("web-1.1", TaskState.RUNNING, null, true, null);
    push("web-1.1", TaskState.RUNNING, null, false, null);
    push("web-1.1", TaskState.RUNNING, null, true, null);

    assertThat(events).containsExactly("up web-1 attempt 1");
    assertThat(service.isUp(rig.task("web-1"))).isTrue();
  }

  @Test
  void anInstanceWithAReadinessCheckIsUpOnceTheCheckPassed() {
    launched(web().readinessCheck(ReadinessCheck.of(Probe.http("/ready"))).build());

    push("web-1.1", TaskState.RUNNING, null, null, CheckResult.pending(Probe.Kind.HTTP));
    push("web-1.1", TaskState.RUNNING, null, null, CheckResult.statusCode(503));
    assertThat(events).isEmpty();

    push("web-1.1", TaskState.RUNNING, null, null, CheckResult.statusCode(200));

    assertThat(events).containsExactly("up web-1 attempt 1");
  }

  @Test
  void anInstanceWithBothChecksWaitsForBoth() {
    launched(web().healthCheck(HealthCheck.of(Probe.tcp()))
        .readinessCheck(ReadinessCheck.of(Probe.http("/ready"))).build());

    push("web-1.1", TaskState.RUNNING, null, true, CheckResult.statusCode(500));
    assertThat(events).isEmpty();

    push("web-1.1", TaskState.RUNNING, null, true, CheckResult.statusCode(204));

    assertThat(events).containsExactly("up web-1 attempt 1");
  }

  @Test
  void anInstanceWithoutChecksIsUpWhenFirstSeenRunning() {
    launched(web().build());

    rig.update("web-1.1", TaskState.RUNNING);

    assertThat(events).containsExactly("up web-1 attempt 1");
  }

  @Test
  void anInstanceKilledAsUnhealthyIsRelaunchedAndIsUpAgainOnceHealthy() {
    Service service = launched(web().healthCheck(HealthCheck.of(Probe.tcp())).build());
    push("web-1.1", TaskState.RUNNING, null, true, null);
    push("web-1.1", TaskState.RUNNING, null, false, null);

    push("web-1.1", TaskState.KILLED, "Task is unhealthy", false, null);
    rig.advance(Duration.ofSeconds(1));
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31001]");
    push("web-1.2", TaskState.RUNNING, null, null, null);
    push("web-1.2", TaskState.RUNNING, null, true, null);

    assertThat(events).containsExactly(
        "up web-1 attempt 1",
        "relaunch web-1: attempt 1 killed as unhealthy: Task is unhealthy; attempt 2 after"
            + " 1000 ms",
        "up web-1 attempt 2");
    assertThat(service.ended()).isNotDone();
    assertThat(rig.calls()).contains("accept [o2] [web-1.2]");
  }
}
