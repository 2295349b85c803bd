package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResourcesTest {

  // ---- parsing and printing ----

  @Test
  void parsesScalarsRangesAndSets() {
    Resources resources = Resources.parse("cpus:4;mem:4096;ports:[31000-31999];zones:{b,a}");

    assertThat(resources.list()).containsExactly(
        Resource.scalar("cpus", 4),
        Resource.scalar("mem", 4096),
        Resource.ranges("ports", Ranges.of(31000, 31999)),
        new Resource("zones", new Resource.SetValue(Set.of("a", "b")), Resource.UNRESERVED,
            Optional.empty(), Optional.empty()));
    assertThat(resources).hasToString("cpus:4;mem:4096;ports:[31000-31999];zones:{a,b}");
  }

  @Test
  void parsesRolesAndTreatsStarAsUnreserved() {
    Resources resources = Resources.parse("cpus(prod):2;cpus:1;mem(*):64");

    assertThat(resources.list()).containsExactly(
        Resource.scalar("cpus", 2).withRole("prod"),
        Resource.scalar("cpus", 1),
        Resource.scalar("mem", 64));
    assertThat(resources.list().get(0).isReserved()).isTrue();
    assertThat(resources.list().get(2).isReserved()).isFalse();
    assertThat(resources.reservedFor("prod")).isEqualTo(Resources.parse("cpus(prod):2"));
    assertThat(resources).hasToString("cpus(prod):2;cpus:1;mem:64");
  }

  @Test
  void mergesResourcesOfTheSameSlot() {
    Resources resources = Resources.parse(
        "cpus:1;mem:10;cpus:0.5;ports:[1-2];ports:[3-4];zones:{a};zones:{b};cpus(prod):1");

    assertThat(resources).hasToString("cpus:1.5;mem:10;ports:[1-4];zones:{a,b};cpus(prod):1");
    assertThat(resources.list()).hasSize(5);
  }

  @Test
  void dropsEmptyResources() {
    Resources resources = Resources.parse("cpus:0;mem:1;ports:[];zones:{}");

    assertThat(resources.list()).containsExactly(Resource.scalar("mem", 1));
    assertThat(Resources.of(Resource.scalar("cpus", 0), Resource.ranges("ports", Ranges.empty())))
        .isEqualTo(Resources.empty());
    assertThat(Resources.of(Resource.scalar("cpus", 0)).isEmpty()).isTrue();
  }

  @Test
  void equalityIgnoresOrder() {
    Resources a = Resources.parse("cpus:1;mem:2;ports:[5-6]");
    Resources b = Resources.parse("ports:[5-5];mem:2;ports:[6-6];cpus:1");

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(Resources.parse("cpus:1;mem:3;ports:[5-6]"));
    assertThat(a).isNotEqualTo(Resources.parse("cpus(prod):1;mem:2;ports:[5-6]"));
    assertThat(a).isNotEqualTo(Resources.parse("cpus:1;mem:2"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "cpus:-1       | resource 'cpus' must be >= 0 but was -1.0 in 'cpus:-1'",
    "cpus:abc      | resource 'cpus' must be a number but was 'abc' in 'cpus:abc'",
    "cpus:NaN      | resource 'cpus' must be a number but was 'NaN' in 'cpus:NaN'",
    "mem:Infinity  | resource 'mem' must be a number but was 'Infinity' in 'mem:Infinity'",
    "zones:{a,b    | resource 'zones' must be a set enclosed in {} but was '{a,b' in 'zones:{a,b'",
    "ports:[1-2    | ranges must be enclosed in [] but was '[1-2'",
    "cpus          | resource must be 'name:value' or 'name(role):value' but was 'cpus' in 'cpus'",
    "cpus:1;:2     | resource must be 'name:value' or 'name(role):value' but was ':2' in "
        + "'cpus:1;:2'",
    "cpus:         | resource must be 'name:value' or 'name(role):value' but was 'cpus:' in "
        + "'cpus:'",
    "cpus(:1       | resource role must be written 'name(role)' but was 'cpus(' in 'cpus(:1'",
    "cpus():1      | resource role must be written 'name(role)' but was 'cpus()' in 'cpus():1'",
    "(prod):1      | resource role must be written 'name(role)' but was '(prod)' in '(prod):1'",
    "cpus( ):1     | resource role must not be blank for cpus",
    "' ; '         | resources must not be empty but was ' ; '",
  })
  void rejectsMalformedText(String text, String message) {
    assertThatThrownBy(() -> Resources.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsInvalidResources() {
    assertThatThrownBy(() -> Resource.scalar(" ", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resource name must not be blank");
    assertThatThrownBy(() -> Resource.scalar("cpus", 1).withRole(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resource role must not be blank for cpus");
    assertThatThrownBy(() -> new Resource.Scalar(-0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scalar amount must be finite and >= 0 but was -0.5");
    assertThatThrownBy(() -> new Resource.Scalar(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scalar amount must be finite and >= 0 but was NaN");
    assertThatThrownBy(() -> new Resource.Scalar(Double.POSITIVE_INFINITY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("scalar amount must be finite and >= 0 but was Infinity");
  }

  // ---- scalar precision ----

  @Test
  void keepsScalarsToThreeDecimals() {
    assertThat(new Resource.Scalar(0.0005).amount()).isEqualTo(0.001);
    assertThat(new Resource.Scalar(0.0004).amount()).isEqualTo(0.0);
    assertThat(new Resource.Scalar(1.23456).amount()).isEqualTo(1.235);
    assertThat(new Resource.Scalar(2.0)).hasToString("2");
    assertThat(new Resource.Scalar(0.25)).hasToString("0.25");
  }

  @Test
  void addsScalarsWithoutFloatingPointDrift() {
    Resources sum = Resources.parse("cpus:0.1").plus(Resources.parse("cpus:0.2"));

    assertThat(sum.scalar("cpus")).isEqualTo(0.3);
    assertThat(sum.list()).containsExactly(Resource.scalar("cpus", 0.3));
    assertThat(sum).hasToString("cpus:0.3");

    Resources tenTimes = Resources.empty();
    for (int i = 0; i < 10; i++) {
      tenTimes = tenTimes.plus(Resources.parse("cpus:0.1"));
    }
    assertThat(tenTimes).isEqualTo(Resources.parse("cpus:1")).hasToString("cpus:1");
    assertThat(Resources.parse("cpus:0.3").minus(Resources.parse("cpus:0.1")))
        .isEqualTo(Resources.parse("cpus:0.2"));
    assertThat(Resources.parse("cpus:0.3").contains(Resources.parse("cpus:0.1;cpus:0.2")))
        .isTrue();
  }

  // ---- arithmetic ----

  @Test
  void addsBags() {
    Resources sum = Resources.parse("cpus:1;ports:[1-2]")
        .plus(Resources.parse("cpus(prod):1;ports:[3-3]"));

    assertThat(sum).hasToString("cpus:1;ports:[1-3];cpus(prod):1");
    assertThat(sum.plus(Resources.empty())).isEqualTo(sum);
    assertThat(Resources.empty().plus(sum)).isEqualTo(sum);
  }

  @Test
  void containsResourcesSlotBySlot() {
    Resources offer = Resources.parse("cpus:4;cpus(prod):1;mem:1024;ports:[1-3];zones:{a,b}");

    assertThat(offer.contains(Resources.parse("cpus(prod):1;cpus:4"))).isTrue();
    assertThat(offer.contains(Resources.parse("mem:1024;ports:[1-1,3-3];zones:{b}"))).isTrue();
    assertThat(offer.contains(Resources.empty())).isTrue();
    assertThat(offer.contains(Resources.parse("cpus(prod):1.001"))).isFalse();
    assertThat(offer.contains(Resources.parse("ports:[3-4]"))).isFalse();
    assertThat(offer.contains(Resources.parse("zones:{c}"))).isFalse();
    assertThat(offer.contains(Resources.parse("disk:1"))).isFalse();
    assertThat(Resources.empty().contains(offer)).isFalse();
  }

  @Test
  void doesNotCountReservedAndUnreservedAsTheSame() {
    assertThat(Resources.parse("cpus:4").contains(Resources.parse("cpus(prod):1"))).isFalse();
    assertThat(Resources.parse("cpus(prod):4").contains(Resources.parse("cpus:1"))).isFalse();
    assertThat(Resources.parse("cpus(web):4").contains(Resources.parse("cpus(prod):1"))).isFalse();
    assertThat(Resources.of(Resource.scalar("cpus", 2))
        .contains(Resources.of(Resource.scalar("cpus", 1).withAllocationRole("web"))))
        .isFalse();
    assertThat(Resources.parse("ports:[1-5]").contains(Resources.parse("ports(prod):[1-1]")))
        .isFalse();
  }

  @Test
  void subtractsAndDropsWhatIsUsedUp() {
    Resources left = Resources.parse("cpus:1;mem:128;ports:[1-4]")
        .minus(Resources.parse("cpus:1;mem:28;ports:[2-3]"));

    assertThat(left).isEqualTo(Resources.parse("mem:100;ports:[1-1,4-4]"));
    assertThat(left.list()).hasSize(2);
  }

  @Test
  void refusesToSubtractWhatIsNotContained() {
    assertThatThrownBy(() -> Resources.parse("cpus:1;mem:128").minus(Resources.parse("mem:256")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot subtract resources that are not contained: cpus:1;mem:128 - mem:256");
    assertThatThrownBy(() -> Resources.parse("cpus:4").minus(Resources.parse("cpus(prod):1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot subtract resources that are not contained: cpus:4 - cpus(prod):1");
  }

  @Test
  void sumsScalarsAndJoinsRangesOverAllRoles() {
    Resources resources = Resources.parse("cpus(prod):1;cpus:0.5;ports(prod):[5-6];ports:[1-2]");

    assertThat(resources.scalar("cpus")).isEqualTo(1.5);
    assertThat(resources.scalar("mem")).isEqualTo(0.0);
    assertThat(resources.ranges("ports")).isEqualTo(Ranges.parse("[1-2,5-6]"));
    assertThat(resources.ranges("other")).isEqualTo(Ranges.empty());
  }

  // ---- allocate ----

  @Test
  void allocatesReservedBeforeUnreserved() {
    Resources pool = Resources.parse("cpus:4;cpus(prod):1;mem:1024;mem(prod):64");

    assertThat(pool.allocate(spec("cpus:1.5;mem:100")))
        .contains(Resources.parse("cpus(prod):1;cpus:0.5;mem(prod):64;mem:36"));
    assertThat(pool.allocate(spec("cpus:0.5;mem:64")))
        .contains(Resources.parse("cpus(prod):0.5;mem(prod):64"));
  }

  @Test
  void allocatesOnlyFromTheSpecsRole() {
    Resources pool = Resources.parse("cpus(prod):1;cpus:4;mem(prod):512;mem:4096");

    assertThat(pool.allocate(spec("cpus(prod):1;mem(prod):256")))
        .contains(Resources.parse("cpus(prod):1;mem(prod):256"));
    assertThat(pool.allocate(spec("cpus(prod):2;mem(prod):256"))).isEmpty();
    assertThat(pool.shortfall(spec("cpus(prod):2;mem(prod):256")))
        .contains("cpus(prod) 2 (has 1)");
    assertThat(pool.allocate(spec("cpus(web):0.1;mem(web):1"))).isEmpty();
    assertThat(pool.shortfall(spec("cpus(web):0.1;mem(web):1")))
        .contains("cpus(web) 0.1 (has 0)");
  }

  @Test
  void allocatesTheLowestPortsForACount() {
    Resources pool = Resources.parse("cpus:1;mem:64;ports:[31005-31010,31000-31001]");

    assertThat(pool.allocate(spec("cpus:0.1;mem:1;ports:3")))
        .contains(Resources.parse("cpus:0.1;mem:1;ports:[31000-31001,31005-31005]"));
  }

  @Test
  void allocatesSpecificPorts() {
    Resources pool = Resources.parse("cpus:1;mem:64;ports:[31005-31010,31000-31001]");

    assertThat(pool.allocate(spec("cpus:0.1;mem:1;ports:[31007-31008]")))
        .contains(Resources.parse("cpus:0.1;mem:1;ports:[31007-31008]"));
    assertThat(pool.allocate(spec("cpus:0.1;mem:1;ports:[31001-31005]"))).isEmpty();
    assertThat(pool.shortfall(spec("cpus:0.1;mem:1;ports:[31001-31005]")))
        .contains("ports [31001-31005] (free: [31000-31001,31005-31010])");
  }

  @Test
  void allocatesSpecificPortsSpanningTwoRanges() {
    Resources pool = Resources.parse("cpus:1;mem:64;ports:[31000-31001];ports(prod):[31002-31003]");

    assertThat(pool.allocate(spec("cpus:0.1;mem:1;ports:[31001-31002]")))
        .contains(Resources.parse("cpus:0.1;mem:1;ports(prod):[31002-31002];ports:[31001-31001]"));
  }

  @Test
  void allocatesACountOfPortsSpanningReservedAndUnreservedRanges() {
    Resources pool = Resources.parse("cpus:1;mem:64;ports(prod):[40000-40000];ports:[31000-31005]");

    assertThat(pool.allocate(spec("cpus:0.1;mem:1;ports:2")))
        .contains(Resources.parse("cpus:0.1;mem:1;ports(prod):[40000-40000];ports:[31000-31000]"));
  }

  @Test
  void neverAllocatesOnePortTwiceWhenSlotsOverlap() {
    Resources pool = Resources.parse("cpus:1;mem:64;ports(prod):[1-2];ports:[1-3]");

    assertThat(pool.allocate(spec("cpus:0.1;mem:1;ports:3")))
        .contains(Resources.parse("cpus:0.1;mem:1;ports(prod):[1-2];ports:[3-3]"));
    assertThat(pool.allocate(spec("cpus:0.1;mem:1;ports:4"))).isEmpty();
    assertThat(pool.shortfall(spec("cpus:0.1;mem:1;ports:4"))).contains("4 ports (has 3)");
  }

  @Test
  void allocatesDiskAndGpusAndNothingUnasked() {
    Resources pool = Resources.parse("cpus:2;mem:1024;disk:100;gpus:2;ports:[1-9];zones:{a}");

    assertThat(pool.allocate(spec("cpus:1;mem:512;disk:50;gpus:1")))
        .contains(Resources.parse("cpus:1;mem:512;disk:50;gpus:1"));
    assertThat(pool.allocate(spec("cpus:2;mem:1024")))
        .contains(Resources.parse("cpus:2;mem:1024"));
  }

  @Test
  void allocatesTheRoundedAmountOfAnUnroundedSpec() {
    Resources pool = Resources.parse("cpus:0.3;mem:1");
    ResourceSpec spec = ResourceSpec.builder().cpus(0.1 + 0.2).memMb(1).build();

    assertThat(pool.allocate(spec)).contains(pool);
    assertThat(pool.shortfall(spec)).isEmpty();
  }

  @Test
  void allocatesNothingWhenShort() {
    Resources pool = Resources.parse("cpus:4;mem:256;ports:[31000-31000]");

    assertThat(pool.allocate(ResourceSpec.of(1, 512))).isEmpty();
    assertThat(pool.allocate(ResourceSpec.of(5, 1))).isEmpty();
    assertThat(pool.allocate(spec("cpus:1;mem:1;ports:2"))).isEmpty();
    assertThat(pool.allocate(spec("cpus:1;mem:1;gpus:1"))).isEmpty();
    assertThat(Resources.empty().allocate(ResourceSpec.of(0.1, 1))).isEmpty();
  }

  // ---- shortfall ----

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "cpus:4;mem:256                | cpus:1;mem:512               | mem 512 MB (has 256 MB)",
    "cpus:1.5;mem:1024             | cpus:2;mem:512               | cpus 2 (has 1.5)",
    "cpus:1;mem:1                  | cpus:2;mem:512               | cpus 2 (has 1)",
    "cpus:1;mem:1024               | cpus:1;mem:1;disk:100        | disk 100 MB (has 0 MB)",
    "cpus:1;mem:1024;gpus:1        | cpus:1;mem:1;gpus:2          | gpus 2 (has 1)",
    "cpus:1;mem:1;ports:[1-2]      | cpus:1;mem:1;ports:3         | 3 ports (has 2)",
    "cpus:1;mem:1;ports:[1-2]      | cpus:1;mem:1;ports:[80-80]   | ports [80-80] (free: [1-2])",
    "cpus:1;mem:1                  | cpus:1;mem:1;ports:[80-80]   | ports [80-80] (free: [])",
    "cpus(prod):1;mem(prod):256;mem:4096 | cpus(prod):1;mem(prod):512 "
        + "| mem(prod) 512 MB (has 256 MB)",
    "cpus(prod):1;mem(prod):1;ports:[1-5] | cpus(prod):1;mem(prod):1;ports(prod):1 "
        + "| 1 ports(prod) (has 0)",
  })
  void explainsTheFirstShortResource(String pool, String spec, String shortfall) {
    assertThat(Resources.parse(pool).shortfall(spec(spec))).contains(shortfall);
    assertThat(Resources.parse(pool).allocate(spec(spec))).isEmpty();
  }

  @Test
  void hasNoShortfallWhenTheSpecFits() {
    Resources pool = Resources.parse("cpus(prod):1;cpus:1;mem:512;ports:[1-2]");

    assertThat(pool.shortfall(spec("cpus:2;mem:512;ports:2"))).isEmpty();
  }

  // ---- properties ----

  /**
   * Random pools and specs: whatever allocate returns is in the pool, matches the spec exactly,
   * prefers reserved resources, and agrees with shortfall on whether the spec fits.
   */
  @Test
  void allocationMatchesTheSpecAndFitsThePoolForRandomCases() {
    Random random = new Random(42);
    int fits = 0;
    for (int i = 0; i < 3000; i++) {
      int n = i;
      Resources pool = randomPool(random);
      ResourceSpec spec = randomSpec(random);
      Supplier<String> as = () -> "case " + n + ": pool " + pool + ", spec " + spec;

      Optional<Resources> allocated = pool.allocate(spec);
      Optional<String> shortfall = pool.shortfall(spec);

      assertThat(allocated.isPresent()).as(as).isEqualTo(shortfall.isEmpty());
      if (allocated.isEmpty()) {
        continue;
      }
      fits++;
      Resources result = allocated.get();
      assertThat(pool.contains(result)).as(as).isTrue();
      assertThat(result.scalar("cpus")).as(as).isEqualTo(spec.cpus());
      assertThat(result.scalar("mem")).as(as).isEqualTo(spec.memMb());
      assertThat(result.scalar("disk")).as(as).isEqualTo(spec.diskMb());
      assertThat(result.scalar("gpus")).as(as).isEqualTo(spec.gpus());
      assertThat(result.ranges("ports").size()).as(as).isEqualTo(spec.portsNeeded());
      assertThat(portsCountedPerSlot(result)).as(as).isEqualTo(spec.portsNeeded());
      if (!spec.ports().isEmpty()) {
        assertThat(result.ranges("ports")).as(as).isEqualTo(spec.ports());
      }
      assertThat(result.list()).as(as)
          .allMatch(r -> ResourceSpec.NAMES.contains(r.name()))
          .allMatch(r -> spec.role().map(role -> role.equals(r.role())).orElse(true));
      if (spec.role().isEmpty()) {
        for (String name : List.of("cpus", "mem", "disk", "gpus")) {
          double unreservedTaken = result.filter(r -> !r.isReserved()).scalar(name);
          if (unreservedTaken > 0) {
            assertThat(result.filter(Resource::isReserved).scalar(name))
                .as(() -> as.get() + ", " + name)
                .isEqualTo(pool.filter(Resource::isReserved).scalar(name));
          }
        }
      }
      assertThat(pool.minus(result).plus(result)).as(as).isEqualTo(pool);
    }
    // Both branches must be exercised for the test to mean anything.
    assertThat(fits).isBetween(500, 2500);
  }

  private static long portsCountedPerSlot(Resources resources) {
    long n = 0;
    for (Resource r : resources) {
      if (r.value() instanceof Resource.RangesValue v) {
        n += v.ranges().size();
      }
    }
    return n;
  }

  private static final List<String> ROLES = List.of(Resource.UNRESERVED, "prod", "web");
  private static final int PORTS = 20;

  private static Resources randomPool(Random random) {
    List<Resource> resources = new ArrayList<>();
    for (String role : ROLES) {
      if (random.nextInt(3) > 0) {
        resources.add(Resource.scalar("cpus", thousandths(random, 4000)).withRole(role));
      }
      if (random.nextInt(3) > 0) {
        resources.add(Resource.scalar("mem", thousandths(random, 4_096_000)).withRole(role));
      }
      if (random.nextInt(3) == 0) {
        resources.add(Resource.scalar("disk", thousandths(random, 2_000_000)).withRole(role));
      }
      if (random.nextInt(4) == 0) {
        resources.add(Resource.scalar("gpus", 1 + random.nextInt(3)).withRole(role));
      }
    }
    // Each port belongs to at most one role, as in a Mesos offer; now and then two slots overlap.
    List<List<Long>> portsByRole = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (long port = 0; port < PORTS; port++) {
      if (random.nextInt(10) < 6) {
        portsByRole.get(random.nextInt(ROLES.size())).add(port);
      }
    }
    for (int r = 0; r < ROLES.size(); r++) {
      long[] ports = portsByRole.get(r).stream().mapToLong(Long::longValue).toArray();
      resources.add(Resource.ranges("ports", Ranges.ofValues(ports)).withRole(ROLES.get(r)));
    }
    if (random.nextInt(4) == 0) {
      long begin = random.nextInt(10);
      resources.add(Resource.ranges("ports", Ranges.of(begin, begin + random.nextInt(10)))
          .withRole(ROLES.get(random.nextInt(ROLES.size()))));
    }
    if (random.nextBoolean()) {
      resources.add(new Resource("zones", new Resource.SetValue(Set.of("a", "b")),
          Resource.UNRESERVED, Optional.empty(), Optional.empty()));
    }
    java.util.Collections.shuffle(resources, random);
    return Resources.of(resources);
  }

  private static ResourceSpec randomSpec(Random random) {
    ResourceSpec.Builder b = ResourceSpec.builder()
        .cpus(thousandths(random, 3000))
        .memMb(thousandths(random, 3_000_000));
    if (random.nextBoolean()) {
      b.diskMb(thousandths(random, 1_000_000));
    }
    if (random.nextInt(4) == 0) {
      b.gpus(random.nextInt(3));
    }
    switch (random.nextInt(3)) {
      case 0 -> b.ports(1 + random.nextInt(8));
      case 1 -> {
        long[] ports = new long[1 + random.nextInt(3)];
        for (int i = 0; i < ports.length; i++) {
          ports[i] = random.nextInt(PORTS);
        }
        b.ports(Ranges.ofValues(ports));
      }
      default -> { }
    }
    if (random.nextBoolean()) {
      b.role(random.nextBoolean() ? "prod" : "web");
    }
    return b.build();
  }

  /** A positive amount with at most three decimals, at most {@code max / 1000}. */
  private static double thousandths(Random random, int max) {
    return (1 + random.nextInt(max)) / 1000.0;
  }

  private static ResourceSpec spec(String text) {
    return ResourceSpec.parse(text);
  }
}
