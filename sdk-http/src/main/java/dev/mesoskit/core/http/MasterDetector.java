package dev.mesoskit.core.http;

import dev.mesoskit.core.MasterAddress;
import java.net.URI;
import java.util.List;

/**
 * Tells the HTTP backend where to find the leading Mesos master.
 *
 * <p>For a list of masters ({@code host:port,host:port}) it returns the list, and the backend
 * tries each, following the 307 redirects of non-leading masters. For ZooKeeper
 * ({@code zk://host:port/mesos}) it returns the current leader, read from the lowest
 * {@code json.info_<seq>} znode, and follows leader changes.
 *
 * <p>Threading: safe from any thread.
 */
public interface MasterDetector extends AutoCloseable {
  /**
   * The masters to try, in order, as base URIs ({@code http://host:port}).
   *
   * @return the candidates; empty while ZooKeeper knows no leader
   */
  List<URI> candidates();

  /** Releases the detector's resources (a ZooKeeper session). Idempotent. */
  @Override
  void close();

  /**
   * The detector for an address.
   *
   * @param address a parsed {@code --master} value; not {@code local}
   * @return a fixed list for host lists and URLs, a ZooKeeper watcher for {@code zk://}
   * @throws IllegalArgumentException for {@code local}, which has no master to detect
   */
  static MasterDetector forAddress(MasterAddress address) {
    return switch (address.kind()) {
      case HTTP -> new StaticMasterDetector(address.masters());
      case ZOOKEEPER -> dev.mesoskit.core.spi.Providers.load(Provider.class).stream()
          .filter(p -> p.kind() == MasterAddress.Kind.ZOOKEEPER)
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--master=zk://"
              + address.zookeeper().orElse("") + address.zookeeperPath().orElse("") + " needs the"
              + " ZooKeeper master detection of sdk-zookeeper (dev.mesoskit:sdk-zookeeper) on"
              + " the class path; add it"))
          .start(address);
      case LOCAL -> throw new IllegalArgumentException(
          "master 'local' has no master to detect: it starts an embedded cluster");
    };
  }

  /**
   * Starts detectors for a kind of address the HTTP backend does not handle itself
   * ({@code zk://}, from sdk-zookeeper); found with {@link java.util.ServiceLoader}.
   */
  interface Provider {
    /**
     * The kind of address this provider detects masters of.
     *
     * @return e.g. {@link MasterAddress.Kind#ZOOKEEPER}
     */
    MasterAddress.Kind kind();

    /**
     * Starts watching for the leading master.
     *
     * @param address a parsed {@code --master} value of {@link #kind()}
     * @return the running detector
     */
    MasterDetector start(MasterAddress address);
  }
}
