package dev.mesoskit.benchmarks;

import com.netflix.fenzo.ConstraintEvaluator;
import com.netflix.fenzo.SchedulingResult;
import com.netflix.fenzo.TaskAssignmentResult;
import com.netflix.fenzo.TaskRequest;
import com.netflix.fenzo.TaskScheduler;
import com.netflix.fenzo.VMAssignmentResult;
import com.netflix.fenzo.VMTaskFitnessCalculator;
import com.netflix.fenzo.VirtualMachineLease;
import com.netflix.fenzo.functions.Func1;
import com.netflix.fenzo.plugins.BalancedHostAttrConstraint;
import com.netflix.fenzo.plugins.BinPackingFitnessCalculators;
import com.netflix.fenzo.plugins.UniqueHostAttrConstraint;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.offers.Constraints;
import dev.mesoskit.offers.Packer;
import dev.mesoskit.offers.PackingStrategies;
import dev.mesoskit.offers.TaskGroups;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.mesos.Protos;

/**
 * One packing pass of 10,000 pending tasks over 2,000 agents in 5 zones, with constraints on part
 * of them, through MesosKit's {@code binPack()} and through Fenzo 1.0.1 with its equivalent
 * constraints, on the same hosts and tasks; then a count, per host and zone, of whether either
 * broke a constraint or over-committed a host.
 *
 * <p>Agents: 16 cpus, 64,000 MB, ports 31000-31099, attribute {@code zone} z0..z4 (agent h in
 * zone h mod 5). Tasks, shuffled with a fixed seed: 20 groups of 100 tasks that must each run on
 * distinct hosts (MesosKit {@code Constraints.uniqueHost()} per label value; Fenzo
 * {@code UniqueHostAttrConstraint}), 20 groups of 150 tasks to be spread evenly over the zones
 * (MesosKit {@code Constraints.groupBy("zone")}; Fenzo {@code BalancedHostAttrConstraint} over 5
 * values, hard), and 5,000 without constraints; each task asks 1, 2 or 4 cpus, 1,000 MB per cpu
 * and one port (23,000 of the 32,000 cpus in all).
 *
 * <p>A plain program (one Fenzo pass takes tens of seconds): warm-up passes of each (default 2),
 * then measured passes alternating between the two (default 3); prints the median pass time of
 * each and their ratio, and for the last measured pass of each the tasks placed and the
 * violations, each listed. Exits with status 1 if MesosKit broke a constraint.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.mesoskit.benchmarks.ConstraintsBenchmark [warm-up passes] [measured passes]}
 */
public final class ConstraintsBenchmark {
  static final int HOSTS = 2_000;
  static final int ZONES = 5;
  static final int CPUS = 16;
  static final int MEM = 64_000;
  static final int UNIQUE_GROUPS = 20;
  static final int UNIQUE_SIZE = 100;
  static final int SPREAD_GROUPS = 20;
  static final int SPREAD_SIZE = 150;
  static final int TASKS = 10_000;
  static final long SEED = 23;

  /** One task of the workload: its cpus and its group, if any. */
  record Task(String id, int cpus, String unique, String spread) {}

  /** Where a strategy put each task: task id to host index. */
  record Outcome(Map<String, Integer> hostOf) {}

  private final List<Task> tasks;
  private final List<PendingTask> pending = new ArrayList<>();
  private final List<Offer> offers = new ArrayList<>();
  private final Map<String, Integer> agentIndex = new HashMap<>();
  private final Map<String, Set<String>> coTasks = new HashMap<>();

