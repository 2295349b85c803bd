package dev.mesoskit.offers;

import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static dev.mesoskit.offers.TestInputs.offerRunning;
import static dev.mesoskit.offers.TestInputs.onExecutor;
import static dev.mesoskit.offers.TestInputs.placement;
import static dev.mesoskit.offers.TestInputs.reason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every strategy, the SPI's own first fit included, fits resources of any name as it fits cpus:
 * a task goes only where every named resource it asks for is free, takes exactly that, and
 * stays pending with a reason in the words of cpus when no agent has it.
 */
class NamedResourcePackingTest {

  static Stream<Arguments> strategies() {
    return Stream.of(
        Arguments.of("spi firstFit", PackingStrategy.firstFit()),
        Arguments.of("firstFit", PackingStrategies.firstFit()),
        Arguments.of("binPack", PackingStrategies.binPack()),
        Arguments.of("spread", PackingStrategies.spread()),
        Arguments.of("dotProduct", PackingStrategies.dotProduct()),
        Arguments.of("l2Norm", PackingStrategies.l2Norm()),
        Arguments.of("consolidate", PackingStrategies.consolidate()),
        Arguments.of("overflowSearch", PackingStrategies.overflowSearch()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void placesAsManyLicensedTasksAsTheAgentsHaveLicensesAndExplainsTheRest(String name,
      PackingStrategy strategy) {
    List<PendingTask> tasks = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      tasks.add(command("t" + i, "cpus:0.1;mem:32;licenses:1"));
    }
    Packing packing = strategy.pack(tasks, List.of(
        offer("o1", "a1", "cpus:8;mem:8192;licenses:2;network_bandwidth:1000"),
        offer("o2", "a2", "cpus:8;mem:8192;licenses:2;zones:{a,b}")));

    assertThat(packing.placements()).hasSize(4);
    assertThat(packing.placements()).extracting(Placement::resources)
        .allMatch(r -> r.toString().equals("cpus:0.1;mem:32;licenses:1"));
    assertThat(packing.placements().stream().filter(p -> p.agentId().equals("a1"))).hasSize(2);
    assertThat(packing.unplaced()).hasSize(2)
        .containsValue("needs licenses 1, the largest offer has 0");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void placesATaskOnlyWhereEveryNamedResourceItAsksForIsFree(String name,
      PackingStrategy strategy) {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:1;mem:64;network_bandwidth:300;zones:{b}")),
        List.of(offer("o1", "a1", "cpus:8;mem:8192;network_bandwidth:1000;zones:{a}"),
            offer("o2", "a2", "cpus:8;mem:8192;network_bandwidth:200;zones:{a,b}"),
            offer("o3", "a3", "cpus:8;mem:8192;network_bandwidth:500;zones:{b,c};gpus:1")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a3", "cpus:1;mem:64;network_bandwidth:300;zones:{b}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void neverTakesANamedResourceATaskDoesNotAskFor(String name, PackingStrategy strategy) {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:1;mem:64")),
        List.of(offer("o1", "a1",
            "cpus:1;mem:64;licenses:4;ephemeral:[1-10];zones:{a,b};ports:[80-81]")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1", "cpus:1;mem:64"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void takesCountsOfRangesAndSetsAndSpecificOnes(String name, PackingStrategy strategy) {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus:1;ephemeral:[any 2];zones:{any 1}"),
            command("t2", "cpus:1;ephemeral:[7-8];zones:{c}")),
        List.of(offer("o1", "a1", "cpus:2;ephemeral:[5-9];zones:{c,b}")));

    assertThat(packing.placements()).containsExactlyInAnyOrder(
        placement("t1", "a1", "cpus:1;ephemeral:[5-6];zones:{b}"),
        placement("t2", "a1", "cpus:1;ephemeral:[7-8];zones:{c}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void explainsEveryTypeOfNamedResourceItCannotPlace(String name, PackingStrategy strategy) {
    Packing packing = strategy.pack(
        List.of(command("s", "cpus:1;licenses:2.5"),
            command("r", "cpus:1;ephemeral:[any 3]"),
            command("rs", "cpus:1;ephemeral:[1-2]"),
            command("z", "cpus:1;zones:{any 3}"),
            command("zs", "cpus:1;zones:{a,d}"),
            command("x", "cpus:1;licenses:{a}")),
        List.of(offer("o1", "a1", "cpus:8;licenses:2;ephemeral:[2-3];zones:{a,b}"),
            offer("o2", "a2", "cpus:8;licenses:1;zones:{c,d}")));

    assertThat(packing.placements()).isEmpty();
    assertThat(packing.unplaced()).containsExactly(
        reason("s", "needs licenses 2.5, the largest offer has 2"),
        reason("r", "needs 3 of ephemeral, the largest offer has 2"),
        reason("rs", "needs ephemeral [1-2], no offer has them all free"),
        reason("z", "needs 3 of zones, the largest offer has 2"),
        reason("zs", "needs zones {a,d}, no offer has them all free"),
        reason("x", "needs licenses {a}, no offer has them all free"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void namesTheResourceShortOnAnAgentThatHasEachPartButNotAll(String name,
      PackingStrategy strategy) {
    Packing packing = strategy.pack(
        List.of(command("t", "cpus:4;licenses:2")),
        List.of(offer("o1", "a1", "cpus:8;licenses:1"), offer("o2", "a2", "cpus:2;licenses:4")));

    assertThat(packing.unplaced()).containsExactly(
        reason("t", "needs cpus:4;licenses:2 on one agent, none of the 2 agents offered has it"
            + " all"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void countsTheNamedResourcesOfAnExecutorOnItsFirstTaskOnAnAgentOnly(String name,
      PackingStrategy strategy) {
    ExecutorSpec exec = new ExecutorSpec("licensed", "licensed", CommandSpec.shell("./run"),
        ResourceSpec.parse("cpus:0.1;mem:32;licenses:1"));

    Packing first = strategy.pack(List.of(onExecutor("t1", "cpus:1;licenses:1", exec)),
        List.of(offer("o1", "a1", "cpus:8;mem:1024;licenses:1"),
            offer("o2", "a2", "cpus:8;mem:1024;licenses:2")));
    Packing later = strategy.pack(List.of(onExecutor("t2", "cpus:1;licenses:1", exec)),
        List.of(offerRunning("o3", "a1", "cpus:8;mem:1024;licenses:1", "licensed")));
    Packing none = strategy.pack(List.of(onExecutor("t3", "cpus:1;licenses:1", exec)),
        List.of(offer("o4", "a1", "cpus:8;mem:1024;licenses:1")));

    assertThat(first.placements()).containsExactly(placement("t1", "a2", "cpus:1;licenses:1",
        "cpus:0.1;mem:32;licenses:1"));
    assertThat(later.placements()).containsExactly(placement("t2", "a1", "cpus:1;licenses:1"));
    assertThat(none.unplaced()).containsExactly(
        reason("t3", "needs licenses 2, the largest offer has 1"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void leavesTheValuesAnExecutorNamesToItWhenItsTaskAsksForACount(String name,
      PackingStrategy strategy) {
    ExecutorSpec exec = new ExecutorSpec("pinned", "pinned", CommandSpec.shell("./run"),
        ResourceSpec.parse("cpus:0.1;mem:32;ephemeral:[5-5];zones:{a};ports:[80-80]"));

    Packing packing = strategy.pack(
        List.of(onExecutor("t1", "cpus:1;ephemeral:[any 1];zones:{any 1};ports:1", exec)),
        List.of(offer("o1", "a1", "cpus:8;mem:1024;ephemeral:[5-6];zones:{a,b};ports:[80-81]")));

    assertThat(packing.placements()).containsExactly(placement("t1", "a1",
        "cpus:1;ephemeral:[6-6];zones:{b};ports:[81-81]",
        "cpus:0.1;mem:32;ephemeral:[5-5];zones:{a};ports:[80-80]"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strategies")
  void usesOnlyTheNamedResourcesOfTheSpecsRole(String name, PackingStrategy strategy) {
    Packing packing = strategy.pack(
        List.of(command("t1", "cpus(prod):1;licenses(prod):1"),
            command("t2", "cpus(prod):1;licenses(prod):1")),
        List.of(offer("o1", "a1", "cpus(prod):8;licenses:4"),
            offer("o2", "a2", "cpus(prod):8;licenses(prod):1")));

    assertThat(packing.placements()).containsExactly(
        placement("t1", "a2", "cpus(prod):1;licenses(prod):1"));
    assertThat(packing.unplaced()).containsExactly(
        reason("t2", "needs licenses(prod) 1, the largest offer has 0"));
  }
}
