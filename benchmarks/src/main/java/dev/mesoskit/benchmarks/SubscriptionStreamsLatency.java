package dev.mesoskit.benchmarks;

import dev.mesoskit.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How long a LocalCluster master takes to answer {@code GET /health} while N scheduler
 * subscriptions stay open (each a real SUBSCRIBE on its own connection, JSON, read up to its
 * SUBSCRIBED event), for growing N. Baseline: the same requests with no subscription open.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.SubscriptionStreamsLatency \
 *     0,250,1000,2000,4000 400
 * }</pre>
 * Arguments: the stream counts (cumulative, ascending) and the number of timed requests per step
 * (after 100 untimed ones). Every socket of both ends lives in this JVM: 4,000 streams need
 * about 8,000 file descriptors.
 */
public final class SubscriptionStreamsLatency {
  private SubscriptionStreamsLatency() {}

  /**
   * Runs the benchmark.
   *
   * @param args stream counts, requests per step
   * @throws Exception when the run fails
   */
  public static void main(String[] args) throws Exception {
    int[] steps = Arrays.stream((args.length > 0 ? args[0] : "0,250,1000,2000,4000").split(","))
        .mapToInt(Integer::parseInt).toArray();
    int requests = args.length > 1 ? Integer.parseInt(args[1]) : 400;
    List<Socket> open = new ArrayList<>();
    try (LocalCluster cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:1;mem:256;disk:100;ports:[31000-31000]")
        .heartbeatInterval(Duration.ofMinutes(10)).start()) {
      URI health = cluster.masterUri().resolve("/health");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      double baseline = Double.NaN;
      System.out.printf(Locale.ROOT, "%8s %10s %10s %10s %10s %s%n", "streams", "p50 ms",
          "p99 ms", "max ms", "p99/base", "subscribe s");
      for (int target : steps) {
        long started = System.nanoTime();
        List<Socket> fresh = new ArrayList<>();
        while (open.size() + fresh.size() < target) {
          fresh.add(subscribe(cluster.masterUri(), "s" + (open.size() + fresh.size())));
        }
        for (Socket s : fresh) {
          readUntil(s, "\"SUBSCRIBED\"");
        }
        open.addAll(fresh);
        double subscribeSeconds = (System.nanoTime() - started) / 1e9;
        for (int i = 0; i < 100; i++) {
          get(http, health);
        }
        long[] nanos = new long[requests];
        for (int i = 0; i < requests; i++) {
          long t = System.nanoTime();
          get(http, health);
          nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        double p50 = nanos[requests / 2] / 1e6;
        double p99 = nanos[(int) (requests * 0.99)] / 1e6;
        double max = nanos[requests - 1] / 1e6;
        if (Double.isNaN(baseline)) {
          baseline = p99;
        }
        System.out.printf(Locale.ROOT, "%8d %10.3f %10.3f %10.3f %10.2f %.2f%n", open.size(), p50,
            p99, max, p99 / baseline, subscribeSeconds);
      }
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  private static void get(HttpClient http, URI uri) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("/health answered " + r.statusCode());
    }
  }

  private static Socket subscribe(URI master, String name) throws IOException {
    byte[] body = ("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":{\"user\":\"u\","
        + "\"name\":\"" + name + "\",\"failover_timeout\":3600}}}")
        .getBytes(StandardCharsets.UTF_8);
    Socket socket = new Socket(master.getHost(), master.getPort());
    socket.setSoTimeout(30_000);
    socket.getOutputStream().write(("POST /api/v1/scheduler HTTP/1.1\r\nHost: " + master.getHost()
        + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nContent-Length: "
        + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().write(body);
    return socket;
  }

  private static void readUntil(Socket socket, String marker) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!read.toString(StandardCharsets.UTF_8).contains(marker)) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("stream ended before " + marker + ": " + read);
      }
      read.write(buffer, 0, n);
    }
  }
}
