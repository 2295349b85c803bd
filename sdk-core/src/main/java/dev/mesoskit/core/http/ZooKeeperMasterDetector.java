package dev.mesoskit.core.http;

import java.net.URI;
import java.util.List;

/** Finds the leading master in ZooKeeper. */
final class ZooKeeperMasterDetector implements MasterDetector {
  static ZooKeeperMasterDetector start(String connect, String path) {
    throw new UnsupportedOperationException("written by the master-detection change");
  }

  @Override
  public List<URI> candidates() {
    return List.of();
  }

  @Override
  public void close() {}
}
