package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.testing.FakeBackend.Accept;
import dev.mesoskit.core.testing.FakeBackend.Decline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How a framework uses offers: packing, declining, SUPPRESS and REVIVE. */
class FrameworkOffersTest {
  private static final Duration REFUSE = Duration.ofSeconds(42);

  private final TestRig rig = new TestRig();

  @Test
  void suppressesRightAfterSubscribedWhenNothingIsPending() {
    rig.started();

    assertThat(rig.calls()).containsExactly("subscribe", "suppress");
  }

  @Test
  void revivesWhenWorkArrivesAndSuppressesOnceItIsLaunched() {
    rig.started();

    rig.submit("t1", "cpus:1;mem:128");
    assertThat(rig.calls()).containsExactly("subscribe", "suppress", "revive");

    rig.offer("a1", "cpus:4;mem:1024");
    assertThat(rig.calls()).containsExactly(
        "subscribe", "suppress", "revive", "accept [o1] [t1.1]", "suppress");
  }

  @Test
  void revivesOnlyOnceForSeveralSubmissions() {
    rig.started();

    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");

    assertThat(rig.calls()).containsExactly("subscribe", "suppress", "revive");
  }

  @Test
  void packsPendingTasksOntoOneOfferAndLaunchesThemInOneAccept() {
    rig.start(rig.builder().refuse(REFUSE));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:2;mem:256");

    rig.offer("a1", "cpus:4;mem:1024");

    assertThat(rig.backend.accepts()).hasSize(1);
    Accept accept = rig.backend.accepts().get(0);
    assertThat(accept.offerIds()).containsExactly("o1");
    assertThat(accept.refuse()).isEqualTo(REFUSE);
    List<TaskLaunch> launches = accept.launches();
    assertThat(launches).extracting(TaskLaunch::mesosTaskId).containsExactly("t1.1", "t2.1");
    assertThat(launches).extracting(TaskLaunch::agentId).containsExactly("a1", "a1");
    assertThat(launches.get(0).resources()).isEqualTo(Resources.parse("cpus:1;mem:128"));
    assertThat(launches.get(1).resources()).isEqualTo(Resources.parse("cpus:2;mem:256"));
    assertThat(launches.get(0).executorResources()).isEqualTo(Resources.empty());
    assertThat(launches.get(0).spec()).isEqualTo(TestRig.spec("t1", "cpus:1;mem:128"));
    assertThat(rig.backend.declines()).isEmpty();

    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.STAGING);
    assertThat(t1.attempt()).isEqualTo(1);
    assertThat(t1.done()).isFalse();
    assertThat(t1.agentId()).contains("a1");
    assertThat(t1.hostname()).contains("a1.host");
    assertThat(t1.message()).isEmpty();
    assertThat(rig.statesSeen("t1")).containsExactly(TaskState.PENDING, TaskState.STAGING);
    assertThat(rig.statesSeen("t2")).containsExactly(TaskState.PENDING, TaskState.STAGING);
  }

  @Test
  void declinesUnusedOffersWithTheRefuseFilterInTheSamePass() {
    rig.start(rig.builder().refuse(REFUSE));
    rig.subscribed();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:1;mem:128");
    rig.clearCalls();
    Offer tooSmall = rig.backend.newOffer("a1", "cpus:0.5;mem:64");
    Offer fits = rig.backend.newOffer("a2", "cpus:2;mem:256");
    Offer spare = rig.backend.newOffer("a3", "cpus:2;mem:256");

    rig.offers(tooSmall, fits, spare);

    assertThat(rig.calls()).containsExactly(
        "accept [o2] [t1.1, t2.1]", "decline [o1, o3]", "suppress");
    assertThat(rig.backend.accepts()).extracting(Accept::refuse).containsExactly(REFUSE);
    assertThat(rig.backend.declines()).containsExactly(new Decline(List.of("o1", "o3"), REFUSE));
    assertEveryOfferAnsweredOnce(List.of(tooSmall, fits, spare));
  }

  @Test
  void declinesWithTheDefaultRefuseFilterOfFiveSeconds() {
    rig.started();

    rig.offer("a1", "cpus:4;mem:1024");

    assertThat(rig.backend.declines()).containsExactly(
        new Decline(List.of("o1"), Duration.ofSeconds(5)));
  }

  @Test
  void acceptsEveryOfferOfAnAgentInOneAccept() {
    rig.started();
    rig.submit("t1", "cpus:2;mem:256");
    rig.clearCalls();
    Offer a1First = rig.backend.newOffer("a1", "cpus:1;mem:128");
    Offer a2 = rig.backend.newOffer("a2", "cpus:1;mem:128");
    Offer a1Second = rig.backend.newOffer("a1", "cpus:1;mem:128");

    rig.offers(a1First, a2, a1Second);

    assertThat(rig.calls()).containsExactly(
        "accept [o1, o3] [t1.1]", "decline [o2]", "suppress");
    assertThat(rig.backend.launches().get(0).resources())
        .isEqualTo(Resources.parse("cpus:2;mem:256"));
    assertEveryOfferAnsweredOnce(List.of(a1First, a2, a1Second));
  }

  @Test
  void acceptsEveryOfferOfAnAgentEvenWhenOneWouldDo() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.clearCalls();

    rig.offers(rig.backend.newOffer("a1", "cpus:1;mem:128"),
        rig.backend.newOffer("a1", "cpus:3;mem:512"));

    assertThat(rig.calls()).containsExactly("accept [o1, o2] [t1.1]", "suppress");
  }

  @Test
  void launchesOnSeveralAgentsWithOneAcceptPerAgent() {
    rig.started();
    rig.submit("t1", "cpus:2;mem:128");
    rig.submit("t2", "cpus:2;mem:128");
    rig.clearCalls();

    rig.offers(rig.backend.newOffer("a1", "cpus:2;mem:256"),
        rig.backend.newOffer("a2", "cpus:2;mem:256"));

    assertThat(rig.calls()).containsExactly(
        "accept [o1] [t1.1]", "accept [o2] [t2.1]", "suppress");
    assertThat(rig.task("t2").agentId()).contains("a2");
  }

  @Test
  void declinesOffersThatArriveWithNothingPending() {
    rig.started();
    Offer o1 = rig.backend.newOffer("a1", "cpus:4;mem:1024");
    Offer o2 = rig.backend.newOffer("a2", "cpus:4;mem:1024");

    rig.offers(o1, o2);

    assertThat(rig.calls()).containsExactly("subscribe", "suppress", "decline [o1, o2]");
  }

  @Test
  void keepsATaskThatFitsNoOfferPendingWithTheReason() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:512");
    rig.clearCalls();

    rig.offer("a1", "cpus:4;mem:256");

    assertThat(rig.calls()).containsExactly("decline [o1]");
    Task t1 = rig.task("t1");
    assertThat(t1.state()).isEqualTo(TaskState.PENDING);
    assertThat(t1.message()).contains("needs mem 512 MB, the largest offer has 256 MB");
    assertThat(rig.statesSeen("t1")).containsExactly(TaskState.PENDING);
  }

  @Test
  void revivesWhenWorkArrivesAfterADecline() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:512");
    rig.offer("a1", "cpus:4;mem:256");

    rig.submit("t2", "cpus:1;mem:128");

    assertThat(rig.calls()).containsExactly(
        "subscribe", "suppress", "revive", "decline [o1]", "revive");
  }

  @Test
  void revivesInsteadOfSuppressingWhenTasksWereSubmittedBeforeSubscribing() {
    rig.start();
    rig.submit("t1", "cpus:1;mem:128");

    rig.subscribed();
    assertThat(rig.calls()).containsExactly("subscribe", "revive");

    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.calls()).containsExactly("subscribe", "revive", "accept [o1] [t1.1]",
        "suppress");
  }

  @Test
  void suppressesAgainAfterResubscribingWithNothingPending() {
    rig.started();
    rig.disconnected();

    rig.subscribed();

    assertThat(rig.calls()).containsExactly("subscribe", "suppress", "suppress");
  }

  @Test
  void neverHoldsAnOfferPastThePackingPass() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");
    rig.submit("t2", "cpus:8;mem:128");
    List<Offer> pushed = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      Offer[] batch = {
          rig.backend.newOffer("a1", "cpus:1;mem:128"),
          rig.backend.newOffer("a2", "cpus:2;mem:256"),
          rig.backend.newOffer("a1", "cpus:1;mem:128")};
      rig.offers(batch);
      pushed.addAll(List.of(batch));
      assertEveryOfferAnsweredOnce(pushed);
    }
    assertThat(rig.backend.launches()).extracting(TaskLaunch::mesosTaskId).containsExactly("t1.1");
    assertThat(rig.task("t2").message())
        .contains("needs cpus 8, the largest offer has 2");
  }

  private void assertEveryOfferAnsweredOnce(List<Offer> pushed) {
    List<String> answered = new ArrayList<>();
    rig.backend.accepts().forEach(a -> answered.addAll(a.offerIds()));
    rig.backend.declines().forEach(d -> answered.addAll(d.offerIds()));
    assertThat(answered).containsExactlyInAnyOrderElementsOf(
        pushed.stream().map(Offer::id).toList());
  }

  @Test
  void placesATaskOnlyOnceEvenWhenOffersComeInSeparateEvents() {
    rig.started();
    rig.submit("t1", "cpus:1;mem:128");

    rig.offer("a1", "cpus:1;mem:128");
    rig.offer("a2", "cpus:1;mem:128");

    assertThat(rig.backend.launches()).extracting(TaskLaunch::mesosTaskId).containsExactly("t1.1");
    assertThat(rig.backend.declines()).extracting(Decline::offerIds)
        .containsExactly(List.of("o2"));
    assertThat(rig.task("t1").agentId()).isEqualTo(Optional.of("a1"));
  }

  private static TaskSpec executorTask(String id) {
    ExecutorSpec executor = ExecutorSpec.of("exec", CommandSpec.shell("java -jar exec.jar"));
    return TaskSpec.builder().id(id).name(id).resources("cpus:1;mem:128").executor(executor)
        .build();
  }

  @Test
  void chargesAnExecutorOnceOnTheFirstLaunchOnAnAgent() {
    rig.started();
    rig.submit(executorTask("t1"));
    rig.submit(executorTask("t2"));
    rig.clearCalls();

    // Fits both tasks and one executor (0.1 cpus, 32 MB), not two executors.
    rig.offer("a1", "cpus:2.1;mem:288");

    assertThat(rig.calls()).containsExactly("accept [o1] [t1.1, t2.1]", "suppress");
    Resources executor = Resources.parse("cpus:0.1;mem:32");
    assertThat(rig.backend.launches()).extracting(TaskLaunch::executorResources)
        .containsExactly(executor, executor);
    assertThat(rig.backend.launches()).extracting(TaskLaunch::resources)
        .containsExactly(Resources.parse("cpus:1;mem:128"), Resources.parse("cpus:1;mem:128"));
  }

  @Test
  void launchesOntoARunningExecutorWithItsFirstResourcesAndWithoutChargingItAgain() {
    rig.started();
    rig.submit(executorTask("t1"));
    rig.offer("a1", "cpus:1.1;mem:160");
    rig.submit(executorTask("t2"));
    rig.clearCalls();

    rig.offers(new Offer("o-run", "a1", "a1.host", Resources.parse("cpus:1;mem:128"), Map.of(),
        Set.of("exec")));

    assertThat(rig.calls()).containsExactly("accept [o-run] [t2.1]", "suppress");
    assertThat(rig.backend.launches().get(0).executorResources())
        .isEqualTo(Resources.parse("cpus:0.1;mem:32"));
  }

  @Test
  void chargesAnExecutorAgainAfterItTerminated() {
    rig.started();
    rig.submit(executorTask("t1"));
    rig.offer("a1", "cpus:1.1;mem:160");
    rig.backend.events().failure("a1", Optional.of("exec"), OptionalInt.of(1));
    rig.submit(executorTask("t2"));
    rig.clearCalls();

    rig.offer("a1", "cpus:1;mem:128");
    assertThat(rig.calls()).containsExactly("decline [o2]");
    assertThat(rig.task("t2").message())
        .contains("needs cpus 1.1, the largest offer has 1");

    rig.offer("a1", "cpus:2;mem:256");
    assertThat(rig.backend.launches()).extracting(TaskLaunch::mesosTaskId)
        .containsExactly("t2.1");
    assertThat(rig.backend.launches().get(0).executorResources())
        .isEqualTo(Resources.parse("cpus:0.1;mem:32"));
  }
}
