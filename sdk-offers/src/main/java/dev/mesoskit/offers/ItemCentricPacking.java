package dev.mesoskit.offers;

import dev.mesoskit.offers.PackingPass.Mode;
import java.util.Arrays;

/**
 * The item-centric styles, {@link Mode#FIRST_FIT first fit}, {@link Mode#BIN_PACK bin packing}
 * (best fit decreasing) and {@link Mode#SPREAD spread}: each task in turn, largest first for bin
 * packing, to the agent the mode prefers.
 */
final class ItemCentricPacking {
  private final Mode mode;
  private final TaskTable tasks;
  private final Scores scores;
  private final int na;
  private final int nt;
  /** Agents before this one have too little of some resource for any task of the pass. */
  private int firstOpen;

  ItemCentricPacking(Mode mode, OfferTable offers, TaskTable tasks, Scores scores) {
    this.mode = mode;
    this.tasks = tasks;
    this.scores = scores;
    this.na = offers.na;
    this.nt = tasks.nt;
  }

  /** Each task in turn (largest first for bin packing) to the agent the mode prefers. */
  void run() {
    long[][] ownPorts = tasks.ownPorts;
    int[] shapeOf = tasks.shapeOf;
    int[] execKey = tasks.execKey;
    int[] execStarts = tasks.execStarts;
    Integer[] order = new Integer[nt];
    for (int t = 0; t < nt; t++) {
      order[t] = t;
    }
    double[] sizes = new double[nt];
    if (mode == Mode.SPREAD) {
      Arrays.sort(order, (x, y) -> (ownPorts[x] == null) != (ownPorts[y] == null)
          ? (ownPorts[x] != null ? -1 : 1) : Integer.compare(x, y));
    } else if (mode == Mode.BIN_PACK) {
      for (int t = 0; t < nt; t++) {
        sizes[t] = scores.size(t);
      }
      // Tasks that want specific ports first, so that counted ports do not take them; then the
      // largest first.
      Arrays.sort(order, (x, y) -> (ownPorts[x] == null) != (ownPorts[y] == null)
          ? (ownPorts[x] != null ? -1 : 1)
          : sizes[x] != sizes[y] ? Double.compare(sizes[y], sizes[x]) : Integer.compare(x, y));
    }
    AgentOrder index = mode == Mode.FIRST_FIT ? null
        : new AgentOrder(mode == Mode.BIN_PACK, na, tasks, scores);
    // A shape that found no agent finds none later in the pass either: agents only fill up and
    // counts only grow. Starting its executor somewhere may let it fit there, so that resets it.
    boolean[] failed = new boolean[tasks.shapes];
    int[] failedAtStarts = new int[tasks.shapes];
    for (int t : order) {
      int s = shapeOf[t];
      int starts = execKey[t] < 0 ? 0 : execStarts[execKey[t]];
      if (failed[s] && failedAtStarts[s] == starts) {
        continue;
      }
      boolean ok = switch (mode) {
        case FIRST_FIT -> firstFit(t);
        default -> index.firstFit(t);
      };
      if (!ok) {
        failed[s] = true;
        failedAtStarts[s] = execKey[t] < 0 ? 0 : execStarts[execKey[t]];
      }
    }
  }

  private boolean firstFit(int t) {
    while (firstOpen < na && scores.tooFullForAny(firstOpen)) {
      firstOpen++;
    }
    for (int a = firstOpen; a < na; a++) {
      if (tasks.fits(a, t) && tasks.allowed(a, t) && tasks.place(t, a)) {
        return true;
      }
    }
    return false;
  }
}
