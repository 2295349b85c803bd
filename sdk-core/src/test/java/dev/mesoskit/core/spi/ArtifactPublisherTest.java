package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArtifactPublisherTest {
  private static final ArtifactPublisher PUBLISHER = new ArtifactPublisher() {
    @Override
    public URI publish(Path file) {
      throw new UnsupportedOperationException();
    }

    @Override
    public URI uri(String name) {
      return baseUri().resolve(name);
    }

    @Override
    public URI baseUri() {
      return URI.create("http://artifacts.example:8080/artifacts/");
    }

    @Override
    public String uploadToken() {
      return "s3cret";
    }
  };

  @Test
  void handsTasksTheUploadUrlAndTokenThroughTheirEnvironment() {
    assertThat(PUBLISHER.taskEnvironment()).containsOnly(
        entry(
            "MESOSKIT_ARTIFACTS_URL", "http://artifacts.example:8080/artifacts/"),
        entry("MESOSKIT_ARTIFACTS_TOKEN", "s3cret"));
  }

  @Test
  void namesTheEnvironmentVariablesAsDocumented() {
    assertThat(ArtifactPublisher.ENV_URL).isEqualTo("MESOSKIT_ARTIFACTS_URL");
    assertThat(ArtifactPublisher.ENV_TOKEN).isEqualTo("MESOSKIT_ARTIFACTS_TOKEN");
  }
}
