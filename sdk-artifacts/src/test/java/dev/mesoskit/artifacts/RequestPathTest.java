package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestPathTest {
  @Test
  void decodesPercentEncodedUtf8() {
    assertThat(RequestPath.decode("caf%C3%A9/a%20b.txt")).isEqualTo("café/a b.txt");
    assertThat(RequestPath.decode("caf%c3%a9")).isEqualTo("café");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "..|name segments must not start with '.' but was '..'",
      "../../etc/passwd|name segments must not start with '.' but was '../../etc/passwd'",
      "%2e%2e/%2e%2e/etc/passwd|name segments must not start with '.' but was '../../etc/passwd'",
      "%2E%2E|name segments must not start with '.' but was '..'",
      ".%2e/x|name segments must not start with '.' but was '../x'",
      "a%2f..%2fb|path must not contain an encoded '/' or '\\'",
      "a%2F..%2Fb|path must not contain an encoded '/' or '\\'",
      "..%5c..%5cwindows|path must not contain an encoded '/' or '\\'",
      "..\\windows|path must not contain U+005C unencoded",
      "%c0%ae%c0%ae/etc/passwd|path is not valid UTF-8",
      "%c0%af|path is not valid UTF-8",
      "%e0%80%ae|path is not valid UTF-8",
      "%ed%a0%80|path is not valid UTF-8",
      "%ff|path is not valid UTF-8",
      "%c3|path is not valid UTF-8",
      "a;b|path must not contain ';' (path parameters)",
      "..;/etc/passwd|path must not contain ';' (path parameters)",
      "a%00.png|name must not contain control characters but had U+0000 at index 1",
      "%2fetc/passwd|path must not contain an encoded '/' or '\\'",
      "/etc/passwd|name must be relative but was '/etc/passwd'",
      "a//b|name must not have empty segments but was 'a//b'",
      "a%zz|path has a bad percent-encoding at index 1",
      "a%2|path has a bad percent-encoding at index 1",
      "a%|path has a bad percent-encoding at index 1",
      "a%25b|name must not contain '%' but was 'a%b'",
      "a b|path must not contain U+0020 unencoded",
      "é|path must not contain U+00E9 unencoded",
      "cafe%CC%81|name must be in Unicode NFC but was 'cafe\u0301'",
  })
  void refusesEverySpellingThatCouldMeanSomethingElse(String raw, String message) {
    assertThatThrownBy(() -> RequestPath.decode(raw))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }
}
