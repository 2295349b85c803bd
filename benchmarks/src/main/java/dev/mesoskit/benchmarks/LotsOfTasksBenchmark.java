package dev.mesoskit.benchmarks;

import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskAssignmentResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.VMAssignmentResult;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.offers.PackingStrategies;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fenzo's own "lots of tasks" workload (its {@code TestLotsOfTasks}): 2,000 hosts of 16 cores,
 * 16,000 MB and ports 1-10; 20% of the cores asked by 1-core tasks, 40% by half-host and 40% by
 * three-quarter-host tasks (memory 1,000 MB per core, one port each), shuffled with a fixed seed,
 * plus 1-core filler up to all cores (none: the three kinds already ask for 32,004 of 32,000
 * cores). Tasks come in batches of 200, offered as a Mesos master would: one offer per agent with
 * its own id; an agent that got tasks comes back with a new offer (new id) of what is left, the
 * others keep theirs, so a strategy can tell which agents changed.
 *
 * <p>Fenzo 1.0.1's {@code TaskScheduler} with its {@code cpuMemBinPacker} and the test's
 * "fitness good enough" of 0.5, against MesosKit's {@code binPack()} (and, for reference, its
 * {@code firstFit()}, {@code dotProduct()}, {@code l2Norm()} and {@code consolidate()}, and core's
 * first fit) on identical inputs. One operation is one task, so the
 * score is tasks per second; each strategy's final utilization is printed once per trial.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LotsOfTasks}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
