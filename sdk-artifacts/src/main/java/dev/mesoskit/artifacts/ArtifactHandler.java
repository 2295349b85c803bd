package dev.mesoskit.artifacts;

import dev.mesoskit.core.MesosKitException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.http.DateGenerator;
import org.eclipse.jetty.http.HttpDateTime;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of an {@link ArtifactServer}: {@code GET}/{@code HEAD}/{@code PUT} on
 * {@code /artifacts/<name>} and {@code GET /metrics}; everything else is 404 or 405.
 *
 * <p>Threading: Jetty calls {@link #handle} on its pool threads, many at once; the handler keeps
 * no per-request state outside the call.
 */
final class ArtifactHandler extends Handler.Abstract {
  static final String ARTIFACTS_PATH = "/artifacts/";
  static final String METRICS_PATH = "/metrics";
  static final String SHA256_HEADER = "X-Checksum-Sha256";
  private static final Logger LOG = LoggerFactory.getLogger(ArtifactHandler.class);
  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";
  private static final String REVALIDATE = "no-cache";

  private final ArtifactServer server;
  private final ArtifactStore store;
  private final Counters counters;
  private final byte[] tokenDigest;
  private final long maxUploadBytes;
  private final MimeTypes mimeTypes = MimeTypes.DEFAULTS;
  private final MappedFiles mappedFiles = new MappedFiles();

  ArtifactHandler(ArtifactServer server, ArtifactStore store, Counters counters,
      String uploadToken, long maxUploadBytes) {
    this.server = server;
    this.store = store;
    this.counters = counters;
    this.tokenDigest = Digests.sha256().digest(uploadToken.getBytes(StandardCharsets.UTF_8));
    this.maxUploadBytes = maxUploadBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = request.getHttpURI().getPath();
    String method = request.getMethod();
    if (METRICS_PATH.equals(path)) {
      if (!method.equals("GET") && !method.equals("HEAD")) {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
        reject(request, response, callback, 405, "method not allowed: " + method);
        return true;
      }
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, PROMETHEUS);
      response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
      Content.Sink.write(response, true, counters.snapshot().prometheusText(), callback);
      return true;
    }
    if (path == null || !path.startsWith(ARTIFACTS_PATH)
        || path.length() == ARTIFACTS_PATH.length()) {
      notFound(response, callback);
      return true;
    }
    switch (method) {
      case "GET", "HEAD" -> serve(request, response, callback);
      case "PUT" -> upload(request, response, callback);
      default -> {
        response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, PUT");
        reject(request, response, callback, 405, "method not allowed: " + method);
      }
    }
    return true;
  }

  /** The artifact name of a request, or empty after answering 400. */
  private Optional<String> name(Request request, Response response, Callback callback) {
    if (request.getHttpURI().getParam() != null) {
      reject(request, response, callback, 400, "path must not contain ';' (path parameters)");
      return Optional.empty();
    }
    String raw = request.getHttpURI().getPath().substring(ARTIFACTS_PATH.length());
    try {
      return Optional.of(RequestPath.decode(raw));
    } catch (IllegalArgumentException e) {
      reject(request, response, callback, 400, e.getMessage());
      return Optional.empty();
    }
  }

  private void serve(Request request, Response response, Callback callback) {
    Optional<String> name = name(request, response, callback);
    if (name.isEmpty()) {
      return;
    }
    Optional<ArtifactContent> opened;
    try {
      opened = store.open(name.get());
    } catch (IllegalArgumentException e) {
      reject(request, response, callback, 400, e.getMessage());
      return;
    }
    if (opened.isEmpty()) {
      notFound(response, callback);
      return;
    }
    ArtifactContent content = opened.get();
    boolean handedOver = false;
    try {
      Artifact artifact = content.artifact();
      String addressed = contentAddress(artifact.name());
      if (addressed != null && !addressed.equals(artifact.sha256())) {
        // e.g. a published file linked into the store was then rewritten in place
        LOG.warn("content-addressed artifact holds other bytes, not served name={} sha256={}",
            artifact.name(), artifact.sha256());
        counters.countRefusal(410);
        sendText(response, callback, 410, "Gone: " + artifact.name() + " now holds other bytes"
            + " (SHA-256 " + artifact.sha256() + "); its file was changed after it was stored");
        return;
      }
      String etag = '"' + artifact.sha256() + '"';
      long modifiedSeconds = artifact.modified().getEpochSecond();
      HttpFields.Mutable headers = response.getHeaders();
      headers.put(HttpHeader.ETAG, etag);
      headers.put(HttpHeader.LAST_MODIFIED, DateGenerator.formatDate(modifiedSeconds * 1000));
      headers.put(HttpHeader.CACHE_CONTROL,
          artifact.name().startsWith(artifact.sha256() + "/") ? IMMUTABLE : REVALIDATE);
      int precondition = preconditions(request, artifact.sha256(), modifiedSeconds);
      if (precondition != 200) {
        response.setStatus(precondition);
        if (precondition == 412) {
          headers.put(HttpHeader.CONTENT_LENGTH, 0);
        }
        callback.succeeded();
        return;
      }
      headers.put(HttpHeader.ACCEPT_RANGES, "bytes");
      headers.put(HttpHeader.CONTENT_TYPE, contentType(artifact.name()));
      headers.put("X-Content-Type-Options", "nosniff");
      long size = artifact.size();
      RangeRequest range = request.getMethod().equals("GET")
          ? range(request, etag, modifiedSeconds, size) : RangeRequest.WHOLE;
      long first = 0;
      long length = size;
      switch (range.kind()) {
        case UNSATISFIABLE -> {
          response.setStatus(416);
          headers.remove(HttpHeader.CONTENT_TYPE);
          headers.put(HttpHeader.CONTENT_RANGE, "bytes */" + size);
          headers.put(HttpHeader.CONTENT_LENGTH, 0);
          callback.succeeded();
          return;
        }
        case PARTIAL -> {
          response.setStatus(206);
          first = range.first();
          length = range.length();
          headers.put(HttpHeader.CONTENT_RANGE,
              "bytes " + range.first() + "-" + range.last() + "/" + size);
        }
        case WHOLE -> response.setStatus(200);
        default -> throw new IllegalStateException("unknown range kind " + range.kind());
      }
      headers.put(HttpHeader.CONTENT_LENGTH, length);
      if (request.getMethod().equals("HEAD") || length == 0) {
        response.write(true, null, callback);
        return;
      }
      counters.downloads.increment();
      handedOver = true;
      new BodyWriter(response, content, first, length,
          request.getComponents().getByteBufferPool(), mappedFiles, counters, callback)
          .iterate();
    } finally {
      if (!handedOver) {
        content.close();
      }
    }
  }

  private String contentType(String name) {
    String type = mimeTypes.getMimeByExtension(name);
    if (type == null) {
      return "application/octet-stream";
    }
    if (type.startsWith("text/") && !type.contains("charset")) {
      return type + "; charset=utf-8";
    }
    return type;
  }

  /**
   * Evaluates the conditional headers in the order of RFC 9110, section 13.2.2.
   *
   * @return 200 to go on, 304 or 412
   */
  private static int preconditions(Request request, String sha256, long modifiedSeconds) {
    HttpFields headers = request.getHeaders();
    String ifMatch = joined(headers, HttpHeader.IF_MATCH);
    if (ifMatch != null) {
      if (!EntityTags.matches(ifMatch, sha256, true)) {
        return 412;
      }
    } else {
      long since = date(headers.get(HttpHeader.IF_UNMODIFIED_SINCE));
      if (since >= 0 && modifiedSeconds > since) {
        return 412;
      }
    }
    String ifNoneMatch = joined(headers, HttpHeader.IF_NONE_MATCH);
    if (ifNoneMatch != null) {
      if (EntityTags.matches(ifNoneMatch, sha256, false)) {
        return 304;
      }
    } else {
      long since = date(headers.get(HttpHeader.IF_MODIFIED_SINCE));
      if (since >= 0 && modifiedSeconds <= since) {
        return 304;
      }
    }
    return 200;
  }

  private static RangeRequest range(Request request, String etag, long modifiedSeconds,
      long size) {
    List<String> ranges = request.getHeaders().getValuesList(HttpHeader.RANGE);
    if (ranges.isEmpty()) {
      return RangeRequest.WHOLE;
    }
    String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
    if (ifRange != null) {
      String value = ifRange.strip();
      boolean current = value.startsWith("\"") || value.startsWith("W/")
          ? value.equals(etag)
          : date(value) == modifiedSeconds;
      if (!current) {
        return RangeRequest.WHOLE;
      }
    }
    return RangeRequest.parse(ranges, size);
  }

  private static String joined(HttpFields headers, HttpHeader header) {
    List<String> values = headers.getValuesList(header);
    return values.isEmpty() ? null : String.join(",", values);
  }

  /** An HTTP date in epoch seconds, or -1 when absent or not a date. */
  private static long date(String value) {
    if (value == null) {
      return -1;
    }
    try {
      long millis = HttpDateTime.parseToEpoch(value.strip());
      return millis < 0 ? -1 : millis / 1000;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private void upload(Request request, Response response, Callback callback) {
    if (!authorized(request)) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE,
          "Bearer realm=\"mesoskit-artifacts\"");
      reject(request, response, callback, 401, "a valid bearer token is required");
      return;
    }
    Optional<String> name = name(request, response, callback);
    if (name.isEmpty()) {
      return;
    }
    long declared = request.getLength();
    if (declared > maxUploadBytes) {
      tooLarge(request, response, callback);
      return;
    }
    Optional<String> expected = Optional.ofNullable(request.getHeaders().get(SHA256_HEADER));
    try {
      expected = expected.map(Digests::checkExpected);
      String address = contentAddress(name.get());
      if (address != null) {
        if (expected.isPresent() && !expected.get().equals(address)) {
          throw new IllegalArgumentException("name " + name.get() + " is content-addressed: its"
              + " " + SHA256_HEADER + " must be " + address + " but was " + expected.get());
        }
        expected = Optional.of(address); // the body must have the SHA-256 its name says
      }
      boolean existed = store.stat(name.get()).isPresent();
      InputStream body = new LimitedInputStream(Request.asInputStream(request), maxUploadBytes);
      Artifact artifact = store.put(name.get(), body, expected);
      counters.uploads.increment();
      counters.bytesUploaded.add(artifact.size());
      String uri = server.uri(artifact.name()).toString();
      LOG.info("artifact uploaded name={} size={} sha256={} remote={}", artifact.name(),
          artifact.size(), artifact.sha256(), Request.getRemoteAddr(request));
      response.setStatus(existed ? 200 : 201);
      response.getHeaders().put(HttpHeader.LOCATION, uri);
      response.getHeaders().put(HttpHeader.ETAG, '"' + artifact.sha256() + '"');
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT);
      Content.Sink.write(response, true, uri + "\n", callback);
    } catch (IllegalArgumentException e) {
      reject(request, response, callback, 400, e.getMessage());
    } catch (IllegalStateException e) {
      reject(request, response, callback, 409, e.getMessage());
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof TooLargeException) {
        tooLarge(request, response, callback);
      } else {
        LOG.debug("upload failed while reading the body name={} remote={} problem={}",
            name.get(), Request.getRemoteAddr(request), e.getCause().toString());
        callback.failed(e.getCause());
      }
    } catch (MesosKitException e) {
      LOG.error("upload failed name={} remote={}", name.get(), Request.getRemoteAddr(request), e);
      sendText(response, callback, 500, "the artifact could not be stored");
    }
  }

  private void tooLarge(Request request, Response response, Callback callback) {
    reject(request, response, callback, 413,
        "upload exceeds the limit of " + maxUploadBytes + " bytes");
  }

  private boolean authorized(Request request) {
    String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
    String given = "";
    if (header != null && header.length() > 7
        && header.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      given = header.substring(7).strip();
    }
    byte[] digest = Digests.sha256().digest(given.getBytes(StandardCharsets.UTF_8));
    return MessageDigest.isEqual(digest, tokenDigest);
  }

  /** The SHA-256 a name's first segment fixes (64 lowercase hex digits), or null. */
  static String contentAddress(String name) {
    int slash = name.indexOf('/');
    if (slash != 64) {
      return null;
    }
    for (int i = 0; i < 64; i++) {
      char c = name.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return null;
      }
    }
    return name.substring(0, 64);
  }

  private void notFound(Response response, Callback callback) {
    counters.notFound.increment();
    sendText(response, callback, 404, "not found");
  }

  private void reject(Request request, Response response, Callback callback, int status,
      String reason) {
    counters.countRefusal(status);
    if (request.getMethod().equals("PUT")) {
      // the body may be unread: tell the client the connection cannot carry another request
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    LOG.debug("request refused status={} method={} path={} remote={} reason={}", status,
        request.getMethod(), request.getHttpURI().getPath(), Request.getRemoteAddr(request),
        reason);
    sendText(response, callback, status, HttpStatus.getMessage(status) + ": " + reason);
  }

  private static void sendText(Response response, Callback callback, int status, String text) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, TEXT);
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    Content.Sink.write(response, true, text + "\n", callback);
  }

  /** Thrown by {@link LimitedInputStream} when a body passes the upload limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(long limit) {
      super("upload exceeds the limit of " + limit + " bytes");
    }
  }

  /** Fails the read that would pass the limit, so that the store stores nothing. */
  static final class LimitedInputStream extends FilterInputStream {
    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
      super(in);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLargeException {
      count += n;
      if (count > limit) {
        throw new TooLargeException(limit);
      }
    }
  }
}
