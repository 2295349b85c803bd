package dev.mesoskit.core.http.archfixture;

import dev.mesoskit.core.internal.RuntimeConfig;
import dev.mesoskit.offers.archfixture.BadPlugin;

/**
 * A class that breaks the backend arrows on purpose: it sits in sdk-http's package and reaches
 * into core.internal and into a plug-in, and shows protobuf in its public API. Only
 * {@code ArchitectureRulesTest} imports it.
 */
public final class BadBackend {
  private BadBackend() {}

  static Object internals() {
    return RuntimeConfig.class;
  }

  static Object plugin() {
    return BadPlugin.class;
  }

  /**
   * A protobuf type in the public API of a backend.
   *
   * @return a task id
   */
  public static org.apache.mesos.v1.Protos.TaskID leak() {
    return org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue("x").build();
  }
}
