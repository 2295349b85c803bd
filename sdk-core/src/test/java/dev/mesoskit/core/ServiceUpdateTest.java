package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.spi.TaskLaunch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Service#update}: old instances replaced a step at a time, the highest-numbered first, by
 * new numbers running the new template; a new instance that does not come up rolls it back.
 */
@Timeout(30)
class ServiceUpdateTest {
  private static final RetryPolicy POLICY =
      RetryPolicy.builder().unlimitedAttempts().jitter(0).build();
  private static final String SLOT = "cpus:1;mem:128;ports:[31000-31000]";

  private final TestRig rig = new TestRig();
  private final List<String> events = Collections.synchronizedList(new ArrayList<>());

  private static TaskSpec web() {
    return TaskSpec.builder().name("web").resources("cpus:1;mem:128;ports:1").command("serve")
        .build();
  }

  private static TaskSpec webV2() {
    return web().toBuilder().command("serve --v2").build();
  }

  private static TaskSpec webV2Checked() {
    return webV2().toBuilder().healthCheck(HealthCheck.of(Probe.tcp())).build();
  }

  private static TaskSpec instanceSpec(TaskSpec template, String id) {
    return template.toBuilder().id(id).name(id).retryPolicy(POLICY).build();
  }

  private Service.Builder service(int instances) {
    return Service.builder().task(web()).instances(instances).retryPolicy(POLICY)
        .onRunning(t -> events.add("running " + t.id() + " attempt " + t.attempt()))
        .onRelaunch(t -> events.add("relaunch " + t.id()))
        .onEnd(t -> events.add("end " + t.id() + " " + t.state()));
  }

  /** Starts the framework and the service, launches every instance and reports it RUNNING. */
  private Service running(Service.Builder builder) {
    Service service = builder.build();
    rig.start(rig.builder().listener(service));
    rig.subscribed();
    service.start(rig.framework);
    rig.loop.runPending();
    rig.offer("a1", "cpus:8;mem:1024;ports:[31001-31008]");
    for (TaskId id : service.instances()) {
      rig.update(id.value() + ".1", TaskState.RUNNING);
    }
    events.clear();
    rig.clearCalls();
    return service;
  }

  private void push(String mesosTaskId, TaskState state, String message, Boolean healthy) {
    rig.backend.update(mesosTaskId, "a1", state, message, Optional.ofNullable(healthy),
        Optional.empty());
    rig.loop.runPending();
  }

  /** Confirms the kill of an old instance, offers room for its successor and reports it up. */
  private void replace(String old, String successor) {
    rig.update(old + ".1", TaskState.KILLED);
    rig.offer("a1", SLOT);
    rig.update(successor + ".1", TaskState.RUNNING);
  }

  private static List<TaskId> ids(String... ids) {
    return java.util.Arrays.stream(ids).map(TaskId::of).toList();
  }

  private static List<String> steps(UpdateOutcome outcome) {
    return outcome.events().stream().map(Object::toString).toList();
  }

