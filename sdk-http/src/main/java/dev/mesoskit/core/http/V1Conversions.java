package dev.mesoskit.core.http;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.Volume;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.mesos.v1.Protos;

/**
 * Converts between MesosKit's values and Mesos' v1 protobuf messages. Used by every backend (the
 * JNI driver of sdk-native speaks v0, which is wire-compatible: it converts through bytes).
 *
 * <p>An escape hatch: with {@link EventDelivery}, the only public class of the backend modules
 * whose public members take or return protobuf types ({@code ArchitectureRules} holds every
 * other one to MesosKit values). For code that must build or read Mesos messages itself.
 *
 * <p>Stateless; safe from any thread.
 */
public final class V1Conversions {
  private V1Conversions() {}

  // ------------------------------------------------------------------ framework

  /**
   * The {@code FrameworkInfo} a framework subscribes with: every one of its roles in
   * {@code roles} (MULTI_ROLE), in order, checkpointing on, the given capabilities (any Mesos
   * capability, e.g. GPU_RESOURCES or REGION_AWARE) plus MULTI_ROLE and TASK_KILLING_STATE.
   *
   * @param info the framework
   * @return the message
   */
  public static Protos.FrameworkInfo frameworkInfo(FrameworkInfo info) {
    Protos.FrameworkInfo.Builder b = Protos.FrameworkInfo.newBuilder()
        .setName(info.name())
        .setUser(info.user())
        .addAllRoles(info.roles())
        .setCheckpoint(true)
        .setFailoverTimeout(info.failoverTimeout().toMillis() / 1000.0);
    info.id().ifPresent(id -> b.setId(Protos.FrameworkID.newBuilder().setValue(id)));
    info.principal().ifPresent(b::setPrincipal);
    info.hostname().ifPresent(b::setHostname);
    info.webuiUrl().ifPresent(b::setWebuiUrl);
    Set<String> caps = new java.util.TreeSet<>(info.capabilities());
    caps.add("MULTI_ROLE");
    caps.add("TASK_KILLING_STATE");
    for (String cap : caps) {
      Protos.FrameworkInfo.Capability.Type type;
      try {
        type = Protos.FrameworkInfo.Capability.Type.valueOf(cap);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("capability must be a Mesos FrameworkInfo capability"
            + " but was '" + cap + "'", e);
      }
      b.addCapabilities(Protos.FrameworkInfo.Capability.newBuilder().setType(type));
    }
    return b.build();
  }

  /**
   * The capability names a framework declared, as an executor learns them from
   * {@code SUBSCRIBED.framework_info}.
   *
   * @param info the message
   * @return the names, e.g. {@code TASK_KILLING_STATE}; capabilities this Mesos version does not
   *     know are left out
   */
  public static Set<String> capabilities(Protos.FrameworkInfo info) {
    Set<String> names = new java.util.TreeSet<>();
    for (Protos.FrameworkInfo.Capability c : info.getCapabilitiesList()) {
      if (c.hasType() && c.getType() != Protos.FrameworkInfo.Capability.Type.UNKNOWN) {
        names.add(c.getType().name());
      }
    }
    return names;
  }

  // ------------------------------------------------------------------ offers and resources

  /**
   * An offer as MesosKit sees it.
   *
   * @param offer the message
   * @return the offer
   */
  public static Offer offer(Protos.Offer offer) {
    List<Resource> resources = new ArrayList<>(offer.getResourcesCount());
    for (Protos.Resource r : offer.getResourcesList()) {
      resource(r).ifPresent(resources::add);
    }
    return new Offer(offer.getId().getValue(), offer.getAgentId().getValue(),
        offer.getHostname(), Resources.of(resources), attributes(offer), executorIds(offer),
        offer.hasDomain() && offer.getDomain().hasFaultDomain()
            ? Optional.of(new Offer.Domain(
                offer.getDomain().getFaultDomain().getRegion().getName(),
                offer.getDomain().getFaultDomain().getZone().getName()))
            : Optional.empty());
  }

  /** An offer's attributes by name, the last of a name winning; immutable, so never copied. */
  private static Map<String, String> attributes(Protos.Offer offer) {
    int n = offer.getAttributesCount();
    if (n == 0) {
      return Map.of();
    }
    if (n == 1) {
      Protos.Attribute a = offer.getAttributes(0);
      return Map.of(a.getName(), attributeText(a));
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Protos.Attribute a : offer.getAttributesList()) {
      attributes.put(a.getName(), attributeText(a));
    }
    return attributes;
  }

