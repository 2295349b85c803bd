package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FetchUriTest {
  private static final String URI = "http://repo/app.tar.gz";

  @Test
  void usesMesosDefaults() {
    assertThat(FetchUri.of(URI)).isEqualTo(new FetchUri(URI, true, false, false, Optional.empty()));
  }

  @Test
  void changesOneThingAtATime() {
    assertThat(FetchUri.of(URI).cached())
        .isEqualTo(new FetchUri(URI, true, false, true, Optional.empty()));
    assertThat(FetchUri.of(URI).asExecutable())
        .isEqualTo(new FetchUri(URI, false, true, false, Optional.empty()));
    assertThat(FetchUri.of(URI).notExtracted())
        .isEqualTo(new FetchUri(URI, false, false, false, Optional.empty()));
    assertThat(FetchUri.of(URI).cached().outputFile("app.tgz"))
        .isEqualTo(new FetchUri(URI, true, false, true, Optional.of("app.tgz")));
  }

  @Test
  void rejectsABlankUri() {
    assertThatThrownBy(() -> FetchUri.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("uri must not be blank");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/b", "/abs", ".", "..", " "})
  void rejectsAnOutputFileThatIsNotAPlainName(String name) {
    assertThatThrownBy(() -> FetchUri.of(URI).outputFile(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("outputFile must be a plain file name but was '" + name + "'");
  }
}
