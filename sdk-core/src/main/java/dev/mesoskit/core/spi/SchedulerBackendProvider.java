package dev.mesoskit.core.spi;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Makes the scheduler backend of one driver ({@code http}, {@code native}) for
 * {@link dev.mesoskit.core.Backends}. Each backend module registers one with
 * {@link java.util.ServiceLoader} ({@code META-INF/services}), so the core imports no backend and
 * a framework pulls only the driver it uses.
 */
public interface SchedulerBackendProvider {
  /**
   * The driver this provider makes, as {@code --driver} names it.
   *
   * @return e.g. {@code http}
   */
  String driver();

  /**
   * Makes a backend.
   *
   * @param settings where the master is and how to authenticate
   * @return the backend, not yet subscribed
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  SchedulerBackend create(Settings settings);

  /**
   * What a backend is made from.
   *
   * @param master a {@code --master} value other than {@code local}, or the address of the
   *     embedded master
   * @param principal the principal to authenticate as, if any
   * @param secretFile the file holding the principal's secret, if any
   * @param embedded the embedded master the backend owns and closes with itself, if any
   */
  record Settings(String master, Optional<String> principal, Optional<Path> secretFile,
      Optional<EmbeddedMaster> embedded) {}
}
