package dev.mesoskit.offers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random passes for every strategy: the framework's own checks never fail, decisions repeat,
 * every task is placed or explained, and a task left pending fits no agent.
 */
class PackingPropertiesTest {

  static List<Supplier<Packer>> everyStrategy() {
    return PackingStrategiesTest.everyStrategy().toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everyStrategy")
  void neverOverCommitsAnOfferAndChargesEachExecutorOncePerAgent(Supplier<Packer> strategy) {
    Random random = new Random(42);
    int placed = 0;
    int unplaced = 0;
    int executorsStarted = 0;
    for (int pass = 0; pass < 400; pass++) {
      Map<String, ExecutorSpec> executors = randomExecutors(random);
      List<Offer> offers = randomOffers(random, executors.keySet());
      List<PendingTask> tasks = randomTasks(random, executors);
      boolean constrained = random.nextInt(3) == 0;
      Supplier<Packer> packer = constrained
          ? () -> strategy.get().constrain(TaskGroups.byLabel("g"), Constraints.uniqueHost())
          : strategy;
      int n = pass;
      Supplier<String> as = () -> "pass " + n + ": offers " + offers + ", tasks " + tasks;

      Packing packing = packer.get().pack(tasks, offers);

      assertThat(packer.get().pack(tasks, offers)).as(as).isEqualTo(packing);
      executorsStarted += replayAsTheFrameworkDoes(tasks, offers, packing, as);
      if (constrained) {
        checkUniqueHostsPerGroup(tasks, offers, packing, as);
      } else {
        checkNothingLeftFits(tasks, offers, packing, as);
      }
      placed += packing.placements().size();
      unplaced += packing.unplaced().size();
    }
    // Every outcome must be common for the test to mean anything.
    assertThat(placed).isGreaterThan(500);
    assertThat(unplaced).isGreaterThan(300);
    assertThat(executorsStarted).isGreaterThan(100);
  }

  /**
   * Replays the placements in order as {@code FrameworkRuntime#onOffers} validates them: each
   * task's and executor's resources, one after the other, must be left in the agent's pool.
   */
  private static int replayAsTheFrameworkDoes(List<PendingTask> tasks, List<Offer> offers,
      Packing packing, Supplier<String> as) {
    Map<String, Resources> free = new LinkedHashMap<>();
    Map<String, Set<String>> running = new HashMap<>();
    for (Offer o : offers) {
      free.merge(o.agentId(), o.resources(), Resources::plus);
      running.computeIfAbsent(o.agentId(), a -> new HashSet<>()).addAll(o.executorIds());
    }
    Map<TaskId, PendingTask> byId = new HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    Set<TaskId> seen = new HashSet<>();
    int started = 0;
    for (Placement p : packing.placements()) {
      assertThat(seen.add(p.taskId())).as(as).isTrue();
      assertThat(packing.unplaced()).as(as).doesNotContainKey(p.taskId());
      TaskSpec spec = byId.get(p.taskId()).spec();
      assertMatches(p.resources(), spec.resources(), as);
      Optional<ExecutorSpec> exec = spec.executor();
      if (exec.isPresent() && running.get(p.agentId()).add(exec.get().id())) {
        assertMatches(p.executorResources(), exec.get().resources(), as);
        started++;
      } else {
        assertThat(p.executorResources()).as(as).isEqualTo(Resources.empty());
      }
      Resources left = free.get(p.agentId());
      for (Resources taken : List.of(p.resources(), p.executorResources())) {
        assertThat(left.contains(taken)).as(as.get() + ": " + p + " over-commits " + left)
            .isTrue();
        left = left.minus(taken);
      }
      free.put(p.agentId(), left);
    }
    assertThat(seen.size() + packing.unplaced().size()).as(as).isEqualTo(tasks.size());
    assertThat(packing.unplaced().values()).as(as).allMatch(reason -> !reason.isBlank());
    return started;
  }

  /** Without constraints, a task left pending fits on no agent as the pass left it. */
  private static void checkNothingLeftFits(List<PendingTask> tasks, List<Offer> offers,
      Packing packing, Supplier<String> as) {
    Map<String, Resources> free = new LinkedHashMap<>();
    Map<String, Set<String>> running = new HashMap<>();
    for (Offer o : offers) {
      free.merge(o.agentId(), o.resources(), Resources::plus);
      running.computeIfAbsent(o.agentId(), a -> new HashSet<>()).addAll(o.executorIds());
    }
    Map<TaskId, PendingTask> byId = new HashMap<>();
    tasks.forEach(t -> byId.put(t.id(), t));
    for (Placement p : packing.placements()) {
      free.put(p.agentId(), free.get(p.agentId()).minus(p.resources())
          .minus(p.executorResources()));
      byId.get(p.taskId()).spec().executor()
          .ifPresent(e -> running.get(p.agentId()).add(e.id()));
    }
    for (TaskId id : packing.unplaced().keySet()) {
      PendingTask task = byId.get(id);
      for (String agent : free.keySet()) {
        assertThat(fits(free.get(agent), task, running.get(agent)))
            .as(as.get() + ", " + id + " was left pending but fits on " + agent).isFalse();
      }
    }
  }

  private static void checkUniqueHostsPerGroup(List<PendingTask> tasks, List<Offer> offers,
      Packing packing, Supplier<String> as) {
    Map<String, String> hostOf = new HashMap<>();
    offers.forEach(o -> hostOf.put(o.agentId(), o.hostname()));
    Map<TaskId, String> groupOf = new HashMap<>();
    tasks.forEach(t -> groupOf.put(t.id(), t.spec().labels().get("g")));
    Set<String> used = new HashSet<>();
    for (Placement p : packing.placements()) {
      String group = groupOf.get(p.taskId());
      if (group != null) {
        assertThat(used.add(group + "@" + hostOf.get(p.agentId()))).as(as).isTrue();
      }
    }
  }

  private static boolean fits(Resources free, PendingTask task, Set<String> running) {
    Optional<Resources> own = free.allocate(task.spec().resources());
    Optional<ExecutorSpec> exec = task.spec().executor();
    if (own.isEmpty() || exec.isEmpty() || running.contains(exec.get().id())) {
      return own.isPresent();
    }
    return free.minus(own.get()).allocate(exec.get().resources()).isPresent();
  }

  private static void assertMatches(Resources taken, ResourceSpec spec, Supplier<String> as) {
    assertThat(taken.scalar("cpus")).as(as).isEqualTo(spec.cpus());
    assertThat(taken.scalar("mem")).as(as).isEqualTo(spec.memMb());
    assertThat(taken.scalar("disk")).as(as).isEqualTo(spec.diskMb());
    assertThat(taken.scalar("gpus")).as(as).isEqualTo((double) spec.gpus());
    assertThat(taken.ranges("ports").size()).as(as).isEqualTo(spec.portsNeeded());
    if (!spec.ports().isEmpty()) {
      assertThat(taken.ranges("ports")).as(as).isEqualTo(spec.ports());
    }
    if (spec.role().isPresent()) {
      assertThat(taken.list()).as(as).allMatch(r -> r.role().equals(spec.role().get()));
    }
  }

  // ---- random inputs

  private static Map<String, ExecutorSpec> randomExecutors(Random random) {
    Map<String, ExecutorSpec> executors = new LinkedHashMap<>();
    for (String id : List.of("e1", "e2")) {
      ResourceSpec.Builder b = ResourceSpec.builder()
          .cpus((1 + random.nextInt(5)) / 10.0).memMb(16 + random.nextInt(49));
      if (random.nextInt(4) == 0) {
        b.ports(1);
      }
      executors.put(id, ExecutorSpec.of(id, CommandSpec.shell("./" + id)).resources(b.build()));
    }
    return executors;
  }

  private static List<Offer> randomOffers(Random random, Set<String> executorIds) {
    List<Offer> offers = new ArrayList<>();
    int agents = random.nextInt(5);
    for (int a = 0; a < agents; a++) {
      int count = 1 + random.nextInt(3);
      // The agent's ports, dealt out to its offers so that no two offers share one.
      List<List<Long>> ports = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        ports.add(new ArrayList<>());
      }
      for (long port = 31000; port < 31010; port++) {
        if (random.nextInt(3) > 0) {
          ports.get(random.nextInt(count)).add(port);
        }
      }
      // Two agents may share a hostname (an agent that registered again).
      String host = "h" + random.nextInt(Math.max(1, agents - 1));
      for (int i = 0; i < count; i++) {
        List<Resource> resources = new ArrayList<>();
        String role = random.nextInt(4) == 0 ? "prod" : Resource.UNRESERVED;
        resources.add(Resource.scalar("cpus", random.nextInt(2001) / 1000.0).withRole(role));
        resources.add(Resource.scalar("mem", random.nextInt(1025)).withRole(role));
        if (random.nextBoolean()) {
          resources.add(Resource.scalar("disk", random.nextInt(1000)).withRole(role));
        }
        if (random.nextInt(4) == 0) {
          resources.add(Resource.scalar("gpus", random.nextInt(3)).withRole(role));
        }
        long[] values = ports.get(i).stream().mapToLong(Long::longValue).toArray();
        resources.add(Resource.ranges("ports", Ranges.ofValues(values)).withRole(role));
        Set<String> running = new HashSet<>();
        for (String id : executorIds) {
          if (random.nextInt(5) == 0) {
            running.add(id);
          }
        }
        offers.add(new Offer("o" + a + "-" + i, "a" + a, host, Resources.of(resources),
            Map.of(), running));
      }
    }
    // Interleave the agents' offers.
    java.util.Collections.shuffle(offers, random);
    return offers;
  }

