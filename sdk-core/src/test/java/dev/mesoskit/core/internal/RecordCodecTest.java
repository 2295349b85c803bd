package dev.mesoskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.PodSpec;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.Volume;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Specs stored as bytes come back equal, from this version of a record or an older one. */
class RecordCodecTest {

  record V1(String a, int dropped) {}

  record V2(String a, Optional<String> b, List<String> c, Set<TaskState> d, Map<String, Long> e,
      boolean f, long g) {}

  record V3(String a, String required) {}

  record DroppedAsText(String a, String dropped) {}

  record Leaves(Instant at, BigDecimal amount, Optional<Integer> boxed, Set<String> tags) {}

  record Unsupported(String name, Optional<UUID> id) {}

  private static final CommandSpec FULL_COMMAND = CommandSpec.builder()
      .shell("./run.sh --port $PORT0")
      .env("MODE", "prod")
      .env("LEVEL", "3")
      .uri(new FetchUri("https://example.com/app.tgz", true, false, true, Optional.of("app.tgz")))
      .uri(FetchUri.of("https://example.com/run.sh"))
      .user("nobody")
      .build();

  private static final ResourceSpec PORTS_AND_ROLE = ResourceSpec.builder()
      .cpus(1.5)
      .memMb(256)
      .diskMb(100)
      .gpus(1)
      .ports(Ranges.parse("[31000-31002,32000-32000]"))
      .role("web")
      .build();

  private static final RetryPolicy RETRY = RetryPolicy.builder()
      .maxAttempts(5)
      .initialBackoff(Duration.ofMillis(250))
      .maxBackoff(Duration.ofSeconds(30))
      .multiplier(1.5)
      .jitter(0.1)
      .retryOn(EnumSet.of(TaskState.FAILED, TaskState.LOST))
      .neverRetryReasons(new LinkedHashSet<>(List.of("REASON_B", "REASON_A")))
      .build();

  private static final ContainerSpec DOCKER = ContainerSpec.builder()
      .dockerEngine("nginx:1.25")
      .network(ContainerSpec.Network.BRIDGE)
      .portMapping(80, 0)
      .portMapping(443, 1)
      .parameter("cap-add", "NET_ADMIN")
      .forcePull(true)
      .volume(Volume.host("/var/log", "/logs", Volume.Mode.RO))
      .volume(Volume.sandbox("data", "/data", Volume.Mode.RW))
      .build();

  private static TaskSpec roundTrip(TaskSpec spec) {
    return RecordCodec.decode(RecordCodec.encode(spec), TaskSpec.class);
  }

  @Test
  void commandTaskWithEveryFieldSetComesBackEqual() {
    TaskSpec spec = TaskSpec.builder()
        .id("web-1")
        .name("web")
        .resources(PORTS_AND_ROLE)
        .command(FULL_COMMAND)
        .data(new byte[] {0, 1, -1, 127})
        .env("ZETA", "z")
        .env("ALPHA", "a")
        .label("team", "infra")
        .label("tier", "front")
        .retryPolicy(RETRY)
        .timeout(Duration.ofMinutes(10))
        .placementTimeout(Duration.ofSeconds(90))
        .killGracePeriod(Duration.ofMillis(1500))
        .container(DOCKER)
        .healthCheck(HealthCheck.builder(new Probe.Http(CheckPort.assigned(2), "/health", true))
            .delay(Duration.ofSeconds(1))
            .interval(Duration.ofSeconds(2))
            .timeout(Duration.ofSeconds(3))
            .gracePeriod(Duration.ofSeconds(4))
            .consecutiveFailures(7)
            .build())
        .readinessCheck(ReadinessCheck.of(new Probe.Tcp(CheckPort.fixed(8080))))
        .role("web")
        .build();

    TaskSpec back = roundTrip(spec);

    assertThat(back).isEqualTo(spec);
    assertThat(back.data()).containsExactly(0, 1, -1, 127);
    assertThat(back.env().keySet()).containsExactly("ZETA", "ALPHA");
    assertThat(back.retryPolicy().orElseThrow().neverRetryReasons())
        .containsExactlyInAnyOrder("REASON_B", "REASON_A"); // RetryPolicy keeps no order
    assertThat(back.resources().ports()).isEqualTo(Ranges.parse("[31000-31002,32000]"));
  }

  @Test
  void executorTaskWithContainerComesBackEqual() {
    ExecutorSpec executor = new ExecutorSpec("exec-1", "the executor", FULL_COMMAND,
        ResourceSpec.parse("cpus:0.2;mem:64"), Optional.of(ContainerSpec.image("java:17")));
    TaskSpec spec = TaskSpec.builder()
        .id("job-1")
        .name("job")
        .resources("cpus:1;mem:128;ports:2")
        .executor(executor)
        .data("payload")
        .healthCheck(HealthCheck.of(new Probe.Command(CommandSpec.shell("test -f ready"))))
        .readinessCheck(ReadinessCheck.of(new Probe.Http(CheckPort.assigned(1), "/ready", false)))
        .build();

    assertThat(roundTrip(spec)).isEqualTo(spec);
  }

  @Test
  void minimalTaskComesBackEqual() {
    TaskSpec spec = TaskSpec.builder().name("hello").resources("cpus:0.1;mem:32")
        .command("echo hello").build();

    assertThat(roundTrip(spec)).isEqualTo(spec);
  }

