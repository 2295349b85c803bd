package dev.mesoskit.artifacts;

/**
 * Content did not have the SHA-256 its sender declared; nothing was stored.
 */
public final class ChecksumMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The SHA-256 the sender declared, in hex. */
  private final String expected;
  /** The SHA-256 of the bytes received, in hex. */
  private final String actual;

  /**
   * Creates the exception.
   *
   * @param name the artifact name
   * @param expected the declared SHA-256
   * @param actual the SHA-256 of the bytes received
   */
  public ChecksumMismatchException(String name, String expected, String actual) {
    super("sha256 mismatch: name=" + name + " expected=" + expected + " actual=" + actual);
    this.expected = expected;
    this.actual = actual;
  }

  /**
   * The declared SHA-256.
   *
   * @return 64 hex digits
   */
  public String expected() {
    return expected;
  }

  /**
   * The SHA-256 of the bytes received.
   *
   * @return 64 hex digits
   */
  public String actual() {
    return actual;
  }
}
