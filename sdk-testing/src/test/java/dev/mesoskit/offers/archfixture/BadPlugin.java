package dev.mesoskit.offers.archfixture;

import dev.mesoskit.core.internal.RuntimeConfig;
import org.apache.mesos.MesosSchedulerDriver;
import org.apache.mesos.v1.Protos;

/**
 * A class that breaks every layering rule on purpose: it sits in sdk-offers' package and reaches
 * into core.internal, protobuf and the native driver. Only {@code ArchitectureRulesTest} imports
 * it, to prove the rules fail.
 */
public final class BadPlugin {
  private BadPlugin() {}

  static Object internals() {
    return RuntimeConfig.class;
  }

  static Object protobuf() {
    return Protos.TaskID.newBuilder().setValue("x").build();
  }

  static Class<?> driver() {
    return MesosSchedulerDriver.class;
  }
}
