package dev.mesoskit.artifacts.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The shared options parse into the backend, the id store, the artifact server and executor. */
class FrameworkOptionsTest {
  @TempDir
  Path dir;

  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Mixin
    FrameworkOptions cluster = new FrameworkOptions();

    @Override
    public void run() {}
  }

  private static FrameworkOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.cluster;
  }

  @Test
  void declaresTheSharedOptionsWithTheirDefaults() {
    CommandLine line = new CommandLine(new Probe());
    assertThat(line.getCommandSpec().options()).extracting(o -> o.longestName()).containsExactly(
        "--master", "--driver", "--principal", "--secret-file", "--framework-id-file",
        "--framework-state-dir",
        "--fresh", "--address", "--advertise", "--executor-jar", "--executor-java",
        "--executor-jvm-option", "--status-port", "--metrics-port");
    assertThat(line.getCommandSpec().findOption("--master").defaultValueString())
        .isEqualTo("local");
    assertThat(line.getCommandSpec().findOption("--driver").defaultValueString())
        .isEqualTo("http");
  }

  @Test
  void theEmbeddedClusterIsTheDefaultAndKeepsTheFrameworkIdInMemory() {
    FrameworkOptions options = parse();

    assertThat(options.master()).isEqualTo("local");
    assertThat(options.local()).isTrue();
    FrameworkIdStore store = options.frameworkIdStore(dir.resolve("id"));
    store.save("fw-1");
    assertThat(store.load()).contains("fw-1");
    assertThat(dir.resolve("id")).doesNotExist();
  }

  @Test
  void theStateStoreIsInMemoryLocallyBesideTheIdFileOnARealMasterOrTheDirectoryGiven() {
    Path idFile = dir.resolve("framework-id");
    assertThat(parse().stateStore(idFile).orElseThrow()).hasToString("InMemoryStateStore");
    assertThat(parse("--master=10.0.0.5:5050").stateStore(idFile).orElseThrow())
        .hasToString("FileStateStore[" + dir.resolve("framework-id.state") + "]");
    assertThat(parse("--master=10.0.0.5:5050", "--framework-state-dir",
        dir.resolve("given").toString()).stateStore(idFile).orElseThrow())
        .hasToString("FileStateStore[" + dir.resolve("given") + "]");
    assertThat(parse("--master=10.0.0.5:5050", "--framework-id-file",
        dir.resolve("id").toString()).stateStore(idFile)).isEmpty(); // the id alone
  }

  @Test
  void aRealMasterKeepsTheFrameworkIdInTheProgramsFileUnlessOneIsGiven() {
    FrameworkIdStore store = parse("--master=10.0.0.5:5050").frameworkIdStore(dir.resolve("id"));
    store.save("fw-2");
    assertThat(dir.resolve("id")).hasContent("fw-2");

    FrameworkIdStore given = parse("--framework-id-file", dir.resolve("given").toString())
        .frameworkIdStore(dir.resolve("id"));
    given.save("fw-3");
    assertThat(dir.resolve("given")).hasContent("fw-3");
  }

  @Test
  void buildsAFrameworkOnTheBackendTheOptionsName() {
    try (Framework framework = parse("--master=127.0.0.1:5050", "--framework-id-file",
        dir.resolve("id").toString()).framework("probe").build()) {
      assertThat(framework.toString()).isEqualTo("Framework[probe]");
    }
  }

  @Test
  void statusAndMetricsPortsServeTheFrameworksPageAndMetricsOnceMonitored() throws Exception {
    FrameworkOptions options = parse("--master=127.0.0.1:5050", "--framework-id-file",
        dir.resolve("id").toString(), "--status-port", "0", "--metrics-port", "0");
    try (Framework framework = options.framework("probe").build();
         Monitoring monitoring = options.monitor(framework)) {
      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      java.net.URI metrics = monitoring.metricsEndpoint().orElseThrow();
      java.net.URI page = monitoring.statusPage().orElseThrow();
      assertThat(monitoring.describe()).containsExactly("status page: " + page,
          "metrics: " + metrics);
      assertThat(page.toString()).matches("http://127\\.0\\.0\\.1:\\d+/");
      String scrape = http.send(java.net.http.HttpRequest.newBuilder(metrics).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scrape).contains("mesoskit_tasks_pending{framework=\"probe\"} 0.0");
      String status = http.send(java.net.http.HttpRequest.newBuilder(page.resolve("/api/status"))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(status).contains("\"name\":\"probe\"");
    }
  }

  @Test
  void aTakenMetricsPortFailsMonitorAndStopsTheStatusPageItStarted() throws Exception {
    int statusPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      statusPort = free.getLocalPort();
    }
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      FrameworkOptions options = parse("--master=127.0.0.1:5050", "--framework-id-file",
          dir.resolve("id").toString(), "--status-port", String.valueOf(statusPort),
          "--metrics-port", String.valueOf(taken.getLocalPort()));
      try (Framework framework = options.framework("probe").build()) {
        assertThatThrownBy(() -> options.monitor(framework))
            .isInstanceOf(java.io.UncheckedIOException.class)
            .hasMessageStartingWith("metrics server cannot bind ");
      }
    }
    // the status page started before the metrics failed, and was stopped: its port is free
    try (java.net.ServerSocket again = new java.net.ServerSocket(statusPort, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(statusPort);
    }
  }

  @Test
  void withoutPortsNothingIsServed() {
    FrameworkOptions options = parse("--master=127.0.0.1:5050", "--framework-id-file",
        dir.resolve("id").toString());
    try (Framework framework = options.framework("probe").build();
         Monitoring monitoring = options.monitor(framework)) {
      assertThat(monitoring.describe()).isEmpty();
      assertThat(monitoring.statusPage()).isEmpty();
    }
  }

  @Test
  void theExecutorsJavaIsThisJvmsOnThisMachineAndThePathsElsewhereUnlessGiven() {
    String mine = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    assertThat(parse().executorJava()).isEqualTo(mine);
    assertThat(parse("--master=127.0.0.1:5050").executorJava()).isEqualTo(mine);
    assertThat(parse("--master=localhost:5050,[::1]:5051").executorJava()).isEqualTo(mine);
    assertThat(parse("--master=[0:0:0:0:0:0:0:1]:5050").executorJava()).isEqualTo(mine);
    assertThat(parse("--master=10.0.0.5:5050").executorJava()).isEqualTo("java");
    assertThat(parse("--master=127.0.0.1:5050,mesos-2:5050").executorJava()).isEqualTo("java");
    assertThat(parse("--master=zk://127.0.0.1:2181/mesos").executorJava()).isEqualTo("java");
    assertThat(parse("--master=10.0.0.5:5050", "--executor-java", "/opt/jdk-17/bin/java")
        .executorJava()).isEqualTo("/opt/jdk-17/bin/java");
  }

  @Test
  void aBadDriverOrMasterNamesTheOption() {
    assertThatThrownBy(() -> parse("--driver=jni").backend())
        .isInstanceOf(UsageException.class)
        .hasMessage("--driver must be 'http' or 'native' but was 'jni'");
    assertThatThrownBy(() -> parse("--master=ftp://x").local())
        .isInstanceOf(UsageException.class).hasMessageStartingWith("--master: ");
  }

  @Test
  void whatTheBackendRefusesIsBadUsageNamingTheOption() {
    assertThatThrownBy(() -> parse("--master=10.0.0.5:5050", "--secret-file",
        dir.resolve("secret").toString()).backend())
        .isInstanceOf(UsageException.class).hasMessage("--secret-file needs --principal");
    assertThatThrownBy(() -> parse("--master=zk://").backend())
        .isInstanceOf(UsageException.class).hasMessageStartingWith("--master: ");
  }

  @Test
  void theArtifactServerBindsLoopbackForTheEmbeddedClusterAndAdvertisesWhatIsGiven() {
    try (ArtifactServer server = parse().artifactServer(dir.resolve("a")).build().start()) {
      assertThat(server.baseUri().getHost()).isEqualTo("127.0.0.1");
    }
    try (ArtifactServer server = parse("--master=10.0.0.5:5050", "--address", "127.0.0.1",
        "--advertise", "scheduler.example").artifactServer(dir.resolve("b")).build().start()) {
      assertThat(server.baseUri().toString()).startsWith("http://scheduler.example:");
    }
  }

  @Test
  void theExecutorIsTheGivenJarRunningTheMainClass() throws Exception {
    Path jar = dir.resolve("probe.jar"); // what a shaded jar holds of it: main class and runtime
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (String entry : List.of(Probe.class.getName().replace('.', '/') + ".class",
          "dev/mesoskit/core/executor/ExecutorMain.class")) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.closeEntry();
      }
    }
    FrameworkOptions options = parse("--executor-jar", jar.toString(), "--executor-java",
        "/opt/jdk-17/bin/java", "--executor-jvm-option=-Xmx2g", "--executor-jvm-option",
        "-XX:+UseSerialGC");
    try (ArtifactServer server = options.startArtifactServer("probe")) {
      ExecutorSpec spec = options.javaExecutor(server, "probe", Probe.class,
          ResourceSpec.of(0.1, 64), "-Xmx32m");
      assertThat(spec.id()).startsWith("probe-");
      assertThat(spec.command().arguments()).containsExactly("/opt/jdk-17/bin/java", "-Xmx32m",
          "-Xmx2g", "-XX:+UseSerialGC", "-cp", "probe.jar", Probe.class.getName());
      assertThat(spec.command().uris().get(0).uri()).isEqualTo(server.publish(jar).toString());
      assertThat(options.executorJar()).contains(jar);
    }
  }

  @Test
  void anExecutorThatIsNotAJarSaysToGiveExecutorJar() {
    FrameworkOptions given = parse("--executor-jar", dir.toString());
    FrameworkOptions own = parse();
    try (ArtifactServer server = own.startArtifactServer("probe")) {
      assertThatThrownBy(() -> given.javaExecutor(server, "probe", Probe.class,
          ResourceSpec.of(0.1, 64))).isInstanceOf(UsageException.class)
          .hasMessage("the executor must be a jar; give --executor-jar, not " + dir);
      // Run from target/test-classes, this class is in no jar.
      assertThatThrownBy(() -> own.javaExecutor(server, "probe", Probe.class,
          ResourceSpec.of(0.1, 64))).isInstanceOf(UsageException.class)
          .hasMessage(Probe.class.getName() + " was not loaded from a jar file but from "
              + Path.of("target/test-classes").toAbsolutePath()
              + "; build the jar or give --executor-jar");
    }
    assertThat(List.of(given.executorJar().orElseThrow())).containsExactly(dir);
  }
}
