package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InMemoryFrameworkIdStoreTest {

  @Test
  void startsEmptyAndHoldsTheLastSavedId() {
    InMemoryFrameworkIdStore store = new InMemoryFrameworkIdStore();
    assertThat(store.load()).isEmpty();

    store.save("first");
    store.save("second");
    assertThat(store.load()).contains("second");

    store.clear();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void rejectsTheIdsTheFileStoreRejects() {
    InMemoryFrameworkIdStore store = new InMemoryFrameworkIdStore();
    store.save("kept");

    assertThatThrownBy(() -> store.save("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("framework id must not contain '/', '\\' or control characters but was 'a/b'");
    assertThat(store.load()).contains("kept");
  }
}
