package dev.mesoskit.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Service#update(TaskSpec, UpdatePolicy)} replaces a service's instances: how many
 * may be down at once, how long a new instance may take to come up, and whether a failed update
 * is rolled back.
 *
 * <pre>{@code
 * web.update(newSpec, UpdatePolicy.builder().maxDown(2).stepTimeout(Duration.ofMinutes(2)).build());
 * }</pre>
 *
 * @param maxDown how many old instances each step kills (and replaces) at once, &gt;= 1
 * @param stepTimeout how long the new instances of a step may take to be up, &gt; 0
 * @param rollback whether a failed update restores the old template's instances
 */
public record UpdatePolicy(int maxDown, Duration stepTimeout, boolean rollback) {
  /** The default step timeout: 5 minutes. */
  public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(5);

  /**
   * Validates.
   *
   * @param maxDown how many old instances each step kills (and replaces) at once, &gt;= 1
   * @param stepTimeout how long the new instances of a step may take to be up, &gt; 0
   * @param rollback whether a failed update restores the old template's instances
   * @throws IllegalArgumentException naming the setting that is wrong
   */
  public UpdatePolicy {
    if (maxDown < 1) {
      throw new IllegalArgumentException("maxDown must be >= 1 but was " + maxDown);
    }
    Objects.requireNonNull(stepTimeout, "stepTimeout must not be null");
    if (stepTimeout.isNegative() || stepTimeout.isZero()) {
      throw new IllegalArgumentException("stepTimeout must be > 0 but was " + stepTimeout);
    }
  }

  /**
   * The default policy: one instance down at a time, 5 minutes per step, rollback on failure.
   *
   * @return the defaults
   */
  public static UpdatePolicy defaults() {
    return new UpdatePolicy(1, DEFAULT_STEP_TIMEOUT, true);
  }

  /**
   * Starts a builder with the {@link #defaults()}.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder(defaults());
  }

  /**
   * Starts a builder with this policy's settings.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Builds an {@link UpdatePolicy}. Defaults: {@code maxDown 1}, 5 minutes, rollback. */
  public static final class Builder {
    private int maxDown;
    private Duration stepTimeout;
    private boolean rollback;

    private Builder(UpdatePolicy from) {
      this.maxDown = from.maxDown;
      this.stepTimeout = from.stepTimeout;
      this.rollback = from.rollback;
    }

    /**
     * Sets how many old instances each step kills and replaces at once.
     *
     * @param maxDown &gt;= 1; default 1
     * @return this builder
     */
    public Builder maxDown(int maxDown) {
      this.maxDown = maxDown;
      return this;
    }

    /**
     * Sets how long the new instances of a step may take to be up ({@link Service#isUp}).
     *
     * @param stepTimeout &gt; 0; default 5 minutes
     * @return this builder
     */
    public Builder stepTimeout(Duration stepTimeout) {
      this.stepTimeout = stepTimeout;
      return this;
    }

    /**
     * Sets whether a failed update kills its new instances and restores the old template's.
     *
     * @param rollback default true
     * @return this builder
     */
    public Builder rollback(boolean rollback) {
      this.rollback = rollback;
      return this;
    }

    /**
     * Validates and builds the policy.
     *
     * @return the policy
     * @throws IllegalArgumentException naming the setting that is wrong
     */
    public UpdatePolicy build() {
      return new UpdatePolicy(maxDown, stepTimeout, rollback);
    }
  }
}
