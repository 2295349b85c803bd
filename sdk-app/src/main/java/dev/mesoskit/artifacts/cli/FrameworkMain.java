package dev.mesoskit.artifacts.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;

/**
 * Runs a framework program's picocli command with the exit-code convention of MesosKit's
 * programs, and turns SIGTERM/Ctrl-C into a stop request.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   System.exit(FrameworkMain.run(new InvertImages(), System.out, args));
 * }
 * }</pre>
 *
 * <p>Exit codes: what the command's {@code call()} returns; {@value #USAGE} for bad usage (an
 * unknown option, a value picocli cannot convert, or a {@link UsageException} thrown by
 * {@code call()}, printed as {@code <program>: <message>}); {@value #FAILURE} for any other
 * exception: a {@code MesosKitException} (the SDK's report of what failed and what to do, e.g.
 * another scheduler holding the state store) printed as {@code <program>: <message>} and a
 * {@code caused by:} line per cause, any other with its type and stack trace. Only the command
 * line is the user's mistake:
 * an {@link IllegalArgumentException} of the SDK (a duplicate task id, say) is the program's, so
 * it is a failure.
 */
public final class FrameworkMain {
  /** The exit code of bad usage. */
  public static final int USAGE = 2;

  /** The exit code of a program that failed with an exception. */
  public static final int FAILURE = 1;

  /** How long after a relaunched JVM's first SIGTERM one more is the same signal. */
  static final int SAME_SIGNAL_SECONDS = 2;

  private FrameworkMain() {}

  /**
   * Parses {@code args} into {@code command} and runs it.
   *
   * @param command a picocli {@code @Command} that is a {@code Callable<Integer>} or a
   *     {@code Runnable}
   * @param out where help, usage errors and failures are printed
   * @param args the command line
   * @return the exit code
   */
  public static int run(Object command, PrintStream out, String... args) {
    Objects.requireNonNull(command, "command must not be null");
    PrintWriter writer = new PrintWriter(out, true);
    return new CommandLine(command).setOut(writer).setErr(writer)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          if (e instanceof UsageException) {
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            return USAGE;
          }
          if (e instanceof dev.mesoskit.core.MesosKitException) {
            // The SDK's own failures say what happened and what to do: the message is the
            // report (with its causes'), not a stack trace.
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
              cmd.getErr().println("  caused by: " + c);
            }
            return FAILURE;
          }
          cmd.getErr().println(cmd.getCommandName() + ": " + e);
          e.printStackTrace(cmd.getErr());
          return FAILURE;
        }).execute(args);
  }

  /**
   * Turns the first SIGTERM or SIGINT (Ctrl-C) into a stop request, so that a program can stop
   * its tasks cleanly while everything still runs (the JVM's shutdown hooks, which run on a
   * signal otherwise, may already stop an embedded cluster). A second signal exits at once with
   * 128 + the signal's number (143, 130).
   *
   * <p>In a JVM started by {@link Relaunch}, one SIGTERM more within two seconds of the first is
   * taken as the same signal: a SIGTERM to
   * the process group (GNU {@code timeout}, systemd, {@code kill -TERM -<pgid>}) reaches this JVM
   * twice, directly and passed on by the waiting parent. A third, or a second one later, exits.
   *
   * <p>Call it once, from a {@code main} that ends with {@code System.exit}: after it, the JVM no
   * longer exits on these signals by itself.
   *
   * @return completed with {@code "SIGTERM"} or {@code "SIGINT"} at the first signal
   */
  public static CompletableFuture<String> stopOnSignals() {
    CompletableFuture<String> stop = new CompletableFuture<>();
    StopSignals signals = new StopSignals(System.getProperty(Relaunch.CHILD_PROPERTY) != null);
    for (String name : List.of("TERM", "INT")) {
      Signals.handle(name, number -> {
        switch (signals.deliver("SIG" + name, System.nanoTime())) {
          case STOP -> stop.complete("SIG" + name);
          case SAME -> { } // the group's SIGTERM, passed on by the relaunching parent
          case EXIT -> System.exit(128 + number); // a second signal: stop now
          default -> throw new AssertionError(name);
        }
      });
    }
    return stop;
  }

  /** What a signal to {@link #stopOnSignals} does. */
  static final class StopSignals {
    enum Outcome { STOP, SAME, EXIT }

    private final boolean relaunched;
    private String first;
    private long firstAt;
    private boolean repeated;

    /** @param relaunched whether a {@link Relaunch} parent passes its SIGTERM on to this JVM */
    StopSignals(boolean relaunched) {
      this.relaunched = relaunched;
    }

    /**
     * @param name {@code SIGTERM}, {@code SIGINT}
     * @param nanos {@link System#nanoTime()} now
     * @return what the signal does
     */
    synchronized Outcome deliver(String name, long nanos) {
      if (first == null) {
        first = name;
        firstAt = nanos;
        return Outcome.STOP;
      }
      if (relaunched && !repeated && name.equals("SIGTERM") && first.equals(name)
          && nanos - firstAt <= SAME_SIGNAL_SECONDS * 1_000_000_000L) {
        repeated = true;
        return Outcome.SAME;
      }
      return Outcome.EXIT;
    }
  }
}
