package dev.mesoskit.offers;

import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.testing.RandomPacking;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a packer keeps from one pass to the next changes no decision: over several passes, offered
 * as a Mesos master would (an agent that got tasks comes back with one new offer of what is left,
 * the others keep theirs, now and then in another order), one packer for all passes decides
 * exactly what a new packer decides for each pass, placements and reasons.
 */
class PackerAcrossPassesTest {

  static List<Supplier<Packer>> everyStrategy() {
    return PackingStrategiesTest.everyStrategy().toList();
  }

  @Test
  void anOfferIdListedTwiceInAPassIsRejectedAndTheNextPassDecidesAsAFreshPacker() {
    Packer packer = PackingStrategies.binPack();
    Offer o1 = offer("o1", "a1", "cpus:4;mem:4096");
    Offer o2 = offer("o2", "a2", "cpus:2;mem:2048");
    Offer sameId = offer("o1", "a1", "cpus:1;mem:1024");
    List<PendingTask> tasks = List.of(command("t1", "cpus:5;mem:128"));

    assertThatThrownBy(() -> packer.pack(tasks, List.of(o1, sameId)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offer o1 is listed twice");
    packer.pack(tasks, List.of(o1, o2));
    assertThatThrownBy(() -> packer.pack(tasks, List.of(o1, o2, o1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offer o1 is listed twice");
    // The same offer twice right after a pass that read it.
    packer.pack(tasks, List.of(o1, o2));
    assertThatThrownBy(() -> packer.pack(tasks, List.of(o1, o1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offer o1 is listed twice");

    // Another offer of id o1 first, then o1 where the last pass had it.
    packer.pack(tasks, List.of(o2, o1));
    assertThatThrownBy(() -> packer.pack(tasks, List.of(sameId, o1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offer o1 is listed twice");

    // a1 gets a second offer: its two offers make one pool of 6 cpus.
    Offer o5 = offer("o5", "a1", "cpus:2;mem:2048");
    Packing packing = packer.pack(tasks, List.of(o1, o5));
    assertThat(packing).isEqualTo(PackingStrategies.binPack().pack(tasks, List.of(o1, o5)));
    assertThat(packing.placements()).extracting(Placement::agentId).containsExactly("a1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void decidesAsAFreshPackerInEveryPass(Supplier<Packer> strategy) {
    int passes = 0;
    int placed = 0;
    for (int seed = 0; seed < 150; seed++) {
      Random random = new Random(seed);
      boolean named = seed % 2 == 1;
      Map<String, ExecutorSpec> executors = RandomPacking.executors(random, named);
      // Copies of the agents under other ids, so that many agents are alike.
      List<Offer> base = RandomPacking.offers(random, executors.keySet(), named);
      int copies = 1 + random.nextInt(12);
      List<Offer> offers = new ArrayList<>();
      for (int c = 0; c < copies; c++) {
        for (Offer o : base) {
          offers.add(new Offer(o.id() + "#" + c, o.agentId() + "#" + c, o.hostname() + "#" + c,
              o.resources(), o.attributes(), o.executorIds(), o.domain()));
        }
      }
      Packer longLived = strategy.get();
      int rounds = 1 + random.nextInt(6);
      for (int pass = 0; pass < rounds; pass++) {
        List<PendingTask> tasks = new ArrayList<>();
        int lists = 1 + random.nextInt(3);
        for (int k = 0; k < lists; k++) {
          for (PendingTask t : RandomPacking.tasks(random, executors, named)) {
            tasks.add(new PendingTask(TaskId.of(pass + "." + k + "." + t.id().value()), t.spec()));
          }
        }
        String as = "seed " + seed + ", pass " + pass;

        Packing kept = longLived.pack(tasks, offers);

        assertThat(kept).as(as).isEqualTo(strategy.get().pack(tasks, offers));
        passes++;
        placed += kept.placements().size();
        offers = reoffered(offers, tasks, kept, "p" + pass + "-");
        if (random.nextInt(4) == 0 && !offers.isEmpty()) {
          Collections.rotate(offers, 1 + random.nextInt(offers.size()));
        }
      }
    }
    // The instances exercise the packer: passes that place tasks, over several rounds.
    assertThat(passes).isGreaterThan(400);
    assertThat(placed).isGreaterThan(1_000);
  }

  /**
   * The offers of the next pass: an agent that got tasks comes back with one new offer (new id)
   * of what its offers had left, in the place of its first offer; the other offers stay.
   */
  private static List<Offer> reoffered(List<Offer> offers, List<PendingTask> tasks,
      Packing packing, String prefix) {
    Map<String, Resources> used = new LinkedHashMap<>();
    Map<String, Set<String>> started = new LinkedHashMap<>();
    Map<TaskId, PendingTask> byId = new LinkedHashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    for (Placement p : packing.placements()) {
      used.merge(p.agentId(), p.resources().plus(p.executorResources()), Resources::plus);
      byId.get(p.taskId()).spec().executor().ifPresent(e ->
          started.computeIfAbsent(p.agentId(), a -> new HashSet<>()).add(e.id()));
    }
    List<Offer> next = new ArrayList<>();
    Set<String> done = new HashSet<>();
    for (Offer o : offers) {
      if (!used.containsKey(o.agentId())) {
        next.add(o);
        continue;
      }
      if (!done.add(o.agentId())) {
        continue;
      }
      Resources all = Resources.empty();
      Set<String> executors = new HashSet<>(started.getOrDefault(o.agentId(), Set.of()));
      for (Offer x : offers) {
        if (x.agentId().equals(o.agentId())) {
          all = all.plus(x.resources());
          executors.addAll(x.executorIds());
        }
      }
      Resources left = all.minus(used.get(o.agentId()));
      if (!left.isEmpty()) {
        next.add(new Offer(prefix + o.id(), o.agentId(), o.hostname(), left, o.attributes(),
            executors, o.domain()));
      }
    }
    return next;
  }
}
