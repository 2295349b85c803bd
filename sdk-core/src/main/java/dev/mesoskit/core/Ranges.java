package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An immutable set of non-negative integers written as inclusive ranges, the way Mesos offers
 * ports: {@code [31000-31005,32000-32000]}.
 *
 * <p>Ranges are kept normalized (sorted, merged, adjacent ranges joined), so two {@code Ranges}
 * holding the same numbers are equal and print the same.
 */
public final class Ranges {
  private static final Ranges EMPTY = new Ranges(new long[0]);

  /**
   * The ranges as inclusive {@code begin, end} pairs, flattened: sorted, disjoint and never
   * adjacent (each begin is more than one past the previous end). Never modified.
   */
  private final long[] bounds;

  private Ranges(long[] bounds) {
    this.bounds = bounds;
  }

  /**
   * Returns the empty set.
   *
   * @return no numbers
   */
  public static Ranges empty() {
    return EMPTY;
  }

  /**
   * Returns the numbers from {@code begin} to {@code end}, both included.
   *
   * @param begin the first number, at least 0
   * @param end the last number, at least {@code begin}
   * @return the range
   */
  public static Ranges of(long begin, long end) {
    checkRange(begin, end);
    return new Ranges(new long[] {begin, end});
  }

  /**
   * Returns the given single numbers.
   *
   * @param values the numbers, each at least 0
   * @return the set of those numbers
   */
  public static Ranges ofValues(long... values) {
    List<long[]> pairs = new ArrayList<>(values.length);
    for (long v : values) {
      checkRange(v, v);
      pairs.add(new long[] {v, v});
    }
    return normalized(pairs);
  }

