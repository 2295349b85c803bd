package dev.mesoskit.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.mesoskit.core.executor.ExecutorMain.Driver;
import dev.mesoskit.core.http.HttpExecutorBackend;
import dev.mesoskit.core.jni.NativeExecutorBackend;
import dev.mesoskit.core.spi.ExecutorBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class ExecutorMainTest {
  private static final String[] NO_ARGS = {};

  private static Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("MESOS_FRAMEWORK_ID", "fw-1");
    env.put("MESOS_EXECUTOR_ID", "exec-1");
    env.put("MESOS_AGENT_ENDPOINT", "127.0.0.1:1");
    return env;
  }

  @Test
  void theHttpClientBufferIsRaisedUnlessTheJvmHasOne() {
    Properties unset = new Properties();
    ExecutorMain.defaultHttpBufferSize(unset);
    assertThat(unset.getProperty("jdk.httpclient.bufsize")).isEqualTo("262144");

    Properties chosen = new Properties();
    chosen.setProperty("jdk.httpclient.bufsize", "32768");
    ExecutorMain.defaultHttpBufferSize(chosen);
    assertThat(chosen.getProperty("jdk.httpclient.bufsize")).isEqualTo("32768");
  }

  @Test
  void theHttpApiIsTheDefault() {
    assertThat(ExecutorMain.driver(NO_ARGS, n -> null, n -> null)).isEqualTo(Driver.HTTP);
  }

  @Test
  void theArgumentWinsOverThePropertyWhichWinsOverTheEnvironment() {
    Map<String, String> env = Map.of(ExecutorMain.DRIVER_ENV, "native");
    Map<String, String> props = Map.of(ExecutorMain.DRIVER_PROPERTY, "http");

    assertThat(ExecutorMain.driver(NO_ARGS, env::get, n -> null)).isEqualTo(Driver.NATIVE);
    assertThat(ExecutorMain.driver(NO_ARGS, env::get, props::get)).isEqualTo(Driver.HTTP);
    assertThat(ExecutorMain.driver(new String[] {"--driver=native"}, env::get, props::get))
        .isEqualTo(Driver.NATIVE);
    assertThat(ExecutorMain.driver(new String[] {"x", "--driver", "NATIVE"}, n -> null,
        props::get)).isEqualTo(Driver.NATIVE);
  }

  @Test
  void aDriverThatIsNeitherHttpNorNativeIsNamedWithItsSource() {
    assertThatThrownBy(() -> ExecutorMain.driver(new String[] {"--driver=jni"}, n -> null,
        n -> null)).hasMessage("--driver must be 'http' or 'native' but was 'jni'");
    assertThatThrownBy(() -> ExecutorMain.driver(new String[] {"--driver"}, n -> null,
        n -> null)).hasMessage("--driver needs a value: http or native");
    assertThatThrownBy(() -> ExecutorMain.driver(NO_ARGS, n -> null,
        Map.of(ExecutorMain.DRIVER_PROPERTY, "grpc")::get))
        .hasMessage("system property mesoskit.executor.driver must be 'http' or 'native' but"
            + " was 'grpc'");
  }

  @Test
  void theProgressIntervalComesFromItsPropertyAndABadOneIsNamed() {
    assertThat(ExecutorMain.progressInterval(n -> null))
        .isEqualTo(ExecutorRuntime.DEFAULT_PROGRESS_INTERVAL);
    assertThat(ExecutorMain.progressInterval(
        Map.of(ExecutorMain.PROGRESS_INTERVAL_PROPERTY, "PT0S")::get)).isEqualTo(Duration.ZERO);
    assertThat(ExecutorMain.progressInterval(
        Map.of(ExecutorMain.PROGRESS_INTERVAL_PROPERTY, " PT5S ")::get))
        .isEqualTo(Duration.ofSeconds(5));
    for (String bad : List.of("5s", "-PT1S", "P2D")) {
      assertThatThrownBy(() -> ExecutorMain.progressInterval(
          Map.of(ExecutorMain.PROGRESS_INTERVAL_PROPERTY, bad)::get))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("system property mesoskit.executor.progress-interval must be a duration"
              + " from PT0S to P1D, e.g. PT5S, but was '" + bad + "'");
    }
  }

  @Test
  void theHttpBackendIsConfiguredFromTheEnvironment() {
    Map<String, String> env = environment();
    env.put("MESOS_CHECKPOINT", "1");
    env.put("MESOS_RECOVERY_TIMEOUT", "1mins");
    env.put("MESOS_SUBSCRIPTION_BACKOFF_MAX", "250ms");

    ExecutorBackend backend = ExecutorMain.backend(Driver.HTTP, ExecutorEnvironment.from(env));

    assertThat(backend).isInstanceOf(HttpExecutorBackend.class)
        .hasToString("HttpExecutorBackend[agent=http://127.0.0.1:1, executor=exec-1]");
    assertThat(ExecutorMain.backend(Driver.NATIVE, ExecutorEnvironment.from(env)))
        .isInstanceOf(NativeExecutorBackend.class);
  }

  @Test
  void aMissingVariableEndsWithTheConfigurationCodeBeforeAnyTaskRuns() {
    List<String> ran = new ArrayList<>();
    Map<String, String> env = environment();
    env.remove("MESOS_FRAMEWORK_ID");

    int code = ExecutorMain.run(NO_ARGS, env::get, n -> null, c -> ran.add("ran"),
        ExecutorMain::backend);

    assertThat(code).isEqualTo(ExecutorMain.EXIT_CONFIGURATION).isEqualTo(2);
    assertThat(ran).isEmpty();
  }

  @Test
  void theHttpApiWithoutAnAgentEndpointEndsWithTheConfigurationCode() {
    Map<String, String> env = environment();
    env.remove("MESOS_AGENT_ENDPOINT");

    assertThat(ExecutorMain.run(NO_ARGS, env::get, n -> null, c -> { }, ExecutorMain::backend))
        .isEqualTo(ExecutorMain.EXIT_CONFIGURATION);
    assertThatThrownBy(() -> ExecutorEnvironment.from(env).requireAgentEndpoint())
        .hasMessage("MESOS_AGENT_ENDPOINT must be set by the agent for the HTTP executor API but"
            + " was unset: run under a Mesos agent 1.0 or newer, or use the native driver"
            + " (--driver=native)");
  }

  @Test
  void theNativeDriverWithoutLibmesosEndsWithTheConfigurationCode() {
    // This machine has no libmesos; a machine with MESOS_NATIVE_JAVA_LIBRARY set has one.
    assumeThat(System.getenv("MESOS_NATIVE_JAVA_LIBRARY")).isNull();
    assumeThat(System.getenv("MESOS_NATIVE_LIBRARY")).isNull();

    int code = ExecutorMain.run(new String[] {"--driver=native"}, environment()::get, n -> null,
        c -> { }, ExecutorMain::backend);

    assertThat(code).isEqualTo(ExecutorMain.EXIT_CONFIGURATION);
  }

  @Test
  void anUnreachableAgentWithoutCheckpointingEndsWithTheAgentLostCode() {
    int code = ExecutorMain.run(NO_ARGS, environment()::get, n -> null, c -> { },
        ExecutorMain::backend);

    assertThat(code).isEqualTo(ExecutorMain.EXIT_AGENT_LOST).isEqualTo(3);
  }

  @Test
  void theExitCodesAreDistinct() {
    assertThat(List.of(ExecutorMain.EXIT_SHUTDOWN, ExecutorMain.EXIT_CONFIGURATION,
        ExecutorMain.EXIT_AGENT_LOST)).containsExactly(0, 2, 3);
  }
}
