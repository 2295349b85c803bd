package dev.mesoskit.core.http;

import java.util.ArrayList;
import java.util.List;
import org.apache.mesos.v1.Protos;

/**
 * The rules Mesos' master applies to what a scheduler launches, restated from
 * {@code src/master/validation.cpp} and {@code src/common/validation.cpp} of Apache Mesos, for
 * checking MesosKit's messages without a master: each method answers the broken rules, in words
 * close to the master's, empty when the message passes.
 */
final class MesosValidation {
  /** {@code MIN_CPUS} of the master: what an executor needs at least. */
  static final double MIN_CPUS = 0.01;
  /** {@code MIN_MEM} of the master, in MB. */
  static final double MIN_MEM_MB = 32;

  private MesosValidation() {}

  /** A task of a LAUNCH operation. */
  static List<String> launchedTask(Protos.TaskInfo task) {
    List<String> errors = new ArrayList<>();
    if (task.hasExecutor() == task.hasCommand()) {
      errors.add("Task should have at least one (but not both) of CommandInfo or ExecutorInfo"
          + " present");
    }
    if (task.hasExecutor()) {
      Protos.ExecutorInfo e = task.getExecutor();
      if (e.hasType() && e.getType() != Protos.ExecutorInfo.Type.CUSTOM) {
        errors.add("'ExecutorInfo.type' must be 'CUSTOM'");
      }
      if (!e.hasCommand()) {
        errors.add("'ExecutorInfo.command' must be set");
      }
      if (e.hasContainer()) {
        errors.addAll(container(e.getContainer()));
      }
    }
    errors.addAll(task(task));
    return errors;
  }

  /** A LAUNCH_GROUP operation, as the scheduler sends it (before the master copies the executor
   * into every task). */
  static List<String> launchGroup(Protos.Offer.Operation op) {
    List<String> errors = new ArrayList<>();
    if (op.getType() != Protos.Offer.Operation.Type.LAUNCH_GROUP || !op.hasLaunchGroup()) {
      errors.add("not a LAUNCH_GROUP operation");
      return errors;
    }
    if (!op.isInitialized()) {
      errors.add("missing required fields: " + op.findInitializationErrors());
    }
    Protos.ExecutorInfo e = op.getLaunchGroup().getExecutor();
    if (!e.hasType()) {
      errors.add("'ExecutorInfo.type' must be set");
    } else if (e.getType() == Protos.ExecutorInfo.Type.UNKNOWN) {
      errors.add("Unknown executor type");
    }
    if (e.getType() == Protos.ExecutorInfo.Type.DEFAULT && e.hasCommand()) {
      errors.add("'ExecutorInfo.command' must not be set for 'DEFAULT' executor");
    }
    if (e.hasContainer()) {
      if (e.getContainer().getType() != Protos.ContainerInfo.Type.MESOS) {
        errors.add("'ExecutorInfo.container.type' must be 'MESOS' for 'DEFAULT' executor");
      }
      if (e.getContainer().getMesos().hasImage()) {
        errors.add("'ExecutorInfo.container.mesos.image' must not be set for 'DEFAULT'"
            + " executor");
      }
    }
    if (!e.hasFrameworkId() || e.getFrameworkId().getValue().isEmpty()) {
      errors.add("'ExecutorInfo.framework_id' must be set");
    }
    errors.addAll(id("ExecutorID", e.getExecutorId().getValue()));
    double cpus = scalar(e.getResourcesList(), "cpus");
    double mem = scalar(e.getResourcesList(), "mem");
    if (cpus < MIN_CPUS) {
      errors.add("Executor uses less CPUs (" + cpus + ") than the minimum required");
    }
    if (mem < MIN_MEM_MB) {
      errors.add("Executor uses less memory (" + mem + ") than the minimum required");
    }
    if (e.getResourcesList().stream().noneMatch(r -> r.getName().equals("disk"))) {
      errors.add("Executor uses no disk");
    }
    Protos.TaskGroupInfo group = op.getLaunchGroup().getTaskGroup();
    if (group.getTasksCount() == 0) {
      errors.add("Task group has no tasks");
    }
    for (Protos.TaskInfo t : group.getTasksList()) {
      String name = "task " + t.getTaskId().getValue() + ": ";
      if (t.hasExecutor()) {
        errors.add(name + "a task of a group must not carry an executor (the master gives it"
            + " the group's)");
      }
      if (!t.hasCommand()) {
        errors.add(name + "a task of a group needs a CommandInfo");
      }
      if (t.hasContainer() && t.getContainer().getType() == Protos.ContainerInfo.Type.DOCKER) {
        errors.add(name + "Docker ContainerInfo is not supported on the task");
      }
      task(t).forEach(m -> errors.add(name + m));
    }
    return errors;
  }

