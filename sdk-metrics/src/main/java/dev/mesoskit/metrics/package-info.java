/**
 * Framework metrics in the Prometheus text format: {@link dev.mesoskit.metrics.FrameworkMetrics}
 * turns a framework's observer and listener calls into Micrometer meters (tasks by state,
 * launches, retries, failures by reason, pending tasks, offers, packing time, event-loop lag,
 * reconnections, heartbeat age, acknowledgements outstanding), on a registry of its own or the
 * user's, and {@link dev.mesoskit.metrics.MetricsServer} serves them on {@code GET /metrics}.
 *
 * <p>Where it sits: sdk-metrics, a plug-in on top of sdk-core's public API only
 * ({@code dev.mesoskit.core}: {@code FrameworkObserver}, {@code TaskListener},
 * {@code FrameworkListener}); sdk-core knows nothing of it and stays free of metrics libraries.
 *
 * <p>Why Micrometer with its Prometheus registry rather than the Prometheus Java client alone:
 * Micrometer is the vendor-neutral facade most JVM applications already have (Spring Boot,
 * Quarkus, Micronaut, Vert.x all hand out a {@code MeterRegistry}), so a framework embedded in
 * such an application adds its meters to the registry the application already exports, to
 * Prometheus or any other backend; its Prometheus registry is built on the official Prometheus
 * Java client (the {@code prometheus-metrics} 1.x exposition formats), so the scrape is the
 * reference text format; and both are actively maintained by large communities. Using the
 * Prometheus client directly would tie users to Prometheus and to a second registry next to the
 * one their application has.
 *
 * <p>Threading: the framework calls {@code FrameworkMetrics} on its event thread; scrapes read
 * the meters from any thread; {@code MetricsServer} answers on a daemon thread of its own.
 *
 * <pre>{@code
 * FrameworkMetrics metrics = FrameworkMetrics.prometheus();  // or FrameworkMetrics.on(registry)
 * try (Framework framework = Framework.builder().name("render").backend(backend)
 *         .observer(metrics).listener(metrics).frameworkListener(metrics).build();
 *     MetricsServer server = metrics.serve(new InetSocketAddress("127.0.0.1", 0))) {
 *   framework.start();
 *   System.out.println("metrics at " + server.uri());  // http://127.0.0.1:41235/metrics
 *   framework.awaitTermination();
 * }
 * }</pre>
 */
package dev.mesoskit.metrics;
