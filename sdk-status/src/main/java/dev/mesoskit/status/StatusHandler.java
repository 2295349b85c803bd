package dev.mesoskit.status;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the page ({@code GET /}), the snapshot ({@code GET /api/status}) and the stream of
 * snapshots ({@code GET /api/events}, server-sent events). Each event stream holds one of Jetty's
 * threads, blocked on {@link StatusModel#awaitChange}, until the client goes away (noticed at the
 * next keep-alive at the latest) or the page closes. At most {@code maxStreams} streams are open
 * at once; one more is answered {@code 503} (the page then polls {@code /api/status}), so the
 * pool always has threads left for the page and the snapshot.
 */
final class StatusHandler extends Handler.Abstract {
  static final String PAGE = "/";
  static final String STATUS = "/api/status";
  static final String EVENTS = "/api/events";
  /** A comment line goes out this often on a quiet stream, so dead clients are noticed. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  private static final Pattern INLINE = Pattern.compile("<(script|style)>(.*?)</\\1>",
      Pattern.DOTALL);

  private final StatusModel model;
  private final String template;
  private final String contentSecurityPolicy;
  private final Duration minInterval;
  private final int maxStreams;
  private final AtomicInteger streams = new AtomicInteger();

  StatusHandler(StatusModel model, Duration minInterval, int maxStreams) {
    this.model = model;
    this.minInterval = minInterval;
    this.maxStreams = maxStreams;
    this.template = template();
    this.contentSecurityPolicy = contentSecurityPolicy(template);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (!path.equals(PAGE) && !path.equals(STATUS) && !path.equals(EVENTS)) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404);
      return true;
    }
    if (!request.getMethod().equals("GET")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET");
      Response.writeError(request, response, callback, HttpStatus.METHOD_NOT_ALLOWED_405);
      return true;
    }
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    switch (path) {
      case PAGE -> {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html;charset=utf-8");
        response.getHeaders().put("Content-Security-Policy", contentSecurityPolicy);
        response.write(true, utf8(page()), callback);
      }
      case STATUS -> {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        response.write(true, utf8(model.json()), callback);
      }
      default -> {
        if (streams.incrementAndGet() > maxStreams) {
          streams.decrementAndGet();
          response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain;charset=utf-8");
          response.getHeaders().put(HttpHeader.RETRY_AFTER, "10");
          response.write(true, utf8(tooMany(maxStreams)), callback);
          return true;
        }
        try {
          stream(response, callback);
        } finally {
          streams.decrementAndGet();
        }
      }
    }
    return true;
  }

  /**
   * Waits until no event stream is open, at most {@code timeout}: the page's close lets the
   * streams end their responses before Jetty stops.
   */
  void awaitNoStreams(java.time.Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The body of the {@code 503} beyond the cap on event streams. */
  static String tooMany(int maxStreams) {
    return "too many event streams: at most " + maxStreams + " are open at once; poll "
        + STATUS + " instead\n";
  }

  /** The page with the framework's name and the current snapshot filled in. */
  String page() {
    return template.replace("{{title}}",
        Html.escape(model.frameworkName()).replace("{", "&#123;"))
        .replace("{{initial}}", model.json());
  }

  private void stream(Response response, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream;charset=utf-8");
    response.getHeaders().put("X-Accel-Buffering", "no");
    try {
      send(response, "retry: 2000\n\n");
      long seen = -1;
      while (!model.closed()) {
        long version = model.awaitChange(seen, KEEP_ALIVE);
        if (model.closed()) {
          break;
        }
        if (version == seen) {
          send(response, ": keep-alive\n\n");
          continue;
        }
        StatusModel.Snapshot snapshot = model.snapshot(); // built once, shared by every stream
        seen = snapshot.version();
        send(response, "id: " + seen + "\nevent: status\ndata: " + snapshot.json() + "\n\n");
        model.awaitClose(minInterval); // changes in a burst go out as one snapshot
      }
      // The last chunk is written before the stream counts as ended, so that a closing page
      // stops Jetty only after every stream ended cleanly (see awaitNoStreams).
      try (Blocker.Callback blocker = Blocker.callback()) {
        response.write(true, ByteBuffer.allocate(0), blocker);
        blocker.block();
      }
      callback.succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    } catch (IOException | RuntimeException e) { // the client went away
      callback.failed(e);
    }
  }

  private static void send(Response response, String frame) throws IOException {
    try (Blocker.Callback blocker = Blocker.callback()) {
      response.write(false, utf8(frame), blocker);
      blocker.block();
    }
  }

  private static ByteBuffer utf8(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String template() {
    try (InputStream in = StatusHandler.class.getResourceAsStream("status.html")) {
      if (in == null) {
        throw new IllegalStateException("dev/mesoskit/status/status.html is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read dev/mesoskit/status/status.html", e);
    }
  }

  /**
   * Allows exactly the page's own inline script and style (by their SHA-256), and requests to
   * this server: nothing from anywhere else runs or loads.
   */
  static String contentSecurityPolicy(String template) {
    StringBuilder scripts = new StringBuilder();
    StringBuilder styles = new StringBuilder();
    Matcher m = INLINE.matcher(template);
    while (m.find()) {
      (m.group(1).equals("script") ? scripts : styles).append(" 'sha256-")
          .append(sha256(m.group(2))).append('\'');
    }
    return "default-src 'none'; script-src" + scripts + "; style-src" + styles
        + "; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'";
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
