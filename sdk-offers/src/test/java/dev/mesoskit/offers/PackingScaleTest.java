package dev.mesoskit.offers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One pass over 10,000 pending tasks and 2,000 offers allocates per task and per placement, never
 * per task-offer pair.
 */
class PackingScaleTest {
  private static final int TASKS = 10_000;
  private static final int AGENTS = 2_000;

  static List<Supplier<Packer>> everyStrategy() {
    return PackingStrategiesTest.everyStrategy().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void onePassOverTenThousandTasksAndTwoThousandOffersDoesNotAllocatePerPair(
      Supplier<Packer> strategy) {
    com.sun.management.ThreadMXBean threads = threadBean();
    List<Offer> offers = new ArrayList<>();
    for (int a = 0; a < AGENTS; a++) {
      offers.add(Offer.of("o" + a, "a" + a, "h" + a,
          Resources.parse("cpus:1;mem:4096;ports:[31000-31009]")));
    }
    // Every task a shape of its own, so that no shortcut for identical tasks applies: 2,000 fit,
    // and first fit checks each of the other 8,000 against every agent.
    List<PendingTask> tasks = new ArrayList<>();
    for (int t = 0; t < TASKS; t++) {
      ResourceSpec needs = ResourceSpec.builder().cpus(1).memMb(100 + t / 1000.0).ports(1).build();
      tasks.add(new PendingTask(TaskId.of("t" + t),
          TaskSpec.builder().name("t" + t).resources(needs).command("true").build()));
    }
    Packer packer = strategy.get();
    packer.pack(tasks.subList(0, 100), offers.subList(0, 100)); // load the classes

    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    Packing packing = packer.pack(tasks, offers);
    long allocated = threads.getThreadAllocatedBytes(thread) - before;

    assertThat(packing.placements()).hasSize(AGENTS);
    assertThat(packing.unplaced()).hasSize(TASKS - AGENTS);
    // First fit looks at 8,000 x 2,000 = 16,000,000 pairs; one 16-byte object per pair would be
    // 256 MB. What a pass allocates is for its tasks (arrays, shapes, reasons) and placements
    // (concrete resources taken with Resources.allocate).
    System.out.printf("%s: %,d bytes for one pass%n", packer, allocated);
    assertThat(allocated).as("bytes allocated by one pass")
        .isLessThan(2_000L * TASKS + 10_000L * AGENTS);
  }

  @org.junit.jupiter.api.Test
  void consolidationOfTenThousandTasksOnTwoThousandAgentsAllocatesPerMoveNotPerPair() {
    com.sun.management.ThreadMXBean threads = threadBean();
    List<Offer> offers = new ArrayList<>();
    for (int a = 0; a < AGENTS; a++) {
      offers.add(Offer.of("o" + a, "a" + a, "h" + a, Resources.parse("cpus:14;mem:14000;disk:14000")));
    }
    // 10,000 tasks of 1 to 4 cpus, 1,000 to 4,000 MB of memory and of disk, all different,
    // asking for about 89% of each: all fit, and consolidation empties some agents.
    java.util.Random random = new java.util.Random(3);
    List<PendingTask> tasks = new ArrayList<>();
    for (int t = 0; t < TASKS; t++) {
      ResourceSpec needs = ResourceSpec.builder().cpus((100 + random.nextInt(301)) / 100.0)
          .memMb(1000 + random.nextInt(3001) + t / 100_000.0)
          .diskMb(1000 + random.nextInt(3001)).build();
      tasks.add(new PendingTask(TaskId.of("t" + t),
          TaskSpec.builder().name("t" + t).resources(needs).command("true").build()));
    }
    Packer l2Norm = PackingStrategies.l2Norm();
    Packer consolidate = PackingStrategies.consolidate();
    l2Norm.pack(tasks, offers); // load the classes and compile
    consolidate.pack(tasks, offers);

    long thread = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(thread);
    Packing plain = l2Norm.pack(tasks, offers);
    long between = threads.getThreadAllocatedBytes(thread);
    Packing packing = consolidate.pack(tasks, offers);
    long extra = threads.getThreadAllocatedBytes(thread) - between - (between - before);

    assertThat(plain.unplaced()).isEmpty();
    assertThat(packing.unplaced()).isEmpty();
    long agents = packing.placements().stream().map(p -> p.agentId()).distinct().count();
    long plainAgents = plain.placements().stream().map(p -> p.agentId()).distinct().count();
    System.out.printf("consolidate: %d agents (l2Norm %d), %,d bytes more than l2Norm%n",
        agents, plainAgents, extra);
    assertThat(agents).isLessThan(plainAgents);
    // 10,000 x 2,000 = 20,000,000 task-agent pairs, at 16 bytes each 320 MB; moves allocate a
    // few Resources each.
    assertThat(extra).as("bytes consolidation allocates").isLessThan(2_000L * TASKS);
  }

  private static com.sun.management.ThreadMXBean threadBean() {
    var bean = ManagementFactory.getThreadMXBean();
    assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs HotSpot's ThreadMXBean");
    var threads = (com.sun.management.ThreadMXBean) bean;
    assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    return threads;
  }
}
