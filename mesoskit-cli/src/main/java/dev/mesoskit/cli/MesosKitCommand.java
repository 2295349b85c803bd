package dev.mesoskit.cli;

import dev.mesoskit.local.LocalClusterMain;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code mesoskit} command: {@code agents}, {@code frameworks}, {@code tasks}, {@code logs},
 * {@code teardown} against a Mesos master's v1 operator API, {@code local} to run the local
 * cluster, and {@code generate-completion} for bash and zsh.
 *
 * <p>Exit codes: 0 done, 1 failed (the reason is printed to stderr), 2 wrong usage.
 *
 * <pre>{@code
 * java -jar mesoskit.jar tasks --master=127.0.0.1:5050 --state running
 * source <(java -jar mesoskit.jar generate-completion)
 * }</pre>
 */
@Command(name = "mesoskit", mixinStandardHelpOptions = true,
    versionProvider = MesosKitCommand.Version.class,
    description = "Looks into a Mesos cluster through its v1 operator API, and runs the local"
        + " cluster.",
    subcommands = {AgentsCommand.class, FrameworksCommand.class, TasksCommand.class,
        LogsCommand.class, TeardownCommand.class},
    footer = {"", "Exit codes: 0 done, 1 failed, 2 wrong usage.",
        "Example: mesoskit tasks --master=127.0.0.1:5050 --state running"})
public final class MesosKitCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  private MesosKitCommand() {}

  /**
   * Runs the command line and exits with its exit code.
   *
   * @param args the arguments; {@code --help} lists the commands
   */
  public static void main(String... args) {
    // A command line prints its results, not the libraries' lifecycle logs: warnings and errors
    // only, and nothing of ZooKeeper's reconnect chatter (-D...=info brings them back).
    quietLogger("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    quietLogger("org.slf4j.simpleLogger.log.org.apache.zookeeper", "error");
    quietLogger("org.slf4j.simpleLogger.log.org.apache.curator", "error");
    System.exit(commandLine().execute(args));
  }

  private static void quietLogger(String property, String level) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, level);
    }
  }

  /**
   * The command line, ready to {@link CommandLine#execute execute}; tests set its output.
   *
   * @return a new command line with all subcommands and the error handling of {@code mesoskit}
   */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new MesosKitCommand());
    cl.addSubcommand("local", LocalClusterMain.class);
    cl.getSubcommands().get("local").getCommandSpec().name("local").usageMessage().description(
        "Runs a Mesos-compatible master and agents on loopback until interrupted (the"
            + " standalone local cluster); frameworks and mesoskit connect with the --master it"
            + " prints.");
    cl.addSubcommand("generate-completion", AutoComplete.GenerateCompletion.class);
    cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false)
        .description("Prints a bash/zsh completion script for mesoskit:"
            + " source <(mesoskit generate-completion)");
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      PrintWriter err = line.getErr();
      if (e instanceof CliException) {
        err.println("mesoskit " + line.getCommandName() + ": " + e.getMessage());
      } else {
        err.println("mesoskit " + line.getCommandName() + ": failed: " + e);
        e.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    cl.setParameterExceptionHandler((e, args) -> {
      CommandLine line = e.getCommandLine();
      PrintWriter err = line.getErr();
      err.println("mesoskit: " + e.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
      err.println("Try '" + line.getCommandSpec().qualifiedName() + " --help' for more"
          + " information.");
      err.flush();
      return 2;
    });
    return cl;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The version from the jar's manifest, when there is one. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = MesosKitCommand.class.getPackage().getImplementationVersion();
      return new String[] {"mesoskit " + (version == null ? "(development build)" : version)};
    }
  }
}
