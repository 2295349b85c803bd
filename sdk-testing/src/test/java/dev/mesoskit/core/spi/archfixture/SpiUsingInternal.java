package dev.mesoskit.core.spi.archfixture;

import dev.mesoskit.core.internal.RuntimeConfig;

/**
 * An SPI-side class that reaches into core.internal on purpose, as the SPI's factories did before
 * their implementations moved into core.spi. Only {@code ArchitectureRulesTest} imports it.
 */
public final class SpiUsingInternal {
  private SpiUsingInternal() {}

  static Object internals() {
    return RuntimeConfig.class;
  }
}
