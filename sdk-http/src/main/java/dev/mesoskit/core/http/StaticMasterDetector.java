package dev.mesoskit.core.http;

import java.net.URI;
import java.util.List;

/** A fixed list of masters; the backend tries each and follows redirects to the leader. */
final class StaticMasterDetector implements MasterDetector {
  private final List<URI> masters;

  StaticMasterDetector(List<URI> masters) {
    if (masters.isEmpty()) {
      throw new IllegalArgumentException("masters must not be empty");
    }
    this.masters = List.copyOf(masters);
  }

  @Override
  public List<URI> candidates() {
    return masters;
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "masters " + masters;
  }
}
