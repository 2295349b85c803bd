package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.batch.BatchSummary;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
  @Test
  void theSummaryGivesEveryInputAnOutcomeAndSaysWhichInversesAreWrittenAsPng(@TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectory(dir.resolve("in"));
    Files.write(in.resolve("a.png"), TestImages.encode(TestImages.picture(40, 30), "png"));
    Files.write(in.resolve("scan.tif"), TestImages.encode(TestImages.picture(40, 30), "tiff"));
    Files.writeString(in.resolve("broken.png"), "\u0089PNG\r\n\u001a\n but nothing after",
        StandardCharsets.ISO_8859_1);
    Files.write(in.resolve("photo.webp"), TestImages.WEBP);
    Files.writeString(in.resolve("notes.txt"), "hello\n");
    ImageList inputs = ImageList.resolve(List.of(in.toString()));
    Path output = Files.createDirectory(dir.resolve("out"));
    Files.write(output.resolve("a-inverted.png"), TestImages.encode(TestImages.picture(4, 3), "png"));
    Files.write(output.resolve("scan-inverted.png"), TestImages.encode(TestImages.picture(4, 3), "png"));
    BatchSummary summary = new BatchSummary(3, List.of("a-inverted.png", "scan-inverted.png"), 1,
        Map.of("broken-inverted.png", "failed after 1 attempt: TASK_FAILED"
            + " (REASON_TASK_INVALID): cannot decode PNG (truncated or corrupt?): x"),
        Duration.ofMillis(2345));
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (ArtifactServer server = ArtifactServer.builder().directory(dir.resolve("store"))
        .bindAddress("127.0.0.1").build().start()) {
      Report.print(new PrintStream(console, true, StandardCharsets.UTF_8), summary, inputs,
          output, server, false);
      assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n",
          "image-invert: 5 inputs, 2 done, 1 failed, 2 skipped in 2.3 s (1 done before)",
          "  FAILED " + in.resolve("broken.png") + ": failed after 1 attempt: TASK_FAILED"
              + " (REASON_TASK_INVALID): cannot decode PNG (truncated or corrupt?): x",
          "  SKIPPED " + in.resolve("notes.txt") + ": not an image: no JPEG, PNG, GIF, BMP, TIFF"
              + " or WBMP header in 6 bytes",
          "  SKIPPED " + in.resolve("photo.webp") + ": WebP is not supported (Java's ImageIO"
              + " reads JPEG, PNG, GIF, BMP, TIFF, WBMP)",
          "  AS PNG " + in.resolve("scan.tif") + " -> scan-inverted.png (browsers do not show"
              + " TIFF)",
          "output: " + output + " (gallery " + output.resolve("index.html") + ")",
          "gallery was served at " + server.uri(Gallery.NAME) + " during the run (--serve keeps"
              + " serving it)", ""));
    }
    assertThat(Files.readString(output.resolve("index.html")))
        .contains("<p class=\"counts\">2 inverted, 1 failed, 2 skipped</p>")
        .contains("<b class=\"name\" title=\"" + in.resolve("photo.webp") + "\">photo.webp</b>")
        .contains("<b class=\"name\" title=\"" + in.resolve("broken.png") + "\">broken.png</b>");
  }
}
