package dev.mesoskit.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the Mesos master is, as given by {@code --master}: {@code local} (the embedded cluster),
 * {@code host:port}, {@code host:port,host:port}, {@code http(s)://host:port}, or
 * {@code zk://host:port[,host:port]/path}.
 *
 * <p>The forms {@link #parse} accepts:
 * <ul>
 *   <li>{@code local}: the embedded cluster.
 *   <li>{@code host[:port][,host[:port]...]}: masters reached over plain HTTP; a missing port is
 *       Mesos' default 5050. IPv6 literals go in brackets: {@code [::1]:5050}.
 *   <li>{@code http(s)://host[:port][/]}, alone or in a comma-separated list (which may mix in
 *       plain {@code host:port} entries): a URL without a port means the scheme's port.
 *   <li>{@code zk://host[:port][,host[:port]...]/path}: masters registered in ZooKeeper under
 *       {@code path}; a missing port is ZooKeeper's default 2181.
 * </ul>
 *
 * <pre>{@code
 * MasterAddress.parse("zk://zk1:2181,zk2:2181/mesos").zookeeperPath();  // Optional[/mesos]
 * MasterAddress.parse("m1,m2:5051").masters();  // [http://m1:5050, http://m2:5051]
 * }</pre>
 *
 * @param kind which form
 * @param masters the masters' base URIs ({@code http://host:port}) for the HTTP form
 * @param zookeeper the ZooKeeper connect string ({@code host:port,host:port}) for {@code zk://}
 * @param zookeeperPath the znode path under which masters register, e.g. {@code /mesos}
 */
public record MasterAddress(
    MasterAddress.Kind kind,
    List<URI> masters,
    Optional<String> zookeeper,
    Optional<String> zookeeperPath) {

  /** Mesos' default master port, used when a plain host has none. */
  public static final int DEFAULT_MASTER_PORT = 5050;

  /** ZooKeeper's default client port, used when a {@code zk://} host has none. */
  public static final int DEFAULT_ZOOKEEPER_PORT = 2181;

  private static final String FORMS =
      "master must be 'local', host:port[,host:port...], http(s)://host:port"
          + " or zk://host:port[,host:port]/path";

  /** The forms of a master address. */
  public enum Kind {
    /** The embedded local cluster. */
    LOCAL,
    /** One or more masters reached over HTTP(S). */
    HTTP,
    /** Masters found through ZooKeeper. */
    ZOOKEEPER
  }

  /**
   * Copies the list.
   *
   * @param kind which form
   * @param masters the masters' base URIs ({@code http://host:port}) for the HTTP form
   * @param zookeeper the ZooKeeper connect string ({@code host:port,host:port}) for {@code zk://}
   * @param zookeeperPath the znode path under which masters register, e.g. {@code /mesos}
   * @throws NullPointerException if a required field is null
   */
  public MasterAddress {
    Objects.requireNonNull(kind, "kind must not be null");
    masters = List.copyOf(masters);
    Objects.requireNonNull(zookeeper, "zookeeper must not be null");
    Objects.requireNonNull(zookeeperPath, "zookeeperPath must not be null");
  }

  /**
   * Parses a {@code --master} value.
   *
   * @param text the value
   * @return the address
   * @throws IllegalArgumentException naming what is wrong
   */
  public static MasterAddress parse(String text) {
    Objects.requireNonNull(text, "master must not be null");
    if (text.equals("local")) {
      return new MasterAddress(Kind.LOCAL, List.of(), Optional.empty(), Optional.empty());
    }
    if (text.startsWith("zk://")) {
      return parseZooKeeper(text);
    }
    if (text.isEmpty() || text.chars().anyMatch(Character::isWhitespace)) {
      throw unrecognized(text);
    }
    List<URI> masters = new ArrayList<>();
    for (String entry : text.split(",", -1)) {
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("master has an empty entry in '" + text + "'");
      }
      masters.add(parseMaster(entry, text));
    }
    return new MasterAddress(Kind.HTTP, masters, Optional.empty(), Optional.empty());
  }

  /** One entry of a master list: {@code http(s)://host[:port][/]} or {@code host[:port]}. */
  private static URI parseMaster(String entry, String text) {
    boolean url = entry.startsWith("http://") || entry.startsWith("https://");
    if (!url && entry.contains("://")) {
      throw unrecognized(text);
    }
    if (!url && entry.matches(".*[/?#@].*")) { // a host:port has none of these
      java.util.regex.Matcher typo =
          java.util.regex.Pattern.compile("(https?):?/+(.*)").matcher(entry);
      throw new IllegalArgumentException("master entry '" + entry + "' is neither host:port nor"
          + " http(s)://host:port" + (typo.matches()
              ? "; did you mean '" + typo.group(1) + "://" + typo.group(2) + "'?" : ""));
    }
    String scheme = url ? entry.substring(0, entry.indexOf(':')) : "http";
    String authority = url ? entry.substring(scheme.length() + 3) : entry;
    if (url && authority.endsWith("/")) {
      authority = authority.substring(0, authority.length() - 1);
    }
    if (url && (authority.isEmpty() || authority.matches(".*[/?#@].*"))) {
      throw new IllegalArgumentException("master URL must be " + scheme
          + "://host:port with nothing after it but an optional '/' but was '" + entry + "'");
    }
    HostPort hostPort = HostPort.parse(authority, text);
    String base = scheme + "://" + hostPort.host();
    if (hostPort.port().isPresent()) {
      base += ":" + hostPort.port().getAsInt();
    } else if (!url) {
      base += ":" + DEFAULT_MASTER_PORT;
    }
    return checkedUri(base, hostPort.host(), authority);
  }

  private static MasterAddress parseZooKeeper(String text) {
    String rest = text.substring("zk://".length());
    int slash = rest.indexOf('/');
    if (slash < 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException(
          "zk:// address needs a path such as /mesos but was '" + text + "'");
    }
    String hosts = rest.substring(0, slash);
    String path = rest.substring(slash);
    if (hosts.contains("@")) {
      // Never echo the value: it holds a password.
      throw new IllegalArgumentException(
          "zk:// credentials (user:password@) are not supported; remove them from the master");
    }
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException(
          "zk:// address needs at least one host:port before the path but was '" + text + "'");
    }
    if (path.endsWith("/") || path.contains("//") || path.contains("/./")
        || path.endsWith("/.") || path.contains("/../") || path.endsWith("/..")
        || path.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
      throw new IllegalArgumentException("zk:// path must be a ZooKeeper path such as /mesos"
          + " (no empty, '.' or '..' segments, no trailing '/', no spaces) but was '" + path
          + "' in '" + text + "'");
    }
    List<String> connect = new ArrayList<>();
    for (String entry : hosts.split(",", -1)) {
      if (entry.isEmpty()) {
        throw new IllegalArgumentException("zk:// address has an empty host in '" + text + "'");
      }
      HostPort hostPort = HostPort.parse(entry, text);
      checkedUri("zk://" + hostPort.host(), hostPort.host(), entry);
      int port = hostPort.port().orElse(DEFAULT_ZOOKEEPER_PORT);
      connect.add(hostPort.host() + ":" + port);
    }
    return new MasterAddress(
        Kind.ZOOKEEPER, List.of(), Optional.of(String.join(",", connect)), Optional.of(path));
  }

  /** Builds the URI, and checks through it that the host is a hostname or an IP address. */
  private static URI checkedUri(String uri, String host, String entry) {
    URI parsed;
    try {
      parsed = new URI(uri);
    } catch (java.net.URISyntaxException e) {
      parsed = null;
    }
    if (parsed == null || parsed.getHost() == null) {
      throw new IllegalArgumentException("host must be a hostname or an IP address but was '"
          + host + "' in '" + entry + "'");
    }
    return parsed;
  }

  private static IllegalArgumentException unrecognized(String text) {
    return new IllegalArgumentException(FORMS + " but was '" + text + "'");
  }

  /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}; the host keeps brackets. */
  private record HostPort(String host, OptionalInt port) {
    static HostPort parse(String entry, String text) {
      String host;
      String port;
      if (entry.startsWith("[")) {
        int close = entry.indexOf(']');
        if (close < 0) {
          throw new IllegalArgumentException(
              "IPv6 address must be closed with ']' but was '" + entry + "'");
        }
        host = entry.substring(0, close + 1);
        String after = entry.substring(close + 1);
        if (after.isEmpty()) {
          port = null;
        } else if (after.startsWith(":")) {
          port = after.substring(1);
        } else {
          throw unrecognized(text);
        }
        if (host.length() == 2 || host.substring(1, host.length() - 1).indexOf(':') < 0) {
          throw new IllegalArgumentException(
              "host must be a hostname or an IP address but was '" + host + "' in '" + entry + "'");
        }
      } else {
        int colon = entry.indexOf(':');
        if (colon != entry.lastIndexOf(':')) {
          throw unrecognized(text);
        }
        host = colon < 0 ? entry : entry.substring(0, colon);
        port = colon < 0 ? null : entry.substring(colon + 1);
        if (host.isEmpty()) {
          throw new IllegalArgumentException("host must not be empty in '" + entry + "'");
        }
      }
      return new HostPort(host, port == null ? OptionalInt.empty() : parsePort(port, entry));
    }

    private static OptionalInt parsePort(String port, String entry) {
      if (port.isEmpty() || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException(
            "port must be a number 1-65535 but was '" + port + "' in '" + entry + "'");
      }
      long value = port.length() > 9 ? Long.MAX_VALUE : Long.parseLong(port);
      if (value < 1 || value > 65535) {
        throw new IllegalArgumentException(
            "port must be 1-65535 but was " + port + " in '" + entry + "'");
      }
      return OptionalInt.of((int) value);
    }
  }
}
