package dev.mesoskit.core;

import java.util.Objects;
import java.util.Optional;

/**
 * The latest result of a task's {@link ReadinessCheck}, as Mesos reports it in
 * {@code TaskStatus.check_status}: the exit code of a command, the status of an HTTP answer, or
 * whether a TCP connection opened. Before the first probe finished, the result of its kind is
 * empty ({@link #known()} false), as Mesos sends it from {@code TASK_STARTING} on.
 *
 * @param kind the probe's kind
 * @param exitCode a command probe's exit code
 * @param statusCode an HTTP probe's answer status
 * @param succeeded whether a TCP probe's connection opened
 */
public record CheckResult(
    Probe.Kind kind,
    Optional<Integer> exitCode,
    Optional<Integer> statusCode,
    Optional<Boolean> succeeded) {

  /**
   * Validates the fields: only the value of {@code kind} may be present.
   *
   * @param kind the probe's kind
   * @param exitCode a command probe's exit code
   * @param statusCode an HTTP probe's answer status
   * @param succeeded whether a TCP probe's connection opened
   * @throws IllegalArgumentException if a value of another kind is present
   */
  public CheckResult {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(exitCode, "exitCode must not be null");
    Objects.requireNonNull(statusCode, "statusCode must not be null");
    Objects.requireNonNull(succeeded, "succeeded must not be null");
    if ((kind != Probe.Kind.COMMAND && exitCode.isPresent())
        || (kind != Probe.Kind.HTTP && statusCode.isPresent())
        || (kind != Probe.Kind.TCP && succeeded.isPresent())) {
      throw new IllegalArgumentException("a " + kind + " check result holds only its own value"
          + " but was exitCode=" + exitCode + ", statusCode=" + statusCode + ", succeeded="
          + succeeded);
    }
  }

  /**
   * No result yet.
   *
   * @param kind the probe's kind
   * @return the empty result
   */
  public static CheckResult pending(Probe.Kind kind) {
    return new CheckResult(kind, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * A command's exit code.
   *
   * @param exitCode the code
   * @return the result
   */
  public static CheckResult exitCode(int exitCode) {
    return new CheckResult(Probe.Kind.COMMAND, Optional.of(exitCode), Optional.empty(),
        Optional.empty());
  }

  /**
   * An HTTP answer's status.
   *
   * @param statusCode the status
   * @return the result
   */
  public static CheckResult statusCode(int statusCode) {
    return new CheckResult(Probe.Kind.HTTP, Optional.empty(), Optional.of(statusCode),
        Optional.empty());
  }

  /**
   * Whether a TCP connection opened.
   *
   * @param succeeded true when it opened
   * @return the result
   */
  public static CheckResult tcp(boolean succeeded) {
    return new CheckResult(Probe.Kind.TCP, Optional.empty(), Optional.empty(),
        Optional.of(succeeded));
  }

  /**
   * Whether a probe has finished since the task started.
   *
   * @return true when the result holds a value
   */
  public boolean known() {
    return exitCode.isPresent() || statusCode.isPresent() || succeeded.isPresent();
  }

  /**
   * Whether the result passes: exit code 0, HTTP status 200 to 399, or an open connection.
   *
   * @return true when it passes; false when it fails or is not known yet
   */
  public boolean passed() {
    return switch (kind) {
      case COMMAND -> exitCode.map(c -> c == 0).orElse(false);
      case HTTP -> statusCode.map(s -> s >= 200 && s < 400).orElse(false);
      case TCP -> succeeded.orElse(false);
    };
  }

  @Override
  public String toString() {
    return switch (kind) {
      case COMMAND -> "COMMAND exit code " + exitCode.map(String::valueOf).orElse("(none yet)");
      case HTTP -> "HTTP status " + statusCode.map(String::valueOf).orElse("(none yet)");
      case TCP -> "TCP " + succeeded.map(s -> s ? "connected" : "refused").orElse("(none yet)");
    };
  }
}
