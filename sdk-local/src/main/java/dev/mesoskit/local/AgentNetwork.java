package dev.mesoskit.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where an agent's processes live on the network: by default on this machine's network, its
 * executor API on 127.0.0.1; on an {@link IsolatedNetwork}, in the agent's namespace. There, every
 * executor and command task (and podman client) is started through {@code ip netns exec}, URIs are
 * fetched by curl run in the namespace (so a URI naming 127.0.0.1 fails there as on another
 * host), and the executor API, which listens on the bridge's host-side address in this JVM, is
 * reached at the agent's own address, port {@link NamespaceRelay#PORT}, through a
 * {@link NamespaceRelay} the agent starts in the namespace.
 *
 * <p>Threading: {@link #open} and {@link #close} are called by the agent's start and close; the
 * rest is immutable.
 */
final class AgentNetwork {
  /** This machine's network: nothing wrapped, the executor API on 127.0.0.1. */
  static final AgentNetwork HOST = new AgentNetwork(null, 0);

  private final IsolatedNetwork network;
  private final int agent;
  private Process relay;

  private AgentNetwork(IsolatedNetwork network, int agent) {
    this.network = network;
    this.agent = agent;
  }

  /**
   * Agent {@code n}'s place on an isolated network.
   *
   * @param network the cluster's network
   * @param n the agent's number, 1 for agent-1
   * @return the placement
   */
  static AgentNetwork isolated(IsolatedNetwork network, int n) {
    return new AgentNetwork(network, n);
  }

  /** @return whether the agent lives in a namespace of its own */
  boolean isolated() {
    return network != null;
  }

  /** @return the address the agent's executor API listens on, in this JVM */
  String bindHost() {
    return network == null ? "127.0.0.1" : network.hostAddress();
  }

  /** @return the agent's address: what offers carry as its hostname when isolated */
  Optional<String> address() {
    return network == null ? Optional.empty() : Optional.of(network.agentAddress(agent));
  }

  /** @return the agent's namespace, when isolated */
  Optional<String> namespace() {
    return network == null ? Optional.empty() : Optional.of(network.agentNamespace(agent));
  }

  /**
   * A process's command line, run in the agent's namespace when isolated.
   *
   * @param argv the command
   * @return {@code argv}, or {@code ip netns exec <namespace> argv...}
   */
  List<String> wrap(List<String> argv) {
    return network == null ? argv : network.inNamespace(network.agentNamespace(agent), argv);
  }

  /**
   * Makes the executor API reachable where executors run: on an isolated network, starts the
   * relay on the agent's address and waits until it listens.
   *
   * @param apiPort the port the executor API listens on at {@link #bindHost()}
   * @return the endpoint executors are given
   * @throws IOException when the relay does not start
   */
  URI open(int apiPort) throws IOException {
    if (network == null) {
      return URI.create("http://127.0.0.1:" + apiPort);
    }
    String address = network.agentAddress(agent);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath;
    try {
      classpath = Path.of(NamespaceRelay.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toString();
    } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
      throw new IOException("cannot find the classes of sdk-local to start the relay", e);
    }
    List<String> argv = new ArrayList<>(List.of(java));
    argv.addAll(NamespaceRelay.JVM_OPTIONS);
    argv.addAll(List.of("-cp", classpath, NamespaceRelay.class.getName(), address,
        Integer.toString(NamespaceRelay.PORT), network.hostAddress(), Integer.toString(apiPort)));
    List<String> command = wrap(argv);
    relay = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(relay.getInputStream(),
        StandardCharsets.US_ASCII));
    String line = out.readLine();
    if (!"ready".equals(line)) {
      relay.destroyForcibly();
      throw new IOException("the relay of the agent's address " + address + ":"
          + NamespaceRelay.PORT + " did not start (exit " + waitFor(relay) + ")");
    }
    return URI.create("http://" + address + ":" + NamespaceRelay.PORT);
  }

  /** Stops the relay, if any. */
  void close() {
    if (relay != null) {
      relay.destroyForcibly();
      waitFor(relay);
    }
  }

  private static int waitFor(Process process) {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * Downloads an http(s) URI to a file with curl in the agent's namespace, as mesos-fetcher does
   * with libcurl on the agent's host.
   *
   * @param source the URI
   * @param destination the file
   * @return the size downloaded, which the fetcher cache takes as the size reported up front
   * @throws IOException {@code Error downloading resource: <curl's error>}, or the HTTP status
   */
  long download(String source, Path destination) throws IOException {
    List<String> command = wrap(List.of(network.curl(), "--silent", "--show-error", "--location",
        "--connect-timeout", "10", "--max-time", "300", "--output", destination.toString(),
        "--write-out", "%{http_code}", "--", source));
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().close();
    String status;
    String error;
    try {
      status = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      error = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("Error downloading resource: interrupted", e);
    }
    if (process.exitValue() != 0) {
      Files.deleteIfExists(destination);
      throw new IOException("Error downloading resource: " + curlMessage(error));
    }
    if (!status.equals("200")) {
      Files.deleteIfExists(destination);
      throw new IOException("Error downloading resource, received HTTP return code " + status);
    }
    return Files.size(destination);
  }

  /**
   * curl's error without its {@code curl: (N) } prefix and its timing, e.g.
   * {@code Failed to connect to 127.0.0.1 port 8080: Couldn't connect to server}.
   */
  static String curlMessage(String stderr) {
    List<String> lines = new ArrayList<>(List.of(stderr.strip().split("\n")));
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
    return last.replaceFirst("^curl: \\(\\d+\\) ", "").replaceFirst(" after \\d+ ms", "");
  }
}
