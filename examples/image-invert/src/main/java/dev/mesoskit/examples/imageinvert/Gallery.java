package dev.mesoskit.examples.imageinvert;

import java.net.URI;
import java.util.Map;
import java.util.function.Function;

/** The gallery page: one row per finished image, original and inverse side by side. */
final class Gallery {
  private Gallery() {}

  /**
   * Renders the page; inverses are linked by file name, relative to the page.
   *
   * @param done output name to source, for every finished image
   * @param originalHref where the page links a source from
   */
  static String html(Map<String, URI> done, Function<URI, String> originalHref) {
    StringBuilder rows = new StringBuilder();
    done.forEach((name, source) -> rows.append("<tr class=\"pair\"><td><img class=\"original\" src=\"")
        .append(escape(originalHref.apply(source))).append("\"><br>")
        .append(escape(source.toString())).append("</td><td><img class=\"inverted\" src=\"")
        .append(escape(name)).append("\"><br>").append(escape(name)).append("</td></tr>\n"));
    return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>image-invert: "
        + done.size() + " images</title>\n<style>img{max-width:400px;max-height:400px}"
        + " td{padding:8px;text-align:center;font:12px sans-serif}</style></head>\n<body>"
        + "<h1>image-invert</h1>\n<table>\n<tr><th>original</th><th>inverted</th></tr>\n"
        + rows + "</table></body></html>\n";
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
