package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationFormatTest {
  @Test
  void writesDurationsAsStoutDoes() {
    assertThat(DurationFormat.stringify(Duration.ofSeconds(5))).isEqualTo("5secs");
    assertThat(DurationFormat.stringify(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationFormat.stringify(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(DurationFormat.stringify(Duration.ofSeconds(90))).isEqualTo("90secs");
    assertThat(DurationFormat.stringify(Duration.ofMinutes(15))).isEqualTo("15mins");
    assertThat(DurationFormat.stringify(Duration.ofMinutes(1))).isEqualTo("1mins");
    assertThat(DurationFormat.stringify(Duration.ofMinutes(90))).isEqualTo("90mins");
    assertThat(DurationFormat.stringify(Duration.ofHours(2))).isEqualTo("2hrs");
    assertThat(DurationFormat.stringify(Duration.ofDays(3))).isEqualTo("3days");
    assertThat(DurationFormat.stringify(Duration.ofDays(14))).isEqualTo("2weeks");
    assertThat(DurationFormat.stringify(Duration.ofDays(10))).isEqualTo("10days");
    assertThat(DurationFormat.stringify(Duration.ofNanos(1500))).isEqualTo("1500ns");
    assertThat(DurationFormat.stringify(Duration.ofNanos(2000))).isEqualTo("2us");
    assertThat(DurationFormat.stringify(Duration.ofNanos(1_000_500))).isEqualTo("1.0005ms");
    assertThat(DurationFormat.stringify(Duration.ofNanos(1_500_000_001L))).isEqualTo("1.500000001secs");
    assertThat(DurationFormat.stringify(Duration.ZERO)).isEqualTo("0ns");
  }
}
