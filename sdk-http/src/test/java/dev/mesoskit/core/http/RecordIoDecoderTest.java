package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RecordIoDecoderTest {
  private static final List<String> RECORDS =
      List.of("{\"type\":\"SUBSCRIBED\"}", "", "x", "a much longer third record with spaces",
          "0123456789".repeat(12));

  private static byte[] stream() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String r : RECORDS) {
      out.writeBytes(RecordIoDecoder.encode(r.getBytes(StandardCharsets.UTF_8)));
    }
    return out.toByteArray();
  }

  /** The records, decoded by a decoder of each kind of sink, which must agree. */
  private static List<String> decodeInChunks(byte[] bytes, int[] cuts) {
    List<String> arrays = new ArrayList<>();
    List<String> slices = new ArrayList<>();
    RecordIoDecoder byArray =
        new RecordIoDecoder(1024, r -> arrays.add(new String(r, StandardCharsets.UTF_8)));
    RecordIoDecoder bySlice = new RecordIoDecoder(1024,
        (b, offset, length) -> slices.add(new String(b, offset, length, StandardCharsets.UTF_8)));
    for (RecordIoDecoder d : List.of(byArray, bySlice)) {
      int from = 0;
      for (int cut : cuts) {
        d.feed(ByteBuffer.wrap(bytes, from, cut - from).slice());
        from = cut;
      }
      d.feed(bytes, from, bytes.length - from);
      assertThat(d.midRecord()).isFalse();
    }
    assertThat(slices).isEqualTo(arrays);
    return arrays;
  }

  @Test
  void aSliceSinkGetsRecordsThatLieWholeInAChunkWhereTheyLie() {
    byte[] bytes = "3\nabc0\n2\nde".getBytes(StandardCharsets.US_ASCII);
    List<String> got = new ArrayList<>();
    RecordIoDecoder d = new RecordIoDecoder(100,
        (b, offset, length) -> got.add((b == bytes) + " " + offset + " " + length));
    d.feed(bytes, 0, bytes.length);
    assertThat(got).containsExactly("true 2 3", "true 7 0", "true 9 2");
  }

  @Test
  void aSliceSinkGetsARecordSplitAcrossChunksInABufferOfItsOwn() {
    byte[] first = "5\nab".getBytes(StandardCharsets.US_ASCII);
    byte[] second = "cde1\nf".getBytes(StandardCharsets.US_ASCII);
    List<String> got = new ArrayList<>();
    RecordIoDecoder d = new RecordIoDecoder(100, (b, offset, length) -> got.add(
        (b == first || b == second) + " " + new String(b, offset, length, StandardCharsets.UTF_8)));
    d.feed(first, 0, first.length);
    d.feed(second, 0, second.length);
    assertThat(got).containsExactly("false abcde", "true f");
  }

  @Test
  void anArraySinkGetsEachRecordInAnArrayOfItsOwn() {
    byte[] bytes = "3\nabc2\nde".getBytes(StandardCharsets.US_ASCII);
    List<byte[]> got = new ArrayList<>();
    RecordIoDecoder d = new RecordIoDecoder(100, got::add);
    d.feed(bytes, 0, bytes.length);
    bytes[2] = 'X'; // the caller reuses its buffer
    assertThat(got).extracting(r -> new String(r, StandardCharsets.US_ASCII))
        .containsExactly("abc", "de");
  }

  @Test
  void decodesTheSameRecordsForEveryFixedChunkSize() {
    byte[] bytes = stream();
    for (int size = 1; size <= bytes.length; size++) {
      List<Integer> cuts = new ArrayList<>();
      for (int c = size; c < bytes.length; c += size) {
        cuts.add(c);
      }
      assertThat(decodeInChunks(bytes, cuts.stream().mapToInt(i -> i).toArray()))
          .as("chunk size %d", size)
          .isEqualTo(RECORDS);
    }
  }

  @Test
  void decodesTheSameRecordsForEverySingleAndDoubleSplit() {
    byte[] bytes = stream();
    for (int a = 0; a <= bytes.length; a++) {
      assertThat(decodeInChunks(bytes, new int[] {a})).isEqualTo(RECORDS);
      for (int b = a; b <= bytes.length; b += 7) {
        assertThat(decodeInChunks(bytes, new int[] {a, b})).isEqualTo(RECORDS);
      }
    }
  }

  @Test
  void decodesTheSameRecordsForRandomSplits() {
    byte[] bytes = stream();
    Random random = new Random(42);
    for (int round = 0; round < 2000; round++) {
      int n = random.nextInt(20);
      int[] cuts = random.ints(n, 0, bytes.length + 1).sorted().toArray();
      assertThat(decodeInChunks(bytes, cuts)).isEqualTo(RECORDS);
    }
  }

  @Test
  void reportsAStreamThatStopsInsideARecord() {
    List<byte[]> got = new ArrayList<>();
    RecordIoDecoder d = new RecordIoDecoder(100, got::add);
    d.feed("5\nab".getBytes(StandardCharsets.US_ASCII), 0, 4);
    assertThat(got).isEmpty();
    assertThat(d.midRecord()).isTrue();
    d.feed("cde".getBytes(StandardCharsets.US_ASCII), 0, 3);
    assertThat(got).hasSize(1);
    assertThat(new String(got.get(0), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    assertThat(d.midRecord()).isFalse();
  }

  @Test
  void refusesALengthThatIsNotDecimal() {
    RecordIoDecoder d = new RecordIoDecoder(100, r -> { });
    byte[] bad = "3\nabcX\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> d.feed(bad, 0, bad.length))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("RecordIO expects a decimal length followed by '\\n' but got byte 0x58 at"
            + " stream offset 5");
    assertThatThrownBy(() -> d.feed(new byte[] {'1'}, 0, 1))
        .as("the decoder stays failed")
        .isInstanceOf(MesosKitException.class);
  }

  @Test
  void refusesAnEmptyLength() {
    RecordIoDecoder d = new RecordIoDecoder(100, r -> { });
    assertThatThrownBy(() -> d.feed(new byte[] {'\n'}, 0, 1))
        .hasMessage("RecordIO expects a decimal length followed by '\\n' but got byte 0x0a at"
            + " stream offset 0");
  }

  @Test
  void refusesARecordLongerThanTheLimitBeforeReadingIt() {
    RecordIoDecoder d = new RecordIoDecoder(1000, r -> { });
    byte[] bad = "1001\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> d.feed(bad, 0, bad.length))
        .hasMessage("RecordIO record length exceeds the limit of 1000 bytes (at stream offset 3)");
  }

  @Test
  void refusesAbsurdlyLongLengthsWithoutOverflowing() {
    RecordIoDecoder d = new RecordIoDecoder(Integer.MAX_VALUE, r -> { });
    byte[] bad = "99999999999999999999999\n".getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> d.feed(bad, 0, bad.length))
        .hasMessageStartingWith("RecordIO record length exceeds the limit of 2147483647 bytes");
  }

  @Test
  void refusesGarbageInsteadOfALength() {
    Random random = new Random(7);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[32];
      random.nextBytes(garbage);
      garbage[0] = (byte) ('a' + random.nextInt(26));
      RecordIoDecoder d = new RecordIoDecoder(1 << 20, r -> { });
      assertThatThrownBy(() -> d.feed(garbage, 0, garbage.length))
          .isInstanceOf(MesosKitException.class)
          .hasMessageContaining("at stream offset 0");
    }
  }

  @Test
  void aLargeAnnouncedRecordCostsTheBytesThatCameNotItsLength() {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    List<byte[]> records = new ArrayList<>();
    RecordIoDecoder decoder = new RecordIoDecoder(64 << 20, records::add);
    long before = threads.getCurrentThreadAllocatedBytes();
    decoder.feed(ByteBuffer.wrap("60000000\nonly a few bytes".getBytes(StandardCharsets.US_ASCII)));
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated for a record announced as 60 MB").isLessThan(1 << 20);
    assertThat(decoder.midRecord()).isTrue();
    assertThat(records).isEmpty();
  }

  @Test
  void aRecordLargerThanTheFirstBufferIsWholeAndExact() {
    byte[] payload = new byte[300_000];
    new Random(7).nextBytes(payload);
    List<byte[]> records = new ArrayList<>();
    RecordIoDecoder decoder = new RecordIoDecoder(1 << 20, records::add);
    byte[] stream = RecordIoDecoder.encode(payload);
    for (int i = 0; i < stream.length; i += 1000) {
      decoder.feed(stream, i, Math.min(1000, stream.length - i));
    }
    assertThat(records).hasSize(1);
    assertThat(records.get(0)).isEqualTo(payload);
    assertThat(decoder.midRecord()).isFalse();
  }
}
