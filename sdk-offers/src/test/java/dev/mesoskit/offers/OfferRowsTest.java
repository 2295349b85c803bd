package dev.mesoskit.offers;

import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static dev.mesoskit.offers.TestInputs.placement;
import static dev.mesoskit.offers.TestInputs.reason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.Packing;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A packer reads an offer once and keeps what it read only while the offer is offered: a
 * withdrawn offer is never used again, a new or changed one is read.
 */
class OfferRowsTest {

  @Test
  void readsOnlyTheOffersThatAreNewToAPass() {
    OfferRows rows = new OfferRows();
    Offer o1 = offer("o1", "a1", "cpus:4;mem:4096");
    Offer o2 = offer("o2", "a2", "cpus:2;mem:2048");
    Offer o3 = offer("o3", "a3", "cpus:1;mem:1024");

    new OfferTable(List.of(o1, o2, o3), List.of(), rows);
    new OfferTable(List.of(o1, o2, o3), List.of(), rows);
    assertThat(rows.reads()).isEqualTo(3);

    // a2 got a task: the master offers what is left under a new id.
    Offer o4 = offer("o4", "a2", "cpus:1;mem:1024");
    OfferTable table = new OfferTable(List.of(o1, o4, o3), List.of(), rows);

    assertThat(rows.reads()).isEqualTo(4);
    assertThat(rows.size()).isEqualTo(3);
    assertThat(rows.agents()).isEqualTo(3);
    assertThat(table.agentIds).containsExactly("a1", "a2", "a3");
    assertThat(table.avail[OfferTable.D]).isEqualTo(1000);
  }

  @Test
  void findsTheOffersItKnowsWhenOthersAreWithdrawnAddedOrReordered() {
    OfferRows rows = new OfferRows();
    List<Offer> known = new java.util.ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      known.add(offer("o" + i, "a" + i, "cpus:" + i + ";mem:" + 100 * i));
    }
    new OfferTable(known, List.of(), rows);
    Offer o7 = offer("o7", "a7", "cpus:7;mem:700");

    // o2 and o3 withdrawn, o7 new in between.
    OfferTable table = new OfferTable(
        List.of(known.get(0), known.get(3), o7, known.get(4), known.get(5)), List.of(), rows);
    assertThat(table.agentIds).containsExactly("a1", "a4", "a7", "a5", "a6");
    assertThat(table.avail).containsExactly(1000, 100_000, 0, 0, 0, 4000, 400_000, 0, 0, 0,
        7000, 700_000, 0, 0, 0, 5000, 500_000, 0, 0, 0, 6000, 600_000, 0, 0, 0);
    assertThat(rows.reads()).isEqualTo(7);
    assertThat(rows.size()).isEqualTo(5);

    // Reversed: nothing read again.
    table = new OfferTable(
        List.of(known.get(5), known.get(4), o7, known.get(3), known.get(0)), List.of(), rows);
    assertThat(table.agentIds).containsExactly("a6", "a5", "a7", "a4", "a1");
    assertThat(table.avail[0]).isEqualTo(6000);
    assertThat(table.avail[4 * OfferTable.D]).isEqualTo(1000);
    assertThat(rows.reads()).isEqualTo(7);
    assertThat(rows.agents()).isEqualTo(5);

