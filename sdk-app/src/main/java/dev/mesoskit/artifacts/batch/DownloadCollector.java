package dev.mesoskit.artifacts.batch;

import dev.mesoskit.core.Task;
import dev.mesoskit.core.spi.ClientThreads;
import dev.mesoskit.core.spi.IdleTimeouts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/** {@link BatchCollector#download}: HTTP GET into a temporary file, checked, moved into place. */
final class DownloadCollector implements BatchCollector {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL)
      .executor(ClientThreads.bounded("mesoskit-collector-http", 2, Duration.ofSeconds(30)))
      .build();

  /** The request timeout bounds the wait for headers; this, a body that stops arriving. */
  private static final Duration IDLE = Duration.ofMinutes(1);

  private final Path directory;
  private final Function<String, URI> source;

  DownloadCollector(Path directory, Function<String, URI> source) {
    this.directory = AtomicFiles.create(Objects.requireNonNull(directory,
        "directory must not be null"));
    this.source = Objects.requireNonNull(source, "source must not be null");
  }

  @Override
  public void prepare() {
    AtomicFiles.deleteParts(directory);
  }

  @Override
  public void collect(String key, Task task) throws Exception {
    URI uri = source.apply(key);
    AtomicFiles.write(directory, key, tmp -> {
      HttpResponse<InputStream> get = HTTP.send(HttpRequest.newBuilder(uri)
          .timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest sha = AtomicFiles.sha256();
      try (InputStream in = IdleTimeouts.guard(get.body(), IDLE, "GET " + uri);
           OutputStream out = new DigestOutputStream(Files.newOutputStream(tmp), sha)) {
        if (get.statusCode() != 200) {
          throw new IOException("GET " + uri + " answered HTTP " + get.statusCode());
        }
        in.transferTo(out);
      }
      Optional<String> etag = get.headers().firstValue("ETag")
          .filter(t -> t.matches("\"[0-9a-f]{64}\""));
      String actual = HexFormat.of().formatHex(sha.digest());
      if (etag.isPresent() && !etag.get().equals('"' + actual + '"')) {
        throw new IOException("GET " + uri + " delivered content with SHA-256 " + actual
            + " but its ETag is " + etag.get());
      }
    });
  }

  @Override
  public String toString() {
    return "BatchCollector.download(" + directory + ")";
  }
}
