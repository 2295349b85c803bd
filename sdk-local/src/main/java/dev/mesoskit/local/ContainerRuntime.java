package dev.mesoskit.local;

/**
 * What runs the container images of command tasks (a {@code ContainerInfo} of type
 * {@code DOCKER}, or of type {@code MESOS} with a Docker image) on a {@link LocalCluster}; see
 * {@link LocalCluster.Builder#containerRuntime}. Tasks without an image run as host processes
 * whatever this says.
 */
public enum ContainerRuntime {
  /** Podman when it is installed and works here, else image tasks end TASK_FAILED. */
  AUTO,
  /** Podman, which must work here: {@link LocalCluster.Builder#start()} fails otherwise. */
  PODMAN,
  /** No runtime: image tasks end TASK_FAILED, as on a Mesos agent without an image provider. */
  NONE
}
