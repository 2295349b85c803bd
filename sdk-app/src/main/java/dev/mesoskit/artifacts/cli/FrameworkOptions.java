package dev.mesoskit.artifacts.cli;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.JavaExecutor;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.StateStore;
import dev.mesoskit.metrics.FrameworkMetrics;
import dev.mesoskit.status.StatusPage;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The command-line options every framework program shares, as a picocli mixin: where the master
 * is and how to talk to it, where the framework id is kept, and the artifact server agents fetch
 * the executor from.
 *
 * <pre>{@code
 * @Command(name = "webserver", mixinStandardHelpOptions = true)
 * final class WebServers implements Callable<Integer> {
 *   @Mixin FrameworkOptions cluster = new FrameworkOptions();
 *
 *   public Integer call() {
 *     try (ArtifactServer artifacts = cluster.startArtifactServer("webserver");
 *          Framework framework = cluster.framework("webserver").build()) {
 *       ExecutorSpec executor = cluster.javaExecutor(artifacts, "webserver",
 *           WebServerExecutor.class, ResourceSpec.of(0.1, 128), "-Xmx64m");
 *       ...
 * }}}
 * }</pre>
 *
 * <p>Options: {@code --master} (default {@code local}, the embedded cluster), {@code --driver}
 * ({@code http} or {@code native}), {@code --principal} and {@code --secret-file},
 * {@code --framework-id-file}, {@code --framework-state-dir} (a file state store: the id and
 * every task, recovered by the next run), {@code --fresh} (tear down the last run's framework and its tasks
 * first, see {@link Framework#tearDown}), {@code --address} and {@code --advertise} (the artifact server's
 * bind address and the host agents connect to), {@code --executor-jar} (the jar agents run,
 * default {@link JavaExecutor#executorJarOf} the executor's main class: the program's own jar, or
 * the leaner one beside it that its manifest names), {@code --executor-java} (the java they run it with, see
 * {@link #executorJava()}) and {@code --executor-jvm-option} (repeatable, appended to the
 * program's JVM options). Mistakes in them are {@link UsageException}s naming the
 * option, which {@link FrameworkMain#run} turns into exit code 2.
 *
 * <p>Not thread-safe: picocli fills it, then the program reads it on one thread.
 */
public final class FrameworkOptions {
  @Option(names = "--master", description = "local, host:port[,host:port], http(s)://host:port"
      + " or zk://host:port[,host:port]/path (default: ${DEFAULT-VALUE})")
  private String master = "local";

  @Option(names = "--driver", description = "http or native (default: ${DEFAULT-VALUE})")
  private String driver = "http";

  @Option(names = "--principal", description = "authenticate as this principal")
  private String principal;

  @Option(names = "--secret-file", description = "file holding the principal's secret")
  private Path secretFile;

  @Option(names = "--framework-id-file", description = "where the framework id is kept for"
      + " failover (default: in memory with --master=local, else the file the end of --help"
      + " names)")
  private Path frameworkIdFile;

  @Option(names = "--framework-state-dir", description = "where the framework id and every task"
      + " are kept (a file state store), so that a restarted program recovers its tasks without"
      + " submitting them again (default: in memory with --master=local, else the framework id"
      + " file the end of --help names with .state added; --framework-id-file alone keeps the"
      + " id only)")
  private Path stateDir;

  @Option(names = "--fresh", description = "tear down the framework of the last run (the id in"
      + " the state store or framework id file) and its tasks before starting, instead of"
      + " failing over to it and adopting them")
  private boolean fresh;

  @Option(names = "--address", description = "artifact server bind address (default: 127.0.0.1"
      + " with --master=local, else 0.0.0.0)")
  private String address;

  @Option(names = "--advertise", description = "artifact server host agents connect to"
      + " (default: the bind address; without --address, for a master elsewhere, this machine's"
      + " address on the route to the master)")
  private String advertise;

  @Option(names = "--executor-jar", description = "the jar agents run (default: the executor jar"
      + " this program's jar names in its manifest, else this program's jar)")
  private Path executorJar;

  @Option(names = "--executor-java", description = "the java agents run the executor with"
      + " (default: this JVM's java when the master is local or on this machine, else java from"
      + " the agents' PATH)")
  private String executorJava;

  @Option(names = "--executor-jvm-option", paramLabel = "OPTION", description = "a JVM option"
      + " for the executor, after the program's own (so -Xmx2g replaces its heap size);"
      + " repeatable")
  private List<String> executorJvmOptions; // picocli makes the list at the first one

  @Option(names = "--status-port", description = "serve a live status page of the framework on"
      + " this port of --address (127.0.0.1 without it; 0: any free port; default: none)")
  private Integer statusPort;

  @Option(names = "--metrics-port", description = "serve the framework's metrics in Prometheus'"
      + " text format at /metrics on this port of --address (127.0.0.1 without it; 0: any free"
      + " port; default: none)")
  private Integer metricsPort;

  private Monitoring monitoring;

  /** Options with their defaults, for picocli to fill. */
  public FrameworkOptions() {}

  /**
   * Starts the status page and the metrics endpoint that {@code --status-port} and
   * {@code --metrics-port} ask for, for a framework built from {@link #framework(String)}.
   *
   * @param framework the built framework
   * @return the started servers, to print ({@link Monitoring#describe()}) and close
   * @throws IllegalStateException when no builder of these options was made
   */
  public Monitoring monitor(Framework framework) {
    if (monitoring == null) {
      throw new IllegalStateException("monitor(framework) needs a framework built from"
          + " framework(name) of these options");
    }
    return monitoring.start(framework);
  }

  private Monitoring monitoring() {
    if (monitoring == null) {
      String host = address != null ? address : "127.0.0.1";
      monitoring = new Monitoring(
          Optional.ofNullable(statusPort).map(port -> StatusPage.builder()
              .address(new InetSocketAddress(host, port)).build()),
          Optional.ofNullable(metricsPort).map(port -> FrameworkMetrics.prometheus()),
          new InetSocketAddress(host, statusPort == null ? 0 : statusPort),
          new InetSocketAddress(host, metricsPort == null ? 0 : metricsPort));
    }
    return monitoring;
  }

  /**
   * The master as given.
   *
   * @return e.g. {@code local} or {@code zk://zk1:2181/mesos}
   */
  public String master() {
    return master;
  }

  /**
   * Whether the master is the embedded cluster.
   *
   * @return true for {@code --master=local}
   * @throws UsageException when {@code --master} cannot be parsed
   */
  public boolean local() {
    return parsedMaster().kind() == MasterAddress.Kind.LOCAL;
  }

  /**
   * The jar given with {@code --executor-jar}.
   *
   * @return the jar, or empty for {@link JavaExecutor#executorJarOf} the executor's main class
   */
  public Optional<Path> executorJar() {
    return Optional.ofNullable(executorJar);
  }

  /**
   * The scheduler backend the options name ({@code --master}, {@code --driver},
   * {@code --principal}, {@code --secret-file}).
   *
   * @return the backend, not yet subscribed
   * @throws UsageException naming the option that is wrong
   */
  public SchedulerBackend backend() {
    parsedMaster(); // its mistakes name --master
    Backends.Builder backend = Backends.builder().master(master);
    try {
      backend.driver(Backends.Driver.valueOf(driver.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          "--driver must be 'http' or 'native' but was '" + driver + "'", e);
    }
    if (principal != null) {
      backend.principal(principal);
    }
    if (secretFile != null) {
      backend.secretFile(secretFile);
    }
    try {
      return backend.build();
    } catch (IllegalArgumentException e) { // it names the option: --secret-file, --driver
      throw new UsageException(e.getMessage(), e);
    }
  }

  /**
   * Where the framework id is kept: the {@code --framework-id-file}; without it, in memory for
   * the embedded cluster (which forgets the framework when it stops) and {@code defaultFile}
   * otherwise.
   *
   * @param defaultFile the program's default file for a real cluster
   * @return the store
   */
  public FrameworkIdStore frameworkIdStore(Path defaultFile) {
    if (frameworkIdFile != null) {
      return FrameworkIdStore.file(frameworkIdFile);
    }
    return local() ? FrameworkIdStore.inMemory() : FrameworkIdStore.file(defaultFile);
  }

  /**
   * A framework builder with the name, the {@link #backend()} and the
   * {@link #stateStore(Path) state store} (or {@link #frameworkIdStore(Path)}) whose default is
   * beside
   * {@code ~/.mesoskit/frameworks/<name>/framework-id}.
   *
   * @param name the framework name
   * @return the builder; set the rest (listeners, packing, retries) and build it
   */
  public Framework.Builder framework(String name) {
    return framework(name, Path.of(System.getProperty("user.home"), ".mesoskit", "frameworks",
        name, "framework-id"));
  }

  /**
   * A framework builder with the name, the {@link #backend()} and the
   * {@link #stateStore(Path) state store} (or, with {@code --framework-id-file} alone, the
   * {@link #frameworkIdStore(Path)}).
   *
   * @param name the framework name
   * @param defaultIdFile where the framework id is kept on a real cluster without
   *     {@code --framework-id-file}
   * @return the builder; set the rest (listeners, packing, retries) and build it
   */
  public Framework.Builder framework(String name, Path defaultIdFile) {
    Optional<StateStore> state = stateStore(defaultIdFile);
    // With a state store, the id file is where an earlier run that kept its id alone left it.
    FrameworkIdStore ids = frameworkIdStore(defaultIdFile);
    // The embedded cluster is new on every run: it knows no framework of an earlier one.
    if (fresh && !local()) {
      Framework.Builder previous = Framework.builder().name(name).backend(backend())
          .frameworkIdStore(ids);
      state.ifPresent(previous::stateStore);
      Framework.tearDown(previous, FRESH_TIMEOUT);
    }
    Framework.Builder builder = Framework.builder().name(name).backend(backend())
        .frameworkIdStore(ids);
    state.ifPresent(builder::stateStore);
    return monitoring().attach(builder);
  }

  /**
   * Where the framework keeps its id and tasks: {@code --framework-state-dir}; without it, in
   * memory for the embedded cluster, none when {@code --framework-id-file} is given (the id alone is kept
   * there), else the directory beside {@code defaultIdFile} named as it with {@code .state}
   * added ({@code ~/.mesoskit/frameworks/<name>/framework-id.state}).
   *
   * @param defaultIdFile the program's default framework id file for a real cluster
   * @return the store, or empty to keep the id alone in {@link #frameworkIdStore(Path)}
   */
  public Optional<StateStore> stateStore(Path defaultIdFile) {
    if (stateDir != null) {
      return Optional.of(StateStore.file(stateDir));
    }
    if (frameworkIdFile != null) {
      return Optional.empty();
    }
    return Optional.of(local() ? StateStore.inMemory()
        : StateStore.file(defaultIdFile.resolveSibling(defaultIdFile.getFileName() + ".state")));
  }

  /** How long {@code --fresh} waits for the subscription and for the teardown each. */
  static final Duration FRESH_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The artifact server builder the options describe: bound to {@code --address} (default
   * {@link ArtifactServer.Builder#bindAddressFor}), advertising {@code --advertise} (default, when
   * {@code --address} is not given either, {@link ArtifactServer.Builder#advertisedHostFor}: this
   * machine's address on the route to the master).
   *
   * @param directory where the server keeps its artifacts
   * @return the builder
   */
  public ArtifactServer.Builder artifactServer(Path directory) {
    return configure(ArtifactServer.builder().directory(directory));
  }

  /**
   * Starts the server the options describe on a new temporary directory, which closing the
   * server deletes ({@link ArtifactServer.Builder#temporaryDirectory}). A batch whose tasks
   * upload results wants {@link #artifactServer(Path)} on a directory that outlives a killed
   * scheduler instead, so that its restart still finds them.
   *
   * @param name the directory's prefix, e.g. the program's name
   * @return the started server; close it
   * @throws UncheckedIOException when the directory cannot be created
   */
  public ArtifactServer startArtifactServer(String name) {
    return configure(ArtifactServer.builder().temporaryDirectory(name + "-artifacts"))
        .build().start();
  }

  private ArtifactServer.Builder configure(ArtifactServer.Builder server) {
    if (address != null) {
      server.bindAddress(address);
    } else {
      // every interface, advertising the one on the route to the master (not the host name)
      server.bindAddressFor(parsedMaster()).advertisedHostFor(parsedMaster());
    }
    if (advertise != null) {
      server.advertisedHost(advertise);
    }
    return server;
  }

  /**
   * The java command agents start a Java executor with: {@code --executor-java}, else this JVM's
   * {@code bin/java} when the master is {@code local} or every master is on this machine (a
   * loopback address), else {@code java}, found on the agents' {@code PATH} (an agent elsewhere
   * rarely has a JDK where this machine has one).
   *
   * @return a path or a command name
   * @throws UsageException when {@code --master} is malformed
   */
  public String executorJava() {
    if (executorJava != null) {
      return executorJava;
    }
    MasterAddress parsed = parsedMaster();
    boolean here = parsed.kind() == MasterAddress.Kind.LOCAL
        || (parsed.kind() == MasterAddress.Kind.HTTP && parsed.masters().stream()
            .map(URI::getHost).allMatch(FrameworkOptions::isLoopback));
    return here ? Path.of(System.getProperty("java.home"), "bin", "java").toString() : "java";
  }

  /** A loopback name or address literal; names other than localhost are not resolved. */
  private static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    String bare = host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1) : host;
    if (bare.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!bare.contains(":") && !bare.matches("[0-9.]+")) {
      return false; // a host name: whether agents share this machine is unknown
    }
    try {
      return InetAddress.getByName(bare).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * Publishes the executor jar ({@code --executor-jar}, default
   * {@link JavaExecutor#executorJarOf} {@code mainClass}) and returns the executor that runs {@code mainClass} from it; see
   * {@link JavaExecutor}. With {@code --master=local} the executors use a class-data sharing
   * archive ({@link JavaExecutor.Builder#classDataSharing}) once one is in
   * {@code ~/.mesoskit/cds}: the first run for a jar trains it in the background, later runs
   * start their executors with it.
   *
   * @param artifacts the server agents fetch the jar from
   * @param name the executor's name
   * @param mainClass the executor's main class
   * @param resources what the executor process needs
   * @param jvmOptions options for {@code java}, e.g. {@code -Xmx64m}
   * @return the executor spec
   * @throws UsageException when the executor is not a jar: the message says to give
   *     {@code --executor-jar}
   */
  public ExecutorSpec javaExecutor(ArtifactServer artifacts, String name, Class<?> mainClass,
      ResourceSpec resources, String... jvmOptions) {
    Path jar;
    try {
      jar = executorJar != null ? executorJar : JavaExecutor.executorJarOf(mainClass);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage().replace("give the jar's path",
          "give --executor-jar").replace("build the jar and give its path",
          "build the jar or give --executor-jar"), e);
    }
    if (!Files.isRegularFile(jar)) {
      throw new UsageException(
          "the executor must be a jar; give --executor-jar, not " + jar);
    }
    List<String> options = new ArrayList<>(List.of(jvmOptions));
    if (executorJvmOptions != null) {
      options.addAll(executorJvmOptions);
    }
    return JavaExecutor.builder().name(name).mainClass(mainClass).jar(jar)
        .javaCommand(executorJava()).jvmOptions(options.toArray(String[]::new))
        .resources(resources).classDataSharing(local()).build().publish(artifacts);
  }

  private MasterAddress parsedMaster() {
    try {
      return MasterAddress.parse(master);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--master: " + e.getMessage(), e);
    }
  }
}
