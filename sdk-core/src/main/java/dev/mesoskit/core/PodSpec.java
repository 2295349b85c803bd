package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A pod: command tasks launched together on one agent, in one offer, by Mesos' default executor
 * ({@code LAUNCH_GROUP} with a {@code TaskGroupInfo}). The tasks run in nested containers of the
 * executor's container; they share its network and can share files through
 * {@link Volume#podSandbox} volumes, directories of the pod's sandbox. When one task of a pod
 * fails or is killed, the default executor kills the others: the pod lives and dies as one.
 *
 * <pre>{@code
 * PodSpec pod = PodSpec.builder("web-and-sidecar")
 *     .task(TaskSpec.builder().name("web").resources("cpus:0.5;mem:256;ports:1")
 *         .command("python3 -m http.server $PORT0 --directory shared").build())
 *     .task(TaskSpec.builder().name("writer").resources("cpus:0.1;mem:32")
 *         .command("while true; do date > shared/index.html; sleep 1; done").build())
 *     .sharedVolume("shared")
 *     .build();
 * }</pre>
 *
 * @param name the pod's name; its executor id is {@code name}-derived
 * @param tasks the tasks, at least one, each a command task (or an image's entrypoint)
 * @param sharedVolumes directories of the pod's sandbox mounted read-write into every task at
 *     the same relative path
 * @param executorResources what Mesos' default executor itself needs ({@link #DEFAULT_EXECUTOR}
 *     unless set): a Mesos master refuses a pod whose default executor has less than 0.01 cpus,
 *     less than 32 MB of memory or no disk, and the pod's tasks end in {@code ERROR}
 */
public record PodSpec(
    String name,
    List<TaskSpec> tasks,
    List<String> sharedVolumes,
    ResourceSpec executorResources) {

  /** What Mesos' default executor gets unless the pod says: 0.1 cpus, 32 MB, 10 MB of disk. */
  public static final ResourceSpec DEFAULT_EXECUTOR = ResourceSpec.parse("cpus:0.1;mem:32;disk:10");

  /**
   * Validates and copies the fields.
   *
   * @param name the pod's name
   * @param tasks the tasks, at least one
   * @param sharedVolumes sandbox directories every task mounts read-write
   * @param executorResources what Mesos' default executor itself needs
   * @throws IllegalArgumentException naming the field, the rule and the value
   */
  public PodSpec {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a pod's name must not be blank but was " + name);
    }
    tasks = List.copyOf(tasks);
    sharedVolumes = List.copyOf(sharedVolumes);
    Objects.requireNonNull(executorResources, "executorResources must not be null");
    if (tasks.isEmpty()) {
      throw new IllegalArgumentException("pod " + name + " must have at least one task");
    }
    Set<String> names = new HashSet<>();
    Optional<String> role = tasks.get(0).role();
    for (TaskSpec t : tasks) {
      if (t.executor().isPresent()) {
        throw new IllegalArgumentException("pod " + name + ": task " + t.name()
            + " names an executor, but a pod's tasks run on Mesos' default executor; give it a"
            + " command");
      }
      if (t.container().map(c -> c.type() == ContainerSpec.Type.DOCKER).orElse(false)) {
        throw new IllegalArgumentException("pod " + name + ": task " + t.name()
            + " uses the Docker containerizer, but a pod's tasks run in Mesos' containerizer;"
            + " use ContainerSpec.image(...)");
      }
      if (!names.add(t.name())) {
        throw new IllegalArgumentException(
            "pod " + name + " has two tasks named '" + t.name() + "'");
      }
      if (!t.role().equals(role)) {
        throw new IllegalArgumentException("pod " + name + ": every task must use one role but "
            + t.name() + " uses " + t.role().orElse("the default role") + " and "
            + tasks.get(0).name() + " " + role.orElse("the default role"));
      }
    }
    for (String v : sharedVolumes) {
      new Volume(Volume.Source.POD_SANDBOX, v, v, Volume.Mode.RW); // validates the path
    }
  }

  /**
   * Starts a builder.
   *
   * @param name the pod's name
   * @return a builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** Builds a {@link PodSpec}. */
  public static final class Builder {
    private final String name;
    private final List<TaskSpec> tasks = new ArrayList<>();
    private final List<String> sharedVolumes = new ArrayList<>();
    private ResourceSpec executorResources = DEFAULT_EXECUTOR;

    private Builder(String name) {
      this.name = name;
    }

    /**
     * Adds a task.
     *
     * @param task a command task
     * @return this builder
     */
    public Builder task(TaskSpec task) {
      tasks.add(Objects.requireNonNull(task, "task must not be null"));
      return this;
    }

    /**
     * Shares a directory of the pod's sandbox: every task sees it read-write at {@code path}
     * relative to its own sandbox.
     *
     * @param path relative, without {@code ..}
     * @return this builder
     */
    public Builder sharedVolume(String path) {
      sharedVolumes.add(path);
      return this;
    }

    /**
     * Sets what the default executor itself needs.
     *
     * @param resources the executor's resources
     * @return this builder
     */
    public Builder executorResources(ResourceSpec resources) {
      this.executorResources = resources;
      return this;
    }

    /**
     * Validates and builds the pod.
     *
     * @return the pod
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    public PodSpec build() {
      return new PodSpec(name, tasks, sharedVolumes, executorResources);
    }
  }
}
