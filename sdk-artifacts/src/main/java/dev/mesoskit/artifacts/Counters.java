package dev.mesoskit.artifacts;

import java.util.concurrent.atomic.LongAdder;

/** The live counters behind {@link ArtifactServerMetrics}; safe from any thread. */
final class Counters {
  final LongAdder bytesServed = new LongAdder();
  final LongAdder downloads = new LongAdder();
  final LongAdder uploads = new LongAdder();
  final LongAdder bytesUploaded = new LongAdder();
  final LongAdder rejects = new LongAdder();
  final LongAdder notFound = new LongAdder();

  ArtifactServerMetrics snapshot() {
    return new ArtifactServerMetrics(bytesServed.sum(), downloads.sum(), uploads.sum(),
        bytesUploaded.sum(), rejects.sum(), notFound.sum());
  }

  /** Counts a response Jetty or the handler produced for a refused request, by status. */
  void countRefusal(int status) {
    switch (status) {
      case 400, 401, 405, 409, 413, 414, 431 -> rejects.increment();
      case 404, 410 -> notFound.increment();
      default -> {
        // not a refusal: 304, 412, 416 and 5xx are counted nowhere
      }
    }
  }
}
