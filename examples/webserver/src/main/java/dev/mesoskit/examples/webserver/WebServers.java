package dev.mesoskit.examples.webserver;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.offers.PackingStrategies;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The scheduler: keeps {@code --instances} web servers running, each on a port taken from an
 * offer, prints each one's URL when it runs, relaunches a server that dies, and kills them all on
 * SIGTERM or Ctrl-C.
 *
 * <p>Exit codes: 0 stopped by SIGTERM/Ctrl-C and every server ended KILLED; 1 a server ended for
 * good (always with {@code --abort-on-failure}) or the framework failed; 2 bad usage; 3 stopped,
 * but not every server confirmed KILLED within {@code --stop-timeout}. A second SIGTERM/Ctrl-C
 * exits at once with 128 + the signal number (143, 130).
 */
@Command(name = "webserver", mixinStandardHelpOptions = true,
    description = "Keeps web servers running on a Mesos cluster (the embedded one by default).")
public final class WebServers implements Callable<Integer> {
  @Option(names = "--master", description = "local, host:port or zk://... (default: ${DEFAULT-VALUE})")
  String master = "local";
  @Option(names = "--driver", description = "http or native (default: ${DEFAULT-VALUE})")
  String driver = "http";
  @Option(names = "--instances", description = "how many servers (default: ${DEFAULT-VALUE})")
  int instances = 1;
  @Option(names = "--text", description = "what the servers answer (default: ${DEFAULT-VALUE})")
  String text = "Hello from Server";
  @Option(names = "--cpus", description = "cpus per server (default: ${DEFAULT-VALUE})")
  double cpus = 0.5;
  @Option(names = "--mem", description = "MB per server (default: ${DEFAULT-VALUE})")
  long memMb = 128;
  @Option(names = "--abort-on-failure", description = "stop everything when a server dies, instead of relaunching it")
  boolean abortOnFailure;
  @Option(names = "--stop-timeout", description = "seconds to wait for the servers to end KILLED on stop (default: ${DEFAULT-VALUE})")
  long stopTimeoutSeconds = 30;
  @Option(names = "--teardown", description = "on stop, also tear the framework down (no failover)")
  boolean teardown;
  @Option(names = "--framework-id-file", description = "where the framework id is kept for failover (default: ~/.mesoskit/frameworks/webserver/framework-id; in memory with --master=local)")
  Path frameworkIdFile;
  @Option(names = "--address", description = "artifact server bind address (default: 127.0.0.1 with --master=local, else 0.0.0.0)")
  String address;
  @Option(names = "--advertise", description = "artifact server host agents reach")
  String advertise;
  @Option(names = "--executor-jar", description = "the jar agents run (default: this jar)")
  Path executorJar;

  private PrintStream out = System.out;
  /** Completed with why the servers stop: a signal, or a server that ended for good. */
  private CompletableFuture<Stop> stop = new CompletableFuture<>();
  /** The attempt of each server whose URL was printed last. */
  private final Map<TaskId, Integer> shown = new ConcurrentHashMap<>();

  /** Why the servers stop. */
  record Stop(String why, boolean failure) {}

