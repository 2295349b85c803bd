package dev.mesoskit.core.executor;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.ArtifactPublisher;
import dev.mesoskit.core.spi.ClientThreads;
import dev.mesoskit.core.spi.IdleTimeouts;
import dev.mesoskit.core.spi.PlainHttp;
import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The HTTP behind {@link TaskContext#upload}, {@link TaskContext#download} and
 * {@link TaskContext#downloadTo}: uploads of bytes or a streamed file to the artifact server's
 * {@code PUT} protocol, bounded downloads into memory, and downloads streamed to a file that is
 * whole or absent, with failures sorted into permanent ({@link PermanentFailure}) and worth
 * another attempt ({@link MesosKitException}).
 *
 * <p>Threading: stateless apart from the shared HTTP client; safe from any thread.
 */
final class ArtifactTransfers {
  // HTTP/1.1: the JDK's sources ask for jdk.httpclient.bufsize at most 16 KiB with HTTP/2, and
  // ExecutorMain raises it for moving large bodies.
  // Plain http:// needs no TLS, whose start costs a fresh JVM about 0.4 s of CPU (PlainHttp).
  // That client follows no redirect (one may lead to https://): send() repeats a redirected
  // request on the TLS client, which follows them as before.
  private static final ExecutorService THREADS =
      ClientThreads.bounded("mesoskit-transfers", 2, Duration.ofSeconds(30));
  private static final HttpClient PLAIN = configure(PlainHttp.builder())
      .followRedirects(HttpClient.Redirect.NEVER).build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
  /** The request timeout bounds the wait for headers; this, a body that stops arriving. */
  private static final Duration IDLE = Duration.ofMinutes(1);
  /** The largest byte array a JVM reliably allocates. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  /** The piece of an uploaded array handed to the HTTP client at a time (its buffer's size). */
  private static final int UPLOAD_PIECE = 256 * 1024;
  /** The piece a streamed download moves from the body to the file at a time. */
  private static final int COPY_BUFFER = 64 * 1024;
  /** The prefix of the temporary file a download streams into, next to its target. */
  static final String PART_PREFIX = ".mesoskit-download-";
  /** The suffix of that temporary file. */
  static final String PART_SUFFIX = ".part";
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private ArtifactTransfers() {}

  /**
   * The kill of the task a transfer runs for. A kill interrupts the task's thread, but the JDK
   * 17 HTTP client's body stream swallows an interrupt while it waits for data, so a download
   * also closes its body stream on a kill, which ends a blocked read at once.
   */
  interface Cancellation {
    /** No task: never cancelled. */
    Cancellation NEVER = new Cancellation() {
      @Override
      public boolean isCancelled() {
        return false;
      }

      @Override
      public Runnable closeWhenCancelled(Closeable closeable) {
        return () -> { };
      }
    };

    /**
     * Whether the task was killed.
     *
     * @return true once a kill arrived
     */
    boolean isCancelled();

    /**
     * Closes {@code closeable} when the task is killed, at once when it already was.
     *
     * @param closeable what to close, e.g. a body stream
     * @return ends the watch, once the transfer is over
     */
    Runnable closeWhenCancelled(Closeable closeable);
  }

  /**
   * Uploads bytes as an artifact: {@code PUT <base><name>} with the bearer token and the
   * content's SHA-256 in {@code X-Checksum-Sha256}, which the server checks before storing.
   *
   * @param env looks up {@link ArtifactPublisher#ENV_URL} and {@link ArtifactPublisher#ENV_TOKEN}
   * @param name the artifact name, {@code /}-separated
   * @param content the bytes
   * @return the artifact's URI
   */
  static URI upload(Function<String, String> env, String name, byte[] content) {
    Destination to = destination(env, name);
    return put(to, name, sha256(content), new ArrayBodyPublisher(content, UPLOAD_PIECE));
  }

  /**
   * Uploads a file as an artifact, as {@link #upload(Function, String, byte[])} does, streaming
   * it twice: once to hash it, once to send it; it is never held in memory.
   *
   * @param env looks up {@link ArtifactPublisher#ENV_URL} and {@link ArtifactPublisher#ENV_TOKEN}
   * @param name the artifact name, {@code /}-separated
   * @param file a regular file
   * @return the artifact's URI
   */
  static URI upload(Function<String, String> env, String name, Path file) {
    Destination to = destination(env, name);
    String what = "upload of " + name;
    String sha;
    HttpRequest.BodyPublisher body;
    try {
      sha = sha256(file);
      body = HttpRequest.BodyPublishers.ofFile(file);
    } catch (IOException e) {
      throw failed(what, e, what + " failed: cannot read " + file + ": " + e,
          Cancellation.NEVER);
    }
    return put(to, name, sha, body);
  }

  /** Where an upload goes: the artifact's URI and the token to present. */
  private record Destination(URI target, String token) {}

  private static Destination destination(Function<String, String> env, String name) {
    String base = env.apply(ArtifactPublisher.ENV_URL);
    String token = env.apply(ArtifactPublisher.ENV_TOKEN);
    if (base == null || token == null) {
      throw new PermanentFailure("cannot upload " + name + ": no artifact server, "
          + (base == null ? ArtifactPublisher.ENV_URL : ArtifactPublisher.ENV_TOKEN)
          + " is not set in the task's or the executor's environment (give the task"
          + " ArtifactPublisher.taskEnvironment())");
    }
    return new Destination(
        URI.create((base.endsWith("/") ? base : base + "/") + encodePath(name)), token);
  }

  private static URI put(Destination to, String name, String sha256,
      HttpRequest.BodyPublisher body) {
    URI target = to.target();
    HttpResponse<String> put;
    try {
      put = send(HttpRequest.newBuilder(target)
          .timeout(REQUEST_TIMEOUT)
          .header("Authorization", "Bearer " + to.token())
          .header("X-Checksum-Sha256", sha256)
          .PUT(body)
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new MesosKitException("upload of " + name + " to " + target + " failed: " + e, e);
    } catch (InterruptedException e) {
      throw cancelled("upload of " + name);
    }
    int status = put.statusCode();
    if (status / 100 == 2) {
      return put.headers().firstValue("Location").map(target::resolve).orElse(target);
    }
    String why = "upload of " + name + " to " + target + " failed: HTTP " + status
        + (put.body().isBlank() ? "" : " " + put.body().strip());
    // A wrong token or an artifact over the server's limit fails again; anything else may not.
    if (status == 401 || status == 403 || status == 413) {
      throw new PermanentFailure(why);
    }
    throw new MesosKitException(why);
  }

  /**
   * Reads a resource into memory, at most {@code maxBytes}.
   *
   * @param source an http, https or file URI
   * @param maxBytes the most bytes accepted
   * @param cancellation ends the read when the task is killed
   * @return the bytes
   */
  static byte[] download(URI source, long maxBytes, Cancellation cancellation) {
    checkMaxBytes(maxBytes);
    String what = "download of " + source;
    Body body = open(source, maxBytes);
    Runnable unwatch = cancellation.closeWhenCancelled(body.in());
    try (InputStream in = body.in()) {
      return readBody(in, body.length(), maxBytes, source);
    } catch (IOException e) {
      throw failed(what, e, what + " failed: " + e, cancellation);
    } finally {
      unwatch.run();
    }
  }

  /**
   * Streams a resource to a file, at most {@code maxBytes}: into a temporary file next to the
   * target ({@value #PART_PREFIX}<i>random</i>{@value #PART_SUFFIX}), which is flushed to disk
   * and renamed onto the target atomically once the whole body arrived, and deleted on any
   * failure. Missing parent directories are created.
   *
   * @param source an http, https or file URI
   * @param target the file to create or replace
   * @param maxBytes the most bytes accepted
   * @param cancellation ends the transfer when the task is killed
   * @return {@code target}
   */
  static Path downloadTo(URI source, Path target, long maxBytes, Cancellation cancellation) {
    checkMaxBytes(maxBytes);
    Path file = target.toAbsolutePath();
    if (file.getFileName() == null) {
      throw new IllegalArgumentException("target must name a file but was " + target);
    }
    if (Files.isDirectory(file)) {
      throw new IllegalArgumentException("target must not be a directory but was " + target);
    }
    String what = "download of " + source;
    Body body = open(source, maxBytes);
    Runnable unwatch = cancellation.closeWhenCancelled(body.in());
    Path part = null;
    boolean moved = false;
    try (InputStream in = body.in()) {
      try {
        Files.createDirectories(file.getParent());
        part = file.resolveSibling(PART_PREFIX
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()) + PART_SUFFIX);
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE)) {
          copyBody(in, out, body.length(), maxBytes, source, cancellation);
          out.force(false);
        }
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        moved = true;
      } catch (IOException e) {
        throw failed(what, e, what + " failed: cannot write " + target + ": " + e,
            cancellation);
      }
    } catch (IOException e) { // closing the body
      throw failed(what, e, what + " failed: " + e, cancellation);
    } finally {
      unwatch.run();
      if (part != null && !moved) {
        try {
          Files.deleteIfExists(part);
        } catch (IOException e) {
          // best effort: the failure that got here is the one to report
        }
      }
    }
    return target;
  }

  /**
   * Copies a body to a file, at most {@code maxBytes} and, when its length was announced,
   * exactly that many, with the messages of {@link #readBody}.
   */
  static void copyBody(InputStream in, FileChannel out, OptionalLong length, long maxBytes,
      URI source, Cancellation cancellation) throws IOException {
    String what = "download of " + source;
    long announced = length.isPresent() && length.getAsLong() >= 0 ? length.getAsLong() : -1;
    byte[] buf = new byte[COPY_BUFFER];
    long total = 0;
    while (true) {
      int n;
      try {
        n = in.read(buf);
      } catch (IOException e) {
        throw failed(what, e, what + " failed: " + e, cancellation);
      }
      if (n < 0) {
        break;
      }
      total += n;
      if (total > maxBytes) {
        throw tooLarge(source, maxBytes);
      }
      if (announced >= 0 && total > announced) {
        throw new MesosKitException(what + " failed: the body is longer than its Content-Length"
            + " of " + announced + " bytes");
      }
      ByteBuffer piece = ByteBuffer.wrap(buf, 0, n);
      while (piece.hasRemaining()) {
        out.write(piece);
      }
    }
    if (announced >= 0 && total < announced) {
      throw new MesosKitException(what + " failed: the body ended after " + total + " of its "
          + announced + " bytes");
    }
  }

  /** A response body to read, and the length the server announced, if any. */
  private record Body(InputStream in, OptionalLong length) {}

  /**
   * Opens a source for reading, refusing an announced length over {@code maxBytes}.
   *
   * @throws PermanentFailure on a 4xx answer (but 408, 429), a missing file, another scheme
   */
  private static Body open(URI source, long maxBytes) {
    String scheme = String.valueOf(source.getScheme()).toLowerCase(Locale.ROOT);
    try {
      switch (scheme) {
        case "http", "https" -> {
          HttpResponse<InputStream> get = openHttp(source, maxBytes);
          return new Body(IdleTimeouts.guard(get.body(), IDLE, "download of " + source),
              get.headers().firstValueAsLong("Content-Length"));
        }
        case "file" -> {
          return new Body(source.toURL().openStream(), OptionalLong.empty());
        }
        default -> throw new PermanentFailure("cannot download " + source + ": scheme " + scheme
            + " is not supported (http, https, file)");
      }
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new PermanentFailure("download of " + source + " failed: no such file", e);
    } catch (IOException e) {
      throw new MesosKitException("download of " + source + " failed: " + e, e);
    }
  }

  private static void checkMaxBytes(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0 but was " + maxBytes);
    }
  }

  /**
   * The exception for an I/O failure: a cancellation when the task was killed or the thread
   * interrupted (interruptible channels fail with an I/O exception then, and a kill closes the
   * body), else a {@link MesosKitException}.
   */
  private static RuntimeException failed(String what, IOException e, String message,
      Cancellation cancellation) {
    if (Thread.currentThread().isInterrupted() || cancellation.isCancelled()) {
      CancellationException c = cancelled(what);
      c.initCause(e);
      return c;
    }
    return new MesosKitException(message, e);
  }

  /**
   * Reads a whole body of at most {@code maxBytes}: straight into one array when its length was
   * announced (no list of buffers, no final copy), which it must then match exactly.
   */
  static byte[] readBody(InputStream in, OptionalLong length, long maxBytes, URI source)
      throws IOException {
    if (length.isPresent() && length.getAsLong() >= 0
        && length.getAsLong() <= Math.min(maxBytes, MAX_ARRAY)) {
      byte[] bytes = new byte[(int) length.getAsLong()];
      int n = in.readNBytes(bytes, 0, bytes.length);
      if (n < bytes.length) {
        throw new MesosKitException("download of " + source + " failed: the body ended after "
            + n + " of its " + bytes.length + " bytes");
      }
      if (in.read() >= 0) {
        throw new MesosKitException("download of " + source + " failed: the body is longer than"
            + " its Content-Length of " + bytes.length + " bytes");
      }
      return bytes;
    }
    int cap = (int) Math.min(MAX_ARRAY, maxBytes + 1);
    byte[] bytes = in.readNBytes(cap);
    if (bytes.length > maxBytes) {
      throw tooLarge(source, maxBytes);
    }
    if (bytes.length == cap && in.read() >= 0) {
      throw new PermanentFailure("download of " + source + " is larger than the largest byte"
          + " array, " + cap + " bytes");
    }
    return bytes;
  }

  private static HttpResponse<InputStream> openHttp(URI source, long maxBytes)
      throws IOException {
    HttpResponse<InputStream> get;
    try {
      get = send(HttpRequest.newBuilder(source).timeout(REQUEST_TIMEOUT).build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      throw cancelled("download of " + source);
    }
    int status = get.statusCode();
    if (status / 100 != 2) {
      get.body().close();
      String why = "download of " + source + " failed: HTTP " + status;
      if (status / 100 == 4 && status != 408 && status != 429) {
        throw new PermanentFailure(why);
      }
      throw new MesosKitException(why);
    }
    OptionalLong length = get.headers().firstValueAsLong("Content-Length");
    if (length.isPresent() && length.getAsLong() > maxBytes) {
      get.body().close();
      throw tooLarge(source, maxBytes);
    }
    return get;
  }

  private static PermanentFailure tooLarge(URI source, long maxBytes) {
    return new PermanentFailure("download of " + source + " is larger than the limit of "
        + maxBytes + " bytes");
  }

  private static CancellationException cancelled(String what) {
    Thread.currentThread().interrupt();
    return new CancellationException(what + " was interrupted");
  }

  /** Percent-encodes every segment of a {@code /}-separated name (UTF-8). */
  static String encodePath(String name) {
    StringBuilder out = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c == '/' || (c < 128 && UNRESERVED.indexOf(c) >= 0)) {
        out.append(c);
      } else {
        out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
      }
    }
    return out.toString();
  }

  /** The SHA-256 of bytes in lower-case hex, as {@code X-Checksum-Sha256} carries it. */
  static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** The SHA-256 of a file's content in lower-case hex, read in pieces. */
  static String sha256(Path file) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[COPY_BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
  /**
   * Sends a request: an {@code http://} one without TLS, again with TLS if the answer is a
   * redirect; any other with TLS.
   */
  static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws IOException, InterruptedException {
    if (PlainHttp.isPlain(request.uri())) {
      HttpResponse<T> plain = PLAIN.send(request, handler);
      if (plain.statusCode() / 100 != 3 || plain.headers().firstValue("Location").isEmpty()) {
        return plain;
      }
      if (plain.body() instanceof Closeable body) {
        body.close();
      }
    }
    return Tls.CLIENT.send(request, handler);
  }

  private static HttpClient.Builder configure(HttpClient.Builder builder) {
    return builder.version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .executor(THREADS);
  }

  /** The TLS client, built (and TLS started) on the first https:// transfer only. */
  private static final class Tls {
    static final HttpClient CLIENT = configure(HttpClient.newBuilder())
        .followRedirects(HttpClient.Redirect.NORMAL).build();
  }
}
