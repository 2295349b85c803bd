package dev.mesoskit.core.spi;

import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import java.util.Objects;

/**
 * A task waiting to be placed, as a {@link PackingStrategy} sees it.
 *
 * @param id the task id
 * @param spec what the task needs and runs
 */
public record PendingTask(TaskId id, TaskSpec spec) {
  /**
   * Validates the fields.
   *
   * @param id the task id
   * @param spec what the task needs and runs
   * @throws NullPointerException if a required field is null
   */
  public PendingTask {
    Objects.requireNonNull(id, "id must not be null");
    Objects.requireNonNull(spec, "spec must not be null");
  }
}