  @Test
  void podOfTwoTasksComesBackEqual() {
    PodSpec pod = PodSpec.builder("pod")
        .task(TaskSpec.builder().name("a").resources("cpus:0.5;mem:64").command("run a")
            .container(ContainerSpec.image("alpine:3")).build())
        .task(TaskSpec.builder().name("b").resources("cpus:0.5;mem:64").command("run b")
            .env("B", "1").build())
        .sharedVolume("shared")
        .executorResources(ResourceSpec.parse("cpus:0.2;mem:48;disk:20"))
        .build();

    assertThat(RecordCodec.decode(RecordCodec.encode(pod), PodSpec.class)).isEqualTo(pod);
  }

  @Test
  void eachProbeKindComesBackAsItsOwnSubtype() {
    for (Probe probe : List.of(new Probe.Http(CheckPort.fixed(80), "/", false),
        new Probe.Tcp(CheckPort.assigned(0)),
        new Probe.Command(CommandSpec.builder().exec("curl", "-f", "localhost").build()))) {
      HealthCheck check = HealthCheck.of(probe);

      HealthCheck back = RecordCodec.decode(RecordCodec.encode(check), HealthCheck.class);

      assertThat(back).isEqualTo(check);
      assertThat(back.probe()).isInstanceOf(probe.getClass());
    }
  }

  @Test
  void otherLeafTypesComeBackEqual() {
    Leaves leaves = new Leaves(Instant.parse("2026-01-02T03:04:05.123456789Z"),
        new BigDecimal("12.50"), Optional.of(42), new LinkedHashSet<>(List.of("y", "x")));

    Leaves back = RecordCodec.decode(RecordCodec.encode(leaves), Leaves.class);

    assertThat(back).isEqualTo(leaves);
    assertThat(back.tags()).containsExactly("y", "x");
  }

  @Test
  void olderBytesDecodeIntoTheNewerRecordWithEmptyDefaultsAndSkipUnknownFields() {
    byte[] old = RecordCodec.encode(new V1("x", 7));

    V2 newer = RecordCodec.decode(old, V2.class);

    assertThat(newer).isEqualTo(new V2("x", Optional.empty(), List.of(), Set.of(), Map.of(),
        false, 0L));
  }

  @Test
  void newerBytesDecodeIntoTheOlderRecordSkippingEveryKindOfUnknownField() {
    Map<String, Long> e = new LinkedHashMap<>();
    e.put("k", 1L);
    V2 newer = new V2("x", Optional.of("b"), List.of("c1", "c2"),
        EnumSet.of(TaskState.RUNNING, TaskState.FAILED), e, true, 9L);

    byte[] bytes = RecordCodec.encode(newer);

    assertThat(RecordCodec.decode(bytes, V1.class)).isEqualTo(new V1("x", 0));
    V2 back = RecordCodec.decode(bytes, V2.class);
    assertThat(back).isEqualTo(newer);
    assertThat(back.d()).isInstanceOf(EnumSet.class);
  }

  @Test
  void aMissingComponentWithoutDefaultNamesTheRecordAndComponent() {
    byte[] old = RecordCodec.encode(new V1("x", 7));

    assertThatThrownBy(() -> RecordCodec.decode(old, V3.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the stored V3 has no required, and a missing String has no default");
  }

  @Test
  void truncatedBytesFailNamingWhatWasExpected() {
    TaskSpec spec = TaskSpec.builder().name("hello").resources("cpus:0.1;mem:32")
        .command("echo hello").build();
    byte[] bytes = RecordCodec.encode(spec);

    assertThatThrownBy(() -> RecordCodec.decode(Arrays.copyOf(bytes, bytes.length - 1),
        TaskSpec.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truncated bytes: expected the value of TaskSpec.role");
    assertThatThrownBy(() -> RecordCodec.decode(Arrays.copyOf(bytes, 3), TaskSpec.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("truncated bytes: expected magic and version but found 3 bytes");
  }

  @Test
  void wrongMagicFailsNamingBothNumbers() {
    byte[] bytes = "JSON{}".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> RecordCodec.decode(bytes, TaskSpec.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a stored record: expected magic 0x4D4B5243 but found 0x4A534F4E");
  }

  @Test
  void bytesAfterTheRecordFail() {
    byte[] stored = RecordCodec.encode(new V1("x", 1));
    byte[] extended = Arrays.copyOf(stored, stored.length + 2);

    assertThatThrownBy(() -> RecordCodec.decode(extended, V1.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("corrupt bytes: 2 unexpected bytes after the V1");
  }

  @Test
  void aValueOfTheWrongTypeFailsNamingTheComponent() {
    byte[] bytes = RecordCodec.encode(new DroppedAsText("x", "y"));

    assertThatThrownBy(() -> RecordCodec.decode(bytes, V1.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("corrupt bytes: expected int for V1.dropped but found string");
  }

  @Test
  void anUnsupportedComponentTypeFailsNamingTypeRecordAndComponent() {
    assertThatThrownBy(() -> RecordCodec.encode(new Unsupported("n", Optional.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot store java.util.Optional<java.util.UUID> of Unsupported.id");
  }
}
