package dev.mesoskit.status;

import java.util.Optional;

/**
 * A small JSON writer: objects, arrays, strings, numbers, booleans and null on one line, commas
 * placed by itself. Strings are escaped for JSON and for embedding in HTML ({@code <}, {@code >},
 * {@code &}, U+2028 and U+2029 as {@code \}{@code uXXXX}), so the output may sit inside a
 * {@code <script>} element.
 */
final class Json {
  private final StringBuilder out = new StringBuilder();
  private boolean comma;

  Json begin() {
    separate();
    out.append('{');
    comma = false;
    return this;
  }

  Json end() {
    out.append('}');
    comma = true;
    return this;
  }

  Json beginArray() {
    separate();
    out.append('[');
    comma = false;
    return this;
  }

  Json endArray() {
    out.append(']');
    comma = true;
    return this;
  }

  Json name(String name) {
    separate();
    quote(name, out);
    out.append(':');
    comma = false;
    return this;
  }

  Json value(String value) {
    separate();
    quote(value, out);
    comma = true;
    return this;
  }

  Json value(Optional<String> value) {
    return value.isPresent() ? value(value.get()) : nullValue();
  }

  Json value(long value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  Json value(boolean value) {
    separate();
    out.append(value);
    comma = true;
    return this;
  }

  Json nullValue() {
    separate();
    out.append("null");
    comma = true;
    return this;
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void separate() {
    if (comma) {
      out.append(',');
    }
  }

  /** Appends {@code s} as a JSON string that is also safe inside HTML. */
  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
