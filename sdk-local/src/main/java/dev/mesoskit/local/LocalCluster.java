package dev.mesoskit.local;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.EmbeddedMaster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Mesos cluster in one JVM: a master and N agents speaking the real v1 HTTP APIs on loopback,
 * so that a framework and MesosKit's HTTP backend run against it unchanged, and the same jar runs
 * on a real cluster. Like {@code mesos-local} or Spark's {@code local[*]}: a development and test
 * cluster, not a production scheduler.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder()
 *     .agents(2)
 *     .agentResources("cpus:4;mem:4096;disk:10240;ports:[31000-31999]")
 *     .start()) {
 *   SchedulerBackend backend = Backends.fromArgs("--master=" + cluster.masterAddress());
 *   ...
 * }
 * }</pre>
 *
 * <p>Agents fetch URIs into per-executor sandboxes, run executors as real OS processes with the
 * environment real agents set, run command tasks through a built-in command executor, and retry
 * status updates until the scheduler acknowledges them. A finished container's sandbox is deleted
 * after {@link Builder#gcDelay} (shortened as the disk fills, see {@link Builder#gcDiskHeadroom}),
 * as Mesos agents garbage-collect sandboxes. Faults can be injected for tests: kill an executor,
 * partition or remove an agent, restart the master, drop status updates, delay events, stop
 * heartbeats.
 *
 * <p>The command executor runs a task's {@code health_check} and {@code check} (HTTP and TCP
 * against 127.0.0.1, COMMAND in the sandbox with the task's environment) and reports them as
 * Mesos' command executor does. Command tasks with a Docker image run in podman when it works
 * here ({@code apt-get install podman runc}; see {@link Builder#containerRuntime}); without it
 * they end TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED, as on a Mesos agent without an image
 * provider.
 *
 * <p>Threading: every method is safe from any thread. {@link #close()} stops every process the
 * cluster started and deletes the work directory when the cluster created it.
 */
public final class LocalCluster implements EmbeddedMaster {
  private static final Logger log = LoggerFactory.getLogger(LocalCluster.class);

  /** How long a finished container's sandbox is kept by default; see {@link Builder#gcDelay}. */
  static final Duration DEFAULT_GC_DELAY = Duration.ofMinutes(10);
  /** Mesos' default {@code --gc_disk_headroom}; see {@link Builder#gcDiskHeadroom}. */
  static final double DEFAULT_GC_DISK_HEADROOM = 0.1;

  private final Settings settings;
  private final LocalMaster master;
  private final List<LocalAgent> agents = new ArrayList<>();
  private final ClusterShutdown shutdown;
  private final AuditLog<TaskLaunchRecord> launchLog = new AuditLog<>();
  /** The private network of {@link Builder#isolatedNetwork}, or null. */
  private final IsolatedNetwork network;

  private LocalCluster(Settings settings, boolean ownsWorkDir, IsolatedNetwork network) {
    this.settings = settings;
    this.network = network;
    this.master = new LocalMaster(settings);
    this.shutdown = new ClusterShutdown(master, agents, settings.workDir(), ownsWorkDir);
  }

  /**
   * Starts a builder; see {@link Builder} for the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  private void startAll() {
    Podman podman = Podman.detect(settings.containerRuntime(), settings.workDir());
    master.start();
    int n = 0;
    for (AgentConfig config : settings.agentConfigs(podman)) {
      n++;
      AgentNetwork placement = AgentNetwork.HOST;
      if (network != null) {
        placement = AgentNetwork.isolated(network, n);
        config = config.withHostname(network.agentAddress(n));
      }
      LocalAgent agent = LocalAgent.start(config, master, launchLog, placement);
      agents.add(agent);
      master.addAgent(agent);
    }
    log.info("local cluster started master={} agents={} resources_per_agent={} work_dir={}"
        + " gc_delay={} gc_disk_headroom={}", master.uri(), settings.agents(),
        settings.agentResources(), settings.workDir(),
        DurationFormat.stringify(settings.gcDelay()), settings.gcDiskHeadroom());
  }

  /**
   * The master's base URL.
   *
   * @return {@code http://127.0.0.1:PORT}
   */
  public URI masterUri() {
    return master.uri();
  }

  /**
   * The master as {@code --master} takes it.
   *
   * @return {@code 127.0.0.1:PORT}
   */
  @Override
  public String masterAddress() {
    return master.uri().getHost() + ":" + master.uri().getPort();
  }

  /**
   * The agents' ids, in order.
   *
   * @return e.g. {@code [agent-1, agent-2]}
   */
  public List<String> agentIds() {
    return agents.stream().map(LocalAgent::id).toList();
  }

  /**
   * The work directory holding every agent's sandboxes.
   *
   * @return the directory
   */
  public Path workDir() {
    return settings.workDir();
  }

  /**
   * The prefix of the namespaces, links and bridge of {@link Builder#isolatedNetwork}, e.g.
   * {@code mk3fa9c}: after {@link #close()}, none with it is left.
   *
   * @return the prefix, or empty when the cluster shares this machine's network
   */
  public Optional<String> isolatedNetworkPrefix() {
    return Optional.ofNullable(network).map(IsolatedNetwork::prefix);
  }

  /**
   * Adds another machine to the isolated network: a namespace on its bridge, e.g. a client of the
   * tasks' services, reaching agents only at their addresses. Removed when the cluster closes.
   *
   * @return the new host
   * @throws IllegalStateException when the cluster was not started with
   *     {@link Builder#isolatedNetwork}
   */
  public IsolatedHost addClientHost() {
    if (network == null) {
      throw new IllegalStateException("addClientHost needs a cluster started with"
          + " isolatedNetwork(true)");
    }
    return network.addClient();
  }

  /**
   * Why {@link Builder#isolatedNetwork} cannot work here (not Linux, no {@code ip} or curl, not
   * root), as {@link Builder#start()} would fail; tests needing one skip with it.
   *
   * @return the problem, or empty when isolated networks work here
   */
  public static Optional<String> isolatedNetworkUnavailable() {
    return IsolatedNetwork.unavailable();
  }

  /** The agents, for tests in this package that speak to an agent directly. */
  List<LocalAgent> agents() {
    return List.copyOf(agents);
  }

  /**
   * The master's {@code /state} view as JSON text: agents, frameworks with their tasks and
   * executors, resources in use.
   *
   * @return the JSON
   */
  public String stateJson() {
    return master.state().toString();
  }

  // ---------------------------------------------------------------- faults

  /**
   * Kills an executor's process with SIGKILL, as a crash would; for a command task, its process.
   *
   * @param agentId the agent
   * @param frameworkId the framework
   * @param executorId the executor (the task id for a command task)
   */
  public void killExecutor(String agentId, String frameworkId, String executorId) {
    agent(agentId).killExecutorProcess(
        Protos.FrameworkID.newBuilder().setValue(frameworkId).build(),
        Protos.ExecutorID.newBuilder().setValue(executorId).build());
  }

  /**
   * Partitions an agent away: its tasks become UNREACHABLE (LOST for frameworks that are not
   * partition-aware) and keep running; {@link #healAgent} brings it back, {@link #removeAgent}
   * makes it gone.
   *
   * @param agentId the agent
   */
  public void partitionAgent(String agentId) {
    agent(agentId);
    master.partitionAgent(agentId);
  }

  /**
   * Ends a partition: the agent's tasks run on, as the agent reports them.
   *
   * @param agentId the agent
   */
  public void healAgent(String agentId) {
    master.healAgent(agentId);
  }

  /**
   * Removes an agent for good: its processes are killed, its tasks become GONE_BY_OPERATOR
   * (LOST for frameworks that are not partition-aware), its offers are rescinded.
   *
   * @param agentId the agent
   */
  public void removeAgent(String agentId) {
    agent(agentId);
    master.removeAgent(agentId);
  }

  /**
   * Fails the master over: every scheduler stream is closed and SUBSCRIBE answers 503 for
   * {@code recovery}; tasks keep running, and frameworks resubscribe with their ids.
   *
   * @param recovery how long the new leader recovers
   */
  public void restartMaster(Duration recovery) {
    master.restart(recovery);
  }

  /**
   * Drops the next status updates agents send to the master; the agents resend them.
   *
   * @param count how many
   */
  public void dropStatusUpdates(int count) {
    master.dropStatusUpdates(count);
  }

  /**
   * Delays every event to schedulers.
   *
   * @param delay how long, zero for none
   */
  public void delayEvents(Duration delay) {
    master.delayEvents(Objects.requireNonNull(delay, "delay must not be null"));
  }

  /**
   * Stops or resumes heartbeats on scheduler streams.
   *
   * @param on false to go silent
   */
  public void heartbeats(boolean on) {
    master.heartbeats(on);
  }

  /**
   * Every v1 scheduler call the master received on {@code /api/v1/scheduler}, accepted or
   * refused, in arrival order: its type, framework id, stream id, task ids and the HTTP status it
   * was answered. A call is listed once its answer is decided, before the answer is written, so a
   * scheduler holding an answer (or a SUBSCRIBED event) finds its call here. Only the newest
   * 100,000 calls are kept; older ones are dropped.
   *
   * <pre>{@code
   * assertThat(cluster.calls()).filteredOn(c -> c.status() == 400).isEmpty();
   * }</pre>
   *
   * @return the calls, oldest first; a copy
   */
  public List<SchedulerCallRecord> calls() {
    return master.calls.records();
  }

  /**
   * Every task an agent actually started, on every agent, in order: a command task when its
   * process started, a task of a custom or default executor when it was sent to the executor (at
   * once when it runs, else when it subscribes). A task refused or dropped before that (a
   * terminating framework, a lost executor, a killed queued task) is not listed; a task started
   * twice is listed twice. Only the newest 100,000 launches are kept; older ones are dropped.
   *
   * @return the launches, oldest first; a copy
   */
  public List<TaskLaunchRecord> launches() {
    return launchLog.records();
  }

  /** The agent with this id, for tests in this package. */
  LocalAgent agent(String agentId) {
    for (LocalAgent a : agents) {
      if (a.id().equals(agentId)) {
        return a;
      }
    }
    throw new IllegalArgumentException("agentId must name an agent of this cluster "
        + agentIds() + " but was '" + agentId + "'");
  }

  /**
   * Stops the master and every agent, killing every process they started, and deletes the work
   * directory when the cluster created it. Idempotent; returns when everything stopped, also to a
   * second caller while the first is still closing.
   */
  @Override
  public void close() {
    try {
      shutdown.close();
    } finally {
      if (network != null) {
        network.close();
      }
    }
  }

  /**
   * Builds and starts a {@link LocalCluster}. Defaults: 2 agents, each with the machine's cpus,
   * an equal share of its memory (at most 8 GB), 10 GB of disk and an equal share of ports
   * 31000-32000 (a Mesos agent's default, below Linux's ephemeral ports, which start at 32768: an
   * offered port is never one the kernel gave a client socket); master on 127.0.0.1 and a free
   * port; heartbeats every 15 s; offers every 100 ms;
   * no offer timeout; executors must register within 60 s and get 5 s to shut down; status
   * updates resent every 10 s; checkpointing on; executors authenticated; a finished
   * container's sandbox kept at most 10 minutes, less as the disk fills past 90 %; a temporary
   * work directory removed on close.
   */
  public static final class Builder {
    private int agents = 2;
    private String agentResources;
    private String agentAttributes = "";
    private String host = "127.0.0.1";
    private int masterPort;
    private Path workDir;
    private Duration heartbeatInterval = Duration.ofSeconds(15);
    private Duration allocationInterval = Duration.ofMillis(100);
    private Duration offerTimeout;
    private Duration registrationTimeout = Duration.ofSeconds(60);
    private Duration shutdownGracePeriod = Duration.ofSeconds(5);
    private Duration statusUpdateRetry = Duration.ofSeconds(10);
    private boolean checkpoint = true;
    private boolean authenticateExecutors = true;
    private Duration gcDelay = DEFAULT_GC_DELAY;
    private double gcDiskHeadroom = DEFAULT_GC_DISK_HEADROOM;
    private ContainerRuntime containerRuntime = ContainerRuntime.AUTO;
    private boolean hostSet;
    private boolean isolatedNetwork;

    private Protos.DomainInfo masterDomain;
    private final Map<Integer, Protos.DomainInfo> agentDomains = new TreeMap<>();
    private final Map<Integer, Resources> ownResources = new TreeMap<>();

    private Builder() {}

    /**
     * Sets the master's fault domain, as Mesos' {@code --domain}: agents in another region are
     * offered only to REGION_AWARE frameworks.
     *
     * @param regionZone {@code region:zone}; default none
     * @return this builder
     */
    public Builder masterDomain(String regionZone) {
      this.masterDomain = Topology.parseDomain("masterDomain", regionZone);
      return this;
    }

    /**
     * Sets one agent's fault domain, which its offers carry; needs {@link #masterDomain}.
     *
     * @param agent the agent's number, 1 for {@code agent-1}
     * @param regionZone {@code region:zone}; default none
     * @return this builder
     */
    public Builder agentDomain(int agent, String regionZone) {
      agentDomains.put(agent, Topology.parseDomain("agentDomain", regionZone));
      return this;
    }

    /**
     * Gives one agent resources of its own instead of {@link #agentResources(String)} (ports
     * included, as given), e.g. {@code cpus:2;mem:1024;gpus:1} or {@code cpus(web):2;cpus:1}.
     *
     * @param agent the agent's number, 1 for {@code agent-1}
     * @param resources in Mesos' {@code --resources} syntax
     * @return this builder
     */
    public Builder agentResources(int agent, String resources) {
      ownResources.put(agent, parseAgentResources("agentResources(" + agent + ")", resources));
      return this;
    }

    /** Parses an agent's resources; like a Mesos agent, refuses one name with two types. */
    private static Resources parseAgentResources(String setting, String text) {
      Resources parsed = Resources.parse(text);
      Map<String, Class<?>> types = new HashMap<>();
      for (Resource r : parsed) {
        Class<?> earlier = types.putIfAbsent(r.name(), r.value().getClass());
        if (earlier != null && earlier != r.value().getClass()) {
          throw new IllegalArgumentException(setting + " must give resource '" + r.name()
              + "' one type (a Mesos agent refuses resources with the same name but different"
              + " types) but was '" + text + "'");
        }
      }
      return parsed;
    }

    /**
     * Sets what runs command tasks whose {@code ContainerInfo} has a Docker image (type
     * {@code MESOS} with an image, or type {@code DOCKER}). With podman, such a task runs in a
     * container on the host network, its sandbox at {@code /mnt/mesos/sandbox}; without one it
     * ends TASK_FAILED with REASON_CONTAINER_LAUNCH_FAILED, as on a Mesos agent without an image
     * provider, its message saying what is missing. Tasks without an image always run as host
     * processes.
     *
     * @param runtime {@link ContainerRuntime#AUTO} (podman when it works here),
     *     {@link ContainerRuntime#PODMAN} (podman, or {@link #start()} fails) or
     *     {@link ContainerRuntime#NONE}; default AUTO
     * @return this builder
     */
    public Builder containerRuntime(ContainerRuntime runtime) {
      this.containerRuntime = runtime;
      return this;
    }

    /**
     * Sets the number of agents.
     *
     * @param count 1 to 64; default 2
     * @return this builder
     */
    public Builder agents(int count) {
      this.agents = count;
      return this;
    }

    /**
     * Sets each agent's resources in Mesos syntax; port ranges are split among the agents.
     * Resources of any name are offered and accounted for as a Mesos agent's are: scalars,
     * ranges and sets ({@code licenses:4;network_bandwidth:1000;zones:{a,b}}).
     *
     * @param resources e.g. {@code cpus:4;mem:4096;disk:10240;ports:[31000-31999]}
     * @return this builder
     */
    public Builder agentResources(String resources) {
      this.agentResources = resources;
      return this;
    }

    /**
     * Sets each agent's attributes, {@code name:value} separated by {@code ;}.
     *
     * @param attributes e.g. {@code rack:r1;zone:a}
     * @return this builder
     */
    public Builder agentAttributes(String attributes) {
      this.agentAttributes = attributes;
      return this;
    }

    /**
     * Sets the address everything binds to and offers name.
     *
     * @param host default 127.0.0.1
     * @return this builder
     */
    public Builder host(String host) {
      this.host = host;
      this.hostSet = true;
      return this;
    }

    /**
     * Puts each agent on a machine of its own, as far as the network goes: a Linux network
     * namespace per agent with its own address on a private bridge (the first
     * {@code 10.213.N.0/24} no address or route here overlaps; no default route, no NAT, so no
     * traffic leaves the machine), where every executor and command task it starts runs and every
     * URI it fetches is fetched (with curl). The master listens on the bridge's host side
     * ({@link LocalCluster#masterAddress()}, e.g. {@code 10.213.0.1:PORT}), offers carry the
     * agents' addresses as hostnames, and executors find their agent at
     * {@code <agent address>:5051} (the agents stay in this JVM, listening on the bridge's host
     * side; a relay process in each namespace forwards that port). So 127.0.0.1 means what it
     * means on a real cluster: a URI naming it cannot be fetched, and a server bound to it cannot
     * be reached from another host ({@link LocalCluster#addClientHost}). Command tasks' HTTP and
     * TCP checks still probe this machine's 127.0.0.1. Everything is removed on close; a later
     * cluster removes what a killed one left (recorded in {@code /run/mesoskit/netns}). Needs
     * Linux, iproute2's {@code ip}, curl, CAP_NET_ADMIN and CAP_SYS_ADMIN (root): without them
     * {@link #start()} fails naming what is missing ({@link LocalCluster#isolatedNetworkUnavailable()}).
     *
     * @param on default false (everything on this machine's network)
     * @return this builder
     */
    public Builder isolatedNetwork(boolean on) {
      this.isolatedNetwork = on;
      return this;
    }

    /**
     * Sets the master's port.
     *
     * @param port default 0, a free port
     * @return this builder
     */
    public Builder masterPort(int port) {
      this.masterPort = port;
      return this;
    }

    /**
     * Keeps sandboxes in this directory (not removed on close).
     *
     * @param dir the directory
     * @return this builder
     */
    public Builder workDir(Path dir) {
      this.workDir = dir;
      return this;
    }

    /**
     * Sets the heartbeat interval announced to schedulers.
     *
     * @param interval default 15 s
     * @return this builder
     */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = interval;
      return this;
    }

    /**
     * Sets how often free resources are offered.
     *
     * @param interval default 100 ms
     * @return this builder
     */
    public Builder allocationInterval(Duration interval) {
      this.allocationInterval = interval;
      return this;
    }

    /**
     * Rescinds offers not answered within this time.
     *
     * @param timeout default none
     * @return this builder
     */
    public Builder offerTimeout(Duration timeout) {
      this.offerTimeout = timeout;
      return this;
    }

    /**
     * Sets how long a custom executor may take to subscribe.
     *
     * @param timeout default 60 s
     * @return this builder
     */
    public Builder executorRegistrationTimeout(Duration timeout) {
      this.registrationTimeout = timeout;
      return this;
    }

    /**
     * Sets how long an executor gets between SHUTDOWN and SIGKILL.
     *
     * @param grace default 5 s
     * @return this builder
     */
    public Builder executorShutdownGracePeriod(Duration grace) {
      this.shutdownGracePeriod = grace;
      return this;
    }

    /**
     * Sets how long agents wait for an acknowledgement before resending a status update.
     *
     * @param retry default 10 s
     * @return this builder
     */
    public Builder statusUpdateRetry(Duration retry) {
      this.statusUpdateRetry = retry;
      return this;
    }

    /**
     * Sets whether executors are told to checkpoint.
     *
     * @param on default true
     * @return this builder
     */
    public Builder checkpoint(boolean on) {
      this.checkpoint = on;
      return this;
    }

    /**
     * Sets whether agents authenticate executors, as Mesos agents with
     * {@code --authenticate_http_executors}: each executor gets a token in
     * {@code MESOS_EXECUTOR_AUTHENTICATION_TOKEN} and every call to the executor API must carry it
     * as {@code Authorization: Bearer <token>} (401 without a valid one), and may only speak for
     * its own framework, executor and container (403 otherwise). MesosKit's executor runtime and
     * libmesos both send it.
     *
     * @param on default true
     * @return this builder
     */
    public Builder authenticateExecutors(boolean on) {
      this.authenticateExecutors = on;
      return this;
    }

    /**
     * Sets how long a finished container's sandbox is kept at most, as a Mesos agent's
     * {@code --gc_delay}: when an executor or command task ends, its sandbox
     * ({@code <workDir>/agent-N/frameworks/<framework>/executors/<executor>/runs/<container>})
     * is deleted once it is {@code gcDelay * max(0.0, 1.0 - gcDiskHeadroom - diskUsage)} old,
     * where the disk usage is the share of the work directory's file system in use, read every
     * minute; its executor's and framework's directories go with it once empty. A running
     * container's sandbox is never deleted.
     *
     * <p>The default is 10 minutes, not Mesos' week: a local cluster is for development and
     * tests, where a sandbox is read while the task runs or just after it ended; a week of
     * sandboxes fills a temporary directory (10,000 tasks left 235 MB) and makes
     * {@link LocalCluster#close()} delete them all at once.
     *
     * @param delay zero or more, zero deleting a sandbox as soon as its container ends; default
     *     10 minutes
     * @return this builder
     */
    public Builder gcDelay(Duration delay) {
      this.gcDelay = delay;
      return this;
    }

    /**
     * Sets the share of the disk the sandbox collector keeps free, as a Mesos agent's
     * {@code --gc_disk_headroom}: with the default 0.1, a sandbox is kept
     * {@code gcDelay * (0.9 - diskUsage)}, and deleted as soon as its container ends once the
     * disk is 90 % full. See {@link #gcDelay}.
     *
     * @param headroom 0.0 to 1.0; default 0.1 (Mesos' default)
     * @return this builder
     */
    public Builder gcDiskHeadroom(double headroom) {
      this.gcDiskHeadroom = headroom;
      return this;
    }

    /**
     * Validates the settings and starts the cluster.
     *
     * @return the running cluster
     * @throws IllegalArgumentException naming the setting that is wrong
     * @throws MesosKitException when a server cannot start
     */
    public LocalCluster start() {
      if (agents < 1 || agents > 64) {
        throw new IllegalArgumentException("agents must be 1-64 but was " + agents);
      }
      Resources resources = parseAgentResources("agentResources",
          agentResources != null ? agentResources : defaultResources(agents));
      if (resources.scalar("cpus") <= 0 || resources.scalar("mem") <= 0) {
        throw new IllegalArgumentException("agentResources must have cpus and mem but was '"
            + resources + "'");
      }
      List<Protos.Attribute> attributes = AgentAttributes.parse(agentAttributes);
      new Topology(Optional.ofNullable(masterDomain), agentDomains, ownResources)
          .validate(agents);
      for (Duration d : new Duration[] {heartbeatInterval, allocationInterval, registrationTimeout,
          shutdownGracePeriod, statusUpdateRetry}) {
        if (d == null || d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("durations must be > 0 but one was " + d);
        }
      }
      if (gcDelay == null || gcDelay.isNegative()) {
        throw new IllegalArgumentException("gcDelay must be >= 0 but was " + gcDelay);
      }
      if (containerRuntime == null) {
        throw new IllegalArgumentException("containerRuntime must be AUTO, PODMAN or NONE but was"
            + " null");
      }
      if (!(gcDiskHeadroom >= 0.0 && gcDiskHeadroom <= 1.0)) {
        throw new IllegalArgumentException("gcDiskHeadroom must be 0.0-1.0 but was "
            + gcDiskHeadroom);
      }
      if (isolatedNetwork && hostSet) {
        throw new IllegalArgumentException("host must not be set with isolatedNetwork: the master"
            + " listens on the isolated network's bridge, but host was '" + host + "'");
      }
      IsolatedNetwork network = isolatedNetwork ? IsolatedNetwork.create(agents) : null;
      boolean owns = workDir == null;
      Path dir;
      try {
        dir = owns ? Files.createTempDirectory("mesoskit-local-") : Files.createDirectories(workDir);
      } catch (IOException e) {
        if (network != null) {
          network.close();
        }
        throw new MesosKitException("cannot create the work directory " + workDir, e);
      }
      Settings settings = new Settings(agents, resources, attributes,
          network != null ? network.hostAddress() : host, masterPort, dir,
          heartbeatInterval, allocationInterval, Optional.ofNullable(offerTimeout),
          registrationTimeout, shutdownGracePeriod, statusUpdateRetry, checkpoint,
          authenticateExecutors, gcDelay, gcDiskHeadroom, containerRuntime,
          new Topology(Optional.ofNullable(masterDomain), agentDomains, ownResources));
      LocalCluster cluster = new LocalCluster(settings, owns, network);
      try {
        cluster.startAll();
      } catch (RuntimeException e) {
        cluster.close();
        throw e;
      }
      return cluster;
    }

    private static String defaultResources(int agents) {
      int cpus = Runtime.getRuntime().availableProcessors();
      long physicalMb = 8192L * agents;
      if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        physicalMb = os.getTotalMemorySize() / (1024 * 1024);
      }
      long mem = Math.max(256, Math.min(8192, physicalMb / (agents + 1)));
      return "cpus:" + cpus + ";mem:" + mem + ";disk:10240;ports:[31000-32000]";
    }
  }
}