  /** The rules every task meets, in a LAUNCH or a LAUNCH_GROUP. */
  private static List<String> task(Protos.TaskInfo task) {
    List<String> errors = new ArrayList<>();
    if (!task.isInitialized()) {
      errors.add("missing required fields: " + task.findInitializationErrors());
    }
    errors.addAll(id("TaskID", task.getTaskId().getValue()));
    if (task.hasContainer()) {
      errors.addAll(container(task.getContainer()));
    }
    if (task.hasHealthCheck()) {
      errors.addAll(healthCheck(task.getHealthCheck()));
    }
    if (task.hasCheck()) {
      errors.addAll(check(task.getCheck()));
    }
    return errors;
  }

  /** {@code common::validation::validateID}: non-empty, at most 255, no '/', no '..'. */
  private static List<String> id(String what, String id) {
    List<String> errors = new ArrayList<>();
    if (id.isEmpty()) {
      errors.add(what + " must not be empty");
    }
    if (id.length() > 255) {
      errors.add(what + " must not be greater than 255 characters");
    }
    if (id.contains("/") || id.equals(".") || id.equals("..")) {
      errors.add(what + " '" + id + "' contains invalid characters");
    }
    return errors;
  }

  /** {@code validateContainerInfo} and {@code validateVolume}. */
  static List<String> container(Protos.ContainerInfo c) {
    List<String> errors = new ArrayList<>();
    if (!c.hasType()) {
      errors.add("ContainerInfo must have a type");
    }
    for (Protos.Volume v : c.getVolumesList()) {
      int set = (v.hasHostPath() ? 1 : 0) + (v.hasImage() ? 1 : 0) + (v.hasSource() ? 1 : 0);
      if (set != 1) {
        errors.add("Invalid volume: Only one of them should be set: 'host_path', 'image' and"
            + " 'source'");
      }
      if (v.hasSource() && v.getSource().getType() == Protos.Volume.Source.Type.SANDBOX_PATH
          && !v.getSource().hasSandboxPath()) {
        errors.add("Invalid volume: 'source.sandbox_path' is not set for SANDBOX_PATH volume");
      }
      if (v.hasSource() && v.getSource().hasSandboxPath()
          && (v.getSource().getSandboxPath().getPath().startsWith("/")
              || !v.getSource().getSandboxPath().hasType())) {
        errors.add("Invalid volume: a sandbox path must be relative and have a type");
      }
    }
    if (c.getType() == Protos.ContainerInfo.Type.DOCKER) {
      if (!c.hasDocker()) {
        errors.add("DockerInfo 'docker' is not set for DOCKER typed ContainerInfo");
      } else {
        if (c.getDocker().getImage().isEmpty()) {
          errors.add("DockerInfo must have an image");
        }
        for (Protos.Parameter p : c.getDocker().getParametersList()) {
          if (p.getKey().equals("name")) {
            errors.add("Parameter in DockerInfo must not be 'name'");
          }
        }
        for (Protos.ContainerInfo.DockerInfo.PortMapping m : c.getDocker().getPortMappingsList()) {
          if (c.getDocker().getNetwork() != Protos.ContainerInfo.DockerInfo.Network.BRIDGE
              && c.getDocker().getNetwork() != Protos.ContainerInfo.DockerInfo.Network.USER) {
            errors.add("Port mappings need the BRIDGE or USER network");
          }
          if (m.getHostPort() == 0 || m.getContainerPort() == 0) {
            errors.add("A port mapping needs a host and a container port");
          }
        }
      }
    }
    if (c.getType() == Protos.ContainerInfo.Type.MESOS && c.hasDocker()) {
      errors.add("A MESOS ContainerInfo must not carry a DockerInfo");
    }
    return errors;
  }

