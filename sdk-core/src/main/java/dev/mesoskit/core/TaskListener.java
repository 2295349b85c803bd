package dev.mesoskit.core;

/**
 * Receives every change of every task of a framework.
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
}
