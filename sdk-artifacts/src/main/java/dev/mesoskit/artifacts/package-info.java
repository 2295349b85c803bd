/**
 * The artifact server: agents fetch executors and data from it, tasks upload results to it.
 * {@link dev.mesoskit.artifacts.ArtifactServer} (Jetty 12) serves an
 * {@link dev.mesoskit.artifacts.ArtifactStore} — a {@link dev.mesoskit.artifacts.DirectoryStore}
 * by default, an {@link dev.mesoskit.artifacts.InMemoryStore} in tests, or your own — and is the
 * stock {@link dev.mesoskit.core.spi.ArtifactPublisher}: {@code publish(Path)} returns
 * content-addressed URIs, which the Mesos fetcher cache needs, and the upload token reaches tasks
 * through {@code MESOSKIT_ARTIFACTS_URL} and {@code MESOSKIT_ARTIFACTS_TOKEN}.
 *
 * <p>Where it sits: sdk-artifacts, on top of sdk-core's public API and SPI only
 * ({@code dev.mesoskit.core}, {@code dev.mesoskit.core.spi}).
 *
 * <p>Threading: the server and the stock stores are safe from any thread; requests run on
 * Jetty's thread pool; values are immutable records.
 *
 * <p>Standalone, so that several frameworks share one server ({@link
 * dev.mesoskit.artifacts.ArtifactServerCommand}):
 * <pre>
 * ./mvnw -B -q -pl sdk-artifacts -am package -DskipTests
 * java -jar sdk-artifacts/target/sdk-artifacts-0.1.0-SNAPSHOT-server.jar \
 *     --dir /srv/artifacts --port 8080 --advertise artifacts.example.com
 * </pre>
 *
 * <pre>{@code
 * try (ArtifactServer server = ArtifactServer.create(Path.of("artifacts")).start()) {
 *   URI executorJar = server.publish(Path.of("target/app.jar"));
 *   TaskSpec.Builder task = TaskSpec.builder().name("invert-1").command("java -jar app.jar");
 *   server.taskEnvironment().forEach(task::env);
 * }
 * }</pre>
 */
package dev.mesoskit.artifacts;
