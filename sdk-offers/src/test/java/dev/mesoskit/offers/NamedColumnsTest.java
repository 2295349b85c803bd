package dev.mesoskit.offers;

import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.PendingTask;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The named-resource columns of a pass: none when no task asks, exact counts when some do. */
class NamedColumnsTest {

  @Test
  void isNotMadeWhenNoTaskAsksForANamedResource() {
    List<PendingTask> tasks = List.of(command("t1", "cpus:1;mem:64;ports:2"));
    OfferTable offers = new OfferTable(
        List.of(offer("o1", "a1", "cpus:8;mem:1024;licenses:4;zones:{a}")), tasks);

    assertThat(NamedColumns.of(tasks, offers)).isNull();
  }

  @Test
  void fitsATaskWhereEveryNamedResourceItAsksForIsFreeInItsRole() {
    List<PendingTask> tasks = List.of(
        command("t1", "cpus:1;licenses:2;zones:{any 2}"),
        command("t2", "cpus(prod):1;licenses(prod):1"),
        command("t3", "cpus:1;ephemeral:[any 3]"));
    OfferTable offers = new OfferTable(List.of(
        offer("o1", "a1", "cpus:8;licenses:1;licenses(prod):1;zones:{a,b};ephemeral:[1-3]"),
        offer("o2", "a2", "cpus(prod):8;licenses:2;zones:{a}")), tasks);
    NamedColumns named = NamedColumns.of(tasks, offers);
    int prod = offers.roleIndex.get("prod");

    assertThat(named.fits(0, 0, false, -1, -1)).isTrue();
    assertThat(named.fits(1, 0, false, -1, -1)).isFalse();
    assertThat(named.fits(0, 1, false, prod, -1)).isTrue();
    assertThat(named.fits(1, 1, false, prod, -1)).isFalse();
    assertThat(named.fits(0, 2, false, -1, -1)).isTrue();
    assertThat(named.fits(1, 2, false, -1, -1)).isFalse();
  }

  @Test
  void readsAnAgentAgainOnceAPlacementReplacedItsPool() {
    List<PendingTask> tasks = List.of(command("t1", "cpus:1;licenses:1"));
    OfferTable offers = new OfferTable(
        List.of(offer("o1", "a1", "cpus:8;licenses:1"), offer("o2", "a2", "cpus:1")), tasks);
    NamedColumns named = NamedColumns.of(tasks, offers);

    assertThat(named.fits(0, 0, false, -1, -1)).isTrue();
    offers.free[0] = Resources.parse("cpus:7");
    assertThat(named.fits(0, 0, false, -1, -1)).isFalse();

    offers.free[0] = Resources.parse("cpus:7;licenses:0.5");
    Set<Integer> reps = new LinkedHashSet<>();
    named.representatives(new int[] {1, 0}, 2, -1, reps);
    assertThat(reps).containsExactly(0);
  }
}
