package dev.mesoskit.core.http;

import dev.mesoskit.core.MesosKitException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Decodes Mesos' RecordIO framing ({@code <decimal length>\n<bytes>}, repeated) from a stream of
 * chunks, wherever the chunk boundaries fall: in the length, at the newline, or inside a record.
 *
 * <p>Records longer than the configured limit, and lengths that are not decimal digits followed
 * by a newline, fail with a {@link MesosKitException} naming the problem and the stream offset;
 * the decoder is unusable afterwards.
 *
 * <p>Memory follows the bytes that came, not the lengths announced: a record's buffer starts at
 * 64 KiB at most and doubles as its bytes arrive, so a peer that announces a record of the
 * limit's size and then sends little costs little.
 *
 * <p>A {@link RecordSink} receives a record that lies whole in the chunk fed as a slice of that
 * chunk, without a copy; only a record split across chunks is gathered into a buffer of its own.
 * A {@code Consumer<byte[]>} receives each record in an array of its own.
 *
 * <p>Not thread-safe: feed it from one thread (the HTTP client delivers chunks in order).
 */
public final class RecordIoDecoder {
  private static final int MAX_DIGITS = 19;
  private static final int FIRST_BUFFER = 64 * 1024;

  /**
   * Receives each whole record as a slice of an array, the caller's chunk or the decoder's
   * buffer: valid during the call only.
   */
  @FunctionalInterface
  public interface RecordSink {
    /**
     * Takes one record.
     *
     * @param bytes holds the record; read it during this call only, never change it
     * @param offset where the record starts in {@code bytes}
     * @param length the record's length
     */
    void record(byte[] bytes, int offset, int length);
  }

  private final int maxRecordBytes;
  /** Takes records as slices; null when {@link #arrays} does. */
  private final RecordSink slices;
  /** Takes records in arrays of their own; null when {@link #slices} does. */
  private final Consumer<byte[]> arrays;
  private long offset;
  private long length;
  private int digits;
  private byte[] record;
  private int filled;
  private MesosKitException failure;

  /**
   * Creates a decoder.
   *
   * @param maxRecordBytes the longest record accepted
   * @param sink receives each whole record, in order, in an array of its own
   */
  public RecordIoDecoder(int maxRecordBytes, Consumer<byte[]> sink) {
    this(maxRecordBytes, null, java.util.Objects.requireNonNull(sink, "sink must not be null"));
  }

  /**
   * Creates a decoder that hands records over as slices, copying none that arrived whole.
   *
   * @param maxRecordBytes the longest record accepted
   * @param sink receives each whole record, in order, valid during its call only
   */
  public RecordIoDecoder(int maxRecordBytes, RecordSink sink) {
    this(maxRecordBytes, java.util.Objects.requireNonNull(sink, "sink must not be null"), null);
  }

  private RecordIoDecoder(int maxRecordBytes, RecordSink slices, Consumer<byte[]> arrays) {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be >= 1 but was " + maxRecordBytes);
    }
    this.maxRecordBytes = maxRecordBytes;
    this.slices = slices;
    this.arrays = arrays;
  }

  /**
   * Feeds the next chunk.
   *
   * @param chunk the bytes; consumed entirely
   * @throws MesosKitException when the stream is not valid RecordIO
   */
  public void feed(ByteBuffer chunk) {
    if (chunk.hasArray()) {
      int n = chunk.remaining();
      feed(chunk.array(), chunk.arrayOffset() + chunk.position(), n);
      chunk.position(chunk.position() + n);
    } else {
      byte[] copy = new byte[chunk.remaining()];
      chunk.get(copy);
      feed(copy, 0, copy.length);
    }
  }

  /**
   * Feeds the next chunk.
   *
   * @param bytes the buffer
   * @param from the first byte of the chunk
   * @param count the chunk's length
   * @throws MesosKitException when the stream is not valid RecordIO
   */
  public void feed(byte[] bytes, int from, int count) {
    if (failure != null) {
      throw failure;
    }
    int i = from;
    int end = from + count;
    while (i < end) {
      if (record == null) {
        byte b = bytes[i++];
        offset++;
        if (b >= '0' && b <= '9') {
          length = length * 10 + (b - '0');
          if (++digits > MAX_DIGITS || length > maxRecordBytes) {
            throw fail("RecordIO record length exceeds the limit of " + maxRecordBytes
                + " bytes (at stream offset " + (offset - 1) + ")");
          }
        } else if (b == '\n' && digits > 0) {
          if (end - i >= length) {
            // The whole record is in this chunk: handed over where it lies.
            int n = (int) length;
            length = 0;
            digits = 0;
            offset += n;
            i += n;
            emit(bytes, i - n, n);
            continue;
          }
          record = new byte[(int) Math.min(length, FIRST_BUFFER)];
          filled = 0;
        } else {
          throw fail("RecordIO expects a decimal length followed by '\\n' but got byte 0x"
              + String.format("%02x", b & 0xff) + " at stream offset " + (offset - 1));
        }
      } else {
        int n = (int) Math.min(end - i, length - filled);
        if (filled + n > record.length) {
          record = Arrays.copyOf(record,
              (int) Math.min(length, Math.max(filled + (long) n, record.length * 2L)));
        }
        System.arraycopy(bytes, i, record, filled, n);
        filled += n;
        i += n;
        offset += n;
        if (filled == length) {
          emit();
        }
      }
    }
  }

  private void emit() {
    byte[] done = record;
    record = null;
    length = 0;
    digits = 0;
    if (slices != null) {
      slices.record(done, 0, done.length);
    } else {
      arrays.accept(done);
    }
  }

  /** Hands over a record that lies whole in the caller's chunk. */
  private void emit(byte[] chunk, int from, int n) {
    if (slices != null) {
      slices.record(chunk, from, n);
    } else {
      arrays.accept(Arrays.copyOfRange(chunk, from, from + n));
    }
  }

  private MesosKitException fail(String message) {
    failure = new MesosKitException(message);
    return failure;
  }

  /**
   * Whether the stream stopped in the middle of a record or of a length.
   *
   * @return true when bytes were fed that did not complete a record
   */
  public boolean midRecord() {
    return record != null || digits > 0;
  }

  /**
   * Encodes one record, for tests and servers.
   *
   * @param payload the record
   * @return {@code <length>\n<payload>}
   */
  public static byte[] encode(byte[] payload) {
    byte[] header = (payload.length + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] out = new byte[header.length + payload.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(payload, 0, out, header.length, payload.length);
    return out;
  }
}
