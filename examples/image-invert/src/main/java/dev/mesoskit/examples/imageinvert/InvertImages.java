package dev.mesoskit.examples.imageinvert;

import com.google.common.io.MoreFiles;
import com.google.common.io.RecursiveDeleteOption;
import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.batch.Batch;
import dev.mesoskit.artifacts.batch.BatchCollector;
import dev.mesoskit.artifacts.batch.BatchLock;
import dev.mesoskit.artifacts.batch.BatchSummary;
import dev.mesoskit.artifacts.cli.FrameworkMain;
import dev.mesoskit.artifacts.cli.FrameworkOptions;
import dev.mesoskit.artifacts.cli.Monitoring;
import dev.mesoskit.artifacts.cli.Relaunch;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The scheduler: one task per image on the example's own executor, results collected once. */
@Command(name = "image-invert", mixinStandardHelpOptions = true,
    description = "Inverts images on a Mesos cluster (the embedded one by default).",
    footer = "Files ImageIO cannot read are skipped, with the reason; TIFF and WBMP become PNG."
        + " Exit 0 when no image failed, 1 when some did, 2 on bad usage."
        + " The framework id is kept in <output>/.framework-id unless --master=local or"
        + " --framework-id-file. The artifact server's files are in <output>/.artifacts while it"
        + " runs.")
public final class InvertImages implements Callable<Integer> {
  @Mixin
  FrameworkOptions cluster = new FrameworkOptions();
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
  @Option(names = "--serve", description = "keep serving the gallery until Ctrl-C")
  boolean serve;
  private PrintStream out = System.out;

  /**
   * Runs the batch and exits 0 only if no image failed (skipped inputs do not count), in a JVM
   * with the C1 compiler only ({@link Relaunch#SCHEDULER_OPTIONS}: this JVM starts one with them
   * first, unless {@code MESOSKIT_RELAUNCH=0}).
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    Relaunch.withOptions("image-invert", Relaunch.SCHEDULER_OPTIONS, args);
    System.exit(run(System.out, args));
  }

  /** Runs the batch; returns 0 if no image failed (skips do not count), 1 if some did, 2 on bad usage. */
  public static int run(PrintStream out, String... args) {
    InvertImages command = new InvertImages();
    command.out = out;
    return FrameworkMain.run(command, out, args);
  }

  @Override
  public Integer call() throws Exception {
    ImageList inputs = ImageList.resolve(images); // images to invert, and files skipped
    // The server keeps its files in <output>/.artifacts, so a restarted scheduler finds what a
    // killed one had uploaded; the batch's lock keeps other runs out until they are deleted.
    Path store = Files.createDirectories(output).resolve(".artifacts");
    try (BatchLock lock = BatchLock.acquire(stateDir != null ? stateDir : output.resolve(".state"))) {
      int exitCode = run(inputs, store, lock);
      try {
        MoreFiles.deleteRecursively(store, RecursiveDeleteOption.ALLOW_INSECURE); // all collected
      } catch (IOException e) {
        out.println("could not delete " + store + ": " + e);
      }
      return exitCode;
    }
  }

  private int run(ImageList inputs, Path store, BatchLock lock) throws Exception {
    Map<String, URI> sources = inputs.images(); // output name -> source
    try (ArtifactServer artifacts = cluster.artifactServer(store).build().start();
         Framework framework = cluster.framework("image-invert", output.resolve(".framework-id"))
             .retryPolicy(RetryPolicy.builder().maxAttempts(3).maxBackoff(Duration.ofSeconds(10))
                 .build()).build();
         Monitoring monitoring = cluster.monitor(framework)) { // --status-port, --metrics-port
      // tutorial:begin executor
      // The agents fetch this jar and run InvertExecutor from it, one executor per agent; its
      // heap holds the images of the tasks it runs at once (about 150 MB each at 12 MP).
      ExecutorSpec executor = cluster.javaExecutor(artifacts, "image-invert",
          InvertExecutor.class, ResourceSpec.of(0.1, 1024), "-Xmx768m");
      // tutorial:end executor
      framework.start();
      monitoring.describe().forEach(out::println);
      // Publishing reads each input file once, to name it by its SHA-256: on every core.
      Map<String, URI> uris = new ConcurrentHashMap<>();
      sources.entrySet().parallelStream()
          .forEach(e -> uris.put(e.getKey(), fetchable(e.getValue(), artifacts)));
      // tutorial:begin batch
      BatchSummary summary = Batch.builder().framework(framework).lock(lock)
          .task(name -> TaskSpec.builder().id("invert-" + name).name(name)
              .resources(ResourceSpec.of(cpus, memMb)).executor(executor)
              .data(uris.get(name) + "\n" + name)
              .env(InvertExecutor.ENV_MAX_BYTES, Long.toString(maxBytes))
              .env(InvertExecutor.ENV_MAX_PIXELS, Long.toString(maxPixels)).build())
          .collector(BatchCollector.fromStore(output, artifacts.store(),
              name -> "inverted/" + name))
          .progress(System.err).build()
          .run(sources.keySet());
      // tutorial:end batch
      framework.finish();
      framework.awaitTermination();
      Report.print(out, summary, inputs, output, artifacts, serve);
      return summary.succeeded() ? 0 : 1;
    }
  }

  /** Agents on other hosts cannot read this machine's files: serve those (linked, not copied). */
  private static URI fetchable(URI source, ArtifactServer artifacts) {
    return source.getScheme().equals("file") ? artifacts.publishLinked(Path.of(source)) : source;
  }
}
