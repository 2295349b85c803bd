package dev.mesoskit.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The client's CPU per POST to a master's scheduler API, as the scheduler sends one ACKNOWLEDGE
 * per status update, by one or more ways: {@code jdk}, the JDK {@code HttpClient.send} (HTTP/1.1,
 * two executor threads, as sdk-http set it up for calls before); {@code jdk-direct}, the same with
 * a direct executor (as sdk-http's {@code CallExchange.directClient} sets it up for calls now);
 * {@code socket}, a kept-alive socket that writes each request in one piece and reads the answer
 * by its Content-Length; {@code socket-close}, a new socket per POST with
 * {@code Connection: close}, read to the end of the connection (as sdk-http's {@code BlockingPost}
 * sends an executor's calls); {@code urlc}, the JDK's blocking {@code HttpURLConnection} (no proxy,
 * fixed-length streaming, kept-alive connections from its cache); {@code urlc-buffered}, the same
 * with the body buffered (sent with the headers in one write; the JDK then sends a POST once more
 * when a kept-alive connection turns out closed). 4 threads send {@code POSTS} calls in each round. The body is not
 * a valid call and has no stream id, so the master refuses it (400) after reading it: this
 * measures the transport, not the master's work on an acknowledgement. Also prints the master
 * process's CPU per POST when its pid is given. Against a running standalone cluster:
 *
 * <p>{@code java -jar sdk-local/target/mesoskit-local.jar --port 5099 --agents 1 &} then
 * {@code java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.AckPostCost
 * 127.0.0.1:5099 [posts] [rounds] [cluster pid] [ways, comma-separated; default
 * jdk,jdk-direct,socket; also socket-close, urlc, urlc-buffered]}
 */
public final class AckPostCost {
  private static final byte[] BODY = new byte[60];
  private static final int THREADS = 4;

  private AckPostCost() {}

  /** Prints each round's client CPU per POST of each way, then each median's ratio to the first. */
  public static void main(String[] args) throws Exception {
    String hostPort = args[0];
    int posts = args.length > 1 ? Integer.parseInt(args[1]) : 8000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    long clusterPid = args.length > 3 ? Long.parseLong(args[3]) : -1;
    URI uri = URI.create("http://" + hostPort + "/api/v1/scheduler");
    ThreadPoolExecutor clientThreads = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>());
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).executor(clientThreads).build();
    // The same client with a direct executor: the client's selector thread reads the answer and
    // completes the call, with no hand-off to a pool thread in between.
    HttpClient direct = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).executor(Runnable::run).build();
    List<String> ways = args.length > 4 ? List.of(args[4].split(","))
        : List.of("jdk", "jdk-direct", "socket");
    ExecutorService senders = Executors.newFixedThreadPool(THREADS);
    Map<String, double[]> results = new LinkedHashMap<>();
    for (String way : ways) {
      results.put(way, new double[rounds]);
    }
    for (int r = 0; r < rounds; r++) {
      for (String way : ways) {
        Sender sender = switch (way) {
          case "jdk" -> () -> jdk(client, uri, posts);
          case "jdk-direct" -> () -> jdk(direct, uri, posts);
          case "socket" -> () -> socket(uri, hostPort, posts);
          case "urlc" -> () -> urlConnection(uri, posts, true);
          case "urlc-buffered" -> () -> urlConnection(uri, posts, false);
          case "socket-close" -> () -> socketPerPost(uri, hostPort, posts);
          default -> throw new IllegalArgumentException("unknown way " + way
              + " (jdk, jdk-direct, socket, socket-close, urlc or urlc-buffered)");
        };
        results.get(way)[r] = round(r, way, posts, clusterPid, senders, sender);
      }
    }
    senders.shutdown();
    clientThreads.shutdown();
    double base = median(results.get(ways.get(0)));
    StringBuilder line = new StringBuilder("median client CPU per POST:");
    for (String way : ways) {
      double m = median(results.get(way));
      line.append(String.format(" %s %.1f us (ratio %.2f);", way, m, m / base));
    }
    System.out.println(line);
  }

  private static Map<Integer, Integer> jdk(HttpClient client, URI uri, int posts)
      throws Exception {
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (int i = 0; i < posts / THREADS; i++) {
      HttpRequest request = HttpRequest.newBuilder(uri)
          .header("Content-Type", "application/x-protobuf")
          .header("Accept", "application/x-protobuf")
          .header("Mesos-Stream-Id", "x")
          .timeout(Duration.ofSeconds(10))
          .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
      statuses.merge(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode(),
          1, Integer::sum);
    }
    return statuses;
  }

  private static Map<Integer, Integer> urlConnection(URI uri, int posts, boolean streamed)
      throws Exception {
    Map<Integer, Integer> statuses = new TreeMap<>();
    java.net.URL url = uri.toURL();
    for (int i = 0; i < posts / THREADS; i++) {
      java.net.HttpURLConnection c =
          (java.net.HttpURLConnection) url.openConnection(java.net.Proxy.NO_PROXY);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setConnectTimeout(10_000);
      c.setReadTimeout(10_000);
      if (streamed) {
        c.setFixedLengthStreamingMode(BODY.length);
      }
      c.setRequestProperty("Content-Type", "application/x-protobuf");
      c.setRequestProperty("Accept", "application/x-protobuf");
      c.setRequestProperty("Mesos-Stream-Id", "x");
      try (OutputStream out = c.getOutputStream()) {
        out.write(BODY);
      }
      int status = c.getResponseCode();
      InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
      if (body != null) {
        try (body) {
          body.readAllBytes(); // read to the end, so the connection goes back to the cache
        }
      }
      statuses.merge(status, 1, Integer::sum);
    }
    return statuses;
  }

  private static Map<Integer, Integer> socketPerPost(URI uri, String hostPort, int posts)
      throws Exception {
    Map<Integer, Integer> statuses = new TreeMap<>();
    byte[] head = ("POST /api/v1/scheduler HTTP/1.1\r\nHost: " + hostPort
        + "\r\nContent-Type: application/x-protobuf\r\nAccept: application/x-protobuf"
        + "\r\nMesos-Stream-Id: x\r\nContent-Length: " + BODY.length
        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    byte[] request = new byte[head.length + BODY.length];
    System.arraycopy(head, 0, request, 0, head.length);
    for (int i = 0; i < posts / THREADS; i++) {
      try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = new BufferedInputStream(s.getInputStream());
        String status = line(in);
        in.readAllBytes(); // to the end of the connection
        statuses.merge(Integer.parseInt(status.substring(9, 12)), 1, Integer::sum);
      }
    }
    return statuses;
  }

  private static Map<Integer, Integer> socket(URI uri, String hostPort, int posts)
      throws Exception {
    Map<Integer, Integer> statuses = new TreeMap<>();
    try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
      s.setTcpNoDelay(true);
      OutputStream out = new BufferedOutputStream(s.getOutputStream());
      InputStream in = new BufferedInputStream(s.getInputStream());
      byte[] head = ("POST /api/v1/scheduler HTTP/1.1\r\nHost: " + hostPort
          + "\r\nContent-Type: application/x-protobuf\r\nAccept: application/x-protobuf"
          + "\r\nMesos-Stream-Id: x\r\nContent-Length: " + BODY.length + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < posts / THREADS; i++) {
        out.write(head);
        out.write(BODY);
        out.flush();
        String status = line(in);
        int length = 0;
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
          if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
            length = Integer.parseInt(h.substring(15).trim());
          }
        }
        in.readNBytes(length);
        statuses.merge(Integer.parseInt(status.substring(9, 12)), 1, Integer::sum);
      }
    }
    return statuses;
  }

  /** One way's calls, on the 4 threads: what each returns is a count of answers by status. */
  private interface Sender {
    Map<Integer, Integer> send() throws Exception;
  }

  private static double round(int round, String way, int posts, long clusterPid,
      ExecutorService senders, Sender sender) throws Exception {
    OperatingSystemMXBean os =
        (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long master0 = clusterCpuNanos(clusterPid);
    long cpu0 = os.getProcessCpuTime();
    long wall0 = System.nanoTime();
    Future<?>[] running = new Future<?>[THREADS];
    for (int t = 0; t < THREADS; t++) {
      running[t] = senders.submit(sender::send);
    }
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (Future<?> f : running) {
      @SuppressWarnings("unchecked")
      Map<Integer, Integer> counted = (Map<Integer, Integer>) f.get();
      counted.forEach((k, v) -> statuses.merge(k, v, Integer::sum));
    }
    double us = (os.getProcessCpuTime() - cpu0) / 1e3 / posts;
    double seconds = (System.nanoTime() - wall0) / 1e9;
    String master = clusterPid < 0 ? "" : String.format(", master CPU %.1f us per POST",
        (clusterCpuNanos(clusterPid) - master0) / 1e3 / posts);
    System.out.printf("round %d %-6s client CPU %.1f us per POST%s, %.0f POSTs/s, answers %s%n",
        round, way, us, master, posts / seconds, statuses);
    return us;
  }

  /** utime + stime of a process from /proc, in nanoseconds (USER_HZ 100 assumed). */
  private static long clusterCpuNanos(long pid) throws IOException {
    if (pid < 0) {
      return 0;
    }
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
      if (c != '\r') {
        b.append((char) c);
      }
    }
    return b.toString();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
