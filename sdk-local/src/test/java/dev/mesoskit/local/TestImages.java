package dev.mesoskit.local;

import java.nio.file.Path;
import java.util.Optional;

/** The test image: {@link BusyboxImage}, imported when missing. */
final class TestImages {
  static final String BUSYBOX = BusyboxImage.NAME;

  private TestImages() {}

  /**
   * Why image tests cannot run here, or empty when podman works and {@value #BUSYBOX} exists
   * (built now if needed).
   */
  static Optional<String> busyboxUnavailable(Path scratch) throws Exception {
    return BusyboxImage.ensure(scratch);
  }
}
