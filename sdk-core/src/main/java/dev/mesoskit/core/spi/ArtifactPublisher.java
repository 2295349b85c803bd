package dev.mesoskit.core.spi;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * What an artifact server offers a framework: it publishes files agents fetch (the executor jar,
 * input data) and takes back what tasks upload. {@code sdk-artifacts}' {@code ArtifactServer} is
 * the stock implementation.
 *
 * <p>The Mesos fetcher cache is keyed by URI and never refreshed, so {@link #publish(Path)}
 * returns a content-addressed URI ({@code .../<sha256>/<file name>}): changed content gets a new
 * URI, and the same content the same one. Every URI carries the <em>advertised</em> address, the
 * one agents on other hosts can reach, never a bind address such as {@code 0.0.0.0}.
 *
 * <p>Tasks upload with an HTTP {@code PUT} to {@link #baseUri()} plus a name, with the header
 * {@code Authorization: Bearer <token>}. The framework hands both to tasks through their
 * environment, under {@link #ENV_URL} and {@link #ENV_TOKEN} ({@link #taskEnvironment()}).
 *
 * <p>Threading: every method may be called from any thread.
 *
 * <pre>{@code
 * URI executorJar = publisher.publish(Path.of("target/app.jar"));
 * TaskSpec.Builder task = TaskSpec.builder()
 *     .name("invert-1")
 *     .resources(ResourceSpec.of(0.5, 256))
 *     .command("java -jar app.jar");
 * publisher.taskEnvironment().forEach(task::env);
 * }</pre>
 */
public interface ArtifactPublisher {
  /**
   * The environment variable that carries {@link #baseUri()} to tasks, e.g.
   * {@code http://artifacts.example:8080/artifacts/}; a task uploads {@code name} with
   * {@code PUT $MESOSKIT_ARTIFACTS_URL<name>}.
   */
  String ENV_URL = "MESOSKIT_ARTIFACTS_URL";

  /**
   * The environment variable that carries {@link #uploadToken()} to tasks; a task sends it as
   * {@code Authorization: Bearer $MESOSKIT_ARTIFACTS_TOKEN}.
   */
  String ENV_TOKEN = "MESOSKIT_ARTIFACTS_TOKEN";

  /**
   * Publishes a file under a content-addressed name and returns the URI agents fetch it from.
   * Publishing the same content again stores nothing new and returns the same URI.
   *
   * @param file a regular file
   * @return the URI, e.g. {@code http://host:8080/artifacts/9f86d0...0a08/app.jar}
   * @throws IllegalArgumentException when the file is missing, not a regular file, or its name
   *     is not a valid artifact name
   */
  URI publish(Path file);

  /**
   * The URI of an artifact by plain name, whether or not it exists yet (e.g. where a task will
   * upload its result).
   *
   * @param name a relative, {@code /}-separated name such as {@code results/task-1.png}
   * @return the URI, with the name's segments percent-encoded
   * @throws IllegalArgumentException when the name is not a valid artifact name
   */
  URI uri(String name);

  /**
   * The URI every artifact URI starts with; it ends in {@code /}.
   *
   * @return e.g. {@code http://artifacts.example:8080/artifacts/}
   */
  URI baseUri();

  /**
   * The bearer token uploads must carry. Treat it as a secret: hand it only to tasks.
   *
   * @return the token
   */
  String uploadToken();

  /**
   * The environment a task needs to upload: {@link #ENV_URL} and {@link #ENV_TOKEN}.
   *
   * @return the two variables
   */
  default Map<String, String> taskEnvironment() {
    return Map.of(ENV_URL, baseUri().toString(), ENV_TOKEN, uploadToken());
  }
}
