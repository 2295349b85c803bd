package dev.mesoskit.examples.webserver;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.cli.FrameworkMain;
import dev.mesoskit.artifacts.cli.FrameworkOptions;
import dev.mesoskit.artifacts.cli.Monitoring;
import dev.mesoskit.artifacts.cli.UsageException;
import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Service;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.offers.PackingStrategies;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The scheduler: keeps {@code --instances} web servers running, each on a port taken from an
 * offer, prints each one's URL when it runs, relaunches a server that dies, and kills them all on
 * SIGTERM or Ctrl-C. While it runs, it reads commands on stdin: {@code instances N} scales to
 * {@code N} servers, {@code text NEW TEXT} replaces the servers, one at a time, by ones that
 * answer {@code NEW TEXT}; the end of stdin just stops the reading.
 *
 * <p>Exit codes: 0 stopped by SIGTERM/Ctrl-C and every server ended KILLED; 1 a server ended for
 * good (always with {@code --abort-on-failure}) or the framework failed; 2 bad usage; 3 stopped,
 * but not every server confirmed KILLED within {@code --stop-timeout}. A second SIGTERM/Ctrl-C
 * exits at once with 128 + the signal number (143, 130).
 */
@Command(name = "webserver", mixinStandardHelpOptions = true,
    description = "Keeps web servers running on a Mesos cluster (the embedded one by default).",
    footer = "The framework id is kept in ~/.mesoskit/frameworks/webserver/framework-id unless"
        + " --master=local or --framework-id-file.")
public final class WebServers implements Callable<Integer> {
  @Mixin
  FrameworkOptions cluster = new FrameworkOptions();
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
  @Option(names = "--image", paramLabel = "IMAGE", description = "run each server from this"
      + " container image with busybox's httpd (a shell command) instead of the Java executor")
  String image;
  private InputStream in = InputStream.nullInputStream();
  private PrintStream out = System.out;
  /** Completed with the signal that stops the servers. */
  private CompletableFuture<String> stop = new CompletableFuture<>();

  /**
   * Runs the servers until SIGTERM or Ctrl-C; see the class comment for the exit codes.
   *
   * @param args see {@code --help}
   */
  public static void main(String[] args) {
    System.exit(run(System.in, System.out, FrameworkMain.stopOnSignals(), args));
  }

  /**
   * Runs the servers until {@code stop} completes or a server ends for good, reading no commands.
   *
   * @param out where URLs and progress go
   * @param stop completed, with why, to stop the servers
   * @param args see {@code --help}
   * @return the exit code, see the class comment
   */
  static int run(PrintStream out, CompletableFuture<String> stop, String... args) {
    return run(InputStream.nullInputStream(), out, stop, args);
  }

  /**
   * Runs the servers until {@code stop} completes or a server ends for good.
   *
   * @param in the commands, one a line (see the class comment)
   * @param out where URLs and progress go
   * @param stop completed, with why, to stop the servers
   * @param args see {@code --help}
   * @return the exit code, see the class comment
   */
  static int run(InputStream in, PrintStream out, CompletableFuture<String> stop,
      String... args) {
    WebServers command = new WebServers();
    command.in = in;
    command.out = out;
    command.stop = stop;
    return FrameworkMain.run(command, out, args);
  }

