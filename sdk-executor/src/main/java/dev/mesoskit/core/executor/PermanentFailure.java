package dev.mesoskit.core.executor;

/**
 * Thrown by a {@link TaskHandler} for a failure that no retry can fix (bad input data, a missing
 * file the task needs): the runtime reports {@code TASK_FAILED} with reason
 * {@code REASON_TASK_INVALID}, which the default {@link dev.mesoskit.core.RetryPolicy} never
 * retries.
 *
 * <pre>{@code
 * if (image == null) {
 *   throw new PermanentFailure("not an image: " + url);
 * }
 * }</pre>
 */
public class PermanentFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The Mesos reason the runtime reports with this failure. */
  public static final String REASON = "REASON_TASK_INVALID";

  /**
   * Creates the failure.
   *
   * @param message what is wrong, shown as the task's message
   */
  public PermanentFailure(String message) {
    super(message);
  }

  /**
   * Creates the failure with its cause.
   *
   * @param message what is wrong, shown as the task's message
   * @param cause what was thrown
   */
  public PermanentFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
