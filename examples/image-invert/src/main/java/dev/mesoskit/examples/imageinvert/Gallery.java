package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.artifacts.ArtifactServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The gallery page: one row per finished image, original and inverse side by side. Two copies:
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

  private Gallery() {}

  /**
   * Writes {@code output/index.html} and publishes the served copy.
   *
   * @param done output name to source, for every finished image
   * @return the served copy's URI
   */
  static URI write(Path output, Map<String, URI> done, ArtifactServer server) throws IOException {
    Files.writeString(output.resolve("index.html"), html(done, URI::toString, name -> name));
    // Linked, not copied: the inputs were published so already, the inverses are the uploads.
    byte[] served = html(done, s -> s.getScheme().equals("file")
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
   * @param originalHref where the page links a source from
   * @param inverseHref where the page links an inverse (by output name) from
   */
  static String html(Map<String, URI> done, Function<URI, String> originalHref,
      Function<String, String> inverseHref) {
    StringBuilder rows = new StringBuilder();
    done.forEach((name, source) -> rows.append("<tr class=\"pair\"><td><img class=\"original\" src=\"")
        .append(escape(originalHref.apply(source))).append("\"><br>")
        .append(escape(source.toString())).append("</td><td><img class=\"inverted\" src=\"")
        .append(escape(inverseHref.apply(name))).append("\"><br>").append(escape(name))
        .append("</td></tr>\n"));
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>image-invert: "
        + done.size() + " images</title>\n<style>img{max-width:400px;max-height:400px}"
        + " td{padding:8px;text-align:center;font:12px sans-serif}</style></head>\n<body>"
        + "<h1>image-invert</h1>\n<table>\n<tr><th>original</th><th>inverted</th></tr>\n"
        + rows + "</table>\n" + CHECK + "</body></html>\n";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