  /** {@code validateHealthCheck}. */
  static List<String> healthCheck(Protos.HealthCheck h) {
    List<String> errors = new ArrayList<>();
    if (!h.hasType()) {
      errors.add("HealthCheck must specify 'type'");
      return errors;
    }
    switch (h.getType()) {
      case COMMAND -> {
        if (!h.hasCommand()) {
          errors.add("Expecting 'command' to be set for COMMAND health check");
        } else if (!h.getCommand().hasValue()) {
          errors.add("Command health check must contain a value");
        }
      }
      case HTTP -> {
        if (!h.hasHttp()) {
          errors.add("Expecting 'http' to be set for HTTP health check");
        } else {
          if (!h.getHttp().hasPort() || h.getHttp().getPort() == 0) {
            errors.add("An HTTP health check needs a port");
          }
          if (h.getHttp().hasScheme() && !h.getHttp().getScheme().equals("http")
              && !h.getHttp().getScheme().equals("https")) {
            errors.add("Unsupported HTTP health check scheme: '" + h.getHttp().getScheme() + "'");
          }
          if (h.getHttp().hasPath() && !h.getHttp().getPath().startsWith("/")) {
            errors.add("The path of HTTP health check must start with '/'");
          }
        }
      }
      case TCP -> {
        if (!h.hasTcp()) {
          errors.add("Expecting 'tcp' to be set for TCP health check");
        } else if (!h.getTcp().hasPort() || h.getTcp().getPort() == 0) {
          errors.add("A TCP health check needs a port");
        }
      }
      default -> errors.add("'" + h.getType() + "' is not a valid health check type");
    }
    if (h.getDelaySeconds() < 0 || h.getIntervalSeconds() < 0 || h.getTimeoutSeconds() < 0
        || h.getGracePeriodSeconds() < 0) {
      errors.add("Expecting delay, interval, timeout and grace period to be non-negative");
    }
    return errors;
  }

  /** {@code validateCheckInfo}. */
  static List<String> check(Protos.CheckInfo c) {
    List<String> errors = new ArrayList<>();
    if (!c.hasType()) {
      errors.add("CheckInfo must specify 'type'");
      return errors;
    }
    switch (c.getType()) {
      case COMMAND -> {
        if (!c.hasCommand()) {
          errors.add("Expecting 'command' to be set for COMMAND check");
        } else if (!c.getCommand().getCommand().hasValue()) {
          errors.add("Command check must contain a value");
        }
      }
      case HTTP -> {
        if (!c.hasHttp()) {
          errors.add("Expecting 'http' to be set for HTTP check");
        } else {
          if (!c.getHttp().hasPort() || c.getHttp().getPort() == 0) {
            errors.add("An HTTP check needs a port");
          }
          if (c.getHttp().hasPath() && !c.getHttp().getPath().startsWith("/")) {
            errors.add("The path of HTTP check must start with '/'");
          }
        }
      }
      case TCP -> {
        if (!c.hasTcp()) {
          errors.add("Expecting 'tcp' to be set for TCP check");
        } else if (!c.getTcp().hasPort() || c.getTcp().getPort() == 0) {
          errors.add("A TCP check needs a port");
        }
      }
      default -> errors.add("'" + c.getType() + "' is not a valid check type");
    }
    if (c.getDelaySeconds() < 0 || c.getIntervalSeconds() < 0 || c.getTimeoutSeconds() < 0) {
      errors.add("Expecting delay, interval and timeout to be non-negative");
    }
    return errors;
  }

  private static double scalar(List<Protos.Resource> resources, String name) {
    return resources.stream().filter(r -> r.getName().equals(name))
        .mapToDouble(r -> r.getScalar().getValue()).sum();
  }
}
