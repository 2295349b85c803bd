package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;

import dev.mesoskit.offers.PackingPass.Mode;

/**
 * The scores a pass ranks agents and tasks by: every resource normalized by the largest free
 * amount when the pass starts and weighted by the mean normalized demand, so that resources nobody
 * asks for do not count; and the least the pending tasks ask of each resource.
 */
final class Scores {
  /**
   * How much more a stranded resource counts than a free one in {@link #leftover}: chosen so that
   * filling an agent's cpus while memory is left is still preferred to an emptier agent, and
   * taking an agent's last port while cores are left is not (both are unit cases; on Fenzo's
   * lots-of-tasks workload, 2 and 4 do worse than 3).
   */
  static final double STRANDED = 3;

  /**
   * What a task that asks for no gpus adds to {@link #leftover} on an agent with free gpus: more
   * than any leftover without it (at most {@code (1 + STRANDED) * D}), so that such a task goes to
   * a GPU agent only when no other agent fits, and GPU agents stay free for GPU work, as Mesos and
   * Marathon advise.
   */
  static final double GPU_AGENT = 100;

  /** The dimension of gpus. */
  private static final int GPUS = 3;

  /** The mean normalized demand of each resource. */
  final double[] weight = new double[D];
  /** 1 / the largest free amount of each resource, 0 when no agent has any. */
  final double[] inv = new double[D];
  /** The least any pending task asks of each resource, 0 when none asks for it. */
  final long[] minNeed = new long[D];
  /** The least every pending task asks of each resource: 0 when one task asks for none. */
  final long[] minAll = new long[D];

  private final TaskTable tasks;
  private final long[] avail;
  private final long[] own;
  private final long[] comb;

  Scores(OfferTable offers, TaskTable tasks) {
    this.tasks = tasks;
    this.avail = offers.avail;
    this.own = tasks.own;
    this.comb = tasks.comb;
    int na = offers.na;
    int nt = tasks.nt;
    for (int d = 0; d < D; d++) {
      long max = 0;
      for (int a = 0; a < na; a++) {
        max = Math.max(max, avail[a * D + d]);
      }
      inv[d] = max == 0 ? 0 : 1.0 / max;
      double sum = 0;
      for (int t = 0; t < nt; t++) {
        sum += own[t * D + d] * inv[d];
      }
      weight[d] = nt == 0 ? 0 : sum / nt;
      long least = 0;
      for (int t = 0; t < nt; t++) {
        long n = own[t * D + d];
        if (n > 0 && (least == 0 || n < least)) {
          least = n;
        }
      }
      minNeed[d] = least;
      long all = Long.MAX_VALUE;
      for (int t = 0; t < nt; t++) {
        all = Math.min(all, own[t * D + d]);
      }
      minAll[d] = nt == 0 ? 0 : all;
    }
  }

  /**
   * Whether agent {@code a} has less of some resource than every pending task asks for: no task
   * fits it, now or later in the pass.
   */
  boolean tooFullForAny(int a) {
    for (int d = 0; d < D; d++) {
      if (avail[a * D + d] < minAll[d]) {
        return true;
      }
    }
    return false;
  }

  /** The agent's free resources, weighted and normalized: lower is fuller. */
  double key(int a) {
    double k = 0;
    for (int d = 0; d < D; d++) {
      k += weight[d] * (avail[a * D + d] * inv[d]);
    }
    return k;
  }

  /** No agent whose {@link #key} is below this can fit task {@code t}. */
  double size(int t) {
    double k = 0;
    for (int d = 0; d < D; d++) {
      k += weight[d] * (own[t * D + d] * inv[d]);
    }
    return k;
  }

  /**
   * How much placing task {@code t} on agent {@code a} leaves unused: the weighted resources left,
   * and when a resource falls below the least any pending task asks of it, the rest of the agent,
   * now stranded for them, {@link #STRANDED} times more; and {@link #GPU_AGENT} more when the
   * task asks for no gpus and the agent has some free.
   */
  double leftover(int a, int t) {
    long[] need = tasks.startsExecutor(a, t) ? comb : own;
    boolean exhausted = false;
    double all = 0;
    double usable = 0;
    for (int d = 0; d < D; d++) {
      long left = avail[a * D + d] - need[t * D + d];
      double weighted = weight[d] * (left * inv[d]);
      all += weighted;
      if (minNeed[d] > 0 && left < minNeed[d]) {
        exhausted = true;
      } else {
        usable += weighted;
      }
    }
    double left = exhausted ? all + STRANDED * usable : all;
    return need[t * D + GPUS] == 0 && avail[a * D + GPUS] > 0 ? left + GPU_AGENT : left;
  }

  /**
   * How well task {@code t} suits agent {@code a} for the vector modes, by the weighted dot product
   * for {@link Mode#DOT_PRODUCT}, else by the weighted squared distance: higher is better.
   */
  double alignment(int a, int t, Mode mode) {
    long[] need = tasks.startsExecutor(a, t) ? comb : own;
    double score = 0;
    for (int d = 0; d < D; d++) {
      double n = need[t * D + d] * inv[d];
      double f = avail[a * D + d] * inv[d];
      if (mode == Mode.DOT_PRODUCT) {
        score += weight[d] * n * f;
      } else {
        double left = f - n;
        score -= weight[d] * left * left;
      }
    }
    return score;
  }
}
