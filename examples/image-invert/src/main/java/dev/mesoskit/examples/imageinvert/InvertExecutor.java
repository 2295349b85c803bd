package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.core.executor.ExecutorMain;
import dev.mesoskit.core.executor.PermanentFailure;
import dev.mesoskit.core.executor.TaskContext;
import dev.mesoskit.core.executor.TaskHandler;
import dev.mesoskit.core.spi.ArtifactPublisher;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The executor: one task downloads one image, inverts it and uploads the inverse to the artifact
 * server as {@code inverted/<output name>}. Task data is {@code <source URI>\n<output name>}.
 * Bad input fails the task with a {@link PermanentFailure} (not retried); network trouble with an
 * ordinary exception (retried).
 */
public final class InvertExecutor implements TaskHandler {
  static final String ENV_MAX_BYTES = "INVERT_MAX_BYTES";
  static final String ENV_MAX_PIXELS = "INVERT_MAX_PIXELS";

  /**
   * Runs the executor until the agent shuts it down.
   *
   * @param args none needed
   */
  public static void main(String[] args) {
    System.exit(ExecutorMain.run(args, new InvertExecutor()));
  }

  @Override
  public void run(TaskContext ctx) throws Exception {
    String[] data = ctx.dataAsString().split("\n");
    URI source = URI.create(data[0]);
    long maxBytes = Long.parseLong(ctx.env().get(ENV_MAX_BYTES));
    byte[] image = download(source, maxBytes);
    ctx.progress("inverting " + image.length + " bytes from " + source);
    byte[] inverse = Inversion.invert(image, data[1],
        Long.parseLong(ctx.env().get(ENV_MAX_PIXELS)));
    Uploads.put(System.getenv(ArtifactPublisher.ENV_URL),
        System.getenv(ArtifactPublisher.ENV_TOKEN), data[1], inverse);
  }

  private static byte[] download(URI source, long maxBytes) throws IOException, InterruptedException {
    InputStream in;
    if (source.getScheme().startsWith("http")) {
      HttpResponse<InputStream> get;
      try {
        get = Uploads.HTTP.send(HttpRequest.newBuilder(source).timeout(Duration.ofMinutes(2))
            .build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) { // unreachable, reset, timed out: worth another attempt
        throw new IOException("download of " + source + " failed: " + e, e);
      }
      int status = get.statusCode();
      if (status / 100 != 2) {
        get.body().close();
        String why = "download of " + source + " failed: HTTP " + status;
        if (status / 100 == 4) {
          throw new PermanentFailure(why);
        }
        throw new IOException(why);
      }
      in = get.body();
    } else {
      in = source.toURL().openStream();
    }
    try (in) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new PermanentFailure("image too large: " + source + " has more than " + maxBytes
            + " bytes (--max-bytes)");
      }
      return bytes;
    }
  }
}
