package dev.mesoskit.core.internal;

import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import java.util.Optional;

/**
 * The roles of tasks in a framework of several roles (Mesos' MULTI_ROLE): which role a task runs
 * as (its {@link TaskSpec#role()}, or the framework's first role), whether a submitted task's
 * roles suit the framework, and whether a placement took resources of the task's role alone.
 *
 * <p>The roles may change while the framework runs ({@link FrameworkRoles}): the checks then
 * take the framework's current roles, and a cached {@link PendingTask} is made again.
 *
 * <p>Threading: stateless; {@link #pending} is called on the event thread.
 */
final class TaskRoles {
  private TaskRoles() {}

  /** The role a task runs as: its own, or the framework's first. */
  static String of(TaskSpec spec, FrameworkInfo info) {
    return spec.role().orElse(info.role());
  }

  /**
   * Checks that a submitted task's role is one of the framework's and that the roles its
   * resources are reserved for are the role it runs as.
   *
   * @throws IllegalArgumentException naming the role and the framework's roles
   */
  static void check(TaskSpec spec, FrameworkInfo info) {
    spec.role().ifPresent(role -> {
      if (!info.roles().contains(role)) {
        throw new IllegalArgumentException("role must be one of the framework's roles "
            + info.roles() + " but was '" + role + "' for task " + spec.name());
      }
    });
    String role = of(spec, info);
    String whose = spec.role().isPresent() ? "task's" : "framework's";
    spec.resources().role().ifPresent(reserved -> {
      if (!reserved.equals(role)) {
        throw new IllegalArgumentException("resources role must be the " + whose + " role '"
            + role + "' but was '" + reserved + "' for task " + spec.name());
      }
    });
    spec.executor().flatMap(e -> e.resources().role()).ifPresent(reserved -> {
      if (!reserved.equals(role)) {
        throw new IllegalArgumentException("executor resources role must be the " + whose
            + " role '" + role + "' but was '" + reserved + "' for task " + spec.name());
      }
    });
  }

  /**
   * Why a task can no longer run after the framework's roles changed: its role was removed, or
   * the role its resources are reserved for is no longer the one it runs as.
   *
   * @return e.g. {@code "role web was removed from the framework"}, or null when it still suits
   */
  static String removed(TaskSpec spec, FrameworkInfo info) {
    if (spec.role().isPresent() && !info.roles().contains(spec.role().get())) {
      return "role " + spec.role().get() + " was removed from the framework";
    }
    String role = of(spec, info);
    Optional<String> reserved = spec.resources().role()
        .or(() -> spec.executor().flatMap(e -> e.resources().role()));
    if (reserved.isEmpty() || reserved.get().equals(role)) {
      return null;
    }
    return info.roles().contains(reserved.get())
        ? "role " + reserved.get() + " is no longer the framework's first role, but the"
            + " resources of task " + spec.name() + " are reserved for it"
        : "role " + reserved.get() + " was removed from the framework";
  }

  /** The task as a packing strategy sees it, with its role; made once per task. */
  static PendingTask pending(TaskRecord r, FrameworkInfo info) {
    if (r.pendingTask == null) {
      r.pendingTask = pending(r.id, r.spec, info);
    }
    return r.pendingTask;
  }

  /** A task (or a pod, packed as one task) as a packing strategy sees it, with its role. */
  static PendingTask pending(dev.mesoskit.core.TaskId id, TaskSpec spec, FrameworkInfo info) {
    String role = of(spec, info);
    return new PendingTask(id, spec, Optional.of(role), role.equals(info.role()));
  }

  /**
   * What is wrong with the roles of a placement's resources: another role's, or several roles'.
   *
   * @return a description of the violation, or null when the placement keeps to the task's role
   */
  static String misplaced(PendingTask task, Placement p) {
    boolean any = false;
    Optional<String> seen = Optional.empty();
    for (Resources taken : new Resources[] {p.resources(), p.executorResources()}) {
      for (Resource res : taken.list()) {
        if (!task.mayUse(res.allocationRole())) {
          return "placed task " + p.taskId() + " of role " + task.role().orElse("?")
              + " on resources allocated to " + res.allocationRole().orElse("no role");
        }
        if (!any) {
          any = true;
          seen = res.allocationRole();
        } else if (!seen.equals(res.allocationRole())) {
          return "placed task " + p.taskId() + " on resources of two allocation roles, "
              + seen.orElse("none") + " and " + res.allocationRole().orElse("none");
        }
      }
    }
    return null;
  }
}
