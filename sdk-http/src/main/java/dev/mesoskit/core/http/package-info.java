/**
 * The pure-Java backends: Mesos' v1 scheduler HTTP API over the JDK's HTTP client and v1
 * executor HTTP API over blocking sockets (or that client, for {@code https://} agents), the
 * RecordIO decoder, master detection (host lists here; ZooKeeper through
 * sdk-zookeeper) and the v1 protobuf conversions.
 *
 * <p>Where it sits: the module sdk-http, behind {@link dev.mesoskit.core.spi.SchedulerBackend} and
 * {@link dev.mesoskit.core.spi.ExecutorBackend}; protobuf
 * types stay inside this package and the other backends.
 *
 * <p>Threading: {@link dev.mesoskit.core.http.HttpSchedulerBackend} is safe from any thread; it
 * delivers events from its HTTP client threads one at a time, in stream order, and sends calls in
 * order from one sender thread; {@link dev.mesoskit.core.http.HttpExecutorBackend} does the same
 * for an executor, its events coming from its subscription's reader thread when it talks to a
 * plain {@code http://} agent over blocking sockets.
 *
 * <pre>{@code
 * SchedulerBackend backend = HttpSchedulerBackend.builder().master("10.0.0.5:5050").build();
 * Framework framework = Framework.builder().name("jobs").backend(backend).build();
 * }</pre>
 */
package dev.mesoskit.core.http;
