package dev.mesoskit.core.executor;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.ArtifactPublisher;
import dev.mesoskit.core.spi.ClientThreads;
import dev.mesoskit.core.spi.IdleTimeouts;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * The HTTP behind {@link TaskContext#upload} and {@link TaskContext#download}: uploads to the
 * artifact server's {@code PUT} protocol and bounded downloads, with failures sorted into
 * permanent ({@link PermanentFailure}) and worth another attempt ({@link MesosKitException}).
 *
 * <p>Threading: stateless apart from the shared HTTP client; safe from any thread.
 */
final class ArtifactTransfers {
  // HTTP/1.1: the JDK's sources ask for jdk.httpclient.bufsize at most 16 KiB with HTTP/2, and
  // ExecutorMain raises it for moving large bodies.
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .followRedirects(HttpClient.Redirect.NORMAL)
      .executor(ClientThreads.bounded("mesoskit-transfers", 2, Duration.ofSeconds(30)))
      .build();
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);
  /** The request timeout bounds the wait for headers; this, a body that stops arriving. */
  private static final Duration IDLE = Duration.ofMinutes(1);
  /** The largest byte array a JVM reliably allocates. */
  private static final int MAX_ARRAY = Integer.MAX_VALUE - 16;
  private static final String UNRESERVED =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";

  private ArtifactTransfers() {}

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
    String base = env.apply(ArtifactPublisher.ENV_URL);
    String token = env.apply(ArtifactPublisher.ENV_TOKEN);
    if (base == null || token == null) {
      throw new PermanentFailure("cannot upload " + name + ": no artifact server, "
          + (base == null ? ArtifactPublisher.ENV_URL : ArtifactPublisher.ENV_TOKEN)
          + " is not set in the task's or the executor's environment (give the task"
          + " ArtifactPublisher.taskEnvironment())");
    }
    URI target = URI.create((base.endsWith("/") ? base : base + "/") + encodePath(name));
    HttpResponse<String> put;
    try {
      put = HTTP.send(HttpRequest.newBuilder(target)
          .timeout(REQUEST_TIMEOUT)
          .header("Authorization", "Bearer " + token)
          .header("X-Checksum-Sha256", sha256(content))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
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
   * @return the bytes
   */
  static byte[] download(URI source, long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0 but was " + maxBytes);
    }
    String scheme = String.valueOf(source.getScheme()).toLowerCase(Locale.ROOT);
    InputStream in;
    OptionalLong length = OptionalLong.empty();
    try {
      switch (scheme) {
        case "http", "https" -> {
          HttpResponse<InputStream> get = openHttp(source, maxBytes);
          length = get.headers().firstValueAsLong("Content-Length");
          in = IdleTimeouts.guard(get.body(), IDLE, "download of " + source);
        }
        case "file" -> in = source.toURL().openStream();
        default -> throw new PermanentFailure("cannot download " + source + ": scheme " + scheme
            + " is not supported (http, https, file)");
      }
    } catch (FileNotFoundException | NoSuchFileException e) {
      throw new PermanentFailure("download of " + source + " failed: no such file", e);
    } catch (IOException e) {
      throw new MesosKitException("download of " + source + " failed: " + e, e);
    }
    try (in) {
      return readBody(in, length, maxBytes, source);
    } catch (IOException e) {
      throw new MesosKitException("download of " + source + " failed: " + e, e);
    }
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
      get = HTTP.send(HttpRequest.newBuilder(source).timeout(REQUEST_TIMEOUT).build(),
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
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
