package dev.mesoskit.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Where {@link RuntimeConfig} measures durations: never on a wall clock that may jump. */
class RuntimeConfigTest {

  @Test
  void durationsOfASystemClockComeFromSystemNanoTime() {
    for (Clock wall : new Clock[] {Clock.systemUTC(), Clock.system(ZoneId.of("Europe/Paris"))}) {
      LongSupplier nanos = RuntimeConfig.nanoTimeOf(wall);
      long before = System.nanoTime();
      long read = nanos.getAsLong();
      long after = System.nanoTime();

      assertThat(read).isBetween(before, after);
    }
  }

  @Test
  void durationsOfAnyOtherClockFollowThatClockSoTestsDriveThem() {
    Instant[] now = {Instant.parse("2026-01-01T00:00:00Z")};
    Clock virtual = new Clock() {
      @Override
      public ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now[0];
      }
    };
    LongSupplier nanos = RuntimeConfig.nanoTimeOf(virtual);
    long start = nanos.getAsLong();
    now[0] = now[0].plusMillis(250);

    assertThat(Duration.ofNanos(nanos.getAsLong() - start)).isEqualTo(Duration.ofMillis(250));
  }
}
