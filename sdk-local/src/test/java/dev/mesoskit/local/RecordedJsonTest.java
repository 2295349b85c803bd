package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordedJsonTest {
  private static JsonElement json(String s) {
    return JsonParser.parseString(s);
  }

  @Test
  void aWholePlaceholderMatchesAnyValueAndAnInnerOneAnyText() {
    assertThat(RecordedJson.differences(
        json("{\"id\":\"<master-id>\",\"pid\":\"master@127.0.0.1:<master-port>\",\"n\":1}"),
        json("{\"id\":42,\"pid\":\"master@127.0.0.1:5050\",\"n\":1}"), Set.of())).isEmpty();
  }

  @Test
  void missingExtraAndDifferentValuesAreEachReportedWithTheirPath() {
    assertThat(RecordedJson.differences(json("{\"a\":{\"b\":true,\"c\":[1,2]},\"d\":\"x\"}"),
        json("{\"a\":{\"c\":[1,3],\"e\":0},\"d\":\"y\"}"), Set.of()))
        .containsExactly("$.a.b: missing", "$.a.c[1]: recorded 2 but was 3",
            "$.a.e: not recorded, was 0", "$.d: recorded \"x\" but was \"y\"");
  }

  @Test
  void aFloatIsNotAnIntegerEvenWithTheSameValue() {
    assertThat(RecordedJson.differences(json("{\"v\":1.0}"), json("{\"v\":1}"), Set.of()))
        .containsExactly("$.v: recorded 1.0 but was 1");
    assertThat(RecordedJson.differences(json("{\"v\":4096.0}"), json("{\"v\":4096.00}"),
        Set.of())).isEmpty();
  }

  @Test
  void ignoredPathsAreSkippedForAnyIndex() {
    assertThat(RecordedJson.differences(json("{\"t\":[{\"s\":1,\"k\":2}]}"),
        json("{\"t\":[{\"s\":9,\"k\":2}]}"), Set.of("$.t[*].s"))).isEmpty();
  }
}
