package dev.mesoskit.core;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * How often a task is attempted and how long to wait between attempts: exponential backoff with
 * jitter, and which attempt endings are worth another try.
 *
 * <p>The delay before attempt {@code n + 1} is {@code min(maxBackoff, initialBackoff *
 * multiplier^(n-1))}, scaled down by a random fraction of at most {@code jitter} so that many
 * tasks failing together do not come back together; {@code n} counts the attempts since the last
 * one that had been RUNNING for at least {@code maxBackoff} (a task that ran that long and then
 * died starts again from {@code initialBackoff}; a crash loop backs off). A scheduler that fails
 * over starts counting afresh.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(5).initialBackoff(Duration.ofSeconds(2)).build();
 * // a long-running service: relaunch for ever, at most 30 s apart
 * RetryPolicy service = RetryPolicy.builder().unlimitedAttempts().maxBackoff(Duration.ofSeconds(30)).build();
 * }</pre>
 *
 * @param maxAttempts how many attempts in all, at least 1 (1 means never retry);
 *     {@link #UNLIMITED} never gives up
 * @param initialBackoff the delay after the first failed attempt
 * @param maxBackoff the longest delay; also how long an attempt must have been RUNNING for the
 *     delay after it to start again from {@code initialBackoff} (a service that ran for a while
 *     and then died is relaunched quickly; one that dies at once backs off)
 * @param multiplier how much the delay grows per attempt, at least 1
 * @param jitter the largest random fraction taken off a delay, 0 to 1
 * @param retryOn the attempt endings that are retried; the others end the task
 * @param neverRetryReasons Mesos reasons ({@code REASON_TASK_INVALID}) that end the task whatever
 *     its state
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter,
    Set<TaskState> retryOn,
    Set<String> neverRetryReasons) {

  /**
   * The {@code maxAttempts} of a policy that never gives up, for long-running services: every
   * retried ending is followed by another attempt, the delays capped at {@code maxBackoff}.
   */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  private static final Set<TaskState> DEFAULT_RETRY_ON = Set.copyOf(EnumSet.of(
      TaskState.FAILED, TaskState.LOST, TaskState.DROPPED, TaskState.UNREACHABLE,
      TaskState.GONE, TaskState.GONE_BY_OPERATOR, TaskState.UNKNOWN));

  private static final Set<String> DEFAULT_NEVER_RETRY = Set.of(
      "REASON_TASK_INVALID", "REASON_TASK_UNAUTHORIZED", "REASON_TASK_GROUP_INVALID",
      "REASON_TASK_GROUP_UNAUTHORIZED");

  /**
   * Validates the fields.
   *
   * @param maxAttempts how many attempts in all, at least 1 (1 means never retry)
   * @param initialBackoff the delay after the first failed attempt
   * @param maxBackoff the longest delay
   * @param multiplier how much the delay grows per attempt, at least 1
   * @param jitter the largest random fraction taken off a delay, 0 to 1
   * @param retryOn the attempt endings that are retried; the others end the task
   * @param neverRetryReasons Mesos reasons ({@code REASON_TASK_INVALID}) that end the task whatever
   *     its state
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1 but was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff must not be null");
    Objects.requireNonNull(maxBackoff, "maxBackoff must not be null");
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must be >= 0 but was " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff must be >= initialBackoff (" + initialBackoff + ") but was " + maxBackoff);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1 but was " + multiplier);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1 but was " + jitter);
    }
    retryOn = Set.copyOf(retryOn);
    neverRetryReasons = Set.copyOf(neverRetryReasons);
    for (TaskState s : retryOn) {
      if (!s.endsAttempt() || s == TaskState.FINISHED || s == TaskState.KILLED
          || s == TaskState.ERROR) {
        throw new IllegalArgumentException(
            "retryOn must hold only failed attempt endings (FAILED, LOST, DROPPED, UNREACHABLE,"
                + " GONE, GONE_BY_OPERATOR, UNKNOWN) but held " + s);
      }
    }
  }

  /**
   * The default: 3 attempts, 1 s doubling up to 1 min, 20% jitter, every failed ending retried
   * except invalid or unauthorized tasks.
   *
   * @return the default policy
   */
  public static RetryPolicy defaults() {
    return builder().build();
  }

  /**
   * One attempt only.
   *
   * @return a policy that never retries
   */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  /**
   * Whether this policy never gives up on a retried ending.
   *
   * @return true when {@code maxAttempts} is {@link #UNLIMITED}
   */
  public boolean unlimitedAttempts() {
    return maxAttempts == UNLIMITED;
  }

  /**
   * Starts a builder with the {@link #defaults()}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this policy's values.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return builder()
        .maxAttempts(maxAttempts)
        .initialBackoff(initialBackoff)
        .maxBackoff(maxBackoff)
        .multiplier(multiplier)
        .jitter(jitter)
        .retryOn(retryOn)
        .neverRetryReasons(neverRetryReasons);
  }

  /**
   * Decides whether an attempt that ended this way is retried.
   *
   * @param attempt the attempt that ended, from 1
   * @param state how it ended
   * @param reason the Mesos reason, or null
   * @return true when another attempt follows
   */
  public boolean retries(int attempt, TaskState state, String reason) {
    return attempt < maxAttempts
        && retryOn.contains(state)
        && (reason == null || !neverRetryReasons.contains(reason));
  }

  /**
   * The delay before the attempt after {@code attempt}.
   *
   * @param attempt the attempt that ended, from 1, counted since the last attempt that ran for
   *     {@code maxBackoff} or longer
   * @param random a number in [0, 1) that picks the jitter
   * @return the delay
   */
  public Duration backoff(int attempt, double random) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
    nanos = Math.min(nanos, maxBackoff.toNanos());
    nanos *= 1.0 - jitter * random;
    return Duration.ofNanos(Math.round(nanos));
  }

  /** Builds a {@link RetryPolicy}; starts from the {@link #defaults()}. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private double multiplier = 2.0;
    private double jitter = 0.2;
    private Set<TaskState> retryOn = DEFAULT_RETRY_ON;
    private Set<String> neverRetryReasons = DEFAULT_NEVER_RETRY;

    private Builder() {}

    /**
     * Sets the number of attempts in all.
     *
     * @param maxAttempts at least 1; default 3
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * Never gives up: sets the number of attempts to {@link RetryPolicy#UNLIMITED}, for a
     * long-running service that must be relaunched whenever it dies. Endings outside
     * {@link #retryOn} and the {@link #neverRetryReasons} still end the task.
     *
     * @return this builder
     */
    public Builder unlimitedAttempts() {
      this.maxAttempts = UNLIMITED;
      return this;
    }

    /**
     * Sets the delay after the first failed attempt.
     *
     * @param initialBackoff default 1 s
     * @return this builder
     */
    public Builder initialBackoff(Duration initialBackoff) {
      this.initialBackoff = initialBackoff;
      return this;
    }

    /**
     * Sets the longest delay, which is also how long an attempt must have been RUNNING for the
     * delay after it to start again from the initial backoff.
     *
     * @param maxBackoff default 1 min
     * @return this builder
     */
    public Builder maxBackoff(Duration maxBackoff) {
      this.maxBackoff = maxBackoff;
      return this;
    }

    /**
     * Sets the growth per attempt.
     *
     * @param multiplier at least 1; default 2
     * @return this builder
     */
    public Builder multiplier(double multiplier) {
      this.multiplier = multiplier;
      return this;
    }

    /**
     * Sets the largest random fraction taken off a delay.
     *
     * @param jitter 0 to 1; default 0.2
     * @return this builder
     */
    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    /**
     * Sets which attempt endings are retried.
     *
     * @param states default FAILED, LOST, DROPPED, UNREACHABLE, GONE, GONE_BY_OPERATOR, UNKNOWN
     * @return this builder
     */
    public Builder retryOn(Set<TaskState> states) {
      this.retryOn = states;
      return this;
    }

    /**
     * Sets the Mesos reasons that are never retried.
     *
     * @param reasons default REASON_TASK_INVALID, REASON_TASK_UNAUTHORIZED and their group forms
     * @return this builder
     */
    public Builder neverRetryReasons(Set<String> reasons) {
      this.neverRetryReasons = reasons;
      return this;
    }

    /**
     * Validates and builds the policy.
     *
     * @return the policy
     */
    public RetryPolicy build() {
      return new RetryPolicy(
          maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, retryOn, neverRetryReasons);
    }
  }
}
