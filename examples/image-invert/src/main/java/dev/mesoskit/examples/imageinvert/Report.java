package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.batch.BatchSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The end of a run: the summary with every failure, the gallery, and serving it on request. */
final class Report {
  private Report() {}

  /**
   * Prints the summary, writes the gallery and, with {@code serve}, serves it until interrupted.
   *
   * @param sources output name to source, for every image of the run
   */
  static void print(PrintStream out, BatchSummary summary, Map<String, URI> sources, Path output,
      ArtifactServer artifacts, boolean serve) throws IOException {
    Map<String, URI> done = new LinkedHashMap<>();
    summary.done().forEach(name -> done.put(name, sources.get(name)));
    URI gallery = Gallery.write(output, done, artifacts);
    out.printf(Locale.ROOT, "image-invert: %d images, %d done, %d failed in %.1f s (%d done"
        + " before)%n",
        summary.total(), summary.done().size(), summary.failures().size(),
        summary.elapsed().toMillis() / 1e3, summary.skipped());
    summary.failures().forEach((name, why) -> out.println("  FAILED " + sources.get(name) + ": " + why));
    out.println("output: " + output.toAbsolutePath() + " (gallery "
        + output.toAbsolutePath().resolve("index.html") + ")");
    out.println(serve ? "gallery served at " + gallery + " until Ctrl-C"
        : "gallery was served at " + gallery + " during the run (--serve keeps serving it)");
    if (serve) {
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
