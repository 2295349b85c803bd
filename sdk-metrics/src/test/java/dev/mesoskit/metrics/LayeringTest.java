package dev.mesoskit.metrics;

import dev.mesoskit.core.testing.ArchitectureRules;
import org.junit.jupiter.api.Test;

class LayeringTest {
  @Test
  void mainClassesFollowTheModuleRulesOfTheArchitecture() {
    ArchitectureRules.checkAll(ArchitectureRules.mainClasses());
  }
}
