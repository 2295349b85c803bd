package dev.mesoskit.artifacts.batch;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link Batch} run ended.
 *
 * @param total the keys of the batch
 * @param done every key that is done, in input order: collected in this run or skipped because an
 *     earlier run did it
 * @param skipped how many of {@code done} an earlier run did
 * @param failures key to reason, in input order, for every key that is not done
 * @param elapsed how long the run took
 */
public record BatchSummary(int total, List<String> done, int skipped, Map<String, String> failures,
    Duration elapsed) {

  /**
   * Validates and copies the fields.
   *
   * @param total the keys of the batch
   * @param done every key that is done, in input order: collected in this run or skipped because an
   *     earlier run did it
   * @param skipped how many of {@code done} an earlier run did
   * @param failures key to reason, in input order, for every key that is not done
   * @param elapsed how long the run took
   * @throws IllegalArgumentException if the counts do not add up
   */
  public BatchSummary {
    done = List.copyOf(done);
    failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    Objects.requireNonNull(elapsed, "elapsed must not be null");
    if (done.size() + failures.size() != total) {
      throw new IllegalArgumentException("done " + done.size() + " and failed " + failures.size()
          + " must add up to total " + total);
    }
    if (skipped < 0 || skipped > done.size()) {
      throw new IllegalArgumentException("skipped must be in [0, " + done.size() + "] but was "
          + skipped);
    }
  }

  /**
   * Whether every key is done.
   *
   * @return true when nothing failed
   */
  public boolean succeeded() {
    return failures.isEmpty();
  }

  /**
   * The summary's first line, e.g. {@code 40 done (12 skipped, done before), 2 failed of 42 in 8.1 s}.
   *
   * @return the line
   */
  public String line() {
    return String.format(java.util.Locale.ROOT, "%d done (%d skipped, done before), %d failed of %d"
        + " in %.1f s", done.size(), skipped, failures.size(), total, elapsed.toMillis() / 1000.0);
  }
}
