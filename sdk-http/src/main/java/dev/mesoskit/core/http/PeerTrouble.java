package dev.mesoskit.core.http;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * What went wrong between a backend and its master or agent, in words: "connection refused by
 * 127.0.0.1:5999" rather than {@code java.nio.channels.ClosedChannelException}, and "is not a Mesos
 * master: it answered 501 to SUBSCRIBE" rather than the HTML page a plain web server sends.
 */
final class PeerTrouble {
  private static final Pattern TITLE =
      Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final int BRIEF_CHARS = 200;

  private PeerTrouble() {}

  /**
   * Why a request to {@code target} got no answer at all.
   *
   * @param failure what the HTTP client threw
   * @param target where the request went
   * @return e.g. {@code connection refused by 127.0.0.1:5999}, {@code unknown host mesos-mastr}
   */
  static String unreachable(Throwable failure, URI target) {
    String where = target.getHost() + ":" + port(target);
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) {
        return "unknown host " + target.getHost();
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "no connection to " + where + " within the connect timeout";
      }
      if (t instanceof SSLException) {
        return "TLS with " + where + " failed: " + t.getMessage();
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer from " + where + " within the request timeout";
      }
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException) { // the client's wrapper of a refused connect
        return "connection refused by " + where;
      }
      if (t instanceof EOFException) {
        return where + " closed the connection without answering";
      }
      if (t instanceof IOException && t.getMessage() != null
          && t.getMessage().toLowerCase(Locale.ROOT).contains("connection reset")) {
        return "connection reset by " + where;
      }
    }
    return "connection to " + where + " failed: " + CallExchange.rootCause(failure);
  }

  /**
   * Whether an answer other than 200 to SUBSCRIBE says the peer is no Mesos master or agent at
   * all, so that no retry can help: a Mesos master answers its scheduler API with 200, 307 or an
   * error of its own (400, 401, 403, 409, 503), never with "not found", "method not allowed" or
   * "not implemented".
   *
   * @param status the answer's status
   * @return true for 404, 405, 501 and 505
   */
  static boolean notMesos(int status) {
    return status == 404 || status == 405 || status == 501 || status == 505;
  }

  /**
   * A SUBSCRIBE answered by something that is not a Mesos master or agent.
   *
   * @param peer {@code master} or {@code agent}
   * @param target where SUBSCRIBE went
   * @param status the answer's status
   * @param contentType the answer's Content-Type
   * @param body the answer's start
   * @return e.g. {@code http://x:5050 is not a Mesos master: it answered 501 to SUBSCRIBE}
   */
  static String notMesos(String peer, URI target, int status, String contentType, String body) {
    String brief = brief(contentType, body);
    return base(target) + " is not a Mesos " + peer + ": it answered " + status + " to SUBSCRIBE"
        + (brief.isEmpty() ? "" : " (" + brief + ")");
  }

  /**
   * A SUBSCRIBE answered with 200 but not with the API's event stream.
   *
   * @param peer {@code master} or {@code agent}
   * @param target where SUBSCRIBE went
   * @param contentType the answer's Content-Type
   * @return the words
   */
  static String notAStream(String peer, URI target, String contentType) {
    return base(target) + " is not a Mesos " + peer + ": it answered SUBSCRIBE with 200 and"
        + " Content-Type '" + contentType + "' instead of a stream of "
        + CallExchange.PROTOBUF + " events";
  }

  /**
   * What a body says in a few words: an HTML page by its title, text by its start.
   *
   * @param contentType the Content-Type, may be empty
   * @param body the body, may be null
   * @return at most about 200 characters, empty for an empty body
   */
  static String brief(String contentType, String body) {
    String text = body == null ? "" : body.strip();
    if (text.isEmpty()) {
      return "";
    }
    boolean html = contentType.toLowerCase(Locale.ROOT).contains("html")
        || text.regionMatches(true, 0, "<!doctype html", 0, 14)
        || text.regionMatches(true, 0, "<html", 0, 5);
    if (html) {
      Matcher title = TITLE.matcher(text);
      return title.find() ? "an HTML page titled '" + cut(title.group(1)) + "'" : "an HTML page";
    }
    return cut(text);
  }

  private static String cut(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() > BRIEF_CHARS ? oneLine.substring(0, BRIEF_CHARS) + "..." : oneLine;
  }

  private static String base(URI target) {
    return target.getScheme() + "://" + target.getHost() + ":" + port(target);
  }

  private static int port(URI target) {
    return target.getPort() != -1 ? target.getPort()
        : "https".equalsIgnoreCase(target.getScheme()) ? 443 : 80;
  }
}
