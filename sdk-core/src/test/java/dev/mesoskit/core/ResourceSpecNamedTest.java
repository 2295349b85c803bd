package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Resources of any name in a spec: scalars, ranges and sets, as Mesos agents declare them. */
class ResourceSpecNamedTest {

  // ---- parse ----

  @Test
  void parsesAScalarRangesAndASetOfAnyName() {
    ResourceSpec spec = ResourceSpec.parse(
        "cpus:1;mem:128;network_bandwidth:100;ephemeral:[5000-5009];zones:{b,a}");

    assertThat(spec).isEqualTo(new ResourceSpec(1, 128, 0, 0, 0, Ranges.empty(),
        Optional.empty(), List.of(
            NamedResource.ranges("ephemeral", Ranges.of(5000, 5009)),
            NamedResource.scalar("network_bandwidth", 100),
            NamedResource.set("zones", Set.of("a", "b")))));
    assertThat(spec.named("network_bandwidth")).contains(
        NamedResource.scalar("network_bandwidth", 100));
    assertThat(spec.named("licenses")).isEmpty();
  }

  @Test
  void parsesACountOfAnyValuesOrItems() {
    ResourceSpec spec = ResourceSpec.parse("ephemeral:[any 2];zones:{ any 1 };ports:[any 3]");

    assertThat(spec.named()).containsExactly(
        NamedResource.ranges("ephemeral", 2), NamedResource.set("zones", 1));
    assertThat(spec.portCount()).isEqualTo(3);
    assertThat(spec.named("ephemeral").orElseThrow().quantity()).isEqualTo(2.0);
    assertThat(spec.named("zones").orElseThrow().counted()).isTrue();
  }

  @Test
  void appliesTheRoleToNamedResourcesToo() {
    ResourceSpec spec = ResourceSpec.parse("cpus(prod):1;licenses(prod):2;zones:{a}");

    assertThat(spec.role()).contains("prod");
    assertThat(spec).hasToString("cpus(prod):1;licenses(prod):2;zones(prod):{a}");
  }

