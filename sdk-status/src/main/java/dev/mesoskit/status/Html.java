package dev.mesoskit.status;

/** Escapes text for HTML element content and quoted attribute values. */
final class Html {
  private Html() {}

  /**
   * Escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '}.
   *
   * @param text any text
   * @return the text, safe as element content or inside a quoted attribute
   */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