  @Test
  void replacesOneInstanceAtATimeHighestFirstWithNewNumbersRunningTheNewTemplate() {
    Service service = running(service(4));

    CompletableFuture<UpdateOutcome> update = service.update(webV2());
    rig.loop.runPending();
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2", "web-3", "web-5"));
    assertThat(rig.backend.kills()).containsExactly("web-4.1");
    replace("web-4", "web-5");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2", "web-5", "web-6"));
    replace("web-3", "web-6");
    replace("web-2", "web-7");
    assertThat(update).isNotDone();
    replace("web-1", "web-8");

    UpdateOutcome outcome = update.join();
    assertThat(steps(outcome)).containsExactly(
        "KILL web-4", "LAUNCH web-5", "UP web-5",
        "KILL web-3", "LAUNCH web-6", "UP web-6",
        "KILL web-2", "LAUNCH web-7", "UP web-7",
        "KILL web-1", "LAUNCH web-8", "UP web-8");
    assertThat(outcome.completed()).isTrue();
    assertThat(outcome.rolledBack()).isFalse();
    assertThat(outcome.reason()).isEqualTo("replaced 4 instances");
    assertThat(service.instances()).isEqualTo(ids("web-5", "web-6", "web-7", "web-8"));
    assertThat(rig.backend.kills()).containsExactly("web-4.1", "web-3.1", "web-2.1", "web-1.1");
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec).containsExactly(
        instanceSpec(webV2(), "web-5"), instanceSpec(webV2(), "web-6"),
        instanceSpec(webV2(), "web-7"), instanceSpec(webV2(), "web-8"));
    assertThat(rig.backend.launches()).extracting(l -> l.spec().command().orElseThrow().value())
        .containsOnly("serve --v2");
    assertThat(events).containsExactly("running web-5 attempt 1", "running web-6 attempt 1",
        "running web-7 attempt 1", "running web-8 attempt 1");
    assertThat(rig.task("web-1").state()).isEqualTo(TaskState.KILLED);
    assertThat(service.ended()).isNotDone();
    assertThat(service).hasToString("Service[web x4]");

