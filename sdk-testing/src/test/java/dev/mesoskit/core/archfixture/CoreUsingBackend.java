package dev.mesoskit.core.archfixture;

import dev.mesoskit.core.http.archfixture.BadBackend;

/**
 * A core class that imports a backend on purpose, as {@code Backends} did before backends were
 * found with ServiceLoader. Only {@code ArchitectureRulesTest} imports it.
 */
public final class CoreUsingBackend {
  private CoreUsingBackend() {}

  static Object backend() {
    return BadBackend.class;
  }
}
