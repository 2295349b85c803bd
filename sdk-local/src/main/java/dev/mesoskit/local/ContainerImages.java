package dev.mesoskit.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.mesos.v1.Protos;

/**
 * Command tasks with a container image: which image a {@code TaskInfo} asks for, the refusal an
 * agent that cannot run it sends, and the {@code podman run} that runs it as Mesos' containerizer
 * would: host network, the sandbox at {@value #SANDBOX} (its working directory, and
 * {@code MESOS_SANDBOX}), the {@code ContainerInfo} volumes, the command's environment, the
 * command with {@code /bin/sh -c} when it is a shell command or the image's entrypoint when it
 * has no value, {@code --init} so that SIGTERM reaches the command.
 *
 * <p>Threading: stateless.
 */
final class ContainerImages {
  /** Where the sandbox is inside a container, as Mesos mounts it. */
  static final String SANDBOX = "/mnt/mesos/sandbox";

  private ContainerImages() {}

  /**
   * The image a task asks for: {@code container.docker.image} for a DOCKER container, the image
   * of a MESOS container that has one; null for a task without an image.
   */
  static Protos.Image imageOf(Protos.TaskInfo task) {
    if (!task.hasContainer()) {
      return null;
    }
    Protos.ContainerInfo container = task.getContainer();
    if (container.getType() == Protos.ContainerInfo.Type.DOCKER) {
      return Protos.Image.newBuilder().setType(Protos.Image.Type.DOCKER)
          .setDocker(Protos.Image.Docker.newBuilder()
              .setName(container.getDocker().getImage()))
          .build();
    }
    if (container.getType() == Protos.ContainerInfo.Type.MESOS && container.hasMesos()
        && container.getMesos().hasImage()) {
      return container.getMesos().getImage();
    }
    return null;
  }

  /**
   * Why a task with an image cannot run here, as the {@code TASK_FAILED} message (after the
   * agent's {@code "Failed to launch container: "}); null when podman runs it. A MESOS container
   * follows Mesos' provisioner without the image's store ({@code "Unsupported container image
   * type: DOCKER"}), a DOCKER container the agent without the Docker containerizer.
   */
  static String refusal(Protos.TaskInfo task, Podman podman) {
    Protos.Image image = imageOf(task);
    if (image == null) {
      return null;
    }
    String mesos;
    if (task.getContainer().getType() == Protos.ContainerInfo.Type.DOCKER) {
      mesos = "None of the enabled containerizers (mesos) could create a container for the"
          + " provided TaskInfo/ExecutorInfo message";
    } else {
      mesos = "Unsupported container image type: " + image.getType();
    }
    String why;
    if (image.getType() != Protos.Image.Type.DOCKER) {
      why = "podman runs Docker images only";
    } else if (podman.unusable().isPresent()) {
      why = "podman is not usable (" + podman.unusable().get() + ")";
    } else {
      return null;
    }
    return "Failed to launch container: " + mesos + "; LocalCluster cannot run container images"
        + " here: " + why + "; run on a Mesos agent with a container runtime, or install podman"
        + " and runc (see LocalCluster.Builder.containerRuntime)";
  }

  /**
   * Why a custom executor cannot run here: LocalCluster runs custom executors as host processes,
   * so one that asks for a container image fails instead of running without it; null for an
   * executor without an image.
   */
  static String executorRefusal(Protos.ExecutorInfo executor) {
    if (!executor.hasContainer()) {
      return null;
    }
    Protos.ContainerInfo container = executor.getContainer();
    boolean docker = container.getType() == Protos.ContainerInfo.Type.DOCKER;
    if (!docker && !(container.hasMesos() && container.getMesos().hasImage())) {
      return null;
    }
    String mesos = docker
        ? "None of the enabled containerizers (mesos) could create a container for the provided"
            + " TaskInfo/ExecutorInfo message"
        : "Unsupported container image type: " + container.getMesos().getImage().getType();
    return "Failed to launch container: " + mesos + "; LocalCluster cannot run custom executors"
        + " in container images: it runs each executor as a host process (only command tasks"
        + " run in images, through podman); run on a Mesos agent with a container runtime";
  }

  /**
   * The arguments of {@code podman run} for a task: in the foreground, removed when it ends.
   *
   * @param task the task, with an image
   * @param name the container's name
   * @param sandbox the task's sandbox on the host
   * @param environment the task's environment as a host process would get it
   * @return podman's arguments
   */
  static List<String> runArguments(Protos.TaskInfo task, String name, Path sandbox,
      Map<String, String> environment) {
    Protos.Image image = imageOf(task);
    Protos.CommandInfo command = task.getCommand();
    List<String> args = new ArrayList<>(List.of("run", "--rm", "--init", "--name", name,
        "--network=host", "--pull=missing", "-v", sandbox + ":" + SANDBOX + ":rw", "-w", SANDBOX));
    for (Protos.Volume volume : task.getContainer().getVolumesList()) {
      String host = hostPath(volume, sandbox);
      if (host == null) {
        continue;
      }
      String inside = volume.getContainerPath().startsWith("/") ? volume.getContainerPath()
          : SANDBOX + "/" + volume.getContainerPath();
      args.addAll(List.of("-v", host + ":" + inside + ":"
          + (volume.getMode() == Protos.Volume.Mode.RO ? "ro" : "rw")));
    }
    Map<String, String> explicit = new java.util.TreeMap<>();
    for (Protos.Environment.Variable variable : command.getEnvironment().getVariablesList()) {
      if (variable.getType() != Protos.Environment.Variable.Type.SECRET) {
        explicit.put(variable.getName(), variable.getValue());
      }
    }
    new java.util.TreeMap<>(environment).forEach((key, value) -> { // in name order
      // the image's PATH, unless the command sets one
      if (!key.equals("PATH") || explicit.containsKey("PATH")) {
        args.addAll(List.of("-e", key + "=" + (key.equals("MESOS_SANDBOX") ? SANDBOX : value)));
      }
    });
    if (command.hasValue() && (!command.hasShell() || command.getShell())) {
      args.add(imageName(image));
      args.addAll(List.of("/bin/sh", "-c", command.getValue()));
    } else if (command.hasValue()) {
      args.addAll(List.of("--entrypoint", command.getValue()));
      args.add(imageName(image));
      List<String> arguments = command.getArgumentsList();
      args.addAll(arguments.subList(Math.min(1, arguments.size()), arguments.size()));
    } else {
      args.add(imageName(image));
      args.addAll(command.getArgumentsList());
    }
    return args;
  }

  private static String imageName(Protos.Image image) {
    return image.getDocker().getName();
  }

  /** The host side of a volume: a host path, or a sandbox subdirectory (created); null if none. */
  private static String hostPath(Protos.Volume volume, Path sandbox) {
    if (volume.hasSource()) {
      Protos.Volume.Source source = volume.getSource();
      if (source.getType() == Protos.Volume.Source.Type.HOST_PATH) {
        return source.getHostPath().getPath();
      }
      if (source.getType() == Protos.Volume.Source.Type.SANDBOX_PATH
          && source.getSandboxPath().getType() == Protos.Volume.Source.SandboxPath.Type.SELF) {
        Path dir = sandbox.resolve(source.getSandboxPath().getPath()).normalize();
        if (!dir.startsWith(sandbox)) {
          return null;
        }
        try {
          java.nio.file.Files.createDirectories(dir);
        } catch (java.io.IOException e) {
          return null;
        }
        return dir.toString();
      }
      return null;
    }
    return volume.hasHostPath() ? volume.getHostPath() : null;
  }
}
