package dev.mesoskit.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Another machine on a {@link LocalCluster}'s isolated network: a Linux network namespace on the
 * cluster's bridge with an address of its own, reaching the cluster's master and agents only
 * through their non-loopback addresses, as a client on another host would. Removed when the
 * cluster closes.
 *
 * <pre>{@code
 * IsolatedHost client = cluster.addClientHost();
 * Process curl = new ProcessBuilder(client.command(List.of("curl", "-sS", url))).start();
 * }</pre>
 *
 * @param namespace the namespace's name, e.g. {@code mk3fa9c-client-1}
 * @param address its IPv4 address on the bridge, e.g. {@code 10.213.0.201}
 * @param ip the {@code ip} program that enters it
 */
public record IsolatedHost(String namespace, String address, String ip) {

  /**
   * Checks the fields.
   *
   * @param namespace the namespace's name
   * @param address its IPv4 address on the bridge
   * @param ip the {@code ip} program that enters it
   * @throws NullPointerException when one is null
   */
  public IsolatedHost {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(ip, "ip");
  }

  /**
   * A command run on this host: {@code ip netns exec <namespace> argv...}, for a
   * {@link ProcessBuilder}. Needs the same privileges as the cluster (root).
   *
   * @param argv the program and its arguments
   * @return the command line
   */
  public List<String> command(List<String> argv) {
    List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
    command.addAll(argv);
    return command;
  }
}
