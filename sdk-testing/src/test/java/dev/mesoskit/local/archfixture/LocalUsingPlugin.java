package dev.mesoskit.local.archfixture;

import dev.mesoskit.offers.archfixture.BadPlugin;

/**
 * A class of sdk-local that reaches into another plug-in on purpose. Only
 * {@code ArchitectureRulesTest} imports it.
 */
public final class LocalUsingPlugin {
  private LocalUsingPlugin() {}

  static Class<?> plugin() {
    return BadPlugin.class;
  }
}
