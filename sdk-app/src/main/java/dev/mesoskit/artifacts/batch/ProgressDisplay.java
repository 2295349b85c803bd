package dev.mesoskit.artifacts.batch;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws a batch's {@link BatchProgress} until closed: a progress bar (me.tongfei:progressbar) on
 * a terminal, else one plain line, {@code batch: <counts>}, whenever the counts change. Closing
 * draws the final counts.
 *
 * <p>Threading: refreshes on its own daemon thread; {@link #close()} from any thread.
 */
final class ProgressDisplay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressDisplay.class);
  private final Supplier<BatchProgress> progress;
  private final PrintStream out;
  private final ProgressBar bar;
  private final ScheduledExecutorService timer;
  private List<Integer> lastCounts;
  private boolean closed;

  private ProgressDisplay(Supplier<BatchProgress> progress, PrintStream out, boolean terminal,
      Duration interval) {
    this.progress = progress;
    this.out = out;
    this.bar = terminal ? new ProgressBarBuilder()
        .setTaskName("batch")
        .setInitialMax(Math.max(1, progress.get().total()))
        .setStyle(ProgressBarStyle.ASCII)
        .setConsumer(new ConsoleProgressBarConsumer(out))
        .setUpdateIntervalMillis((int) interval.toMillis())
        .hideEta()
        .build() : null;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mesoskit-batch-progress");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleAtFixedRate(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Starts drawing; a bar when the JVM has a console.
   *
   * @param progress the counts
   * @param out where to draw
   * @param interval how often
   * @return the display
   */
  static ProgressDisplay start(Supplier<BatchProgress> progress, PrintStream out,
      Duration interval) {
    return start(progress, out, System.console() != null, interval);
  }

  static ProgressDisplay start(Supplier<BatchProgress> progress, PrintStream out,
      boolean terminal, Duration interval) {
    return new ProgressDisplay(progress, out, terminal, interval);
  }

  private synchronized void refresh() {
    if (closed) {
      return;
    }
    BatchProgress p;
    try {
      p = progress.get();
    } catch (RuntimeException e) {
      // A failed refresh must not end the timer (a scheduled task that throws never runs again).
      LOG.warn("reading the batch progress failed", e);
      return;
    }
    if (bar != null) {
      bar.maxHint(Math.max(1, p.total()));
      bar.stepTo(p.completed());
      bar.setExtraMessage(String.format(java.util.Locale.ROOT, "%d failed, %d running,"
          + " %d pending, %.1f/s", p.failed(), p.running(), p.pending(), p.perSecond()));
      return;
    }
    List<Integer> counts = List.of(p.total(), p.skipped(), p.done(), p.failed(), p.running(),
        p.pending());
    if (!counts.equals(lastCounts)) {
      lastCounts = counts;
      out.println("batch: " + p.line());
      out.flush();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    refresh();
    synchronized (this) {
      closed = true;
      if (bar != null) {
        bar.close();
      }
    }
  }
}
