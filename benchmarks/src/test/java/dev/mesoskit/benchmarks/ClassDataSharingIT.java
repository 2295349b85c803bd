package dev.mesoskit.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.JavaExecutor;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An executor with a class-data sharing archive, on a {@link LocalCluster}: the archive is
 * trained, fetched into the sandbox beside the jar, and the executor JVM maps its main class from
 * it and runs its task. Uses the shaded {@code target/benchmarks-executor.jar} that {@code
 * package} builds before failsafe runs.
 */
class ClassDataSharingIT {
  private static final Path EXECUTOR_JAR = Path.of("target", "benchmarks-executor.jar");

  @TempDir
  Path dir;

  @Test
  void anExecutorWithItsArchiveMapsItsMainClassFromTheArchiveAndRunsItsTask() throws Exception {
    JavaExecutor executor = JavaExecutor.builder().name("coldstart")
        .mainClass(ColdStartExecutor.class).jar(EXECUTOR_JAR.toAbsolutePath())
        .jvmOptions("-Xlog:class+load").classDataSharing(true).classDataCache(dir.resolve("cds"))
        .build();
    Path archive = executor.classDataArchive().get(3, TimeUnit.MINUTES).orElseThrow();
    Map<String, CompletableFuture<Task>> outcomes = new ConcurrentHashMap<>();
    try (LocalCluster cluster = LocalCluster.builder().agents(1).workDir(dir.resolve("cluster"))
            .start();
        ArtifactServer artifacts = ArtifactServer.builder().directory(dir.resolve("artifacts"))
            .bindAddress("127.0.0.1").advertisedHost("127.0.0.1").build().start();
        Framework fw = Framework.builder().name("class-data-sharing")
            .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
            .frameworkIdStore(FrameworkIdStore.inMemory()).retryPolicy(RetryPolicy.none())
            .refuse(Duration.ofMillis(10))
            .listener(t -> {
              if (t.done()) {
                outcomes.computeIfAbsent(t.id().value(), k -> new CompletableFuture<>())
                    .complete(t);
              }
            })
            .build()) {
      fw.start();
      ExecutorSpec spec = executor.publish(artifacts);
      assertThat(spec.command().shell()).isTrue();
      assertThat(spec.command().value()).contains("-XX:SharedArchiveFile=coldstart.jsa");
      fw.submit(TaskSpec.builder().id("t1").name("cds").resources("cpus:0.1;mem:16")
          .executor(spec).build());

      Task outcome = outcomes.computeIfAbsent("t1", k -> new CompletableFuture<>())
          .get(2, TimeUnit.MINUTES);

      assertThat(outcome.state()).isEqualTo(TaskState.FINISHED);
      assertThat(outcome.resultText().orElseThrow()).startsWith("cpu_ms=");
      Path sandbox = sandboxHolding(cluster.workDir(), "coldstart.jsa");
      assertThat(Files.mismatch(sandbox.resolve("coldstart.jsa"), archive)).isEqualTo(-1L);
      assertThat(Files.readAllLines(sandbox.resolve("stdout"))).anyMatch(line -> line.endsWith(
          "] " + ColdStartExecutor.class.getName() + " source: shared objects file (top)"));
      cluster.killExecutor(outcome.agentId().orElseThrow(), fw.frameworkId().orElseThrow(),
          spec.id());
      fw.finish();
    }
  }

  private static Path sandboxHolding(Path workDir, String file) throws Exception {
    try (Stream<Path> all = Files.walk(workDir)) {
      List<Path> found = all.filter(p -> p.getFileName().toString().equals(file)).toList();
      assertThat(found).hasSize(1);
      return found.get(0).getParent();
    }
  }
}
