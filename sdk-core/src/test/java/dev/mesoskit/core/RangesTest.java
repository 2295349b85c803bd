package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RangesTest {
  private static final int UNIVERSE = 8;
  private static final int SETS = 1 << UNIVERSE;

  @Test
  void parsesAndPrintsTheMesosForm() {
    Ranges ranges = Ranges.parse("[31000-31005,32000-32000]");

    assertThat(ranges.toString()).isEqualTo("[31000-31005,32000-32000]");
    assertThat(ranges.bounds())
        .containsExactly(new long[] {31000, 31005}, new long[] {32000, 32000});
    assertThat(ranges.size()).isEqualTo(7);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "[1-3,5-5]          | [1-3,5-5]",
    "1-3,5              | [1-3,5-5]",
    "' [ 1 - 3 , 5 ] '  | [1-3,5-5]",
    "7                  | [7-7]",
    "[5-6,1-2]          | [1-2,5-6]",
    "[1-2,3-4,5-6]      | [1-6]",
    "[1-5,3-8]          | [1-8]",
    "[4-4,4-4]          | [4-4]",
    "[0-0]              | [0-0]",
    "[]                 | []",
    "' [ ] '            | []",
    "''                 | []",
  })
  void parsesIntoTheNormalizedForm(String text, String printed) {
    Ranges ranges = Ranges.parse(text);

    assertThat(ranges.toString()).isEqualTo(printed);
    assertThat(Ranges.parse(printed)).isEqualTo(ranges);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "[1-2      | ranges must be enclosed in [] but was '[1-2'",
    "1-2]      | ranges must be enclosed in [] but was '1-2]'",
    "[a-2]     | range must be 'begin-end' with whole numbers but was 'a-2' in '[a-2]'",
    "[1-b]     | range must be 'begin-end' with whole numbers but was '1-b' in '[1-b]'",
    "[1-2,]    | range must be 'begin-end' with whole numbers but was '' in '[1-2,]'",
    "[1-]      | range must be 'begin-end' with whole numbers but was '1-' in '[1-]'",
    "[1-2-3]   | range must be 'begin-end' with whole numbers but was '1-2-3' in '[1-2-3]'",
    "[1.5-2]   | range must be 'begin-end' with whole numbers but was '1.5-2' in '[1.5-2]'",
    "[5-3]     | range end must be >= begin but was 5-3",
    "[-1-3]    | range begin must be >= 0 but was -1",
    "[-2]      | range begin must be >= 0 but was -2",
    "[1-9223372036854775807] | range end must be < 9223372036854775807 but was 9223372036854775807",
  })
  void rejectsMalformedText(String text, String message) {
    assertThatThrownBy(() -> Ranges.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void rejectsInvalidBoundsInFactories() {
    assertThatThrownBy(() -> Ranges.of(3, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range end must be >= begin but was 3-2");
    assertThatThrownBy(() -> Ranges.of(-1, 2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range begin must be >= 0 but was -1");
    assertThatThrownBy(() -> Ranges.ofValues(4, -7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range begin must be >= 0 but was -7");
    assertThatThrownBy(() -> Ranges.ofValues(Long.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("range end must be < 9223372036854775807 but was 9223372036854775807");
  }

  @Test
  void handlesTheLargestAcceptedNumber() {
    Ranges ranges = Ranges.of(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1);

    assertThat(ranges.size()).isEqualTo(2);
    assertThat(ranges.values()).containsExactly(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1);
    assertThat(ranges.toString())
        .isEqualTo("[9223372036854775805-9223372036854775806]");
    assertThat(Ranges.parse(ranges.toString())).isEqualTo(ranges);
  }

  @Test
  void equalSetsAreEqualHowEverTheyWereBuilt() {
    Ranges fromRange = Ranges.of(1, 3);
    Ranges fromValues = Ranges.ofValues(3, 1, 2, 2);
    Ranges fromParts = Ranges.parse("[1-1,2-3]");

    assertThat(fromValues).isEqualTo(fromRange).hasSameHashCodeAs(fromRange);
    assertThat(fromParts).isEqualTo(fromRange).hasSameHashCodeAs(fromRange);
    assertThat(Ranges.of(1, 4)).isNotEqualTo(fromRange);
    assertThat(Ranges.ofValues()).isEqualTo(Ranges.empty());
    assertThat(Ranges.empty().isEmpty()).isTrue();
    assertThat(Ranges.of(0, 0).isEmpty()).isFalse();
  }

  @Test
  void takesLowestNumbersAcrossRanges() {
    Ranges ranges = Ranges.parse("[5-9,1-2]");

    assertThat(ranges.takeLowest(0)).contains(Ranges.empty());
    assertThat(ranges.takeLowest(1)).contains(Ranges.of(1, 1));
    assertThat(ranges.takeLowest(4)).contains(Ranges.parse("[1-2,5-6]"));
    assertThat(ranges.takeLowest(7)).contains(ranges);
    assertThat(ranges.takeLowest(8)).isEmpty();
    assertThat(Ranges.empty().takeLowest(1)).isEmpty();
  }

  @Test
  void rejectsANegativeCount() {
    assertThatThrownBy(() -> Ranges.of(1, 2).takeLowest(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("count must be >= 0 but was -1");
  }

  @Test
  void listsValuesAndBoundsInAscendingOrder() {
    Ranges ranges = Ranges.parse("[10-11,3-3]");

    assertThat(ranges.values()).containsExactly(3L, 10L, 11L);
    assertThat(ranges.bounds()).containsExactly(new long[] {3, 3}, new long[] {10, 11});
    assertThat(ranges.contains(3)).isTrue();
    assertThat(ranges.contains(4)).isFalse();
    assertThat(ranges.contains(11)).isTrue();
    assertThat(ranges.contains(12)).isFalse();
  }

  @Test
  void combinesSetsLikeASetOfNumbers() {
    Ranges a = Ranges.parse("[1-5,10-12]");
    Ranges b = Ranges.parse("[4-10]");

    assertThat(a.plus(b)).hasToString("[1-12]");
    assertThat(a.minus(b)).hasToString("[1-3,11-12]");
    assertThat(b.minus(a)).hasToString("[6-9]");
    assertThat(a.intersect(b)).hasToString("[4-5,10-10]");
    assertThat(a.containsAll(b)).isFalse();
    assertThat(a.containsAll(Ranges.parse("[2-3,11-11]"))).isTrue();
    assertThat(a.containsAll(Ranges.empty())).isTrue();
    assertThat(Ranges.empty().containsAll(a)).isFalse();
  }

  /**
   * Every subset of 0..7 and every pair of them against {@link BitSet}: the queries on each of
   * the 256 sets, the set operations on each of the 65,536 pairs. A result equal to the set
   * built for the BitSet's answer has the same ranges, so its queries were checked with that set.
   * Failures are collected so that one run shows all of them.
   */
  @Test
  void agreesWithABitSetOnEveryPairOfSetsOverZeroToSeven() {
    Ranges[] ranges = new Ranges[SETS];
    BitSet[] bits = new BitSet[SETS];
    for (int mask = 0; mask < SETS; mask++) {
      bits[mask] = BitSet.valueOf(new long[] {mask});
      ranges[mask] = Ranges.ofValues(bits[mask].stream().asLongStream().toArray());
    }
    List<String> failures = new ArrayList<>();

    for (int mask = 0; mask < SETS; mask++) {
      Ranges r = ranges[mask];
      BitSet model = bits[mask];
      check(failures, () -> r + ".size()", r.size(), (long) model.cardinality());
      check(failures, () -> r + ".values()", r.values(), valuesOf(model));
      check(failures, () -> r + ".isEmpty()", r.isEmpty(), model.isEmpty());
      check(failures, () -> "parse(" + r + ")", Ranges.parse(r.toString()), r);
      check(failures, () -> r + ".toString()", r.toString(), printed(model));
      for (long value = -1; value <= UNIVERSE; value++) {
        long v = value;
        check(failures, () -> r + ".contains(" + v + ")", r.contains(v),
            v >= 0 && model.get((int) v));
      }
      for (int n = 0; n <= UNIVERSE + 1; n++) {
        int count = n;
        check(failures, () -> r + ".takeLowest(" + count + ")", r.takeLowest(count),
            lowest(model, count).map(b -> ranges[maskOf(b)]));
      }
    }

    for (int a = 0; a < SETS; a++) {
      for (int b = 0; b < SETS; b++) {
        Ranges x = ranges[a];
        Ranges y = ranges[b];
        BitSet union = (BitSet) bits[a].clone();
        union.or(bits[b]);
        BitSet difference = (BitSet) bits[a].clone();
        difference.andNot(bits[b]);
        BitSet intersection = (BitSet) bits[a].clone();
        intersection.and(bits[b]);

        Ranges plus = x.plus(y);
        Ranges minus = x.minus(y);
        Ranges intersect = x.intersect(y);
        check(failures, () -> x + ".plus(" + y + ")", plus, ranges[maskOf(union)]);
        check(failures, () -> x + ".minus(" + y + ")", minus, ranges[maskOf(difference)]);
        check(failures, () -> x + ".intersect(" + y + ")", intersect,
            ranges[maskOf(intersection)]);
        check(failures, () -> x + ".containsAll(" + y + ")", x.containsAll(y),
            isSubset(bits[b], bits[a]));
        check(failures, () -> x + ".equals(" + y + ")", x.equals(y), a == b);
      }
    }

    assertThat(failures).isEmpty();
  }

  private static void check(
      List<String> failures, Supplier<String> what, Object actual, Object expected) {
    if (!actual.equals(expected) && failures.size() < 20) {
      failures.add(what.get() + " was " + actual + " but the BitSet says " + expected);
    }
  }

  /** Whether {@code sub} is a subset of {@code sup}. */
  private static boolean isSubset(BitSet sub, BitSet sup) {
    BitSet left = (BitSet) sub.clone();
    left.andNot(sup);
    return left.isEmpty();
  }

  private static int maskOf(BitSet bits) {
    long[] words = bits.toLongArray();
    return words.length == 0 ? 0 : (int) words[0];
  }

  private static List<Long> valuesOf(BitSet bits) {
    return bits.stream().mapToObj(i -> (long) i).toList();
  }

  private static Optional<BitSet> lowest(BitSet bits, int count) {
    if (bits.cardinality() < count) {
      return Optional.empty();
    }
    BitSet taken = new BitSet();
    for (int i = bits.nextSetBit(0), n = 0; n < count; i = bits.nextSetBit(i + 1), n++) {
      taken.set(i);
    }
    return Optional.of(taken);
  }

  /** Prints runs of set bits as {@code [a-b,c-d]}, written independently of {@link Ranges}. */
  private static String printed(BitSet bits) {
    StringBuilder sb = new StringBuilder("[");
    int begin = bits.nextSetBit(0);
    while (begin >= 0) {
      int end = bits.nextClearBit(begin) - 1;
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append(begin).append('-').append(end);
      begin = bits.nextSetBit(end + 1);
    }
    return sb.append(']').toString();
  }
}
