package dev.mesoskit.core.jni;

import java.util.Objects;
import java.util.Optional;
import org.apache.mesos.Protos;
import org.apache.mesos.Scheduler;

/**
 * What a driver factory gets to create a {@code SchedulerDriver}: the arguments of the
 * {@code MesosSchedulerDriver} constructor.
 *
 * @param scheduler the callbacks the driver calls
 * @param frameworkInfo the framework, with its id when failing over
 * @param master the master as libmesos takes it ({@code host:port}, {@code zk://...})
 * @param implicitAcknowledgements whether the driver acknowledges updates itself (MesosKit: never)
 * @param credential the principal and secret to authenticate with, if any
 */
record DriverRequest(
    Scheduler scheduler,
    Protos.FrameworkInfo frameworkInfo,
    String master,
    boolean implicitAcknowledgements,
    Optional<Protos.Credential> credential) {

  /** Validates the fields. */
  DriverRequest {
    Objects.requireNonNull(scheduler, "scheduler must not be null");
    Objects.requireNonNull(frameworkInfo, "frameworkInfo must not be null");
    Objects.requireNonNull(master, "master must not be null");
    Objects.requireNonNull(credential, "credential must not be null");
  }

  /** Shows everything but the secret. */
  @Override
  public String toString() {
    return "DriverRequest[master=" + master + ", framework=" + frameworkInfo.getName()
        + ", implicitAcknowledgements=" + implicitAcknowledgements + ", principal="
        + credential.map(Protos.Credential::getPrincipal).orElse("none") + "]";
  }
}
