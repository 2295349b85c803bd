package dev.mesoskit.artifacts.cli;

/**
 * A mistake on the command line: an option's value that parses but cannot be used
 * ({@code --instances 0}, {@code --master=http//x:5050}, a missing {@code --images} file).
 * {@link FrameworkMain#run} prints its message after the program's name and exits with
 * {@link FrameworkMain#USAGE}; any other exception, an {@link IllegalArgumentException} of the SDK
 * included (a duplicate task id is a bug of the program, not of its user), is a failure.
 *
 * <p>Throw it from a command's {@code call()} and name the option in the message:
 *
 * <pre>{@code
 * if (instances < 1) {
 *   throw new UsageException("--instances must be >= 1 but was " + instances);
 * }
 * }</pre>
 */
public final class UsageException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * A usage error.
   *
   * @param message what is wrong, naming the option
   */
  public UsageException(String message) {
    super(message);
  }

  /**
   * A usage error caused by another exception, such as the parser of the option's value.
   *
   * @param message what is wrong, naming the option
   * @param cause why
   */
  public UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
