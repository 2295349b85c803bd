package dev.mesoskit.artifacts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client that sends a request line exactly as written, so that no client library normalizes
 * the path ({@code ..}, {@code %2e}, {@code ;}) before the server sees it.
 */
final class RawHttp {
  /** A parsed response. */
  record Reply(int status, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  /**
   * Sends {@code <method> <target> HTTP/1.1} with a Host header, {@code Connection: close}, the
   * extra header lines and the body, and reads the whole answer.
   */
  static Reply send(int port, String method, byte[] target, String extraHeaders, byte[] body)
      throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream request = new ByteArrayOutputStream();
      request.write((method + " ").getBytes(StandardCharsets.US_ASCII));
      request.write(target);
      String head = " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n"
          + extraHeaders
          + (body.length > 0 || method.equals("PUT") ? "Content-Length: " + body.length + "\r\n"
              : "")
          + "\r\n";
      request.write(head.getBytes(StandardCharsets.US_ASCII));
      request.write(body);
      out.write(request.toByteArray());
      out.flush();
      return read(socket.getInputStream(), method.equals("HEAD"));
    }
  }

  static Reply send(int port, String method, String target) throws IOException {
    return send(port, method, target.getBytes(StandardCharsets.ISO_8859_1), "", new byte[0]);
  }

  private static Reply read(InputStream in, boolean head) throws IOException {
    String statusLine = line(in);
    if (statusLine == null) {
      throw new IOException("connection closed before a response");
    }
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line; (line = line(in)) != null && !line.isEmpty(); ) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    byte[] body;
    String length = headers.get("content-length");
    if (head || status == 304 || status == 204) {
      body = new byte[0];
    } else if (length != null) {
      body = in.readNBytes(Integer.parseInt(length));
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream chunks = new ByteArrayOutputStream();
      for (int size; (size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) > 0; ) {
        chunks.write(in.readNBytes(size));
        line(in);
      }
      body = chunks.toByteArray();
    } else {
      body = in.readAllBytes();
    }
    return new Reply(status, headers, body);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b; (b = in.read()) >= 0; ) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1
            : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }
}
