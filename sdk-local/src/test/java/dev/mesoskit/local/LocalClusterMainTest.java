package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalClusterMainTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(LocalClusterMain.LAUNCH_MECHANISM);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(LocalClusterMain.LAUNCH_MECHANISM);
    } else {
      System.setProperty(LocalClusterMain.LAUNCH_MECHANISM, saved);
    }
  }

  @Test
  void leavesALaunchMechanismTheUserChoseAlone() {
    System.setProperty(LocalClusterMain.LAUNCH_MECHANISM, "POSIX_SPAWN");

    LocalClusterMain.preferVfork();

    assertThat(System.getProperty(LocalClusterMain.LAUNCH_MECHANISM)).isEqualTo("POSIX_SPAWN");
  }

  @Test
  void choosesVforkOnLinuxUpToJdk21Only() {
    System.clearProperty(LocalClusterMain.LAUNCH_MECHANISM);

    LocalClusterMain.preferVfork();

    boolean applies = System.getProperty("os.name").startsWith("Linux")
        && Runtime.version().feature() <= 21;
    assertThat(System.getProperty(LocalClusterMain.LAUNCH_MECHANISM))
        .isEqualTo(applies ? "VFORK" : null);
  }
}
