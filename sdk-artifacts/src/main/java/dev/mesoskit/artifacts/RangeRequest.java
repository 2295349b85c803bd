package dev.mesoskit.artifacts;

import java.util.List;

/**
 * What a {@code Range} header asks of a representation of a known size (RFC 9110, section 14).
 *
 * <p>One range is served as a 206. Several ranges are answered with the whole representation
 * (200), which RFC 9110 allows (a server may ignore {@code Range}); agents and tools ask for one
 * range. A header that is not a valid {@code bytes} range set is ignored (200); a valid range that
 * starts at or past the end, or a suffix of 0 bytes, is unsatisfiable (416).
 *
 * @param kind what to answer
 * @param first the first byte of a {@link Kind#PARTIAL} answer
 * @param last the last byte of a {@link Kind#PARTIAL} answer, inclusive
 */
record RangeRequest(Kind kind, long first, long last) {
  /** What to answer. */
  enum Kind {
    /** 200 with the whole representation. */
    WHOLE,
    /** 206 with bytes {@code first..last}. */
    PARTIAL,
    /** 416 with {@code Content-Range: bytes *&#47;size}. */
    UNSATISFIABLE
  }

  static final RangeRequest WHOLE = new RangeRequest(Kind.WHOLE, 0, -1);
  static final RangeRequest UNSATISFIABLE = new RangeRequest(Kind.UNSATISFIABLE, 0, -1);

  /**
   * The number of bytes of a partial answer.
   *
   * @return {@code last - first + 1}
   */
  long length() {
    return last - first + 1;
  }

  /**
   * Reads the {@code Range} header lines of a request.
   *
   * @param headers the values of every {@code Range} line, none when absent
   * @param size the size of the representation
   * @return what to answer
   */
  static RangeRequest parse(List<String> headers, long size) {
    if (headers.size() != 1) {
      return WHOLE;
    }
    String header = headers.get(0);
    int eq = header.indexOf('=');
    if (eq < 0 || !header.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
      return WHOLE;
    }
    String spec = null;
    for (String part : header.substring(eq + 1).split(",", -1)) {
      String s = part.strip();
      if (s.isEmpty()) {
        continue;
      }
      if (spec != null) {
        return WHOLE;
      }
      spec = s;
    }
    if (spec == null) {
      return WHOLE;
    }
    int dash = spec.indexOf('-');
    if (dash < 0 || !digits(spec, 0, dash) && dash != 0
        || !digits(spec, dash + 1, spec.length()) && dash + 1 != spec.length()) {
      return WHOLE;
    }
    if (dash == 0) {
      if (spec.length() == 1) {
        return WHOLE;
      }
      long suffix = number(spec.substring(1));
      if (suffix == 0 || size == 0) {
        return UNSATISFIABLE;
      }
      return new RangeRequest(Kind.PARTIAL, Math.max(0, size - suffix), size - 1);
    }
    long first = number(spec.substring(0, dash));
    long last = dash + 1 == spec.length() ? Long.MAX_VALUE : number(spec.substring(dash + 1));
    if (last < first) {
      return WHOLE;
    }
    if (first >= size) {
      return UNSATISFIABLE;
    }
    return new RangeRequest(Kind.PARTIAL, first, Math.min(last, size - 1));
  }

  private static boolean digits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /** A decimal number, saturating at {@code Long.MAX_VALUE}. */
  private static long number(String digits) {
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
