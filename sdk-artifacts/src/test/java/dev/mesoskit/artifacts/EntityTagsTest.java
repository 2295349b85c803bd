package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTagsTest {
  private static final String SHA = "a".repeat(64);

  @Test
  void matchesTheCurrentTagAnywhereInTheList() {
    assertThat(EntityTags.matches('"' + SHA + '"', SHA, true)).isTrue();
    assertThat(EntityTags.matches("\"x\", \"" + SHA + "\"", SHA, true)).isTrue();
    assertThat(EntityTags.matches("\"x\",\"y\"", SHA, true)).isFalse();
  }

  @Test
  void matchesAStarWhateverTheTag() {
    assertThat(EntityTags.matches("*", SHA, true)).isTrue();
    assertThat(EntityTags.matches(" * ", SHA, false)).isTrue();
  }

  @Test
  void weakTagsMatchOnlyInTheWeakComparison() {
    assertThat(EntityTags.matches("W/\"" + SHA + '"', SHA, false)).isTrue();
    assertThat(EntityTags.matches("W/\"" + SHA + '"', SHA, true)).isFalse();
  }

  @Test
  void malformedListsMatchNothing() {
    assertThat(EntityTags.matches(SHA, SHA, false)).isFalse();
    assertThat(EntityTags.matches("\"" + SHA, SHA, false)).isFalse();
    assertThat(EntityTags.matches("W/" + SHA, SHA, false)).isFalse();
    assertThat(EntityTags.matches("", SHA, false)).isFalse();
  }
}
