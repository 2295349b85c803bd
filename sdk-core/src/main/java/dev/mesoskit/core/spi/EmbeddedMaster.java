package dev.mesoskit.core.spi;

/**
 * An embedded Mesos master started in this JVM for {@code --master=local}: sdk-local provides one
 * through {@link java.util.ServiceLoader}, so sdk-core needs no dependency on it.
 *
 * <p>Threading: safe from any thread.
 *
 * <pre>{@code
 * // META-INF/services/dev.mesoskit.core.spi.EmbeddedMaster$Provider names the provider class
 * SchedulerBackend backend = Backends.fromArgs("--master=local");
 * }</pre>
 */
public interface EmbeddedMaster extends AutoCloseable {
  /**
   * Where the master listens, as {@code --master} takes it.
   *
   * @return {@code host:port}
   */
  String masterAddress();

  /** Stops the master, its agents and every process they started. Idempotent. */
  @Override
  void close();

  /** Starts an embedded master with sensible defaults; found with {@link java.util.ServiceLoader}. */
  interface Provider {
    /**
     * Starts a master and its agents.
     *
     * @return the running master
     */
    EmbeddedMaster start();
  }
}