    service.scale(5); // scale-ups use the new template once the update completed
    rig.offer("a1", SLOT);
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec)
        .endsWith(instanceSpec(webV2(), "web-9"));
  }

  @Test
  void maxDownTwoReplacesFourInstancesInTwoStepsOfTwo() {
    Service service = running(service(4));

    CompletableFuture<UpdateOutcome> update =
        service.update(webV2(), UpdatePolicy.builder().maxDown(2).build());
    rig.loop.runPending();
    assertThat(rig.backend.kills()).containsExactly("web-4.1", "web-3.1");
    rig.update("web-4.1", TaskState.KILLED);
    rig.update("web-3.1", TaskState.KILLED);
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31001]");
    rig.update("web-5.1", TaskState.RUNNING);
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2", "web-5", "web-6"));
    assertThat(rig.backend.kills()).hasSize(2); // the step waits for web-6
    rig.update("web-6.1", TaskState.RUNNING);
    rig.update("web-2.1", TaskState.KILLED);
    rig.update("web-1.1", TaskState.KILLED);
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31001]");
    rig.update("web-8.1", TaskState.RUNNING);
    rig.update("web-7.1", TaskState.RUNNING);

    UpdateOutcome outcome = update.join();
    assertThat(steps(outcome)).containsExactly(
        "KILL web-4", "KILL web-3", "LAUNCH web-5", "LAUNCH web-6", "UP web-5", "UP web-6",
        "KILL web-2", "KILL web-1", "LAUNCH web-7", "LAUNCH web-8", "UP web-8", "UP web-7");
    assertThat(outcome.completed()).isTrue();
    assertThat(service.instances()).isEqualTo(ids("web-5", "web-6", "web-7", "web-8"));
    assertThat(rig.backend.kills()).containsExactly("web-4.1", "web-3.1", "web-2.1", "web-1.1");
  }

  @Test
  void onUpdateEventHearsEachEventAsItHappensExactlyAsTheOutcomeListsThem() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    Service service = running(service(4).onUpdateEvent(e -> heard.add(e.toString())));

    CompletableFuture<UpdateOutcome> update = service.update(webV2Checked());
    assertThat(heard).containsExactly("KILL web-4", "LAUNCH web-5"); // before update returned
    rig.loop.runPending();
    rig.update("web-4.1", TaskState.KILLED);
    rig.offer("a1", SLOT);
    push("web-5.1", TaskState.RUNNING, null, true);
    assertThat(heard).containsExactly("KILL web-4", "LAUNCH web-5", "UP web-5",
        "KILL web-3", "LAUNCH web-6");
    rig.update("web-3.1", TaskState.KILLED);
    rig.offer("a1", SLOT);
    push("web-6.1", TaskState.KILLED, "Task is unhealthy", false);

    UpdateOutcome outcome = update.join();
    assertThat(outcome.rolledBack()).isTrue();
    assertThat(heard).containsExactly(
        "KILL web-4", "LAUNCH web-5", "UP web-5",
        "KILL web-3", "LAUNCH web-6",
        "ROLLBACK", "KILL web-6", "KILL web-5", "LAUNCH web-7", "LAUNCH web-8");
    assertThat(heard).isEqualTo(steps(outcome));
  }

  @Test
  void anOnUpdateEventThatThrowsIsIgnoredAndTheUpdateGoesOn() {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    Service service = running(service(2).onUpdateEvent(e -> {
      heard.add(e.toString());
      throw new IllegalStateException("listener bug");
    }));

    CompletableFuture<UpdateOutcome> update = service.update(webV2());
    rig.loop.runPending();
    replace("web-2", "web-3");
    replace("web-1", "web-4");

    UpdateOutcome outcome = update.join();
    assertThat(outcome.completed()).isTrue();
    assertThat(outcome.reason()).isEqualTo("replaced 2 instances");
    assertThat(heard).isEqualTo(steps(outcome)).containsExactly(
        "KILL web-2", "LAUNCH web-3", "UP web-3", "KILL web-1", "LAUNCH web-4", "UP web-4");
    assertThat(rig.framework.isTerminated()).isFalse();
  }

  @Test
  void onUpdateEventHearsATimedOutStepsRollbackOnTheUpdatesTimerThread() throws Exception {
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    Service service = running(service(1).onUpdateEvent(
        e -> heard.add(e + " on " + Thread.currentThread().getName())));
    String caller = Thread.currentThread().getName();

    CompletableFuture<UpdateOutcome> update = service.update(webV2(),
        UpdatePolicy.builder().stepTimeout(Duration.ofSeconds(30)).build());
    rig.loop.runPending();
    rig.advance(Duration.ofSeconds(30));

    UpdateOutcome outcome = update.get(10, TimeUnit.SECONDS);
    assertThat(heard).containsExactly("KILL web-1 on " + caller, "LAUNCH web-2 on " + caller,
        "ROLLBACK on mesoskit-update-web", "KILL web-2 on mesoskit-update-web",
        "LAUNCH web-3 on mesoskit-update-web");
    assertThat(steps(outcome)).containsExactly(
        "KILL web-1", "LAUNCH web-2", "ROLLBACK", "KILL web-2", "LAUNCH web-3");
  }

  @Test
  void logsEachStepAtInfo() {
    Service service = running(service(2));
    java.io.PrintStream original = System.err;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      service.update(webV2());
      replace("web-2", "web-3");
      replace("web-1", "web-4");
    } finally {
      System.setErr(original);
    }

    List<String> steps = captured.toString(java.nio.charset.StandardCharsets.UTF_8).lines()
        .filter(l -> l.contains("INFO dev.mesoskit.core.Service - rolling update service="))
        .map(l -> l.substring(l.indexOf("rolling update"))).toList();
    assertThat(steps).containsExactly(
        "rolling update service=web step=1 killed=[web-2] launched=[web-3]",
        "rolling update service=web step=2 killed=[web-1] launched=[web-4]");
  }

  @Test
  void aNewInstanceKilledAsUnhealthyRollsBackToTheOldTemplate() {
    Service service = running(service(4));

    CompletableFuture<UpdateOutcome> update = service.update(webV2Checked());
    rig.loop.runPending();
    rig.update("web-4.1", TaskState.KILLED);
    rig.offer("a1", SLOT);
    push("web-5.1", TaskState.RUNNING, null, null);
    assertThat(update).isNotDone(); // RUNNING is not up: the health check has not passed yet
    push("web-5.1", TaskState.RUNNING, null, true);
    rig.update("web-3.1", TaskState.KILLED);
    rig.offer("a1", SLOT);
    push("web-6.1", TaskState.RUNNING, null, false); // a first failed probe is not a failure
    assertThat(update).isNotDone();
    push("web-6.1", TaskState.KILLED, "Task is unhealthy", false);
    rig.update("web-5.1", TaskState.KILLED);
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31001]");

    UpdateOutcome outcome = update.join();
    assertThat(steps(outcome)).containsExactly(
        "KILL web-4", "LAUNCH web-5", "UP web-5",
        "KILL web-3", "LAUNCH web-6",
        "ROLLBACK", "KILL web-6", "KILL web-5", "LAUNCH web-7", "LAUNCH web-8");
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.rolledBack()).isTrue();
    assertThat(outcome.reason()).isEqualTo("web-6 failed its health check: Task is unhealthy");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2", "web-7", "web-8"));
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec).containsExactly(
        instanceSpec(webV2Checked(), "web-5"), instanceSpec(webV2Checked(), "web-6"),
        instanceSpec(web(), "web-7"), instanceSpec(web(), "web-8"));
    assertThat(rig.task("web-6").state()).isEqualTo(TaskState.KILLED);
    assertThat(rig.task("web-6").attempt()).isEqualTo(2); // its relaunch was killed, not run
    assertThat(rig.task("web-6").done()).isTrue();
    assertThat(rig.task("web-5").state()).isEqualTo(TaskState.KILLED);
    rig.update("web-7.1", TaskState.RUNNING); // old template: no health check to wait for
    assertThat(events).containsExactly("running web-5 attempt 1", "running web-7 attempt 1");
    assertThat(service.ended()).isNotDone();
  }

  @Test
  void aNewInstanceThatFailsBeforeItIsUpRollsBackWithHowItEnded() {
    Service service = running(service(2));

    CompletableFuture<UpdateOutcome> update = service.update(webV2());
    rig.loop.runPending();
    rig.offer("a1", SLOT);
    rig.update("web-3.1", "a1", TaskState.FAILED, null, "exec format error");

    UpdateOutcome outcome = update.join();
    assertThat(steps(outcome)).containsExactly(
        "KILL web-2", "LAUNCH web-3", "ROLLBACK", "KILL web-3", "LAUNCH web-4");
    assertThat(outcome.reason())
        .isEqualTo("web-3 ended FAILED before it was up: exec format error");
    assertThat(outcome.rolledBack()).isTrue();
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-4"));
    assertThat(events).isEmpty(); // no relaunch reported for web-3, no end
    assertThat(service.ended()).isNotDone();
  }

  @Test
  void aStepNotUpWithinItsTimeoutOnTheFrameworksClockRollsBack() throws Exception {
    Service service = running(service(4));

    CompletableFuture<UpdateOutcome> update = service.update(webV2Checked(),
        UpdatePolicy.builder().stepTimeout(Duration.ofMinutes(2)).build());
    rig.loop.runPending();
    rig.update("web-4.1", TaskState.KILLED);
    rig.offer("a1", SLOT);
    push("web-5.1", TaskState.RUNNING, null, null);
    rig.advance(Duration.ofSeconds(119));
    push("web-5.1", TaskState.RUNNING, null, false);
    assertThat(update).isNotDone();

    rig.advance(Duration.ofSeconds(1));
    push("web-5.1", TaskState.RUNNING, null, true); // too late: the deadline is checked first

    UpdateOutcome outcome = update.get(10, TimeUnit.SECONDS);
    rig.loop.runPending();
    assertThat(steps(outcome)).containsExactly(
        "KILL web-4", "LAUNCH web-5", "ROLLBACK", "KILL web-5", "LAUNCH web-6");
    assertThat(outcome.rolledBack()).isTrue();
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.reason()).isEqualTo("web-5 not up within PT2M");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2", "web-3", "web-6"));
    assertThat(rig.backend.kills()).containsExactly("web-4.1", "web-5.1");
  }

  @Test
  void theStepDeadlineIsNoticedWithoutAnyTaskChange() throws Exception {
    Service service = running(service(1));

    CompletableFuture<UpdateOutcome> update = service.update(webV2(),
        UpdatePolicy.builder().stepTimeout(Duration.ofSeconds(30)).build());
    rig.loop.runPending();
    rig.advance(Duration.ofSeconds(30));

    UpdateOutcome outcome = update.get(10, TimeUnit.SECONDS); // the update's timer
    rig.loop.runPending();
    assertThat(steps(outcome)).containsExactly(
        "KILL web-1", "LAUNCH web-2", "ROLLBACK", "KILL web-2", "LAUNCH web-3");
    assertThat(outcome.reason()).isEqualTo("web-2 not up within PT30S");
    assertThat(service.instances()).isEqualTo(ids("web-3"));
  }

  @Test
  void withoutRollbackAFailedUpdateStopsAndLeavesEveryInstanceAsItIs() {
    Service service = running(service(3));

    CompletableFuture<UpdateOutcome> update =
        service.update(webV2(), UpdatePolicy.builder().rollback(false).build());
    rig.loop.runPending();
    rig.offer("a1", SLOT);
    rig.update("web-4.1", "a1", TaskState.FAILED, null, "boom");

    UpdateOutcome outcome = update.join();
    assertThat(steps(outcome)).containsExactly("KILL web-3", "LAUNCH web-4");
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.rolledBack()).isFalse();
    assertThat(outcome.reason()).isEqualTo("web-4 ended FAILED before it was up: boom");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-2", "web-4"));
    assertThat(events).containsExactly("relaunch web-4"); // an instance like any other now
    service.scale(4);
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31001]");
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec)
        .contains(instanceSpec(webV2(), "web-5"));
  }

  @Test
  void stopEndsARunningUpdate() {
    Service service = running(service(2));
    CompletableFuture<UpdateOutcome> update = service.update(webV2());
    rig.loop.runPending();

    Service.Stopped stopped = service.stop(Duration.ZERO);
    rig.loop.runPending();

    UpdateOutcome outcome = update.join();
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.rolledBack()).isFalse();
    assertThat(outcome.reason()).isEqualTo("stopped");
    assertThat(steps(outcome)).containsExactly("KILL web-2", "LAUNCH web-3");
    assertThat(stopped.instances()).extracting(Task::name).containsExactly("web-1", "web-3");
    assertThat(rig.task("web-3").state()).isEqualTo(TaskState.KILLED); // pending: killed at once
    assertThatThrownBy(() -> service.update(webV2()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web cannot update: it is stopped");
  }

  @Test
  void aNewTemplateTheFrameworkRefusesRollsBackWithTheReasonAndScaleWorksAfterwards() {
    Service service = running(service(2));
    TaskSpec otherRole = webV2().toBuilder().role("other").build();

    UpdateOutcome outcome = service.update(otherRole).join();
    rig.loop.runPending();

    assertThat(steps(outcome)).containsExactly("KILL web-2", "ROLLBACK", "LAUNCH web-3");
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.rolledBack()).isTrue();
    assertThat(outcome.reason()).isEqualTo("web-3 could not be submitted: role must be one of"
        + " the framework's roles [*] but was 'other' for task web-3");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-3"));
    assertThat(rig.framework.isTerminated()).isFalse();
    service.scale(3);
    rig.offer("a1", "cpus:2;mem:256;ports:[31000-31001]");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-3", "web-4"));
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec)
        .containsExactly(instanceSpec(web(), "web-3"), instanceSpec(web(), "web-4"));
  }

  @Test
  void aStepRefusedOnTheEventThreadEndsTheUpdateWithoutFailingTheFramework() {
    Service service = running(service(2));
    CompletableFuture<UpdateOutcome> update = service.update(webV2());
    rig.loop.runPending();
    rig.update("web-2.1", TaskState.KILLED);
    rig.offer("a1", SLOT);
    rig.framework.finish(); // takes no more tasks: the next step cannot submit

    rig.update("web-3.1", TaskState.RUNNING); // up: the next step starts on the event thread

    UpdateOutcome outcome = update.join();
    String refused = "web-4 could not be submitted: cannot submit to framework test: it is"
        + " finishing";
    assertThat(steps(outcome)).containsExactly("KILL web-2", "LAUNCH web-3", "UP web-3",
        "KILL web-1", "ROLLBACK", "KILL web-3");
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.rolledBack()).isFalse();
    assertThat(outcome.reason()).isEqualTo(refused + "; not rolled back: " + refused);
    assertThat(rig.framework.isTerminated()).isFalse();
    assertThat(service.instances()).isEmpty();
    service.scale(0); // no update runs any more
    assertThatThrownBy(() -> service.scale(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("cannot submit to framework test: it is finishing");
    assertThat(service.update(webV2()).join().reason()).isEqualTo("replaced 0 instances");
  }

  @Test
  void aRollbackRefusedOnTheTimerThreadStillEndsTheUpdate() throws Exception {
    Service service = running(service(2));
    CompletableFuture<UpdateOutcome> update = service.update(webV2(),
        UpdatePolicy.builder().stepTimeout(Duration.ofSeconds(30)).build());
    rig.loop.runPending();
    rig.framework.finish();

    rig.advance(Duration.ofSeconds(30)); // the timer fails the step, the rollback is refused

    UpdateOutcome outcome = update.get(10, TimeUnit.SECONDS);
    rig.loop.runPending();
    assertThat(steps(outcome)).containsExactly("KILL web-2", "LAUNCH web-3", "ROLLBACK",
        "KILL web-3");
    assertThat(outcome.completed()).isFalse();
    assertThat(outcome.rolledBack()).isFalse();
    assertThat(outcome.reason()).isEqualTo("web-3 not up within PT30S; not rolled back: web-4"
        + " could not be submitted: cannot submit to framework test: it is finishing");
    assertThat(rig.framework.isTerminated()).isFalse();
    service.scale(0);
    assertThat(service.instances()).isEmpty();
  }

  @Test
  void refusesASecondUpdateAndScalingWhileAnUpdateRuns() {
    Service service = running(service(2));
    service.update(webV2());
    rig.loop.runPending();

    assertThatThrownBy(() -> service.update(webV2()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web cannot update: an update is running");
    assertThatThrownBy(() -> service.scale(3))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web cannot scale: an update is running");
    assertThat(service.instances()).isEqualTo(ids("web-1", "web-3"));
  }

  @Test
  void refusesATemplateWithAnotherName() {
    Service service = running(service(2));

    assertThatThrownBy(() -> service.update(webV2().toBuilder().name("api").build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("newTemplate name must be web but was api");
    rig.loop.runPending();
    assertThat(rig.calls()).isEmpty();
    service.scale(3); // no update runs
  }

  @Test
  void refusesAnUpdateBeforeStart() {
    Service service = service(2).build();

    assertThatThrownBy(() -> service.update(webV2()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Service web cannot update: it is not started");
  }

  @Test
  void anUpdateOfAnEmptyServiceCompletesAtOnce() {
    Service service = running(service(1));
    service.scale(0);

    UpdateOutcome outcome = service.update(webV2()).join();

    assertThat(outcome).isEqualTo(
        new UpdateOutcome(true, false, "replaced 0 instances", List.of()));
    service.scale(1);
    rig.offer("a1", SLOT);
    assertThat(rig.backend.launches()).extracting(TaskLaunch::spec)
        .containsExactly(instanceSpec(webV2(), "web-2"));
  }

  @Test
  void updatePolicyRefusesBadSettingsNamingThem() {
    assertThat(UpdatePolicy.defaults())
        .isEqualTo(new UpdatePolicy(1, Duration.ofMinutes(5), true));
    assertThatThrownBy(() -> UpdatePolicy.builder().maxDown(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxDown must be >= 1 but was 0");
    assertThatThrownBy(() -> UpdatePolicy.builder().stepTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("stepTimeout must be > 0 but was PT0S");
    assertThatThrownBy(() -> UpdatePolicy.builder().stepTimeout(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("stepTimeout must not be null");
  }
}
