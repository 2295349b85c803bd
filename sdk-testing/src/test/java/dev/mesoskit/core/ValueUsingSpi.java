package dev.mesoskit.core;

import dev.mesoskit.core.spi.SchedulerBackend;

/**
 * A value of the user API that reaches into the SPI on purpose, which would make
 * {@code dev.mesoskit.core} and {@code dev.mesoskit.core.spi} import each other. Only
 * {@code ArchitectureRulesTest} imports it.
 */
public final class ValueUsingSpi {
  private ValueUsingSpi() {}

  static Class<?> backendType() {
    return SchedulerBackend.class;
  }
}
