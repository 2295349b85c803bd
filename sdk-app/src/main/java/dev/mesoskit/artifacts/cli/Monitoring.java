package dev.mesoskit.artifacts.cli;

import dev.mesoskit.core.Framework;
import dev.mesoskit.metrics.FrameworkMetrics;
import dev.mesoskit.metrics.MetricsServer;
import dev.mesoskit.status.StatusPage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status page and the metrics endpoint of a program, as {@code --status-port} and
 * {@code --metrics-port} ask: attached to the framework builder by
 * {@link FrameworkOptions#framework(String)}, started by {@link FrameworkOptions#monitor}.
 * Closing it stops both servers.
 */
public final class Monitoring implements AutoCloseable {
  private final Optional<StatusPage> page;
  private final Optional<FrameworkMetrics> metrics;
  private final InetSocketAddress statusAddress;
  private final InetSocketAddress metricsAddress;
  private MetricsServer metricsServer;
  private final List<URI> uris = new ArrayList<>();

  Monitoring(Optional<StatusPage> page, Optional<FrameworkMetrics> metrics,
      InetSocketAddress statusAddress, InetSocketAddress metricsAddress) {
    this.page = page;
    this.metrics = metrics;
    this.statusAddress = statusAddress;
    this.metricsAddress = metricsAddress;
  }

  /** Registers the page and the metrics with a framework builder. */
  Framework.Builder attach(Framework.Builder builder) {
    page.ifPresent(p -> p.attach(builder));
    metrics.ifPresent(m -> builder.observer(m).listener(m).frameworkListener(m));
    return builder;
  }

  /**
   * Starts the servers for a built framework. When one cannot start (its port is taken, say),
   * the ones already started are stopped before the failure is rethrown, so nothing is left
   * running that the caller could not close.
   */
  Monitoring start(Framework framework) {
    try {
      page.ifPresent(p -> {
        uris.add(p.start());
        p.watch(framework);
      });
      metrics.ifPresent(m -> {
        metricsServer = m.serve(metricsAddress);
        uris.add(metricsServer.uri());
      });
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /**
   * The status page's address, once started.
   *
   * @return e.g. {@code http://127.0.0.1:8080/}, empty without {@code --status-port}
   */
  public Optional<URI> statusPage() {
    return page.flatMap(StatusPage::uri);
  }

  /**
   * The metrics endpoint's address, once started.
   *
   * @return e.g. {@code http://127.0.0.1:9090/metrics}, empty without {@code --metrics-port}
   */
  public Optional<URI> metricsEndpoint() {
    return Optional.ofNullable(metricsServer).map(MetricsServer::uri);
  }

  /**
   * What a program prints about the servers it started, one line each.
   *
   * @return e.g. {@code ["status page: http://127.0.0.1:8080/"]}; empty when none was asked for
   */
  public List<String> describe() {
    List<String> lines = new ArrayList<>();
    statusPage().ifPresent(u -> lines.add("status page: " + u));
    metricsEndpoint().ifPresent(u -> lines.add("metrics: " + u));
    return lines;
  }

  @Override
  public void close() {
    page.ifPresent(StatusPage::close);
    if (metricsServer != null) {
      metricsServer.close();
    }
  }

  @Override
  public String toString() {
    return "Monitoring" + uris + " (status " + statusAddress + ", metrics " + metricsAddress + ")";
  }
}
