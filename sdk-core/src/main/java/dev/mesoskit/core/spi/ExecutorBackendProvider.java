package dev.mesoskit.core.spi;

import java.util.function.UnaryOperator;

/**
 * Makes an executor backend of a driver the executor runtime does not carry itself (the libmesos
 * driver, {@code native}) for {@code ExecutorMain}. A backend module registers one with
 * {@link java.util.ServiceLoader} ({@code META-INF/services}), so the executor runtime imports no
 * such backend and an executor jar carries only the driver it uses.
 */
public interface ExecutorBackendProvider {
  /**
   * The driver this provider makes, as {@code --driver} names it.
   *
   * @return e.g. {@code native}
   */
  String driver();

  /**
   * Makes a backend for the executor this process is.
   *
   * @param environment reads the process environment the agent set ({@code MESOS_*}); null when
   *     a variable is unset
   * @return the backend, not yet subscribed
   * @throws IllegalArgumentException naming the variable that is missing or wrong
   */
  ExecutorBackend create(UnaryOperator<String> environment);
}
