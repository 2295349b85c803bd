package dev.mesoskit.offers;

import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static dev.mesoskit.offers.TestInputs.offerRunning;
import static dev.mesoskit.offers.TestInputs.onExecutor;
import static dev.mesoskit.offers.TestInputs.placement;
import static dev.mesoskit.offers.TestInputs.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.PendingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-checked placements of each strategy, and what all strategies share. */
class PackingStrategiesTest {

  static Stream<Supplier<Packer>> everyStrategy() {
    return Stream.of(
        named(PackingStrategies::firstFit), named(PackingStrategies::binPack),
        named(PackingStrategies::spread), named(PackingStrategies::dotProduct),
        named(PackingStrategies::l2Norm), named(PackingStrategies::consolidate),
        named(PackingStrategies::overflowSearch));
  }

  /** A supplier that prints as the strategy's name, for the test report. */
  private static Supplier<Packer> named(Supplier<Packer> s) {
    return new Supplier<>() {
      @Override
      public Packer get() {
        return s.get();
      }

      @Override
      public String toString() {
        return s.get().toString();
      }
    };
  }

  // ---- firstFit

  @Test
  void firstFitPlacesTasksInOrderOnTheFirstAgentThatFits() {
    Packing packing = PackingStrategies.firstFit().pack(
        List.of(
            command("t1", "cpus:0.5;mem:128"),
            command("t2", "cpus:1;mem:512"),
            command("t3", "cpus:0.5;mem:128"),
            command("t4", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:1;mem:256"), offer("o2", "a2", "cpus:4;mem:4096")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:0.5;mem:128"),
        placement("t2", "a2", "cpus:1;mem:512"),
        placement("t3", "a1", "cpus:0.5;mem:128"),
        placement("t4", "a2", "cpus:0.5;mem:128"));
    assertThat(packing.unplaced()).isEmpty();
  }

  @Test
  void firstFitPlacesLikeTheCoreFirstFit() {
    List<PendingTask> tasks = List.of(
        command("t1", "cpus:1;mem:1024"), command("t2", "cpus:3;mem:3072"),
        onExecutor("t3", "cpus:0.5;mem:64"), command("t4", "cpus:1;mem:1;ports:2"));
    List<Offer> offers = List.of(
        offer("o1", "a1", "cpus:3;mem:3072;ports:[31000-31001]"),
        offer("o2", "a2", "cpus:1;mem:1024"), offer("o3", "a1", "cpus:1;mem:64"));

    // Reasons may differ: these describe the offers as the whole pass left them.
    assertThat(PackingStrategies.firstFit().pack(tasks, offers).placements())
        .isEqualTo(PackingStrategy.firstFit().pack(tasks, offers).placements());
  }

  // ---- binPack

  @Test
  void binPackPutsATaskOnTheFullestAgentThatFitsIt() {
    Packing packing = PackingStrategies.binPack().pack(
        List.of(command("t1", "cpus:1;mem:128")),
        List.of(
            offer("o1", "a1", "cpus:4;mem:4096"),
            offer("o2", "a2", "cpus:2;mem:1024"),
            offer("o3", "a3", "cpus:1;mem:64")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a2", "cpus:1;mem:128"));
  }

  @Test
  void binPackPlacesLargerTasksFirstSoThatSmallOnesDoNotFragmentAgents() {
    List<PendingTask> tasks = List.of(
        command("t1", "cpus:1;mem:64"), command("t2", "cpus:2;mem:64"),
        command("t3", "cpus:2;mem:64"));
    List<Offer> offers =
        List.of(offer("o1", "a1", "cpus:3;mem:1024"), offer("o2", "a2", "cpus:2;mem:1024"));

    Packing packing = PackingStrategies.binPack().pack(tasks, offers);

    // t2 fills a2 exactly, t3 and then t1 fill a1. Taken in submission order, t1 would go to
    // the fullest agent, a2, and leave no agent with 2 cpus for t3.
    assertThat(packing.placements()).containsExactly(
        placement("t2", "a2", "cpus:2;mem:64"),
        placement("t3", "a1", "cpus:2;mem:64"),
        placement("t1", "a1", "cpus:1;mem:64"));
  }

  @Test
  void binPackAvoidsStrandingTheCoresOfAnAgentWhoseLastPortItWouldTake() {
    Packing packing = PackingStrategies.binPack().pack(
        List.of(command("t1", "cpus:1;mem:1000;ports:1"), command("t2", "cpus:8;mem:8000;ports:1")),
        List.of(
            offer("o1", "a1", "cpus:7;mem:7000;ports:[31000-31000]"),
            offer("o2", "a2", "cpus:16;mem:16000;ports:[31000-31009]")));

    // t2 only fits a2. Then a1 is the fuller agent, but t1 would leave its 6 cores without a
    // port: weighted (9/32 per core and MB, 1/10 per port) a1 would leave 0.211 stranded, four
    // times 0.844, a2 leaves 0.326.
    assertThat(packing.placements()).containsExactly(
        placement("t2", "a2", "cpus:8;mem:8000;ports:[31000-31000]"),
        placement("t1", "a2", "cpus:1;mem:1000;ports:[31001-31001]"));
  }

  @Test
  void binPackFillsOneAgentBeforeTheNext() {
    Packing packing = PackingStrategies.binPack().pack(
        List.of(
            command("t1", "cpus:1;mem:512"), command("t2", "cpus:1;mem:512"),
            command("t3", "cpus:1;mem:512"), command("t4", "cpus:1;mem:512")),
        List.of(
            offer("o1", "a1", "cpus:4;mem:4096"), offer("o2", "a2", "cpus:4;mem:4096"),
            offer("o3", "a3", "cpus:4;mem:4096")));

    assertThat(packing.placements()).extracting(p -> p.agentId())
        .containsExactly("a1", "a1", "a1", "a1");
  }

  // ---- spread

  @Test
  void spreadPutsEachTaskOnTheLeastLoadedAgent() {
    Packing packing = PackingStrategies.spread().pack(
        List.of(
            command("t1", "cpus:1;mem:512"), command("t2", "cpus:1;mem:512"),
            command("t3", "cpus:1;mem:512"), command("t4", "cpus:1;mem:512")),
        List.of(
            offer("o1", "a1", "cpus:4;mem:4096"), offer("o2", "a2", "cpus:4;mem:4096"),
            offer("o3", "a3", "cpus:4;mem:4096")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:1;mem:512"),
        placement("t2", "a2", "cpus:1;mem:512"),
        placement("t3", "a3", "cpus:1;mem:512"),
        placement("t4", "a1", "cpus:1;mem:512"));
  }

  @Test
  void spreadMeansMostFreeWhenAgentsDiffer() {
    Packing packing = PackingStrategies.spread().pack(
        List.of(command("t1", "cpus:1;mem:512"), command("t2", "cpus:1;mem:512")),
        List.of(offer("o1", "a1", "cpus:2;mem:2048"), offer("o2", "a2", "cpus:8;mem:8192")));

    assertThat(packing.placements()).extracting(p -> p.agentId()).containsExactly("a2", "a2");
  }

  @Test
  void spreadSkipsTheLeastLoadedAgentWhenTheTaskDoesNotFitThere() {
    Packing packing = PackingStrategies.spread().pack(
        List.of(command("t1", "cpus:1;mem:2048")),
        List.of(offer("o1", "a1", "cpus:2;mem:2048"), offer("o2", "a2", "cpus:8;mem:1024")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:1;mem:2048"));
  }

  // ---- vector packing

  @Test
  void dotProductFillsAnAgentWithTheTaskBestAlignedWithWhatItHasLeft() {
    Packing packing = PackingStrategies.dotProduct().pack(
        List.of(
            command("t1", "cpus:1;mem:1024"), command("t2", "cpus:2;mem:256"),
            command("t3", "cpus:1;mem:1024")),
        List.of(offer("o1", "a1", "cpus:2;mem:2048")));

    // Normalized (cpus/2, mem/2048), weighted by the mean demand (2/3, 3/8): t2 scores
    // 2/3 * 1 * 1 + 3/8 * 1/8 * 1 = 0.714, t1 and t3 score 2/3 * 1/2 + 3/8 * 1/2 = 0.521.
    assertThat(packing.placements()).containsExactly(placement("t2", "a1", "cpus:2;mem:256"));
    assertThat(packing.unplaced()).containsExactly(
        reason("t1", "needs cpus 1, the largest offer has 0"),
        reason("t3", "needs cpus 1, the largest offer has 0"));
  }

  @Test
  void l2NormFillsAnAgentWithTheTaskThatLeavesTheLeastBehind() {
    Packing packing = PackingStrategies.l2Norm().pack(
        List.of(
            command("t1", "cpus:1;mem:1024"), command("t2", "cpus:2;mem:256"),
            command("t3", "cpus:1;mem:1024")),
        List.of(offer("o1", "a1", "cpus:2;mem:2048")));

    // Left after t2: (0, 7/8), weighted squared distance 3/8 * 49/64 = 0.287; after t1:
    // (1/2, 1/2), 2/3 * 1/4 + 3/8 * 1/4 = 0.260. Then t3 fills the agent exactly.
    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:1;mem:1024"), placement("t3", "a1", "cpus:1;mem:1024"));
    assertThat(packing.unplaced())
        .containsExactly(reason("t2", "needs cpus 2, the largest offer has 0"));
  }

  @Test
  void vectorStrategiesFillTheFullestAgentFirst() {
    for (Packer strategy : List.of(PackingStrategies.dotProduct(), PackingStrategies.l2Norm())) {
      Packing packing = strategy.pack(
          List.of(command("t1", "cpus:1;mem:512"), command("t2", "cpus:1;mem:512")),
          List.of(offer("o1", "a1", "cpus:4;mem:4096"), offer("o2", "a2", "cpus:2;mem:1024")));

      assertThat(packing.placements()).as(strategy.toString()).containsExactly(
          placement("t1", "a2", "cpus:1;mem:512"), placement("t2", "a2", "cpus:1;mem:512"));
    }
  }

  // ---- consolidate

  /**
   * Cpus 5, 4, 3, 3, 3, 2 (and 1 MB each) for agents of 10 cpus (and 100 MB): two agents hold
   * them exactly, {5, 3, 2} and {4, 3, 3}.
   */
  private static List<PendingTask> fiveFourThreeThreeThreeTwo() {
    return List.of(
        command("t5", "cpus:5;mem:1"), command("t4", "cpus:4;mem:1"),
        command("t3a", "cpus:3;mem:1"), command("t3b", "cpus:3;mem:1"),
        command("t3c", "cpus:3;mem:1"), command("t2", "cpus:2;mem:1"));
  }

  private static List<Offer> threeAgentsOfTenCpus() {
    return List.of(offer("o1", "a1", "cpus:10;mem:100"), offer("o2", "a2", "cpus:10;mem:100"),
        offer("o3", "a3", "cpus:10;mem:100"));
  }

  @Test
  void l2NormLeavesTheLastTaskAloneWhereTwoAgentsWouldDo() {
    Packing packing = PackingStrategies.l2Norm().pack(fiveFourThreeThreeThreeTwo(),
        threeAgentsOfTenCpus());

    // a1 takes the task leaving the least: 5, then 4 (1 left); a2 takes 3, 3, 3 (1 left).
    assertThat(packing.placements()).containsExactly(
        placement("t5", "a1", "cpus:5;mem:1"), placement("t4", "a1", "cpus:4;mem:1"),
        placement("t3a", "a2", "cpus:3;mem:1"), placement("t3b", "a2", "cpus:3;mem:1"),
        placement("t3c", "a2", "cpus:3;mem:1"), placement("t2", "a3", "cpus:2;mem:1"));
  }

  @Test
  void consolidateEmptiesAnAgentByMovingItsTasksAndDisplacingOne() {
    Packing packing = PackingStrategies.consolidate().pack(fiveFourThreeThreeThreeTwo(),
        threeAgentsOfTenCpus());

    // After l2Norm: a1 {5, 4}, a2 {3, 3, 3}, a3 {2}. a3 (least used) cannot be emptied: 2 fits
    // on neither, and no task of a1 or a2 it could replace fits elsewhere. a1 (used 9, before a2
    // by offer order) can: 5 moves to a3 (left 3), 4 fits nowhere but replaces a 3 on a2 (then
    // 1 + 3 free), which moves to a3 (left 0). Two agents, both full.
    assertThat(packing.placements()).containsExactly(
        placement("t5", "a3", "cpus:5;mem:1"), placement("t4", "a2", "cpus:4;mem:1"),
        placement("t3a", "a2", "cpus:3;mem:1"), placement("t3b", "a2", "cpus:3;mem:1"),
        placement("t3c", "a3", "cpus:3;mem:1"), placement("t2", "a3", "cpus:2;mem:1"));
    assertThat(packing.unplaced()).isEmpty();
  }

  @Test
  void consolidateMovesNothingWhenATaskStaysPending() {
    List<PendingTask> tasks =
        new ArrayList<>(fiveFourThreeThreeThreeTwo());
    tasks.add(command("t11", "cpus:11;mem:1"));

    Packing packing = PackingStrategies.consolidate().pack(tasks, threeAgentsOfTenCpus());

    assertThat(packing.placements()).isEqualTo(PackingStrategies.l2Norm()
        .pack(fiveFourThreeThreeThreeTwo(), threeAgentsOfTenCpus()).placements());
    // Explained with what the pass left: a3 has 8 cpus after t2.
    assertThat(packing.unplaced())
        .containsExactly(reason("t11", "needs cpus 11, the largest offer has 8"));
  }

  @Test
  void consolidateNeverMovesATaskThatRunsOnAnExecutor() {
    List<PendingTask> tasks = List.of(
        onExecutor("t5", "cpus:5;mem:1"), onExecutor("t4", "cpus:4;mem:1"),
        command("t3a", "cpus:3;mem:1"), command("t3b", "cpus:3;mem:1"),
        command("t3c", "cpus:3;mem:1"), command("t2", "cpus:2;mem:1"));

    Packing packing = PackingStrategies.consolidate().pack(tasks, threeAgentsOfTenCpus());

    // a1 holds tasks that cannot move and a3's task fits nowhere else: nothing changes.
    assertThat(packing.placements()).extracting(p -> p.taskId().value() + "@" + p.agentId())
        .containsExactly("t5@a1", "t4@a1", "t3a@a2", "t3b@a2", "t3c@a2", "t2@a3");
  }

  // ---- what every strategy does

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void poolsTheOffersOfOneAgent(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus:2;mem:512")),
        List.of(
            offer("o1", "a1", "cpus:1;mem:128"),
            offer("o2", "a2", "cpus:1;mem:8192"),
            offer("o3", "a1", "cpus:1;mem:384")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:2;mem:512"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void takesCountedPortsLowestFirstAndSpecificPortsAsAsked(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(
            command("t1", "cpus:1;mem:1;ports:[31001-31001]"),
            command("t2", "cpus:1;mem:1;ports:2"),
            command("t3", "cpus:1;mem:1;ports:1")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024;ports:[31000-31002]")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:1;mem:1;ports:[31001-31001]"),
        placement("t2", "a1", "cpus:1;mem:1;ports:[31000-31000,31002-31002]"));
    assertThat(packing.unplaced())
        .containsExactly(reason("t3", "needs 1 port, the largest offer has 0"));
  }

  static Stream<Supplier<Packer>> everyStrategyButFirstFit() {
    return everyStrategy().skip(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategyButFirstFit")
  void placesTasksThatWantSpecificPortsBeforeTasksThatWantANumber(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(
            command("t1", "cpus:1;mem:1;ports:2"),
            command("t2", "cpus:1;mem:1;ports:[31001-31001]")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024;ports:[31000-31002]")));

    assertThat(packing.placements()).containsExactly(
        placement("t2", "a1", "cpus:1;mem:1;ports:[31001-31001]"),
        placement("t1", "a1", "cpus:1;mem:1;ports:[31000-31000,31002-31002]"));
  }

  @Test
  void firstFitKeepsSubmissionOrderEvenForSpecificPorts() {
    Packing packing = PackingStrategies.firstFit().pack(
        List.of(
            command("t1", "cpus:1;mem:1;ports:2"),
            command("t2", "cpus:1;mem:1;ports:[31001-31001]")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024;ports:[31000-31002]")));

    assertThat(packing.placements())
        .containsExactly(placement("t1", "a1", "cpus:1;mem:1;ports:[31000-31001]"));
    assertThat(packing.unplaced())
        .containsExactly(reason("t2", "needs ports [31001-31001], no offer has them all free"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void countsPortsAsAResource(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus:1;mem:64;ports:2")),
        List.of(
            offer("o1", "a1", "cpus:8;mem:8192;ports:[31000-31000]"),
            offer("o2", "a2", "cpus:1;mem:64;ports:[32000-32009]")));

    assertThat(packing.placements())
        .containsExactly(placement("t1", "a2", "cpus:1;mem:64;ports:[32000-32001]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void countsDiskAndGpus(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(
            command("t1", "cpus:1;mem:64;gpus:1"), command("t2", "cpus:1;mem:64;disk:500")),
        List.of(
            offer("o1", "a1", "cpus:8;mem:8192;disk:100"),
            offer("o2", "a2", "cpus:1;mem:64;gpus:2"),
            offer("o3", "a3", "cpus:1;mem:64;disk:1000")));

    assertThat(packing.placements()).containsExactlyInAnyOrder(
        placement("t1", "a2", "cpus:1;mem:64;gpus:1"),
        placement("t2", "a3", "cpus:1;mem:64;disk:500"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void usesOnlyTheRolesResourcesForATaskThatNamesARole(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus(prod):1;mem(prod):256")),
        List.of(
            offer("o1", "a1", "cpus:8;mem:8192;cpus(prod):0.5;mem(prod):4096"),
            offer("o2", "a2", "cpus(prod):1;mem(prod):256;cpus:1")));

    assertThat(packing.placements())
        .containsExactly(placement("t1", "a2", "cpus(prod):1;mem(prod):256"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void takesReservedResourcesFirstForATaskWithoutRole(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus:1;mem:128")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024"), offer("o2", "a1", "cpus(prod):0.5")));

    assertThat(packing.placements())
        .containsExactly(placement("t1", "a1", "cpus(prod):0.5;cpus:0.5;mem:128"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void chargesAnExecutorOnlyOnItsFirstTaskPerAgent(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(
            onExecutor("t1", "cpus:0.5;mem:128"),
            onExecutor("t2", "cpus:0.5;mem:128"),
            onExecutor("t3", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:1.1;mem:288")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:0.5;mem:128", "cpus:0.1;mem:32"),
        placement("t2", "a1", "cpus:0.5;mem:128"));
    assertThat(packing.unplaced())
        .containsExactly(reason("t3", "needs cpus 0.5, the largest offer has 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void movesOnWhenTheTaskFitsButItsExecutorDoesNot(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(onExecutor("t1", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:0.5;mem:1024"), offer("o2", "a2", "cpus:1;mem:1024")));

    assertThat(packing.placements())
        .containsExactly(placement("t1", "a2", "cpus:0.5;mem:128", "cpus:0.1;mem:32"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void doesNotChargeAnExecutorTheAgentAlreadyRuns(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(onExecutor("t1", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:0.5"), offerRunning("o2", "a1", "mem:128", "exec")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:0.5;mem:128"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void chargesTheExecutorsRoleAndPortsAfterWhatTheTaskTook(Supplier<Packer> strategy) {
    var exec = TestInputs.EXEC.resources(ResourceSpec.parse("cpus(ops):0.1;mem(ops):32;ports:1"));
    Packing packing = strategy.get().pack(
        List.of(onExecutor("t1", "cpus:1;mem:64;ports:1", exec)),
        List.of(
            // No ops resources: the executor cannot start here.
            offer("o1", "a1", "cpus:4;mem:1024;ports:[9000-9001]"),
            // Enough in total, but the task takes reserved resources first and would leave the
            // executor too few ops cpus: the executor is charged first then.
            offer("o2", "a2", "cpus(ops):1;mem(ops):96;cpus:0.1;ports(ops):[9001-9002]")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a2",
        "cpus(ops):0.9;cpus:0.1;mem(ops):64;ports(ops):[9002-9002]",
        "cpus(ops):0.1;mem(ops):32;ports(ops):[9001-9001]"));
  }

  // ---- reasons

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void explainsAResourceNoOfferHasEnoughOf(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus:1;mem:512")),
        List.of(offer("o1", "a1", "cpus:4;mem:128"), offer("o2", "a2", "cpus:4;mem:256")));

    assertThat(packing.placements()).isEmpty();
    assertThat(packing.unplaced())
        .containsExactly(reason("t1", "needs mem 512 MB, the largest offer has 256 MB"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void explainsThatThereAreNoOffers(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus:1;mem:1"), onExecutor("t2", "cpus:1;mem:1")), List.of());

    assertThat(packing.unplaced())
        .containsExactly(reason("t1", "no offers"), reason("t2", "no offers"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void explainsWithWhatThePassLeft(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus:1;mem:256"), command("t2", "cpus:1;mem:256")),
        List.of(offer("o1", "a1", "cpus:1;mem:512")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:1;mem:256"));
    assertThat(packing.unplaced())
        .containsExactly(reason("t2", "needs cpus 1, the largest offer has 0"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void explainsMissingPorts(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(
            command("t1", "cpus:1;mem:1;ports:2"),
            command("t2", "cpus:1;mem:1;ports:[80-80]")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024;ports:[31000-31000]")));

    assertThat(packing.unplaced()).containsExactly(
        reason("t1", "needs 2 ports, the largest offer has 1"),
        reason("t2", "needs ports [80-80], no offer has them all free"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void explainsWithTheExecutorsNeedsWhenItRunsNowhere(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(onExecutor("t1", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:0.5;mem:1024")));

    assertThat(packing.unplaced())
        .containsExactly(reason("t1", "needs cpus 0.6, the largest offer has 0.5"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void explainsWithTheRoleOfARoleRestrictedTask(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus(prod):1;mem(prod):512")),
        List.of(offer("o1", "a1", "cpus(prod):1;mem:4096")));

    assertThat(packing.unplaced())
        .containsExactly(reason("t1", "needs mem(prod) 512 MB, the largest offer has 0 MB"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void explainsATaskThatFitsNoSingleAgentCountingEveryAgent(Supplier<Packer> strategy) {
    Packing packing = strategy.get().pack(
        List.of(command("t1", "cpus:2;mem:512")),
        List.of(
            offer("o1", "a1", "cpus:4;mem:128"), offer("o2", "a2", "cpus:1;mem:1024"),
            offer("o3", "a3", "cpus:1;mem:128")));

    assertThat(packing.unplaced()).containsExactly(reason("t1",
        "needs cpus:2;mem:512 on one agent, none of the 3 agents offered has it all"));
  }

  @Test
  void namesItself() {
    assertThat(PackingStrategies.firstFit()).hasToString("firstFit");
    assertThat(PackingStrategies.binPack()).hasToString("binPack");
    assertThat(PackingStrategies.spread()).hasToString("spread");
    assertThat(PackingStrategies.dotProduct()).hasToString("dotProduct");
    assertThat(PackingStrategies.l2Norm()).hasToString("l2Norm");
    assertThat(PackingStrategies.consolidate()).hasToString("consolidate");
    assertThat(PackingStrategies.overflowSearch()).hasToString("overflowSearch");
  }
}
