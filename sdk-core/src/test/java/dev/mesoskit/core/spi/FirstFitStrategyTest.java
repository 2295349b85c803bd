package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.testing.RandomPacking;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FirstFitStrategyTest {
  private static final ExecutorSpec EXEC = ExecutorSpec.of("exec", CommandSpec.shell("./run"));

  private final FirstFitStrategy strategy = new FirstFitStrategy();

  // ---- placements ----

  @Test
  void placesTasksInOrderOnTheFirstAgentThatFits() {
    Packing packing = strategy.pack(
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
  void poolsTheOffersOfOneAgent() {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:2;mem:512")),
        List.of(
            offer("o1", "a1", "cpus:1;mem:128"),
            offer("o2", "a2", "cpus:8;mem:8192"),
            offer("o3", "a1", "cpus:1;mem:384")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:2;mem:512"));
  }

  @Test
  void takesReservedResourcesFirst() {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:1;mem:128")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024"), offer("o2", "a1", "cpus(prod):0.5")));

    assertThat(packing.placements())
        .containsExactly(placement("t1", "a1", "cpus(prod):0.5;cpus:0.5;mem:128"));
  }

  @Test
  void chargesAnExecutorOnlyOnItsFirstTaskPerAgent() {
    Packing packing = strategy.pack(
        List.of(
            onExecutor("t1", "cpus:0.5;mem:128"),
            onExecutor("t2", "cpus:0.5;mem:128"),
            onExecutor("t3", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:1.1;mem:288"), offer("o2", "a2", "cpus:2;mem:1024")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:0.5;mem:128", "cpus:0.1;mem:32"),
        placement("t2", "a1", "cpus:0.5;mem:128"),
        placement("t3", "a2", "cpus:0.5;mem:128", "cpus:0.1;mem:32"));
  }

  @Test
  void leavesOutWhatTheExecutorTookForLaterTasks() {
    Packing packing = strategy.pack(
        List.of(
            onExecutor("t1", "cpus:0.5;mem:128"),
            onExecutor("t2", "cpus:0.4;mem:96"),
            onExecutor("t3", "cpus:0.1;mem:32")),
        List.of(offer("o1", "a1", "cpus:1;mem:256"), offer("o2", "a2", "cpus:2;mem:1024")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:0.5;mem:128", "cpus:0.1;mem:32"),
        placement("t2", "a1", "cpus:0.4;mem:96"),
        placement("t3", "a2", "cpus:0.1;mem:32", "cpus:0.1;mem:32"));
  }

  @Test
  void doesNotChargeAnExecutorTheAgentAlreadyRuns() {
    Packing packing = strategy.pack(
        List.of(onExecutor("t1", "cpus:0.5;mem:128")),
        List.of(
            offer("o1", "a1", "cpus:0.5"),
            new Offer("o2", "a1", "a1.example", Resources.parse("mem:128"), Map.of(),
                Set.of("exec"))));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:0.5;mem:128"));
  }

  @Test
  void movesOnWhenTheTaskFitsButItsExecutorDoesNot() {
    Packing packing = strategy.pack(
        List.of(onExecutor("t1", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:0.5;mem:1024"), offer("o2", "a2", "cpus:1;mem:1024")));

    assertThat(packing.placements())
        .containsExactly(placement("t1", "a2", "cpus:0.5;mem:128", "cpus:0.1;mem:32"));
  }

  @Test
  void assignsPortsLowestFirst() {
    Packing packing = strategy.pack(
        List.of(
            command("t1", "cpus:1;mem:1;ports:2"),
            command("t2", "cpus:1;mem:1;ports:2"),
            command("t3", "cpus:1;mem:1;ports:[31004-31004]"),
            command("t4", "cpus:1;mem:1;ports:1")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024;ports:[31003-31004,31000-31001,31002-31002]")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a1", "cpus:1;mem:1;ports:[31000-31001]"),
        placement("t2", "a1", "cpus:1;mem:1;ports:[31002-31003]"),
        placement("t3", "a1", "cpus:1;mem:1;ports:[31004-31004]"));
    assertThat(packing.unplaced())
        .containsExactly(Map.entry(TaskId.of("t4"), "needs 1 port, the largest offer has 0"));
  }

  // ---- reasons ----

  @Test
  void explainsAResourceNoOfferHasEnoughOf() {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:1;mem:512")),
        List.of(offer("o1", "a1", "cpus:4;mem:128"), offer("o2", "a2", "cpus:4;mem:256")));

    assertThat(packing.placements()).isEmpty();
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("t1"), "needs mem 512 MB, the largest offer has 256 MB"));
  }

  @Test
  void explainsEachUnplacedTaskAgainstWhatIsLeftWhenItsTurnComes() {
    Packing packing = strategy.pack(
        List.of(
            command("t1", "cpus:1;mem:512"),
            command("t2", "cpus:1;mem:512"),
            command("t3", "cpus:1;mem:100"),
            command("t4", "cpus:1;mem:512"),
            command("t5", "cpus:1;mem:512")),
        List.of(offer("o1", "a1", "cpus:4;mem:256")));

    assertThat(packing.placements()).containsExactly(placement("t3", "a1", "cpus:1;mem:100"));
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("t1"), "needs mem 512 MB, the largest offer has 256 MB"),
        Map.entry(TaskId.of("t2"), "needs mem 512 MB, the largest offer has 256 MB"),
        Map.entry(TaskId.of("t4"), "needs mem 512 MB, the largest offer has 156 MB"),
        Map.entry(TaskId.of("t5"), "needs mem 512 MB, the largest offer has 156 MB"));
  }

  @Test
  void triesATaskThatAsksAsAnUnplacedOneButRunsOnAnotherExecutor() {
    ExecutorSpec big = new ExecutorSpec("big", "big executor", CommandSpec.shell("./run"),
        ResourceSpec.of(4, 64));
    Packing packing = strategy.pack(
        List.of(
            onExecutor("t1", "cpus:1;mem:128", big),
            onExecutor("t2", "cpus:1;mem:128", big),
            command("t3", "cpus:1;mem:128")),
        List.of(offer("o1", "a1", "cpus:2;mem:1024")));

    assertThat(packing.placements()).containsExactly(placement("t3", "a1", "cpus:1;mem:128"));
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("t1"), "needs cpus 5, the largest offer has 2"),
        Map.entry(TaskId.of("t2"), "needs cpus 5, the largest offer has 2"));
  }

  @Test
  void explainsMissingPorts() {
    Packing packing = strategy.pack(
        List.of(
            command("t1", "cpus:1;mem:1;ports:2"),
            command("t2", "cpus:1;mem:1;ports:[80-80]")),
        List.of(offer("o1", "a1", "cpus:4;mem:1024;ports:[31000-31000]")));

    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("t1"), "needs 2 ports, the largest offer has 1"),
        Map.entry(TaskId.of("t2"), "needs ports [80-80], no offer has them all free"));
  }

  @Test
  void explainsThatThereAreNoOffers() {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:1;mem:1"), onExecutor("t2", "cpus:1;mem:1")), List.of());

    assertThat(packing.placements()).isEmpty();
    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("t1"), "no offers"), Map.entry(TaskId.of("t2"), "no offers"));
  }

  @Test
  void explainsWithWhatEarlierTasksOfThePassLeft() {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:1;mem:256"), command("t2", "cpus:1;mem:256")),
        List.of(offer("o1", "a1", "cpus:1;mem:512")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:1;mem:256"));
    assertThat(packing.unplaced())
        .containsExactly(Map.entry(TaskId.of("t2"), "needs cpus 1, the largest offer has 0"));
  }

  @Test
  void explainsWithTheExecutorsNeedsWhenItRunsNowhere() {
    Packing packing = strategy.pack(
        List.of(onExecutor("t1", "cpus:0.5;mem:128")),
        List.of(offer("o1", "a1", "cpus:0.5;mem:1024")));

    assertThat(packing.unplaced())
        .containsExactly(Map.entry(TaskId.of("t1"), "needs cpus 0.6, the largest offer has 0.5"));
  }

  @Test
  void explainsWithTheTasksOwnNeedsWhenItsExecutorRunsAlready() {
    Packing packing = strategy.pack(
        List.of(onExecutor("t1", "cpus:0.5;mem:128")),
        List.of(new Offer("o1", "a1", "a1.example", Resources.parse("cpus:0.4;mem:1024"),
            Map.of(), Set.of("exec"))));

    assertThat(packing.unplaced())
        .containsExactly(Map.entry(TaskId.of("t1"), "needs cpus 0.5, the largest offer has 0.4"));
  }

  @Test
  void explainsWithTheRoleOfARoleRestrictedTask() {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus(prod):1;mem(prod):512")),
        List.of(offer("o1", "a1", "cpus(prod):1;mem:4096")));

    assertThat(packing.unplaced()).containsExactly(
        Map.entry(TaskId.of("t1"), "needs mem(prod) 512 MB, the largest offer has 0 MB"));
  }

  @Test
  void explainsATaskThatFitsNoSingleAgent() {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:2;mem:512")),
        List.of(offer("o1", "a1", "cpus:4;mem:128"), offer("o2", "a2", "cpus:1;mem:1024")));

    assertThat(packing.unplaced()).containsExactly(Map.entry(TaskId.of("t1"),
        "needs cpus:2;mem:512 on one agent, none of the 2 agents offered has it all"));
  }

  @Test
  void explainsCountedTaskPortsWithSpecificExecutorPorts() {
    ExecutorSpec exec = EXEC.resources(ResourceSpec.parse("cpus:0.1;mem:32;ports:[9000-9000]"));
    Packing packing = strategy.pack(
        List.of(onExecutor("t1", "cpus:1;mem:64;ports:1", exec)),
        List.of(offer("o1", "a1", "cpus:4;mem:1024")));

    assertThat(packing.unplaced())
        .containsExactly(Map.entry(TaskId.of("t1"), "needs 2 ports, the largest offer has 0"));
  }

  @Test
  void explainsSpecificTaskPortsWithCountedExecutorPorts() {
    ExecutorSpec exec = EXEC.resources(ResourceSpec.parse("cpus:0.1;mem:32;ports:1"));
    Packing packing = strategy.pack(
        List.of(onExecutor("t1", "cpus:1;mem:64;ports:[8080-8080]", exec)),
        List.of(offer("o1", "a1", "cpus:4;mem:1024;ports:[8080-8080]")));

    assertThat(packing.unplaced())
        .containsExactly(Map.entry(TaskId.of("t1"), "needs 2 ports, the largest offer has 1"));
  }

  @Test
  void hasAName() {
    assertThat(strategy).hasToString("firstFit");
  }

  // ---- properties ----

  /**
   * Random passes: every task is placed or explained once, placements follow first fit, take
   * exactly what the task (and, once per agent, its executor) needs, and never over-commit an
   * agent's pooled offers.
   */
  @Test
  void neverOverCommitsAnAgentForRandomPasses() {
    Random random = new Random(42);
    int placed = 0;
    int unplaced = 0;
    for (int pass = 0; pass < 400; pass++) {
      Map<String, ExecutorSpec> executors = RandomPacking.executors(random);
      List<Offer> offers = RandomPacking.offers(random, executors.keySet());
      List<PendingTask> tasks = RandomPacking.tasks(random, executors);
      int n = pass;
      Supplier<String> as = () -> "pass " + n + ": offers " + offers + ", tasks " + tasks;

      Packing packing = strategy.pack(tasks, offers);

      assertThat(strategy.pack(tasks, offers)).as(as).isEqualTo(packing);
      checkFirstFit(tasks, offers, packing, as);
      placed += packing.placements().size();
      unplaced += packing.unplaced().size();
    }
    // Both outcomes must be common for the test to mean anything.
    assertThat(placed).isGreaterThan(500);
    assertThat(unplaced).isGreaterThan(300);
  }

  /** Replays the pass against each agent's pooled offers, checking every decision. */
  private static void checkFirstFit(List<PendingTask> tasks, List<Offer> offers, Packing packing,
      Supplier<String> as) {
    Map<String, Resources> free = new LinkedHashMap<>();
    Map<String, Set<String>> running = new HashMap<>();
    for (Offer o : offers) {
      free.merge(o.agentId(), o.resources(), Resources::plus);
      running.computeIfAbsent(o.agentId(), a -> new HashSet<>()).addAll(o.executorIds());
    }
    Map<TaskId, Placement> byTask = new HashMap<>();
    for (Placement p : packing.placements()) {
      assertThat(byTask.put(p.taskId(), p)).as(as).isNull();
      assertThat(packing.unplaced()).as(as).doesNotContainKey(p.taskId());
    }
    assertThat(byTask.size() + packing.unplaced().size()).as(as).isEqualTo(tasks.size());

    List<TaskId> placedOrder = new ArrayList<>();
    for (PendingTask task : tasks) {
      Placement p = byTask.get(task.id());
      Optional<ExecutorSpec> exec = task.spec().executor();
      // Every agent before the chosen one (all agents when unplaced) must not fit.
      for (String agent : free.keySet()) {
        if (p != null && agent.equals(p.agentId())) {
          break;
        }
        assertThat(RandomPacking.fits(free.get(agent), task, running.get(agent))).as(as.get() + ", "
            + task.id() + " fits on " + agent + " which comes first").isFalse();
      }
      if (p == null) {
        assertThat(packing.unplaced().get(task.id())).as(as).isNotBlank();
        continue;
      }
      placedOrder.add(task.id());
      RandomPacking.assertMatches(p.resources(), task.spec().resources(), as);
      boolean startsExecutor =
          exec.isPresent() && !running.get(p.agentId()).contains(exec.get().id());
      if (startsExecutor) {
        RandomPacking.assertMatches(p.executorResources(), exec.get().resources(), as);
        running.get(p.agentId()).add(exec.get().id());
      } else {
        assertThat(p.executorResources()).as(as).isEqualTo(Resources.empty());
      }
      // Subtract one after the other so that a port handed out twice is caught.
      Resources left = free.get(p.agentId());
      assertThat(left.contains(p.resources())).as(as).isTrue();
      left = left.minus(p.resources());
      assertThat(left.contains(p.executorResources())).as(as).isTrue();
      free.put(p.agentId(), left.minus(p.executorResources()));
    }
    assertThat(packing.placements()).extracting(Placement::taskId).as(as)
        .containsExactlyElementsOf(placedOrder);
  }

  private static Offer offer(String id, String agent, String resources) {
    return Offer.of(id, agent, agent + ".example", Resources.parse(resources));
  }

  private static PendingTask command(String id, String resources) {
    return new PendingTask(TaskId.of(id),
        TaskSpec.builder().name(id).resources(resources).command("true").build());
  }

  private static PendingTask onExecutor(String id, String resources) {
    return onExecutor(id, resources, EXEC);
  }

  private static PendingTask onExecutor(String id, String resources, ExecutorSpec executor) {
    return new PendingTask(TaskId.of(id),
        TaskSpec.builder().name(id).resources(resources).executor(executor).build());
  }

  private static Placement placement(String task, String agent, String resources) {
    return new Placement(TaskId.of(task), agent, Resources.parse(resources), Resources.empty());
  }

  private static Placement placement(String task, String agent, String resources,
      String executorResources) {
    return new Placement(TaskId.of(task), agent, Resources.parse(resources),
        Resources.parse(executorResources));
  }
}
