package dev.mesoskit.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The standalone local cluster, like {@code mesos-local}: prints the master URL and runs until
 * interrupted. A framework elsewhere connects with {@code --master=127.0.0.1:PORT}.
 *
 * <pre>{@code
 * java -jar sdk-local/target/mesoskit-local.jar --agents 2 --resources "cpus:4;mem:4096;ports:[31000-31999]"
 * }</pre>
 */
@Command(name = "mesoskit-local", mixinStandardHelpOptions = true,
    description = "Runs a Mesos-compatible master and agents on loopback until interrupted.")
public final class LocalClusterMain implements Callable<Integer> {
  @Option(names = "--agents", description = "number of agents (default: ${DEFAULT-VALUE})")
  int agents = 2;

  @Option(names = "--resources", description = "each agent's resources in Mesos syntax, of any"
      + " name, e.g. cpus:4;mem:4096;disk:10240;ports:[31000-31999];licenses:4;zones:{a,b}"
      + " (default: sized from this machine)")
  String resources;

  @Option(names = "--attributes", description = "each agent's attributes, e.g. rack:r1;zone:a")
  String attributes = "";

  @Option(names = "--port", description = "master port (default: ${DEFAULT-VALUE}, 0 = any)")
  int port = 5050;

  @Option(names = "--host", description = "address to bind and advertise (default:"
      + " ${DEFAULT-VALUE})")
  String host = "127.0.0.1";

  @Option(names = "--work-dir", description = "where sandboxes go (default: a temporary"
      + " directory removed on exit)")
  Path workDir;

  @Option(names = "--heartbeat-seconds", description = "scheduler heartbeat interval (default:"
      + " ${DEFAULT-VALUE})")
  long heartbeatSeconds = 15;

  @Option(names = "--gc-delay-seconds", description = "how long a finished container's sandbox"
      + " is kept at most, as Mesos' --gc_delay; shortened as the disk fills (default:"
      + " ${DEFAULT-VALUE})")
  long gcDelaySeconds = LocalCluster.DEFAULT_GC_DELAY.toSeconds();

  @Option(names = "--gc-disk-headroom", description = "share of the disk kept free, 0.0 to 1.0:"
      + " a sandbox is kept gc-delay * max(0, 1 - headroom - disk usage), as Mesos'"
      + " --gc_disk_headroom (default: ${DEFAULT-VALUE})")
  double gcDiskHeadroom = LocalCluster.DEFAULT_GC_DISK_HEADROOM;

  @Option(names = "--authenticate-executors", negatable = true, defaultValue = "true",
      fallbackValue = "true", description = "require each executor's token on the executor API,"
      + " as Mesos' --authenticate_http_executors (default: ${DEFAULT-VALUE})")
  boolean authenticateExecutors = true;

  @Option(names = "--container-runtime", description = "what runs command tasks with a Docker"
      + " image: auto (podman when it works here), podman (or fail), none (such tasks fail);"
      + " case-insensitive (default: ${DEFAULT-VALUE})")
  ContainerRuntime containerRuntime = ContainerRuntime.AUTO;

  @Option(names = "--master-domain", paramLabel = "REGION:ZONE", description = "the master's"
      + " fault domain, as Mesos' --domain: agents in another region are offered only to"
      + " REGION_AWARE frameworks (default: none)")
  String masterDomain;

  @Option(names = "--agent-domain", paramLabel = "N=REGION:ZONE", description = "agent N's fault"
      + " domain (1 = agent-1), which its offers carry; repeatable; needs --master-domain")
  java.util.Map<Integer, String> agentDomains = new java.util.TreeMap<>();

  @Option(names = "--agent-resources", paramLabel = "N=RESOURCES", description = "agent N's own"
      + " resources instead of --resources, e.g. 1=cpus:2;mem:1024;gpus:1 or"
      + " 2=cpus(web):2;cpus:2;mem:1024; repeatable")
  java.util.Map<Integer, String> agentResources = new java.util.TreeMap<>();

  @Option(names = "--isolated-network", description = "put each agent, its executors and tasks"
      + " in a network namespace of its own on a private bridge, reached only through non-loopback"
      + " addresses as on a real cluster; needs root (CAP_NET_ADMIN), ip and curl (default:"
      + " ${DEFAULT-VALUE})")
  boolean isolatedNetwork;

  private LocalClusterMain() {}

  /**
   * Runs the cluster until the JVM is interrupted.
   *
   * @param args the options; {@code --help} lists them
   */
  public static void main(String... args) {
    preferVfork();
    System.exit(new CommandLine(new LocalClusterMain()).setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, command, parsed) -> {
          if (!(e instanceof dev.mesoskit.core.MesosKitException
              || e instanceof IllegalArgumentException)) {
            throw e;
          }
          // a setting or the machine is wrong (e.g. --isolated-network without root): say what
          command.getErr().println("mesoskit-local: " + e.getMessage());
          return 1;
        })
        .execute(args));
  }

  /** The system property that picks how the JDK starts processes on Linux. */
  static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

  /**
   * Starts processes with vfork on Linux unless {@code -Djdk.lang.Process.launchMechanism} says
   * otherwise. The JDK's default there, posix_spawn, starts each process through a helper
   * program ({@code jspawnhelper}) that then execs it: one program loaded and linked more per
   * command task, about a third of the CPU of starting a {@code true} command. vfork execs the
   * program straight from the child that shares the JVM's memory until then, as JDK 11 and
   * earlier did by default. Only for JDK 17 to 21, which support it without a warning; this
   * program's own choice, so the embedded {@link LocalCluster} leaves a user's JVM alone.
   */
  static void preferVfork() {
    String os = System.getProperty("os.name", "");
    int feature = Runtime.version().feature();
    if (os.startsWith("Linux") && feature <= 21 && System.getProperty(LAUNCH_MECHANISM) == null) {
      System.setProperty(LAUNCH_MECHANISM, "VFORK");
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    LocalCluster.Builder b = LocalCluster.builder().agents(agents).agentAttributes(attributes)
        .masterPort(port).heartbeatInterval(Duration.ofSeconds(heartbeatSeconds))
        .authenticateExecutors(authenticateExecutors).containerRuntime(containerRuntime)
        .gcDelay(Duration.ofSeconds(gcDelaySeconds)).gcDiskHeadroom(gcDiskHeadroom);
    if (isolatedNetwork) {
      b.isolatedNetwork(true);
      if (!host.equals("127.0.0.1")) {
        b.host(host); // refused with isolatedNetwork, with a message saying why
      }
    } else {
      b.host(host);
    }
    if (resources != null) {
      b.agentResources(resources);
    }
    if (workDir != null) {
      b.workDir(workDir);
    }
    if (masterDomain != null) {
      b.masterDomain(masterDomain);
    }
    agentDomains.forEach(b::agentDomain);
    agentResources.forEach(b::agentResources);
    LocalCluster cluster = b.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.close();
      stopped.countDown();
    }, "mesoskit-local-shutdown"));
    System.out.println("Mesos-compatible master at " + cluster.masterUri()
        + " (--master=" + cluster.masterAddress() + "), agents " + cluster.agentIds()
        + ", sandboxes in " + cluster.workDir()
        + cluster.isolatedNetworkPrefix().map(p -> ", isolated network " + p).orElse(""));
    System.out.flush();
    stopped.await();
    return 0;
  }
}
