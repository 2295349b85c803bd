package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * sdk-core carries no backend: without sdk-http or sdk-native on the class path, each driver is
 * refused with the artifact to add.
 */
class BackendsWithoutBackendModulesTest {
  @Test
  void theHttpDriverNamesSdkHttp() {
    assertThatThrownBy(() -> Backends.fromArgs("--master=127.0.0.1:5050"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--driver=http needs the v1 HTTP scheduler backend of sdk-http"
            + " (dev.mesoskit:sdk-http) on the class path; add it");
  }

  @Test
  void theNativeDriverNamesSdkNative() {
    assertThatThrownBy(() -> Backends.fromArgs("--master=127.0.0.1:5050", "--driver=native"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--driver=native needs the libmesos adapter of sdk-native"
            + " (dev.mesoskit:sdk-native) on the class path; add it");
  }
}
