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
 * <p>Not thread-safe: feed it from one thread (the HTTP client delivers chunks in order).
 */
public final class RecordIoDecoder {
  private static final int MAX_DIGITS = 19;
  private static final int FIRST_BUFFER = 64 * 1024;

  private final int maxRecordBytes;
  private final Consumer<byte[]> sink;
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
   * @param sink receives each whole record, in order
   */
  public RecordIoDecoder(int maxRecordBytes, Consumer<byte[]> sink) {
    if (maxRecordBytes < 1) {
      throw new IllegalArgumentException("maxRecordBytes must be >= 1 but was " + maxRecordBytes);
    }
    this.maxRecordBytes = maxRecordBytes;
    this.sink = sink;
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
          record = new byte[(int) Math.min(length, FIRST_BUFFER)];
          filled = 0;
          if (length == 0) {
            emit();
          }
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
    sink.accept(done);
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