  /** The executors an offer names as running; immutable when there are none. */
  private static Set<String> executorIds(Protos.Offer offer) {
    if (offer.getExecutorIdsCount() == 0) {
      return Set.of();
    }
    Set<String> executors = new HashSet<>();
    for (Protos.ExecutorID e : offer.getExecutorIdsList()) {
      executors.add(e.getValue());
    }
    return executors;
  }

  private static String attributeText(Protos.Attribute a) {
    return switch (a.getType()) {
      case SCALAR -> new Resource.Scalar(Math.max(0, a.getScalar().getValue())).toString();
      case RANGES -> ranges(a.getRanges()).toString();
      case SET -> "{" + String.join(",", a.getSet().getItemList()) + "}";
      default -> a.getText().getValue();
    };
  }

  /**
   * A resource as MesosKit sees it; resources MesosKit cannot use (disk sources, persistent
   * volumes, resource providers, shared resources, revocable resources) are left out, so they are
   * never launched on by accident.
   *
   * @param r the message
   * @return the resource, or empty when MesosKit leaves it out
   */
  @SuppressWarnings("deprecation") // Resource.role: the legacy reservation form, still sent by masters
  public static Optional<Resource> resource(Protos.Resource r) {
    if (r.hasDisk() || r.hasProviderId() || r.hasShared() || r.hasRevocable()) {
      return Optional.empty();
    }
    Resource.Value value = switch (r.getType()) {
      case SCALAR -> new Resource.Scalar(Math.max(0, r.getScalar().getValue()));
      case RANGES -> new Resource.RangesValue(ranges(r.getRanges()));
      case SET -> new Resource.SetValue(new HashSet<>(r.getSet().getItemList()));
      default -> null;
    };
    if (value == null) {
      return Optional.empty();
    }
    String role = r.getRole();
    Optional<String> principal = r.hasReservation() && r.getReservation().hasPrincipal()
        ? Optional.of(r.getReservation().getPrincipal())
        : Optional.empty();
    if (r.getReservationsCount() > 0) {
      Protos.Resource.ReservationInfo last = r.getReservations(r.getReservationsCount() - 1);
      role = last.getRole();
      principal = last.hasPrincipal() ? Optional.of(last.getPrincipal()) : Optional.empty();
    }
    if (role == null || role.isEmpty()) {
      role = Resource.UNRESERVED;
    }
    Optional<String> allocation = r.hasAllocationInfo() && r.getAllocationInfo().hasRole()
        ? Optional.of(r.getAllocationInfo().getRole())
        : Optional.empty();
    return Optional.of(new Resource(r.getName(), value, role, principal, allocation));
  }

