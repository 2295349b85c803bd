package dev.mesoskit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A Mesos-native health check ({@code TaskInfo.health_check}): the task's executor runs
 * {@code probe} every {@code interval}, starting {@code delay} after the task started; a probe
 * that takes longer than {@code timeout} fails. The first passing probe makes the task healthy
 * (one {@code TASK_RUNNING} update with {@code healthy: true}); every failing probe sends
 * {@code healthy: false}, and after {@code consecutiveFailures} failures in a row the executor
 * kills the task, which ends {@link TaskState#KILLED} and unhealthy. Failures within
 * {@code gracePeriod} of the start do not count until a probe has passed once.
 *
 * <p>Mesos' command executor runs the checks of command tasks; MesosKit's executor runtime runs
 * them for its tasks, and LocalCluster's command executor does too. Defaults are Mesos' own.
 *
 * <pre>{@code
 * HealthCheck.of(Probe.http("/"))                            // Mesos' defaults
 * HealthCheck.builder(Probe.tcp()).interval(Duration.ofSeconds(2)).consecutiveFailures(2).build()
 * }</pre>
 *
 * @param probe what one check does
 * @param delay from the task's start to the first probe, &gt;= 0 (Mesos' default 15 s)
 * @param interval between probes, &gt; 0 (default 10 s)
 * @param timeout how long one probe may take, &gt; 0 (default 20 s)
 * @param gracePeriod from the task's start, failures that do not count until one probe passed,
 *     &gt;= 0 (default 10 s)
 * @param consecutiveFailures failures in a row that get the task killed, &gt;= 1 (default 3)
 */
public record HealthCheck(
    Probe probe,
    Duration delay,
    Duration interval,
    Duration timeout,
    Duration gracePeriod,
    int consecutiveFailures) {

  /** Mesos' default delay before the first probe. */
  public static final Duration DEFAULT_DELAY = Duration.ofSeconds(15);
  /** Mesos' default interval between probes. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  /** Mesos' default timeout of one probe. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);
  /** Mesos' default grace period of a health check. */
  public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(10);
  /** Mesos' default number of consecutive failures that kill a task. */
  public static final int DEFAULT_CONSECUTIVE_FAILURES = 3;

  /**
   * Validates the fields.
   *
   * @param probe what one check does
   * @param delay from the task's start to the first probe, &gt;= 0
   * @param interval between probes, &gt; 0
   * @param timeout how long one probe may take, &gt; 0
   * @param gracePeriod failures that do not count, &gt;= 0
   * @param consecutiveFailures failures in a row that get the task killed, &gt;= 1
   * @throws IllegalArgumentException naming the field, the rule and the value
   */
  public HealthCheck {
    Objects.requireNonNull(probe, "probe must not be null");
    Checks.atLeastZero(delay, "delay");
    Checks.positive(interval, "interval");
    Checks.positive(timeout, "timeout");
    Checks.atLeastZero(gracePeriod, "gracePeriod");
    if (consecutiveFailures < 1) {
      throw new IllegalArgumentException(
          "consecutiveFailures must be >= 1 but was " + consecutiveFailures);
    }
  }

  /**
   * A health check with Mesos' defaults.
   *
   * @param probe what one check does
   * @return the check
   */
  public static HealthCheck of(Probe probe) {
    return builder(probe).build();
  }

  /**
   * Starts a builder with Mesos' defaults.
   *
   * @param probe what one check does
   * @return a builder
   */
  public static Builder builder(Probe probe) {
    return new Builder(probe);
  }

  /**
   * Returns a builder holding this check's values.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder(probe).delay(delay).interval(interval).timeout(timeout)
        .gracePeriod(gracePeriod).consecutiveFailures(consecutiveFailures);
  }

  /** Builds a {@link HealthCheck}; defaults are Mesos' (15 s, 10 s, 20 s, 10 s, 3). */
  public static final class Builder {
    private final Probe probe;
    private Duration delay = DEFAULT_DELAY;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration timeout = DEFAULT_TIMEOUT;
    private Duration gracePeriod = DEFAULT_GRACE_PERIOD;
    private int consecutiveFailures = DEFAULT_CONSECUTIVE_FAILURES;

    private Builder(Probe probe) {
      this.probe = probe;
    }

    /**
     * Sets the delay before the first probe.
     *
     * @param delay &gt;= 0
     * @return this builder
     */
    public Builder delay(Duration delay) {
      this.delay = delay;
      return this;
    }

    /**
     * Sets the interval between probes.
     *
     * @param interval &gt; 0
     * @return this builder
     */
    public Builder interval(Duration interval) {
      this.interval = interval;
      return this;
    }

    /**
     * Sets how long one probe may take.
     *
     * @param timeout &gt; 0
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets the grace period.
     *
     * @param gracePeriod &gt;= 0
     * @return this builder
     */
    public Builder gracePeriod(Duration gracePeriod) {
      this.gracePeriod = gracePeriod;
      return this;
    }

    /**
     * Sets how many failures in a row get the task killed.
     *
     * @param consecutiveFailures &gt;= 1
     * @return this builder
     */
    public Builder consecutiveFailures(int consecutiveFailures) {
      this.consecutiveFailures = consecutiveFailures;
      return this;
    }

    /**
     * Validates and builds the check.
     *
     * @return the check
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    public HealthCheck build() {
      return new HealthCheck(probe, delay, interval, timeout, gracePeriod, consecutiveFailures);
    }
  }
}
