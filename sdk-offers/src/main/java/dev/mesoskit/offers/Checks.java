package dev.mesoskit.offers;

import dev.mesoskit.offers.PlacementMemory.Where;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Placement constraints compiled for one pass: array lookups per agent, so that checking a
 * task against an agent allocates nothing. Counting checks exist once per group.
 */
final class Checks {
  private Checks() {}

  /** The agents of one pass, as checks see them. */
  interface Agents {
    int count();

    /** The values of attribute {@code name} across the pass' agents, interned. */
    AttributeIndex attribute(String name);
  }

  /** One attribute's values across the agents of a pass: agent to value index, -1 if absent. */
  static final class AttributeIndex {
    final String name;
    final int[] valueOf;
    final List<String> values = new ArrayList<>();
    private final Map<String, Integer> index = new HashMap<>();

    AttributeIndex(String name, String[] byAgent) {
      this.name = name;
      this.valueOf = new int[byAgent.length];
      for (int a = 0; a < byAgent.length; a++) {
        valueOf[a] = byAgent[a] == null ? -1 : intern(byAgent[a]);
      }
    }

    int intern(String value) {
      Integer i = index.get(value);
      if (i == null) {
        i = values.size();
        index.put(value, i);
        values.add(value);
      }
      return i;
    }

    int indexOf(String value) {
      Integer i = index.get(value);
      return i == null ? -1 : i;
    }
  }

  /** A constraint as one pass checks it. */
  abstract static class Check {
    final PlacementConstraint constraint;

    Check(PlacementConstraint constraint) {
      this.constraint = constraint;
    }

    /** Whether the task may go to {@code agent}; allocates nothing. */
    abstract boolean allows(int agent);

    /** Records a task of the group placed on {@code agent}. */
    void placed(int agent) {}

    /**
     * Why the first {@code k} agents of {@code rejected} (at least one) of all {@code n} agents do
     * not qualify.
     */
    abstract String why(int[] rejected, int k, int n);

    final String reason(int[] rejected, int k, int n) {
      return "constraint " + constraint + ": " + why(rejected, k, n);
    }
  }

  static Check compile(PlacementConstraint c, Agents agents, Collection<Where> groupTasks) {
    if (c instanceof Constraints.UniqueHost) {
      return new Counting(c, agents.attribute(Constraints.HOSTNAME), 1, false, groupTasks);
    }
    if (c instanceof Constraints.MaxPerAttribute m) {
      return new Counting(c, agents.attribute(m.name()), m.max(), false, groupTasks);
    }
    if (c instanceof Constraints.GroupBy g) {
      return new Counting(c, agents.attribute(g.name()), 0, true, groupTasks);
    }
    if (c instanceof Constraints.AttributeIn in) {
      AttributeIndex attr = agents.attribute(in.name());
      boolean[] ok = new boolean[attr.values.size()];
      for (int v = 0; v < ok.length; v++) {
        ok[v] = in.values().contains(attr.values.get(v));
      }
      return new Static(c, attr, ok);
    }
    Constraints.AttributeMatches m = (Constraints.AttributeMatches) c;
    AttributeIndex attr = agents.attribute(m.name());
    boolean[] ok = new boolean[attr.values.size()];
    for (int v = 0; v < ok.length; v++) {
      ok[v] = m.pattern().matcher(attr.values.get(v)).matches();
    }
    return new Static(c, attr, ok);
  }

  /** "all 3 agents have", "the only agent has", "2 of 3 agents have". */
  static String agents(int k, int n, String singular, String plural) {
    if (k == n) {
      return n == 1 ? "the only agent " + singular : "all " + n + " agents " + plural;
    }
    return k + " of " + n + " agents " + (k == 1 ? singular : plural);
  }

  /** Attribute equals / in / matches: a yes or no per value, the same for every group. */
  static final class Static extends Check {
    private final AttributeIndex attr;
    private final boolean[] ok;

    Static(PlacementConstraint c, AttributeIndex attr, boolean[] ok) {
      super(c);
      this.attr = attr;
      this.ok = ok;
    }

