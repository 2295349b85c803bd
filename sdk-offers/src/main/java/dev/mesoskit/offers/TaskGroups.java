package dev.mesoskit.offers;

import dev.mesoskit.core.TaskSpec;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Which tasks a set of constraints applies to, and how they form groups: constraints that count
 * ({@link Constraints#uniqueHost()}, ...) count the tasks of the same group only.
 *
 * <pre>{@code
 * TaskGroups.all()                          // every task, one group
 * TaskGroups.byLabel("app")                 // tasks labelled app, one group per label value
 * TaskGroups.matching("db", spec -> spec.name().startsWith("db-"))   // one group
 * }</pre>
 */
public final class TaskGroups {
  private final String description;
  private final Function<TaskSpec, String> keyOf;

  private TaskGroups(String description, Function<TaskSpec, String> keyOf) {
    this.description = description;
    this.keyOf = keyOf;
  }

  /**
   * Every task of the framework, as one group.
   *
   * @return the selection
   */
  public static TaskGroups all() {
    return new TaskGroups("all tasks", spec -> "");
  }

  /**
   * The tasks that carry the label {@code key}, one group per label value.
   *
   * @param key the label key, e.g. {@code app}
   * @return the selection
   */
  public static TaskGroups byLabel(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("label key must not be empty but was " + key);
    }
    return new TaskGroups("label " + key, spec -> spec.labels().get(key));
  }

  /**
   * The tasks {@code tasks} accepts, as one group; for one task, select it by name or id.
   *
   * @param name how reasons and {@code toString} name the group
   * @param tasks which tasks belong to it; called once per task and pass on the event thread
   * @return the selection
   */
  public static TaskGroups matching(String name, Predicate<TaskSpec> tasks) {
    Objects.requireNonNull(name, "name must not be null");
    Objects.requireNonNull(tasks, "tasks must not be null");
    return new TaskGroups(name, spec -> tasks.test(spec) ? "" : null);
  }

  /** Returns the task's group within this selection, or null when it is not selected. */
  String groupOf(TaskSpec spec) {
    return keyOf.apply(spec);
  }

  @Override
  public String toString() {
    return description;
  }
}
