package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.ArtifactServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gallery page: every input that was not inverted with its outcome and reason, then a card
 * per finished image, original and inverse side by side, labelled by file name (the full source
 * in the tooltip; a TIFF or WBMP original, which browsers do not show, as a box that says so).
 * Cards flow in as many columns as fit, one on a phone. Two copies:
 * {@code <output>/index.html} for opening from disk (originals by their own URIs, inverses by file
 * name), and one on the artifact server that links every image through the server (file
 * originals and the inverses are published), so it loads from there alone.
 */
final class Gallery {
  /** The served copy's artifact name. */
  static final String NAME = "inverted/index.html";

  /**
   * Once the page loaded, marks every image with its {@code data-natural-width} (0 when it did
   * not load) and the body with {@code data-loaded="<loaded>/<images>"}, for headless checks.
   */
  private static final String CHECK = "<script>window.addEventListener('load', () => {"
      + " const imgs = [...document.images];"
      + " imgs.forEach(i => i.dataset.naturalWidth = i.naturalWidth);"
      + " document.body.dataset.loaded ="
      + " imgs.filter(i => i.complete && i.naturalWidth > 0).length + '/' + imgs.length; });"
      + "</script>\n";

  private static final String STYLE = "<style>\n"
      + "body{margin:0 auto;max-width:1400px;padding:12px;font:15px/1.4 system-ui,sans-serif;"
      + "color:#222;background:#f4f4f4}\n"
      + "h1{font-size:22px;margin:4px 0}h2{font-size:18px;margin:24px 0 8px}"
      + ".counts{margin:0 0 12px;color:#555}\n"
      + ".pairs{display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,400px),1fr))}\n"
      + ".pair{margin:0;padding:8px;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0002}\n"
      + ".pair .images{display:grid;grid-template-columns:1fr 1fr;gap:8px}\n"
      + ".pair img{display:block;width:100%;height:auto;max-height:320px;object-fit:contain;"
      + "background:repeating-conic-gradient(#ddd 0 25%,#fff 0 50%) 0 0/16px 16px}\n"
      + ".pair figcaption{display:grid;grid-template-columns:1fr 1fr;gap:8px;margin-top:4px;"
      + "font-size:13px;color:#444;overflow-wrap:anywhere}\n"
      + ".unshown{display:flex;align-items:center;justify-content:center;height:100%;"
      + "min-height:120px;box-sizing:border-box;border:2px dashed #ccc;color:#666;"
      + "font-size:13px;text-align:center;overflow-wrap:anywhere}\n"
      + ".missed{margin:0;padding:0;list-style:none;background:#fff;border-radius:8px;"
      + "box-shadow:0 1px 3px #0002}\n"
      + ".missed li{padding:8px 12px;border-top:1px solid #eee;overflow-wrap:anywhere}"
      + ".missed li:first-child{border-top:0}\n"
      + ".outcome{font-size:12px;font-weight:bold;margin-right:6px}"
      + ".FAILED{color:#b00020}.SKIPPED{color:#8a6d00}"
      + ".reason{font-size:13px;color:#555}\n"
      + "</style>\n";

  /**
   * An input that was not inverted.
   *
   * @param outcome {@code FAILED} or {@code SKIPPED}
   * @param source where the input is
   * @param reason why
   */
  record Missed(String outcome, URI source, String reason) {}

  private Gallery() {}

  /**
   * Writes {@code output/index.html} and publishes the served copy.
   *
   * @param done output name to source, for every finished image
   * @param missed every input that was not inverted
   * @return the served copy's URI
   */
  static URI write(Path output, Map<String, URI> done, List<Missed> missed, ArtifactServer server)
      throws IOException {
    Files.writeString(output.resolve("index.html"),
        html(done, missed, URI::toString, name -> name));
    // Linked, not copied: the inputs were published so already, the inverses are the uploads.
    byte[] served = html(done, missed, s -> s.getScheme().equals("file")
        ? server.publishLinked(Path.of(s)).toString() : s.toString(),
        name -> server.publishLinked(output.resolve(name)).toString())
        .getBytes(StandardCharsets.UTF_8);
    server.store().put(NAME, new ByteArrayInputStream(served), Optional.empty());
    return server.uri(NAME);
  }

  /**
   * Renders the page.
   *
   * @param done output name to source, for every finished image
   * @param missed every input that was not inverted
   * @param originalHref where the page links a source from
   * @param inverseHref where the page links an inverse (by output name) from
   */
  static String html(Map<String, URI> done, List<Missed> missed,
      Function<URI, String> originalHref, Function<String, String> inverseHref) {
    String counts = done.size() + " inverted, " + count(missed, "FAILED") + " failed, "
        + count(missed, "SKIPPED") + " skipped";
    StringBuilder page = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head>"
        + "<meta charset=\"utf-8\">\n"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        + "<title>image-invert: " + counts + "</title>\n" + STYLE + "</head>\n<body>\n"
        + "<h1>image-invert</h1>\n<p class=\"counts\">" + counts + "</p>\n");
    if (!missed.isEmpty()) {
      page.append("<h2>Not inverted</h2>\n<ul class=\"missed\">\n");
      missed.forEach(m -> page.append("<li><span class=\"outcome ").append(m.outcome())
          .append("\">").append(m.outcome()).append("</span><b class=\"name\" title=\"")
          .append(escape(ImageList.label(m.source()))).append("\">")
          .append(escape(name(m.source()))).append("</b><div class=\"reason\">")
          .append(escape(m.reason())).append("</div></li>\n"));
      page.append("</ul>\n<h2>Inverted</h2>\n");
    }
    page.append("<div class=\"pairs\">\n");
    done.forEach((name, source) -> {
      String original = name(source);
      page.append("<figure class=\"pair\"><div class=\"images\">")
          .append(ImageList.notShownByBrowsers(source)
              .map(format -> "<a class=\"unshown\" href=\"" + escape(originalHref.apply(source))
                  + "\">" + escape(original) + ": browsers do not show " + format + "</a>")
              .orElseGet(() -> image("original", originalHref.apply(source), original)))
          .append(image("inverted", inverseHref.apply(name), name))
          .append("</div><figcaption><span title=\"").append(escape(ImageList.label(source)))
          .append("\">").append(escape(original)).append("</span><span>").append(escape(name))
          .append("</span></figcaption></figure>\n");
    });
    page.append("</div>\n");
    return page.append(CHECK).append("</body></html>\n").toString();
  }

  private static String image(String kind, String href, String name) {
    return "<a href=\"" + escape(href) + "\"><img class=\"" + kind + "\" src=\"" + escape(href)
        + "\" alt=\"" + kind + " " + escape(name) + "\"></a>";
  }

  /** A source's file name, or where it is when its path has none. */
  private static String name(URI source) {
    String name = ImageList.name(source);
    return name.isEmpty() ? ImageList.label(source) : name;
  }

  private static long count(List<Missed> missed, String outcome) {
    return missed.stream().filter(m -> m.outcome().equals(outcome)).count();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
