package dev.mesoskit.artifacts;

import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what Jetty refuses before the {@link ArtifactHandler} sees it (an ambiguous URI, a bad
 * request line, headers too large) and what fails inside it: a short plain-text body, no stack
 * trace, no server name; refusals are counted.
 */
final class ErrorResponder implements Request.Handler {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorResponder.class);

  private final Counters counters;

  ErrorResponder(Counters counters) {
    this.counters = counters;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status = response.getStatus();
    String message = (String) request.getAttribute(ErrorHandler.ERROR_MESSAGE);
    Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
    if (cause instanceof HttpException http) {
      status = http.getCode();
      response.setStatus(status);
      message = http.getReason();
    }
    counters.countRefusal(status);
    if (status >= 500) {
      message = null;
    }
    LOG.debug("request refused by the server status={} method={} reason={}", status,
        request.getMethod(), message);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    if (HttpStatus.hasNoBody(status) || request.getMethod().equals("HEAD")) {
      callback.succeeded();
      return true;
    }
    String text = HttpStatus.getMessage(status) + (message == null ? "" : ": " + message);
    Content.Sink.write(response, true, text + "\n", callback);
    return true;
  }
}