  @Test
  void printsNamedResourcesAfterTheKnownOnesSortedByName() {
    ResourceSpec spec = ResourceSpec.builder().set("zones", Set.of("b", "a")).cpus(1)
        .scalar("licenses", 2).ranges("ephemeral", 4).build();

    assertThat(spec).hasToString("cpus:1;ephemeral:[any 4];licenses:2;zones:{a,b}");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "licenses:-1              | resource 'licenses' must be >= 0 but was -1.0",
    "licenses:x               | resource 'licenses' must be a number but was 'x' in 'licenses:x'",
    "licenses:1;licenses:2    | resource 'licenses' is given twice in 'licenses:1;licenses:2'",
    "zones:{a                 | resource 'zones' must be a set enclosed in {} but was '{a' in"
        + " 'zones:{a'",
    "zones:{any x}            | resource 'zones' must ask for any N with N a whole number >= 0"
        + " but was '{any x}' in 'zones:{any x}'",
    "ephemeral:[5-3]          | resource 'ephemeral' has invalid ranges in 'ephemeral:[5-3]':"
        + " range end must be >= begin but was 5-3",
    "ephemeral:[any -1]       | resource 'ephemeral' must ask for any N with N a whole number"
        + " >= 0 but was '[any -1]' in 'ephemeral:[any -1]'",
    "zones:{a,b,a}            | resource 'zones' has the item 'a' twice in 'zones:{a,b,a}'"
        + " (Mesos refuses duplicated elements)",
    "zones:{a b}              | item of resource 'zones' must not be blank nor hold whitespace or"
        + " any of ;:()[]{}, but was 'a b'",
    "bad name:1               | resource name must not be blank nor hold whitespace or any of"
        + " ;:()[]{}, but was 'bad name'",
    "cpus:[1-2]               | resource 'cpus' must be a number but was '[1-2]' in 'cpus:[1-2]'",
    "gpus:{a}                 | resource 'gpus' must be a whole number but was '{a}' in 'gpus:{a}'",
    "ports:{a}                | resource 'ports' must be a whole number but was '{a}' in"
        + " 'ports:{a}'",
    "licenses(a):1;zones(b):{x} | all resources of a spec must use one role but"
        + " 'licenses(a):1;zones(b):{x}' uses 'a' and 'b'",
  })
  void rejectsMalformedNamedResourcesNamingTheResource(String text, String message) {
    assertRejected(() -> ResourceSpec.parse(text), message);
  }

  // ---- builder ----

  @Test
  void givesTheKnownNamesTheirFieldsThroughTheGenericMethods() {
    ResourceSpec spec = ResourceSpec.builder().scalar("cpus", 0.5).scalar("mem", 64)
        .scalar("disk", 10).scalar("gpus", 1).ranges("ports", 2).build();

    assertThat(spec).isEqualTo(ResourceSpec.parse("cpus:0.5;mem:64;disk:10;gpus:1;ports:2"));
    assertThat(ResourceSpec.builder().ranges("ports", Ranges.of(80, 81)).build().ports())
        .isEqualTo(Ranges.of(80, 81));
  }

  @Test
  void rejectsAKnownNameWithTheWrongTypeNamingIt() {
    assertRejected(() -> ResourceSpec.builder().scalar("ports", 2).build(),
        "resource 'ports' is ranges and cannot be asked for as a scalar");
    assertRejected(() -> ResourceSpec.builder().set("ports", 1).build(),
        "resource 'ports' is ranges and cannot be asked for as a set");
    assertRejected(() -> ResourceSpec.builder().ranges("cpus", 1).build(),
        "resource 'cpus' is a scalar and cannot be asked for as ranges");
    assertRejected(() -> ResourceSpec.builder().set("mem", Set.of("a")).build(),
        "resource 'mem' is a scalar and cannot be asked for as a set");
    assertRejected(() -> ResourceSpec.builder().scalar("gpus", 1.5).build(),
        "resource 'gpus' must be a whole number but was 1.5");
    assertRejected(() -> ResourceSpec.builder().named(NamedResource.scalar("disk", 1)).build(),
        "resource 'disk' has its own field in a spec and cannot be a named resource: disk:1");
    assertRejected(() -> new ResourceSpec(1, 1, 0, 0, 0, Ranges.empty(), Optional.empty(),
            List.of(NamedResource.ranges("ports", 1))),
        "resource 'ports' has its own field in a spec and cannot be a named resource:"
            + " ports:[any 1]");
  }

  @Test
  void rejectsInvalidNamedValues() {
    assertRejected(() -> ResourceSpec.builder().scalar("licenses", Double.NaN).build(),
        "resource 'licenses' must be >= 0 but was NaN");
    assertRejected(() -> ResourceSpec.builder().set("zones", -1).build(),
        "resource 'zones' must ask for >= 0 items but was -1");
    assertRejected(() -> ResourceSpec.builder().scalar("", 1).build(),
        "resource name must not be blank nor hold whitespace or any of ;:()[]{}, but was ''");
    assertRejected(() -> ResourceSpec.builder().scalar("a;b", 1).build(),
        "resource name must not be blank nor hold whitespace or any of ;:()[]{}, but was 'a;b'");
    assertRejected(() -> ResourceSpec.builder().cpus(1).named(new NamedResource("ephemeral",
            NamedResource.Type.RANGES, 0, 2, Ranges.of(1, 2), Set.of())).build(),
        "resource 'ephemeral' must ask for a count or specific ranges, one of them, but was"
            + " count=2 and ranges=[1-2]");
    assertRejected(() -> ResourceSpec.builder().cpus(1).named(new NamedResource("licenses",
            NamedResource.Type.SCALAR, 1, 2, Ranges.empty(), Set.of())).build(),
        "resource 'licenses' is SCALAR: only its own fields may be set");
    assertRejected(() -> new ResourceSpec(1, 1, 0, 0, 0, Ranges.empty(), Optional.empty(),
            List.of(NamedResource.scalar("a", 1), NamedResource.set("a", 1))),
        "resource 'a' is given twice: a:1 and a:{any 1}");
  }

  @Test
  void asksForNoneWhenAnAmountOrCountIsZeroAndReplacesAnEarlierNeed() {
    ResourceSpec spec = ResourceSpec.builder().cpus(1).scalar("licenses", 2)
        .scalar("licenses", 0).ranges("ephemeral", 3).ranges("ephemeral", Ranges.of(7, 8))
        .set("zones", Set.of("a")).set("zones", 0).scalar("tiny", 0.0004).build();

    assertThat(spec).hasToString("cpus:1;ephemeral:[7-8]");
  }

  // ---- arithmetic ----

  @Test
  void keepsThousandthsExactlyAsMesosDoes() {
    ResourceSpec sum = ResourceSpec.parse("licenses:0.1").plus(ResourceSpec.parse("licenses:0.2"));

    assertThat(sum.named("licenses").orElseThrow().amount()).isEqualTo(0.3);
    assertThat(sum).hasToString("licenses:0.3");
    assertThat(ResourceSpec.parse("licenses:0.12345").named("licenses").orElseThrow().amount())
        .isEqualTo(0.123);
    assertThat(ResourceSpec.parse("licenses:0.0015")).hasToString("licenses:0.002");
  }

  @Test
  void addsNamedResourcesOfATaskAndItsExecutor() {
    ResourceSpec task = ResourceSpec.parse("cpus:1;licenses:1;ephemeral:[any 2];zones:{a}");
    ResourceSpec executor = ResourceSpec.parse("cpus:0.1;licenses:0.5;ephemeral:[any 1];"
        + "zones:{b};bandwidth:10");

    assertThat(task.plus(executor)).hasToString(
        "cpus:1.1;bandwidth:10;ephemeral:[any 3];licenses:1.5;zones:{a,b}");
  }

  @Test
  void refusesToAddACountToSpecificValuesButCountsThemForExplaining() {
    ResourceSpec counted = ResourceSpec.parse("cpus:1;zones:{any 1}");
    ResourceSpec specific = ResourceSpec.parse("cpus:1;zones:{a,b}");

    assertRejected(() -> counted.plus(specific),
        "cannot add a count of resource 'zones' to specific values: zones:{any 1} + zones:{a,b}");
    assertThat(counted.plusCounted(specific)).hasToString("cpus:2;zones:{any 3}");
    assertThat(ResourceSpec.parse("ports:1;ephemeral:[5-6]")
        .plusCounted(ResourceSpec.parse("ports:[80-80];ephemeral:[any 1]")))
        .hasToString("ports:2;ephemeral:[any 3]");
  }

  @Test
  void refusesToAddTheSameSpecificValueTwiceButCountsBothForExplaining() {
    ResourceSpec a = ResourceSpec.parse("cpus:1;zones:{a,b};ephemeral:[5-6]");
    ResourceSpec b = ResourceSpec.parse("cpus:1;zones:{b,c};ephemeral:[8-9]");
    ResourceSpec c = ResourceSpec.parse("cpus:1;zones:{d};ephemeral:[6-7]");

    assertRejected(() -> a.plus(b), "resource 'zones' values {b} are asked for twice:"
        + " zones:{a,b} + zones:{b,c}");
    assertRejected(() -> a.plus(c), "resource 'ephemeral' values [6-6] are asked for twice:"
        + " ephemeral:[5-6] + ephemeral:[6-7]");
    assertThat(a.plusCounted(b)).hasToString("cpus:2;ephemeral:[5-6,8-9];zones:{any 4}");
    assertThat(a.plusCounted(c)).hasToString("cpus:2;ephemeral:[any 4];zones:{a,b,d}");
  }

  private static void assertRejected(Supplier<ResourceSpec> build, String message) {
    assertThatThrownBy(build::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
