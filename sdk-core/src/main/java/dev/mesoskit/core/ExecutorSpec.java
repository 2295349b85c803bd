package dev.mesoskit.core;

import java.util.Objects;

/**
 * A custom executor: the process an agent starts once and hands tasks to
 * ({@code ExecutorInfo}).
 *
 * <p>Tasks that name the same executor id share one executor process per agent. Packing counts the
 * executor's resources on the first task of that executor on an agent, and only the task's own
 * resources while the executor runs there.
 *
 * @param id the executor id; the same rules as a {@link TaskId}
 * @param name a human readable name
 * @param command how the agent starts the executor, with the files to fetch
 * @param resources what the executor process itself needs
 * @param container the container the executor runs in ({@code ExecutorInfo.container}), if any
 */
public record ExecutorSpec(String id, String name, CommandSpec command, ResourceSpec resources,
    java.util.Optional<ContainerSpec> container) {
  /** What an executor gets when its spec does not say: 0.1 cpus and 32 MB. */
  public static final ResourceSpec DEFAULT_RESOURCES = ResourceSpec.of(0.1, 32);

  /**
   * Validates the fields.
   *
   * @param id the executor id; the same rules as a {@link TaskId}
   * @param name a human readable name
   * @param command how the agent starts the executor, with the files to fetch
   * @param resources what the executor process itself needs
   * @param container the container the executor runs in, if any
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public ExecutorSpec {
    Objects.requireNonNull(id, "executor id must not be null");
    try {
      TaskId.of(id);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage().replace("task id", "executor id"), e);
    }
    Objects.requireNonNull(name, "executor name must not be null");
    Objects.requireNonNull(container, "executor container must not be null");
    Objects.requireNonNull(command, "executor command must not be null");
    Objects.requireNonNull(resources, "executor resources must not be null");
  }

  /**
   * An executor on the host, without a container.
   *
   * @param id the executor id; the same rules as a {@link TaskId}
   * @param name a human readable name
   * @param command how the agent starts the executor, with the files to fetch
   * @param resources what the executor process itself needs
   */
  public ExecutorSpec(String id, String name, CommandSpec command, ResourceSpec resources) {
    this(id, name, command, resources, java.util.Optional.empty());
  }

  /**
   * An executor with {@link #DEFAULT_RESOURCES}, named after its id.
   *
   * @param id the executor id
   * @param command how to start it
   * @return the spec
   */
  public static ExecutorSpec of(String id, CommandSpec command) {
    return new ExecutorSpec(id, id, command, DEFAULT_RESOURCES);
  }

  /**
   * Returns a copy with other resources.
   *
   * @param newResources what the executor process needs
   * @return the copy
   */
  public ExecutorSpec resources(ResourceSpec newResources) {
    return new ExecutorSpec(id, name, command, newResources, container);
  }

  /**
   * Returns a copy that runs in a container.
   *
   * @param newContainer the container
   * @return the copy
   */
  public ExecutorSpec container(ContainerSpec newContainer) {
    return new ExecutorSpec(id, name, command, resources, java.util.Optional.of(newContainer));
  }
}
