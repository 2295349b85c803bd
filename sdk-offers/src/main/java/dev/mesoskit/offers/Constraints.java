package dev.mesoskit.offers;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The placement constraints sdk-offers knows, as static factories.
 *
 * <p>Attributes are the agent attributes of {@link dev.mesoskit.core.Offer#attributes()}, compared
 * in their Mesos text form ({@code rack:r1} has the value {@code r1}). The attribute name
 * {@value #HOSTNAME} stands for the agent's hostname, so {@code maxPerAttribute("hostname", 2)}
 * allows two tasks of a group per host. As in Marathon, {@value #REGION} and {@value #ZONE} stand
 * for the region and zone of the agent's fault domain ({@link dev.mesoskit.core.Offer#domain()}),
 * so {@code groupBy("@zone")} spreads a group over the zones. An agent without the attribute (or
 * without a fault domain) never satisfies a constraint on it.
 *
 * <pre>{@code
 * PackingStrategies.binPack()
 *     .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost(), Constraints.groupBy("zone"))
 *     .constrain(TaskGroups.byLabel("db"), Constraints.attributeIn("disk", Set.of("ssd", "nvme")));
 * }</pre>
 */
public final class Constraints {
  /** The attribute name that stands for the agent's hostname. */
  public static final String HOSTNAME = "hostname";
  /** The attribute name that stands for the region of the agent's fault domain. */
  public static final String REGION = "@region";
  /** The attribute name that stands for the zone of the agent's fault domain. */
  public static final String ZONE = "@zone";

  private Constraints() {}

  /**
   * No two tasks of the group on one hostname.
   *
   * @return the constraint, reading {@code "unique hostname"}
   */
  public static PlacementConstraint uniqueHost() {
    return new UniqueHost();
  }

  /**
   * Only agents whose attribute {@code name} is {@code value}.
   *
   * @param name the attribute name
   * @param value the value, in Mesos text form
   * @return the constraint, reading e.g. {@code "rack=r1"}
   */
  public static PlacementConstraint attributeEquals(String name, String value) {
    return new AttributeIn(name, Set.of(Objects.requireNonNull(value, "value must not be null")));
  }

  /**
   * Only agents whose attribute {@code name} is one of {@code values}.
   *
   * @param name the attribute name
   * @param values the allowed values, at least one
   * @return the constraint, reading e.g. {@code "zone in {a,b}"}
   */
  public static PlacementConstraint attributeIn(String name, Set<String> values) {
    return new AttributeIn(name, values);
  }

  /**
   * Only agents whose attribute {@code name} matches {@code regex} as a whole.
   *
   * @param name the attribute name
   * @param regex a {@link Pattern} the whole value must match
   * @return the constraint, reading e.g. {@code "rack matches r[12]"}
   */
  public static PlacementConstraint attributeMatches(String name, String regex) {
    Objects.requireNonNull(regex, "regex must not be null");
    try {
      return new AttributeMatches(name, Pattern.compile(regex));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "regex must be a valid pattern but was '" + regex + "': " + e.getDescription(), e);
    }
  }

  /**
   * At most {@code max} tasks of the group per value of the attribute {@code name}.
   *
   * @param name the attribute name, e.g. {@code rack} or {@value #HOSTNAME}
   * @param max at least 1
   * @return the constraint, reading e.g. {@code "at most 2 per rack"}
   */
  public static PlacementConstraint maxPerAttribute(String name, int max) {
    return new MaxPerAttribute(name, max);
  }

  /**
   * Spreads the group evenly across the values of the attribute {@code name}: a task goes only to
   * a value that has the fewest tasks of the group among the values known (those of the agents
   * offered in the pass, and those the group already runs on). A task waits for an offer from such
   * a value rather than unbalance the group.
   *
   * @param name the attribute name, e.g. {@code zone}
   * @return the constraint, reading e.g. {@code "group by zone"}
   */
  public static PlacementConstraint groupBy(String name) {
    return new GroupBy(name);
  }

  private static String checkName(String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("attribute name must not be blank but was " + name);
    }
    return name;
  }

  /** See {@link #uniqueHost()}. */
  record UniqueHost() implements PlacementConstraint {
    @Override
    public String toString() {
      return "unique hostname";
    }
  }

  /** See {@link #attributeIn(String, Set)}; one value is {@link #attributeEquals}. */
  record AttributeIn(String name, Set<String> values) implements PlacementConstraint {
    AttributeIn {
      checkName(name);
      values = Set.copyOf(Objects.requireNonNull(values, "values must not be null"));
      if (values.isEmpty()) {
        throw new IllegalArgumentException("values must not be empty for attribute " + name);
      }
    }

    @Override
    public String toString() {
      return values.size() == 1
          ? name + "=" + values.iterator().next()
          : name + " in {" + String.join(",", new TreeSet<>(values)) + "}";
    }
  }

  /** See {@link #attributeMatches(String, String)}. */
  record AttributeMatches(String name, Pattern pattern) implements PlacementConstraint {
    AttributeMatches {
      checkName(name);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof AttributeMatches m && m.name.equals(name)
          && m.pattern.pattern().equals(pattern.pattern());
    }

    @Override
    public int hashCode() {
      return Objects.hash(name, pattern.pattern());
    }

    @Override
    public String toString() {
      return name + " matches " + pattern.pattern();
    }
  }

  /** See {@link #maxPerAttribute(String, int)}. */
  record MaxPerAttribute(String name, int max) implements PlacementConstraint {
    MaxPerAttribute {
      checkName(name);
      if (max < 1) {
        throw new IllegalArgumentException("max must be >= 1 but was " + max);
      }
    }

    @Override
    public String toString() {
      return "at most " + max + " per " + name;
    }
  }

  /** See {@link #groupBy(String)}. */
  record GroupBy(String name) implements PlacementConstraint {
    GroupBy {
      checkName(name);
    }

    @Override
    public String toString() {
      return "group by " + name;
    }
  }
}
