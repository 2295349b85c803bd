package dev.mesoskit.core;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What to run: a named task with its resource needs and either a shell command (run by Mesos'
 * command executor) or a custom executor that receives the task's data.
 *
 * <pre>{@code
 * TaskSpec hello = TaskSpec.builder()
 *     .name("hello")
 *     .resources(ResourceSpec.of(0.1, 32))
 *     .command("echo hello")
 *     .build();
 * }</pre>
 *
 * <p>{@code env} reaches command tasks as environment variables. For executor tasks it travels
 * as task labels prefixed {@value #ENV_LABEL_PREFIX}, which MesosKit's executor runtime turns
 * back into the task's environment.
 *
 * <p>Two optional deadlines keep a task from waiting or running for ever. {@code timeout} bounds
 * each attempt from the moment Mesos first reports it {@link TaskState#RUNNING} (fetching and
 * staging do not count; after a scheduler failover, from when the new run adopted it): the
 * attempt is then killed and ends {@link TaskState#FAILED} with the message
 * {@code "timed out after PT10S"}, retried or not as its {@link RetryPolicy} says.
 * {@code placementTimeout} bounds how long an attempt waits for an offer that fits, from when it
 * may be launched (its submission, or the end of its retry backoff); the task then ends
 * {@link TaskState#FAILED}, not retried, with a message such as
 * {@code "not placed within PT5M: needs cpus 64, the largest offer has 2"}.
 *
 * <p>{@code killGracePeriod} is the task's kill policy ({@code TaskInfo.kill_policy}): how long
 * the executor waits between asking the task to stop (SIGTERM for a command task, cancellation
 * for a MesosKit handler) and forcing it (SIGKILL). Without it the executor's default applies
 * (3 s for Mesos' command executor); {@link Framework#kill(TaskId, Duration)} overrides it for one
 * kill.
 *
 * @param id the id to submit under; when empty, the framework derives one from the name
 * @param name a human readable name, shown in the Mesos UI
 * @param resources what the task needs
 * @param command the shell command of a command task
 * @param executor the executor of an executor task
 * @param data bytes handed to the executor with the task ({@code TaskInfo.data})
 * @param env environment variables for the task
 * @param labels key/value labels ({@code TaskInfo.labels})
 * @param retryPolicy this task's policy, when not the framework's
 * @param timeout how long each attempt may run, counted from RUNNING; empty for no limit
 * @param placementTimeout how long an attempt may wait for an offer that fits; empty for the
 *     framework's default
 * @param killGracePeriod how long a kill may take before the task is forced
 *     ({@code TaskInfo.kill_policy}); empty for the executor's default
 * @param container the container the task runs in ({@code TaskInfo.container})
 * @param healthCheck the task's Mesos health check ({@code TaskInfo.health_check})
 * @param readinessCheck the task's Mesos check ({@code TaskInfo.check}), read as readiness
 * @param role the role whose resources the task runs on, for a framework of several roles;
 *     empty for the framework's first role
 */
public record TaskSpec(
    Optional<TaskId> id,
    String name,
    ResourceSpec resources,
    Optional<CommandSpec> command,
    Optional<ExecutorSpec> executor,
    byte[] data,
    Map<String, String> env,
    Map<String, String> labels,
    Optional<RetryPolicy> retryPolicy,
    Optional<Duration> timeout,
    Optional<Duration> placementTimeout,
    Optional<Duration> killGracePeriod,
    Optional<ContainerSpec> container,
    Optional<HealthCheck> healthCheck,
    Optional<ReadinessCheck> readinessCheck,
    Optional<String> role) {

  /** The label prefix that carries {@code env} to executor tasks. */
  public static final String ENV_LABEL_PREFIX = "mesoskit.env.";

  /**
   * Validates and copies the fields.
   *
   * @param id the id to submit under; when empty, the framework derives one from the name
   * @param name a human readable name, shown in the Mesos UI
   * @param resources what the task needs
   * @param command the shell command of a command task
   * @param executor the executor of an executor task
   * @param data bytes handed to the executor with the task ({@code TaskInfo.data})
   * @param env environment variables for the task
   * @param labels key/value labels ({@code TaskInfo.labels})
   * @param retryPolicy this task's policy, when not the framework's
   * @param timeout how long each attempt may run, counted from RUNNING; empty for no limit
   * @param placementTimeout how long an attempt may wait for an offer that fits; empty for the
   *     framework's default
   * @param killGracePeriod how long a kill may take before the task is forced
   *     ({@code TaskInfo.kill_policy}); empty for the executor's default
   * @param container the container the task runs in ({@code TaskInfo.container})
   * @param healthCheck the task's Mesos health check ({@code TaskInfo.health_check})
   * @param readinessCheck the task's Mesos check ({@code TaskInfo.check}), read as readiness
   * @param role the role whose resources the task runs on; empty for the framework's first role
   * @throws IllegalArgumentException if a field breaks its rule, or the task and its executor
   *     ask for a resource of one name as two types; the message names the field, the rule and
   *     the value
   * @throws NullPointerException if a required field is null
   */
  public TaskSpec {
    Objects.requireNonNull(id, "id must not be null");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank but was " + name);
    }
    if (resources == null) {
      throw new IllegalArgumentException("resources must be set");
    }
    Objects.requireNonNull(command, "command must not be null");
    Objects.requireNonNull(executor, "executor must not be null");
    Objects.requireNonNull(container, "container must not be null");
    boolean entrypoint = container.flatMap(ContainerSpec::image).isPresent();
    if (command.isPresent() && executor.isPresent()
        || command.isEmpty() && executor.isEmpty() && !entrypoint) {
      throw new IllegalArgumentException(
          "a task must have exactly one of command or executor (or neither, to run its container"
              + " image's entrypoint) but had " + (command.isPresent() ? "both" : "neither"));
    }
    data = data.clone();
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    labels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    for (Map.Entry<String, String> e : env.entrySet()) {
      CommandSpec.checkEnvName(e.getKey());
      Objects.requireNonNull(e.getValue(), "env value must not be null for " + e.getKey());
    }
    for (Map.Entry<String, String> e : labels.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getValue() == null) {
        throw new IllegalArgumentException(
            "label keys must be non-empty and values non-null but was " + e);
      }
      if (e.getKey().startsWith(ENV_LABEL_PREFIX)) {
        throw new IllegalArgumentException(
            "label keys starting with '" + ENV_LABEL_PREFIX + "' are reserved for env but was '"
                + e.getKey() + "'");
      }
    }
    Objects.requireNonNull(retryPolicy, "retryPolicy must not be null");
    Objects.requireNonNull(timeout, "timeout must not be null");
    Objects.requireNonNull(placementTimeout, "placementTimeout must not be null");
    positive(timeout, "timeout");
    positive(placementTimeout, "placementTimeout");
    Objects.requireNonNull(killGracePeriod, "killGracePeriod must not be null");
    killGracePeriod.ifPresent(d -> {
      if (d.isNegative()) {
        throw new IllegalArgumentException("killGracePeriod must be >= 0 but was " + d);
      }
    });
    Objects.requireNonNull(healthCheck, "healthCheck must not be null");
    Objects.requireNonNull(readinessCheck, "readinessCheck must not be null");
    Objects.requireNonNull(role, "role must not be null");
    long portsHeld = resources.portCount() + resources.ports().size();
    healthCheck.ifPresent(h -> checkPortIndex(h.probe(), portsHeld, "healthCheck"));
    readinessCheck.ifPresent(h -> checkPortIndex(h.probe(), portsHeld, "readinessCheck"));
    if (readinessCheck.map(c -> c.probe() instanceof Probe.Http h && h.https()).orElse(false)) {
      throw new IllegalArgumentException(
          "a readiness check cannot use https: Mesos' CheckInfo has no scheme; use http");
    }
    container.ifPresent(c -> c.portMappings().forEach(m -> {
      if (m.taskPortIndex() >= portsHeld) {
        throw new IllegalArgumentException("a port mapping uses the task's port #"
            + m.taskPortIndex() + " but the task asks for " + portsHeld + " port(s)");
      }
    }));
    role.ifPresent(r -> {
      if (r.isBlank() || r.chars().anyMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "role must be non-blank without white space but was '" + r + "'");
      }
    });
    executor.ifPresent(e -> sameTypes(name, resources, e));
  }

  /** A Mesos agent has one type per resource name: a task and its executor must agree. */
  private static void sameTypes(String name, ResourceSpec resources, ExecutorSpec executor) {
    for (NamedResource mine : resources.named()) {
      executor.resources().named(mine.name()).filter(e -> e.type() != mine.type())
          .ifPresent(e -> {
            throw new IllegalArgumentException("task '" + name + "' asks for resource '"
                + mine.name() + "' as " + mine.type() + " (" + mine + ") but its executor '"
                + executor.id() + "' as " + e.type() + " (" + e + "); a Mesos agent has one"
                + " type per resource name");
          });
    }
  }

  private static void checkPortIndex(Probe probe, long portsHeld, String field) {
    CheckPort port = probe instanceof Probe.Http h ? h.port()
        : probe instanceof Probe.Tcp t ? t.port() : null;
    if (port != null && !port.fixed() && port.value() >= portsHeld) {
      throw new IllegalArgumentException(field + " asks the task's port #" + port.value()
          + " but the task asks for " + portsHeld + " port(s); add ports to its resources"
          + " (e.g. ports:1) or use CheckPort.fixed");
    }
  }

  /**
   * Creates a spec without a container, checks or role.
   *
   * @param id the id to submit under; when empty, the framework derives one from the name
   * @param name a human readable name, shown in the Mesos UI
   * @param resources what the task needs
   * @param command the shell command of a command task
   * @param executor the executor of an executor task
   * @param data bytes handed to the executor with the task ({@code TaskInfo.data})
   * @param env environment variables for the task
   * @param labels key/value labels ({@code TaskInfo.labels})
   * @param retryPolicy this task's policy, when not the framework's
   * @param timeout how long each attempt may run, counted from RUNNING; empty for no limit
   * @param placementTimeout how long an attempt may wait for an offer that fits; empty for the
   *     framework's default
   * @param killGracePeriod how long a kill may take before the task is forced; empty for the
   *     executor's default
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public TaskSpec(Optional<TaskId> id, String name, ResourceSpec resources,
      Optional<CommandSpec> command, Optional<ExecutorSpec> executor, byte[] data,
      Map<String, String> env, Map<String, String> labels, Optional<RetryPolicy> retryPolicy,
      Optional<Duration> timeout, Optional<Duration> placementTimeout,
      Optional<Duration> killGracePeriod) {
    this(id, name, resources, command, executor, data, env, labels, retryPolicy, timeout,
        placementTimeout, killGracePeriod, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /**
   * Creates a spec without a kill policy.
   *
   * @param id the id to submit under; when empty, the framework derives one from the name
   * @param name a human readable name, shown in the Mesos UI
   * @param resources what the task needs
   * @param command the shell command of a command task
   * @param executor the executor of an executor task
   * @param data bytes handed to the executor with the task ({@code TaskInfo.data})
   * @param env environment variables for the task
   * @param labels key/value labels ({@code TaskInfo.labels})
   * @param retryPolicy this task's policy, when not the framework's
   * @param timeout how long each attempt may run, counted from RUNNING; empty for no limit
   * @param placementTimeout how long an attempt may wait for an offer that fits; empty for the
   *     framework's default
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public TaskSpec(Optional<TaskId> id, String name, ResourceSpec resources,
      Optional<CommandSpec> command, Optional<ExecutorSpec> executor, byte[] data,
      Map<String, String> env, Map<String, String> labels, Optional<RetryPolicy> retryPolicy,
      Optional<Duration> timeout, Optional<Duration> placementTimeout) {
    this(id, name, resources, command, executor, data, env, labels, retryPolicy, timeout,
        placementTimeout, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /**
   * Creates a spec without deadlines: no timeout, the framework's placement timeout.
   *
   * @param id the id to submit under; when empty, the framework derives one from the name
   * @param name a human readable name, shown in the Mesos UI
   * @param resources what the task needs
   * @param command the shell command of a command task
   * @param executor the executor of an executor task
   * @param data bytes handed to the executor with the task ({@code TaskInfo.data})
   * @param env environment variables for the task
   * @param labels key/value labels ({@code TaskInfo.labels})
   * @param retryPolicy this task's policy, when not the framework's
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public TaskSpec(Optional<TaskId> id, String name, ResourceSpec resources,
      Optional<CommandSpec> command, Optional<ExecutorSpec> executor, byte[] data,
      Map<String, String> env, Map<String, String> labels, Optional<RetryPolicy> retryPolicy) {
    this(id, name, resources, command, executor, data, env, labels, retryPolicy,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  private static void positive(Optional<Duration> value, String field) {
    value.ifPresent(d -> {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0 but was " + d);
      }
    });
  }

  /**
   * Returns a copy of the task's data.
   *
   * @return the bytes handed to the executor
   */
  @Override
  public byte[] data() {
    return data.clone();
  }

  /**
   * Starts a builder; name, resources and a command or an executor must be set.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this spec's values.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.id = id.orElse(null);
    b.name = name;
    b.resources = resources;
    b.command = command.orElse(null);
    b.executor = executor.orElse(null);
    b.data = data;
    b.env.putAll(env);
    b.labels.putAll(labels);
    b.retryPolicy = retryPolicy.orElse(null);
    b.timeout = timeout.orElse(null);
    b.placementTimeout = placementTimeout.orElse(null);
    b.killGracePeriod = killGracePeriod.orElse(null);
    b.container = container.orElse(null);
    b.healthCheck = healthCheck.orElse(null);
    b.readinessCheck = readinessCheck.orElse(null);
    b.role = role.orElse(null);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskSpec t
        && id.equals(t.id)
        && name.equals(t.name)
        && resources.equals(t.resources)
        && command.equals(t.command)
        && executor.equals(t.executor)
        && Arrays.equals(data, t.data)
        && env.equals(t.env)
        && labels.equals(t.labels)
        && retryPolicy.equals(t.retryPolicy)
        && timeout.equals(t.timeout)
        && placementTimeout.equals(t.placementTimeout)
        && killGracePeriod.equals(t.killGracePeriod)
        && container.equals(t.container)
        && healthCheck.equals(t.healthCheck)
        && readinessCheck.equals(t.readinessCheck)
        && role.equals(t.role);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, resources, command, executor, Arrays.hashCode(data), env, labels,
        retryPolicy, timeout, placementTimeout, killGracePeriod, container, healthCheck,
        readinessCheck, role);
  }

  @Override
  public String toString() {
    return "TaskSpec[id=" + id.map(TaskId::value).orElse("(derived)") + ", name=" + name
        + ", resources=" + resources + ", " + command.map(c -> "command=" + c.value())
            .orElseGet(() -> executor.map(e -> "executor=" + e.id())
                .orElse("entrypoint of " + container.flatMap(ContainerSpec::image)
                    .map(ContainerSpec.Image::name).orElse("?")))
        + ", data=" + data.length + " bytes"
        + timeout.map(t -> ", timeout=" + t).orElse("")
        + placementTimeout.map(t -> ", placementTimeout=" + t).orElse("")
        + killGracePeriod.map(t -> ", killGracePeriod=" + t).orElse("")
        + container.flatMap(ContainerSpec::image).map(i -> ", image=" + i.name()).orElse("")
        + healthCheck.map(h -> ", healthCheck=" + h.probe().kind()).orElse("")
        + readinessCheck.map(h -> ", readinessCheck=" + h.probe().kind()).orElse("")
        + role.map(r -> ", role=" + r).orElse("") + "]";
  }

  /**
   * Builds a {@link TaskSpec}; defaults: derived id, no data, env or labels, the framework's retry
   * policy and placement timeout, no timeout, the executor's kill grace period.
   */
  public static final class Builder {
    private TaskId id;
    private String name;
    private ResourceSpec resources;
    private CommandSpec command;
    private ExecutorSpec executor;
    private byte[] data = new byte[0];
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> labels = new LinkedHashMap<>();
    private RetryPolicy retryPolicy;
    private Duration timeout;
    private Duration placementTimeout;
    private Duration killGracePeriod;
    private ContainerSpec container;
    private HealthCheck healthCheck;
    private ReadinessCheck readinessCheck;
    private String role;

    private Builder() {}

    /**
     * Submits the task under this id instead of one derived from the name.
     *
     * @param id the task id
     * @return this builder
     */
    public Builder id(String id) {
      this.id = TaskId.of(id);
      return this;
    }

    /**
     * Sets the name.
     *
     * @param name a human readable name
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets the resource needs.
     *
     * @param resources what the task needs
     * @return this builder
     */
    public Builder resources(ResourceSpec resources) {
      this.resources = resources;
      return this;
    }

    /**
     * Sets the resource needs in Mesos syntax.
     *
     * @param resources e.g. {@code cpus:0.5;mem:256}
     * @return this builder
     */
    public Builder resources(String resources) {
      this.resources = ResourceSpec.parse(resources);
      return this;
    }

    /**
     * Makes this a command task running a shell line.
     *
     * @param shellLine the shell line
     * @return this builder
     */
    public Builder command(String shellLine) {
      return command(CommandSpec.shell(shellLine));
    }

    /**
     * Makes this a command task.
     *
     * @param command the command
     * @return this builder
     */
    public Builder command(CommandSpec command) {
      this.command = command;
      return this;
    }

    /**
     * Makes this a task of a custom executor.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(ExecutorSpec executor) {
      this.executor = executor;
      return this;
    }

    /**
     * Sets the bytes handed to the executor.
     *
     * @param data the bytes, copied
     * @return this builder
     */
    public Builder data(byte[] data) {
      this.data = Objects.requireNonNull(data, "data must not be null").clone();
      return this;
    }

    /**
     * Sets the data to a UTF-8 string.
     *
     * @param data the text
     * @return this builder
     */
    public Builder data(String data) {
      return data(data.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Sets an environment variable.
     *
     * @param name the variable name
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    /**
     * Sets a label.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     */
    public Builder label(String key, String value) {
      labels.put(key, value);
      return this;
    }

    /**
     * Sets this task's retry policy.
     *
     * @param retryPolicy the policy, or null for the framework's
     * @return this builder
     */
    public Builder retryPolicy(RetryPolicy retryPolicy) {
      this.retryPolicy = retryPolicy;
      return this;
    }

    /**
     * Bounds how long each attempt may run: from the moment Mesos first reports it RUNNING (after
     * a scheduler failover, from when the new run adopted it), the attempt is killed once this
     * has passed and ends {@link TaskState#FAILED} with the message
     * {@code "timed out after PT10S"}; it is retried or not as the task's {@link RetryPolicy}
     * says, like any other failed attempt.
     *
     * @param timeout &gt; 0, or null for no limit; default no limit
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * Bounds how long an attempt may wait for an offer that fits, from when it may be launched
     * (its submission, or the end of its retry backoff; after a scheduler failover, from when the
     * master said it does not run). When this has passed without a launch, the task ends
     * {@link TaskState#FAILED}, not retried, with a message naming the last reason it could not be
     * placed: {@code "not placed within PT5M: needs cpus 64, the largest offer has 2"}.
     *
     * @param placementTimeout &gt; 0, or null for the framework's
     *     ({@link Framework.Builder#placementTimeout}); default the framework's
     * @return this builder
     */
    public Builder placementTimeout(Duration placementTimeout) {
      this.placementTimeout = placementTimeout;
      return this;
    }

    /**
     * Sets the task's kill policy ({@code TaskInfo.kill_policy.grace_period}): how long the
     * executor waits, once asked to kill the task, before forcing it. Mesos' command executor
     * sends SIGTERM to the task's processes and SIGKILL after this period; MesosKit's executor
     * runtime cancels the handler and abandons it after this period. A kill with its own grace
     * period ({@link Framework#kill(TaskId, Duration)}) overrides it.
     *
     * @param killGracePeriod &gt;= 0, or null for the executor's default (3 s for Mesos' command
     *     executor); default the executor's
     * @return this builder
     */
    public Builder killGracePeriod(Duration killGracePeriod) {
      this.killGracePeriod = killGracePeriod;
      return this;
    }

    /**
     * Runs the task in a container. With an image and neither a command nor an executor, the
     * task runs the image's entrypoint.
     *
     * @param container the container, or null for none; default none
     * @return this builder
     */
    public Builder container(ContainerSpec container) {
      this.container = container;
      return this;
    }

    /**
     * Sets the task's Mesos health check: its executor probes it and kills it after
     * {@link HealthCheck#consecutiveFailures()} failures in a row; {@link Task#healthy()} shows
     * the latest verdict.
     *
     * @param healthCheck the check, or null for none; default none
     * @return this builder
     */
    public Builder healthCheck(HealthCheck healthCheck) {
      this.healthCheck = healthCheck;
      return this;
    }

    /**
     * Sets the task's Mesos check, read as readiness ({@link Task#ready()}); it never kills the
     * task.
     *
     * @param readinessCheck the check, or null for none; default none
     * @return this builder
     */
    public Builder readinessCheck(ReadinessCheck readinessCheck) {
      this.readinessCheck = readinessCheck;
      return this;
    }

    /**
     * Runs the task on resources allocated to {@code role}, one of the framework's roles
     * ({@link Framework.Builder#roles}).
     *
     * @param role the role, or null for the framework's first role; default the first role
     * @return this builder
     */
    public Builder role(String role) {
      this.role = role;
      return this;
    }

    /**
     * Validates and builds the spec.
     *
     * @return the spec
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    public TaskSpec build() {
      return new TaskSpec(Optional.ofNullable(id), name, resources, Optional.ofNullable(command),
          Optional.ofNullable(executor), data, env, labels, Optional.ofNullable(retryPolicy),
          Optional.ofNullable(timeout), Optional.ofNullable(placementTimeout),
          Optional.ofNullable(killGracePeriod), Optional.ofNullable(container),
          Optional.ofNullable(healthCheck), Optional.ofNullable(readinessCheck),
          Optional.ofNullable(role));
    }
  }
}
