package dev.mesoskit.core.executor;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a Mesos agent tells an executor through its environment, read and checked once.
 *
 * <p>Durations are in Mesos' notation ({@code 5secs}, {@code 250ms}, {@code 1.5mins}; see
 * {@link #parseDuration(String, String)}). {@code MESOS_RECOVERY_TIMEOUT} and
 * {@code MESOS_SUBSCRIPTION_BACKOFF_MAX} are read only when {@code MESOS_CHECKPOINT} is
 * {@code 1}, as agents set them only then.
 *
 * <pre>{@code
 * ExecutorEnvironment env = ExecutorEnvironment.from(System::getenv);
 * Path sandbox = env.sandbox();
 * }</pre>
 *
 * @param frameworkId {@code MESOS_FRAMEWORK_ID}
 * @param executorId {@code MESOS_EXECUTOR_ID}
 * @param agentEndpoint {@code MESOS_AGENT_ENDPOINT}, {@code ip:port} of the agent's HTTP API;
 *     absent for agents that only speak to libmesos drivers
 * @param sandbox {@code MESOS_SANDBOX}, else {@code MESOS_DIRECTORY}, else the working directory
 * @param checkpoint {@code MESOS_CHECKPOINT} is {@code 1}: the framework checkpoints, so the
 *     executor may outlive a restart of the agent and should resubscribe
 * @param shutdownGracePeriod {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD}, 5 s when unset (the
 *     agent's default)
 * @param recoveryTimeout {@code MESOS_RECOVERY_TIMEOUT}, with checkpointing
 * @param subscriptionBackoffMax {@code MESOS_SUBSCRIPTION_BACKOFF_MAX}, with checkpointing
 * @param authenticationToken {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}, if the agent
 *     authenticates executors; never shown by {@link #toString()}
 */
public record ExecutorEnvironment(
    String frameworkId,
    String executorId,
    Optional<String> agentEndpoint,
    Path sandbox,
    boolean checkpoint,
    Duration shutdownGracePeriod,
    Optional<Duration> recoveryTimeout,
    Optional<Duration> subscriptionBackoffMax,
    Optional<String> authenticationToken) {

  /** The agent's default {@code --executor_shutdown_grace_period}. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE_PERIOD = Duration.ofSeconds(5);

  /**
   * Validates the fields.
   *
   * @param frameworkId {@code MESOS_FRAMEWORK_ID}
   * @param executorId {@code MESOS_EXECUTOR_ID}
   * @param agentEndpoint {@code MESOS_AGENT_ENDPOINT}, {@code ip:port} of the agent's HTTP API;
   *     absent for agents that only speak to libmesos drivers
   * @param sandbox {@code MESOS_SANDBOX}, else {@code MESOS_DIRECTORY}, else the working directory
   * @param checkpoint {@code MESOS_CHECKPOINT} is {@code 1}: the framework checkpoints, so the
   *     executor may outlive a restart of the agent and should resubscribe
   * @param shutdownGracePeriod {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD}, 5 s when unset (the
   *     agent's default)
   * @param recoveryTimeout {@code MESOS_RECOVERY_TIMEOUT}, with checkpointing
   * @param subscriptionBackoffMax {@code MESOS_SUBSCRIPTION_BACKOFF_MAX}, with checkpointing
   * @param authenticationToken {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN}, if the agent
   *     authenticates executors; never shown by {@link #toString()}
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public ExecutorEnvironment {
    requireText(frameworkId, "MESOS_FRAMEWORK_ID");
    requireText(executorId, "MESOS_EXECUTOR_ID");
    Objects.requireNonNull(agentEndpoint, "agentEndpoint must not be null");
    Objects.requireNonNull(sandbox, "sandbox must not be null");
    Objects.requireNonNull(shutdownGracePeriod, "shutdownGracePeriod must not be null");
    Objects.requireNonNull(recoveryTimeout, "recoveryTimeout must not be null");
    Objects.requireNonNull(subscriptionBackoffMax, "subscriptionBackoffMax must not be null");
    Objects.requireNonNull(authenticationToken, "authenticationToken must not be null");
    if (checkpoint && (recoveryTimeout.isEmpty() || subscriptionBackoffMax.isEmpty())) {
      throw new IllegalArgumentException("MESOS_CHECKPOINT=1 needs MESOS_RECOVERY_TIMEOUT and"
          + " MESOS_SUBSCRIPTION_BACKOFF_MAX but " + (recoveryTimeout.isEmpty()
              ? "MESOS_RECOVERY_TIMEOUT" : "MESOS_SUBSCRIPTION_BACKOFF_MAX") + " was not set");
    }
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must be set by the agent but was "
          + (value == null ? "unset" : "'" + value + "'")
          + ": is this process running as a Mesos executor?");
    }
  }

  /**
   * Reads the environment.
   *
   * @param env reads a variable, null when unset (e.g. {@code System::getenv} or {@code map::get})
   * @return the checked environment
   * @throws IllegalArgumentException naming the variable that is missing or malformed
   */
  public static ExecutorEnvironment from(UnaryOperator<String> env) {
    boolean checkpoint = "1".equals(env.apply("MESOS_CHECKPOINT"))
        || "true".equals(env.apply("MESOS_CHECKPOINT"));
    Optional<Duration> recovery = Optional.empty();
    Optional<Duration> backoffMax = Optional.empty();
    if (checkpoint) {
      recovery = optionalDuration(env, "MESOS_RECOVERY_TIMEOUT");
      backoffMax = optionalDuration(env, "MESOS_SUBSCRIPTION_BACKOFF_MAX");
    }
    Duration grace = optionalDuration(env, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD")
        .orElse(DEFAULT_SHUTDOWN_GRACE_PERIOD);
    Optional<String> endpoint = Optional.ofNullable(env.apply("MESOS_AGENT_ENDPOINT"))
        .filter(s -> !s.isBlank());
    Optional<String> token = Optional.ofNullable(env.apply("MESOS_EXECUTOR_AUTHENTICATION_TOKEN"))
        .filter(s -> !s.isEmpty());
    return new ExecutorEnvironment(env.apply("MESOS_FRAMEWORK_ID"), env.apply("MESOS_EXECUTOR_ID"),
        endpoint, sandbox(env), checkpoint, grace, recovery, backoffMax, token);
  }

  /**
   * Reads the environment from a map, for tests and embedded agents.
   *
   * @param env the variables
   * @return the checked environment
   * @throws IllegalArgumentException naming the variable that is missing or malformed
   */
  public static ExecutorEnvironment from(Map<String, String> env) {
    return from(env::get);
  }

  /**
   * The sandbox: {@code MESOS_SANDBOX}, else {@code MESOS_DIRECTORY}, else the working directory.
   *
   * @param env reads a variable, null when unset
   * @return the absolute directory
   */
  static Path sandbox(UnaryOperator<String> env) {
    for (String name : new String[] {"MESOS_SANDBOX", "MESOS_DIRECTORY"}) {
      String value = env.apply(name);
      if (value != null && !value.isBlank()) {
        try {
          return Path.of(value).toAbsolutePath();
        } catch (InvalidPathException e) {
          throw new IllegalArgumentException(name + " must be a path but was '" + value + "'", e);
        }
      }
    }
    return Path.of("").toAbsolutePath();
  }

  static Optional<Duration> optionalDuration(UnaryOperator<String> env, String name) {
    String value = env.apply(name);
    return value == null || value.isBlank()
        ? Optional.empty()
        : Optional.of(parseDuration(name, value));
  }

  /**
   * Parses a duration in Mesos' notation: a non-negative decimal number followed by one of
   * {@code ns}, {@code us}, {@code ms}, {@code secs}, {@code mins}, {@code hrs}, {@code days},
   * {@code weeks} ({@code 5secs}, {@code 250ms}, {@code 1.5mins}).
   *
   * @param name what the value is, for the message
   * @param value the text
   * @return the duration
   * @throws IllegalArgumentException naming the variable, the value and the rule
   */
  public static Duration parseDuration(String name, String value) {
    String text = value.strip();
    int i = 0;
    while (i < text.length() && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.')) {
      i++;
    }
    String number = text.substring(0, i);
    String unit = text.substring(i);
    long factor = switch (unit) {
      case "ns" -> 1L;
      case "us" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "secs" -> 1_000_000_000L;
      case "mins" -> 60_000_000_000L;
      case "hrs" -> 3_600_000_000_000L;
      case "days" -> 86_400_000_000_000L;
      case "weeks" -> 604_800_000_000_000L;
      default -> -1;
    };
    double amount;
    try {
      amount = number.isEmpty() ? Double.NaN : Double.parseDouble(number);
    } catch (NumberFormatException e) {
      amount = Double.NaN;
    }
    if (factor < 0 || Double.isNaN(amount) || amount * factor > Long.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be a Mesos duration such as 5secs, 250ms"
          + " or 1.5mins (units ns, us, ms, secs, mins, hrs, days, weeks) but was '" + value + "'");
    }
    return Duration.ofNanos(Math.round(amount * factor));
  }

  /**
   * The {@code host:port} of the agent's executor API.
   *
   * @return the endpoint
   * @throws IllegalArgumentException when the agent did not set {@code MESOS_AGENT_ENDPOINT}
   */
  public String requireAgentEndpoint() {
    return agentEndpoint.orElseThrow(() -> new IllegalArgumentException("MESOS_AGENT_ENDPOINT must"
        + " be set by the agent for the HTTP executor API but was unset: run under a Mesos agent"
        + " 1.0 or newer, or use the native driver (--driver=native)"));
  }

  /** Shows everything but the token. */
  @Override
  public String toString() {
    return "ExecutorEnvironment[frameworkId=" + frameworkId + ", executorId=" + executorId
        + ", agentEndpoint=" + agentEndpoint.orElse("unset") + ", sandbox=" + sandbox
        + ", checkpoint=" + checkpoint + ", shutdownGracePeriod=" + shutdownGracePeriod
        + ", recoveryTimeout=" + recoveryTimeout.map(Duration::toString).orElse("unset")
        + ", subscriptionBackoffMax="
        + subscriptionBackoffMax.map(Duration::toString).orElse("unset")
        + ", authenticationToken=" + (authenticationToken.isPresent() ? "(set)" : "unset") + "]";
  }
}
