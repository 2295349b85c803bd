package dev.mesoskit.offers;

import static dev.mesoskit.offers.TestInputs.command;
import static dev.mesoskit.offers.TestInputs.offer;
import static dev.mesoskit.offers.TestInputs.placement;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.spi.Packing;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bin packing keeps GPU agents for tasks that ask for gpus while other agents fit the rest. */
class GpuAgentsTest {

  @Test
  void binPackPutsATaskWithoutGpusOnANonGpuAgentThoughTheGpuAgentIsFuller() {
    Packing packing = PackingStrategies.binPack().pack(
        List.of(command("web", "cpus:1;mem:256")),
        List.of(offer("o1", "gpu", "cpus:2;mem:512;gpus:1"),
            offer("o2", "plain", "cpus:8;mem:8192")));

    assertThat(packing.placements()).containsExactly(
        placement("web", "plain", "cpus:1;mem:256"));
  }

  @Test
  void binPackPutsTheGpuTaskOnTheGpuAgentAndTheOtherElsewhereWhileGpusAreLeft() {
    Packing packing = PackingStrategies.binPack().pack(
        List.of(command("web", "cpus:1;mem:256"), command("train", "cpus:1;mem:256;gpus:1")),
        List.of(offer("o1", "gpu", "cpus:3;mem:768;gpus:2"),
            offer("o2", "plain", "cpus:8;mem:8192")));

    assertThat(packing.placements()).containsExactlyInAnyOrder(
        placement("train", "gpu", "cpus:1;mem:256;gpus:1"),
        placement("web", "plain", "cpus:1;mem:256"));
  }

  @Test
  void anAgentWhoseGpusAreAllTakenIsAnAgentLikeAnyOther() {
    Packing packing = PackingStrategies.binPack().pack(
        List.of(command("train", "cpus:1;mem:256;gpus:1"), command("web", "cpus:1;mem:256")),
        List.of(offer("o1", "gpu", "cpus:2;mem:512;gpus:1"),
            offer("o2", "plain", "cpus:8;mem:8192")));

    assertThat(packing.placements()).containsExactlyInAnyOrder(
        placement("train", "gpu", "cpus:1;mem:256;gpus:1"),
        placement("web", "gpu", "cpus:1;mem:256"));
  }

  @Test
  void binPackUsesAGpuAgentForATaskWithoutGpusWhenNothingElseFits() {
    Packing packing = PackingStrategies.binPack().pack(
        List.of(command("web", "cpus:4;mem:256")),
        List.of(offer("o1", "gpu", "cpus:8;mem:8192;gpus:2"),
            offer("o2", "plain", "cpus:2;mem:8192")));

    assertThat(packing.placements()).containsExactly(
        placement("web", "gpu", "cpus:4;mem:256"));
  }
}
