package dev.mesoskit.local;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's fetcher: brings every {@code CommandInfo.URI} into a sandbox before an executor or a
 * command task starts, like mesos-fetcher. Sources: {@code http(s)://}, {@code file://} and
 * absolute paths. {@code extract} (default true) unpacks recognised archives into the sandbox,
 * {@code executable} makes the file executable instead, {@code output_file} renames it, and
 * {@code cache} downloads a URI once per user into the agent's cache directory and copies it from
 * there ever after: the cache never refreshes, so changed content needs a new URI.
 *
 * <p>Threading: {@link #fetch} may run concurrently for different sandboxes; concurrent fetches of
 * the same cached URI download it once.
 */
final class Fetcher {
  private static final Logger LOG = LoggerFactory.getLogger(Fetcher.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  private final Path cacheDirectory;
  private final HttpClient http;
  /** Where http(s) downloads run: in this JVM, or with curl in the agent's namespace. */
  private final AgentNetwork network;
  private final AtomicLong serial = new AtomicLong();
  private final Map<String, Object> cacheLocks = new ConcurrentHashMap<>();
  private final Map<String, Path> cache = new ConcurrentHashMap<>();

  /**
   * A fetcher.
   *
   * @param cacheDirectory the agent's fetcher cache
   * @param http the client for http(s) URIs
   */
  Fetcher(Path cacheDirectory, HttpClient http) {
    this(cacheDirectory, http, AgentNetwork.HOST);
  }

  /**
   * A fetcher of an agent that may live in a network namespace of its own.
   *
   * @param cacheDirectory the agent's fetcher cache
   * @param http the client for http(s) URIs on this machine's network
   * @param network where the agent lives: isolated, http(s) URIs are fetched in its namespace
   */
  Fetcher(Path cacheDirectory, HttpClient http, AgentNetwork network) {
    this.cacheDirectory = cacheDirectory;
    this.http = http;
    this.network = network;
  }

  /** Why a fetch failed; the message names the URI, as mesos-fetcher's does. */
  static final class FetchException extends Exception {
    FetchException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Fetches URIs into a sandbox, in order; stops at the first failure.
   *
   * @param uris the URIs
   * @param sandbox the sandbox (exists)
   * @param user the user the cache is keyed by (may be empty)
   * @param log the sandbox's fetcher log (its stderr)
   * @throws FetchException {@code Failed to fetch '<uri>': <error>}
   */
  void fetch(List<CommandInfo.URI> uris, Path sandbox, String user, PrintWriter log)
      throws FetchException {
    for (CommandInfo.URI uri : uris) {
      log.println("Fetching URI '" + uri.getValue() + "'");
      try {
        Path fetched = uri.getCache()
            ? fetchThroughCache(uri, sandbox, user, log)
            : fetchBypassingCache(uri, sandbox, log);
        log.println("Fetched '" + uri.getValue() + "' to '" + fetched + "'");
      } catch (IOException e) {
        String message = "Failed to fetch '" + uri.getValue() + "': " + Archives.describe(e);
        log.println(message);
        log.flush();
        throw new FetchException(message, e);
      }
    }
    log.flush();
  }

  private Path fetchBypassingCache(CommandInfo.URI uri, Path sandbox, PrintWriter log)
      throws IOException {
    Path destination = destination(uri, sandbox);
    download(uri.getValue(), destination);
    return finish(uri, destination, sandbox, log);
  }

  private Path finish(CommandInfo.URI uri, Path downloaded, Path sandbox, PrintWriter log)
      throws IOException {
    if (uri.getExecutable()) {
      makeExecutable(downloaded);
    } else if (uri.getExtract()) {
      if (Archives.extract(downloaded, sandbox)) {
        log.println("Extracted '" + downloaded + "' into '" + sandbox + "'");
      }
    }
    return downloaded;
  }

  private Path fetchThroughCache(CommandInfo.URI uri, Path sandbox, String user, PrintWriter log)
      throws IOException {
    String key = user + "\0" + uri.getValue();
    Path cached;
    synchronized (cacheLocks.computeIfAbsent(key, k -> new Object())) {
      cached = cache.get(key);
      if (cached == null || !Files.exists(cached)) {
        Files.createDirectories(cacheDirectory);
        Path file = cacheDirectory.resolve("c" + serial.incrementAndGet() + "-" + basename(uri.getValue()));
        long size = download(uri.getValue(), file);
        if (size <= 0) {
          // Mesos caches only what reports a positive size up front; otherwise it bypasses the cache
          LOG.warn("Bypassing the fetcher cache: no positive Content-Length uri={}", uri.getValue());
          Path destination = destination(uri, sandbox);
          Files.move(file, destination, StandardCopyOption.REPLACE_EXISTING);
          return finish(uri, destination, sandbox, log);
        }
        cache.put(key, file);
        cached = file;
      } else {
        log.println("Fetching URI '" + uri.getValue() + "' from cache");
      }
    }
    Path destination = destination(uri, sandbox);
    if (uri.getExecutable()) {
      Files.copy(cached, destination, StandardCopyOption.REPLACE_EXISTING);
      makeExecutable(destination);
      return destination;
    }
    if (uri.getExtract() && Archives.extract(cached, sandbox)) {
      log.println("Extracted '" + cached + "' into '" + sandbox + "'");
      return sandbox;
    }
    Files.copy(cached, destination, StandardCopyOption.REPLACE_EXISTING);
    return destination;
  }

  /** Where a URI lands in the sandbox: its output_file, or the last path segment of the URI. */
  private static Path destination(CommandInfo.URI uri, Path sandbox) throws IOException {
    String name;
    if (uri.hasOutputFile()) {
      name = uri.getOutputFile();
      if (name.isEmpty()) {
        throw new IOException("URI output file path is empty");
      }
      Path target = sandbox.resolve(name).normalize();
      if (Path.of(name).isAbsolute() || !target.startsWith(sandbox.normalize())) {
        throw new IOException("URI output file must be within the sandbox directory");
      }
      Files.createDirectories(target.getParent());
      return target;
    }
    name = basename(uri.getValue());
    return sandbox.resolve(name);
  }

  /** mesos' Fetcher::basename: after the last '/', query and all. */
  static String basename(String uri) throws IOException {
    if (uri.indexOf('\\') >= 0 || uri.indexOf('\'') >= 0 || uri.indexOf('\0') >= 0) {
      throw new IOException("Illegal characters in URI");
    }
    int scheme = uri.indexOf("://");
    if (scheme > 1) {
      String path = uri.substring(scheme + 3);
      int slash = path.indexOf('/');
      if (slash < 0 || path.length() <= slash + 1) {
        throw new IOException("Malformed URI (missing path): " + uri);
      }
      return path.substring(path.lastIndexOf('/') + 1);
    }
    String trimmed = uri;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  /**
   * Downloads or copies a URI to a file.
   *
   * @return the size the source reported up front (Content-Length, or the file size); -1 unknown
   */
  private long download(String value, Path destination) throws IOException {
    String source = value.stripLeading();
    boolean fileUri = source.startsWith("file://");
    if (fileUri || !source.contains("://")) {
      String path = fileUri ? source.substring("file://".length()) : source;
      if (path.startsWith("localhost")) {
        path = path.substring("localhost".length());
      }
      if (!path.startsWith("/")) {
        throw new IOException(fileUri
            ? "File URI only supports absolute paths"
            : "A relative path was passed for the resource but the Mesos framework home was not"
                + " specified. Please either provide this config option or avoid using a relative"
                + " path");
      }
      Path file = Path.of(path);
      try {
        Files.copy(file, destination, StandardCopyOption.REPLACE_EXISTING);
      } catch (NoSuchFileException e) {
        throw new IOException("Failed to copy '" + path + "': No such file or directory", e);
      }
      return Files.size(destination);
    }
    if (source.startsWith("http://") || source.startsWith("https://")) {
      return network.isolated() ? network.download(source, destination)
          : downloadHttp(source, destination);
    }
    throw new IOException("Unsupported URI scheme: a local agent fetches http, https, file and"
        + " absolute paths");
  }

  private long downloadHttp(String source, Path destination) throws IOException {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(new URI(source)).timeout(REQUEST_TIMEOUT).GET().build();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IOException("Error downloading resource: " + e.getMessage(), e);
    }
    HttpResponse<Path> response;
    try {
      response = http.send(request, info -> info.statusCode() == 200
          ? HttpResponse.BodySubscribers.ofFile(destination)
          : HttpResponse.BodySubscribers.replacing(null));
    } catch (IOException e) {
      Files.deleteIfExists(destination);
      throw new IOException("Error downloading resource: " + Archives.describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Error downloading resource: interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("Error downloading resource, received HTTP return code "
          + response.statusCode());
    }
    return response.headers().firstValueAsLong("Content-Length").orElse(-1);
  }

  private static void makeExecutable(Path file) throws IOException {
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
