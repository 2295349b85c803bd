package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceSpecTest {

  // ---- validation ----

  @Test
  void rejectsCpusThatAreNegativeOrNotFinite() {
    assertRejected(() -> ResourceSpec.builder().cpus(-1).memMb(1).build(),
        "cpus must be >= 0 but was -1.0");
    assertRejected(() -> ResourceSpec.builder().cpus(Double.NaN).memMb(1).build(),
        "cpus must be >= 0 but was NaN");
    assertRejected(() -> ResourceSpec.builder().cpus(Double.POSITIVE_INFINITY).memMb(1).build(),
        "cpus must be >= 0 but was Infinity");
  }

  @Test
  void asksForNeitherCpusNorMemoryWhenMesosDoesNotRequireThem() {
    assertThat(ResourceSpec.builder().memMb(1).build()).hasToString("mem:1");
    assertThat(ResourceSpec.builder().cpus(1).build()).hasToString("cpus:1");
    assertThat(ResourceSpec.parse("licenses:1")).isEqualTo(ResourceSpec.builder()
        .scalar("licenses", 1).build());
    assertThat(ResourceSpec.parse("ports:1").cpus()).isZero();
  }

  @Test
  void rejectsASpecThatAsksForNothingAsAMasterRefusesATaskThatUsesNone() {
    String message = "a resource spec must ask for at least one resource (Mesos refuses a task"
        + " that uses none) but asks for none";
    assertRejected(() -> ResourceSpec.builder().build(), message);
    assertRejected(() -> ResourceSpec.of(0, 0), message);
    assertRejected(() -> ResourceSpec.builder().scalar("licenses", 0).build(), message);
    assertRejected(() -> ResourceSpec.parse("cpus:0;mem:0;ports:[]"), message);
  }

  @Test
  void keepsMesosThreeDecimalsAndDropsWhatRoundsToNothing() {
    assertThat(ResourceSpec.of(0.12345, 64.0004).cpus()).isEqualTo(0.123);
    assertThat(ResourceSpec.of(0.12345, 64.0004).memMb()).isEqualTo(64.0);
    assertThat(ResourceSpec.of(0.0004, 1)).hasToString("mem:1");
    assertThat(ResourceSpec.parse(ResourceSpec.of(0.0015, 1).toString()))
        .isEqualTo(ResourceSpec.of(0.002, 1));
  }

  @Test
  void rejectsInvalidMemoryDiskAndGpus() {
    assertRejected(() -> ResourceSpec.of(1, -5), "memMb must be >= 0 but was -5.0");
    assertRejected(() -> ResourceSpec.builder().cpus(1).memMb(1).diskMb(-1).build(),
        "diskMb must be >= 0 but was -1.0");
    assertRejected(() -> ResourceSpec.builder().cpus(1).memMb(1).diskMb(Double.NaN).build(),
        "diskMb must be >= 0 but was NaN");
    assertRejected(
        () -> ResourceSpec.builder().cpus(1).memMb(1).diskMb(Double.POSITIVE_INFINITY).build(),
        "diskMb must be >= 0 but was Infinity");
    assertRejected(() -> ResourceSpec.builder().cpus(1).memMb(1).gpus(-1).build(),
        "gpus must be >= 0 but was -1");
  }

  @Test
  void rejectsInvalidPorts() {
    assertRejected(() -> ResourceSpec.builder().cpus(1).memMb(1).ports(-1).build(),
        "portCount must be >= 0 but was -1");
    assertRejected(
        () -> ResourceSpec.builder().cpus(1).memMb(1).ports(Ranges.of(65535, 65536)).build(),
        "ports must be within 0-65535 but was [65535-65536]");
    assertRejected(
        () -> new ResourceSpec(1, 1, 0, 0, 2, Ranges.of(1, 2), Optional.empty()),
        "ports must be a count or specific ports, not both, but was portCount=2 and ports=[1-2]");
    assertThatThrownBy(() -> new ResourceSpec(1, 1, 0, 0, 0, null, Optional.empty()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("ports must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {"*", "", " "})
  void rejectsARoleThatIsNotAReservationRole(String role) {
    assertRejected(() -> ResourceSpec.builder().cpus(1).memMb(1).role(role).build(),
        "role must name a reservation role (not blank, not '*') but was '" + role + "'");
  }

  @Test
  void acceptsTheBoundaries() {
    ResourceSpec spec = ResourceSpec.builder()
        .cpus(0.001).memMb(0.001).diskMb(0).gpus(0).ports(Ranges.of(0, 65535)).build();

    assertThat(spec.portsNeeded()).isEqualTo(65536);
    assertThat(spec).hasToString("cpus:0.001;mem:0.001;ports:[0-65535]");
  }

  @Test
  void replacesAPortCountWithSpecificPortsAndBack() {
    ResourceSpec specific = ResourceSpec.builder().cpus(1).memMb(1).ports(3)
        .ports(Ranges.of(1, 2)).build();
    ResourceSpec counted = ResourceSpec.builder().cpus(1).memMb(1).ports(Ranges.of(1, 2))
        .ports(3).build();

    assertThat(specific.portCount()).isZero();
    assertThat(specific.ports()).isEqualTo(Ranges.of(1, 2));
    assertThat(counted.portCount()).isEqualTo(3);
    assertThat(counted.ports()).isEqualTo(Ranges.empty());
  }

  // ---- parse ----

  @Test
  void parsesSpecificPorts() {
    ResourceSpec spec = ResourceSpec.parse("cpus:0.5;mem:256;ports:[31000-31005]");

    assertThat(spec).isEqualTo(
        new ResourceSpec(0.5, 256, 0, 0, 0, Ranges.of(31000, 31005), Optional.empty()));
    assertThat(spec.portsNeeded()).isEqualTo(6);
  }

  @Test
  void parsesEveryResource() {
    assertThat(ResourceSpec.parse("cpus:1;mem:128;disk:1024;gpus:2;ports:2"))
        .isEqualTo(new ResourceSpec(1, 128, 1024, 2, 2, Ranges.empty(), Optional.empty()));
    assertThat(ResourceSpec.parse(" ports : 2 ; mem : 2 ; cpus : 0.25 ; "))
        .isEqualTo(new ResourceSpec(0.25, 2, 0, 0, 2, Ranges.empty(), Optional.empty()));
    assertThat(ResourceSpec.parse("cpus:1;mem:1;ports:[]"))
        .isEqualTo(ResourceSpec.of(1, 1));
  }

  @Test
  void parsesARole() {
    assertThat(ResourceSpec.parse("cpus(prod):1;mem(prod):512;ports(prod):[8080-8080]"))
        .isEqualTo(new ResourceSpec(1, 512, 0, 0, 0, Ranges.of(8080, 8080), Optional.of("prod")));
    assertThat(ResourceSpec.parse("cpus(*):1;mem:64").role()).isEmpty();
  }

  @Test
  void appliesTheOneRoleGivenToTheWholeSpec() {
    assertThat(ResourceSpec.parse("cpus(prod):1;mem:64"))
        .isEqualTo(new ResourceSpec(1, 64, 0, 0, 0, Ranges.empty(), Optional.of("prod")));
    assertThat(ResourceSpec.parse("cpus:1;mem(*):64;disk(prod):1").role()).contains("prod");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "cpus:1;mem:1;cpus:2       | resource 'cpus' is given twice in 'cpus:1;mem:1;cpus:2'",
    "cpus:1;cpus(prod):1;mem:1 | resource 'cpus' is given twice in 'cpus:1;cpus(prod):1;mem:1'",
    "cpus(a):1;mem(b):1        | all resources of a spec must use one role but"
        + " 'cpus(a):1;mem(b):1' uses 'a' and 'b'",
    "cpus:1;mem:1;gpus:1.5     | resource 'gpus' must be a whole number but was '1.5' in"
        + " 'cpus:1;mem:1;gpus:1.5'",
    "cpus:1;mem:1;ports:x      | resource 'ports' must be a whole number but was 'x' in"
        + " 'cpus:1;mem:1;ports:x'",
    "cpus:1;mem:lots           | resource 'mem' must be a number but was 'lots' in"
        + " 'cpus:1;mem:lots'",
    "cpus:1;mem:1;ports:[1-2   | ranges must be enclosed in [] but was '[1-2'",
    "cpus:1;mem:1;ports:-1     | portCount must be >= 0 but was -1",
    "cpus:1;mem:1;ports:[70000-70001] | ports must be within 0-65535 but was [70000-70001]",
    "cpus:-1;mem:1             | cpus must be >= 0 but was -1.0",
    "cpus( ):1;mem:1           | role must name a reservation role (not blank, not '*') but"
        + " was ''",
    "cpus:1;mem                | resource must be 'name:value' or 'name(role):value' but was 'mem'"
        + " in 'cpus:1;mem'",
    "''                        | resources must not be empty but was ''",
  })
  void rejectsMalformedText(String text, String message) {
    assertRejected(() -> ResourceSpec.parse(text), message);
  }

  // ---- printing ----

  @Test
  void printsTheSyntaxItParses() {
    assertThat(ResourceSpec.of(0.5, 256)).hasToString("cpus:0.5;mem:256");
    assertThat(ResourceSpec.parse("cpus:0.1;mem:32;ports:3"))
        .hasToString("cpus:0.1;mem:32;ports:3");
    assertThat(ResourceSpec.builder().cpus(1.5).memMb(1024).diskMb(10).gpus(1)
        .ports(Ranges.parse("[8081-8081,8080-8080]")).role("prod").build())
        .hasToString(
            "cpus(prod):1.5;mem(prod):1024;disk(prod):10;gpus(prod):1;ports(prod):[8080-8081]");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "cpus:0.5;mem:256",
    "cpus:0.001;mem:0.5;disk:2048;gpus:4;ports:7",
    "cpus(prod):2;mem(prod):512;ports(prod):[80-80,443-443]",
    "cpus:1.25;mem:100.125;ports:[0-0,65535-65535]",
    "licenses:1",
    "cpus:0.5;mem:256;licenses:2",
    "cpus:1;mem:1;network_bandwidth:0.125",
    "ephemeral:[5000-5009,6000-6000]",
    "ephemeral:[any 2]",
    "zones:{a,b}",
    "zones:{any 1}",
    "cpus(prod):2;mem(prod):512;ports(prod):[80-80];licenses(prod):1.5;zones(prod):{a}",
    "mem:32;a:1;b:[1-2];c:{x}",
  })
  void survivesARoundTripThroughParse(String text) {
    ResourceSpec spec = ResourceSpec.parse(text);

    assertThat(spec.toString()).isEqualTo(text);
    assertThat(ResourceSpec.parse(spec.toString())).isEqualTo(spec);
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
  }

  // ---- arithmetic ----

  @Test
  void addsTwoSpecs() {
    ResourceSpec sum = ResourceSpec.of(1, 128).plus(
        ResourceSpec.builder().cpus(0.5).memMb(32).diskMb(10).gpus(1).ports(1).build());

    assertThat(sum)
        .isEqualTo(new ResourceSpec(1.5, 160, 10, 1, 1, Ranges.empty(), Optional.empty()));
    assertThat(ResourceSpec.parse("cpus:1;mem:1;ports:2")
        .plus(ResourceSpec.parse("cpus:1;mem:1;ports:3")).portCount()).isEqualTo(5);
  }

  @Test
  void joinsSpecificPortsWhenAdding() {
    ResourceSpec sum = ResourceSpec.parse("cpus:1;mem:1;ports:[8080-8080]")
        .plus(ResourceSpec.parse("cpus:1;mem:1;ports:[9090-9090]"));

    assertThat(sum.ports()).isEqualTo(Ranges.parse("[8080-8080,9090-9090]"));
    assertThat(sum.portCount()).isZero();
  }

  @Test
  void keepsTheRoleOfTheLeftSpecWhenAdding() {
    ResourceSpec prod = ResourceSpec.parse("cpus(prod):1;mem(prod):1");

    assertThat(prod.plus(ResourceSpec.of(1, 1)).role()).contains("prod");
    assertThat(ResourceSpec.of(1, 1).plus(prod).role()).isEmpty();
  }

  @Test
  void refusesToAddCountedAndSpecificPorts() {
    assertRejected(
        () -> ResourceSpec.parse("cpus:1;mem:1;ports:2")
            .plus(ResourceSpec.parse("cpus:1;mem:1;ports:[9000-9000]")),
        "cannot add a spec with counted ports to one with specific ports: cpus:1;mem:1;ports:2"
            + " + cpus:1;mem:1;ports:[9000-9000]");
  }

  private static void assertRejected(Supplier<ResourceSpec> build, String message) {
    assertThatThrownBy(build::get)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
