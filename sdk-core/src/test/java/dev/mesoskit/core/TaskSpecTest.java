package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskSpecTest {
  private static final ExecutorSpec EXECUTOR = ExecutorSpec.of("exec", CommandSpec.shell("./run"));

  private static TaskSpec.Builder command() {
    return TaskSpec.builder().name("hello").resources(ResourceSpec.of(0.1, 32)).command("echo hi");
  }

  @Test
  void buildsACommandTaskWithTheDocumentedDefaults() {
    TaskSpec spec = command().build();

    assertThat(spec.id()).isEmpty();
    assertThat(spec.name()).isEqualTo("hello");
    assertThat(spec.resources()).isEqualTo(ResourceSpec.of(0.1, 32));
    assertThat(spec.command()).contains(CommandSpec.shell("echo hi"));
    assertThat(spec.executor()).isEmpty();
    assertThat(spec.data()).isEmpty();
    assertThat(spec.env()).isEmpty();
    assertThat(spec.labels()).isEmpty();
    assertThat(spec.retryPolicy()).isEmpty();
    assertThat(spec.timeout()).isEmpty();
    assertThat(spec.placementTimeout()).isEmpty();
    assertThat(spec).hasToString(
        "TaskSpec[id=(derived), name=hello, resources=cpus:0.1;mem:32, command=echo hi,"
            + " data=0 bytes]");
  }

  @Test
  void buildsAnExecutorTask() {
    TaskSpec spec = TaskSpec.builder().id("t-1").name("work").resources("cpus:1;mem:64")
        .executor(EXECUTOR).data("payload").retryPolicy(RetryPolicy.none()).build();

    assertThat(spec.id()).contains(TaskId.of("t-1"));
    assertThat(spec.executor()).contains(EXECUTOR);
    assertThat(spec.command()).isEmpty();
    assertThat(spec.data()).isEqualTo("payload".getBytes(StandardCharsets.UTF_8));
    assertThat(spec.retryPolicy()).contains(RetryPolicy.none());
    assertThat(spec).hasToString(
        "TaskSpec[id=t-1, name=work, resources=cpus:1;mem:64, executor=exec, data=7 bytes]");
  }

  @Test
  void refusesATaskAndExecutorThatAskForOneResourceNameAsTwoTypes() {
    ExecutorSpec licensed = new ExecutorSpec("lic", "lic", CommandSpec.shell("./run"),
        ResourceSpec.parse("cpus:0.1;mem:32;licenses:{a}"));

    assertThatThrownBy(() -> TaskSpec.builder().name("t").resources("cpus:1;licenses:1")
        .executor(licensed).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task 't' asks for resource 'licenses' as SCALAR (licenses:1) but its"
            + " executor 'lic' as SET (licenses:{a}); a Mesos agent has one type per resource"
            + " name");
    assertThat(TaskSpec.builder().name("t").resources("cpus:1;licenses:{b}").executor(licensed)
        .build().resources()).hasToString("cpus:1;licenses:{b}");
  }

  @Test
  void needsExactlyOneOfCommandOrExecutor() {
    assertThatThrownBy(() -> TaskSpec.builder().name("t").resources(ResourceSpec.of(1, 1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a task must have exactly one of command or executor (or neither, to run its"
            + " container image's entrypoint) but had neither");
    assertThatThrownBy(() -> command().executor(EXECUTOR).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a task must have exactly one of command or executor (or neither, to run its"
            + " container image's entrypoint) but had both");
  }

  @Test
  void needsANameAndResources() {
    assertThatThrownBy(() -> command().name(null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank but was null");
    assertThatThrownBy(() -> command().name(" ").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank but was  ");
    assertThatThrownBy(() -> command().resources((ResourceSpec) null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resources must be set");
  }

  @Test
  void validatesTheIdAsItIsSet() {
    assertThatThrownBy(() -> command().id("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not contain '/', '\\' or control characters but was 'a/b'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1ST", "A-B", "A B", "", "É"})
  void rejectsEnvNamesAShellCannotHold(String name) {
    assertThatThrownBy(() -> command().env(name, "v").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("env name must match [A-Za-z_][A-Za-z0-9_]* but was '" + name + "'");
  }

  @Test
  void acceptsEnvNamesAShellCanHoldAndKeepsTheirOrder() {
    TaskSpec spec = command().env("_Z9", "1").env("A", "2").env("PATH_2", "").build();

    assertThat(spec.env()).containsExactly(
        Map.entry("_Z9", "1"), Map.entry("A", "2"), Map.entry("PATH_2", ""));
  }

  @Test
  void rejectsNullEnvValues() {
    assertThatThrownBy(() -> command().env("A", null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("env value must not be null for A");
  }

  @Test
  void reservesTheEnvLabelPrefix() {
    assertThatThrownBy(() -> command().label("mesoskit.env.PATH", "/bin").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label keys starting with 'mesoskit.env.' are reserved for env but was"
            + " 'mesoskit.env.PATH'");
    assertThat(command().label("mesoskit.environment", "x").build().labels())
        .containsEntry("mesoskit.environment", "x");
  }

  @Test
  void rejectsEmptyLabelKeysAndNullValues() {
    assertThatThrownBy(() -> command().label("", "v").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label keys must be non-empty and values non-null but was =v");
    assertThatThrownBy(() -> command().label("k", null).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("label keys must be non-empty and values non-null but was k=null");
  }

  @Test
  void copiesDataOnTheWayInAndOut() {
    byte[] bytes = {1, 2, 3};
    TaskSpec spec = command().data(bytes).build();

    bytes[0] = 9;
    byte[] out = spec.data();
    out[1] = 9;

    assertThat(spec.data()).containsExactly(1, 2, 3);
  }

  @Test
  void copiesDataGivenToTheConstructor() {
    byte[] bytes = {1, 2, 3};
    TaskSpec spec = new TaskSpec(Optional.empty(), "t", ResourceSpec.of(1, 1),
        Optional.of(CommandSpec.shell("x")), Optional.empty(), bytes, Map.of(), Map.of(),
        Optional.empty());

    bytes[0] = 9;

    assertThat(spec.data()).containsExactly(1, 2, 3);
  }

  @Test
  void copiesEnvAndLabelsIntoUnmodifiableMaps() {
    Map<String, String> env = new LinkedHashMap<>(Map.of("A", "1"));
    TaskSpec spec = new TaskSpec(Optional.empty(), "t", ResourceSpec.of(1, 1),
        Optional.of(CommandSpec.shell("x")), Optional.empty(), new byte[0], env, Map.of(),
        Optional.empty());

    env.put("B", "2");

    assertThat(spec.env()).containsExactly(Map.entry("A", "1"));
    assertThatThrownBy(() -> spec.env().put("C", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> spec.labels().put("C", "3"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void comparesDataByContent() {
    TaskSpec a = command().data(new byte[] {1, 2}).build();
    TaskSpec b = command().data(new byte[] {1, 2}).build();
    TaskSpec c = command().data(new byte[] {1, 3}).build();

    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(c);
    assertThat(a).isNotEqualTo(command().build());
  }

  @Test
  void comparesEveryOtherField() {
    TaskSpec base = command().build();

    assertThat(command().build()).isEqualTo(base);
    assertThat(command().id("x").build()).isNotEqualTo(base);
    assertThat(command().name("other").build()).isNotEqualTo(base);
    assertThat(command().resources(ResourceSpec.of(0.2, 32)).build()).isNotEqualTo(base);
    assertThat(command().command("echo bye").build()).isNotEqualTo(base);
    assertThat(command().env("A", "1").build()).isNotEqualTo(base);
    assertThat(command().label("a", "1").build()).isNotEqualTo(base);
    assertThat(command().retryPolicy(RetryPolicy.none()).build()).isNotEqualTo(base);
    assertThat(command().timeout(Duration.ofSeconds(1)).build()).isNotEqualTo(base);
    assertThat(command().placementTimeout(Duration.ofSeconds(1)).build()).isNotEqualTo(base);
  }

  @Test
  void rebuildsFromToBuilder() {
    TaskSpec spec = TaskSpec.builder().id("t-1").name("work").resources("cpus:1;mem:64;ports:2")
        .executor(EXECUTOR).data(new byte[] {7}).env("A", "1").label("team", "x")
        .retryPolicy(RetryPolicy.none()).timeout(Duration.ofMinutes(10))
        .placementTimeout(Duration.ofMinutes(5)).build();

    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    assertThat(spec.toBuilder().build().hashCode()).isEqualTo(spec.hashCode());
    assertThat(spec.toBuilder().data(new byte[] {8}).build().data()).containsExactly(8);
    assertThat(spec.data()).containsExactly(7);
  }

  @Test
  void keepsBothDeadlinesAndShowsThemInToString() {
    TaskSpec spec = command().timeout(Duration.ofSeconds(10))
        .placementTimeout(Duration.ofMinutes(5)).build();

    assertThat(spec.timeout()).contains(Duration.ofSeconds(10));
    assertThat(spec.placementTimeout()).contains(Duration.ofMinutes(5));
    assertThat(spec).hasToString(
        "TaskSpec[id=(derived), name=hello, resources=cpus:0.1;mem:32, command=echo hi,"
            + " data=0 bytes, timeout=PT10S, placementTimeout=PT5M]");
    assertThat(spec.toBuilder().timeout(null).placementTimeout(null).build())
        .isEqualTo(command().build());
  }

  @Test
  void refusesATimeoutThatIsNotPositive() {
    assertThatThrownBy(() -> command().timeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be > 0 but was PT0S");
    assertThatThrownBy(() -> command().placementTimeout(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("placementTimeout must be > 0 but was PT-1S");
  }

  @Test
  void theConstructorWithoutDeadlinesSetsNone() {
    TaskSpec spec = new TaskSpec(Optional.empty(), "hello", ResourceSpec.of(0.1, 32),
        Optional.of(CommandSpec.shell("echo hi")), Optional.empty(), new byte[0], Map.of(),
        Map.of(), Optional.empty());

    assertThat(spec).isEqualTo(command().build());
  }

  @Test
  void aKillGracePeriodIsKeptAndCopiedByToBuilder() {
    TaskSpec spec = TaskSpec.builder().name("t").resources("cpus:1;mem:1").command("true")
        .killGracePeriod(Duration.ofSeconds(3)).build();

    assertThat(spec.killGracePeriod()).hasValue(Duration.ofSeconds(3));
    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    assertThat(spec.toString()).endsWith(", killGracePeriod=PT3S]");
    assertThat(TaskSpec.builder().name("t").resources("cpus:1;mem:1").command("true")
        .killGracePeriod(Duration.ZERO).build().killGracePeriod()).hasValue(Duration.ZERO);
    assertThat(TaskSpec.builder().name("t").resources("cpus:1;mem:1").command("true").build()
        .killGracePeriod()).isEmpty();
  }

  @Test
  void aNegativeKillGracePeriodIsRefused() {
    assertThatThrownBy(() -> TaskSpec.builder().name("t").resources("cpus:1;mem:1")
        .command("true").killGracePeriod(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("killGracePeriod must be >= 0 but was PT-1S");
  }
}
