package dev.mesoskit.offers;

import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.labelled;
import static dev.mesoskit.offers.TestInputs.offer;
import static dev.mesoskit.offers.TestInputs.placement;
import static dev.mesoskit.offers.TestInputs.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each placement constraint, per task and per group, across passes, with exact reasons. */
class ConstraintsTest {
  private static final String TASK = "cpus:1;mem:128";
  private static final String AGENT = "cpus:8;mem:8192";

  private static List<Offer> threeAgents() {
    return List.of(offer("o1", "a1", AGENT), offer("o2", "a2", AGENT), offer("o3", "a3", AGENT));
  }

  private static PendingTask web(String id) {
    return labelled(id, TASK, "app", "web");
  }

  private static List<String> agents(Packing packing) {
    return packing.placements().stream().map(Placement::agentId).toList();
  }

  // ---- unique hostname

  @Test
  void uniqueHostPutsEachTaskOfTheGroupOnAHostOfItsOwn() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost());

    Packing packing = packer.pack(List.of(web("w1"), web("w2"), web("w3"), web("w4")),
        threeAgents());

    assertThat(packing.placements()).containsExactly(
        placement("w1", "a1", TASK), placement("w2", "a2", TASK), placement("w3", "a3", TASK));
    assertThat(packing.unplaced()).containsExactly(
        reason("w4", "constraint unique hostname: all 3 agents already run one"));
  }

  @Test
  void uniqueHostCountsOnlyTheTasksOfTheSameGroup() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost());

    Packing packing = packer.pack(
        List.of(web("w1"), labelled("p1", TASK, "app", "api"), command("c1", TASK), web("w2")),
        List.of(offer("o1", "a1", AGENT), offer("o2", "a2", "cpus:4;mem:4096")));

    // a2 is the fullest; w2 must go elsewhere; unlabelled c1 is free to go anywhere.
    assertThat(agents(packing)).containsExactly("a2", "a2", "a2", "a1");
    assertThat(packing.placements()).extracting(p -> p.taskId().value())
        .containsExactly("w1", "p1", "c1", "w2");
  }

  @Test
  void uniqueHostComparesHostnamesNotAgentIds() {
    Packer packer = PackingStrategies.firstFit()
        .constrain(TaskGroups.all(), Constraints.uniqueHost());
    Offer reRegistered = new Offer("o2", "a1-new", "a1.example", Resources.parse(AGENT),
        Map.of(), Set.of());

    Packing packing = packer.pack(List.of(command("t1", TASK), command("t2", TASK)),
        List.of(offer("o1", "a1", AGENT), reRegistered));

    assertThat(agents(packing)).containsExactly("a1");
    assertThat(packing.unplaced()).containsExactly(
        reason("t2", "constraint unique hostname: all 2 agents already run one"));
  }

  @Test
  void uniqueHostRemembersTasksOfEarlierPassesUntilTheyEnd() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost());
    List<Offer> offers = List.of(offer("o1", "a1", AGENT), offer("o2", "a2", AGENT));

    assertThat(agents(packer.pack(List.of(web("w1")), offers))).containsExactly("a1");
    assertThat(agents(packer.pack(List.of(web("w2")), offers))).containsExactly("a2");
    assertThat(packer.pack(List.of(web("w3")), offers).unplaced()).containsExactly(
        reason("w3", "constraint unique hostname: all 2 agents already run one"));

    packer.onUpdate(snapshot("w1", TaskState.RUNNING, "a1"));
    assertThat(packer.pack(List.of(web("w3")), offers).placements()).isEmpty();

    packer.onUpdate(snapshot("w1", TaskState.FINISHED, "a1"));
    assertThat(agents(packer.pack(List.of(web("w3")), offers))).containsExactly("a1");
  }

  @Test
  void forgetsATaskWaitingForItsRetry() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.all(), Constraints.uniqueHost());
    List<Offer> offers = List.of(offer("o1", "a1", AGENT));
    packer.pack(List.of(command("t1", TASK)), offers);

    packer.onUpdate(snapshot("t1", TaskState.LOST, "a1"));
    packer.onUpdate(snapshot("t1", TaskState.PENDING, null));

    assertThat(agents(packer.pack(List.of(command("t1", TASK)), offers))).containsExactly("a1");
  }

  // ---- attributes

  private static List<Offer> racks() {
    return List.of(
        offer("o1", "a1", AGENT, "rack", "r1", "zone", "a"),
        offer("o2", "a2", AGENT, "rack", "r2", "zone", "b"),
        offer("o3", "a3", AGENT));
  }

  @Test
  void attributeEqualsKeepsTasksToAgentsWithThatValue() {
    Packer packer = PackingStrategies.firstFit()
        .constrain(TaskGroups.all(), Constraints.attributeEquals("rack", "r2"));

    assertThat(agents(packer.pack(List.of(command("t1", TASK)), racks())))
        .containsExactly("a2");
  }

  @Test
  void attributeEqualsExplainsWhatTheAgentsHaveInstead() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.all(), Constraints.attributeEquals("rack", "r3"));

    assertThat(packer.pack(List.of(command("t1", TASK)), racks()).unplaced()).containsExactly(
        reason("t1", "constraint rack=r3: all 3 agents have rack r1, r2 or no rack"));
  }

  @Test
  void attributeInAcceptsAnyOfTheValues() {
    Packer packer = PackingStrategies.spread()
        .constrain(TaskGroups.all(), Constraints.attributeIn("zone", Set.of("b", "c")));

    Packing packing = packer.pack(List.of(command("t1", TASK), command("t2", TASK)), racks());

    assertThat(agents(packing)).containsExactly("a2", "a2");
    assertThat(Constraints.attributeIn("zone", Set.of("c", "b"))).hasToString("zone in {b,c}");
  }

  @Test
  void attributeMatchesTheWholeValue() {
    Packer packer = PackingStrategies.firstFit()
        .constrain(TaskGroups.all(), Constraints.attributeMatches("rack", "r[2-9]"));

    assertThat(agents(packer.pack(List.of(command("t1", TASK)), racks())))
        .containsExactly("a2");
    assertThat(PackingStrategies.firstFit()
        .constrain(TaskGroups.all(), Constraints.attributeMatches("rack", "2"))
        .pack(List.of(command("t1", TASK)), racks()).unplaced())
        .containsExactly(reason("t1",
            "constraint rack matches 2: all 3 agents have rack r1, r2 or no rack"));
  }

  @Test
  void hostnameIsAnAttribute() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.all(), Constraints.attributeEquals("hostname", "a3.example"));

    assertThat(agents(packer.pack(List.of(command("t1", TASK)), racks())))
        .containsExactly("a3");
  }

  // ---- max per attribute value

  @Test
  void maxPerAttributeCapsTheTasksPerValue() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.maxPerAttribute("rack", 2));
    List<Offer> offers = List.of(
        offer("o1", "a1", AGENT, "rack", "r1"), offer("o2", "a2", AGENT, "rack", "r1"),
        offer("o3", "a3", AGENT, "rack", "r2"), offer("o4", "a4", AGENT));

    Packing packing = packer.pack(
        List.of(web("w1"), web("w2"), web("w3"), web("w4"), web("w5")), offers);

    assertThat(agents(packing)).containsExactly("a1", "a1", "a3", "a3");
    assertThat(packing.unplaced()).containsExactly(reason("w5", "constraint at most 2 per rack:"
        + " 3 of 4 agents are on a rack that has 2 already, 1 of 4 agents has no rack"));
  }

  @Test
  void maxPerHostnameAllowsThatManyTasksPerHost() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.all(), Constraints.maxPerAttribute("hostname", 2));

    Packing packing = packer.pack(
        List.of(command("t1", TASK), command("t2", TASK), command("t3", TASK)),
        List.of(offer("o1", "a1", AGENT), offer("o2", "a2", AGENT)));

    assertThat(agents(packing)).containsExactly("a1", "a1", "a2");
  }

  // ---- group by

  private static List<Offer> zones() {
    return List.of(
        offer("o1", "a1", AGENT, "zone", "a"), offer("o2", "a2", AGENT, "zone", "b"),
        offer("o3", "a3", AGENT, "zone", "c"), offer("o4", "a4", AGENT, "zone", "a"));
  }

  @Test
  void groupBySpreadsTheGroupEvenlyAcrossTheValues() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.groupBy("zone"));

    Packing packing = packer.pack(
        List.of(web("w1"), web("w2"), web("w3"), web("w4"), web("w5")), zones());

    assertThat(agents(packing)).containsExactly("a1", "a2", "a3", "a1", "a2");
  }

  @Test
  void groupByWaitsForTheLeastUsedValueRatherThanUnbalanceTheGroup() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.groupBy("zone"));
    List<Offer> offers = List.of(
        offer("o1", "a1", AGENT, "zone", "a"), offer("o2", "a2", AGENT, "zone", "b"),
        offer("o3", "a3", "cpus:0.5;mem:8192", "zone", "c"));

    Packing packing = packer.pack(List.of(web("w1"), web("w2"), web("w3")), offers);

    assertThat(agents(packing)).containsExactly("a1", "a2");
    assertThat(packing.unplaced()).containsExactly(reason("w3", "constraint group by zone:"
        + " 2 of 3 agents are in a zone ahead of zone c, which has 0;"
        + " on the rest: needs cpus 1, the largest offer has 0.5"));
  }

  @Test
  void groupByCountsZonesTheGroupRunsInThatAreNotOffered() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.groupBy("zone"));
    packer.pack(List.of(web("w1"), web("w2"), web("w3"), web("w4")), zones().subList(0, 3));

    Packing packing = packer.pack(List.of(web("w5")), List.of(zones().get(3)));

    // Zone a runs 2, zones b and c, not offered now, run 1 each.
    assertThat(packing.unplaced()).containsExactly(reason("w5",
        "constraint group by zone: the only agent is in a zone ahead of zone b, which has 1"));
  }

  // ---- fault domains

  private static Offer inDomain(String id, String agent, String region, String zone) {
    return new Offer(id, agent, agent + ".example", Resources.parse(AGENT), Map.of(), Set.of(),
        Optional.of(new Offer.Domain(region, zone)));
  }

  @Test
  void atZoneAndAtRegionStandForTheAgentsFaultDomainAsInMarathon() {
    List<Offer> offers = List.of(inDomain("o1", "a1", "east", "east-a"),
        inDomain("o2", "a2", "east", "east-a"), inDomain("o3", "a3", "east", "east-b"),
        inDomain("o4", "a4", "west", "west-a"), offer("o5", "a5", AGENT));
    Packer spread = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.groupBy(Constraints.ZONE));
    Packer east = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.attributeEquals(Constraints.REGION,
            "east"));

    assertThat(agents(spread.pack(List.of(web("w1"), web("w2"), web("w3")), offers)))
        .containsExactly("a1", "a3", "a4");
    Packing inEast = east.pack(List.of(web("w1"), web("w2")), offers.subList(3, 5));
    assertThat(inEast.placements()).isEmpty();
    assertThat(inEast.unplaced()).containsExactly(
        reason("w1", "constraint @region=east: all 2 agents have @region west or no @region"),
        reason("w2", "constraint @region=east: all 2 agents have @region west or no @region"));
  }

  // ---- combining

  @Test
  void constraintsOfOneSelectionAllApply() {
    Packer packer = PackingStrategies.binPack().constrain(TaskGroups.byLabel("app"),
        Constraints.uniqueHost(), Constraints.attributeIn("zone", Set.of("a", "b")));

    Packing packing = packer.pack(List.of(web("w1"), web("w2"), web("w3")), zones());

    assertThat(agents(packing)).containsExactly("a1", "a2", "a4");
    assertThat(packing.placements()).hasSize(3);
    assertThat(packer.pack(List.of(web("w4")), zones()).unplaced()).containsExactly(reason("w4",
        "constraint unique hostname: 3 of 4 agents already run one;"
            + " constraint zone in {a,b}: 1 of 4 agents has zone c"));
  }

  @Test
  void constraintsApplyPerTaskThroughAMatchingSelection() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.matching("db", spec -> spec.name().equals("db")),
            Constraints.attributeEquals("zone", "c"))
        .constrain(TaskGroups.all(), Constraints.maxPerAttribute("hostname", 2));

    Packing packing = packer.pack(
        List.of(command("t1", TASK), command("db", TASK), command("t2", TASK),
            command("t3", TASK)),
        zones());

    assertThat(packing.placements()).extracting(p -> p.taskId().value() + "@" + p.agentId())
        .containsExactly("t1@a1", "db@a3", "t2@a1", "t3@a3");
  }

  @Test
  void explainsResourcesFirstWhenNoAgentIsRuledOut() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.all(), Constraints.uniqueHost());

    Packing packing = packer.pack(List.of(command("t1", "cpus:16;mem:128")), threeAgents());

    assertThat(packing.unplaced())
        .containsExactly(reason("t1", "needs cpus 16, the largest offer has 8"));
  }

  // ---- the API

  @Test
  void printsItsConstraints() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost(), Constraints.groupBy("zone"))
        .constrain(TaskGroups.all(), Constraints.maxPerAttribute("rack", 3),
            Constraints.attributeEquals("os", "linux"), Constraints.attributeMatches("r", "x.*"));

    assertThat(packer).hasToString("binPack [label app: unique hostname, group by zone,"
        + " all tasks: at most 3 per rack, os=linux, r matches x.*]");
  }

  @Test
  void constrainLeavesTheOriginalUnchanged() {
    Packer plain = PackingStrategies.spread();

    plain.constrain(TaskGroups.all(), Constraints.uniqueHost());

    assertThat(plain).hasToString("spread");
  }

  @Test
  void rejectsMistakesWithTheFieldTheRuleAndTheValue() {
    assertThatThrownBy(() -> Constraints.maxPerAttribute("rack", 0))
        .hasMessage("max must be >= 1 but was 0");
    assertThatThrownBy(() -> Constraints.attributeEquals(" ", "x"))
        .hasMessage("attribute name must not be blank but was  ");
    assertThatThrownBy(() -> Constraints.attributeIn("zone", Set.of()))
        .hasMessage("values must not be empty for attribute zone");
    assertThatThrownBy(() -> Constraints.attributeMatches("rack", "r["))
        .hasMessageStartingWith("regex must be a valid pattern but was 'r[': ");
    assertThatThrownBy(() -> TaskGroups.byLabel(""))
        .hasMessage("label key must not be empty but was ");
    assertThatThrownBy(() -> PackingStrategies.binPack().constrain(TaskGroups.all()))
        .hasMessage("constraints must not be empty for all tasks");
  }

  private static Task snapshot(String id, TaskState state, String agent) {
    return new Task(TaskId.of(id), id, state, 1, state.isOutcome(), Optional.ofNullable(agent),
        Optional.ofNullable(agent).map(a -> a + ".example"), List.of(), Optional.empty(),
        Optional.empty(), Instant.EPOCH, Instant.EPOCH);
  }
}
