package dev.mesoskit.core.spi;

import dev.mesoskit.core.Offer;
import java.util.List;

/**
 * Chooses which offers run which pending tasks. The framework calls it once per batch of offers
 * and launches what it returns; offers nothing was placed on are declined.
 *
 * <p>Rules a strategy follows (the framework checks them and fails loudly on a violation):
 * several offers of one agent form one pool; the resources of all placements on an agent fit in
 * that pool; a task takes only resources it {@link PendingTask#mayUse may use} for their
 * allocation role, all of one role (see {@link AllocationRoles}); a task with an executor that does not yet run on the agent (not in
 * {@link Offer#executorIds()} nor placed earlier in the same pass) also takes the executor's
 * resources, once per agent. Strategies should be deterministic: the same input gives the same
 * placements.
 *
 * <p>Threading: called on the framework's event thread only.
 *
 * <pre>{@code
 * Framework.builder().packing(PackingStrategy.firstFit());
 * }</pre>
 */
@FunctionalInterface
public interface PackingStrategy {
  /**
   * Places pending tasks on offers.
   *
   * @param tasks the tasks waiting for resources, in submission order
   * @param offers the offers at hand
   * @return the placements, and a reason for every task not placed
   */
  Packing pack(List<PendingTask> tasks, List<Offer> offers);

  /**
   * Places each task, in order, on the first agent whose pooled offers fit it. O(tasks x agents).
   * {@code sdk-offers} brings bin packing, spreading, vector packing and constraints.
   *
   * @return the first-fit strategy
   */
  static PackingStrategy firstFit() {
    return new FirstFitStrategy();
  }
}
