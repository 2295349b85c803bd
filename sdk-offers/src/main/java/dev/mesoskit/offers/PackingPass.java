package dev.mesoskit.offers;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.offers.PlacementMemory.GroupId;
import dev.mesoskit.offers.PlacementMemory.Where;
import java.util.ArrayList;
import java.util.List;

/**
 * One packing pass: offers pooled per agent into primitive arrays (cpus, mem, disk and gpus in
 * thousandths, free port counts and ranges, per reservation role where tasks ask for one;
 * {@link OfferTable}), tasks' demands into arrays ({@link TaskTable}), then a strategy-specific
 * loop that checks fits and constraints with array reads only ({@link ItemCentricPacking},
 * {@link BinCentricPacking}, then {@link Consolidation} for {@link Mode#CONSOLIDATE}, and
 * {@link OverflowSearch} after it for {@link Mode#OVERFLOW_SEARCH}).
 * {@code Resources} and {@code Placement} objects are built for the chosen placements alone, with
 * {@link Resources#allocate} on the agent's pooled resources, so that they are exactly what the
 * framework validates. Tasks left pending get their reasons from {@link PendingReasons}.
 */
final class PackingPass {
  /** How a pass chooses. */
  enum Mode {
    FIRST_FIT("firstFit"),
    BIN_PACK("binPack"),
    SPREAD("spread"),
    DOT_PRODUCT("dotProduct"),
    L2_NORM("l2Norm"),
    CONSOLIDATE("consolidate"),
    OVERFLOW_SEARCH("overflowSearch");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  private final Mode mode;
  private final PlacementMemory memory;
  private final OfferTable offers;
  private final TaskTable tasks;
  private final Scores scores;

  PackingPass(Mode mode, List<PendingTask> tasks, List<Offer> offers,
      List<Packer.Binding> bindings, PlacementMemory memory, OfferRows rows) {
    this.mode = mode;
    this.memory = memory;
    this.offers = new OfferTable(offers, tasks, rows);
    this.tasks = new TaskTable(tasks, this.offers, bindings, memory);
    this.scores = new Scores(this.offers, this.tasks);
  }

  Packing run() {
    if (mode == Mode.DOT_PRODUCT || mode == Mode.L2_NORM) {
      new BinCentricPacking(mode, offers, tasks, scores).run();
    } else if (mode == Mode.CONSOLIDATE) {
      new BinCentricPacking(mode, offers, tasks, scores).run();
      new Consolidation(offers, tasks, scores).run();
    } else if (mode == Mode.OVERFLOW_SEARCH) {
      new BinCentricPacking(mode, offers, tasks, scores).run();
      new Consolidation(offers, tasks, scores).run();
      new OverflowSearch(offers, tasks, scores, OverflowSearch.MOVES).run();
    } else {
      new ItemCentricPacking(mode, offers, tasks, scores).run();
    }
    return result();
  }

  int placed() {
    return tasks.placedCount;
  }

  int agents() {
    return offers.na;
  }

  private Packing result() {
    // In the order decided: a task that starts its executor on an agent comes before the others
    // of that executor there, as the framework expects.
    List<Placement> placements = new ArrayList<>(tasks.placedCount);
    for (int i = 0; i < tasks.placedCount; i++) {
      int t = tasks.decided[i];
      int a = tasks.placedOn[t];
      TaskId id = tasks.pending.get(t).id();
      placements.add(new Placement(id, offers.agentIds[a], tasks.taskTaken[t],
          tasks.execTaken[t]));
      for (GroupId g : tasks.groupsOf[t]) {
        memory.remember(id, g, new Where(offers.agentIds[a], offers.hostnames[a],
            offers.attributes.get(a)));
      }
    }
    return new Packing(placements, new PendingReasons(offers, tasks).unplaced());
  }
}
