package dev.mesoskit.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 digests as the stores and the server spell them: 64 lower-case hex digits. */
final class Digests {
  private static final HexFormat HEX = HexFormat.of();

  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  static String hex(byte[] digest) {
    return HEX.formatHex(digest);
  }

  static boolean isSha256(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Checks an expected digest given by a caller and returns it in lower case.
   *
   * @param sha256 64 hex digits, in either case
   * @return the digest in lower case
   * @throws IllegalArgumentException when it is not 64 hex digits
   */
  static String checkExpected(String sha256) {
    String lower = sha256.toLowerCase(Locale.ROOT);
    if (!isSha256(lower)) {
      throw new IllegalArgumentException(
          "expected sha256 must be 64 hex digits but was '" + sha256 + "'");
    }
    return lower;
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    }
    return hex(md.digest());
  }
}
