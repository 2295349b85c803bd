package dev.mesoskit.offers;

import dev.mesoskit.offers.PackingPass.Mode;
import java.util.Arrays;

/**
 * The bin-centric styles, {@link Mode#DOT_PRODUCT dot product} and {@link Mode#L2_NORM L2 norm}
 * (also the first step of {@link Mode#CONSOLIDATE consolidate}): agents in turn, fullest first;
 * each is filled with the pending task that aligns best with what it has left (Panigrahy et al.'s
 * bin-centric heuristic), until nothing more fits.
 */
final class BinCentricPacking {
  /**
   * How many fitting shapes a vector mode compares per choice, largest first: bounds a choice to
   * O(log S + K) for S shapes, where comparing all of them would make a pass O(P x S).
   */
  static final int CANDIDATES = 128;

  private final Mode mode;
  private final TaskTable tasks;
  private final Scores scores;
  private final int na;
  private final int nt;

  BinCentricPacking(Mode mode, OfferTable offers, TaskTable tasks, Scores scores) {
    this.mode = mode;
    this.tasks = tasks;
    this.scores = scores;
    this.na = offers.na;
    this.nt = tasks.nt;
  }

  /**
   * Agents in turn, fullest first; each is filled with the pending task that aligns best with
   * what it has left, until nothing more fits. The candidates are the {@link #CANDIDATES} largest
   * shapes that fit, tasks that want specific ports before the others.
   */
  void run() {
    int shapes = tasks.shapes;
    int[] shapeOf = tasks.shapeOf;
    long[][] ownPorts = tasks.ownPorts;
    int[] head = new int[shapes];
    int[] tail = new int[shapes];
    int[] next = new int[nt];
    Arrays.fill(head, -1);
    for (int t = 0; t < nt; t++) {
      int s = shapeOf[t];
      next[t] = -1;
      if (head[s] < 0) {
        head[s] = t;
      } else {
        next[tail[s]] = t;
      }
      tail[s] = t;
    }
    double[] shapeSize = new double[shapes];
    for (int s = 0; s < shapes; s++) {
      shapeSize[s] = scores.size(head[s]);
    }
    ShapeList specific = new ShapeList(shapeSize, mode, tasks, scores);
    ShapeList counted = new ShapeList(shapeSize, mode, tasks, scores);
    Integer[] bySize = new Integer[shapes];
    for (int s = 0; s < shapes; s++) {
      bySize[s] = s;
    }
    Arrays.sort(bySize, (x, y) -> shapeSize[x] != shapeSize[y]
        ? Double.compare(shapeSize[y], shapeSize[x]) : Integer.compare(x, y));
    for (int s : bySize) {
      (ownPorts[head[s]] != null ? specific : counted).add(s);
    }
    AgentOrder index = new AgentOrder(true, na, tasks, scores);
    int[] excluded = new int[shapes];
    int stamp = 0;
    for (int p = 0; p < index.size && specific.size + counted.size > 0; p++) {
      int a = index.order[p];
      stamp++;
      while (true) {
        double room = scores.key(a);
        int best = specific.best(a, room, head, excluded, stamp);
        if (best < 0) {
          best = counted.best(a, room, head, excluded, stamp);
        }
        if (best < 0) {
          break;
        }
        int t = head[best];
        boolean starts = tasks.startsExecutor(a, t);
        if (!tasks.place(t, a)) {
          excluded[best] = stamp;
          continue;
        }
        if (starts) {
          stamp++; // an executor now runs here: shapes that needed room for it may fit now
        }
        head[best] = next[t];
        if (head[best] < 0) {
          (ownPorts[t] != null ? specific : counted).remove(best);
        }
      }
    }
  }

  /** Shapes with tasks left, largest first, with their sizes for a binary search. */
  private static final class ShapeList {
    final double[] shapeSize;
    final int[] shapes;
    final double[] sizes;
    final Mode mode;
    final TaskTable tasks;
    final Scores scores;
    int size;

    ShapeList(double[] shapeSize, Mode mode, TaskTable tasks, Scores scores) {
      this.shapeSize = shapeSize;
      this.shapes = new int[shapeSize.length];
      this.sizes = new double[shapeSize.length];
      this.mode = mode;
      this.tasks = tasks;
      this.scores = scores;
    }

    void add(int s) {
      shapes[size] = s;
      sizes[size++] = shapeSize[s];
    }

    void remove(int s) {
      int i = 0;
      while (shapes[i] != s) {
        i++;
      }
      System.arraycopy(shapes, i + 1, shapes, i, size - i - 1);
      System.arraycopy(sizes, i + 1, sizes, i, size - i - 1);
      size--;
    }

    /**
     * The shape whose next task aligns best with agent {@code a}, among the largest that fit it:
     * shapes larger than the agent's {@code room} are skipped by a binary search.
     */
    int best(int a, double room, int[] head, int[] excluded, int stamp) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sizes[mid] > room) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      int candidates = 0;
      for (int i = lo; i < size && candidates < CANDIDATES; i++) {
        int s = shapes[i];
        if (excluded[s] == stamp) {
          continue;
        }
        int t = head[s];
        if (!tasks.fits(a, t) || !tasks.allowed(a, t)) {
          // The agent only gets fuller, so the shape stays out of it.
          excluded[s] = stamp;
          continue;
        }
        candidates++;
        double score = scores.alignment(a, t, mode);
        if (score > bestScore) {
          best = s;
          bestScore = score;
        }
      }
      return best;
    }
  }
}
