package dev.mesoskit.core.spi;

import java.util.Collection;

/** The rule of {@link StateStore} keys, shared by the stores here. */
final class StateKeys {
  /** The longest key. */
  static final int MAX_LENGTH = 512;
  /** The largest value, in bytes. */
  static final int MAX_VALUE_BYTES = 512 * 1024;

  private StateKeys() {}

  /**
   * Checks keys.
   *
   * @throws IllegalArgumentException naming the first key that breaks the rule
   */
  static void check(Collection<String> keys) {
    for (String key : keys) {
      if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
        throw new IllegalArgumentException("state key must be 1 to " + MAX_LENGTH
            + " characters but was " + (key == null ? "null" : "'" + key + "'"));
      }
      for (int i = 0; i < key.length(); i++) {
        if (Character.isISOControl(key.charAt(i))) {
          throw new IllegalArgumentException("state key must not contain control characters but"
              + " was '" + key.replaceAll("\\p{Cc}", "?") + "'");
        }
      }
    }
  }

  /**
   * Checks the entries of a change.
   *
   * @throws IllegalArgumentException naming the first key or value that breaks the rule
   */
  static void check(java.util.Map<String, byte[]> puts, Collection<String> deletes) {
    check(puts.keySet());
    check(deletes);
    puts.forEach((k, v) -> {
      if (v == null) {
        throw new IllegalArgumentException("state value of '" + k + "' must not be null");
      }
      if (v.length > MAX_VALUE_BYTES) {
        throw new IllegalArgumentException("state value of '" + k + "' must be at most "
            + MAX_VALUE_BYTES + " bytes but was " + v.length);
      }
    });
  }
}
