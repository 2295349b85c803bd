package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Allocating and explaining resources of any name: scalars, ranges and sets. */
class ResourcesNamedTest {
  private static final Resources AGENT = Resources.parse(
      "cpus:8;mem:8192;licenses:4;network_bandwidth:1000;ephemeral:[5000-5009];zones:{c,a,b}");

  @Test
  void allocatesANamedScalarAndNothingUnasked() {
    assertThat(AGENT.allocate(spec("cpus:1;mem:512;licenses:1")))
        .contains(Resources.parse("cpus:1;mem:512;licenses:1"));
    assertThat(AGENT.allocate(spec("licenses:4")))
        .contains(Resources.parse("licenses:4"));
    assertThat(AGENT.allocate(spec("network_bandwidth:0.5")))
        .contains(Resources.parse("network_bandwidth:0.5"));
  }

  @Test
  void neverTakesAResourceTheSpecDoesNotAskFor() {
    Resources taken = AGENT.allocate(spec("cpus:8;mem:8192;ports:0")).orElseThrow();

    assertThat(taken).isEqualTo(Resources.parse("cpus:8;mem:8192"));
    assertThat(AGENT.minus(taken)).isEqualTo(Resources.parse(
        "licenses:4;network_bandwidth:1000;ephemeral:[5000-5009];zones:{a,b,c}"));
  }

  @Test
  void allocatesTheLowestValuesForACountOfRanges() {
    assertThat(AGENT.allocate(spec("ephemeral:[any 3]")))
        .contains(Resources.parse("ephemeral:[5000-5002]"));
    assertThat(AGENT.allocate(spec("ephemeral:[5005-5006,5009-5009]")))
        .contains(Resources.parse("ephemeral:[5005-5006,5009-5009]"));
    assertThat(AGENT.allocate(spec("ephemeral:[any 11]"))).isEmpty();
    assertThat(AGENT.allocate(spec("ephemeral:[5009-5010]"))).isEmpty();
  }

  @Test
  void allocatesTheFirstItemsInAlphabeticalOrderForACountOfASet() {
    assertThat(AGENT.allocate(spec("zones:{any 2}"))).contains(Resources.parse("zones:{a,b}"));
    assertThat(AGENT.allocate(spec("zones:{c}"))).contains(Resources.parse("zones:{c}"));
    assertThat(AGENT.allocate(spec("zones:{any 4}"))).isEmpty();
    assertThat(AGENT.allocate(spec("zones:{a,d}"))).isEmpty();
  }

  @Test
  void allocatesReservedBeforeUnreservedAndOnlyTheSpecsRole() {
    Resources pool = Resources.parse("licenses(prod):1;licenses:3;zones(prod):{x};zones:{a}");

    assertThat(pool.allocate(spec("licenses:2;zones:{any 2}")))
        .contains(Resources.parse("licenses(prod):1;licenses:1;zones(prod):{x};zones:{a}"));
    assertThat(pool.allocate(spec("licenses(prod):1"))).contains(
        Resources.parse("licenses(prod):1"));
    assertThat(pool.allocate(spec("licenses(prod):2"))).isEmpty();
    assertThat(pool.shortfall(spec("licenses(prod):2"))).contains("licenses(prod) 2 (has 1)");
  }

  @Test
  void takesOnlyFromAResourceOfTheTypeAsked() {
    Resources pool = Resources.parse("licenses:{a,b};zones:2");

    assertThat(pool.allocate(spec("licenses:1"))).isEmpty();
    assertThat(pool.allocate(spec("zones:{any 1}"))).isEmpty();
    assertThat(pool.allocate(spec("licenses:{any 1}"))).contains(Resources.parse("licenses:{a}"));
  }

  @Test
  void keepsThousandthsExactlyWhileTakingAScalarApart() {
    Resources pool = Resources.parse("licenses:0.3");
    ResourceSpec tenth = spec("licenses:0.1");

    Resources left = pool;
    for (int i = 0; i < 3; i++) {
      left = left.minus(left.allocate(tenth).orElseThrow());
    }
    assertThat(left.isEmpty()).isTrue();
    assertThat(Resources.parse("licenses:0.1").plus(Resources.parse("licenses:0.2")))
        .isEqualTo(pool);
    assertThat(pool.allocate(spec("licenses:0.3001"))).contains(pool);
    assertThat(pool.allocate(spec("licenses:0.301"))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "licenses:1                 | licenses:2            | licenses 2 (has 1)",
    "cpus:1                     | licenses:0.5          | licenses 0.5 (has 0)",
    "ephemeral:[1-2]            | ephemeral:[any 3]     | 3 of ephemeral (has 2)",
    "ephemeral:[1-2]            | ephemeral:[2-3]       | ephemeral [2-3] (free: [1-2])",
    "zones:{a}                  | zones:{any 2}         | 2 of zones (has 1)",
    "zones:{a,c}                | zones:{a,b}           | zones {a,b} (free: {a,c})",
    "cpus:1;licenses:1          | cpus:2;licenses:2     | cpus 2 (has 1)",
  })
  void explainsTheFirstShortResource(String pool, String spec, String shortfall) {
    assertThat(Resources.parse(pool).shortfall(spec(spec))).contains(shortfall);
    assertThat(Resources.parse(pool).allocate(spec(spec))).isEmpty();
  }

