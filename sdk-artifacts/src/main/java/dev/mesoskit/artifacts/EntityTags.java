package dev.mesoskit.artifacts;

/** Matches the entity-tag lists of {@code If-Match} and {@code If-None-Match} (RFC 9110, 8.8.3). */
final class EntityTags {
  private EntityTags() {}

  /**
   * Tells whether a list names the current (strong) entity tag {@code "<sha256>"}.
   *
   * @param list the header value: {@code *} or comma-separated tags such as
   *     {@code "abc", W/"def"}
   * @param sha256 the opaque part of the current tag
   * @param strong true for the strong comparison of {@code If-Match} (weak tags never match),
   *     false for the weak comparison of {@code If-None-Match}
   * @return true on a match; a malformed list matches nothing
   */
  static boolean matches(String list, String sha256, boolean strong) {
    int i = 0;
    int n = list.length();
    while (i < n) {
      char c = list.charAt(i);
      if (c == ' ' || c == '\t' || c == ',') {
        i++;
        continue;
      }
      if (c == '*') {
        return true;
      }
      boolean weak = false;
      if (list.startsWith("W/", i)) {
        weak = true;
        i += 2;
      }
      if (i >= n || list.charAt(i) != '"') {
        return false;
      }
      int close = list.indexOf('"', i + 1);
      if (close < 0) {
        return false;
      }
      String opaque = list.substring(i + 1, close);
      if (opaque.equals(sha256) && !(strong && weak)) {
        return true;
      }
      i = close + 1;
    }
    return false;
  }
}
