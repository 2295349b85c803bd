package dev.mesoskit.core;

import com.google.common.collect.BoundType;
import com.google.common.collect.DiscreteDomain;
import com.google.common.collect.ImmutableRangeSet;
import com.google.common.collect.Range;
import com.google.common.collect.RangeSet;
import com.google.common.collect.TreeRangeSet;
import java.util.ArrayList;
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
  private static final Ranges EMPTY = new Ranges(ImmutableRangeSet.of());

  private final ImmutableRangeSet<Long> set;

  private Ranges(RangeSet<Long> set) {
    this.set = ImmutableRangeSet.copyOf(set);
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
    return new Ranges(ImmutableRangeSet.of(closed(begin, end)));
  }

  /**
   * Returns the given single numbers.
   *
   * @param values the numbers, each at least 0
   * @return the set of those numbers
   */
  public static Ranges ofValues(long... values) {
    TreeRangeSet<Long> set = TreeRangeSet.create();
    for (long v : values) {
      checkRange(v, v);
      set.add(closed(v, v));
    }
    return new Ranges(set);
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
    TreeRangeSet<Long> set = TreeRangeSet.create();
    for (String part : body.split(",", -1)) {
      String p = part.strip();
      int dash = p.indexOf('-', 1);
      try {
        long begin = Long.parseLong(dash < 0 ? p : p.substring(0, dash).strip());
        long end = dash < 0 ? begin : Long.parseLong(p.substring(dash + 1).strip());
        checkRange(begin, end);
        set.add(closed(begin, end));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "range must be 'begin-end' with whole numbers but was '" + p + "' in '" + text + "'");
      }
    }
    return new Ranges(set);
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
      // The canonical form [begin, end + 1) needs end + 1 to exist.
      throw new IllegalArgumentException(
          "range end must be < " + Long.MAX_VALUE + " but was " + end);
    }
  }

  private static Range<Long> closed(long begin, long end) {
    return Range.closed(begin, end).canonical(DiscreteDomain.longs());
  }

  /**
   * Returns whether this set holds no number.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return set.isEmpty();
  }

  /**
   * Counts the numbers in this set.
   *
   * @return how many numbers the ranges hold
   */
  public long size() {
    long n = 0;
    for (Range<Long> r : set.asRanges()) {
      n += r.upperEndpoint() - r.lowerEndpoint();
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
    return set.contains(value);
  }

  /**
   * Returns whether every number of {@code other} is in this set.
   *
   * @param other the numbers to look for
   * @return true when {@code other} is a subset
   */
  public boolean containsAll(Ranges other) {
    return set.enclosesAll(other.set);
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
    TreeRangeSet<Long> result = TreeRangeSet.create(set);
    result.addAll(other.set);
    return new Ranges(result);
  }

  /**
   * Returns the numbers in this set that are not in {@code other}.
   *
   * @param other the numbers to take away; need not be a subset
   * @return the difference
   */
  public Ranges minus(Ranges other) {
    if (other.isEmpty()) {
      return this;
    }
    return new Ranges(set.difference(other.set));
  }

  /**
   * Returns the numbers in both this set and {@code other}.
   *
   * @param other the other numbers
   * @return the intersection
   */
  public Ranges intersect(Ranges other) {
    return new Ranges(set.intersection(other.set));
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
    TreeRangeSet<Long> taken = TreeRangeSet.create();
    long left = count;
    for (Range<Long> r : set.asRanges()) {
      if (left == 0) {
        break;
      }
      long begin = r.lowerEndpoint();
      long n = Math.min(left, r.upperEndpoint() - begin);
      taken.add(Range.closedOpen(begin, begin + n));
      left -= n;
    }
    return left == 0 ? Optional.of(new Ranges(taken)) : Optional.empty();
  }

  /**
   * Lists every number of this set in ascending order; meant for small sets such as a task's
   * ports.
   *
   * @return the numbers
   */
  public List<Long> values() {
    List<Long> values = new ArrayList<>();
    for (Range<Long> r : set.asRanges()) {
      for (long v = r.lowerEndpoint(); v < r.upperEndpoint(); v++) {
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
    List<long[]> result = new ArrayList<>();
    for (Range<Long> r : set.asRanges()) {
      result.add(new long[] {r.lowerEndpoint(), lastOf(r)});
    }
    return result;
  }

  private static long lastOf(Range<Long> r) {
    return r.upperBoundType() == BoundType.OPEN ? r.upperEndpoint() - 1 : r.upperEndpoint();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ranges other && set.equals(other.set);
  }

  @Override
  public int hashCode() {
    return set.hashCode();
  }

  /** Prints the Mesos text form, e.g. {@code [31000-31005,32000-32000]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("[");
    for (long[] b : bounds()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(b[0]).append('-').append(b[1]);
    }
    return sb.append(']').toString();
  }
}
