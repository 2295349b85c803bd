package dev.mesoskit.core.spi;

import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * A task waiting to be placed, as a {@link PackingStrategy} sees it.
 *
 * <p>Roles: a framework of several roles (Mesos' MULTI_ROLE) gets offers whose resources are
 * allocated to one of its roles ({@link dev.mesoskit.core.Resource#allocationRole()}), and a task
 * may run only on resources allocated to its own role, all of them to that one role, its
 * executor's too. {@link #mayUse} says which: resources of {@link #role()}, and resources without
 * an allocation role (from a master that sends none) when the task's role is the framework's
 * {@link #defaultRole() first one}.
 *
 * @param id the task id
 * @param spec what the task needs and runs
 * @param role the role the task runs as: its {@link TaskSpec#role()}, or the framework's first
 *     role; empty when not known (a strategy called without a framework), then the task may use
 *     the resources of any one allocation role
 * @param defaultRole whether {@code role} is the framework's first role, which also owns the
 *     resources that carry no allocation role
 */
public record PendingTask(TaskId id, TaskSpec spec, Optional<String> role, boolean defaultRole) {
  /**
   * Validates the fields.
   *
   * @param id the task id
   * @param spec what the task needs and runs
   * @param role the role the task runs as, or empty when not known
   * @param defaultRole whether {@code role} is the framework's first role
   * @throws NullPointerException if a required field is null
   */
  public PendingTask {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(spec, "spec must not be null");
    Objects.requireNonNull(role, "role must not be null");
  }

  /**
   * A task whose role is its spec's: empty specs' role is the default one, and may then use the
   * resources of any one allocation role.
   *
   * @param id the task id
   * @param spec what the task needs and runs
   */
  public PendingTask(TaskId id, TaskSpec spec) {
    this(id, spec, spec.role(), spec.role().isEmpty());
  }

  /**
   * Whether the task may run on resources allocated to {@code allocationRole}.
   *
   * @param allocationRole a resource's {@link dev.mesoskit.core.Resource#allocationRole()}
   * @return true for resources of the task's role, and for resources without an allocation role
   *     when the task runs as the framework's first role
   */
  public boolean mayUse(Optional<String> allocationRole) {
    if (allocationRole.isEmpty()) {
      return defaultRole;
    }
    return role.isEmpty() || role.get().equals(allocationRole.get());
  }
}
