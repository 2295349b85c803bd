package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The scheduler: one task per image on the example's own executor, results collected once. */
@Command(name = "image-invert", mixinStandardHelpOptions = true,
    description = "Inverts images on a Mesos cluster (the embedded one by default).")
public final class InvertImages implements java.util.concurrent.Callable<Integer> {
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
    java.io.PrintWriter writer = new java.io.PrintWriter(out, true);
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
    long start = System.nanoTime();
    Map<String, URI> sources = ImageList.resolve(images);
    Results results = new Results(output, stateDir != null ? stateDir : output.resolve(".state"));
    boolean local = MasterAddress.parse(master).kind() == MasterAddress.Kind.LOCAL;
    Path jar = executorJar != null ? executorJar : Path.of(
        InvertImages.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("the executor must be a jar; give --executor-jar, not " + jar);
    }
    Map<String, String> failures = new ConcurrentHashMap<>();
    Map<String, URI> done = new ConcurrentHashMap<>();
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
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
                : FrameworkIdStore.file(results.output().resolve(".framework-id")))
            .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofSeconds(1))
                .maxBackoff(Duration.ofSeconds(10)).build()).build()) {
      CommandSpec.Builder command = CommandSpec.builder()
          .exec(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
              "-cp", "image-invert.jar", InvertExecutor.class.getName())
          .uri(FetchUri.of(artifacts.publish(jar).toString()).cached().notExtracted()
              .outputFile("image-invert.jar"));
      artifacts.taskEnvironment().forEach(command::env);
      ExecutorSpec executor = new ExecutorSpec("image-invert", "image-invert executor",
          command.build(), ResourceSpec.of(0.1, 640));
      framework.start();
      List<CompletableFuture<Void>> outcomes = new java.util.ArrayList<>();
      sources.forEach((name, source) -> {
        if (results.isDone(name)) {
          done.put(name, source);
          return;
        }
        URI fetchable = source.getScheme().equals("file") ? artifacts.publish(Path.of(source)) : source;
        outcomes.add(framework.outcome(framework.submit(TaskSpec.builder()
            .id("invert-" + name).name(name).resources(ResourceSpec.of(cpus, memMb))
            .executor(executor).data(fetchable + "\n" + name)
            .env(InvertExecutor.ENV_MAX_BYTES, Long.toString(maxBytes))
            .env(InvertExecutor.ENV_MAX_PIXELS, Long.toString(maxPixels)).build()))
            .thenAcceptAsync(task -> {
              try {
                if (task.state() != TaskState.FINISHED) {
                  failures.put(name, task.message().orElse(task.state() + ", no reason given"));
                  return;
                }
                results.collect(name, artifacts.uri("inverted/" + name), source);
                done.put(name, source);
              } catch (Exception e) {
                failures.put(name, "collecting the result failed: " + e);
              }
            }, timer));
      });
      ProgressLine progress = new ProgressLine(framework, sources.size() - done.size(), System.err);
      timer.scheduleAtFixedRate(progress, 0, 500, TimeUnit.MILLISECONDS);
      CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).join();
      progress.run();
      System.err.println();
      framework.finish();
      framework.awaitTermination();
      Map<String, URI> sorted = new TreeMap<>(done);
      Files.writeString(results.output().resolve("index.html"), Gallery.html(sorted, URI::toString));
      Uploads.put(artifacts.baseUri().toString(), artifacts.uploadToken(), "index.html",
          Gallery.html(sorted, s -> s.getScheme().equals("file")
              ? artifacts.publish(Path.of(s)).toString() : s.toString())
              .getBytes(StandardCharsets.UTF_8));
      out.printf("image-invert: %d images, %d done, %d failed in %.1f s%n", sources.size(),
          done.size(), failures.size(), (System.nanoTime() - start) / 1e9);
      new TreeMap<>(failures).forEach((name, why) -> out.println("  FAILED " + sources.get(name) + ": " + why));
      out.println("output: " + results.output().toAbsolutePath() + " (gallery "
          + results.output().toAbsolutePath().resolve("index.html") + ")");
      return failures.isEmpty() ? 0 : 1;
    } finally {
      timer.shutdownNow();
    }
  }
}