  /**
   * Runs the servers until SIGTERM or Ctrl-C; see the class comment for the exit codes.
   *
   * @param args see {@code --help}
   */
  @SuppressWarnings("sunapi") // sun.misc.Signal: stop cleanly before the JVM's shutdown hooks run
  public static void main(String[] args) {
    CompletableFuture<Stop> stop = new CompletableFuture<>();
    for (String name : List.of("TERM", "INT")) {
      sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
        if (!stop.complete(new Stop("SIG" + signal.getName(), false))) {
          System.exit(128 + signal.getNumber()); // a second signal: stop now
        }
      });
    }
    System.exit(run(System.out, stop, args));
  }

  /**
   * Runs the servers until {@code stop} completes or a server ends for good.
   *
   * @param out where URLs and progress go
   * @param stop completed to stop the servers
   * @param args see {@code --help}
   * @return the exit code, see the class comment
   */
  static int run(PrintStream out, CompletableFuture<Stop> stop, String... args) {
    WebServers command = new WebServers();
    command.out = out;
    command.stop = stop;
    PrintWriter writer = new PrintWriter(out, true);
    return new CommandLine(command).setOut(writer).setErr(writer)
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          boolean usage = e instanceof IllegalArgumentException;
          cmd.getErr().println("webserver: " + (usage ? e.getMessage() : e));
          if (!usage) {
            e.printStackTrace(cmd.getErr());
          }
          return usage ? 2 : 1;
        }).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    if (instances < 1) {
      throw new IllegalArgumentException("--instances must be >= 1 but was " + instances);
    }
    if (stopTimeoutSeconds < 0) {
      throw new IllegalArgumentException("--stop-timeout must be >= 0 but was " + stopTimeoutSeconds);
    }
    boolean local = MasterAddress.parse(master).kind() == MasterAddress.Kind.LOCAL;
    Path jar = executorJar != null ? executorJar : Path.of(
        WebServers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException("the executor must be a jar; give --executor-jar, not " + jar);
    }
    ArtifactServer.Builder server = ArtifactServer.builder()
        .directory(Files.createTempDirectory("webserver-artifacts"))
        .bindAddress(address != null ? address : local ? "127.0.0.1" : "0.0.0.0");
    if (advertise != null) {
      server.advertisedHost(advertise);
    }
    Path idFile = frameworkIdFile != null ? frameworkIdFile : Path.of(
        System.getProperty("user.home"), ".mesoskit", "frameworks", "webserver", "framework-id");
    try (ArtifactServer artifacts = server.build().start();
         Framework framework = Framework.builder().name("webserver")
            .backend(Backends.fromArgs("--master=" + master, "--driver=" + driver))
            .frameworkIdStore(local && frameworkIdFile == null ? FrameworkIdStore.inMemory()
                : FrameworkIdStore.file(idFile))
            .packing(PackingStrategies.spread()) // one server per agent while they last
            .retryPolicy(abortOnFailure ? RetryPolicy.none() : RetryPolicy.builder()
                .unlimitedAttempts().maxBackoff(Duration.ofSeconds(30)).build())
            .listener(this::onUpdate).build()) {
      CommandSpec.Builder command = CommandSpec.builder()
          .exec(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
              "-cp", "webserver.jar", WebServerExecutor.class.getName())
          .uri(FetchUri.of(artifacts.publish(jar).toString()).cached().notExtracted()
              .outputFile("webserver.jar"));
      ExecutorSpec executor = new ExecutorSpec("webserver", "webserver executor",
          command.build(), ResourceSpec.of(0.1, 128));
      framework.start();
      Thread watcher = new Thread(() -> { // a framework that ends on its own is a failure
        try {
          framework.awaitTermination();
          stop.complete(new Stop("the framework terminated", true));
        } catch (RuntimeException e) {
          stop.complete(new Stop("the framework failed: " + e.getMessage(), true));
        }
      }, "webserver-watcher");
      watcher.setDaemon(true);
      watcher.start();
      List<TaskId> servers = new ArrayList<>();
      for (int i = 1; i <= instances; i++) {
        servers.add(framework.submit(TaskSpec.builder().id("web-" + i).name("web-" + i)
            .resources("cpus:" + cpus + ";mem:" + memMb + ";ports:1").executor(executor)
            .data(text).build()));
      }
      out.println("webserver: starting " + instances + " server(s) on " + master
          + "; Ctrl-C stops them");
      Stop why = stop.get();
      out.println("webserver: stopping (" + why.why() + ")");
      servers.forEach(framework::kill);
      CompletableFuture<?> ended = CompletableFuture.allOf(
          servers.stream().map(framework::outcome).toArray(CompletableFuture[]::new));
      try {
        ended.get(stopTimeoutSeconds, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        out.println("webserver: not every server ended KILLED within " + stopTimeoutSeconds
            + " s" + (e instanceof ExecutionException ? ": " + e.getCause().getMessage() : ""));
      }
      for (TaskId id : servers) {
        Task task = framework.task(id).orElseThrow();
        out.println("  " + id + " " + (task.done() ? task.state() : "still " + task.state()));
      }
      if ((teardown || why.failure()) && !framework.isTerminated()) {
        framework.finish(); // every server has an outcome: tear down now
        framework.awaitTermination(Duration.ofSeconds(10));
      }
      boolean allKilled = servers.stream()
          .allMatch(id -> framework.task(id).orElseThrow().state() == TaskState.KILLED);
      return why.failure() ? 1 : allKilled ? 0 : 3;
    }
  }

  /** On the event thread: print URLs, deaths and relaunches; stop when a server ends for good. */
  private void onUpdate(Task task) {
    if (task.state() == TaskState.RUNNING && !task.ports().isEmpty()
        && !Integer.valueOf(task.attempt()).equals(shown.put(task.id(), task.attempt()))) {
      out.println(task.id() + " is up at http://" + task.hostname().orElseThrow() + ":"
          + task.ports().get(0) + "/ (attempt " + task.attempt() + ", "
          + task.agentId().orElseThrow() + ")");
    } else if (task.state() == TaskState.PENDING && task.attempt() > 1) {
      out.println(task.id() + " died, relaunching: " + task.message().orElse(""));
    } else if (task.done() && !stop.isDone()) { // not killed by us: nothing will relaunch it
      out.println(task.id() + " ended " + task.state() + ": " + task.message().orElse(""));
      stop.complete(new Stop(task.id() + " ended " + task.state()
          + (abortOnFailure ? ", --abort-on-failure" : ""), true));
    }
  }
}
