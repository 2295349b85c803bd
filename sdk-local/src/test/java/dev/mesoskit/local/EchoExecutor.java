package dev.mesoskit.local;

import dev.mesoskit.core.executor.ExecutorMain;
import dev.mesoskit.core.executor.PermanentFailure;
import java.nio.file.Files;

/**
 * The custom executor of the ITs, run as a real process by the local agents from a jar they
 * fetch over HTTP. A task's data says what to do: {@code finish}, {@code sleep:MILLIS},
 * {@code fail} (a plain exception) or {@code invalid} (a permanent failure).
 */
public final class EchoExecutor {
  private EchoExecutor() {}

  /**
   * Runs the executor until the agent shuts it down.
   *
   * @param args passed to {@link ExecutorMain}
   */
  public static void main(String[] args) {
    System.exit(ExecutorMain.run(args, ctx -> {
      String what = ctx.dataAsString();
      Files.writeString(ctx.sandbox().resolve(ctx.mesosTaskId() + ".txt"), what);
      ctx.progress("working on " + what);
      if (what.startsWith("sleep:")) {
        Thread.sleep(Long.parseLong(what.substring(6)));
      } else if (what.equals("fail")) {
        throw new IllegalStateException("asked to fail");
      } else if (what.equals("invalid")) {
        throw new PermanentFailure("this input can never work");
      }
    }));
  }
}