    // The same offer twice, found where the last pass had it both times.
    assertThatThrownBy(() -> new OfferTable(
        List.of(known.get(5), known.get(4), known.get(5)), List.of(), rows))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("offer o6 is listed twice");
    // The pass after one that failed keeps the rows of the last pass that ended.
    table = new OfferTable(List.of(known.get(0), o7), List.of(), rows);
    assertThat(table.agentIds).containsExactly("a1", "a7");
    assertThat(rows.reads()).isEqualTo(7);
    assertThat(rows.size()).isEqualTo(2);
    assertThat(rows.agents()).isEqualTo(2);
  }

  @Test
  void aNewOfferInTheListPlaceOfAGoneOneIsReadFromItself() {
    OfferRows rows = new OfferRows();
    Offer o1 = offer("o1", "a1", "cpus:4;mem:4096");
    Offer o2 = offer("o2", "a2", "cpus:2;mem:2048;ports:[31000-31001]", "rack", "r1");
    Offer o3 = offer("o3", "a3", "cpus:1;mem:1024");
    new OfferTable(List.of(o1, o2, o3), List.of(), rows);

    // In o2's place: another agent's offer, with its own host, attributes, amounts and ports.
    Offer o4 = new Offer("o4", "a4", "h4", Resources.parse("cpus:3;mem:512;ports:[31005-31005]"),
        Map.of("rack", "r2"), Set.of("exec"));
    OfferTable table = new OfferTable(List.of(o1, o4, o3), List.of(), rows);

    assertThat(table.agentIds).containsExactly("a1", "a4", "a3");
    assertThat(table.hostnames[1]).isEqualTo("h4");
    assertThat(table.attributes.get(1)).containsExactly(Map.entry("rack", "r2"));
    assertThat(table.free[1]).isEqualTo(o4.resources());
    assertThat(java.util.Arrays.copyOfRange(table.avail, OfferTable.D, 2 * OfferTable.D))
        .containsExactly(3000, 512_000, 0, 0, 1);
    assertThat(table.ports[1]).containsExactly(31005, 31005);
    assertThat(rows.size()).isEqualTo(3);
    assertThat(rows.agents()).isEqualTo(3);
  }

  @Test
  void forgetsTheOffersAPassDoesNotHold() {
    OfferRows rows = new OfferRows();
    Offer o1 = offer("o1", "a1", "cpus:4;mem:4096");
    Offer o2 = offer("o2", "a2", "cpus:2;mem:2048");
    new OfferTable(List.of(o1, o2), List.of(), rows);

    new OfferTable(List.of(o2), List.of(), rows);
    assertThat(rows.size()).isEqualTo(1);
    assertThat(rows.agents()).isEqualTo(1);

    // Offered again, o1 is read again, not taken from before.
    new OfferTable(List.of(o2, o1), List.of(), rows);
    assertThat(rows.reads()).isEqualTo(3);
  }

  @Test
  void readsAnOfferAgainWhenItsIdComesBackWithOtherResources() {
    OfferRows rows = new OfferRows();
    new OfferTable(List.of(offer("o1", "a1", "cpus:4;mem:4096")), List.of(), rows);

    OfferTable table =
        new OfferTable(List.of(offer("o1", "a1", "cpus:1;mem:512")), List.of(), rows);

    assertThat(rows.reads()).isEqualTo(2);
    assertThat(table.avail[0]).isEqualTo(1000);
    assertThat(table.avail[1]).isEqualTo(512_000);
  }

  @Test
  void poolsTwoOffersOfOneAgentAcrossPasses() {
    OfferRows rows = new OfferRows();
    Offer o1 = offer("o1", "a1", "cpus:1;mem:256");
    Offer o2 = offer("o2", "a2", "cpus:2;mem:512");
    new OfferTable(List.of(o1, o2), List.of(), rows);

    OfferTable table = new OfferTable(List.of(o1, o2, offer("o3", "a1", "cpus:0.5;mem:128")),
        List.of(), rows);

    assertThat(table.agentIds).containsExactly("a1", "a2");
    assertThat(table.avail[0]).isEqualTo(1500);
    assertThat(table.avail[1]).isEqualTo(384_000);
    assertThat(rows.agents()).isEqualTo(2);
  }

  @Test
  void anEqualOfferIsNotReadAgain() {
    OfferRows rows = new OfferRows();
    new OfferTable(List.of(offer("o1", "a1", "cpus:4;mem:4096")), List.of(), rows);

    new OfferTable(List.of(offer("o1", "a1", "cpus:4;mem:4096")), List.of(), rows);

    assertThat(rows.reads()).isEqualTo(1);
  }

  @Test
  void aWithdrawnOfferIsNeverUsedByTheNextPass() {
    Packer packer = PackingStrategies.binPack();
    Offer big = offer("o1", "a1", "cpus:8;mem:8192");
    Offer small = offer("o2", "a2", "cpus:2;mem:1024");
    Packing first = packer.pack(List.of(command("t1", "cpus:4;mem:1024")), List.of(big, small));
    assertThat(first.placements()).containsExactly(placement("t1", "a1", "cpus:4;mem:1024"));

    // o1 was used (or rescinded): the next pass holds o2 alone, not the 4 cpus o1 had left.
    Packing second = packer.pack(
        List.of(command("t2", "cpus:4;mem:1024"), command("t3", "cpus:1;mem:512")),
        List.of(small));

    assertThat(second.placements()).containsExactly(placement("t3", "a2", "cpus:1;mem:512"));
    assertThat(second.unplaced())
        .containsExactly(reason("t2", "needs cpus 4, the largest offer has 1"));
    assertThat(second.placements()).noneMatch(p -> p.agentId().equals("a1"));
  }

  @Test
  void aChangedAgentIsReadFromItsNewOffer() {
    for (Packer packer : List.of(PackingStrategies.binPack(), PackingStrategies.firstFit(),
        PackingStrategies.dotProduct(), PackingStrategies.l2Norm())) {
      Offer a1 = offer("o1", "a1", "cpus:8;mem:8192");
      Offer a2 = offer("o2", "a2", "cpus:2;mem:2048");
      packer.pack(List.of(command("t1", "cpus:6;mem:6144")), List.of(a1, a2));

      Packing second = packer.pack(
          List.of(command("t2", "cpus:3;mem:1024"), command("t3", "cpus:2;mem:2048")),
          List.of(offer("o3", "a1", "cpus:2;mem:2048"), a2));

      assertThat(second.placements()).as(packer.toString()).hasSize(1);
      assertThat(second.unplaced()).as(packer.toString())
          .containsExactly(reason("t2", "needs cpus 3, the largest offer has 2"));
    }
  }

  @Test
  void reasonsAreTheSameWithAndWithoutEarlierPasses() {
    List<Offer> offers = List.of(offer("o1", "a1", "cpus:2;mem:1024"),
        offer("o2", "a2", "cpus:1;mem:4096"));
    Packer warm = PackingStrategies.binPack();
    warm.pack(List.of(command("t0", "cpus:1;mem:64")), List.of(offers.get(1),
        offer("o9", "a9", "cpus:8;mem:8192")));

    var tasks = List.of(command("t1", "cpus:2;mem:2048"), command("t2", "cpus:3;mem:512"));
    Packing fresh = PackingStrategies.binPack().pack(tasks, offers);
    Packing cached = warm.pack(tasks, offers);

    assertThat(cached).isEqualTo(fresh);
    assertThat(cached.unplaced()).containsExactly(
        reason("t1", "needs cpus:2;mem:2048 on one agent,"
            + " none of the 2 agents offered has it all"),
        reason("t2", "needs cpus 3, the largest offer has 2"));
  }
}
