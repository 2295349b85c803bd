package dev.mesoskit.artifacts;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw, still percent-encoded path of a request into an artifact name, refusing every
 * spelling that could mean something else to some other layer: path parameters ({@code ;}),
 * encoded separators ({@code %2F}, {@code %5C}), malformed or overlong UTF-8, characters that
 * must be encoded, and then every name {@link ArtifactNames} refuses ({@code ..}, NUL, ...).
 * It runs before any store access.
 */
final class RequestPath {
  private RequestPath() {}

  /**
   * Decodes the part of a raw request path after the artifacts prefix.
   *
   * @param raw the encoded name, e.g. {@code caf%C3%A9/a.txt}
   * @return the name, e.g. {@code café/a.txt}
   * @throws IllegalArgumentException naming what is wrong
   */
  static String decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
        int lo = hi >= 0 ? Character.digit(raw.charAt(i + 2), 16) : -1;
        if (lo < 0) {
          throw new IllegalArgumentException("path has a bad percent-encoding at index " + i);
        }
        int b = (hi << 4) | lo;
        if (b == '/' || b == '\\') {
          throw new IllegalArgumentException("path must not contain an encoded '/' or '\\'");
        }
        bytes.write(b);
        i += 2;
      } else if (c == ';') {
        throw new IllegalArgumentException("path must not contain ';' (path parameters)");
      } else if (c == '/' || ArtifactNames.isPlain(c)) {
        bytes.write(c);
      } else {
        throw new IllegalArgumentException(
            String.format("path must not contain U+%04X unencoded", (int) c));
      }
    }
    String name;
    try {
      name = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("path is not valid UTF-8", e);
    }
    return ArtifactNames.check(name);
  }
}