  /**
   * Parses the Mesos text form {@code [a-b,c-d]}; the brackets are optional and a single number
   * {@code a} stands for {@code a-a}.
   *
   * @param text the ranges, e.g. {@code [31000-31005,32000-32000]}
   * @return the parsed ranges
   * @throws IllegalArgumentException naming the offending part when the text is malformed
   */
  public static Ranges parse(String text) {
    String body = text.strip();
    if (body.startsWith("[") != body.endsWith("]")) {
      throw new IllegalArgumentException("ranges must be enclosed in [] but was '" + text + "'");
    }
    if (body.startsWith("[")) {
      body = body.substring(1, body.length() - 1).strip();
    }
    if (body.isEmpty()) {
      return EMPTY;
    }
    List<long[]> pairs = new ArrayList<>();
    for (String part : body.split(",", -1)) {
      String p = part.strip();
      int dash = p.indexOf('-', 1);
      try {
        long begin = Long.parseLong(dash < 0 ? p : p.substring(0, dash).strip());
        long end = dash < 0 ? begin : Long.parseLong(p.substring(dash + 1).strip());
        checkRange(begin, end);
        pairs.add(new long[] {begin, end});
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "range must be 'begin-end' with whole numbers but was '" + p + "' in '" + text + "'");
      }
    }
    return normalized(pairs);
  }

  private static void checkRange(long begin, long end) {
    if (begin < 0) {
      throw new IllegalArgumentException("range begin must be >= 0 but was " + begin);
    }
    if (end < begin) {
      throw new IllegalArgumentException(
          "range end must be >= begin but was " + begin + "-" + end);
    }
    if (end == Long.MAX_VALUE) {
      // end + 1 must exist: adjacent ranges are joined by comparing with it.
      throw new IllegalArgumentException(
          "range end must be < " + Long.MAX_VALUE + " but was " + end);
    }
  }

  /** Sorts, merges and joins checked {@code {begin, end}} pairs. */
  private static Ranges normalized(List<long[]> pairs) {
    if (pairs.isEmpty()) {
      return EMPTY;
    }
    pairs.sort((a, b) -> Long.compare(a[0], b[0]));
    long[] out = new long[pairs.size() * 2];
    int n = 0;
    for (long[] p : pairs) {
      if (n > 0 && p[0] <= out[n - 1] + 1) {
        out[n - 1] = Math.max(out[n - 1], p[1]);
      } else {
        out[n++] = p[0];
        out[n++] = p[1];
      }
    }
    return new Ranges(Arrays.copyOf(out, n));
  }

  /** Joins a sorted run of pairs being built into {@code out}; returns the new length. */
  private static int append(long[] out, int n, long begin, long end) {
    if (n > 0 && begin <= out[n - 1] + 1) {
      out[n - 1] = Math.max(out[n - 1], end);
      return n;
    }
    out[n] = begin;
    out[n + 1] = end;
    return n + 2;
  }

  private static Ranges of(long[] out, int n) {
    return n == 0 ? EMPTY : new Ranges(n == out.length ? out : Arrays.copyOf(out, n));
  }

  /**
   * Returns whether this set holds no number.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /**
   * Counts the numbers in this set.
   *
   * @return how many numbers the ranges hold
   */
  public long size() {
    long n = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      n += bounds[i + 1] - bounds[i] + 1;
    }
    return n;
  }

  /**
   * Returns whether {@code value} is in this set.
   *
   * @param value a number
   * @return true when one of the ranges holds it
   */
  public boolean contains(long value) {
    int low = 0;
    int high = bounds.length / 2 - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (value < bounds[2 * mid]) {
        high = mid - 1;
      } else if (value > bounds[2 * mid + 1]) {
        low = mid + 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns whether every number of {@code other} is in this set.
   *
   * @param other the numbers to look for
   * @return true when {@code other} is a subset
   */
  public boolean containsAll(Ranges other) {
    int i = 0;
    for (int j = 0; j < other.bounds.length; j += 2) {
      long begin = other.bounds[j];
      while (i < bounds.length && bounds[i + 1] < begin) {
        i += 2;
      }
      // Ranges here are never adjacent, so one range must hold the whole of the other's range.
      if (i == bounds.length || bounds[i] > begin || bounds[i + 1] < other.bounds[j + 1]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the numbers in this set or in {@code other}.
   *
   * @param other the numbers to add
   * @return the union
   */
  public Ranges plus(Ranges other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    long[] out = new long[bounds.length + other.bounds.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < bounds.length || j < other.bounds.length) {
      boolean mine = j == other.bounds.length
          || i < bounds.length && bounds[i] <= other.bounds[j];
      if (mine) {
        n = append(out, n, bounds[i], bounds[i + 1]);
        i += 2;
      } else {
        n = append(out, n, other.bounds[j], other.bounds[j + 1]);
        j += 2;
      }
    }
    return of(out, n);
  }

  /**
   * Returns the numbers in this set that are not in {@code other}.
   *
   * @param other the numbers to take away; need not be a subset
   * @return the difference
   */
  public Ranges minus(Ranges other) {
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    // Each range of the other set can split one range here in two: at most one more each.
    long[] out = new long[bounds.length + other.bounds.length];
    int n = 0;
    int j = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      long begin = bounds[i];
      long end = bounds[i + 1];
      while (j < other.bounds.length && other.bounds[j + 1] < begin) {
        j += 2;
      }
      int k = j;
      while (begin <= end && k < other.bounds.length && other.bounds[k] <= end) {
        if (other.bounds[k] > begin) {
          out[n++] = begin;
          out[n++] = other.bounds[k] - 1;
        }
        begin = Math.max(begin, other.bounds[k + 1] + 1);
        k += 2;
      }
      if (begin <= end) {
        out[n++] = begin;
        out[n++] = end;
      }
    }
    return of(out, n);
  }

  /**
   * Returns the numbers in both this set and {@code other}.
   *
   * @param other the other numbers
   * @return the intersection
   */
  public Ranges intersect(Ranges other) {
    long[] out = new long[bounds.length + other.bounds.length];
    int n = 0;
    int i = 0;
    int j = 0;
    while (i < bounds.length && j < other.bounds.length) {
      long begin = Math.max(bounds[i], other.bounds[j]);
      long end = Math.min(bounds[i + 1], other.bounds[j + 1]);
      if (begin <= end) {
        out[n++] = begin;
        out[n++] = end;
      }
      if (bounds[i + 1] < other.bounds[j + 1]) {
        i += 2;
      } else {
        j += 2;
      }
    }
    return of(out, n);
  }

  /**
   * Takes the {@code count} lowest numbers of this set.
   *
   * @param count how many numbers to take, at least 0
   * @return those numbers, or empty when this set holds fewer than {@code count}
   */
  public Optional<Ranges> takeLowest(long count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0 but was " + count);
    }
    long[] out = new long[bounds.length];
    int n = 0;
    long left = count;
    for (int i = 0; i < bounds.length && left > 0; i += 2) {
      long take = Math.min(left, bounds[i + 1] - bounds[i] + 1);
      out[n++] = bounds[i];
      out[n++] = bounds[i] + take - 1;
      left -= take;
    }
    return left == 0 ? Optional.of(of(out, n)) : Optional.empty();
  }

  /**
   * Lists every number of this set in ascending order; meant for small sets such as a task's
   * ports.
   *
   * @return the numbers
   */
  public List<Long> values() {
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < bounds.length; i += 2) {
      for (long v = bounds[i]; v <= bounds[i + 1]; v++) {
        values.add(v);
      }
    }
    return List.copyOf(values);
  }

  /**
   * Lists the ranges as inclusive {@code [begin, end]} pairs in ascending order.
   *
   * @return one two-element array per range
   */
  public List<long[]> bounds() {
    List<long[]> result = new ArrayList<>(bounds.length / 2);
    for (int i = 0; i < bounds.length; i += 2) {
      result.add(new long[] {bounds[i], bounds[i + 1]});
    }
    return result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ranges other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  /** Prints the Mesos text form, e.g. {@code [31000-31005,32000-32000]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i += 2) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(bounds[i]).append('-').append(bounds[i + 1]);
    }
    return sb.append(']').toString();
  }
}
