package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.batch.Batch;
import dev.mesoskit.artifacts.batch.BatchCollector;
import dev.mesoskit.artifacts.batch.BatchSummary;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The scheduler: one task per image on the example's own executor, results collected once. */
@Command(name = "image-invert", mixinStandardHelpOptions = true,
    description = "Inverts images on a Mesos cluster (the embedded one by default).")
public final class InvertImages implements Callable<Integer> {
  @Option(names = "--master", description = "local, host:port or zk://... (default: ${DEFAULT-VALUE})")
  String master = "local";
  @Option(names = "--driver", description = "http or native (default: ${DEFAULT-VALUE})")
  String driver = "http";
  @Option(names = "--images", arity = "1..*", description = "directory, list file or URLs (default: ${DEFAULT-VALUE})")
  List<String> images = List.of("images");
  @Option(names = "--output", description = "where inverses go (default: ${DEFAULT-VALUE})")
  Path output = Path.of("inverted");
  @Option(names = "--state-dir", description = "finished-image records (default: <output>/.state)")
  Path stateDir;
  @Option(names = "--cpus", description = "cpus per task (default: ${DEFAULT-VALUE})")
  double cpus = 0.5;
  @Option(names = "--mem", description = "MB per task (default: ${DEFAULT-VALUE})")
  long memMb = 256;
  @Option(names = "--max-bytes", description = "largest image download (default: ${DEFAULT-VALUE})")
  long maxBytes = 50L << 20;
  @Option(names = "--max-pixels", description = "largest width*height (default: ${DEFAULT-VALUE})")
  long maxPixels = 40_000_000L;
  @Option(names = "--address", description = "artifact server bind address (default: 127.0.0.1 with --master=local, else 0.0.0.0)")
  String address;
  @Option(names = "--advertise", description = "artifact server host agents reach")
  String advertise;
  @Option(names = "--executor-jar", description = "the jar agents run (default: this jar)")
  Path executorJar;
  @Option(names = "--serve", description = "keep serving the gallery until Ctrl-C")
  boolean serve;
  private PrintStream out = System.out;

  /**
   * Runs the batch and exits 0 only if every image succeeded.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(run(System.out, args));
  }

  /** Runs the batch; returns 0 if every image succeeded, 1 if some failed, 2 on bad usage. */
  public static int run(PrintStream out, String... args) {
    InvertImages command = new InvertImages();
    command.out = out;
    PrintWriter writer = new PrintWriter(out, true);
    return new CommandLine(command).setOut(writer).setErr(writer)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("image-invert: " + (e instanceof IllegalArgumentException
              ? e.getMessage() : e));
          if (!(e instanceof IllegalArgumentException)) {
            e.printStackTrace(cmd.getErr());
          }
          return e instanceof IllegalArgumentException ? 2 : 1;
        }).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    Map<String, URI> sources = ImageList.resolve(images); // output name -> source
    boolean local = MasterAddress.parse(master).kind() == MasterAddress.Kind.LOCAL;
    Path jar = executorJar != null ? executorJar : Path.of(
        InvertImages.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("the executor must be a jar; give --executor-jar, not " + jar);
    }
    ArtifactServer.Builder server = ArtifactServer.builder()
        .directory(Files.createTempDirectory("image-invert-artifacts"))
        .bindAddress(address != null ? address : local ? "127.0.0.1" : "0.0.0.0");
    if (advertise != null) {
      server.advertisedHost(advertise);
    }
    try (ArtifactServer artifacts = server.build().start();
         Framework framework = Framework.builder().name("image-invert")
            .backend(Backends.fromArgs("--master=" + master, "--driver=" + driver))
            .frameworkIdStore(local ? FrameworkIdStore.inMemory()
                : FrameworkIdStore.file(Files.createDirectories(output).resolve(".framework-id")))
            .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(10)).build()).build()) {
      // The agents fetch this jar and run InvertExecutor from it, one executor per agent.
      URI jarUri = artifacts.publish(jar);
      CommandSpec.Builder command = CommandSpec.builder()
          // C1 only and serial GC: cheapest for an executor that inverts a few hundred images.
          .exec(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
              "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
              "-cp", "image-invert.jar", InvertExecutor.class.getName())
          .uri(FetchUri.of(jarUri.toString()).cached().notExtracted().outputFile("image-invert.jar"));
      artifacts.taskEnvironment().forEach(command::env);
      // A restarted scheduler has a new artifact server, so its executors get a new id.
      ExecutorSpec executor = new ExecutorSpec(String.format("image-invert-%08x", jarUri.hashCode()),
          "image-invert executor", command.build(), ResourceSpec.of(0.1, 640));
      framework.start();
      BatchSummary summary = Batch.builder().framework(framework)
          .stateDirectory(stateDir != null ? stateDir : output.resolve(".state"))
          .task(name -> TaskSpec.builder().id("invert-" + name).name(name)
              .resources(ResourceSpec.of(cpus, memMb)).executor(executor)
              .data(fetchable(sources.get(name), artifacts) + "\n" + name)
              .env(InvertExecutor.ENV_MAX_BYTES, Long.toString(maxBytes))
              .env(InvertExecutor.ENV_MAX_PIXELS, Long.toString(maxPixels)).build())
          .collector(BatchCollector.download(output, name -> artifacts.uri("inverted/" + name)))
          .progress(System.err).build()
          .run(sources.keySet());
      framework.finish();
      framework.awaitTermination();
      Map<String, URI> done = new LinkedHashMap<>();
      summary.done().forEach(name -> done.put(name, sources.get(name)));
      URI gallery = Gallery.write(output, done, artifacts);
      out.printf("image-invert: %d images, %d done, %d failed in %.1f s (%d done before)%n",
          summary.total(), summary.done().size(), summary.failures().size(),
          summary.elapsed().toMillis() / 1e3, summary.skipped());
      summary.failures().forEach((name, why) -> out.println("  FAILED " + sources.get(name) + ": " + why));
      out.println("output: " + output.toAbsolutePath() + " (gallery "
          + output.toAbsolutePath().resolve("index.html") + ")");
      out.println("gallery served at " + gallery + (serve ? " until Ctrl-C" : ""));
      if (serve) {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return summary.succeeded() ? 0 : 1;
    }
  }

  /** Agents on other hosts cannot read this machine's files: serve those through the server. */
  private static URI fetchable(URI source, ArtifactServer artifacts) {
    return source.getScheme().equals("file") ? artifacts.publish(Path.of(source)) : source;
  }
}