  ConstraintsBenchmark() {
    tasks = workload(new Random(SEED));
    Resources agent = Resources.parse("cpus:" + CPUS + ";mem:" + MEM + ";ports:[31000-31099]");
    for (int h = 0; h < HOSTS; h++) {
      offers.add(new Offer("o" + h, "a" + h, "h" + h, agent, Map.of("zone", zone(h)), Set.of()));
      agentIndex.put("a" + h, h);
    }
    Map<String, Set<String>> groups = new HashMap<>();
    for (Task t : tasks) {
      TaskSpec.Builder spec = TaskSpec.builder().name(t.id()).command("true")
          .resources(ResourceSpec.builder().cpus(t.cpus()).memMb(t.cpus() * 1000.0).ports(1)
              .build());
      if (t.unique() != null) {
        spec.label("unique", t.unique());
        groups.computeIfAbsent(t.unique(), g -> new HashSet<>()).add(t.id());
      }
      if (t.spread() != null) {
        spec.label("spread", t.spread());
        groups.computeIfAbsent(t.spread(), g -> new HashSet<>()).add(t.id());
      }
      pending.add(new PendingTask(TaskId.of(t.id()), spec.build()));
    }
    for (Task t : tasks) {
      String g = t.unique() != null ? t.unique() : t.spread();
      coTasks.put(t.id(), g == null ? Set.of() : groups.get(g));
    }
  }

  static String zone(int host) {
    return "z" + host % ZONES;
  }

  static List<Task> workload(Random random) {
    List<Task> result = new ArrayList<>();
    int n = 0;
    int[] sizes = {1, 2, 4};
    for (int g = 0; g < UNIQUE_GROUPS; g++) {
      for (int i = 0; i < UNIQUE_SIZE; i++) {
        result.add(new Task("t" + n++, sizes[random.nextInt(3)], "u" + g, null));
      }
    }
    for (int g = 0; g < SPREAD_GROUPS; g++) {
      for (int i = 0; i < SPREAD_SIZE; i++) {
        result.add(new Task("t" + n++, sizes[random.nextInt(3)], null, "s" + g));
      }
    }
    while (n < TASKS) {
      result.add(new Task("t" + n++, sizes[random.nextInt(3)], null, null));
    }
    Collections.shuffle(result, random);
    return result;
  }

  /** One pass through MesosKit's binPack() with the constraints. */
  Outcome mesoskit() {
    Packer packer = PackingStrategies.binPack()
        .constrain(TaskGroups.byLabel("unique"), Constraints.uniqueHost())
        .constrain(TaskGroups.byLabel("spread"), Constraints.groupBy("zone"));
    Packing packing = packer.pack(pending, offers);
    Map<String, Integer> hostOf = new HashMap<>();
    for (Placement p : packing.placements()) {
      hostOf.put(p.taskId().value(), agentIndex.get(p.agentId()));
    }
    return new Outcome(hostOf);
  }

  /** One pass through Fenzo's TaskScheduler with its equivalent constraints. */
  Outcome fenzo() {
    TaskScheduler scheduler = new TaskScheduler.Builder()
        .withFitnessCalculator(BinPackingFitnessCalculators.cpuMemBinPacker)
        .withFitnessGoodEnoughFunction(fitness -> fitness >= 0.5)
        .withLeaseOfferExpirySecs(1_000_000)
        .withLeaseRejectAction(lease -> {
          throw new IllegalStateException("Fenzo rejected the lease of " + lease.hostname());
        })
        .build();
    Func1<String, Set<String>> coTasksOf = coTasks::get;
    ConstraintEvaluator unique = new UniqueHostAttrConstraint(coTasksOf);
    ConstraintEvaluator balanced = new BalancedHostAttrConstraint(coTasksOf, "zone", ZONES);
    List<TaskRequest> requests = new ArrayList<>(TASKS);
    for (Task t : tasks) {
      List<ConstraintEvaluator> hard = t.unique() != null ? List.of(unique)
          : t.spread() != null ? List.of(balanced) : List.of();
      requests.add(constrained(FenzoLeases.task(t.id(), t.cpus(), t.cpus() * 1000.0, 0, 0, 1,
          Map.of()), hard));
    }
    List<VirtualMachineLease> leases = new ArrayList<>(HOSTS);
    for (int h = 0; h < HOSTS; h++) {
      leases.add(withZone(FenzoLeases.lease("l" + h, "h" + h, CPUS, MEM, 0, 0,
          List.of(new VirtualMachineLease.Range(31000, 31099)), Map.of()), zone(h)));
    }
    SchedulingResult result = scheduler.scheduleOnce(requests, leases);
    Map<String, Integer> hostOf = new HashMap<>();
    for (VMAssignmentResult vm : result.getResultMap().values()) {
      int h = Integer.parseInt(vm.getHostname().substring(1));
      for (TaskAssignmentResult a : vm.getTasksAssigned()) {
        hostOf.put(a.getRequest().getId(), h);
      }
    }
    scheduler.shutdown();
    return new Outcome(hostOf);
  }

