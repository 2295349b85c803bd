package dev.mesoskit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A Mesos check ({@code TaskInfo.check}, Mesos' {@code CheckInfo}), used as a readiness check:
 * the task's executor runs {@code probe} every {@code interval} from {@code delay} after the
 * task started and reports each change of its result in a {@code TASK_RUNNING} update
 * ({@code check_status}). Unlike a {@link HealthCheck} it never kills the task: the result is
 * information, read as {@link Task#check()} and {@link Task#ready()}; a {@code Service} can wait
 * for it before counting an instance as up.
 *
 * @param probe what one check does
 * @param delay from the task's start to the first probe, &gt;= 0 (Mesos' default 15 s)
 * @param interval between probes, &gt; 0 (default 10 s)
 * @param timeout how long one probe may take, &gt; 0 (default 20 s)
 */
public record ReadinessCheck(Probe probe, Duration delay, Duration interval, Duration timeout) {

  /**
   * Validates the fields.
   *
   * @param probe what one check does
   * @param delay from the task's start to the first probe, &gt;= 0
   * @param interval between probes, &gt; 0
   * @param timeout how long one probe may take, &gt; 0
   * @throws IllegalArgumentException naming the field, the rule and the value
   */
  public ReadinessCheck {
    Objects.requireNonNull(probe, "probe must not be null");
    Checks.atLeastZero(delay, "delay");
    Checks.positive(interval, "interval");
    Checks.positive(timeout, "timeout");
  }

  /**
   * A check with Mesos' defaults (delay 15 s, interval 10 s, timeout 20 s).
   *
   * @param probe what one check does
   * @return the check
   */
  public static ReadinessCheck of(Probe probe) {
    return new ReadinessCheck(probe, HealthCheck.DEFAULT_DELAY, HealthCheck.DEFAULT_INTERVAL,
        HealthCheck.DEFAULT_TIMEOUT);
  }

  /**
   * A copy with another delay.
   *
   * @param newDelay &gt;= 0
   * @return the check
   */
  public ReadinessCheck delay(Duration newDelay) {
    return new ReadinessCheck(probe, newDelay, interval, timeout);
  }

  /**
   * A copy with another interval.
   *
   * @param newInterval &gt; 0
   * @return the check
   */
  public ReadinessCheck interval(Duration newInterval) {
    return new ReadinessCheck(probe, delay, newInterval, timeout);
  }

  /**
   * A copy with another timeout.
   *
   * @param newTimeout &gt; 0
   * @return the check
   */
  public ReadinessCheck timeout(Duration newTimeout) {
    return new ReadinessCheck(probe, delay, interval, newTimeout);
  }
}
