package dev.mesoskit.artifacts;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;

/**
 * An opened artifact: its metadata and a channel over exactly the bytes that metadata describes.
 * Close it when done.
 *
 * @param artifact the metadata of the opened version
 * @param channel the bytes, positioned at 0, {@code artifact.size()} long
 */
public record ArtifactContent(Artifact artifact, SeekableByteChannel channel)
    implements Closeable {

  /**
   * Validates the fields.
   *
   * @param artifact the metadata of the opened version
   * @param channel the bytes, positioned at 0, {@code artifact.size()} long
   * @throws NullPointerException if a required field is null
   */
  public ArtifactContent {
    Objects.requireNonNull(artifact, "artifact must not be null");
    Objects.requireNonNull(channel, "channel must not be null");
  }

  /** Closes the channel. */
  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close artifact: name=" + artifact.name(), e);
    }
  }
}