  /**
   * Random pools and specs of named resources: whatever allocate returns is in the pool, holds
   * exactly what the spec asks, nothing else, and agrees with shortfall on whether it fits.
   */
  @Test
  void allocationMatchesTheSpecExactlyForRandomNamedResources() {
    Random random = new Random(23);
    int fits = 0;
    for (int i = 0; i < 2000; i++) {
      int n = i;
      Resources pool = randomPool(random);
      ResourceSpec spec = randomSpec(random);
      Supplier<String> as = () -> "case " + n + ": pool " + pool + ", spec " + spec;

      Optional<Resources> allocated = pool.allocate(spec);

      assertThat(allocated.isPresent()).as(as).isEqualTo(pool.shortfall(spec).isEmpty());
      if (allocated.isEmpty()) {
        continue;
      }
      fits++;
      Resources result = allocated.get();
      assertThat(pool.contains(result)).as(as).isTrue();
      Set<String> asked = new TreeSet<>();
      for (NamedResource need : spec.named()) {
        asked.add(need.name());
        switch (need.type()) {
          case SCALAR -> assertThat(result.scalar(need.name())).as(as).isEqualTo(need.amount());
          case RANGES -> {
            assertThat(result.ranges(need.name()).size()).as(as).isEqualTo((long) need.quantity());
            if (!need.counted()) {
              assertThat(result.ranges(need.name())).as(as).isEqualTo(need.ranges());
            }
          }
          case SET -> {
            assertThat(result.items(need.name()).size()).as(as).isEqualTo((int) need.quantity());
            if (!need.counted()) {
              assertThat(result.items(need.name())).as(as).isEqualTo(need.items());
            }
          }
          default -> throw new AssertionError(need.type());
        }
      }
      assertThat(result.list()).as(as).allMatch(r -> asked.contains(r.name()));
      assertThat(pool.minus(result).plus(result)).as(as).isEqualTo(pool);
    }
    assertThat(fits).isBetween(400, 1600);
  }

  private static Resources randomPool(Random random) {
    List<Resource> resources = new ArrayList<>();
    for (String role : List.of(Resource.UNRESERVED, "prod")) {
      if (random.nextBoolean()) {
        resources.add(Resource.scalar("licenses", random.nextInt(4000) / 1000.0).withRole(role));
      }
      if (random.nextBoolean()) {
        long begin = random.nextInt(10);
        resources.add(Resource.ranges("ephemeral", Ranges.of(begin, begin + random.nextInt(5)))
            .withRole(role));
      }
      if (random.nextBoolean()) {
        Set<String> items = new TreeSet<>();
        for (String item : List.of("a", "b", "c", "d")) {
          if (random.nextBoolean()) {
            items.add(item);
          }
        }
        resources.add(new Resource("zones", new Resource.SetValue(items), role, Optional.empty(),
            Optional.empty()));
      }
    }
    return Resources.of(resources);
  }

  private static ResourceSpec randomSpec(Random random) {
    ResourceSpec.Builder b = ResourceSpec.builder().cpus(0);
    boolean any = false;
    if (random.nextBoolean()) {
      b.scalar("licenses", 1 + random.nextInt(3000) / 1000.0);
      any = true;
    }
    if (random.nextBoolean()) {
      if (random.nextBoolean()) {
        b.ranges("ephemeral", 1 + random.nextInt(4));
      } else {
        long begin = random.nextInt(12);
        b.ranges("ephemeral", Ranges.of(begin, begin + random.nextInt(3)));
      }
      any = true;
    }
    if (random.nextBoolean() || !any) {
      if (random.nextBoolean()) {
        b.set("zones", 1 + random.nextInt(3));
      } else {
        b.set("zones", Set.of(List.of("a", "b", "c", "d").get(random.nextInt(4))));
      }
    }
    if (random.nextInt(4) == 0) {
      b.role("prod");
    }
    return b.build();
  }

  private static ResourceSpec spec(String text) {
    return ResourceSpec.parse(text);
  }
}
