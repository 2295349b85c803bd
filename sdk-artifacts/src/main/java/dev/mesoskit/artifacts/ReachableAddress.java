package dev.mesoskit.artifacts;

import dev.mesoskit.core.MasterAddress;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This machine's address on the way to a master: the source address the kernel picks for a
 * packet to it (a UDP socket's {@code connect}, which sends nothing). The agents of that master
 * sit on its network, so this address is the likeliest one they reach, unlike this machine's
 * host name, which often resolves to a loopback address ({@code 127.0.1.1} in Debian's
 * {@code /etc/hosts}).
 */
final class ReachableAddress {
  private ReachableAddress() {}

  /**
   * The address of this machine that routes to the master's first host (the first ZooKeeper
   * host for {@code zk://}).
   *
   * @param master the master
   * @return the address, or empty for the embedded master, a master on a loopback address, or
   *     one that does not resolve or has no route from here
   */
  static Optional<String> toward(MasterAddress master) {
    String host;
    int port;
    switch (master.kind()) {
      case HTTP -> {
        URI first = master.masters().get(0);
        host = first.getHost();
        port = first.getPort() > 0 ? first.getPort() : MasterAddress.DEFAULT_MASTER_PORT;
      }
      case ZOOKEEPER -> {
        String first = master.zookeeper().orElse("").split(",")[0];
        host = zookeeperHost(first);
        port = first.length() > host.length()
            ? Integer.parseInt(first.substring(host.length() + 1))
            : MasterAddress.DEFAULT_ZOOKEEPER_PORT;
      }
      default -> {
        return Optional.empty();
      }
    }
    try (DatagramSocket socket = new DatagramSocket()) {
      InetAddress target = InetAddress.getByName(host);
      if (target.isLoopbackAddress()) {
        return Optional.empty();
      }
      socket.connect(new InetSocketAddress(target, port));
      InetAddress local = socket.getLocalAddress();
      if (local == null || local.isAnyLocalAddress() || local.isLoopbackAddress()) {
        return Optional.empty();
      }
      return Optional.of(local.getHostAddress());
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether a master is on a loopback address (all of its hosts; for {@code zk://}, all of the
   * ZooKeeper hosts), so that its agents are on this machine.
   */
  static boolean onLoopback(MasterAddress master) {
    List<String> hosts = new ArrayList<>();
    switch (master.kind()) {
      case LOCAL -> {
        return true;
      }
      case HTTP -> master.masters().forEach(uri -> hosts.add(uri.getHost()));
      default -> {
        for (String entry : master.zookeeper().orElse("").split(",")) {
          hosts.add(zookeeperHost(entry));
        }
      }
    }
    for (String host : hosts) {
      try {
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return !hosts.isEmpty();
  }

  /** A master as {@code --master} would name it, e.g. {@code 10.0.0.5:5050}. */
  static String describe(MasterAddress master) {
    return switch (master.kind()) {
      case LOCAL -> "local";
      case HTTP -> String.join(",", master.masters().stream()
          .map(uri -> uri.getScheme().equals("http") ? uri.getAuthority() : uri.toString())
          .toList());
      case ZOOKEEPER -> "zk://" + master.zookeeper().orElse("")
          + master.zookeeperPath().orElse("");
    };
  }

  /** The host of a ZooKeeper connect string's entry: {@code host[:port]} or {@code [v6][:port]}. */
  private static String zookeeperHost(String entry) {
    if (entry.startsWith("[")) {
      return entry.substring(0, entry.indexOf(']') + 1);
    }
    int colon = entry.indexOf(':');
    return colon < 0 ? entry : entry.substring(0, colon);
  }
}
