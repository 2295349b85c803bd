package dev.mesoskit.offers;

import java.util.List;

/**
 * The stock packing strategies. Each is a {@link Packer}: give it to
 * {@code Framework.builder().packing(...)}, optionally with constraints.
 *
 * <p>What every strategy shares:
 * <ul>
 *   <li>All resources count: cpus, mem, disk, gpus and ports (a number of ports, taken lowest
 *       first, or specific ports), and resources of any other name a task asks for
 *       ({@code licenses:1}, {@code ephemeral:[any 2]}, {@code zones:{a}}), from resources
 *       reserved for the task's role when its spec names one, else reserved ones first and then
 *       unreserved ones. A task goes only where every resource it asks for is free, and takes
 *       nothing it does not ask for; one that waits says which is short:
 *       {@code "needs licenses 2, the largest offer has 1"}. Bin packing, dot product and L2 norm
 *       score agents by cpus, mem, disk, gpus and ports only. Several offers of one agent pool
 *       together. A task whose executor does not run on the agent yet also takes the executor's
 *       resources, once per agent.
 *   <li>Roles: a framework of several roles gets each agent's resources allocated to one of its
 *       roles; the offers of an agent pool per allocation role, and a task runs on the pool of
 *       its own role only ({@code PendingTask.mayUse}: its {@code TaskSpec.role}, or the
 *       framework's first role, which also takes resources a master sent without allocation
 *       role), never on two roles' resources at once. A task that waits because of its role says
 *       so: {@code "needs cpus 1 of role web, offers of role web have 0.5"},
 *       {@code "no offers of role web"}.
 *   <li>Deterministic: the same tasks and offers give the same placements, listed in the order
 *       they were decided (a task that starts its executor on an agent before the others of that
 *       executor there). Except in {@link #firstFit()}, tasks that want specific ports are placed
 *       before tasks that want a number of ports, so that counted ports do not take them.
 *   <li>Every task left pending carries a reason a human can read, with the offers as the pass
 *       left them.
 *   <li>Cost of one pass over T tasks, A agents and S distinct task shapes (same resources,
 *       executor and groups): O(A log A + T log T) to set up, then fit checks that read primitive
 *       arrays and allocate nothing; objects are built for placements only. No strategy allocates
 *       per task-offer pair.
 * </ul>
 *
 * <pre>{@code
 * Framework.builder().packing(PackingStrategies.binPack());
 * }</pre>
 */
public final class PackingStrategies {
  private PackingStrategies() {}

  /**
   * Each task, in submission order, on the first agent (in offer order) that fits it. Fast and
   * predictable; the same placements as {@code PackingStrategy.firstFit()}. O(T x A) fit checks
   * at worst, much fewer when early agents have room.
   *
   * @return the strategy
   */
  public static Packer firstFit() {
    return new Packer(PackingPass.Mode.FIRST_FIT, List.of());
  }

  /**
   * Best fit decreasing over all resources: the largest tasks first (by their demand normalized
   * per resource and weighted by how much the pass asks of each), each on the fullest agent that
   * fits it, so that agents fill up and whole agents stay free for large tasks. Among the 64
   * fullest agents that fit, the task goes where it leaves the least unused; a resource left
   * below what any pending task asks for (the last port of an agent with cores left) strands the
   * rest of that agent, which then counts four times. A task that asks for no gpus goes to an
   * agent with free gpus only when no agent without fits (GPU agents are kept for GPU work, as
   * Mesos and Marathon advise); the other strategies do not look at gpus this way. Agents are
   * kept sorted by their weighted free resources; a task starts at the first agent that could
   * hold it. O(T log T + T x A) at
   * worst, typically O(T x (log A + 64)).
   *
   * @return the strategy
   */
  public static Packer binPack() {
    return new Packer(PackingPass.Mode.BIN_PACK, List.of());
  }

  /**
   * Each task, in submission order, on the least-loaded agent that fits it (the most free
   * resources, weighted as for {@link #binPack()}), so that load spreads across agents. The SPI
   * shows only what agents offer, so "least loaded" means "most free". O(T x A) at worst,
   * typically O(T log A).
   *
   * @return the strategy
   */
  public static Packer spread() {
    return new Packer(PackingPass.Mode.SPREAD, List.of());
  }

