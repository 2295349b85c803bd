package dev.mesoskit.offers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.testing.RandomPacking;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random passes with named resources ({@code licenses}, a scalar; {@code zones}, a set) in
 * offers, tasks and executors, for every strategy and the SPI's first fit: each placement takes
 * exactly what its spec asks and nothing it does not, no agent is over-committed, and a task left
 * pending fits on no agent as the pass left it.
 */
class NamedResourcePropertiesTest {

  static Stream<Arguments> strategies() {
    return NamedResourcePackingTest.strategies();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void takesExactlyWhatIsAskedAndLeavesPendingOnlyWhatFitsNowhere(String name,
      PackingStrategy strategy) {
    Random random = new Random(7);
    int placedWithNamed = 0;
    int unplacedWithNamed = 0;
    for (int pass = 0; pass < 300; pass++) {
      Map<String, ExecutorSpec> executors = RandomPacking.executors(random, true);
      List<Offer> offers = RandomPacking.offers(random, executors.keySet(), true);
      List<PendingTask> tasks = RandomPacking.tasks(random, executors, true);
      int n = pass;
      Supplier<String> as = () -> name + " pass " + n + ": offers " + offers + ", tasks " + tasks;

      Packing packing = strategy.pack(tasks, offers);

      Map<TaskId, PendingTask> byId = new HashMap<>();
      tasks.forEach(t -> byId.put(t.id(), t));
      Map<String, Resources> free = new LinkedHashMap<>();
      Map<String, Set<String>> running = new HashMap<>();
      for (Offer o : offers) {
        free.merge(o.agentId(), o.resources(), Resources::plus);
        running.computeIfAbsent(o.agentId(), a -> new HashSet<>()).addAll(o.executorIds());
      }
      for (Placement p : packing.placements()) {
        TaskSpec spec = byId.get(p.taskId()).spec();
        RandomPacking.assertMatches(p.resources(), spec.resources(), as);
        if (spec.executor().isPresent()
            && running.get(p.agentId()).add(spec.executor().get().id())) {
          RandomPacking.assertMatches(p.executorResources(), spec.executor().get().resources(),
              as);
        }
        Resources left = free.get(p.agentId());
        for (Resources taken : List.of(p.resources(), p.executorResources())) {
          assertThat(left.contains(taken)).as(() -> as.get() + ": " + p + " over-commits")
              .isTrue();
          left = left.minus(taken);
        }
        free.put(p.agentId(), left);
        if (!spec.resources().named().isEmpty()) {
          placedWithNamed++;
        }
      }
      assertThat(packing.placements()).extracting(Placement::taskId).as(as)
          .doesNotHaveDuplicates().noneMatch(packing.unplaced()::containsKey);
      assertThat(packing.placements().size() + packing.unplaced().size()).as(as)
          .isEqualTo(tasks.size());
      for (TaskId id : packing.unplaced().keySet()) {
        PendingTask task = byId.get(id);
        assertThat(packing.unplaced().get(id)).as(as).isNotBlank();
        for (String agent : free.keySet()) {
          assertThat(RandomPacking.fits(free.get(agent), task, running.get(agent)))
              .as(() -> as.get() + ", " + id + " was left pending but fits on " + agent)
              .isFalse();
        }
        if (!task.spec().resources().named().isEmpty()) {
          unplacedWithNamed++;
        }
      }
    }
    // Both outcomes must be common for the test to mean anything.
    assertThat(placedWithNamed).isGreaterThan(150);
    assertThat(unplacedWithNamed).isGreaterThan(150);
  }
}
