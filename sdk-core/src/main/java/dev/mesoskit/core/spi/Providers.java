package dev.mesoskit.core.spi;

import java.util.List;
import java.util.ServiceLoader;

/**
 * How MesosKit finds its plug-in modules (backends, executor backends, master detectors, the
 * embedded master): {@link ServiceLoader} on the thread's context class loader, else on the loader
 * of the service interface, since a container may give threads a context loader that sees none.
 */
public final class Providers {
  private Providers() {}

  /**
   * Every provider of a service.
   *
   * @param <S> the service type
   * @param service the service interface
   * @return the providers found, instantiated; empty when no module on the class path has one
   */
  public static <S> List<S> load(Class<S> service) {
    List<S> found = ServiceLoader.load(service).stream().map(ServiceLoader.Provider::get)
        .toList();
    if (found.isEmpty() && service.getClassLoader() != null) {
      found = ServiceLoader.load(service, service.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get).toList();
    }
    return found;
  }
}
