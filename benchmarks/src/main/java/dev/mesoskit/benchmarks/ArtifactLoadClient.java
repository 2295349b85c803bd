package dev.mesoskit.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client of {@code benchmarks/artifact-bench.sh}: the same client measures nginx and the
 * artifact server in one run, so that the ratio compares the servers and not the clients.
 *
 * <p>It speaks HTTP/1.1 over blocking {@link SocketChannel}s with keep-alive, one connection per
 * client thread, and reads bodies into one direct buffer it throws away, so that the client costs
 * as little CPU as it can on a machine it shares with the server.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.ArtifactLoadClient \
 *     verify URL SHA256
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.ArtifactLoadClient \
 *     download URL CLIENTS ROUNDS
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.ArtifactLoadClient \
 *     upload BASE_URL TOKEN CLIENTS UPLOADS SIZE_BYTES
 * </pre>
 */
public final class ArtifactLoadClient {
  private static final int BUFFER_BYTES = 1 << 20;

  private ArtifactLoadClient() {}

  /**
   * Runs one measurement and prints one line of results.
   *
   * @param args {@code verify URL SHA256}, {@code download URL CLIENTS ROUNDS} or
   *     {@code upload BASE_URL TOKEN CLIENTS UPLOADS SIZE_BYTES}
   * @throws Exception when a request fails: a benchmark with errors has no result
   */
  public static void main(String[] args) throws Exception {
    switch (args.length > 0 ? args[0] : "") {
      case "verify" -> verify(URI.create(args[1]), args[2]);
      case "download" -> download(URI.create(args[1]), Integer.parseInt(args[2]),
          Integer.parseInt(args[3]));
      case "upload" -> upload(URI.create(args[1]), args[2], Integer.parseInt(args[3]),
          Integer.parseInt(args[4]), Integer.parseInt(args[5]));
      default -> {
        System.err.println("usage: verify URL SHA256 | download URL CLIENTS ROUNDS"
            + " | upload BASE_URL TOKEN CLIENTS UPLOADS SIZE_BYTES");
        System.exit(2);
      }
    }
  }

  /** One keep-alive connection. */
  private static final class Connection implements AutoCloseable {
    private final SocketChannel channel;
    private final String host;
    private final ByteBuffer in = ByteBuffer.allocateDirect(BUFFER_BYTES);

    Connection(URI uri) throws IOException {
      channel = SocketChannel.open(new InetSocketAddress(uri.getHost(), uri.getPort()));
      channel.socket().setTcpNoDelay(true);
      host = uri.getHost() + ":" + uri.getPort();
      in.limit(0);
    }

    void send(String head, ByteBuffer body) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
      while (body != null && body.hasRemaining()) {
        channel.write(body);
      }
    }

    /** Reads a response; hands the body to {@code digest} when given, else discards it. */
    long receive(int expectedStatus, MessageDigest digest) throws IOException {
      String head = readHead();
      int status = Integer.parseInt(head.substring(9, 12));
      if (status != expectedStatus) {
        throw new IOException("expected status " + expectedStatus + " but got: " + head);
      }
      long length = -1;
      for (String line : head.split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Long.parseLong(line.substring(15).trim());
        }
      }
      if (length < 0) {
        throw new IOException("no Content-Length: " + head);
      }
      long left = length;
      byte[] copy = digest != null ? new byte[BUFFER_BYTES] : null;
      while (left > 0) {
        if (!in.hasRemaining()) {
          in.clear();
          if (channel.read(in) < 0) {
            throw new IOException("connection closed with " + left + " bytes to go");
          }
          in.flip();
        }
        int n = (int) Math.min(left, in.remaining());
        if (digest != null) {
          in.get(copy, 0, n);
          digest.update(copy, 0, n);
        } else {
          in.position(in.position() + n);
        }
        left -= n;
      }
      return length;
    }

    private String readHead() throws IOException {
      StringBuilder head = new StringBuilder(512);
      while (true) {
        if (!in.hasRemaining()) {
          in.clear();
          if (channel.read(in) < 0) {
            throw new IOException("connection closed before a response");
          }
          in.flip();
        }
        head.append((char) (in.get() & 0xff));
        int n = head.length();
        if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r'
            && head.charAt(n - 3) == '\n' && head.charAt(n - 4) == '\r') {
          return head.toString();
        }
      }
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  private static String get(URI uri, String host) {
    return "GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
  }

  private static void verify(URI uri, String sha256) throws Exception {
    try (Connection c = new Connection(uri)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      c.send(get(uri, c.host), null);
      long bytes = c.receive(200, digest);
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(sha256)) {
        throw new IOException("served bytes have sha256 " + actual + ", expected " + sha256);
      }
      System.out.println("verified url=" + uri + " bytes=" + bytes + " sha256=" + actual);
    }
  }

  private static void download(URI uri, int clients, int rounds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CyclicBarrier start = new CyclicBarrier(clients + 1);
    CyclicBarrier end = new CyclicBarrier(clients + 1);
    try {
      List<Future<Long>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        results.add(pool.submit(() -> {
          try (Connection c = new Connection(uri)) {
            start.await(60, TimeUnit.SECONDS);
            long bytes = 0;
            for (int r = 0; r < rounds; r++) {
              c.send(get(uri, c.host), null);
              bytes += c.receive(200, null);
            }
            end.await(600, TimeUnit.SECONDS);
            return bytes;
          }
        }));
      }
      start.await(60, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      end.await(600, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - t0) / 1e9;
      long total = 0;
      for (Future<Long> result : results) {
        total += result.get();
      }
      System.out.printf(Locale.ROOT, "download url=%s clients=%d rounds=%d bytes=%d seconds=%.3f"
          + " MB/s=%.1f%n", uri, clients, rounds, total, seconds, total / seconds / 1e6);
    } finally {
      pool.shutdownNow();
    }
  }

  private static void upload(URI base, String token, int clients, int uploads, int size)
      throws Exception {
    byte[] body = new byte[size];
    new java.util.Random(1).nextBytes(body);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    CyclicBarrier start = new CyclicBarrier(clients + 1);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        int client = i;
        results.add(pool.submit(() -> {
          try (Connection c = new Connection(base)) {
            start.await(60, TimeUnit.SECONDS);
            int done = 0;
            for (int u = client; u < uploads; u += clients) {
              String path = base.getRawPath() + "bench/upload-" + u + ".bin";
              c.send("PUT " + path + " HTTP/1.1\r\nHost: " + c.host + "\r\nAuthorization: Bearer "
                  + token + "\r\nContent-Length: " + size + "\r\n\r\n", ByteBuffer.wrap(body));
              c.receive(201, null);
              done++;
            }
            return done;
          }
        }));
      }
      start.await(60, TimeUnit.SECONDS);
      long t0 = System.nanoTime();
      int total = 0;
      for (Future<Integer> result : results) {
        total += result.get(600, TimeUnit.SECONDS);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "upload url=%s clients=%d uploads=%d size=%d seconds=%.3f"
          + " uploads/s=%.1f MB/s=%.1f%n", base, clients, total, size, seconds, total / seconds,
          (double) total * size / seconds / 1e6);
    } finally {
      pool.shutdownNow();
    }
  }
}
