package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryStoreTest extends ArtifactStoreContract {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @Override
  ArtifactStore newStore() {
    return new InMemoryStore(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void stampsArtifactsWithItsClock() {
    assertThat(store.put("a", bytes("hello"), Optional.empty()).modified()).isEqualTo(NOW);
  }

  @Test
  void isWhatTheFactoryMethodReturns() {
    assertThat(ArtifactStore.inMemory()).isInstanceOf(InMemoryStore.class);
    assertThat(ArtifactStore.inMemory().toString()).isEqualTo("InMemoryStore[0 artifacts]");
  }
}
