package dev.mesoskit.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server that answers {@code GET /metrics} (and {@code HEAD}) with a Prometheus
 * registry's scrape in the Prometheus text format, {@value #CONTENT_TYPE}. Built on the JDK's
 * {@code com.sun.net.httpserver}, so the metrics module pulls in no web server; every other path
 * is 404, every other method 405.
 *
 * <pre>{@code
 * try (MetricsServer server = metrics.serve(new InetSocketAddress("127.0.0.1", 0))) {
 *   System.out.println("metrics at " + server.uri());
 *   framework.awaitTermination();
 * }
 * }</pre>
 *
 * <p>Lifecycle: running once created; {@link #close()} is idempotent and returns when the server
 * stopped. Threading: requests are answered on one daemon thread of its own and the JDK's
 * dispatcher thread is started from a daemon thread (it inherits that status), so the server
 * never keeps a JVM alive; its methods are safe from any thread.
 */
public final class MetricsServer implements AutoCloseable {
  /** The content type of the answers: the Prometheus text format, version 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  /** The path the metrics are served on. */
  public static final String PATH = "/metrics";

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrometheusMeterRegistry registry;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MetricsServer(HttpServer server, ExecutorService executor,
      PrometheusMeterRegistry registry) {
    this.server = server;
    this.executor = executor;
    this.registry = registry;
  }

  /**
   * Binds {@code address} and serves the registry's metrics on {@link #PATH}.
   *
   * @param address where to listen; port 0 picks a free port (see {@link #address()})
   * @param registry the registry to scrape on each request
   * @return the running server
   * @throws UncheckedIOException when the address cannot be bound, naming it
   * @throws NullPointerException when an argument is null
   */
  public static MetricsServer start(InetSocketAddress address, PrometheusMeterRegistry registry) {
    Objects.requireNonNull(address, "address must not be null");
    Objects.requireNonNull(registry, "registry must not be null");
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("metrics server cannot bind " + address + ": "
          + e.getMessage(), e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "mesoskit-metrics-" + server.getAddress().getPort());
      t.setDaemon(true);
      return t;
    });
    MetricsServer metricsServer = new MetricsServer(server, executor, registry);
    server.createContext("/", metricsServer::handle);
    server.setExecutor(executor);
    startOnDaemonThread(server);
    log.info("metrics server started address={}", metricsServer.uri());
    return metricsServer;
  }

  /**
   * Starts the server from a daemon thread of its own: the JDK's dispatcher thread inherits its
   * daemon status from the thread that calls {@link HttpServer#start()}, so starting it from the
   * caller's (often non-daemon) thread would let it keep the JVM alive.
   */
  private static void startOnDaemonThread(HttpServer server) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        server.start();
      } catch (RuntimeException e) {
        failure.set(e);
      }
    }, "mesoskit-metrics-start-" + server.getAddress().getPort());
    starter.setDaemon(true);
    starter.start();
    boolean interrupted = false;
    while (true) {
      try {
        starter.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  /**
   * The address the server is bound to, with the actual port.
   *
   * @return the address
   */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /**
   * The URI of the metrics, e.g. {@code http://127.0.0.1:9400/metrics}.
   *
   * @return the URI
   */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + a.getPort() + PATH);
  }

  /** Stops the server; idempotent, returns when it stopped. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(0);
    executor.shutdownNow();
    log.info("metrics server stopped address={}", address());
  }

  @Override
  public String toString() {
    return "MetricsServer[" + uri() + "]";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!PATH.equals(exchange.getRequestURI().getPath())) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found; the metrics are at " + PATH
            + "\n", method);
        return;
      }
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method " + method
            + " not allowed; use GET\n", method);
        return;
      }
      String body;
      try {
        body = registry.scrape();
      } catch (RuntimeException e) {
        log.error("metrics scrape failed address={}", address(), e);
        send(exchange, 500, "text/plain; charset=utf-8", "scrape failed: " + e + "\n", method);
        return;
      }
      send(exchange, 200, CONTENT_TYPE, body, method);
    }
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body,
      String method) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    if ("HEAD".equals(method)) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