    @Override
    boolean allows(int agent) {
      int v = attr.valueOf[agent];
      return v >= 0 && ok[v];
    }

    @Override
    String why(int[] rejected, int k, int n) {
      TreeSet<String> values = new TreeSet<>();
      boolean missing = false;
      for (int i = 0; i < k; i++) {
        int v = attr.valueOf[rejected[i]];
        if (v < 0) {
          missing = true;
        } else {
          values.add(attr.values.get(v));
        }
      }
      String what = values.isEmpty() ? "no " + attr.name
          : attr.name + " " + String.join(", ", values) + (missing ? " or no " + attr.name : "");
      return agents(k, n, "has " + what, "have " + what);
    }
  }

  /**
   * Unique hostname (at most 1 per hostname), max per attribute value, and group by (only the
   * values with the fewest tasks), over the tasks of one group.
   */
  static final class Counting extends Check {
    private final AttributeIndex attr;
    private final int max;
    private final boolean evenly;
    /** Tasks of the group per value; values beyond the agents' are known from the group only. */
    private int[] count;
    /** The values the group runs on that no agent of the pass has. */
    private final List<String> elsewhereValues = new ArrayList<>();
    private int fewest;

    Counting(PlacementConstraint c, AttributeIndex attr, int max, boolean evenly,
        Collection<Where> groupTasks) {
      super(c);
      this.attr = attr;
      this.max = max;
      this.evenly = evenly;
      int agentValues = attr.values.size();
      Map<String, Integer> elsewhere = new HashMap<>();
      int[] counts = new int[agentValues];
      for (Where w : groupTasks) {
        String value = w.attribute(attr.name);
        if (value == null) {
          continue;
        }
        int v = attr.indexOf(value);
        if (v >= 0) {
          counts[v]++;
        } else if (evenly) {
          elsewhere.merge(value, 1, Integer::sum);
        }
      }
      // Values the group runs on but no agent of the pass offers still count for spreading.
      count = Arrays.copyOf(counts, agentValues + elsewhere.size());
      int i = agentValues;
      for (Map.Entry<String, Integer> e : elsewhere.entrySet()) {
        elsewhereValues.add(e.getKey());
        count[i++] = e.getValue();
      }
      fewest = min(count);
    }

    private static int min(int[] counts) {
      int m = Integer.MAX_VALUE;
      for (int c : counts) {
        m = Math.min(m, c);
      }
      return m;
    }

    @Override
    boolean allows(int agent) {
      int v = attr.valueOf[agent];
      if (v < 0) {
        return false;
      }
      return evenly ? count[v] == fewest : count[v] < max;
    }

    @Override
    void placed(int agent) {
      int v = attr.valueOf[agent];
      if (v >= 0 && count[v]++ == fewest && evenly) {
        fewest = min(count);
      }
    }

    @Override
    String why(int[] rejected, int k, int n) {
      int missing = 0;
      for (int i = 0; i < k; i++) {
        if (attr.valueOf[rejected[i]] < 0) {
          missing++;
        }
      }
      int full = k - missing;
      List<String> parts = new ArrayList<>();
      if (full > 0) {
        String name = attr.name;
        if (constraint instanceof Constraints.UniqueHost) {
          parts.add(agents(full, n, "already runs one", "already run one"));
        } else if (evenly) {
          String least = leastUsedValue();
          String where = "in a " + name + " ahead of " + name + " " + least + ", which has "
              + fewest;
          parts.add(agents(full, n, "is " + where, "are " + where));
        } else {
          String where = "on a " + name + " that has " + max + " already";
          parts.add(agents(full, n, "is " + where, "are " + where));
        }
      }
      if (missing > 0) {
        parts.add(agents(missing, n, "has no " + attr.name, "have no " + attr.name));
      }
      return String.join(", ", parts);
    }

    private String leastUsedValue() {
      TreeSet<String> least = new TreeSet<>();
      for (int v = 0; v < count.length; v++) {
        if (count[v] == fewest) {
          least.add(v < attr.values.size()
              ? attr.values.get(v) : elsewhereValues.get(v - attr.values.size()));
        }
      }
      return least.first();
    }
  }
}
