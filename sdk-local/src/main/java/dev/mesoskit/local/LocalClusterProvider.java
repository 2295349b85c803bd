package dev.mesoskit.local;

import dev.mesoskit.core.spi.EmbeddedMaster;

/**
 * Starts the cluster behind {@code --master=local}: 2 agents sized from the machine, stopped when
 * the backend closes or, at the latest, when the JVM exits.
 */
public final class LocalClusterProvider implements EmbeddedMaster.Provider {
  /** Creates the provider; {@link java.util.ServiceLoader} calls this. */
  public LocalClusterProvider() {}

  @Override
  public EmbeddedMaster start() {
    LocalCluster cluster = LocalCluster.builder().start();
    Runtime.getRuntime().addShutdownHook(new Thread(cluster::close, "mesoskit-local-shutdown"));
    return cluster;
  }
}
