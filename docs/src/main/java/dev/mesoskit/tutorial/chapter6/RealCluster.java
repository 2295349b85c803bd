package dev.mesoskit.tutorial.chapter6;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Chapter 6's program: a framework set up the way a real multi-node cluster needs it. The master
 * may be a ZooKeeper URL, the driver native, the framework authenticated; the artifact server
 * advertises an address agents can reach; the framework id is kept in a file and the master keeps
 * the tasks for a failover timeout. Its one task fetches a file from the artifact server and
 * checks its content, so it finishes only if the agent reached the advertised address.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter6.RealCluster --master=local
 * </pre>
 */
@Command(name = "real-cluster", mixinStandardHelpOptions = true,
    description = "Runs one task that fetches a file from the artifact server.")
public final class RealCluster implements Callable<Integer> {
  @Option(names = "--master", description = "local, host:port[,host:port], http(s)://host:port"
      + " or zk://host:port[,host:port]/path (default: ${DEFAULT-VALUE})")
  String master = "local";

  @Option(names = "--driver", description = "http or native (default: ${DEFAULT-VALUE})")
  String driver = "http";

  @Option(names = "--principal", description = "authenticate as this principal")
  String principal;

  @Option(names = "--secret-file", description = "file holding the principal's secret")
  Path secretFile;

  @Option(names = "--state-dir", description = "framework id and artifacts (default:"
      + " ${DEFAULT-VALUE})")
  Path stateDir = Path.of("tutorial-state");

  @Option(names = "--bind", description = "artifact server bind address (default: 127.0.0.1"
      + " with --master=local, else 0.0.0.0)")
  String bind;

  @Option(names = "--advertise", description = "artifact server host agents connect to"
      + " (default: the bind address, or this machine's host name when binding 0.0.0.0)")
  String advertise;

  @Option(names = "--failover-timeout", description = "how long the master keeps the tasks"
      + " after this scheduler disconnects, ISO-8601 (default: ${DEFAULT-VALUE})")
  Duration failoverTimeout = Duration.ofDays(7);

  private PrintStream out = System.out;

  private RealCluster() {}

  /**
   * Runs the program and exits with its status.
   *
   * @param args the options; {@code --help} lists them
   */
  public static void main(String[] args) {
    System.exit(run(System.out, args));
  }

  /**
   * Runs the program.
   *
   * @param out where progress is printed
   * @param args the options; {@code --help} lists them
   * @return 0 if the task finished, 1 if not, 2 for bad options
   */
  public static int run(PrintStream out, String... args) {
    RealCluster program = new RealCluster();
    program.out = out;
    PrintWriter writer = new PrintWriter(out, true);
    return new CommandLine(program).setOut(writer).setErr(writer).execute(args);
  }

  /**
   * The options as a picocli command, e.g. to list them.
   *
   * @return a new command line over a program with default options
   */
  public static CommandLine commandLine() {
    return new CommandLine(new RealCluster());
  }

  /**
   * Runs the task; called by picocli with the options set.
   *
   * @return 0 if the task finished, 1 if not
   * @throws IOException if the state directory cannot be written
   */
  @Override
  public Integer call() throws IOException {
    boolean local = MasterAddress.parse(master).kind() == MasterAddress.Kind.LOCAL;
    // tutorial:begin backend
    Backends.Builder backend = Backends.builder()
        .master(master)                                  // local, host:port, zk://host:2181/mesos
        .driver(Backends.Driver.valueOf(driver.toUpperCase(Locale.ROOT)));
    if (principal != null) {
      backend.principal(principal).secretFile(secretFile); // HTTP Basic, or SASL with native
    }
    // tutorial:end backend
    // tutorial:begin artifacts
    ArtifactServer.Builder server = ArtifactServer.builder()
        .directory(stateDir.resolve("artifacts"))
        .bindAddress(bind != null ? bind : local ? "127.0.0.1" : "0.0.0.0");
    if (advertise != null) {
      server.advertisedHost(advertise);                  // a name every agent can resolve
    }
    // tutorial:end artifacts
    Path idFile = stateDir.resolve("framework-id");
    Files.createDirectories(stateDir);
    // tutorial:begin framework
    try (ArtifactServer artifacts = server.build().start();
         Framework framework = Framework.builder()
             .name("real-cluster")
             .backend(backend.build())
             .failoverTimeout(failoverTimeout)           // Mesos' default 0 kills the tasks
             .frameworkIdStore(FrameworkIdStore.file(idFile))
             .build()) {
      Path greeting = Files.writeString(stateDir.resolve("greeting.txt"), "hello\n");
      URI uri = artifacts.publish(greeting);             // http://<advertised>:<port>/artifacts/<sha256>/greeting.txt
      out.println("artifact " + uri);
      framework.start();
      TaskId id = framework.submit(TaskSpec.builder()
          .name("fetch-greeting")
          .resources("cpus:0.1;mem:32")
          .command(CommandSpec.builder()
              .shell("grep -qx hello greeting.txt")      // fetched into the sandbox first
              .uri(FetchUri.of(uri.toString()))
              .build())
          .build());
      Task task = framework.outcome(id).join();
      out.println("framework " + framework.frameworkId().orElseThrow() + " kept in " + idFile
          + " while it runs");
      out.println(task.name() + " " + task.state() + task.message().map(m -> ": " + m).orElse(""));
      framework.finish();                                // teardown: the stored id is cleared
      framework.awaitTermination();
      out.println("torn down, " + idFile + (Files.exists(idFile) ? " still exists" : " removed"));
      return task.state() == TaskState.FINISHED ? 0 : 1;
    }
    // tutorial:end framework
  }
}
