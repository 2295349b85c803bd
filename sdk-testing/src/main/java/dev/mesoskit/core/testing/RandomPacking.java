package dev.mesoskit.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.NamedResource;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.PendingTask;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Random packing inputs and the checks every packing strategy's property tests share: sdk-core's
 * first fit and sdk-offers' strategies draw from the same generators and hold to the same rules.
 */
public final class RandomPacking {
  private RandomPacking() {}

  /**
   * Whether the task (and its executor, unless running) fits in {@code free}.
   *
   * @param free the resources left
   * @param task the task
   * @param running the executors already running where {@code free} is
   * @return true when it fits
   */
  public static boolean fits(Resources free, PendingTask task, Set<String> running) {
    Optional<Resources> own = free.allocate(task.spec().resources());
    Optional<ExecutorSpec> exec = task.spec().executor();
    if (own.isEmpty() || exec.isEmpty() || running.contains(exec.get().id())) {
      return own.isPresent();
    }
    return free.minus(own.get()).allocate(exec.get().resources()).isPresent();
  }

  /**
   * Asserts that concrete resources are exactly what the spec asks for.
   *
   * @param taken the resources a placement took
   * @param spec what was asked for
   * @param as describes the case in a failure
   */
  public static void assertMatches(Resources taken, ResourceSpec spec, Supplier<String> as) {
    assertThat(taken.scalar("cpus")).as(as).isEqualTo(spec.cpus());
    assertThat(taken.scalar("mem")).as(as).isEqualTo(spec.memMb());
    assertThat(taken.scalar("disk")).as(as).isEqualTo(spec.diskMb());
    assertThat(taken.scalar("gpus")).as(as).isEqualTo((double) spec.gpus());
    assertThat(taken.ranges("ports").size()).as(as).isEqualTo(spec.portsNeeded());
    if (!spec.ports().isEmpty()) {
      assertThat(taken.ranges("ports")).as(as).isEqualTo(spec.ports());
    }
    for (NamedResource n : spec.named()) {
      switch (n.type()) {
        case SCALAR -> assertThat(taken.scalar(n.name())).as(as).isEqualTo(n.amount());
        case RANGES -> {
          assertThat(taken.ranges(n.name()).size()).as(as).isEqualTo((long) n.quantity());
          if (!n.counted()) {
            assertThat(taken.ranges(n.name())).as(as).isEqualTo(n.ranges());
          }
        }
        case SET -> {
          assertThat(taken.items(n.name()).size()).as(as).isEqualTo((int) n.quantity());
          if (!n.counted()) {
            assertThat(taken.items(n.name())).as(as).isEqualTo(n.items());
          }
        }
        default -> throw new AssertionError(n.type());
      }
    }
    assertThat(taken.list()).as(() -> as.get() + ": took a resource the spec does not ask for")
        .allMatch(r -> ResourceSpec.NAMES.contains(r.name()) || spec.named(r.name()).isPresent());
    if (spec.role().isPresent()) {
      assertThat(taken.list()).as(as).allMatch(r -> r.role().equals(spec.role().get()));
    }
  }

  /**
   * Two executors, e1 and e2, with random needs.
   *
   * @param random the source of the needs
   * @return the executors by id
   */
  public static Map<String, ExecutorSpec> executors(Random random) {
    return executors(random, false);
  }

  /**
   * Two executors, e1 and e2, with random needs; with {@code named}, some also ask for
   * {@code licenses}.
   *
   * @param random the source of the needs
   * @param named whether executors may ask for named resources too
   * @return the executors by id
   */
  public static Map<String, ExecutorSpec> executors(Random random, boolean named) {
    Map<String, ExecutorSpec> executors = new LinkedHashMap<>();
    for (String id : List.of("e1", "e2")) {
      ResourceSpec.Builder b = ResourceSpec.builder()
          .cpus((1 + random.nextInt(5)) / 10.0).memMb(16 + random.nextInt(49));
      if (random.nextInt(4) == 0) {
        b.ports(1);
      }
      if (named && random.nextInt(3) == 0) {
        b.scalar("licenses", 0.5);
      }
      executors.put(id, ExecutorSpec.of(id, CommandSpec.shell("./" + id)).resources(b.build()));
    }
    return executors;
  }

  /**
   * Up to four agents with one to three offers each, ports dealt out without overlap.
   *
   * @param random the source of the offers
   * @param executorIds executors that may already run on an agent
   * @return the offers
   */
  public static List<Offer> offers(Random random, Set<String> executorIds) {
    return offers(random, executorIds, false);
  }

  /**
   * Up to four agents with one to three offers each, ports dealt out without overlap; with
   * {@code named}, offers also hold some of a scalar {@code licenses} (in thousandths) and of a
   * set {@code zones} of items a to d.
   *
   * @param random the source of the offers
   * @param executorIds executors that may already run on an agent
   * @param named whether offers hold named resources too
   * @return the offers
   */
  public static List<Offer> offers(Random random, Set<String> executorIds, boolean named) {
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
        if (named) {
          resources.add(Resource.scalar("licenses", random.nextInt(3001) / 1000.0)
              .withRole(role));
          Set<String> items = new HashSet<>();
          for (String item : List.of("a", "b", "c", "d")) {
            if (random.nextInt(3) == 0) {
              items.add(item);
            }
          }
          resources.add(new Resource("zones", new Resource.SetValue(items), role,
              Optional.empty(), Optional.empty()));
        }
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

  /**
   * One to ten tasks on e1, e2 or a command, with random needs, ports, roles, labels.
   *
   * @param random the source of the tasks
   * @param execs the executors tasks may run on
   * @return the tasks
   */
  public static List<PendingTask> tasks(Random random, Map<String, ExecutorSpec> execs) {
    return tasks(random, execs, false);
  }

  /**
   * One to ten tasks on e1, e2 or a command, with random needs, ports, roles, labels; with
   * {@code named}, some also ask for {@code licenses} (a scalar) and {@code zones} (a count or
   * one specific item of a set).
   *
   * @param random the source of the tasks
   * @param execs the executors tasks may run on
   * @param named whether tasks ask for named resources too
   * @return the tasks
   */
  public static List<PendingTask> tasks(Random random, Map<String, ExecutorSpec> execs,
      boolean named) {
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
      if (named && random.nextBoolean()) {
        r.scalar("licenses", (1 + random.nextInt(1500)) / 1000.0);
      }
      if (named && random.nextInt(3) == 0) {
        if (random.nextBoolean()) {
          r.set("zones", 1 + random.nextInt(2));
        } else {
          r.set("zones", Set.of(List.of("a", "b", "c", "d").get(random.nextInt(4))));
        }
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
