package dev.mesoskit.core.executor;

import dev.mesoskit.core.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-exit hook of an {@link ExecutorRuntime}: when a task's handler called
 * {@code System.exit}, it reports every running task {@code TASK_FAILED} with where the call came
 * from. Runs on the JVM's shutdown hook thread.
 */
final class ExitWatch {
  private static final Logger log = LoggerFactory.getLogger(ExecutorRuntime.class);

  /** How long the exit hook waits for its updates to reach the agent. */
  private static final Duration EXIT_REPORT_WAIT = Duration.ofSeconds(3);

  private final ExecutorRuntime runtime;

  ExitWatch(ExecutorRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Runs as the JVM exits. When a task's handler called {@code System.exit}, every task still
   * running is reported {@code TASK_FAILED} with where the call came from, before the agent can
   * only say "Executor terminated". An exit of the program itself, or a signal, reports nothing.
   */
  void reportExitFromHandler() {
    Map<Thread, StackTraceElement[]> stacks = Thread.getAllStackTraces();
    List<RunningTask> running = runtime.runningTasks();
    RunningTask culprit = null;
    String where = null;
    for (RunningTask t : running) {
      Thread thread = t.thread;
      where = thread == null ? null : exitCaller(stacks.get(thread));
      if (where != null) {
        culprit = t;
        break;
      }
    }
    if (culprit == null) {
      return;
    }
    log.warn("a task's handler called System.exit, the executor ends task={} at={}",
        culprit.task.mesosTaskId(), where);
    for (RunningTask t : running) {
      t.report(TaskState.FAILED, Optional.of(t == culprit
          ? "the task's handler called System.exit at " + where + ", ending its executor"
          : "the executor ended while the task ran: the handler of task "
              + culprit.task.mesosTaskId() + " called System.exit at " + where),
          Optional.empty());
    }
    List<CompletableFuture<Void>> pending = runtime.terminalUpdates();
    try {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
          .get(EXIT_REPORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      log.warn("the updates of an exiting executor may not have reached the agent cause={}",
          e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Where a thread called {@code System.exit} or {@code Runtime.exit}, e.g.
   * {@code com.example.Convert.run(Convert.java:42)}; null when it did not.
   */
  static String exitCaller(StackTraceElement[] stack) {
    if (stack == null) {
      return null;
    }
    for (int i = 0; i + 1 < stack.length; i++) {
      StackTraceElement frame = stack[i];
      boolean exit = frame.getMethodName().equals("exit")
          && (frame.getClassName().equals("java.lang.System")
              || frame.getClassName().equals("java.lang.Runtime"));
      StackTraceElement caller = stack[i + 1];
      if (exit && !caller.getClassName().equals("java.lang.System")
          && !caller.getClassName().equals("java.lang.Runtime")) {
        return caller.getClassName() + "." + caller.getMethodName() + "("
            + (caller.getFileName() == null ? "Unknown Source"
                : caller.getFileName() + ":" + caller.getLineNumber()) + ")";
      }
    }
    return null;
  }
}
