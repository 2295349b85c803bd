package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArtifactNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"app.jar", "results/task-7/out.png", "a/b/c/d", "café.png",
      "日本語/ファイル.txt", "with space.txt", "x:y@z!$&'()*+,=~", "a;b", "file..txt", "a.",
      "😀.bin"})
  void acceptsRelativeNamesOfPlainSegments(String name) {
    assertThat(ArtifactNames.check(name)).isEqualTo(name);
    assertThat(ArtifactNames.isValid(name)).isTrue();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/etc/passwd|name must be relative but was '/etc/passwd'",
      "a//b|name must not have empty segments but was 'a//b'",
      "a/|name must not have empty segments but was 'a/'",
      "..|name segments must not start with '.' but was '..'",
      "../etc/passwd|name segments must not start with '.' but was '../etc/passwd'",
      "a/../../b|name segments must not start with '.' but was 'a/../../b'",
      "./a|name segments must not start with '.' but was './a'",
      ".hidden|name segments must not start with '.' but was '.hidden'",
      "a/.mesoskit-0011.tmp|name segments must not start with '.' but was 'a/.mesoskit-0011.tmp'",
      "a\\b|name must not contain '\\' but was 'a\\b'",
      "..\\..\\windows|name must not contain '\\' but was '..\\..\\windows'",
      "100%.txt|name must not contain '%' but was '100%.txt'",
  })
  void refusesNamesThatBreakARule(String name, String message) {
    assertThatThrownBy(() -> ArtifactNames.check(name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
    assertThat(ArtifactNames.isValid(name)).isFalse();
  }

  @Test
  void refusesEmptyAndNullNames() {
    assertThatThrownBy(() -> ArtifactNames.check(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be empty");
    assertThatThrownBy(() -> ArtifactNames.check(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name must not be null");
    assertThat(ArtifactNames.isValid(null)).isFalse();
  }

  @Test
  void refusesNulAndOtherControlCharacters() {
    assertThatThrownBy(() -> ArtifactNames.check("app.jar\0.png"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not contain control characters but had U+0000 at index 7");
    assertThatThrownBy(() -> ArtifactNames.check("a\nb"))
        .hasMessage("name must not contain control characters but had U+000A at index 1");
    assertThatThrownBy(() -> ArtifactNames.check("a\u007fb"))
        .hasMessage("name must not contain control characters but had U+007F at index 1");
    assertThatThrownBy(() -> ArtifactNames.check("a\u0085b"))
        .hasMessage("name must not contain control characters but had U+0085 at index 1");
  }

  @Test
  void refusesNamesNotInUnicodeNfc() {
    String decomposed = "cafe\u0301.png";

    assertThatThrownBy(() -> ArtifactNames.check(decomposed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be in Unicode NFC but was '" + decomposed + "'");
    assertThat(ArtifactNames.check("caf\u00e9.png")).isEqualTo("café.png");
  }

  @Test
  void refusesUnpairedSurrogates() {
    assertThatThrownBy(() -> ArtifactNames.check("a\ud800b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be valid Unicode but had an unpaired surrogate at index 1");
    assertThatThrownBy(() -> ArtifactNames.check("ab\udc00"))
        .hasMessage("name must be valid Unicode but had an unpaired surrogate at index 2");
  }

  @Test
  void boundsTheLengthOfNamesAndSegmentsInUtf8Bytes() {
    String segment255 = "a".repeat(255);
    assertThat(ArtifactNames.isValid(segment255)).isTrue();
    assertThatThrownBy(() -> ArtifactNames.check(segment255 + "a"))
        .hasMessage("name segments must be at most 255 bytes in UTF-8 but one was 256");
    assertThatThrownBy(() -> ArtifactNames.check("é".repeat(128)))
        .hasMessage("name segments must be at most 255 bytes in UTF-8 but one was 256");

    String name1024 = ("a".repeat(254) + "/").repeat(4) + "abcd";
    assertThat(ArtifactNames.isValid(name1024)).isTrue();
    assertThatThrownBy(() -> ArtifactNames.check(name1024 + "b"))
        .hasMessage("name must be at most 1024 bytes in UTF-8 but was 1025");
  }

  @Test
  void encodesNamesForUriPathsSegmentBySegment() {
    assertThat(ArtifactNames.encode("app.jar")).isEqualTo("app.jar");
    assertThat(ArtifactNames.encode("café/a b.txt")).isEqualTo("caf%C3%A9/a%20b.txt");
    assertThat(ArtifactNames.encode("a;b?c#d")).isEqualTo("a%3Bb%3Fc%23d");
    assertThat(ArtifactNames.encode("x:y@z!$&'()*+,=~-_."))
        .isEqualTo("x:y@z!$&'()*+,=~-_.");
    assertThat(ArtifactNames.encode("\"<>[]^`{|}")).isEqualTo("%22%3C%3E%5B%5D%5E%60%7B%7C%7D");
  }

  @Test
  void decodingAnEncodedNameGivesTheNameBack() {
    for (String name : new String[] {"app.jar", "café/a b.txt", "a;b?c#d", "😀/日本.txt",
        "\"<>[]^`{|}"}) {
      assertThat(RequestPath.decode(ArtifactNames.encode(name))).isEqualTo(name);
    }
  }
}
