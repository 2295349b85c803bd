package dev.mesoskit.core.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * The bytes of a {@link BlockingPost}'s socket through a buffer of its own, read as lines of an
 * answer's head (whose reads can keep a deadline) or as a body's bytes.
 *
 * <p>Threading: one reading thread, as the POST's.
 */
final class SocketLines {
  private final InputStream socket;
  private final byte[] buf = new byte[16 * 1024];
  private int pos;
  private int limit;

  SocketLines(InputStream socket) {
    this.socket = socket;
  }

  /** Fills the buffer when it is empty; false at the end of the connection. */
  boolean fill() throws IOException {
    if (pos < limit) {
      return true;
    }
    int n = socket.read(buf, 0, buf.length);
    if (n < 0) {
      return false;
    }
    pos = 0;
    limit = n;
    return true;
  }

  int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!fill()) {
      return -1;
    }
    int n = Math.min(len, limit - pos);
    System.arraycopy(buf, pos, b, off, n);
    pos += n;
    return n;
  }

  /**
   * One line without its CRLF (or bare LF), in ISO-8859-1, taking bytes from {@code budget[0]};
   * null at the end of the connection. With a deadline (0 for none) each read waits at most
   * until it.
   *
   * @param what what the line is part of, for the failure when the budget is spent
   */
  String line(long deadline, Socket timed, int[] budget, String what) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      if (pos == limit) {
        if (deadline != 0) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new SocketTimeoutException("answer head not complete in time");
          }
          timed.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, left / 1_000_000)));
        }
        if (!fill()) {
          return null;
        }
      }
      byte b = buf[pos++];
      if (--budget[0] < 0) {
        throw new IOException(what + " longer than " + budget[1] + " bytes");
      }
      if (b == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      line.append((char) (b & 0xff));
    }
  }
}
