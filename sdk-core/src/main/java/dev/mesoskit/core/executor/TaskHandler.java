package dev.mesoskit.core.executor;

/**
 * The user's code for one task: what an executor does with a task the scheduler launched.
 *
 * <p>The runtime calls {@link #run} on a thread of its own per task, so tasks of one executor run
 * concurrently and a handler may block. It reports {@code TASK_RUNNING} before the call,
 * {@code TASK_FINISHED} when it returns, and {@code TASK_FAILED} with the exception's message
 * when it throws ({@link PermanentFailure} for a failure that no retry can fix). When the task is
 * killed, its thread is interrupted and {@link TaskContext#isCancelled()} turns true; the task is
 * reported {@code TASK_KILLED} once the handler returns or throws, or when its kill grace period
 * ends, whichever comes first.
 *
 * <pre>{@code
 * TaskHandler greet = context -> {
 *   context.progress("greeting " + context.dataAsString());
 *   Files.writeString(context.sandbox().resolve("greeting.txt"), "hello");
 * };
 * }</pre>
 *
 * <p>Threading: called once per task, on that task's own thread; several handlers run at the same
 * time when the executor holds several tasks.
 */
@FunctionalInterface
public interface TaskHandler {
  /**
   * Runs one task to its end.
   *
   * @param context the task's data, ports, sandbox, progress reporting and cancellation
   * @throws Exception to fail the task with the exception's message
   */
  void run(TaskContext context) throws Exception;
}
