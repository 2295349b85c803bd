package dev.mesoskit.core;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Where the Mesos master is, as given by {@code --master}: {@code local} (the embedded cluster),
 * {@code host:port}, {@code host:port,host:port}, {@code http(s)://host:port}, or
 * {@code zk://host:port[,host:port]/path}.
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

  /** The forms of a master address. */
  public enum Kind {
    /** The embedded local cluster. */
    LOCAL,
    /** One or more masters reached over HTTP(S). */
    HTTP,
    /** Masters found through ZooKeeper. */
    ZOOKEEPER
  }

  /** Copies the list. */
  public MasterAddress {
    masters = List.copyOf(masters);
  }

  /**
   * Parses a {@code --master} value.
   *
   * @param text the value
   * @return the address
   * @throws IllegalArgumentException naming what is wrong
   */
  public static MasterAddress parse(String text) {
    throw new UnsupportedOperationException("written by the master-detection change");
  }
}
