package dev.mesoskit.artifacts;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Objects;

/**
 * The rules every artifact name follows, in every store and on the wire.
 *
 * <p>A name is a relative path of one or more segments separated by {@code /}, such as
 * {@code app.jar} or {@code results/task-7/out.png}. It is refused when it is empty, longer than
 * {@value #MAX_BYTES} bytes in UTF-8 or has a segment longer than {@value #MAX_SEGMENT_BYTES};
 * starts with {@code /}; has an empty segment ({@code a//b}, {@code a/}); has a segment that
 * starts with {@code .} (which covers {@code .} and {@code ..}, and keeps stores' temp files out
 * of reach); holds a control character (NUL included), {@code \} or {@code %}; holds an unpaired
 * surrogate; or is not in Unicode NFC (so one visible name has one spelling).
 *
 * <p>Store implementations call {@link #check(String)} first thing in every method.
 */
public final class ArtifactNames {
  /** The longest name, in UTF-8 bytes. */
  public static final int MAX_BYTES = 1024;

  /** The longest segment, in UTF-8 bytes (the file name limit of common file systems). */
  public static final int MAX_SEGMENT_BYTES = 255;

  private ArtifactNames() {}

  /**
   * Checks a name against the rules.
   *
   * @param name the name
   * @return the name
   * @throws IllegalArgumentException naming the rule it breaks
   */
  public static String check(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
        throw new IllegalArgumentException(String.format(
            "name must not contain control characters but had U+%04X at index %d", (int) c, i));
      }
      if (Character.isSurrogate(c)) {
        boolean paired = Character.isHighSurrogate(c) && i + 1 < name.length()
            && Character.isLowSurrogate(name.charAt(i + 1));
        if (!paired) {
          throw new IllegalArgumentException(
              "name must be valid Unicode but had an unpaired surrogate at index " + i);
        }
        i++;
      }
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          "name must be at most " + MAX_BYTES + " bytes in UTF-8 but was " + bytes);
    }
    if (name.indexOf('\\') >= 0) {
      throw new IllegalArgumentException("name must not contain '\\' but was '" + name + "'");
    }
    if (name.indexOf('%') >= 0) {
      throw new IllegalArgumentException("name must not contain '%' but was '" + name + "'");
    }
    if (name.startsWith("/")) {
      throw new IllegalArgumentException("name must be relative but was '" + name + "'");
    }
    if (!Normalizer.isNormalized(name, Normalizer.Form.NFC)) {
      throw new IllegalArgumentException("name must be in Unicode NFC but was '" + name + "'");
    }
    for (String segment : name.split("/", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(
            "name must not have empty segments but was '" + name + "'");
      }
      if (segment.startsWith(".")) {
        throw new IllegalArgumentException(
            "name segments must not start with '.' but was '" + name + "'");
      }
      int segmentBytes = segment.getBytes(StandardCharsets.UTF_8).length;
      if (segmentBytes > MAX_SEGMENT_BYTES) {
        throw new IllegalArgumentException("name segments must be at most " + MAX_SEGMENT_BYTES
            + " bytes in UTF-8 but one was " + segmentBytes);
      }
    }
    return name;
  }

  /**
   * Tells whether a name follows the rules.
   *
   * @param name the name
   * @return true when {@link #check(String)} accepts it
   */
  public static boolean isValid(String name) {
    try {
      check(name);
      return true;
    } catch (IllegalArgumentException | NullPointerException e) {
      return false;
    }
  }

  /**
   * Percent-encodes a valid name for a URI path: every byte of its UTF-8 form except letters,
   * digits, {@code -._~!$&'()*+,=:@} and the {@code /} between segments.
   *
   * @param name a valid name
   * @return the encoded path, e.g. {@code caf%C3%A9/a%20b.txt} for {@code café/a b.txt}
   */
  public static String encode(String name) {
    check(name);
    StringBuilder out = new StringBuilder(name.length() + 16);
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '/' || isPlain(c)) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Characters that stand for themselves in an encoded name (RFC 3986 pchar without ';'). */
  static boolean isPlain(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,=:@".indexOf(c) >= 0;
  }
}
