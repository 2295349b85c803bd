package dev.mesoskit.local;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private network of a {@link LocalCluster} started with
 * {@link LocalCluster.Builder#isolatedNetwork}: a Linux bridge with one address on the host side
 * ({@code .1} of a free private {@code /24}), and one network namespace per agent (and per client
 * host a test asks for), each linked to the bridge by a veth pair whose inner end is the
 * namespace's {@code eth0} with an address of its own. The namespaces have no default route and
 * the cluster adds no NAT: they reach the bridge's addresses and each other, nothing else, so no
 * traffic leaves the machine.
 *
 * <p>Names start with {@link #prefix()} ({@code mk} and five hex digits, random per cluster):
 * bridge {@code <prefix>-br}, host-side veth ends {@code <prefix>-h<n>}, namespaces
 * {@code <prefix>-agent-<n>} and {@code <prefix>-client-<n>}. A state file
 * {@code /run/mesoskit/netns/<prefix>.state} records them with the owning process's pid and start
 * time (in clock ticks since boot); {@link #close()} (also run by a shutdown hook) removes everything and the file, and a
 * later cluster removes the set of any state file whose process is gone (a crashed or killed JVM).
 *
 * <p>Uses iproute2's {@code ip}; needs CAP_NET_ADMIN and CAP_SYS_ADMIN (root). Threading: safe
 * from any thread.
 */
final class IsolatedNetwork implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(IsolatedNetwork.class);
  /** Where state files live: a tmpfs, emptied at boot like the namespaces themselves. */
  static final Path STATE_DIR = Path.of("/run/mesoskit/netns");
  private static final List<Path> IP = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"),
      Path.of("/usr/bin/ip"), Path.of("/bin/ip"));
  private static final List<Path> CURL = List.of(Path.of("/usr/bin/curl"), Path.of("/bin/curl"),
      Path.of("/usr/local/bin/curl"));
  /** CAP_NET_ADMIN (bridges, veths, addresses) and CAP_SYS_ADMIN ({@code ip netns add}). */
  private static final int CAP_NET_ADMIN = 12;
  private static final int CAP_SYS_ADMIN = 21;
  /** The first host number of agents: agent n has {@code .(10 + n)}. */
  private static final int AGENT_BASE = 10;
  private static final int CLIENT_BASE = 200;

  private final String ip;
  private final String curl;
  private final String prefix;
  /** The /24's first three octets, e.g. {@code 10.213.7}. */
  private final String subnet;
  private final Path stateFile;
  private final List<String> namespaces = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook;
  private int clients;

  private IsolatedNetwork(String ip, String curl, String prefix, String subnet, Path stateFile) {
    this.ip = ip;
    this.curl = curl;
    this.prefix = prefix;
    this.subnet = subnet;
    this.stateFile = stateFile;
    this.shutdownHook = new Thread(this::close, prefix + "-network-cleanup");
  }

  /**
   * Creates the bridge and one namespace per agent, after removing the sets of dead clusters.
   *
   * @param agents how many agents
   * @return the network; close it
   * @throws MesosKitException naming what is missing (tool, capability) or which command failed
   */
  static IsolatedNetwork create(int agents) {
    unavailable().ifPresent(problem -> {
      throw new MesosKitException(problem);
    });
    return create(agents, find(IP).orElseThrow());
  }

  /**
   * {@link #create(int)} with a given {@code ip} program (tests give one that fails a command).
   *
   * @param agents how many agents
   * @param ip the path of iproute2's {@code ip}, or of a program that runs it
   * @return the network; close it
   */
  static IsolatedNetwork create(int agents, String ip) {
    String curl = find(CURL).orElseThrow();
    // one cluster at a time picks a subnet and a prefix, in this JVM and across processes
    synchronized (IsolatedNetwork.class) {
      try {
        Files.createDirectories(STATE_DIR);
      } catch (IOException e) {
        throw new MesosKitException("isolatedNetwork cannot create its state directory "
            + STATE_DIR, e);
      }
      try (java.nio.channels.FileChannel lock = java.nio.channels.FileChannel.open(
          STATE_DIR.resolve("lock"), java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.WRITE)) {
        lock.lock(); // released when the channel closes
        return createLocked(ip, curl, agents);
      } catch (IOException e) {
        throw new MesosKitException("isolatedNetwork cannot lock " + STATE_DIR.resolve("lock"),
            e);
      }
    }
  }

  private static IsolatedNetwork createLocked(String ip, String curl, int agents) {
    removeStale(ip);
    List<String> taken = new ArrayList<>(lines(run(ip, "-4", "-o", "addr", "show")));
    taken.addAll(lines(run(ip, "-4", "route", "show", "table", "all")));
    taken.addAll(subnetsOfStateFiles());
    String subnet = freeSubnet(taken).orElseThrow(() -> new MesosKitException("isolatedNetwork"
        + " found no free /24 in 10.213.0.0/16: every one overlaps an address or route here"));
    String prefix = newPrefix(lines(run(ip, "-o", "link", "show")));
    IsolatedNetwork network = new IsolatedNetwork(ip, curl, prefix, subnet,
        STATE_DIR.resolve(prefix + ".state"));
    try {
      network.writeState();
      Runtime.getRuntime().addShutdownHook(network.shutdownHook);
      network.createBridge();
      for (int n = 1; n <= agents; n++) {
        network.addNamespace(prefix + "-agent-" + n, n, AGENT_BASE + n);
      }
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
    log.info("isolated network created prefix={} bridge={} host_address={} subnet={}.0/24"
        + " agents={}", prefix, network.bridge(), network.hostAddress(), subnet, agents);
    return network;
  }

  /**
   * Why this machine cannot have isolated networks, in the words {@link #create} fails with.
   *
   * @return the problem, or empty when {@code ip}, curl and the capabilities are there
   */
  static Optional<String> unavailable() {
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return Optional.of("isolatedNetwork needs Linux network namespaces but this is "
          + System.getProperty("os.name"));
    }
    if (find(IP).isEmpty()) {
      return Optional.of("isolatedNetwork needs iproute2's ip (apt-get install iproute2) but"
          + " found none of " + IP);
    }
    if (find(CURL).isEmpty()) {
      return Optional.of("isolatedNetwork needs curl (apt-get install curl): agents fetch URIs"
          + " inside their namespaces with it, but found none of " + CURL);
    }
    List<String> missing = missingCapabilities(readCapEff());
    if (!missing.isEmpty()) {
      return Optional.of(capabilitiesMessage(missing));
    }
    return Optional.empty();
  }

  /** The message for missing capabilities. */
  static String capabilitiesMessage(List<String> missing) {
    return "isolatedNetwork needs CAP_NET_ADMIN and CAP_SYS_ADMIN (run as root) to create network"
        + " namespaces, a bridge and veth pairs, but this process lacks "
        + String.join(", ", missing);
  }

  /** @return the prefix of every name of this network, e.g. {@code mk3fa9c} */
  String prefix() {
    return prefix;
  }

  /** @return the bridge's name */
  String bridge() {
    return prefix + "-br";
  }

  /** @return the host side's address on the bridge, where the master and agents' APIs listen */
  String hostAddress() {
    return subnet + ".1";
  }

  /** @return the namespace of agent {@code n} (1 for agent-1) */
  String agentNamespace(int n) {
    return prefix + "-agent-" + n;
  }

  /** @return the address of agent {@code n} in its namespace */
  String agentAddress(int n) {
    return subnet + "." + (AGENT_BASE + n);
  }

  /** @return the curl agents fetch with */
  String curl() {
    return curl;
  }

  /** @return {@code argv} run inside a namespace: {@code ip netns exec <namespace> argv...} */
  List<String> inNamespace(String namespace, List<String> argv) {
    List<String> wrapped = new ArrayList<>(argv.size() + 4);
    wrapped.addAll(List.of(ip, "netns", "exec", namespace));
    wrapped.addAll(argv);
    return wrapped;
  }

  /**
   * Adds a namespace on the bridge standing for another machine, e.g. a client of a service the
   * cluster runs; removed with the network.
   *
   * @return the namespace and its address
   */
  synchronized IsolatedHost addClient() {
    if (closed.get()) {
      throw new IllegalStateException("the cluster's isolated network is closed");
    }
    if (clients >= 50) {
      throw new IllegalStateException("an isolated network has at most 50 client hosts");
    }
    int n = ++clients;
    String namespace = prefix + "-client-" + n;
    addNamespace(namespace, 100 + n, CLIENT_BASE + n);
    return new IsolatedHost(namespace, subnet + "." + (CLIENT_BASE + n), ip);
  }

  private void createBridge() {
    run(ip, "link", "add", bridge(), "type", "bridge");
    run(ip, "addr", "add", hostAddress() + "/24", "dev", bridge());
    run(ip, "link", "set", bridge(), "up");
  }

  private synchronized void addNamespace(String namespace, int link, int hostNumber) {
    String outer = prefix + "-h" + link;
    String inner = prefix + "-n" + link;
    run(ip, "netns", "add", namespace);
    namespaces.add(namespace);
    writeState();
    run(ip, "link", "add", outer, "type", "veth", "peer", "name", inner, "netns", namespace);
    run(ip, "link", "set", outer, "master", bridge(), "up");
    run(ip, "-n", namespace, "link", "set", "lo", "up");
    run(ip, "-n", namespace, "link", "set", inner, "name", "eth0");
    run(ip, "-n", namespace, "addr", "add", subnet + "." + hostNumber + "/24", "dev", "eth0");
    run(ip, "-n", namespace, "link", "set", "eth0", "up");
  }

  /** Removes every namespace (killing what still runs in it), the bridge and the state file. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    List<String> mine;
    synchronized (this) {
      mine = List.copyOf(namespaces);
    }
    remove(ip, prefix, mine);
    try {
      Files.deleteIfExists(stateFile);
    } catch (IOException e) {
      log.warn("cannot delete the isolated network's state file {}", stateFile, e);
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is shutting down (this may be the hook), or create() failed before adding it
    }
    log.info("isolated network removed prefix={}", prefix);
  }

  /** Kills the processes of each namespace, deletes it, then the bridge and any link left. */
  private static void remove(String ip, String prefix, List<String> namespaces) {
    for (String namespace : namespaces) {
      for (String pid : lines(tryRun(ip, "netns", "pids", namespace))) {
        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
      }
      tryRun(ip, "netns", "del", namespace);
    }
    for (String link : linksOf(prefix, lines(tryRun(ip, "-o", "link", "show")))) {
      tryRun(ip, "link", "del", link);
    }
  }

  /** The names of links starting with {@code prefix-} in {@code ip -o link show} output. */
  static List<String> linksOf(String prefix, List<String> ipLinkLines) {
    List<String> links = new ArrayList<>();
    for (String line : ipLinkLines) {
      String[] fields = line.split(":\\s+", 3);
      if (fields.length >= 2) {
        String name = fields[1].split("@", 2)[0].strip();
        if (name.startsWith(prefix + "-")) {
          links.add(name);
        }
      }
    }
    return links;
  }

  /** Removes the sets of state files whose owning process is gone. */
  private static void removeStale(String ip) {
    for (Path file : stateFiles()) {
      Properties state = readState(file);
      if (state == null || owned(state)) {
        continue;
      }
      String prefix = state.getProperty("prefix", "");
      if (!prefix.matches("mk[0-9a-f]{5}")) {
        continue;
      }
      List<String> namespaces = new ArrayList<>();
      for (String line : lines(tryRun(ip, "netns", "list"))) {
        String name = line.split("\\s", 2)[0];
        if (name.startsWith(prefix + "-")) {
          namespaces.add(name);
        }
      }
      log.warn("removing the isolated network of a cluster that is gone prefix={} pid={}"
          + " namespaces={}", prefix, state.getProperty("pid"), namespaces);
      remove(ip, prefix, namespaces);
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        log.warn("cannot delete stale state file {}", file, e);
      }
    }
  }

  /**
   * Whether the process that wrote a state file still runs: the same pid, started at the same
   * clock tick since boot (a reused pid has a later one). Ticks, not a wall-clock instant, which
   * moves when the clock is set and would make a live cluster look gone.
   */
  static boolean owned(Properties state) {
    try {
      long pid = Long.parseLong(state.getProperty("pid", "-1"));
      return pid > 0 && startTicks(pid).map(t -> t.equals(state.getProperty("started", "")))
          .orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * A process's start time in clock ticks since boot, field 22 of {@code /proc/<pid>/stat}.
   *
   * @param pid the process
   * @return the ticks, or empty when it does not run
   */
  static Optional<String> startTicks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so after the last ')'
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return fields.length > 19 ? Optional.of(fields[19]) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private void writeState() {
    Properties state = new Properties();
    state.setProperty("prefix", prefix);
    state.setProperty("subnet", subnet + ".0/24");
    state.setProperty("pid", Long.toString(ProcessHandle.current().pid()));
    state.setProperty("started", startTicks(ProcessHandle.current().pid()).orElse(""));
    state.setProperty("namespaces", String.join(",", namespaces));
    try (var out = Files.newBufferedWriter(stateFile, StandardCharsets.UTF_8)) {
      state.store(out, "MesosKit LocalCluster isolated network");
    } catch (IOException e) {
      throw new MesosKitException("cannot write the isolated network's state file " + stateFile,
          e);
    }
  }

  private static List<Path> stateFiles() {
    try (Stream<Path> files = Files.list(STATE_DIR)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".state")).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Properties readState(Path file) {
    Properties state = new Properties();
    try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      state.load(in);
      return state;
    } catch (IOException | IllegalArgumentException e) {
      log.warn("ignoring unreadable state file {}: {}", file, e.toString());
      return null;
    }
  }

  private static List<String> subnetsOfStateFiles() {
    List<String> subnets = new ArrayList<>();
    for (Path file : stateFiles()) {
      Properties state = readState(file);
      if (state != null && state.getProperty("subnet") != null) {
        subnets.add(state.getProperty("subnet"));
      }
    }
    return subnets;
  }

  /**
   * The first {@code 10.213.N} whose /24 overlaps no network named in {@code taken}: lines of
   * {@code ip -4 -o addr show} and {@code ip -4 route show}, or bare CIDRs. Default routes
   * ({@code default}, {@code 0.0.0.0/0}) are not counted: the namespaces never use them.
   *
   * @param taken the lines
   * @return the first three octets, e.g. {@code 10.213.0}
   */
  static Optional<String> freeSubnet(List<String> taken) {
    List<long[]> networks = new ArrayList<>();
    for (String line : taken) {
      for (String token : line.split("\\s+")) {
        if (token.matches("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?")) {
          long[] network = cidr(token);
          if (network[1] > 0) {
            networks.add(network);
          }
        }
      }
    }
    for (int third = 0; third < 256; third++) {
      long candidate = (10L << 24) | (213L << 16) | ((long) third << 8);
      boolean free = true;
      for (long[] network : networks) {
        int bits = (int) Math.min(network[1], 24);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        if ((candidate & mask) == (network[0] & mask)) {
          free = false;
          break;
        }
      }
      if (free) {
        return Optional.of("10.213." + third);
      }
    }
    return Optional.empty();
  }

  /** {@code a.b.c.d[/len]} as {address, length}; a bare address is a /32. */
  private static long[] cidr(String text) {
    String[] parts = text.split("/");
    long address = 0;
    for (String octet : parts[0].split("\\.")) {
      address = (address << 8) | (Integer.parseInt(octet) & 0xFF);
    }
    return new long[] {address, parts.length > 1 ? Integer.parseInt(parts[1]) : 32};
  }

  /**
   * The capabilities isolated networks need that {@code CapEff} (hex, from
   * {@code /proc/self/status}) lacks.
   *
   * @param capEff the effective capability set, e.g. {@code 000001ffffffffff}
   * @return e.g. {@code [CAP_NET_ADMIN, CAP_SYS_ADMIN]}; empty when both are there
   */
  static List<String> missingCapabilities(String capEff) {
    long caps;
    try {
      caps = Long.parseUnsignedLong(capEff.strip(), 16);
    } catch (NumberFormatException e) {
      caps = 0;
    }
    List<String> missing = new ArrayList<>();
    if ((caps & (1L << CAP_NET_ADMIN)) == 0) {
      missing.add("CAP_NET_ADMIN");
    }
    if ((caps & (1L << CAP_SYS_ADMIN)) == 0) {
      missing.add("CAP_SYS_ADMIN");
    }
    return missing;
  }

  private static String readCapEff() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return line.substring("CapEff:".length()).strip();
        }
      }
    } catch (IOException e) {
      log.debug("cannot read /proc/self/status: {}", e.toString());
    }
    return "0";
  }

  /** A prefix no link here starts with. */
  private static String newPrefix(List<String> links) {
    SecureRandom random = new SecureRandom();
    while (true) {
      String prefix = String.format(Locale.ROOT, "mk%05x", random.nextInt(1 << 20));
      if (linksOf(prefix, links).isEmpty() && !Files.exists(STATE_DIR.resolve(prefix + ".state"))) {
        return prefix;
      }
    }
  }

  private static Optional<String> find(List<Path> candidates) {
    return candidates.stream().filter(Files::isExecutable).map(Path::toString).findFirst();
  }

  private static List<String> lines(String text) {
    return text.isBlank() ? List.of() : List.of(text.split("\n"));
  }

  /** Runs a command; its output, or an exception naming the command and what it printed. */
  static String run(String... command) {
    Result result = exec(command);
    if (result.exit != 0) {
      throw new MesosKitException("isolatedNetwork: '" + String.join(" ", command)
          + "' failed with exit " + result.exit + ": " + result.output.strip());
    }
    return result.output;
  }

  /** Runs a command whose failure is no problem (cleaning up what may be gone); its output. */
  private static String tryRun(String... command) {
    Result result = exec(command);
    return result.exit == 0 ? result.output : "";
  }

  private record Result(int exit, String output) {}

  private static Result exec(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out");
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MesosKitException("interrupted running " + String.join(" ", command), e);
    }
  }
}
