package dev.mesoskit.core;

/**
 * Base of every failure MesosKit reports that is not the caller's mistake: a master that refused a
 * call, a lost connection that could not be restored, a plug-in or listener that failed.
 *
 * <p>Caller mistakes (an invalid spec, a call in the wrong lifecycle state) are reported with
 * {@link IllegalArgumentException} and {@link IllegalStateException} instead.
 */
public class MesosKitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message that names what failed and its context.
   *
   * @param message what failed, with {@code key=value} context
   */
  public MesosKitException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the failure that caused it.
   *
   * @param message what failed, with {@code key=value} context
   * @param cause the underlying failure
   */
  public MesosKitException(String message, Throwable cause) {
    super(message, cause);
  }
}
