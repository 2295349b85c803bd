package dev.mesoskit.core.executor;

/**
 * The user's code for one task: what an executor does with a task the scheduler launched.
 *
 * <p>The runtime calls {@link #run} on a thread of its own per task, so tasks of one executor run
 * concurrently and a handler may block. It reports {@code TASK_RUNNING} before the call (or when
 * the handler says it is ready, see {@link #reportsReadiness()}),
 * {@code TASK_FINISHED} when it returns, and {@code TASK_FAILED} with the exception's type and
 * message ({@code java.io.IOException: disk full}) when it throws ({@link PermanentFailure}, whose
 * message alone is the reason, for a failure that no retry can fix). When the task is
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
   * @throws Exception to fail the task with the exception's type and message
   */
  void run(TaskContext context) throws Exception;

  /**
   * Whether this handler reports its own readiness. By default ({@code false}) the runtime
   * reports {@code TASK_RUNNING} just before it calls {@link #run}. A handler that returns
   * {@code true} is reported {@code TASK_STARTING} then, and {@code TASK_RUNNING} only when it
   * calls {@link TaskContext#ready()}: a server once its port accepts connections, so that the
   * scheduler never sends clients to a task that cannot answer yet. Until then its
   * {@link TaskContext#progress} updates are {@code TASK_STARTING} too.
   *
   * <pre>{@code
   * final class Server implements TaskHandler {
   *   public boolean reportsReadiness() { return true; }
   *   public void run(TaskContext context) throws Exception {
   *     HttpServer server = HttpServer.create(new InetSocketAddress(context.port()), 0);
   *     server.start();
   *     context.ready();               // TASK_RUNNING now
   *     try {
   *       context.awaitCancellation(); // until killed
   *     } finally {
   *       server.stop(0);
   *     }
   *   }
   * }
   * }</pre>
   *
   * @return true when the handler calls {@link TaskContext#ready()} itself; default false
   */
  default boolean reportsReadiness() {
    return false;
  }
}
