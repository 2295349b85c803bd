package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.core.executor.ExecutorMain;
import java.net.URI;

/**
 * The executor: one task downloads one image, inverts it and uploads the inverse to the artifact
 * server as {@code inverted/<output name>}. Task data is {@code <source URI>\n<output name>}.
 * Bad input fails the task with a {@link dev.mesoskit.core.executor.PermanentFailure} (not
 * retried), network trouble with an ordinary exception (retried).
 */
public final class InvertExecutor {
  static final String ENV_MAX_BYTES = "INVERT_MAX_BYTES";
  static final String ENV_MAX_PIXELS = "INVERT_MAX_PIXELS";

  private InvertExecutor() {}

  /**
   * Runs the executor until the agent shuts it down.
   *
   * @param args none needed
   */
  public static void main(String[] args) {
    // tutorial:begin handler
    System.exit(ExecutorMain.run(args, ctx -> {
      String[] data = ctx.dataAsString().split("\n", 2);
      byte[] image = ctx.download(URI.create(data[0]), Long.parseLong(ctx.env().get(ENV_MAX_BYTES)));
      ctx.progress("inverting " + image.length + " bytes from " + data[0]);
      byte[] inverse = Inversion.invert(image, data[1], Long.parseLong(ctx.env().get(ENV_MAX_PIXELS)));
      ctx.upload("inverted/" + data[1], inverse);
    }));
    // tutorial:end handler
  }
}