  @Override
  public Integer call() {
    if (instances < 1) {
      throw new UsageException("--instances must be >= 1 but was " + instances);
    }
    if (stopTimeoutSeconds < 0) {
      throw new UsageException("--stop-timeout must be >= 0 but was " + stopTimeoutSeconds);
    }
    try (ArtifactServer artifacts = image == null ? cluster.startArtifactServer("webserver")
        : null) {
      // tutorial:begin service
      TaskSpec.Builder server = TaskSpec.builder().name("web")  // web-1, web-2, ...
          .resources("cpus:" + cpus + ";mem:" + memMb + ";ports:1")
          .healthCheck(HealthCheck.builder(Probe.http("/")) // killed, then relaunched, if wedged
              .delay(Duration.ofSeconds(1)).interval(Duration.ofSeconds(2))
              .timeout(Duration.ofSeconds(2)).consecutiveFailures(3).build());
      if (image == null) {
        server.executor(cluster.javaExecutor(artifacts, "webserver", WebServerExecutor.class,
            ResourceSpec.of(0.1, 128), "-Xmx64m")).data(text);
      } else { // PORT0: the task's port, as Marathon names it
        server.container(ContainerSpec.image(image)).env("TEXT", text).command("mkdir -p www"
            + " && printf '%s' \"$TEXT\" > www/index.html && exec httpd -f -p $PORT0 -h www");
      }
      TaskSpec template = server.build();
      Service servers = Service.builder()
          .task(template)
          .instances(instances)
          .retryPolicy(abortOnFailure ? RetryPolicy.none() : Service.RELAUNCH_FOREVER)
          .onRunning(task -> out.println(task.id() + " is up at http://"
              + task.hostname().orElseThrow() + ":" + task.ports().get(0) + "/ (attempt "
              + task.attempt() + ", " + task.agentId().orElseThrow() + ")"))
          .onRelaunch(task -> out.println(task.id() + " died, relaunching: "
              + task.message().orElse("")))
          .onEnd(task -> out.println(task.id() + " ended " + task.state() + ": "
              + task.message().orElse("")))
          .build();
      // tutorial:end service
      try (Framework framework = cluster.framework("webserver")
          .packing(PackingStrategies.spread()) // one server per agent while they last
          .listener(servers).build();
           Monitoring monitoring = cluster.monitor(framework)) { // --status-port, --metrics-port
        framework.start();
        servers.start(framework);
        out.println("webserver: starting " + instances + " server(s) on " + cluster.master()
            + "; Ctrl-C stops them");
        monitoring.describe().forEach(out::println);
        Thread commands = new Thread(() -> readCommands(servers, template), "webserver-stdin");
        commands.setDaemon(true); // the end of stdin stops the reading, not the servers
        commands.start();
        // tutorial:begin stop
        CompletableFuture<String> failed = servers.ended()
            .thenApply(why -> why + (abortOnFailure ? ", --abort-on-failure" : ""));
        String why = CompletableFuture.anyOf(stop, failed).join().toString();
        boolean failure = !why.equals(stop.getNow(null));
        out.println("webserver: stopping (" + why + ")");
        Service.Stopped stopped = servers.stop(Duration.ofSeconds(stopTimeoutSeconds));
        if (!stopped.allEnded()) {
          out.println("webserver: not every server ended KILLED within " + stopTimeoutSeconds + " s");
        }
        stopped.instances().forEach(task -> out.println("  " + task.id() + " "
            + (task.done() ? task.state() : "still " + task.state())));
        if ((teardown || failure) && !framework.isTerminated()) {
          framework.finish(); // every server has an outcome: tear down now
          framework.awaitTermination(Duration.ofSeconds(10));
        }
        return failure ? 1 : stopped.allKilled() ? 0 : 3;
        // tutorial:end stop
      }
    }
  }

  /** Scales or updates the servers on each line of stdin, until its end. */
  // tutorial:begin commands
  private void readCommands(Service servers, TaskSpec template) {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    try {
      for (String line; (line = lines.readLine()) != null; ) {
        String[] words = line.strip().split("\\s+", 2);
        try {
          if (words.length == 2 && words[0].equals("instances") && words[1].matches("\\d{1,9}")) {
            servers.scale(Integer.parseInt(words[1]));
            out.println("scaled to " + servers.instances().size() + ": " + servers.instances()
                .stream().map(TaskId::value).collect(Collectors.joining(" ")));
          } else if (words.length == 2 && words[0].equals("text")) {
            TaskSpec next = image == null ? template.toBuilder().data(words[1]).build()
                : template.toBuilder().env("TEXT", words[1]).build();
            out.println("updating to \"" + words[1] + "\", one server at a time");
            servers.update(next).thenAccept(outcome -> out.println(outcome.completed()
                ? "update done: " + outcome.reason()
                : (outcome.rolledBack() ? "update rolled back: " : "update ended: ")
                    + outcome.reason()));
          } else {
            out.println("usage: instances N | text NEW TEXT");
          }
        } catch (IllegalStateException e) { // an update runs, or the servers are stopping
          out.println("webserver: " + e.getMessage());
        }
      }
    } catch (IOException e) {
      out.println("webserver: stdin failed, no more commands: " + e.getMessage());
    }
  }
  // tutorial:end commands
}
