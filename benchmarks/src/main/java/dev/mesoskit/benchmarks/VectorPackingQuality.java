package dev.mesoskit.benchmarks;

import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.offers.Packer;
import dev.mesoskit.offers.PackingStrategies;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Packing quality on the vector bin packing instance classes of Panigrahy et al., "Heuristics for
 * Vector Bin Packing" (after Caprara and Toth): capacity 1,000 in every dimension, item sizes
 * uniform in [100,400], [1,1000], [200,800], [50,200] and [25,100], d = 3 and 5, n = 2,000 items,
 * fixed seeds. For every MesosKit strategy and for Fenzo 1.0.1 (its {@code cpuMemNetworkBinPacker},
 * fitness evaluated on every host), prints the hosts used over the lower bound
 * max(max_r ceil(sum_i d_ir / C), max_r #{i : d_ir > C / 2}), and the best over the stronger of
 * that and the pair bound of {@link PackingLowerBounds#pairs}.
 *
 * <p>Quality is deterministic, so this is a plain program, not a JMH benchmark. Dimensions map to
 * cpus, mem, disk, gpus and a number of ports for MesosKit, and to cpus, memory, network, disk
 * and a scalar resource for Fenzo; all items are pending in one pass over 2,000 empty hosts.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.VectorPackingQuality}
 */
public final class VectorPackingQuality {
  static final int CAPACITY = 1000;
  static final int ITEMS = 2000;
  static final int[][] CLASSES = {{100, 400}, {1, 1000}, {200, 800}, {50, 200}, {25, 100}};

  private VectorPackingQuality() {}

  public static void main(String[] args) {
    Map<String, Supplier<Packer>> strategies = new LinkedHashMap<>();
    strategies.put("firstFit", PackingStrategies::firstFit);
    strategies.put("binPack", PackingStrategies::binPack);
    strategies.put("spread", PackingStrategies::spread);
    strategies.put("dotProduct", PackingStrategies::dotProduct);
    strategies.put("l2Norm", PackingStrategies::l2Norm);
    strategies.put("consolidate", PackingStrategies::consolidate);
    strategies.put("overflowSearch", PackingStrategies::overflowSearch);
    System.out.println("| class | d | LB | stronger bound (/ LB) | "
        + String.join(" | ", strategies.keySet()) + " | best | best / stronger | Fenzo"
        + " | Fenzo / best |");
    System.out.println("|---|---|---|---|" + "---|".repeat(strategies.size()) + "---|---|---|---|");
    double logSum = 0;
    double worst = 0;
    for (int d : new int[] {3, 5}) {
      for (int[] range : CLASSES) {
        long seed = 1000L * range[0] + range[1] + 7L * d;
        int[][] items = items(new Random(seed), d, range[0], range[1]);
        int bound = PackingLowerBounds.volumeAndHalves(items, CAPACITY);
        PackingLowerBounds.Pairs pairs = PackingLowerBounds.pairs(items, CAPACITY);
        int stronger = Math.max(bound, pairs.bound());
        StringBuilder row = new StringBuilder(String.format("| [%d,%d] | %d | %d | %d (%.3f) | ",
            range[0], range[1], d, bound, stronger, (double) stronger / bound));
        int best = Integer.MAX_VALUE;
        StringBuilder times = new StringBuilder();
        for (Map.Entry<String, Supplier<Packer>> s : strategies.entrySet()) {
          long start = System.nanoTime();
          int hosts = mesoskit(s.getValue().get(), items, d);
          times.append(String.format(" %s %d (%d ms)", s.getKey(), hosts,
              (System.nanoTime() - start) / 1_000_000));
          best = Math.min(best, hosts);
          row.append(String.format("%.3f | ", (double) hosts / bound));
        }
        int fenzo = fenzo(items, d);
        row.append(String.format("%.3f | %.3f | %.3f | %.3f |", (double) best / bound,
            (double) best / stronger, (double) fenzo / bound, (double) fenzo / best));
        System.out.println(row);
        logSum += Math.log((double) best / stronger);
        worst = Math.max(worst, (double) best / stronger);
        System.out.printf("<!-- [%d,%d] d=%d: hosts best %d, Fenzo %d; pair bound |S| = %d,"
            + " nu = %d, bound %d; 1.05 x LB = %.1f;%s -->%n", range[0], range[1], d, best, fenzo,
            pairs.items(), pairs.matching(), pairs.bound(), 1.05 * bound, times);
      }
    }
    System.out.printf("best / stronger bound: geometric mean %.4f, worst class %.4f%n",
        Math.exp(logSum / (2 * CLASSES.length)), worst);
  }

  static int[][] items(Random random, int d, int lo, int hi) {
    int[][] items = new int[ITEMS][d];
    for (int[] item : items) {
      for (int r = 0; r < d; r++) {
        item[r] = lo + random.nextInt(hi - lo + 1);
      }
    }
    return items;
  }

  /** Hosts a MesosKit strategy uses for all items in one pass; fails if one is left. */
  static int mesoskit(Packer strategy, int[][] items, int d) {
    String capacity = "cpus:1000;mem:1000;disk:1000"
        + (d == 5 ? ";gpus:1000;ports:[1-1000]" : "");
    Resources host = Resources.parse(capacity);
    List<Offer> offers = new ArrayList<>();
    for (int h = 0; h < ITEMS; h++) {
      offers.add(Offer.of("o" + h, "a" + h, "h" + h, host));
    }
    List<PendingTask> tasks = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      int[] x = items[i];
      ResourceSpec.Builder needs = ResourceSpec.builder().cpus(x[0]).memMb(x[1]).diskMb(x[2]);
      if (d == 5) {
        needs.gpus(x[3]).ports(x[4]);
      }
      tasks.add(new PendingTask(TaskId.of("i" + i),
          TaskSpec.builder().name("i" + i).resources(needs.build()).command("true").build()));
    }
    Packing packing = strategy.pack(tasks, offers);
    if (!packing.unplaced().isEmpty()) {
      throw new IllegalStateException(strategy + " left " + packing.unplaced().size() + " items");
    }
    Set<String> used = new HashSet<>();
    for (Placement p : packing.placements()) {
      used.add(p.agentId());
    }
    return used.size();
  }

  /** Hosts Fenzo uses for all items in one scheduling run. */
  static int fenzo(int[][] items, int d) {
    TaskScheduler scheduler = new TaskScheduler.Builder()
        .withFitnessCalculator(BinPackingFitnessCalculators.cpuMemNetworkBinPacker)
        .withLeaseOfferExpirySecs(1_000_000)
        .withLeaseRejectAction(lease -> { })
        .build();
    List<VirtualMachineLease> leases = new ArrayList<>();
    Map<String, Double> hostScalars = d == 5 ? Map.of("r5", (double) CAPACITY) : Map.of();
    for (int h = 0; h < ITEMS; h++) {
      leases.add(FenzoLeases.lease("l" + h, "h" + h, CAPACITY, CAPACITY, CAPACITY,
          d == 5 ? CAPACITY : 0, List.of(), hostScalars));
    }
    List<TaskRequest> requests = new ArrayList<>();
    for (int i = 0; i < items.length; i++) {
      int[] x = items[i];
      requests.add(FenzoLeases.task("i" + i, x[0], x[1], x[2], d == 5 ? x[3] : 0, 0,
          d == 5 ? Map.of("r5", (double) x[4]) : Map.of()));
    }
    SchedulingResult result = scheduler.scheduleOnce(requests, leases);
    int placed = result.getResultMap().values().stream()
        .mapToInt(vm -> vm.getTasksAssigned().size()).sum();
    scheduler.shutdown();
    if (placed != items.length) {
      throw new IllegalStateException("Fenzo left " + (items.length - placed) + " items");
    }
    return result.getResultMap().size();
  }
}
