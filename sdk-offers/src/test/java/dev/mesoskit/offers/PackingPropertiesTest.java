package dev.mesoskit.offers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.testing.RandomPacking;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random passes for every strategy: the framework's own checks never fail, decisions repeat,
 * every task is placed or explained, and a task left pending fits no agent.
 */
class PackingPropertiesTest {

  static List<Supplier<Packer>> everyStrategy() {
    return PackingStrategiesTest.everyStrategy().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void neverOverCommitsAnOfferAndChargesEachExecutorOncePerAgent(Supplier<Packer> strategy) {
    Random random = new Random(42);
    int placed = 0;
    int unplaced = 0;
    int executorsStarted = 0;
    for (int pass = 0; pass < 400; pass++) {
      Map<String, ExecutorSpec> executors = RandomPacking.executors(random);
      List<Offer> offers = RandomPacking.offers(random, executors.keySet());
      List<PendingTask> tasks = RandomPacking.tasks(random, executors);
      boolean constrained = random.nextInt(3) == 0;
      Supplier<Packer> packer = constrained
          ? () -> strategy.get().constrain(TaskGroups.byLabel("g"), Constraints.uniqueHost())
          : strategy;
      int n = pass;
      Supplier<String> as = () -> "pass " + n + ": offers " + offers + ", tasks " + tasks;

      Packing packing = packer.get().pack(tasks, offers);

      assertThat(packer.get().pack(tasks, offers)).as(as).isEqualTo(packing);
      executorsStarted += replayAsTheFrameworkDoes(tasks, offers, packing, as);
      if (constrained) {
        checkUniqueHostsPerGroup(tasks, offers, packing, as);
      } else {
        checkNothingLeftFits(tasks, offers, packing, as);
      }
      placed += packing.placements().size();
      unplaced += packing.unplaced().size();
    }
    // Every outcome must be common for the test to mean anything.
    assertThat(placed).isGreaterThan(500);
    assertThat(unplaced).isGreaterThan(300);
    assertThat(executorsStarted).isGreaterThan(100);
  }

  /**
   * Replays the placements in order as {@code FrameworkRuntime#onOffers} validates them: each
   * task's and executor's resources, one after the other, must be left in the agent's pool.
   */
  private static int replayAsTheFrameworkDoes(List<PendingTask> tasks, List<Offer> offers,
      Packing packing, Supplier<String> as) {
    Map<String, Resources> free = new LinkedHashMap<>();
    Map<String, Set<String>> running = new HashMap<>();
    for (Offer o : offers) {
      free.merge(o.agentId(), o.resources(), Resources::plus);
      running.computeIfAbsent(o.agentId(), a -> new HashSet<>()).addAll(o.executorIds());
    }
    Map<TaskId, PendingTask> byId = new HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    Set<TaskId> seen = new HashSet<>();
    int started = 0;
    for (Placement p : packing.placements()) {
      assertThat(seen.add(p.taskId())).as(as).isTrue();
      assertThat(packing.unplaced()).as(as).doesNotContainKey(p.taskId());
      TaskSpec spec = byId.get(p.taskId()).spec();
      RandomPacking.assertMatches(p.resources(), spec.resources(), as);
      Optional<ExecutorSpec> exec = spec.executor();
      if (exec.isPresent() && running.get(p.agentId()).add(exec.get().id())) {
        RandomPacking.assertMatches(p.executorResources(), exec.get().resources(), as);
        started++;
      } else {
        assertThat(p.executorResources()).as(as).isEqualTo(Resources.empty());
      }
      Resources left = free.get(p.agentId());
      for (Resources taken : List.of(p.resources(), p.executorResources())) {
        assertThat(left.contains(taken)).as(as.get() + ": " + p + " over-commits " + left)
            .isTrue();
        left = left.minus(taken);
      }
      free.put(p.agentId(), left);
    }
    assertThat(seen.size() + packing.unplaced().size()).as(as).isEqualTo(tasks.size());
    assertThat(packing.unplaced().values()).as(as).allMatch(reason -> !reason.isBlank());
    return started;
  }

  /** Without constraints, a task left pending fits on no agent as the pass left it. */
  private static void checkNothingLeftFits(List<PendingTask> tasks, List<Offer> offers,
      Packing packing, Supplier<String> as) {
    Map<String, Resources> free = new LinkedHashMap<>();
    Map<String, Set<String>> running = new HashMap<>();
    for (Offer o : offers) {
      free.merge(o.agentId(), o.resources(), Resources::plus);
      running.computeIfAbsent(o.agentId(), a -> new HashSet<>()).addAll(o.executorIds());
    }
    Map<TaskId, PendingTask> byId = new HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    for (Placement p : packing.placements()) {
      free.put(p.agentId(), free.get(p.agentId()).minus(p.resources())
          .minus(p.executorResources()));
      byId.get(p.taskId()).spec().executor()
          .ifPresent(e -> running.get(p.agentId()).add(e.id()));
    }
    for (TaskId id : packing.unplaced().keySet()) {
      PendingTask task = byId.get(id);
      for (String agent : free.keySet()) {
        assertThat(RandomPacking.fits(free.get(agent), task, running.get(agent)))
            .as(as.get() + ", " + id + " was left pending but fits on " + agent).isFalse();
      }
    }
  }

  private static void checkUniqueHostsPerGroup(List<PendingTask> tasks, List<Offer> offers,
      Packing packing, Supplier<String> as) {
    Map<String, String> hostOf = new HashMap<>();
    offers.forEach(o -> hostOf.put(o.agentId(), o.hostname()));
    Map<TaskId, String> groupOf = new HashMap<>();
    tasks.forEach(t -> groupOf.put(t.id(), t.spec().labels().get("g")));
    Set<String> used = new HashSet<>();
    for (Placement p : packing.placements()) {
      String group = groupOf.get(p.taskId());
      if (group != null) {
        assertThat(used.add(group + "@" + hostOf.get(p.agentId()))).as(as).isTrue();
      }
    }
  }
}
