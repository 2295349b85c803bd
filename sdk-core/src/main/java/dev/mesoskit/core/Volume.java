package dev.mesoskit.core;

import java.util.Objects;

/**
 * A volume mounted into a task's container ({@code ContainerInfo.volumes}): a directory of the
 * agent host, of the task's own sandbox, or, for a task of a pod, of the pod's sandbox, which is
 * how the tasks of a pod share files.
 *
 * <pre>{@code
 * Volume.host("/etc/ssl/certs", "/etc/ssl/certs", Volume.Mode.RO)
 * Volume.sandbox("data", "/var/lib/app", Volume.Mode.RW)
 * Volume.podSandbox("shared", "shared", Volume.Mode.RW)   // the pod's sandbox dir "shared"
 * }</pre>
 *
 * @param source where the directory comes from
 * @param sourcePath the host path (absolute) or the sandbox path (relative, no {@code ..})
 * @param containerPath where the task sees it: absolute in an image's root file system, or
 *     relative to the task's sandbox
 * @param mode read-write or read-only
 */
public record Volume(Source source, String sourcePath, String containerPath, Mode mode) {

  /** Where a volume's directory comes from. */
  public enum Source {
    /** A directory of the agent host ({@code Volume.host_path}). */
    HOST,
    /** A directory in the task's own sandbox ({@code SANDBOX_PATH}, type {@code SELF}). */
    SANDBOX,
    /** A directory in the pod's sandbox ({@code SANDBOX_PATH}, type {@code PARENT}). */
    POD_SANDBOX
  }

  /** Read-write or read-only, as Mesos' {@code Volume.Mode}. */
  public enum Mode {
    /** Read-write. */
    RW,
    /** Read-only. */
    RO
  }

  /**
   * Validates the fields.
   *
   * @param source where the directory comes from
   * @param sourcePath the host path (absolute) or the sandbox path (relative, no {@code ..})
   * @param containerPath where the task sees it
   * @param mode read-write or read-only
   * @throws IllegalArgumentException naming the field, the rule and the value
   */
  public Volume {
    Objects.requireNonNull(source, "source must not be null");
    Objects.requireNonNull(mode, "mode must not be null");
    if (sourcePath == null || sourcePath.isBlank()) {
      throw new IllegalArgumentException("a volume's source path must not be blank but was '"
          + sourcePath + "'");
    }
    if (containerPath == null || containerPath.isBlank()) {
      throw new IllegalArgumentException("a volume's container path must not be blank but was '"
          + containerPath + "'");
    }
    if (source == Source.HOST && !sourcePath.startsWith("/")) {
      throw new IllegalArgumentException("a host volume's path must be absolute but was '"
          + sourcePath + "'");
    }
    if (source != Source.HOST && (sourcePath.startsWith("/") || hasDotDot(sourcePath))) {
      throw new IllegalArgumentException("a sandbox volume's path must be relative to the sandbox"
          + " and not contain '..' but was '" + sourcePath + "'");
    }
    if (hasDotDot(containerPath)) {
      throw new IllegalArgumentException("a volume's container path must not contain '..' but was"
          + " '" + containerPath + "'");
    }
  }

  private static boolean hasDotDot(String path) {
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /**
   * A directory of the agent host.
   *
   * @param hostPath absolute path on the agent
   * @param containerPath where the task sees it
   * @param mode read-write or read-only
   * @return the volume
   */
  public static Volume host(String hostPath, String containerPath, Mode mode) {
    return new Volume(Source.HOST, hostPath, containerPath, mode);
  }

  /**
   * A directory of the task's own sandbox.
   *
   * @param sandboxPath relative to the sandbox
   * @param containerPath where the task sees it
   * @param mode read-write or read-only
   * @return the volume
   */
  public static Volume sandbox(String sandboxPath, String containerPath, Mode mode) {
    return new Volume(Source.SANDBOX, sandboxPath, containerPath, mode);
  }

  /**
   * A directory of the pod's sandbox, shared by the pod's tasks that mount it.
   *
   * @param podSandboxPath relative to the pod's (its executor's) sandbox
   * @param containerPath where the task sees it
   * @param mode read-write or read-only
   * @return the volume
   */
  public static Volume podSandbox(String podSandboxPath, String containerPath, Mode mode) {
    return new Volume(Source.POD_SANDBOX, podSandboxPath, containerPath, mode);
  }
}
