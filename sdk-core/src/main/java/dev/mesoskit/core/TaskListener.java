package dev.mesoskit.core;

/**
 * Receives every change of every task of a framework: its state in {@link #onUpdate}, and the
 * results of its health and readiness checks in {@link #onHealthChanged}.
 *
 * <p>Threading: called on the framework's event thread, one call at a time, in the order the
 * changes happened, so a listener needs no locks. It must not block. A listener that throws fails
 * the framework: the exception is logged with the task id and rethrown from
 * {@link Framework#awaitTermination()}.
 *
 * <pre>{@code
 * Framework.builder().listener(task -> {
 *   if (task.done()) System.out.println(task.id() + " ended " + task.state());
 * });
 * }</pre>
 */
@FunctionalInterface
public interface TaskListener {
  /**
   * Called after a task changed: submitted, launched, a Mesos update, a retry, its outcome.
   *
   * @param task the task as it is now
   */
  void onUpdate(Task task);

  /**
   * Called after the {@link Task#healthy() health verdict} or the {@link Task#check() readiness
   * check result} of a task's current attempt changed, as Mesos reported in a {@code TASK_RUNNING}
   * (or {@code TASK_STARTING}) update. Such a change is no change of state: {@link #onUpdate} is
   * not called for it, so listeners that follow states alone are not disturbed. When one update
   * changes the state too, {@link #onUpdate} runs first, then this method, both with the same
   * snapshot. Repeated reports of the same result call nothing. Does nothing by default.
   *
   * @param task the task as it is now, with its new {@link Task#healthy()} and {@link Task#check()}
   */
  default void onHealthChanged(Task task) {}
}
