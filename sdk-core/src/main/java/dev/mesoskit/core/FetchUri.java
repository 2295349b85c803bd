package dev.mesoskit.core;

import java.util.Objects;
import java.util.Optional;

/**
 * A file the Mesos fetcher downloads into the sandbox before the command runs
 * ({@code CommandInfo.URI}).
 *
 * <p>The fetcher cache is keyed by URI and never refreshed: give changed content a new URI (the
 * artifact server's content-addressed URIs do that) before setting {@code cache}.
 *
 * @param uri an http(s), file or hdfs URI
 * @param extract unpack archives (tar, gz, bz2, xz, zip); Mesos' default is true
 * @param executable mark the file executable (and do not extract it)
 * @param cache use the agent's fetcher cache
 * @param outputFile the file name in the sandbox, if not the URI's last segment
 */
public record FetchUri(
    String uri, boolean extract, boolean executable, boolean cache, Optional<String> outputFile) {

  /**
   * Validates the fields.
   *
   * @param uri an http(s), file or hdfs URI
   * @param extract unpack archives (tar, gz, bz2, xz, zip); Mesos' default is true
   * @param executable mark the file executable (and do not extract it)
   * @param cache use the agent's fetcher cache
   * @param outputFile the file name in the sandbox, if not the URI's last segment
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public FetchUri {
    Objects.requireNonNull(uri, "uri must not be null");
    Objects.requireNonNull(outputFile, "outputFile must not be null");
    if (uri.isBlank()) {
      throw new IllegalArgumentException("uri must not be blank");
    }
    if (outputFile.isPresent()
        && (outputFile.get().isBlank() || outputFile.get().contains("/")
            || outputFile.get().equals("..") || outputFile.get().equals("."))) {
      throw new IllegalArgumentException(
          "outputFile must be a plain file name but was '" + outputFile.get() + "'");
    }
  }

  /**
   * A URI with Mesos' defaults: extracted, not executable, not cached.
   *
   * @param uri the URI
   * @return the fetch URI
   */
  public static FetchUri of(String uri) {
    return new FetchUri(uri, true, false, false, Optional.empty());
  }

  /**
   * Returns a copy that the fetcher caches.
   *
   * @return the copy
   */
  public FetchUri cached() {
    return new FetchUri(uri, extract, executable, true, outputFile);
  }

  /**
   * Returns a copy that is marked executable and not extracted.
   *
   * @return the copy
   */
  public FetchUri asExecutable() {
    return new FetchUri(uri, false, true, cache, outputFile);
  }

  /**
   * Returns a copy that is not extracted.
   *
   * @return the copy
   */
  public FetchUri notExtracted() {
    return new FetchUri(uri, false, executable, cache, outputFile);
  }

  /**
   * Returns a copy saved under {@code fileName} in the sandbox.
   *
   * @param fileName a plain file name
   * @return the copy
   */
  public FetchUri outputFile(String fileName) {
    return new FetchUri(uri, extract, executable, cache, Optional.of(fileName));
  }
}
