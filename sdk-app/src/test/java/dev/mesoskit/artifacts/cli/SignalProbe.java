package dev.mesoskit.artifacts.cli;

import java.util.concurrent.CompletableFuture;

/** A child JVM for {@link FrameworkMainTest}: reports the stop request a signal makes. */
final class SignalProbe {
  private SignalProbe() {}

  public static void main(String[] args) throws Exception {
    CompletableFuture<String> stop = FrameworkMain.stopOnSignals();
    System.out.println("ready");
    System.out.println("stop requested by " + stop.get());
    if (args.length > 0 && args[0].equals("linger")) {
      Thread.sleep(60_000); // until a second signal ends it
    }
    System.exit(0);
  }
}
