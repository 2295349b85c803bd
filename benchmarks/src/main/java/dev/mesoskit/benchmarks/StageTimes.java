package dev.mesoskit.benchmarks;

import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskState;
import java.util.Arrays;

/**
 * When each task of a run reached each stage, as its scheduler saw it: submitted, launched (an
 * offer taken and the ACCEPT sent), RUNNING (the agent started it and the update came through the
 * master), done (its terminal update came through). The report gives the median and the 90th
 * percentile of the time between consecutive stages, over the tasks of the run. Tasks are named
 * {@code t<number>}.
 *
 * <p>Threading: {@link #submitted} on the submitting thread, {@link #saw} on the framework's event
 * thread; {@link #report} after both are done.
 */
final class StageTimes {
  private static final String[] NAMES = {"submitted", "launched", "running", "done"};
  private final long[][] at;
  private long start;

  StageTimes(int tasks) {
    at = new long[NAMES.length][tasks];
  }

  void start(long nanos) {
    start = nanos;
  }

  void submitted(int task) {
    at[0][task] = System.nanoTime();
  }

  void saw(Task task) {
    int stage;
    if (task.done()) {
      stage = 3;
    } else if (task.state() == TaskState.RUNNING) {
      stage = 2;
    } else if (task.state() == TaskState.STAGING || task.state() == TaskState.STARTING) {
      stage = 1;
    } else {
      return;
    }
    int index = Integer.parseInt(task.id().value().substring(1));
    if (at[stage][index] == 0) {
      at[stage][index] = System.nanoTime();
    }
  }

  String report() {
    StringBuilder out = new StringBuilder("stages (ms, median / p90 over tasks):");
    for (int stage = 1; stage < NAMES.length; stage++) {
      long[] spans = new long[at[0].length];
      int n = 0;
      for (int i = 0; i < spans.length; i++) {
        long from = at[stage - 1][i];
        long to = at[stage][i];
        if (from != 0 && to != 0) {
          spans[n++] = to - from;
        }
      }
      long[] sorted = Arrays.copyOf(spans, n);
      Arrays.sort(sorted);
      out.append(String.format(" %s->%s %.0f / %.0f;", NAMES[stage - 1], NAMES[stage],
          n == 0 ? 0 : sorted[n / 2] / 1e6, n == 0 ? 0 : sorted[(int) (n * 0.9)] / 1e6));
    }
    long lastSubmit = Arrays.stream(at[0]).max().orElse(start);
    out.append(String.format(" submitting all took %.0f ms", (lastSubmit - start) / 1e6));
    return out.toString();
  }
}
