package dev.mesoskit.artifacts.cli;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A child JVM for {@link RelaunchTest}: relaunches itself with the C1 compiler only, then says
 * which JVM runs it and exits with the status its first argument names ({@code stop}: waits for
 * a stop request first; {@code slow-stop}: then a second more; {@code unstartable}: fails to
 * start a child, then waits; {@code host}: runs {@link Hosted}).
 */
final class RelaunchProbe {
  private RelaunchProbe() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("host")) { // another program's main called in this JVM, without arguments
      Hosted.main(new String[0]);
    }
    if (args[0].equals("unstartable")) { // a child that cannot start: the JVM's own signals
      try {
        Relaunch.run(List.of("/nonexistent/bin/java"));
      } catch (java.io.IOException e) {
        System.out.println("running in this JVM");
      }
      Thread.sleep(120_000);
      System.exit(1);
    }
    Relaunch.withOptions("probe", List.of("-XX:TieredStopAtLevel=1"), args);
    CompletableFuture<String> stop = FrameworkMain.stopOnSignals();
    List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
    System.out.println("pid " + ProcessHandle.current().pid() + " child "
        + (System.getProperty(Relaunch.CHILD_PROPERTY) != null) + " C1 only "
        + jvm.contains("-XX:TieredStopAtLevel=1") + " args " + List.of(args));
    if (args[0].equals("stop") || args[0].equals("slow-stop")) {
      System.out.println("stop requested by " + stop.get());
      if (args[0].equals("slow-stop")) {
        Thread.sleep(1000); // a clean stop takes a while: tasks to kill, a store to close
        System.out.println("stopped");
      }
      System.exit(0);
    }
    if (args[0].equals("wait")) {
      Thread.sleep(120_000);
    }
    System.exit(Integer.parseInt(args[0]));
  }

  /** A program whose {@code main} {@code RelaunchProbe host} calls. */
  static final class Hosted {
    private Hosted() {}

    public static void main(String[] args) {
      Relaunch.withOptions("hosted", List.of("-XX:TieredStopAtLevel=1"), args);
      System.out.println("hosted child " + (System.getProperty(Relaunch.CHILD_PROPERTY) != null));
      System.exit(0);
    }
  }
}