  /**
   * Vector packing by dot product, bin-centric as in Panigrahy et al., "Heuristics for Vector Bin
   * Packing" (and Tetris): agents in turn, fullest first, each filled with the pending task whose
   * normalized demand has the largest weighted dot product with the agent's free resources, until
   * none fits. Each choice compares the 128 largest task shapes that fit the agent (a binary
   * search skips those too large for it). Packs multi-resource demands tighter than best fit;
   * tasks are not taken in submission order. O(S log S + (A + P) x (log S + 128)) for P
   * placements, plus the shapes that do not fit an agent, each skipped once per agent.
   *
   * @return the strategy
   */
  public static Packer dotProduct() {
    return new Packer(PackingPass.Mode.DOT_PRODUCT, List.of());
  }

  /**
   * Vector packing by L2 norm: like {@link #dotProduct()}, but each agent takes the task that
   * leaves the smallest weighted squared distance between its free resources and the demand.
   * Same cost as {@link #dotProduct()}.
   *
   * @return the strategy
   */
  public static Packer l2Norm() {
    return new Packer(PackingPass.Mode.L2_NORM, List.of());
  }

  /**
   * {@link #l2Norm()}, then a bounded consolidation that tries to empty the agents the pass used
   * least, as local search does after a constructive heuristic: their tasks, largest first, move
   * to the used agent they leave the least on, or take the place of a task that moves on to a
   * third agent. An agent is emptied entirely or left as it was. Only tasks without executor,
   * role, specific ports or constraints move, onto agents the pass already uses, and only when
   * every task was placed (so that no pending task could use what the moves free). The tightest
   * stock strategy when all tasks fit (see the benchmarks' README for how much tighter), at a
   * higher cost.
   *
   * <p>Cost: that of {@link #l2Norm()}, plus at most 5 rounds over the least used eighth (at
   * least 16) of the U agents the pass used, then one over all of them. Emptying an agent that
   * holds k tasks costs O(k x U) fit checks, and O(k x 256 x U) when its tasks have to displace
   * others (16 in the last round), so a round costs O(T x 256 x U) at worst; {@code Resources}
   * are built for the moves only, never per task-agent pair. On 2,000 tasks and 2,000 agents of
   * the vector bin packing benchmark, 20 to 500 ms, against 10 to 60 ms for {@link #l2Norm()}.
   *
   * @return the strategy
   */
  public static Packer consolidate() {
    return new Packer(PackingPass.Mode.CONSOLIDATE, List.of());
  }

  /**
   * {@link #consolidate()}, then a local search that closes one more agent at a time: the tasks
   * of the agent it used least go to the others even where they overflow them, and moves and
   * swaps of single tasks between agents, chosen by seeded random numbers, remove the overflow;
   * the last assignment without overflow is kept. It finds sets of tasks that fill an agent in
   * every resource at once, which the greedy strategies miss: on the vector bin packing
   * benchmark's classes with tasks of a tenth to two fifths of an agent, 4% (three resources) and
   * 5% (five resources) fewer agents than {@link #consolidate()}. It moves what
   * {@link #consolidate()} moves (tasks without executor, role, specific ports, named resources or
   * constraints), only between agents that the pass already uses and that hold no task of
   * another kind, and only when every task was placed.
   *
   * <p>Work budget: 10 million tried moves per pass, each O(1) array reads and writes on the five
   * resources, plus, per agent closed, O(T) to choose it and O(k x U) to spread its k tasks over
   * the U agents used. It stops before the next agent, without spending the rest of the budget,
   * when the other agents cannot hold every task (too little room summed, or fewer of them than
   * tasks of more than half the largest in some resource), but not in every such case. The random
   * numbers come from a fixed seed and the budget is counted, not timed, so the same tasks and
   * offers give the same placements. On the 2,000 tasks of the benchmark, 0.8 to 1.7 seconds of
   * one core per pass where {@link #consolidate()} takes 0.02 to 0.7 (a quiet two-core machine;
   * under load, several times that): a strategy for large batches worth the time, not for every
   * offer cycle.
   *
   * @return the strategy
   */
  public static Packer overflowSearch() {
    return new Packer(PackingPass.Mode.OVERFLOW_SEARCH, List.of());
  }
}