  private static List<PendingTask> randomTasks(Random random, Map<String, ExecutorSpec> execs) {
    List<PendingTask> tasks = new ArrayList<>();
    int count = 1 + random.nextInt(10);
    for (int i = 0; i < count; i++) {
      ResourceSpec.Builder r = ResourceSpec.builder()
          .cpus((1 + random.nextInt(1000)) / 1000.0)
          .memMb(1 + random.nextInt(512));
      if (random.nextInt(3) == 0) {
        r.diskMb(random.nextInt(300));
      }
      if (random.nextInt(6) == 0) {
        r.gpus(1);
      }
      switch (random.nextInt(4)) {
        case 0 -> r.ports(1 + random.nextInt(3));
        case 1 -> r.ports(Ranges.ofValues(31000 + random.nextInt(10)));
        default -> { }
      }
      if (random.nextInt(5) == 0) {
        r.role("prod");
      }
      TaskSpec.Builder spec = TaskSpec.builder().name("t" + i).resources(r.build());
      switch (random.nextInt(3)) {
        case 0 -> spec.executor(execs.get("e1"));
        case 1 -> spec.executor(execs.get("e2"));
        default -> spec.command("true");
      }
      if (random.nextBoolean()) {
        spec.label("g", random.nextBoolean() ? "x" : "y");
      }
      tasks.add(new PendingTask(TaskId.of("t" + i), spec.build()));
    }
    return tasks;
  }
}
