package dev.mesoskit.core;

import java.time.Duration;
import java.util.Objects;

/** Duration rules shared by the check values. */
final class Checks {
  private Checks() {}

  static void atLeastZero(Duration d, String field) {
    Objects.requireNonNull(d, field + " must not be null");
    if (d.isNegative()) {
      throw new IllegalArgumentException(field + " must be >= 0 but was " + d);
    }
  }

  static void positive(Duration d, String field) {
    Objects.requireNonNull(d, field + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be > 0 but was " + d);
    }
  }
}
