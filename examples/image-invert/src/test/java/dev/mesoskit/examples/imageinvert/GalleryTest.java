package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GalleryTest {
  private static final URI SUNSET = URI.create("file:/home/u/photos/sunset.jpg");
  private static final URI SCAN = URI.create("file:/home/u/photos/scan.tif");
  private static final URI REMOTE = URI.create("https://example.org/img/a%20b.png?size=1");

  private static String page() {
    Map<String, URI> done = new LinkedHashMap<>();
    done.put("sunset-inverted.jpg", SUNSET);
    done.put("scan-inverted.png", SCAN);
    return Gallery.html(done, List.of(
        new Gallery.Missed("FAILED", REMOTE, "failed after 1 attempt: <HTTP 404>"),
        new Gallery.Missed("SKIPPED", URI.create("file:/home/u/photos/x.webp"),
            "WebP is not supported (Java's ImageIO reads JPEG, PNG, GIF, BMP, TIFF, WBMP)")),
        URI::toString, name -> name);
  }

  @Test
  void imagesAreLabelledByFileNameWithTheirFullSourceInTheTooltip() {
    assertThat(page()).contains("<figure class=\"pair\"><div class=\"images\">"
        + "<a href=\"file:/home/u/photos/sunset.jpg\"><img class=\"original\""
        + " src=\"file:/home/u/photos/sunset.jpg\" alt=\"original sunset.jpg\"></a>"
        + "<a href=\"sunset-inverted.jpg\"><img class=\"inverted\" src=\"sunset-inverted.jpg\""
        + " alt=\"inverted sunset-inverted.jpg\"></a></div>"
        + "<figcaption><span title=\"/home/u/photos/sunset.jpg\">sunset.jpg</span>"
        + "<span>sunset-inverted.jpg</span></figcaption></figure>\n");
  }

  @Test
  void aTiffOriginalWhichBrowsersDoNotShowIsABoxSayingSo() {
    assertThat(page()).contains("<a class=\"unshown\" href=\"file:/home/u/photos/scan.tif\">"
        + "scan.tif: browsers do not show TIFF</a><a href=\"scan-inverted.png\">"
        + "<img class=\"inverted\" src=\"scan-inverted.png\" alt=\"inverted scan-inverted.png\">");
    assertThat(page()).doesNotContain("<img class=\"original\" src=\"file:/home/u/photos/scan.tif\"");
  }

  @Test
  void failedAndSkippedInputsAreListedWithTheirReasonsFirst() {
    String page = page();
    assertThat(page).contains("<title>image-invert: 2 inverted, 1 failed, 1 skipped</title>")
        .contains("<p class=\"counts\">2 inverted, 1 failed, 1 skipped</p>\n"
            + "<h2>Not inverted</h2>\n<ul class=\"missed\">\n"
            + "<li><span class=\"outcome FAILED\">FAILED</span><b class=\"name\""
            + " title=\"https://example.org/img/a%20b.png?size=1\">a b.png</b>"
            + "<div class=\"reason\">failed after 1 attempt: &lt;HTTP 404&gt;</div></li>\n"
            + "<li><span class=\"outcome SKIPPED\">SKIPPED</span><b class=\"name\""
            + " title=\"/home/u/photos/x.webp\">x.webp</b><div class=\"reason\">WebP is not"
            + " supported (Java's ImageIO reads JPEG, PNG, GIF, BMP, TIFF, WBMP)</div></li>\n"
            + "</ul>\n<h2>Inverted</h2>\n<div class=\"pairs\">\n");
  }

  @Test
  void thePageFitsAPhoneAndAWideScreen() {
    assertThat(page())
        .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .contains(".pairs{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,"
            + "minmax(min(100%,400px),1fr))}");
  }

  @Test
  void withNothingMissedThereIsNoListOfIt() {
    String page = Gallery.html(Map.of("sunset-inverted.jpg", SUNSET), List.of(), URI::toString,
        name -> name);
    assertThat(page).contains("<p class=\"counts\">1 inverted, 0 failed, 0 skipped</p>\n"
        + "<div class=\"pairs\">\n").doesNotContain("Not inverted");
  }
}