  /**
   * The message of a resource, reserved the legacy way ({@code role} and {@code reservation}),
   * as frameworks without RESERVATION_REFINEMENT see them.
   *
   * @param r the resource
   * @return the message
   */
  @SuppressWarnings("deprecation") // Resource.role: the legacy form, for frameworks without RESERVATION_REFINEMENT
  public static Protos.Resource resource(Resource r) {
    Protos.Resource.Builder b = Protos.Resource.newBuilder().setName(r.name());
    if (r.value() instanceof Resource.Scalar s) {
      b.setType(Protos.Value.Type.SCALAR)
          .setScalar(Protos.Value.Scalar.newBuilder().setValue(s.amount()));
    } else if (r.value() instanceof Resource.RangesValue v) {
      b.setType(Protos.Value.Type.RANGES).setRanges(ranges(v.ranges()));
    } else if (r.value() instanceof Resource.SetValue v) {
      b.setType(Protos.Value.Type.SET)
          .setSet(Protos.Value.Set.newBuilder().addAllItem(new java.util.TreeSet<>(v.items())));
    }
    if (r.isReserved()) {
      b.setRole(r.role());
      Protos.Resource.ReservationInfo.Builder reservation =
          Protos.Resource.ReservationInfo.newBuilder();
      r.principal().ifPresent(reservation::setPrincipal);
      b.setReservation(reservation);
    }
    r.allocationRole().ifPresent(role ->
        b.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(role)));
    return b.build();
  }

  /**
   * The messages of a bag of resources.
   *
   * @param resources the resources
   * @return one message per resource
   */
  public static List<Protos.Resource> resources(Resources resources) {
    List<Protos.Resource> out = new ArrayList<>(resources.list().size());
    for (Resource r : resources) {
      out.add(resource(r));
    }
    return out;
  }

  static Ranges ranges(Protos.Value.Ranges ranges) {
    Ranges out = Ranges.empty();
    for (Protos.Value.Range r : ranges.getRangeList()) {
      out = plusRange(out, r.getBegin(), r.getEnd());
    }
    return out;
  }

  /** {@code ranges} with one more range of a message; a negative or inverted range is skipped. */
  static Ranges plusRange(Ranges ranges, long begin, long end) {
    return begin >= 0 && end >= begin ? ranges.plus(Ranges.of(begin, end)) : ranges;
  }

  static Protos.Value.Ranges ranges(Ranges ranges) {
    Protos.Value.Ranges.Builder b = Protos.Value.Ranges.newBuilder();
    for (long[] r : ranges.bounds()) {
      b.addRange(Protos.Value.Range.newBuilder().setBegin(r[0]).setEnd(r[1]));
    }
    return b.build();
  }

  // ------------------------------------------------------------------ launches

  /**
   * The {@code TaskInfo} of a launch.
   *
   * <p>A command task gets {@code spec.command()} with {@code spec.env()} added to its
   * environment; an executor task gets an {@code ExecutorInfo} (type {@code CUSTOM}, with the
   * executor's container when it has one) and its environment as labels prefixed
   * {@link TaskSpec#ENV_LABEL_PREFIX}; a task with a container image and neither a command nor an
   * executor gets a {@code CommandInfo} with {@code shell: false} and no value, which makes Mesos
   * run the image's entrypoint and default arguments.
   *
   * <p>Ports: when the task holds ports, its environment also gets, as Marathon gives its apps,
   * {@code PORT0} to {@code PORT}<i>n-1</i> (the task's ports in ascending order) and
   * {@code PORTS} (all of them, comma-separated); a variable of {@code spec.env()} with the same
   * name wins. Port mappings, health checks and checks that name the task's <i>i</i>th port
   * ({@link CheckPort#assigned(int)}) get that port number, in the same ascending order.
   *
   * @param launch the launch
   * @return the message
   * @throws IllegalArgumentException when a port index is beyond the task's ports, or a
   *     readiness check asks for {@code https} (Mesos' {@code CheckInfo} has no scheme)
   */
  public static Protos.TaskInfo taskInfo(TaskLaunch launch) {
    TaskSpec spec = launch.spec();
    List<Long> ports = launch.resources().ranges("ports").values();
    Protos.TaskInfo.Builder b = Protos.TaskInfo.newBuilder()
        .setName(spec.name())
        .setTaskId(Protos.TaskID.newBuilder().setValue(launch.mesosTaskId()))
        .setAgentId(Protos.AgentID.newBuilder().setValue(launch.agentId()))
        .addAllResources(resources(launch.resources()));
    byte[] data = spec.data();
    if (data.length > 0) {
      b.setData(ByteString.copyFrom(data));
    }
    Protos.Labels.Builder labels = Protos.Labels.newBuilder();
    spec.labels().forEach((k, v) -> labels.addLabels(label(k, v)));
    Map<String, String> env = new LinkedHashMap<>(portEnv(ports));
    env.putAll(spec.env());
    if (spec.command().isPresent()) {
      b.setCommand(command(spec.command().get(), env));
    } else if (spec.executor().isPresent()) {
      ExecutorSpec exec = spec.executor().get();
      Protos.ExecutorInfo.Builder e = Protos.ExecutorInfo.newBuilder()
          .setType(Protos.ExecutorInfo.Type.CUSTOM)
          .setExecutorId(Protos.ExecutorID.newBuilder().setValue(exec.id()))
          .setName(exec.name())
          .setCommand(command(exec.command(), Map.of()))
          .addAllResources(resources(launch.executorResources()));
      exec.container().ifPresent(c -> e.setContainer(
          ContainerMessages.containerInfo(c, launch.executorResources().ranges("ports").values())));
      b.setExecutor(e);
      env.forEach((k, v) -> labels.addLabels(label(TaskSpec.ENV_LABEL_PREFIX + k, v)));
    } else {
      b.setCommand(entrypoint(env));
    }
    spec.container().ifPresent(c -> b.setContainer(ContainerMessages.containerInfo(c, ports)));
    List<Long> probed = CheckMessages.probedPorts(spec, ports);
    spec.healthCheck().ifPresent(h -> b.setHealthCheck(CheckMessages.healthCheck(h, probed)));
    spec.readinessCheck().ifPresent(r -> b.setCheck(CheckMessages.checkInfo(r, probed)));
    if (labels.getLabelsCount() > 0) {
      b.setLabels(labels);
    }
    spec.killGracePeriod().ifPresent(g -> b.setKillPolicy(killPolicy(g)));
    return b.build();
  }

  /**
   * The variables Marathon gives a task that holds ports: {@code PORT0} to
   * {@code PORT}<i>n-1</i> and {@code PORTS}, comma-separated.
   *
   * @param ports the task's ports, ascending
   * @return the variables, in that order; empty without ports
   */
  public static Map<String, String> portEnv(List<Long> ports) {
    Map<String, String> env = new LinkedHashMap<>();
    List<String> all = new ArrayList<>(ports.size());
    for (int i = 0; i < ports.size(); i++) {
      env.put("PORT" + i, String.valueOf(ports.get(i)));
      all.add(String.valueOf(ports.get(i)));
    }
    if (!ports.isEmpty()) {
      env.put("PORTS", String.join(",", all));
    }
    return env;
  }

  /** The command of a task that runs its image's entrypoint: no shell, no value. */
  private static Protos.CommandInfo entrypoint(Map<String, String> env) {
    Protos.CommandInfo.Builder b = Protos.CommandInfo.newBuilder().setShell(false);
    if (!env.isEmpty()) {
      b.setEnvironment(environment(env));
    }
    return b.build();
  }

  /**
   * The {@code LAUNCH_GROUP} operation of a pod: Mesos' default executor ({@code ExecutorInfo}
   * of type {@code DEFAULT} with the executor id, name, framework id and the executor's
   * resources, no command) and a {@code TaskGroupInfo} of the tasks' {@code TaskInfo}s, which
   * carry no {@code executor} (the master gives them the group's). The pod's shared volumes are
   * mounted into every task: a {@code ContainerInfo} of type {@code MESOS} (or the task's own)
   * with one volume per shared directory, {@code SANDBOX_PATH} of type {@code PARENT}, the same
   * relative path inside the task's sandbox, read-write.
   *
   * @param group the pod's launch
   * @param frameworkId the framework's id, as the master assigned it
   * @return the operation
   * @throws IllegalArgumentException when a task of the group names an executor, or as
   *     {@link #taskInfo(TaskLaunch)}
   */
  public static Protos.Offer.Operation launchGroup(TaskGroupLaunch group, String frameworkId) {
    Protos.ExecutorInfo executor = Protos.ExecutorInfo.newBuilder()
        .setType(Protos.ExecutorInfo.Type.DEFAULT)
        .setExecutorId(Protos.ExecutorID.newBuilder().setValue(group.executorId()))
        .setName(group.executorName())
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue(frameworkId))
        .addAllResources(resources(group.executorResources()))
        .build();
    Protos.TaskGroupInfo.Builder tasks = Protos.TaskGroupInfo.newBuilder();
    for (TaskLaunch launch : group.tasks()) {
      if (launch.spec().executor().isPresent()) {
        throw new IllegalArgumentException("task " + launch.mesosTaskId() + " of task group "
            + group.executorId() + " names executor " + launch.spec().executor().get().id()
            + " but the tasks of a group run on Mesos' default executor");
      }
      Protos.TaskInfo task = taskInfo(launch);
      if (!group.sharedVolumes().isEmpty()) {
        Protos.ContainerInfo.Builder container = task.hasContainer()
            ? task.getContainer().toBuilder()
            : Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS);
        for (String path : group.sharedVolumes()) {
          container.addVolumes(ContainerMessages.volume(Volume.podSandbox(path, path, Volume.Mode.RW)));
        }
        task = task.toBuilder().setContainer(container).build();
      }
      tasks.addTasks(task);
    }
    return Protos.Offer.Operation.newBuilder()
        .setType(Protos.Offer.Operation.Type.LAUNCH_GROUP)
        .setLaunchGroup(Protos.Offer.Operation.LaunchGroup.newBuilder()
            .setExecutor(executor)
            .setTaskGroup(tasks))
        .build();
  }

  /**
   * A command as MesosKit sees it: shell or not, value, arguments, plain environment values
   * (secrets are left out), URIs and user.
   *
   * @param c the message
   * @return the command
   * @throws IllegalArgumentException when the message breaks a rule of {@link CommandSpec}, e.g.
   *     it has no value
   */
  public static CommandSpec commandSpec(Protos.CommandInfo c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Protos.Environment.Variable v : c.getEnvironment().getVariablesList()) {
      if (v.getType() != Protos.Environment.Variable.Type.SECRET) {
        env.put(v.getName(), v.getValue());
      }
    }
    List<FetchUri> uris = new ArrayList<>();
    for (Protos.CommandInfo.URI u : c.getUrisList()) {
      uris.add(new FetchUri(u.getValue(), u.getExtract(), u.getExecutable(), u.getCache(),
          u.hasOutputFile() ? Optional.of(u.getOutputFile()) : Optional.empty()));
    }
    return new CommandSpec(c.getShell(), c.getValue(),
        c.getShell() ? List.of() : c.getArgumentsList(), env, uris,
        c.hasUser() ? Optional.of(c.getUser()) : Optional.empty());
  }

  /**
   * A {@code KillPolicy} with a grace period ({@code DurationInfo} in nanoseconds), for
   * {@code TaskInfo.kill_policy} and {@code Call.Kill.kill_policy}.
   *
   * @param gracePeriod the grace period, &gt;= 0
   * @return the message
   */
  public static Protos.KillPolicy killPolicy(Duration gracePeriod) {
    return Protos.KillPolicy.newBuilder()
        .setGracePeriod(Protos.DurationInfo.newBuilder().setNanoseconds(gracePeriod.toNanos()))
        .build();
  }

  private static Protos.Label label(String key, String value) {
    return Protos.Label.newBuilder().setKey(key).setValue(value).build();
  }

  /**
   * The {@code CommandInfo} of a command, with extra environment variables added after its own.
   *
   * @param command the command
   * @param extraEnv variables to add
   * @return the message
   */
  public static Protos.CommandInfo command(CommandSpec command, Map<String, String> extraEnv) {
    Protos.CommandInfo.Builder b = Protos.CommandInfo.newBuilder()
        .setShell(command.shell())
        .setValue(command.value());
    if (!command.shell()) {
      b.addAllArguments(command.arguments());
    }
    Map<String, String> env = new LinkedHashMap<>(command.env());
    env.putAll(extraEnv);
    if (!env.isEmpty()) {
      b.setEnvironment(environment(env));
    }
    for (FetchUri u : command.uris()) {
      Protos.CommandInfo.URI.Builder ub = Protos.CommandInfo.URI.newBuilder()
          .setValue(u.uri())
          .setExtract(u.extract())
          .setExecutable(u.executable())
          .setCache(u.cache());
      u.outputFile().ifPresent(ub::setOutputFile);
      b.addUris(ub);
    }
    command.user().ifPresent(b::setUser);
    return b.build();
  }

  private static Protos.Environment environment(Map<String, String> env) {
    Protos.Environment.Builder e = Protos.Environment.newBuilder();
    env.forEach((k, v) -> e.addVariables(Protos.Environment.Variable.newBuilder()
        .setName(k).setType(Protos.Environment.Variable.Type.VALUE).setValue(v)));
    return e.build();
  }

  /**
   * The {@code Filters} asking the master not to re-offer for {@code refuse}.
   *
   * @param refuse how long
   * @return the message
   */
  public static Protos.Filters filters(Duration refuse) {
    return Protos.Filters.newBuilder().setRefuseSeconds(refuse.toMillis() / 1000.0).build();
  }

  // ------------------------------------------------------------------ status

  /**
   * A status update as MesosKit sees it.
   *
   * @param s the message
   * @return the status
   */
  public static TaskStatus taskStatus(Protos.TaskStatus s) {
    return new TaskStatus(
        s.getTaskId().getValue(),
        taskState(s.getState()),
        s.hasMessage() ? Optional.of(s.getMessage()) : Optional.empty(),
        s.hasReason() ? Optional.of(s.getReason().name()) : Optional.empty(),
        s.hasSource() ? Optional.of(s.getSource().name()) : Optional.empty(),
        s.hasAgentId() ? Optional.of(s.getAgentId().getValue()) : Optional.empty(),
        s.hasExecutorId() ? Optional.of(s.getExecutorId().getValue()) : Optional.empty(),
        s.hasUuid() ? Optional.of(s.getUuid().toByteArray()) : Optional.empty(),
        s.hasTimestamp()
            ? Instant.ofEpochSecond(0, (long) (s.getTimestamp() * 1_000_000_000L))
            : Instant.EPOCH,
        s.hasData() ? Optional.of(s.getData().toByteArray()) : Optional.empty(),
        s.hasHealthy() ? Optional.of(s.getHealthy()) : Optional.empty(),
        s.hasCheckStatus() ? CheckMessages.checkResult(s.getCheckStatus()) : Optional.empty());
  }

  /** The SDK state of each Mesos state, by its ordinal; null for one the SDK does not know. */
  private static final TaskState[] STATES = states();

  private static TaskState[] states() {
    Protos.TaskState[] mesos = Protos.TaskState.values();
    TaskState[] states = new TaskState[mesos.length];
    for (Protos.TaskState m : mesos) {
      try {
        states[m.ordinal()] = TaskState.fromMesos(m.name());
      } catch (IllegalArgumentException e) {
        states[m.ordinal()] = null; // converted by fromMesos, which says what is wrong
      }
    }
    return states;
  }

  static TaskState taskState(Protos.TaskState state) {
    TaskState known = STATES[state.ordinal()];
    return known != null ? known : TaskState.fromMesos(state.name());
  }

  /**
   * The message of a status update an executor sends: every field of the update that is present
   * ({@code healthy} and {@code check_status} too), the timestamp in seconds.
   *
   * @param status the update
   * @return the message
   * @throws IllegalArgumentException when the state is PENDING or the reason or source is not a
   *     Mesos name
   */
  public static Protos.TaskStatus taskStatusMessage(TaskStatus status) {
    Protos.TaskStatus.Builder b = Protos.TaskStatus.newBuilder()
        .setTaskId(Protos.TaskID.newBuilder().setValue(status.mesosTaskId()))
        .setState(Protos.TaskState.valueOf(status.state().toMesos()))
        .setTimestamp(status.timestamp().getEpochSecond() + status.timestamp().getNano() / 1e9);
    status.message().ifPresent(b::setMessage);
    status.reason().ifPresent(r -> b.setReason(
        MesosEnums.taskStatusValue(Protos.TaskStatus.Reason.class, r, "reason")));
    status.source().ifPresent(s -> b.setSource(
        MesosEnums.taskStatusValue(Protos.TaskStatus.Source.class, s, "source")));
    status.agentId().ifPresent(a -> b.setAgentId(Protos.AgentID.newBuilder().setValue(a)));
    status.executorId().ifPresent(e ->
        b.setExecutorId(Protos.ExecutorID.newBuilder().setValue(e)));
    status.uuid().ifPresent(u -> b.setUuid(ByteString.copyFrom(u)));
    status.data().ifPresent(d -> b.setData(ByteString.copyFrom(d)));
    status.healthy().ifPresent(b::setHealthy);
    status.checkStatus().ifPresent(c -> b.setCheckStatus(CheckMessages.checkStatusInfo(c)));
    return b.build();
  }

  // ------------------------------------------------------------------ executor

  /**
   * A task an agent hands an executor, as MesosKit sees it, with its {@code health_check} and
   * {@code check} (as a readiness check) when MesosKit can express them, their ports fixed.
   *
   * @param task the message
   * @param frameworkId the executor's framework
   * @param executorId the executor, used when the task does not name its own
   * @return the task
   */
  public static LaunchedTask launchedTask(Protos.TaskInfo task, String frameworkId,
      String executorId) {
    Map<String, String> labels = new LinkedHashMap<>();
    for (Protos.Label l : task.getLabels().getLabelsList()) {
      labels.put(l.getKey(), l.hasValue() ? l.getValue() : "");
    }
    List<Resource> resources = new ArrayList<>(task.getResourcesCount());
    for (Protos.Resource r : task.getResourcesList()) {
      resource(r).ifPresent(resources::add);
    }
    Optional<Duration> grace = task.hasKillPolicy() && task.getKillPolicy().hasGracePeriod()
        ? Optional.of(Duration.ofNanos(
            Math.max(0, task.getKillPolicy().getGracePeriod().getNanoseconds())))
        : Optional.empty();
    return new LaunchedTask(
        task.getTaskId().getValue(),
        task.getName(),
        task.getData().toByteArray(),
        labels,
        Resources.of(resources),
        task.hasExecutor() ? task.getExecutor().getExecutorId().getValue() : executorId,
        frameworkId,
        task.getAgentId().getValue(),
        grace,
        task.hasHealthCheck() ? CheckMessages.healthCheck(task.getHealthCheck()) : Optional.empty(),
        task.hasCheck() ? CheckMessages.readinessCheck(task.getCheck()) : Optional.empty());
  }
}
