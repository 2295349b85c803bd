package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.batch.BatchSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The end of a run: the summary with every input that was not inverted and why, the gallery,
 * and serving it on request. Outcomes: done (inverted, in this run or an earlier one), FAILED (its
 * task failed: the run exits 1) and SKIPPED (not an image ImageIO reads, no task: the exit code
 * ignores it).
 */
final class Report {
  private Report() {}

  /**
   * Prints the summary, writes the gallery and, with {@code serve}, serves it until interrupted.
   *
   * @param inputs every input of the run
   */
  static void print(PrintStream out, BatchSummary summary, ImageList inputs, Path output,
      ArtifactServer artifacts, boolean serve) throws IOException {
    Map<String, URI> done = new LinkedHashMap<>();
    summary.done().forEach(name -> done.put(name, inputs.images().get(name)));
    List<Gallery.Missed> missed = new ArrayList<>();
    summary.failures().forEach((name, why) ->
        missed.add(new Gallery.Missed("FAILED", inputs.images().get(name), why)));
    inputs.skipped().forEach((source, why) -> missed.add(new Gallery.Missed("SKIPPED", source, why)));
    URI gallery = Gallery.write(output, done, missed, artifacts);
    out.printf(Locale.ROOT, "image-invert: %d inputs, %d done, %d failed, %d skipped in %.1f s"
        + " (%d done before)%n", summary.total() + inputs.skipped().size(), summary.done().size(),
        summary.failures().size(), inputs.skipped().size(), summary.elapsed().toMillis() / 1e3,
        summary.skipped());
    missed.forEach(m -> out.println("  " + m.outcome() + " " + ImageList.label(m.source()) + ": "
        + m.reason()));
    done.forEach((name, source) -> ImageList.notShownByBrowsers(source).ifPresent(format ->
        out.println("  AS PNG " + ImageList.label(source) + " -> " + name
            + " (browsers do not show " + format + ")")));
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