  /**
   * The constraints and capacities {@code outcome} breaks: a host with two tasks of a unique
   * group, a spread group whose zones differ by more than one task, a host given more cpus, mem
   * or ports than it has.
   */
  List<String> violations(Outcome outcome) {
    List<String> found = new ArrayList<>();
    Map<String, int[]> perHost = new HashMap<>();
    Map<String, int[]> perZone = new HashMap<>();
    int[] cpus = new int[HOSTS];
    int[] ports = new int[HOSTS];
    for (Task t : tasks) {
      Integer h = outcome.hostOf().get(t.id());
      if (h == null) {
        continue;
      }
      cpus[h] += t.cpus();
      ports[h]++;
      if (t.unique() != null
          && ++perHost.computeIfAbsent(t.unique(), g -> new int[HOSTS])[h] == 2) {
        found.add("unique host: group " + t.unique() + " has two tasks on h" + h);
      }
      if (t.spread() != null) {
        perZone.computeIfAbsent(t.spread(), g -> new int[ZONES])[h % ZONES]++;
      }
    }
    perZone.forEach((group, counts) -> {
      int min = Arrays.stream(counts).min().orElse(0);
      int max = Arrays.stream(counts).max().orElse(0);
      if (max - min > 1) {
        found.add("group by zone: group " + group + " has " + Arrays.toString(counts)
            + " tasks in zones z0..z4");
      }
    });
    for (int h = 0; h < HOSTS; h++) {
      // Memory is 1,000 MB per cpu, so cpus within capacity means mem within it too.
      if (cpus[h] > CPUS || ports[h] > 100) {
        found.add("capacity: h" + h + " got " + cpus[h] + " cpus and " + ports[h] + " ports");
      }
    }
    return found;
  }

  /** Runs warm-up and measured passes and prints times, placements and violations. */
  public static void main(String[] args) throws Exception {
    int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    ConstraintsBenchmark bench = new ConstraintsBenchmark();
    for (int i = 0; i < warmups; i++) {
      bench.mesoskit();
      bench.fenzo();
    }
    long[] mkNanos = new long[runs];
    long[] fzNanos = new long[runs];
    Outcome mk = null;
    Outcome fz = null;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      mk = bench.mesoskit();
      mkNanos[i] = System.nanoTime() - start;
      start = System.nanoTime();
      fz = bench.fenzo();
      fzNanos[i] = System.nanoTime() - start;
    }
    double mkMs = median(mkNanos) / 1e6;
    double fzMs = median(fzNanos) / 1e6;
    System.out.printf("%d tasks (%d unique-host in %d groups, %d group-by-zone in %d groups),"
        + " %d agents in %d zones; %d warm-up and %d measured passes each%n", TASKS,
        UNIQUE_GROUPS * UNIQUE_SIZE, UNIQUE_GROUPS, SPREAD_GROUPS * SPREAD_SIZE, SPREAD_GROUPS,
        HOSTS, ZONES, warmups, runs);
    System.out.println("| strategy | pass time (median) | tasks placed | violations |");
    System.out.println("|---|---|---|---|");
    List<String> mkBad = bench.violations(mk);
    List<String> fzBad = bench.violations(fz);
    System.out.printf("| Fenzo 1.0.1 cpuMemBinPacker + constraints | %.1f ms | %d | %d |%n", fzMs,
        fz.hostOf().size(), fzBad.size());
    System.out.printf("| MesosKit binPack() + constraints | %.1f ms | %d | %d |%n", mkMs,
        mk.hostOf().size(), mkBad.size());
    System.out.printf("MesosKit's pass is %.1fx as fast as Fenzo's (Fenzo %.1f ms / MesosKit %.1f"
        + " ms)%n", fzMs / mkMs, fzMs, mkMs);
    fzBad.stream().limit(20).forEach(v -> System.out.println("Fenzo violation: " + v));
    mkBad.forEach(v -> System.out.println("MesosKit violation: " + v));
    Path load = Path.of("/proc/loadavg");
    if (Files.isReadable(load)) {
      System.out.println("load average: " + Files.readString(load).trim());
    }
    if (!mkBad.isEmpty()) {
      System.exit(1);
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }

