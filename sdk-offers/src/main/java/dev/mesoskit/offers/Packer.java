package dev.mesoskit.offers;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskListener;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PackingStrategy;
import dev.mesoskit.core.spi.PendingTask;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One of the stock packing strategies of {@link PackingStrategies}, with the placement constraints
 * attached to it.
 *
 * <p>A {@code Packer} is configured once, immutably ({@link #constrain} returns a new one), and
 * then used by one framework. Constraints that count tasks ({@link Constraints#uniqueHost()},
 * {@link Constraints#maxPerAttribute}, {@link Constraints#groupBy}) count the tasks this packer
 * placed in earlier passes as well; it learns that such a task ended (or is waiting to be retried)
 * as a {@link TaskListener}; {@code Framework.Builder.packing} registers it as one:
 *
 * <pre>{@code
 * Packer packer = PackingStrategies.binPack()
 *     .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost());
 * Framework.builder().packing(packer);
 * }</pre>
 *
 * <p>Limits: the packing SPI shows a strategy the pending tasks and the offers, not the tasks that
 * run. A packer used outside a Framework and never told of task changes never forgets a task (it
 * warns once). After a
 * scheduler restart it knows nothing of the tasks an earlier run placed, so counting constraints
 * start from zero for them.
 *
 * <p>Threading: {@link #pack} and {@link #onUpdate} run on the framework's event thread; a packer
 * is not safe for use by several threads or frameworks at once.
 */
public final class Packer implements PackingStrategy, TaskListener {
  private static final Logger log = LoggerFactory.getLogger(Packer.class);

  /** Constraints on a selection of tasks. */
  record Binding(TaskGroups groups, List<PlacementConstraint> constraints) {
    @Override
    public String toString() {
      return groups + ": " + String.join(", ", constraints.stream().map(Object::toString).toList());
    }
  }

  private final PackingPass.Mode mode;
  private final List<Binding> bindings;
  private final PlacementMemory memory = new PlacementMemory();
  /** What the last pass read from its offers, so that the next reads only new ones. */
  private final OfferRows rows = new OfferRows();
  private boolean heard;
  private boolean warned;

  Packer(PackingPass.Mode mode, List<Binding> bindings) {
    this.mode = mode;
    this.bindings = List.copyOf(bindings);
  }

  /**
   * Returns a packer that also applies {@code constraints}, all of them, to the tasks
   * {@code groups} selects; constraints that count, count within each group.
   *
   * @param groups which tasks, in which groups
   * @param constraints at least one
   * @return the new packer; this one is unchanged
   */
  public Packer constrain(TaskGroups groups, PlacementConstraint... constraints) {
    Objects.requireNonNull(groups, "groups must not be null");
    if (constraints.length == 0) {
      throw new IllegalArgumentException("constraints must not be empty for " + groups);
    }
    List<Binding> more = new ArrayList<>(bindings);
    more.add(new Binding(groups, List.of(constraints)));
    return new Packer(mode, more);
  }

  /**
   * Places pending tasks on offers as this packer's strategy does, within its constraints. Tasks
   * left pending carry a reason: {@code "needs mem 512 MB, the largest offer has 256 MB"},
   * {@code "constraint unique hostname: all 3 agents already run one"}.
   *
   * @throws IllegalArgumentException if {@code offers} lists an offer id twice (a master sends
   *     each offer once)
   */
  @Override
  public Packing pack(List<PendingTask> tasks, List<Offer> offers) {
    if (!heard && !warned && !bindings.isEmpty() && memory.tasks() > 0) {
      warned = true;
      log.warn("packing strategy {} counts tasks for its constraints but hears no task updates;"
          + " register it with Framework.Builder.listener so that it forgets ended tasks", this);
    }
    long start = System.nanoTime();
    PackingPass pass = new PackingPass(mode, tasks, offers, bindings, memory, rows);
    Packing packing = pass.run();
    if (log.isDebugEnabled()) {
      log.debug("packed strategy={} tasks={} agents={} placed={} pending={} micros={}", this,
          tasks.size(), pass.agents(), pass.placed(), packing.unplaced().size(),
          (System.nanoTime() - start) / 1000);
    }
    return packing;
  }

  /** Forgets a task whose attempt ended or that waits for a retry. */
  @Override
  public void onUpdate(Task task) {
    heard = true;
    if (task.state() == TaskState.PENDING || task.state().endsAttempt()) {
      memory.forget(task.id());
    }
  }

  /** Prints the strategy and its constraints, e.g. {@code binPack [label app: unique hostname]}. */
  @Override
  public String toString() {
    return bindings.isEmpty() ? mode.label : mode.label + " " + bindings;
  }
}
