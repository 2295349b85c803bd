package dev.mesoskit.core.http;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** What the raw loopback peers of the misbehaving-peer tests share: framing and accepting. */
final class RawHttp {
  private RawHttp() {}

  /** One HTTP/1.1 chunk holding {@code data}. */
  static byte[] chunk(byte[] data) {
    byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[head.length + data.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(data, 0, out, head.length, data.length);
    out[out.length - 2] = '\r';
    out[out.length - 1] = '\n';
    return out;
  }

  /**
   * Accepts connections on a daemon thread until the server closes: {@code onAccept} runs on that
   * thread, in the order connections come, and returns what then serves the connection on a
   * daemon thread of its own.
   *
   * @return the accepting thread, started
   */
  static Thread acceptEach(ServerSocket server, String name, Function<Socket, Runnable> onAccept) {
    Thread acceptor = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Thread t = new Thread(onAccept.apply(server.accept()), name + "-conn");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }, name);
    acceptor.setDaemon(true);
    acceptor.start();
    return acceptor;
  }
}
