package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.http.testing.FakeAgent;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos.FrameworkInfo.Capability;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The executor's hot path never builds the descriptors of {@code mesos.proto}: the
 * {@link HttpExecutorBackend} of a class loader of its own subscribes, takes a launch, sends its
 * updates and a message and takes the agent's other events (from a {@link FakeAgent} of the test's
 * own loader, which uses protobuf's generated messages), and neither
 * {@code org.apache.mesos.v1.Protos} nor {@code org.apache.mesos.v1.executor.Protos} of that
 * loader is ever initialized; nor is protobuf's {@code CodedOutputStream}, whose static
 * {@code java.util.logging} logger would start the JDK's log manager.
 */
@Timeout(60)
class ExecutorCodecClassLoadingTest {
  private static final String[] NEVER_INITIALIZED = {
      "org.apache.mesos.v1.Protos", "org.apache.mesos.v1.executor.Protos",
      "com.google.protobuf.CodedOutputStream"};

  @Test
  void theExecutorsHotPathNeverInitializesTheMesosDescriptors() throws Exception {
    FakeAgent agent = FakeAgent.start("fw-1", "exec-1");
    // SUBSCRIBED names capabilities, as a MesosKit framework's does: the decoder reads their enum.
    agent.frameworkCapabilities(Capability.Type.MULTI_ROLE, Capability.Type.TASK_KILLING_STATE,
        Capability.Type.PARTITION_AWARE);
    try (URLClassLoader fresh = freshLoader()) {
      Class<?> workout = Class.forName(ExecutorHotPathWorkout.class.getName(), true, fresh);
      Object run = workout.getConstructor(String.class).newInstance(agent.endpoint());
      agent.launch(agent.task("t1", "data", Map.of("k", "v"), "cpus:0.5;mem:32;ports:[31000-31000]"));
      workout.getMethod("runTask", String.class).invoke(run, "t1");
      agent.kill("t1", Duration.ofSeconds(1));
      agent.message("hi".getBytes(StandardCharsets.UTF_8));
      agent.error("oops");
      agent.shutdown();
      workout.getMethod("awaitLine", String.class).invoke(run, "shutdown");
      agent.awaitCall(org.apache.mesos.v1.executor.Protos.Call.Type.MESSAGE, c -> true,
          Duration.ofSeconds(20));
      @SuppressWarnings("unchecked")
      List<String> lines = (List<String>) workout.getMethod("lines").invoke(run);
      workout.getMethod("close").invoke(run);
      assertThat(workout.getMethod("capabilities").invoke(run)).asString()
          .isEqualTo("[MULTI_ROLE, PARTITION_AWARE, TASK_KILLING_STATE]");
      assertThat(lines).containsSubsequence("launch t1", "kill t1 1000ms", "message hi",
          "error oops", "shutdown");
      for (String name : NEVER_INITIALIZED) {
        assertThat(initialized(Class.forName(name, false, fresh))).as(name).isFalse();
      }
      // The check itself sees an initialization.
      Class<?> protos = Class.forName(NEVER_INITIALIZED[0], true, fresh);
      assertThat(initialized(protos)).isTrue();
    } finally {
      agent.close();
    }
  }

  /**
   * In a JVM of its own (the test's JVM has long started the JDK's HTTP clients), an executor's
   * backend to a plain {@code http://} agent subscribes, runs a task, sends its updates and a
   * message, and closes without loading a class of the JDK's {@code java.net.http} client.
   */
  @Test
  void theDefaultTransportNeverLoadsTheJdkHttpClient() throws Exception {
    Path log = Files.createTempFile("executor-classes", ".log");
    try (FakeAgent agent = FakeAgent.start("fw-1", "exec-1")) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-Xlog:class+load=info:file=" + log,
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty(
              "surefire.test.class.path", System.getProperty("java.class.path")),
          ExecutorHotPathWorkout.class.getName(), agent.endpoint())
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
      try {
        BufferedReader out = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("subscribed");
        agent.launch(agent.task("t1", "data"));
        agent.awaitCall(org.apache.mesos.v1.executor.Protos.Call.Type.MESSAGE, c -> true,
            Duration.ofSeconds(20));
        agent.shutdown();
        assertThat(out.readLine()).isEqualTo("closed [subscribed fw-1 exec-1 fake-agent-1"
            + " fake-agent.host, launch t1, shutdown]");
        assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
      } finally {
        child.destroyForcibly();
      }
      List<String> loaded = Files.readAllLines(log);
      assertThat(loaded).as("the log names the classes loaded")
          .anyMatch(l -> l.contains(" dev.mesoskit.core.http.BlockingPost "));
      assertThat(loaded).filteredOn(l -> l.contains(" jdk.internal.net.http.")).isEmpty();
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private static boolean initialized(Class<?> c) throws Exception {
    Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
    f.setAccessible(true);
    sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
    @SuppressWarnings("removal")
    boolean pending = unsafe.shouldBeInitialized(c);
    return !pending;
  }

  /** A loader of the test's class path that shares nothing but the JDK with the test's. */
  private static URLClassLoader freshLoader() throws Exception {
    String path = System.getProperty("surefire.test.class.path",
        System.getProperty("java.class.path"));
    List<URL> urls = new ArrayList<>();
    for (String entry : path.split(File.pathSeparator)) {
      if (!entry.isBlank()) {
        urls.add(new File(entry).toURI().toURL());
      }
    }
    URLClassLoader loader =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    // Surefire's -ea would turn on the decoder's cross-check, which parses with protobuf.
    loader.setDefaultAssertionStatus(false);
    return loader;
  }
}
