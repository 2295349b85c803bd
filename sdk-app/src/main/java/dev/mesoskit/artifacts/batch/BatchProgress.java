package dev.mesoskit.artifacts.batch;

import java.time.Duration;
import java.util.Objects;

/**
 * Live counts of a {@link Batch}, for a progress view. Every key is in exactly one of
 * {@code skipped}, {@code done}, {@code failed}, {@code running} and {@code pending}.
 *
 * @param total the keys of the batch
 * @param skipped keys already done by an earlier run, not submitted again
 * @param done keys finished and collected in this run
 * @param failed keys whose task failed or whose result could not be collected
 * @param running keys whose task is launched (staging, starting, running, killing) or finished
 *     and being collected
 * @param pending keys whose task waits for an offer or a retry
 * @param elapsed time since the run started
 */
public record BatchProgress(int total, int skipped, int done, int failed, int running,
    int pending, Duration elapsed) {

  /**
   * Validates the counts.
   *
   * @param total the keys of the batch
   * @param skipped keys already done by an earlier run, not submitted again
   * @param done keys finished and collected in this run
   * @param failed keys whose task failed or whose result could not be collected
   * @param running keys whose task is launched (staging, starting, running, killing) or finished
   *     and being collected
   * @param pending keys whose task waits for an offer or a retry
   * @param elapsed time since the run started
   * @throws IllegalArgumentException if the counts do not add up
   */
  public BatchProgress {
    Objects.requireNonNull(elapsed, "elapsed must not be null");
    if (skipped < 0 || done < 0 || failed < 0 || running < 0 || pending < 0) {
      throw new IllegalArgumentException("counts must be >= 0 but were skipped=" + skipped
          + " done=" + done + " failed=" + failed + " running=" + running + " pending=" + pending);
    }
    if (skipped + done + failed + running + pending != total) {
      throw new IllegalArgumentException("counts must add up to total " + total + " but were"
          + " skipped=" + skipped + " done=" + done + " failed=" + failed + " running=" + running
          + " pending=" + pending);
    }
  }

  /**
   * Keys that have their outcome: skipped, done or failed.
   *
   * @return the count
   */
  public int completed() {
    return skipped + done + failed;
  }

  /**
   * Keys completed by this run per second of {@link #elapsed()}.
   *
   * @return the rate, 0 before any time passed
   */
  public double perSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0.0 : (done + failed) / seconds;
  }

  /**
   * The counts as one line, e.g. {@code 12/40 done, 1 failed, 4 running, 23 pending, 3.1/s}.
   *
   * @return the line
   */
  public String line() {
    return String.format(java.util.Locale.ROOT, "%d/%d done, %d failed, %d running, %d pending,"
        + " %.1f/s", skipped + done, total, failed, running, pending, perSecond());
  }
}