// Five warm-up iterations: with three, the JIT was still compiling the packing loop in the first
// measured iteration.
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class LotsOfTasksBenchmark {
  static final int HOSTS = 2_000;
  static final int CORES = 16;
  static final int BATCH = 200;
  static final long SEED = 5;
  /** 6,400 one-core, 1,600 half-host and 1,067 three-quarter-host tasks. */
  static final int TASKS = 9_067;

  private double[] cpus;
  private List<PendingTask> pending;
  private List<TaskRequest> requests;
  private final Map<String, Double> utilization = new HashMap<>();

  @Setup(Level.Trial)
  public void setUp() {
    cpus = workload(new Random(SEED));
    if (cpus.length != TASKS) {
      throw new IllegalStateException("workload has " + cpus.length + " tasks");
    }
    pending = new ArrayList<>();
    requests = new ArrayList<>();
    for (int t = 0; t < cpus.length; t++) {
      ResourceSpec needs = ResourceSpec.builder().cpus(cpus[t]).memMb(cpus[t] * 1000).ports(1)
          .build();
      pending.add(new PendingTask(TaskId.of("t" + t),
          TaskSpec.builder().name("t" + t).resources(needs).command("true").build()));
      requests.add(FenzoLeases.task("t" + t, cpus[t], cpus[t] * 1000, 0, 0, 1, Map.of()));
    }
  }

  /** The cores of each task, in the order the test submits them (its shuffle, seeded). */
  static double[] workload(Random random) {
    List<Double> requests = new ArrayList<>();
    int used = 0;
    for (int t = 0; t < HOSTS * CORES * 0.2; t++, used++) {
      requests.add(1.0);
    }
    for (int t = 0; t < CORES * HOSTS * 0.4 / (CORES / 2); t++) {
      requests.add(CORES / 2.0);
      used += CORES / 2;
    }
    double threeQuarter = 1.0 - 0.4 - 0.2;
    for (int t = 0; t < CORES * HOSTS * threeQuarter / (CORES * 0.75); t++) {
      requests.add(CORES * 0.75);
      used += (int) (CORES * 0.75);
    }
    for (int t = 0; t < CORES * HOSTS - used; t++) {
      requests.add(1.0);
    }
    // The test's shuffle: 20 sweeps, each moving about half of what is left to the result.
    List<Double> result = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      var it = requests.iterator();
      while (it.hasNext()) {
        Double r = it.next();
        if (random.nextInt(10) % 2 == 0) {
          result.add(r);
          it.remove();
        }
      }
    }
    result.addAll(requests);
    return result.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @TearDown(Level.Trial)
  public void report() {
    utilization.forEach((name, u) -> System.out.printf("%nutilization %s: %.2f%%%n", name, u));
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public double fenzoCpuMemBinPacker() {
    TaskScheduler scheduler = new TaskScheduler.Builder()
        .withFitnessCalculator(BinPackingFitnessCalculators.cpuMemBinPacker)
        .withFitnessGoodEnoughFunction(fitness -> fitness >= 0.5)
        .withLeaseOfferExpirySecs(1_000_000)
        .withLeaseRejectAction(lease -> {
          throw new IllegalStateException("Fenzo rejected the lease of " + lease.hostname());
        })
        .build();
    List<VirtualMachineLease> leases = new ArrayList<>();
    int[] leaseIds = {0};
    for (int h = 0; h < HOSTS; h++) {
      leases.add(FenzoLeases.lease("l" + leaseIds[0]++, "h" + h, CORES, CORES * 1000, 0, 0,
          List.of(new VirtualMachineLease.Range(1, 10)), Map.of()));
    }
    double assigned = 0;
    for (int from = 0; from < TASKS; from += BATCH) {
      SchedulingResult result =
          scheduler.scheduleOnce(requests.subList(from, Math.min(from + BATCH, TASKS)), leases);
      leases = new ArrayList<>();
      for (VMAssignmentResult vm : result.getResultMap().values()) {
        double usedCpus = 0;
        List<Integer> usedPorts = new ArrayList<>();
        for (TaskAssignmentResult t : vm.getTasksAssigned()) {
          scheduler.getTaskAssigner().call(t.getRequest(), vm.getHostname());
          usedCpus += t.getRequest().getCPUs();
          usedPorts.addAll(t.getAssignedPorts());
        }
        assigned += usedCpus;
        double freeCpus = 0;
        List<VirtualMachineLease.Range> freePorts = new ArrayList<>();
        for (VirtualMachineLease l : vm.getLeasesUsed()) {
          freeCpus += l.cpuCores();
          for (VirtualMachineLease.Range r : l.portRanges()) {
            for (int p = r.getBeg(); p <= r.getEnd(); p++) {
              if (!usedPorts.contains(p)) {
                freePorts.add(new VirtualMachineLease.Range(p, p));
              }
            }
          }
        }
        double left = freeCpus - usedCpus;
        if (left > 0) {
          leases.add(FenzoLeases.lease("l" + leaseIds[0]++, vm.getHostname(), left, left * 1000,
              0, 0, freePorts, Map.of()));
        }
      }
    }
    scheduler.shutdown();
    return record("fenzoCpuMemBinPacker", assigned);
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public double mesoskitBinPack() {
    return mesoskit("mesoskitBinPack", PackingStrategies.binPack());
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public double mesoskitFirstFit() {
    return mesoskit("mesoskitFirstFit", PackingStrategies.firstFit());
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public double mesoskitDotProduct() {
    return mesoskit("mesoskitDotProduct", PackingStrategies.dotProduct());
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public double mesoskitL2Norm() {
    return mesoskit("mesoskitL2Norm", PackingStrategies.l2Norm());
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public double mesoskitConsolidate() {
    return mesoskit("mesoskitConsolidate", PackingStrategies.consolidate());
  }

  @Benchmark
  @OperationsPerInvocation(TASKS)
  public double coreFirstFit() {
    return mesoskit("coreFirstFit", PackingStrategy.firstFit());
  }

  /**
   * The same batches through a MesosKit strategy, one packer for the whole run as a framework
   * has: an agent's leftovers come back under a new offer id, untouched agents keep their offer.
   */
  private double mesoskit(String name, PackingStrategy strategy) {
    Offer[] offers = new Offer[HOSTS];
    Map<String, Integer> hostOf = new HashMap<>();
    Resources full = Resources.parse("cpus:" + CORES + ";mem:" + CORES * 1000 + ";ports:[1-10]");
    for (int h = 0; h < HOSTS; h++) {
      offers[h] = Offer.of("o" + h, "a" + h, "h" + h, full);
      hostOf.put("a" + h, h);
    }
    int offerIds = HOSTS;
    double assigned = 0;
    List<Offer> offered = new ArrayList<>(HOSTS);
    for (int from = 0; from < TASKS; from += BATCH) {
      offered.clear();
      for (Offer o : offers) {
        if (o != null) {
          offered.add(o);
        }
      }
      Packing packing = strategy.pack(pending.subList(from, Math.min(from + BATCH, TASKS)),
          offered);
      for (Placement p : packing.placements()) {
        int h = hostOf.get(p.agentId());
        Resources left = offers[h].resources().minus(p.resources());
        assigned += p.resources().scalar("cpus");
        offers[h] = left.scalar("cpus") > 0 && left.scalar("mem") > 0
            ? Offer.of("o" + offerIds++, p.agentId(), "h" + h, left) : null;
      }
    }
    return record(name, assigned);
  }

  private double record(String name, double assignedCpus) {
    double u = 100.0 * assignedCpus / (HOSTS * CORES);
    utilization.put(name, u);
    return u;
  }
}
