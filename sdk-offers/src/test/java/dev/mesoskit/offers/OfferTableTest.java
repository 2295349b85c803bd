package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;
import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static dev.mesoskit.offers.TestInputs.offerRunning;
import static dev.mesoskit.offers.TestInputs.onExecutor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Resources;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The agents of a pass as arrays: pooled offers, amounts in thousandths, roles, ports. */
class OfferTableTest {

  private static long[] amounts(OfferTable table, int a) {
    return Arrays.copyOfRange(table.avail, a * D, a * D + D);
  }

  @Test
  void poolsTheOffersOfOneAgentInTheOrderOfItsFirstOffer() {
    OfferTable table = new OfferTable(List.of(
        offer("o1", "a1", "cpus:1;mem:256;ports:[31000-31001]"),
        offer("o2", "a2", "cpus:2;mem:512;disk:100;gpus:1"),
        offer("o3", "a1", "cpus:0.5;mem:128;ports:[31005-31005]")), List.of());

    assertThat(table.na).isEqualTo(2);
    assertThat(table.agentIds).containsExactly("a1", "a2");
    assertThat(table.hostnames).containsExactly("a1.example", "a2.example");
    assertThat(amounts(table, 0)).containsExactly(1500, 384_000, 0, 0, 3);
    assertThat(amounts(table, 1)).containsExactly(2000, 512_000, 100_000, 1000, 0);
    assertThat(table.ports[0]).containsExactly(31000, 31001, 31005, 31005);
    assertThat(table.ports[1]).isEmpty();
  }

  @Test
  void holdsWhatIsReservedForTheRolesTasksAskForApart() {
    OfferTable table = new OfferTable(List.of(offer("o1", "a1",
        "cpus:1;mem:128;cpus(prod):2;mem(prod):256;ports(prod):[31000-31002]")),
        List.of(command("t1", "cpus(prod):1;mem(prod):64")));

    int prod = table.roleIndex.get("prod");
    assertThat(table.nr).isEqualTo(1);
    assertThat(amounts(table, 0)).containsExactly(3000, 384_000, 0, 0, 3);
    assertThat(Arrays.copyOfRange(table.roleAvail, prod * D, prod * D + D))
        .containsExactly(2000, 256_000, 0, 0, 3);
    assertThat(table.have(0, prod, 0)).isEqualTo(2000);
    assertThat(table.have(0, -1, 0)).isEqualTo(3000);
    assertThat(table.within(0, prod, new long[] {2000, 256_000, 0, 0, 3}, 0)).isTrue();
    assertThat(table.within(0, prod, new long[] {2001, 0, 0, 0, 0}, 0)).isFalse();
    assertThat(table.portsFree(0, prod, new long[] {31001, 31002})).isTrue();
  }

  @Test
  void knowsWhichAgentsRunTheExecutorsTasksAskFor() {
    OfferTable table = new OfferTable(List.of(
        offer("o1", "a1", "cpus:1;mem:256"),
        offerRunning("o2", "a2", "cpus:1;mem:256", "exec")),
        List.of(onExecutor("t1", "cpus:0.5;mem:64")));

    int exec = table.execIndex.get("exec");
    assertThat(table.running[0].get(exec)).isFalse();
    assertThat(table.running[1].get(exec)).isTrue();
  }

  @Test
  void readsAnAgentAgainAfterItsPoolChanged() {
    OfferTable table = new OfferTable(
        List.of(offer("o1", "a1", "cpus:2;mem:1024;ports:[31000-31004]")), List.of());

    table.free[0] = table.free[0].minus(Resources.parse("cpus:0.5;mem:24;ports:[31001-31002]"));
    table.load(0);

    assertThat(amounts(table, 0)).containsExactly(1500, 1_000_000, 0, 0, 3);
    assertThat(table.ports[0]).containsExactly(31000, 31000, 31003, 31004);
  }

  @Test
  void containsAllWantsEachRangeInsideOneFreeRange() {
    long[] free = {31000, 31005, 31010, 31020};

    assertThat(OfferTable.containsAll(free, new long[] {31001, 31002, 31015, 31020})).isTrue();
    assertThat(OfferTable.containsAll(free, new long[] {})).isTrue();
    assertThat(OfferTable.containsAll(free, new long[] {31004, 31011})).isFalse();
    assertThat(OfferTable.containsAll(free, new long[] {31021, 31021})).isFalse();
    assertThat(OfferTable.containsAll(new long[] {}, new long[] {31000, 31000})).isFalse();
  }
}
