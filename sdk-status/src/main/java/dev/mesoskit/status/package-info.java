/**
 * A live status page of a framework: {@link dev.mesoskit.status.StatusPage} listens to a
 * {@link dev.mesoskit.core.Framework} and serves one self-contained HTML page, a JSON snapshot
 * and a server-sent event stream from an embedded Jetty.
 *
 * <p>Where it sits: sdk-status, on top of sdk-core's public API (its listeners and observer) and
 * Jetty; the core never imports it. The page's HTML, CSS and script come from this jar; nothing
 * is loaded from anywhere else.
 *
 * <p>Threading: the listener methods run on the framework's event thread and update a model
 * under a lock in constant time, never building JSON nor touching the network; HTTP requests run
 * on the page's own daemon threads, which build each version's JSON once and share it. At most
 * {@code maxStreams} event streams hold a thread each; more are answered {@code 503} and those
 * pages poll, so the page and the snapshot are always served.
 *
 * <pre>{@code
 * StatusPage page = StatusPage.builder().frameworkName("batch")
 *     .address(new InetSocketAddress("0.0.0.0", 8081)).build();
 * Framework framework = page.attach(Framework.builder().name("batch")).build();
 * System.out.println("status at " + page.start());
 * framework.start();
 * }</pre>
 */
package dev.mesoskit.status;
