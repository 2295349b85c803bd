package dev.mesoskit.artifacts;

/**
 * The counters of an {@link ArtifactServer} since it started, as one consistent-enough snapshot;
 * the server also serves them on {@code GET /metrics} in the Prometheus text format.
 *
 * @param bytesServed bytes of artifact content sent in GET responses
 *     ({@code mesoskit_artifacts_served_bytes_total})
 * @param downloads GET responses that started sending content, 200 or 206
 *     ({@code mesoskit_artifacts_downloads_total})
 * @param uploads uploads stored ({@code mesoskit_artifacts_uploads_total})
 * @param bytesUploaded bytes of artifact content stored by uploads
 *     ({@code mesoskit_artifacts_uploaded_bytes_total})
 * @param rejects requests refused as bad or unauthorized: 400, 401, 405, 409, 413, 414, 431
 *     ({@code mesoskit_artifacts_rejects_total})
 * @param notFound requests for artifacts or paths that do not exist (404), or no longer hold
 *     the bytes their content address names (410)
 *     ({@code mesoskit_artifacts_not_found_total})
 */
public record ArtifactServerMetrics(
    long bytesServed, long downloads, long uploads, long bytesUploaded, long rejects,
    long notFound) {

  /**
   * Validates the fields.
   *
   * @param bytesServed bytes of artifact content sent in GET responses
   *     ({@code mesoskit_artifacts_served_bytes_total})
   * @param downloads GET responses that started sending content, 200 or 206
   *     ({@code mesoskit_artifacts_downloads_total})
   * @param uploads uploads stored ({@code mesoskit_artifacts_uploads_total})
   * @param bytesUploaded bytes of artifact content stored by uploads
   *     ({@code mesoskit_artifacts_uploaded_bytes_total})
   * @param rejects requests refused as bad or unauthorized: 400, 401, 405, 409, 413, 414, 431
   *     ({@code mesoskit_artifacts_rejects_total})
   * @param notFound requests for artifacts or paths that do not exist (404), or no longer hold
   *     the bytes their content address names (410)
   *     ({@code mesoskit_artifacts_not_found_total})
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   */
  public ArtifactServerMetrics {
    if (bytesServed < 0 || downloads < 0 || uploads < 0 || bytesUploaded < 0 || rejects < 0
        || notFound < 0) {
      throw new IllegalArgumentException("counters must be >= 0 but were " + bytesServed + ", "
          + downloads + ", " + uploads + ", " + bytesUploaded + ", " + rejects + ", " + notFound);
    }
  }

  /**
   * The counters in the Prometheus text exposition format (version 0.0.4).
   *
   * @return the text, one {@code # HELP}, {@code # TYPE} and sample per counter
   */
  public String prometheusText() {
    StringBuilder out = new StringBuilder(1024);
    counter(out, "mesoskit_artifacts_served_bytes_total",
        "Bytes of artifact content sent in GET responses.", bytesServed);
    counter(out, "mesoskit_artifacts_downloads_total",
        "GET responses that started sending artifact content.", downloads);
    counter(out, "mesoskit_artifacts_uploads_total", "Uploads stored.", uploads);
    counter(out, "mesoskit_artifacts_uploaded_bytes_total",
        "Bytes of artifact content stored by uploads.", bytesUploaded);
    counter(out, "mesoskit_artifacts_rejects_total",
        "Requests refused as bad or unauthorized.", rejects);
    counter(out, "mesoskit_artifacts_not_found_total",
        "Requests for artifacts or paths that do not exist, or no longer hold the bytes their"
            + " content address names.", notFound);
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    out.append(name).append(' ').append(value).append('\n');
  }
}
