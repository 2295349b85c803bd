package dev.mesoskit.core.archfixture;

import dev.mesoskit.offers.archfixture.BadPlugin;

/** A core class that depends on another module, on purpose; see ArchitectureRulesTest. */
public final class CoreUsingPlugin {
  private CoreUsingPlugin() {}

  static Class<?> plugin() {
    return BadPlugin.class;
  }
}
