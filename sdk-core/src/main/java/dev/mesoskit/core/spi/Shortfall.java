package dev.mesoskit.core.spi;

import dev.mesoskit.core.NamedResource;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import java.util.Collection;

/**
 * Explains, in words a human can read, why a demand fits none of the offered pools; shared by
 * every {@link PackingStrategy} so that reasons read the same whichever strategy is used.
 */
public final class Shortfall {
  private Shortfall() {}

  /**
   * Explains why {@code demand} fits no pool.
   *
   * @param demand what the task (plus, if it starts one, its executor) needs
   * @param pools the resources each agent offers, after earlier placements of the same pass
   * @return e.g. {@code "needs mem 512 MB, the largest offer has 256 MB"} or
   *     {@code "needs licenses 2, the largest offer has 1"}
   */
  public static String explain(ResourceSpec demand, Collection<Resources> pools) {
    if (pools.isEmpty()) {
      return "no offers";
    }
    return explain(demand, pools, null);
  }

  /**
   * Explains why {@code demand} fits none of the pools allocated to its task's role, for a
   * framework of several roles whose other roles' offers the task may not use.
   *
   * @param demand what the task (plus, if it starts one, its executor) needs
   * @param allocationRole the role the task runs as
   * @param pools the resources allocated to that role each agent offers, after earlier
   *     placements of the same pass
   * @return e.g. {@code "needs cpus 1 of role web, offers of role web have 0.5"}, or
   *     {@code "no offers of role web"}
   */
  public static String explain(ResourceSpec demand, String allocationRole,
      Collection<Resources> pools) {
    if (pools.isEmpty()) {
      return "no offers of role " + allocationRole;
    }
    return explain(demand, pools, allocationRole);
  }

  /** The explanation, naming the allocation role when {@code of} is not null. */
  private static String explain(ResourceSpec demand, Collection<Resources> pools, String of) {
    String role = demand.role().map(r -> "(" + r + ")").orElse("");
    String ofRole = of == null ? "" : " of role " + of;
    String largestOffer = of == null ? ", the largest offer has " : ", offers of role " + of
        + " have ";
    String[] names = {"cpus", "mem", "disk", "gpus"};
    String[] units = {"", " MB", " MB", ""};
    double[] needs = {demand.cpus(), demand.memMb(), demand.diskMb(), demand.gpus()};
    for (int i = 0; i < names.length; i++) {
      if (needs[i] <= 0) {
        continue;
      }
      double largest = 0;
      for (Resources pool : pools) {
        largest = Math.max(largest, usable(pool, demand).scalar(names[i]));
      }
      if (largest < new Resource.Scalar(needs[i]).amount()) {
        return "needs " + names[i] + role + " " + fmt(needs[i]) + units[i] + ofRole
            + largestOffer + fmt(largest) + units[i];
      }
    }
    if (demand.portCount() > 0) {
      long largest = 0;
      for (Resources pool : pools) {
        largest = Math.max(largest, usable(pool, demand).ranges("ports").size());
      }
      if (largest < demand.portCount()) {
        return "needs " + demand.portCount() + (demand.portCount() == 1 ? " port" : " ports")
            + role + ofRole + largestOffer + largest;
      }
    }
    if (!demand.ports().isEmpty()) {
      boolean any = false;
      for (Resources pool : pools) {
        Ranges free = usable(pool, demand).ranges("ports");
        any |= free.containsAll(demand.ports());
      }
      if (!any) {
        return "needs ports" + role + " " + demand.ports() + ofRole + ", no offer" + ofRole
            + " has them all free";
      }
    }
    for (NamedResource n : demand.named()) {
      String why = named(n, demand, pools, role, ofRole, largestOffer);
      if (why != null) {
        return why;
      }
    }
    return "needs " + demand + ofRole + " on one agent, none of the " + pools.size()
        + (of == null ? " agents offered has it all" : " agents with offers" + ofRole
            + " has it all");
  }

  /**
   * Why no pool has what {@code n} asks, in the words of cpus and ports: {@code "needs licenses
   * 2, the largest offer has 1"}, {@code "needs 2 of ephemeral, the largest offer has 1"},
   * {@code "needs zones {a,b}, no offer has them all free"}; null when some pool has it.
   */
  private static String named(NamedResource n, ResourceSpec demand, Collection<Resources> pools,
      String role, String ofRole, String largestOffer) {
    if (n.type() == NamedResource.Type.SCALAR) {
      double largest = 0;
      for (Resources pool : pools) {
        largest = Math.max(largest, usable(pool, demand).scalar(n.name()));
      }
      return largest >= n.amount() ? null
          : "needs " + n.name() + role + " " + fmt(n.amount()) + ofRole + largestOffer
              + fmt(largest);
    }
    boolean ranges = n.type() == NamedResource.Type.RANGES;
    if (n.counted()) {
      long largest = 0;
      for (Resources pool : pools) {
        Resources usable = usable(pool, demand);
        largest = Math.max(largest,
            ranges ? usable.ranges(n.name()).size() : usable.items(n.name()).size());
      }
      return largest >= n.count() ? null
          : "needs " + n.count() + " of " + n.name() + role + ofRole + largestOffer + largest;
    }
    for (Resources pool : pools) {
      Resources usable = usable(pool, demand);
      if (ranges ? usable.ranges(n.name()).containsAll(n.ranges())
          : usable.items(n.name()).containsAll(n.items())) {
        return null;
      }
    }
    return "needs " + n.name() + role + " " + n.valueText() + ofRole + ", no offer" + ofRole
        + " has them all free";
  }

  private static Resources usable(Resources pool, ResourceSpec demand) {
    return demand.role().map(pool::reservedFor).orElse(pool);
  }

  private static String fmt(double amount) {
    return new Resource.Scalar(amount).toString();
  }
}
