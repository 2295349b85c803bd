package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.artifacts.RangeRequest.Kind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RangeRequestTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bytes=0-0|0|0",
      "bytes=0-99|0|99",
      "bytes=10-19|10|19",
      "bytes=990-|990|999",
      "bytes=990-5000|990|999",
      "bytes=999-999|999|999",
      "bytes=-1|999|999",
      "bytes=-10|990|999",
      "bytes=-5000|0|999",
      "bytes=0-|0|999",
      "Bytes = 5-6|5|6",
      "bytes= 5-6 ,|5|6",
      "bytes=5-99999999999999999999999|5|999",
  })
  void servesOneSatisfiableRangeAsPartialContent(String header, long first, long last) {
    assertThat(RangeRequest.parse(List.of(header), 1000))
        .isEqualTo(new RangeRequest(Kind.PARTIAL, first, last));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=99999999999999999999999-"})
  void answersRangesPastTheEndAsUnsatisfiable(String header) {
    assertThat(RangeRequest.parse(List.of(header), 1000)).isEqualTo(RangeRequest.UNSATISFIABLE);
  }

  @Test
  void findsNoRangeInAnEmptyRepresentationSatisfiable() {
    assertThat(RangeRequest.parse(List.of("bytes=0-"), 0)).isEqualTo(RangeRequest.UNSATISFIABLE);
    assertThat(RangeRequest.parse(List.of("bytes=-5"), 0)).isEqualTo(RangeRequest.UNSATISFIABLE);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "bytes=5-1", "bytes=", "bytes=-", "bytes=a-b", "bytes=1-2-3", "bytes=+1-2", "bytes=1--2",
      "bytes= , ", "items=0-5", "bytes 0-5", "0-5", "bytes=0x1-5", "bytes=-1-"})
  void ignoresHeadersThatAreNotAValidByteRange(String header) {
    assertThat(RangeRequest.parse(List.of(header), 1000)).isEqualTo(RangeRequest.WHOLE);
  }

  @Test
  void answersSeveralRangesWithTheWholeRepresentation() {
    assertThat(RangeRequest.parse(List.of("bytes=0-1,5-6"), 1000)).isEqualTo(RangeRequest.WHOLE);
    assertThat(RangeRequest.parse(List.of("bytes=0-1", "bytes=5-6"), 1000))
        .isEqualTo(RangeRequest.WHOLE);
    assertThat(RangeRequest.parse(List.of(), 1000)).isEqualTo(RangeRequest.WHOLE);
  }

  @Test
  void measuresThePartialLength() {
    assertThat(new RangeRequest(Kind.PARTIAL, 10, 19).length()).isEqualTo(10);
  }
}
