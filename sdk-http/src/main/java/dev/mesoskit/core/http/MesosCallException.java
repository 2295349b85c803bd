package dev.mesoskit.core.http;

import dev.mesoskit.core.MesosKitException;

/**
 * A master answered a call with a status other than the one the API promises (202 for calls,
 * 200 for SUBSCRIBE).
 */
public final class MesosCallException extends MesosKitException {
  private static final long serialVersionUID = 1L;

  /** The call's type, e.g. {@code ACCEPT}. */
  private final String callType;
  /** The HTTP status the master answered. */
  private final int status;
  /** The start of the master's answer, for the message. */
  private final String body;

  /**
   * Creates the exception.
   *
   * @param callType the call, e.g. {@code ACCEPT}
   * @param master where it was sent
   * @param status the HTTP status
   * @param body the response body, as text
   */
  public MesosCallException(String callType, String master, int status, String body) {
    super("master answered " + callType + " with HTTP " + status + ": master=" + master
        + " body=" + abbreviate(body));
    this.callType = callType;
    this.status = status;
    this.body = body;
  }

  private static String abbreviate(String body) {
    String b = body == null ? "" : body.strip();
    return b.length() > 500 ? b.substring(0, 500) + "..." : b;
  }

  /**
   * The call type.
   *
   * @return e.g. {@code ACCEPT}
   */
  public String callType() {
    return callType;
  }

  /**
   * The HTTP status.
   *
   * @return e.g. 400
   */
  public int status() {
    return status;
  }

  /**
   * The response body.
   *
   * @return the body as text
   */
  public String body() {
    return body;
  }
}
