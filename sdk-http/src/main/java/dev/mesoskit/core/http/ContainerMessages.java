package dev.mesoskit.core.http;

import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.Volume;
import java.util.List;
import org.apache.mesos.v1.Protos;

/**
 * The messages of containers and volumes ({@code ContainerInfo}, {@code Volume}). Package-private: {@link V1Conversions} is the backends' public face.
 *
 * <p>Stateless; safe from any thread.
 */
final class ContainerMessages {
  private ContainerMessages() {}

  /**
   * The {@code ContainerInfo} of a container. Mesos' containerizer: type {@code MESOS} with
   * {@code mesos.image} ({@code DOCKER} or {@code APPC}, {@code cached} unless the image is
   * pulled at every launch) when it has an image. The Docker containerizer: type {@code DOCKER}
   * with {@code docker} (image, network, port mappings whose {@code host_port} is the task's port
   * of the mapping's index, parameters, {@code force_pull_image}). Volumes of both:
   * {@code host_path} for host directories, a {@code SANDBOX_PATH} source of type {@code SELF}
   * for the task's own sandbox and {@code PARENT} for the pod's.
   *
   * @param container the container
   * @param taskPorts the ports of the task (or executor) that runs in it, ascending
   * @return the message
   * @throws IllegalArgumentException when a port mapping's index is beyond the ports
   */
  static Protos.ContainerInfo containerInfo(ContainerSpec container,
      List<Long> taskPorts) {
    Protos.ContainerInfo.Builder b = Protos.ContainerInfo.newBuilder();
    if (container.type() == ContainerSpec.Type.DOCKER) {
      ContainerSpec.Image image = container.image().orElseThrow();
      Protos.ContainerInfo.DockerInfo.Builder docker =
          Protos.ContainerInfo.DockerInfo.newBuilder()
              .setImage(image.name())
              .setNetwork(Protos.ContainerInfo.DockerInfo.Network.valueOf(
                  container.network().name()))
              .setForcePullImage(container.forcePull());
      for (ContainerSpec.PortMapping m : container.portMappings()) {
        if (m.taskPortIndex() >= taskPorts.size()) {
          throw new IllegalArgumentException("a port mapping uses the task's port #"
              + m.taskPortIndex() + " but the task holds " + taskPorts.size() + " port(s): "
              + taskPorts);
        }
        docker.addPortMappings(Protos.ContainerInfo.DockerInfo.PortMapping.newBuilder()
            .setHostPort(taskPorts.get(m.taskPortIndex()).intValue())
            .setContainerPort(m.containerPort())
            .setProtocol(m.protocol()));
      }
      for (ContainerSpec.Parameter p : container.parameters()) {
        docker.addParameters(Protos.Parameter.newBuilder().setKey(p.key()).setValue(p.value()));
      }
      b.setType(Protos.ContainerInfo.Type.DOCKER).setDocker(docker);
    } else {
      b.setType(Protos.ContainerInfo.Type.MESOS);
      container.image().ifPresent(image -> {
        Protos.Image.Builder i = Protos.Image.newBuilder().setCached(!container.forcePull());
        if (image.format() == ContainerSpec.Image.Format.DOCKER) {
          i.setType(Protos.Image.Type.DOCKER)
              .setDocker(Protos.Image.Docker.newBuilder().setName(image.name()));
        } else {
          i.setType(Protos.Image.Type.APPC)
              .setAppc(Protos.Image.Appc.newBuilder().setName(image.name()));
        }
        b.setMesos(Protos.ContainerInfo.MesosInfo.newBuilder().setImage(i));
      });
    }
    for (Volume v : container.volumes()) {
      b.addVolumes(volume(v));
    }
    return b.build();
  }

  /**
   * The {@code Volume} of a volume.
   *
   * @param volume the volume
   * @return the message
   */
  static Protos.Volume volume(Volume volume) {
    Protos.Volume.Builder b = Protos.Volume.newBuilder()
        .setContainerPath(volume.containerPath())
        .setMode(volume.mode() == Volume.Mode.RW ? Protos.Volume.Mode.RW : Protos.Volume.Mode.RO);
    if (volume.source() == Volume.Source.HOST) {
      b.setHostPath(volume.sourcePath());
    } else {
      b.setSource(Protos.Volume.Source.newBuilder()
          .setType(Protos.Volume.Source.Type.SANDBOX_PATH)
          .setSandboxPath(Protos.Volume.Source.SandboxPath.newBuilder()
              .setType(volume.source() == Volume.Source.SANDBOX
                  ? Protos.Volume.Source.SandboxPath.Type.SELF
                  : Protos.Volume.Source.SandboxPath.Type.PARENT)
              .setPath(volume.sourcePath())));
    }
    return b.build();
  }
}
