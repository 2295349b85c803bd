package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The container a task (or a custom executor) runs in ({@code ContainerInfo}): Mesos'
 * own containerizer, with a Docker or AppC image or none (the host's file system, for volumes
 * only), or the Docker containerizer (the agent's Docker engine), with its network mode, port
 * mappings to the task's offered ports and extra {@code docker run} parameters.
 *
 * <p>A task with an image and neither a command nor an executor runs the image's entrypoint; a
 * command runs in the image instead. LocalCluster has no container runtime on machines without
 * one: it ends image tasks {@link TaskState#FAILED} with a message that says a Mesos agent with a
 * container runtime is needed (see the tutorial's chapter on production tasks).
 *
 * <pre>{@code
 * ContainerSpec.image("nginx:1.25")                      // Mesos containerizer, Docker image
 * ContainerSpec.builder().dockerEngine("nginx:1.25")     // Docker containerizer
 *     .network(ContainerSpec.Network.BRIDGE)
 *     .portMapping(80, 0)                                // container port 80 -> task's port #0
 *     .volume(Volume.sandbox("logs", "/var/log/nginx", Volume.Mode.RW))
 *     .build()
 * }</pre>
 *
 * @param type the containerizer
 * @param image the image; required by the Docker containerizer
 * @param network the Docker network mode (Docker containerizer only; {@code HOST} otherwise)
 * @param portMappings container ports mapped to the task's offered ports (Docker, bridge network)
 * @param parameters extra {@code docker run} options (Docker containerizer only)
 * @param forcePull pull the image at every launch instead of using a cached one
 * @param volumes what is mounted into the container
 */
public record ContainerSpec(
    Type type,
    Optional<Image> image,
    Network network,
    List<PortMapping> portMappings,
    List<Parameter> parameters,
    boolean forcePull,
    List<Volume> volumes) {

  /** Which containerizer runs the container, as {@code ContainerInfo.Type}. */
  public enum Type {
    /** Mesos' own containerizer (images run without a Docker engine). */
    MESOS,
    /** The Docker containerizer, which drives the agent's Docker engine. */
    DOCKER
  }

  /** The Docker containerizer's network modes ({@code DockerInfo.Network}). */
  public enum Network {
    /** The agent host's network; the task binds its offered ports itself. */
    HOST,
    /** Docker's bridge; the task's offered ports are mapped to container ports. */
    BRIDGE,
    /** No network. */
    NONE
  }

  /**
   * A container image.
   *
   * @param format Docker or AppC
   * @param name the image name, e.g. {@code nginx:1.25} or {@code registry:5000/team/app}
   */
  public record Image(Format format, String name) {
    /** An image format, as {@code Image.Type}. */
    public enum Format {
      /** A Docker (OCI) image. */
      DOCKER,
      /** An AppC image. */
      APPC
    }

    /**
     * Validates the fields.
     *
     * @param format Docker or AppC
     * @param name the image name
     * @throws IllegalArgumentException if the name is blank or has white space
     */
    public Image {
      Objects.requireNonNull(format, "image format must not be null");
      if (name == null || name.isBlank() || name.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "an image name must be non-blank without white space but was '" + name + "'");
      }
    }
  }

  /**
   * A container port reached through one of the task's offered ports (Docker bridge network).
   *
   * @param containerPort the port inside the container, 1 to 65535
   * @param taskPortIndex which of the task's ports (ascending, from 0) maps to it
   * @param protocol {@code tcp} or {@code udp}
   */
  public record PortMapping(int containerPort, int taskPortIndex, String protocol) {
    /**
     * Validates the fields.
     *
     * @param containerPort 1 to 65535
     * @param taskPortIndex &gt;= 0
     * @param protocol {@code tcp} or {@code udp}
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    public PortMapping {
      if (containerPort < 1 || containerPort > 65535) {
        throw new IllegalArgumentException(
            "containerPort must be 1 to 65535 but was " + containerPort);
      }
      if (taskPortIndex < 0) {
        throw new IllegalArgumentException("taskPortIndex must be >= 0 but was " + taskPortIndex);
      }
      if (!"tcp".equals(protocol) && !"udp".equals(protocol)) {
        throw new IllegalArgumentException(
            "protocol must be 'tcp' or 'udp' but was '" + protocol + "'");
      }
    }
  }

  /**
   * An extra {@code docker run} option, e.g. {@code ("memory-swap", "-1")}.
   *
   * @param key the option without dashes
   * @param value its value
   */
  public record Parameter(String key, String value) {
    /**
     * Validates the fields.
     *
     * @param key the option without dashes
     * @param value its value
     * @throws IllegalArgumentException if the key is blank or starts with a dash
     */
    public Parameter {
      if (key == null || key.isBlank() || key.startsWith("-")) {
        throw new IllegalArgumentException(
            "a docker parameter's key must be non-blank without leading dashes but was '" + key
                + "'");
      }
      Objects.requireNonNull(value, "value must not be null for docker parameter " + key);
    }
  }

  /**
   * Validates and copies the fields.
   *
   * @param type the containerizer
   * @param image the image; required by the Docker containerizer
   * @param network the Docker network mode
   * @param portMappings container ports mapped to the task's offered ports
   * @param parameters extra {@code docker run} options
   * @param forcePull pull the image at every launch
   * @param volumes what is mounted into the container
   * @throws IllegalArgumentException naming the field, the rule and the value
   */
  public ContainerSpec {
    Objects.requireNonNull(type, "type must not be null");
    Objects.requireNonNull(image, "image must not be null");
    Objects.requireNonNull(network, "network must not be null");
    portMappings = List.copyOf(portMappings);
    parameters = List.copyOf(parameters);
    volumes = List.copyOf(volumes);
    if (type == Type.DOCKER
        && (image.isEmpty() || image.get().format() != Image.Format.DOCKER)) {
      throw new IllegalArgumentException(
          "the Docker containerizer needs a Docker image but had " + image.map(Image::toString)
              .orElse("none"));
    }
    if (type == Type.MESOS && network != Network.HOST) {
      throw new IllegalArgumentException("network " + network + " is a Docker containerizer mode;"
          + " Mesos' containerizer runs on the host's network here");
    }
    if (type == Type.MESOS && !parameters.isEmpty()) {
      throw new IllegalArgumentException("docker parameters need the Docker containerizer but had "
          + parameters);
    }
    if (!portMappings.isEmpty() && network != Network.BRIDGE) {
      throw new IllegalArgumentException(
          "port mappings need the Docker containerizer's BRIDGE network but the network was "
              + network);
    }
    if (forcePull && image.isEmpty()) {
      throw new IllegalArgumentException("forcePull needs an image");
    }
  }

  /**
   * A Docker image on Mesos' containerizer (no Docker engine needed on the agent).
   *
   * @param dockerImage e.g. {@code nginx:1.25}
   * @return the container
   */
  public static ContainerSpec image(String dockerImage) {
    return builder().image(dockerImage).build();
  }

  /**
   * A Docker image on the Docker containerizer, host network.
   *
   * @param dockerImage e.g. {@code nginx:1.25}
   * @return the container
   */
  public static ContainerSpec docker(String dockerImage) {
    return builder().dockerEngine(dockerImage).build();
  }

  /**
   * Starts a builder; default Mesos' containerizer without an image, host network.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this container's values.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.type = type;
    b.image = image.orElse(null);
    b.network = network;
    b.portMappings.addAll(portMappings);
    b.parameters.addAll(parameters);
    b.forcePull = forcePull;
    b.volumes.addAll(volumes);
    return b;
  }

  /** Builds a {@link ContainerSpec}. */
  public static final class Builder {
    private Type type = Type.MESOS;
    private Image image;
    private Network network = Network.HOST;
    private final List<PortMapping> portMappings = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private boolean forcePull;
    private final List<Volume> volumes = new ArrayList<>();

    private Builder() {}

    /**
     * Runs a Docker image on Mesos' containerizer.
     *
     * @param dockerImage the image name
     * @return this builder
     */
    public Builder image(String dockerImage) {
      this.type = Type.MESOS;
      this.image = new Image(Image.Format.DOCKER, dockerImage);
      return this;
    }

    /**
     * Runs an AppC image on Mesos' containerizer.
     *
     * @param appcImage the image name
     * @return this builder
     */
    public Builder appcImage(String appcImage) {
      this.type = Type.MESOS;
      this.image = new Image(Image.Format.APPC, appcImage);
      return this;
    }

    /**
     * Runs a Docker image on the Docker containerizer.
     *
     * @param dockerImage the image name
     * @return this builder
     */
    public Builder dockerEngine(String dockerImage) {
      this.type = Type.DOCKER;
      this.image = new Image(Image.Format.DOCKER, dockerImage);
      return this;
    }

    /**
     * Sets the Docker network mode.
     *
     * @param network the mode; default {@code HOST}
     * @return this builder
     */
    public Builder network(Network network) {
      this.network = network;
      return this;
    }

    /**
     * Maps a TCP container port to one of the task's offered ports.
     *
     * @param containerPort the port inside the container
     * @param taskPortIndex which of the task's ports (ascending, from 0)
     * @return this builder
     */
    public Builder portMapping(int containerPort, int taskPortIndex) {
      portMappings.add(new PortMapping(containerPort, taskPortIndex, "tcp"));
      return this;
    }

    /**
     * Adds a {@code docker run} option.
     *
     * @param key the option without dashes
     * @param value its value
     * @return this builder
     */
    public Builder parameter(String key, String value) {
      parameters.add(new Parameter(key, value));
      return this;
    }

    /**
     * Pulls the image at every launch.
     *
     * @param forcePull true to pull always; default false (a cached image is used)
     * @return this builder
     */
    public Builder forcePull(boolean forcePull) {
      this.forcePull = forcePull;
      return this;
    }

    /**
     * Mounts a volume.
     *
     * @param volume the volume
     * @return this builder
     */
    public Builder volume(Volume volume) {
      volumes.add(Objects.requireNonNull(volume, "volume must not be null"));
      return this;
    }

    /**
     * Validates and builds the container.
     *
     * @return the container
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    public ContainerSpec build() {
      return new ContainerSpec(type, Optional.ofNullable(image), network, portMappings,
          parameters, forcePull, volumes);
    }
  }
}