  /** {@code lease} with the attribute {@code zone}. */
  private static VirtualMachineLease withZone(VirtualMachineLease lease, String zone) {
    // Fenzo looks up a null key; an immutable map would throw.
    Map<String, Protos.Attribute> attributes = new HashMap<>();
    attributes.put("zone", Protos.Attribute.newBuilder().setName("zone")
        .setType(Protos.Value.Type.TEXT).setText(Protos.Value.Text.newBuilder().setValue(zone))
        .build());
    return new VirtualMachineLease() {
      @Override
      public String getId() {
        return lease.getId();
      }

      @Override
      public long getOfferedTime() {
        return lease.getOfferedTime();
      }

      @Override
      public String hostname() {
        return lease.hostname();
      }

      @Override
      public String getVMID() {
        return lease.getVMID();
      }

      @Override
      public double cpuCores() {
        return lease.cpuCores();
      }

      @Override
      public double memoryMB() {
        return lease.memoryMB();
      }

      @Override
      public double networkMbps() {
        return lease.networkMbps();
      }

      @Override
      public double diskMB() {
        return lease.diskMB();
      }

      @Override
      public List<Range> portRanges() {
        return lease.portRanges();
      }

      @Override
      public Protos.Offer getOffer() {
        return lease.getOffer();
      }

      @Override
      public Map<String, Protos.Attribute> getAttributeMap() {
        return attributes;
      }

      @Override
      public Double getScalarValue(String name) {
        return lease.getScalarValue(name);
      }

      @Override
      public Map<String, Double> getScalarValues() {
        return lease.getScalarValues();
      }
    };
  }

  /** {@code task} with the hard constraints {@code hard}. */
  private static TaskRequest constrained(TaskRequest task, List<ConstraintEvaluator> hard) {
    return new TaskRequest() {
      @Override
      public String getId() {
        return task.getId();
      }

      @Override
      public String taskGroupName() {
        return task.taskGroupName();
      }

      @Override
      public double getCPUs() {
        return task.getCPUs();
      }

      @Override
      public double getMemory() {
        return task.getMemory();
      }

      @Override
      public double getNetworkMbps() {
        return task.getNetworkMbps();
      }

      @Override
      public double getDisk() {
        return task.getDisk();
      }

      @Override
      public int getPorts() {
        return task.getPorts();
      }

      @Override
      public Map<String, Double> getScalarRequests() {
        return task.getScalarRequests();
      }

      @Override
      public Map<String, NamedResourceSetRequest> getCustomNamedResources() {
        return task.getCustomNamedResources();
      }

      @Override
      public List<? extends ConstraintEvaluator> getHardConstraints() {
        return hard;
      }

      @Override
      public List<? extends VMTaskFitnessCalculator> getSoftConstraints() {
        return task.getSoftConstraints();
      }

      @Override
      public void setAssignedResources(AssignedResources assignedResources) {
        task.setAssignedResources(assignedResources);
      }

      @Override
      public AssignedResources getAssignedResources() {
        return task.getAssignedResources();
      }
    };
  }
}
