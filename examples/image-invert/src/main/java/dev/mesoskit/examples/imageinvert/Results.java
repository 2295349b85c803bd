package dev.mesoskit.examples.imageinvert;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The finished images of a batch, kept exactly once across restarts: an inverse is downloaded
 * from the artifact server into a temporary file and moved into the output directory atomically,
 * and only then is {@code <state dir>/<output name>.done} written (also temp-then-move). An image
 * with a {@code .done} file and its output is never redone; one without is redone and replaces
 * whatever half result a crash left.
 */
final class Results {
  private final Path output;
  private final Path state;

  Results(Path output, Path state) throws IOException {
    this.output = Files.createDirectories(output);
    this.state = Files.createDirectories(state);
  }

  boolean isDone(String name) {
    return Files.isRegularFile(state.resolve(name + ".done"))
        && Files.isRegularFile(output.resolve(name));
  }

  /** Downloads the uploaded inverse, moves it in place, then records it. */
  void collect(String name, URI uploaded, URI source) throws IOException, InterruptedException {
    Path tmp = Files.createTempFile(output, "." + name, ".part");
    try {
      HttpResponse<InputStream> get = Uploads.HTTP.send(HttpRequest.newBuilder(uploaded).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = get.body()) {
        if (get.statusCode() != 200) {
          throw new IOException("cannot fetch " + uploaded + ": HTTP " + get.statusCode());
        }
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(tmp, output.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      Path record = Files.createTempFile(state, "." + name, ".part");
      Files.write(record, List.of(source.toString(),
          Digests.sha256(Files.readAllBytes(output.resolve(name)))));
      Files.move(record, state.resolve(name + ".done"), StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  Path output() {
    return output;
  }
}
