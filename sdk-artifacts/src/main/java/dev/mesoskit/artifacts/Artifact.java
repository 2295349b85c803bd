package dev.mesoskit.artifacts;

import java.time.Instant;
import java.util.Objects;

/**
 * What a store knows about one stored artifact.
 *
 * @param name the artifact's name, valid by {@link ArtifactNames#check(String)}
 * @param size the content length in bytes
 * @param sha256 the SHA-256 of the content, 64 lower-case hex digits; also the HTTP ETag
 * @param modified when this version was stored
 */
public record Artifact(String name, long size, String sha256, Instant modified) {
  /**
   * Validates the fields.
   *
   * @param name the artifact's name, valid by {@link ArtifactNames#check(String)}
   * @param size the content length in bytes
   * @param sha256 the SHA-256 of the content, 64 lower-case hex digits; also the HTTP ETag
   * @param modified when this version was stored
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public Artifact {
    ArtifactNames.check(name);
    if (size < 0) {
      throw new IllegalArgumentException("size must be >= 0 but was " + size);
    }
    Objects.requireNonNull(sha256, "sha256 must not be null");
    if (!Digests.isSha256(sha256)) {
      throw new IllegalArgumentException(
          "sha256 must be 64 lower-case hex digits but was '" + sha256 + "'");
    }
    Objects.requireNonNull(modified, "modified must not be null");
  }
}
