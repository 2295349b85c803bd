package dev.mesoskit.core.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body of a {@link BlockingPost}'s answer, decoded from its framing: chunks, a length, or up to
 * the end of the connection. Closing it closes the connection.
 *
 * <p>Threading: one reading thread, as the POST's.
 */
final class FramedBody extends InputStream {
  static final int CHUNKED = 0;
  static final int LENGTH = 1;
  static final int TO_CLOSE = 2;

  private final SocketLines in;
  private final Runnable onClose;
  private final int framing;
  /** Left of the body (LENGTH) or of the current chunk (CHUNKED). */
  private long left;
  private boolean ended;
  private boolean firstChunk = true;

  FramedBody(SocketLines in, int framing, long length, Runnable onClose) {
    this.in = in;
    this.onClose = onClose;
    this.framing = framing;
    this.left = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (ended) {
      return -1;
    }
    switch (framing) {
      case TO_CLOSE -> {
        int n = in.read(b, off, len);
        if (n < 0) {
          ended = true;
        }
        return n;
      }
      case LENGTH -> {
        if (left == 0) {
          ended = true;
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
          throw new EOFException("the peer closed the connection " + left
              + " bytes before the end of the answer");
        }
        left -= n;
        return n;
      }
      default -> {
        if (left == 0) {
          if (!nextChunk()) {
            ended = true;
            return -1;
          }
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
          throw new EOFException("the peer closed the connection inside a chunk");
        }
        left -= n;
        return n;
      }
    }
  }

  /** Reads the next chunk's size line; false after the last chunk and its trailers. */
  private boolean nextChunk() throws IOException {
    if (!firstChunk) {
      String end = chunkLine();
      if (!end.isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
    }
    firstChunk = false;
    String sizeLine = chunkLine();
    int semicolon = sizeLine.indexOf(';');
    String hex = (semicolon >= 0 ? sizeLine.substring(0, semicolon) : sizeLine).strip();
    long size = hex.isEmpty() || hex.length() > 15 ? -1 : 0;
    for (int i = 0; i < hex.length() && size >= 0; i++) {
      int digit = Character.digit(hex.charAt(i), 16);
      size = digit < 0 ? -1 : size * 16 + digit;
    }
    if (size < 0) {
      throw new IOException("invalid chunk size line '" + PeerTrouble.brief("", sizeLine)
          + "'");
    }
    if (size == 0) {
      // Trailers, up to the empty line: all of them within one budget, as the head's lines.
      int[] budget = {BlockingPost.MAX_HEAD_BYTES, BlockingPost.MAX_HEAD_BYTES};
      String trailer;
      do {
        trailer = in.line(0, null, budget, "chunked answer's trailers");
        if (trailer == null) {
          throw new EOFException("the peer closed the connection inside a chunked answer");
        }
      } while (!trailer.isEmpty());
      return false;
    }
    left = size;
    return true;
  }

  private String chunkLine() throws IOException {
    String line = in.line(0, null, new int[] {BlockingPost.MAX_LINE_BYTES, BlockingPost.MAX_LINE_BYTES}, "chunk line");
    if (line == null) {
      throw new EOFException("the peer closed the connection inside a chunked answer");
    }
    return line;
  }

  @Override
  public void close() {
    onClose.run();
  }
}
