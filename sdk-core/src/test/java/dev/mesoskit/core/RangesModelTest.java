package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ranges against a model: random sets of numbers below 200 as {@link BitSet}s, seeded, every
 * operation compared with the same operation on the bits.
 */
class RangesModelTest {
  private static Ranges fromBits(BitSet bits) {
    return Ranges.ofValues(bits.stream().asLongStream().toArray());
  }

  private static BitSet toBits(Ranges ranges) {
    BitSet bits = new BitSet();
    for (long v : ranges.values()) {
      bits.set((int) v);
    }
    return bits;
  }

  private static BitSet random(Random random) {
    BitSet bits = new BitSet();
    int runs = random.nextInt(6);
    for (int r = 0; r < runs; r++) {
      int begin = random.nextInt(200);
      bits.set(begin, Math.min(200, begin + 1 + random.nextInt(30)));
    }
    return bits;
  }

  @Test
  void everyOperationAgreesWithTheModelOnTenThousandSeededPairs() {
    Random random = new Random(20261207L);
    for (int i = 0; i < 10_000; i++) {
      BitSet a = random(random);
      BitSet b = random(random);
      Ranges ra = fromBits(a);
      Ranges rb = fromBits(b);
      assertThat(toBits(ra)).isEqualTo(a);
      assertThat(ra.size()).isEqualTo(a.cardinality());

      BitSet union = (BitSet) a.clone();
      union.or(b);
      assertThat(toBits(ra.plus(rb))).isEqualTo(union);
      assertThat(ra.plus(rb)).isEqualTo(fromBits(union)).isEqualTo(rb.plus(ra));

      BitSet difference = (BitSet) a.clone();
      difference.andNot(b);
      assertThat(ra.minus(rb)).isEqualTo(fromBits(difference));

      BitSet both = (BitSet) a.clone();
      both.and(b);
      assertThat(ra.intersect(rb)).isEqualTo(fromBits(both));

      BitSet notInA = (BitSet) b.clone();
      notInA.andNot(a);
      assertThat(ra.containsAll(rb)).isEqualTo(notInA.isEmpty());

      int probe = random.nextInt(210);
      assertThat(ra.contains(probe)).isEqualTo(a.get(probe));

      int count = random.nextInt(a.cardinality() + 2);
      if (count <= a.cardinality()) {
        List<Long> lowest = new ArrayList<>();
        for (int v = a.nextSetBit(0); v >= 0 && lowest.size() < count; v = a.nextSetBit(v + 1)) {
          lowest.add((long) v);
        }
        assertThat(ra.takeLowest(count)).hasValueSatisfying(t ->
            assertThat(t.values()).isEqualTo(lowest));
      } else {
        assertThat(ra.takeLowest(count)).isEmpty();
      }
      // normalized: the text form is the model's runs
      assertThat(Ranges.parse(ra.toString())).isEqualTo(ra);
    }
  }
}
