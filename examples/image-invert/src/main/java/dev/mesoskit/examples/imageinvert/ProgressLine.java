package dev.mesoskit.examples.imageinvert;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskState;
import java.io.PrintStream;
import java.util.List;

/** A one-line progress bar: done, failed, running, images per second. */
final class ProgressLine implements Runnable {
  private final Framework framework;
  private final int total;
  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  ProgressLine(Framework framework, int total, PrintStream out) {
    this.framework = framework;
    this.total = total;
    this.out = out;
  }

  @Override
  public void run() {
    List<Task> tasks = framework.tasks();
    long done = tasks.stream().filter(t -> t.state() == TaskState.FINISHED).count();
    long failed = tasks.stream().filter(t -> t.done() && t.state() != TaskState.FINISHED).count();
    long running = tasks.stream().filter(t -> t.state() == TaskState.RUNNING).count();
    int width = 30;
    int filled = total == 0 ? width : (int) (width * (done + failed) / total);
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    out.printf("\r[%s%s] %d/%d done, %d failed, %d running, %.1f images/s   ",
        "#".repeat(filled), "-".repeat(width - filled), done, total, failed, running,
        seconds > 0 ? (done + failed) / seconds : 0.0);
    out.flush();
  }
}
