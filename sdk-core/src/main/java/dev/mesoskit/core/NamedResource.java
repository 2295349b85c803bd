package dev.mesoskit.core;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link ResourceSpec} asks of a resource other than cpus, mem, disk, gpus and ports: an
 * amount of a scalar ({@code licenses:2}), some values of a ranges resource (any {@code count} of
 * them, or specific ranges), or some items of a set resource (any {@code count} of them, or
 * specific items). Mesos lets an agent declare resources of any name in these three types; a task
 * asks for them by the same name and type.
 *
 * <p>In the Mesos resource syntax: {@code licenses:2}, {@code ephemeral:[5000-5009]},
 * {@code ephemeral:[any 2]}, {@code zones:{a,b}}, {@code zones:{any 1}}.
 *
 * @param name the resource name, as the agents declare it
 * @param type whether it is a scalar, ranges or a set
 * @param amount for a scalar, the amount in Mesos' precision of three decimals, &gt; 0; else 0
 * @param count for ranges or a set, how many values or items of any kind; 0 for specific ones
 *     and for a scalar
 * @param ranges for ranges, the specific values wanted; empty when {@code count} is used
 * @param items for a set, the specific items wanted; empty when {@code count} is used
 */
public record NamedResource(
    String name, NamedResource.Type type, double amount, long count, Ranges ranges,
    Set<String> items) {

  /** The three types of value Mesos resources have. */
  public enum Type {
    /** A number, kept to three decimals: {@code licenses:2}. */
    SCALAR,
    /** Ranges of whole numbers: {@code ephemeral:[5000-5009]}. */
    RANGES,
    /** Items: {@code zones:{a,b}}. */
    SET
  }

  /** Characters a resource name or set item cannot hold: the syntax uses them. */
  private static final String SYNTAX = ";:()[]{},";

  /**
   * Validates the fields; exactly the fields of the type are set.
   *
   * @param name the resource name, as the agents declare it
   * @param type whether it is a scalar, ranges or a set
   * @param amount for a scalar, the amount, &gt; 0; else 0
   * @param count for ranges or a set, how many values or items of any kind
   * @param ranges for ranges, the specific values wanted
   * @param items for a set, the specific items wanted, copied
   * @throws IllegalArgumentException naming the resource and what is wrong
   * @throws NullPointerException if a field is null
   */
  public NamedResource {
    checkName(name);
    Objects.requireNonNull(type, "type of resource '" + name + "' must not be null");
    Objects.requireNonNull(ranges, "ranges of resource '" + name + "' must not be null");
    items = Set.copyOf(Objects.requireNonNull(items,
        "items of resource '" + name + "' must not be null"));
    if (Double.isFinite(amount)) {
      amount = Math.round(amount * 1000.0) / 1000.0;
    }
    switch (type) {
      case SCALAR -> {
        if (!(amount > 0) || Double.isInfinite(amount)) {
          throw new IllegalArgumentException(
              "resource '" + name + "' must be > 0 but was " + amount);
        }
        onlyField(name, type, count == 0 && ranges.isEmpty() && items.isEmpty());
      }
      case RANGES -> {
        if (count < 0) {
          throw new IllegalArgumentException(
              "resource '" + name + "' must ask for >= 0 values but was " + count);
        }
        if ((count > 0) == !ranges.isEmpty()) {
          throw new IllegalArgumentException("resource '" + name
              + "' must ask for a count or specific ranges, one of them, but was count=" + count
              + " and ranges=" + ranges);
        }
        onlyField(name, type, amount == 0 && items.isEmpty());
      }
      case SET -> {
        if (count < 0) {
          throw new IllegalArgumentException(
              "resource '" + name + "' must ask for >= 0 items but was " + count);
        }
        if ((count > 0) == !items.isEmpty()) {
          throw new IllegalArgumentException("resource '" + name
              + "' must ask for a count or specific items, one of them, but was count=" + count
              + " and items=" + new TreeSet<>(items));
        }
        for (String item : items) {
          if (item.isBlank() || item.chars().anyMatch(c -> Character.isWhitespace(c)
              || SYNTAX.indexOf(c) >= 0)) {
            throw new IllegalArgumentException("item of resource '" + name
                + "' must not be blank nor hold whitespace or any of " + SYNTAX + " but was '"
                + item + "'");
          }
        }
        onlyField(name, type, amount == 0 && ranges.isEmpty());
      }
      default -> throw new AssertionError(type);
    }
  }

  private static void onlyField(String name, Type type, boolean ok) {
    if (!ok) {
      throw new IllegalArgumentException(
          "resource '" + name + "' is " + type + ": only its own fields may be set");
    }
  }

  /**
   * Checks a resource name: not blank, no whitespace, none of the characters of the syntax.
   *
   * @param name a resource name
   * @throws IllegalArgumentException naming the name and the rule
   */
  static void checkName(String name) {
    Objects.requireNonNull(name, "resource name must not be null");
    if (name.isEmpty() || name.chars().anyMatch(c -> Character.isWhitespace(c)
        || SYNTAX.indexOf(c) >= 0)) {
      throw new IllegalArgumentException("resource name must not be blank nor hold whitespace"
          + " or any of " + SYNTAX + " but was '" + name + "'");
    }
  }

  /**
   * An amount of a scalar resource.
   *
   * @param name the resource name
   * @param amount &gt; 0, kept to three decimals
   * @return the need
   */
  public static NamedResource scalar(String name, double amount) {
    return new NamedResource(name, Type.SCALAR, amount, 0, Ranges.empty(), Set.of());
  }

  /**
   * Any {@code count} values of a ranges resource, the lowest free ones.
   *
   * @param name the resource name
   * @param count &gt; 0
   * @return the need
   */
  public static NamedResource ranges(String name, long count) {
    return new NamedResource(name, Type.RANGES, 0, count, Ranges.empty(), Set.of());
  }

  /**
   * Specific values of a ranges resource.
   *
   * @param name the resource name
   * @param ranges not empty
   * @return the need
   */
  public static NamedResource ranges(String name, Ranges ranges) {
    return new NamedResource(name, Type.RANGES, 0, 0, ranges, Set.of());
  }

  /**
   * Any {@code count} items of a set resource, the first free ones in alphabetical order.
   *
   * @param name the resource name
   * @param count &gt; 0
   * @return the need
   */
  public static NamedResource set(String name, long count) {
    return new NamedResource(name, Type.SET, 0, count, Ranges.empty(), Set.of());
  }

  /**
   * Specific items of a set resource.
   *
   * @param name the resource name
   * @param items not empty
   * @return the need
   */
  public static NamedResource set(String name, Set<String> items) {
    return new NamedResource(name, Type.SET, 0, 0, Ranges.empty(), items);
  }

  /**
   * Returns how much is asked: the scalar amount, or the number of values or items.
   *
   * @return the quantity, &gt; 0
   */
  public double quantity() {
    return switch (type) {
      case SCALAR -> amount;
      case RANGES -> count + ranges.size();
      case SET -> count + items.size();
    };
  }

  /**
   * Returns whether this asks for a count of any values or items rather than specific ones.
   *
   * @return true for a count; false for a scalar or specific values
   */
  public boolean counted() {
    return count > 0;
  }

  /**
   * Adds two needs of the same resource, e.g. a task's and its executor's: amounts and counts
   * add up, specific values are joined. A value or item is one unit: two needs cannot both have
   * the same one.
   *
   * @param other a need of the same name and type
   * @return the sum
   * @throws IllegalArgumentException if the names or types differ, a count meets specific
   *     values, or both ask for the same specific value or item
   */
  public NamedResource plus(NamedResource other) {
    if (!name.equals(other.name) || type != other.type) {
      throw new IllegalArgumentException("cannot add resource " + other + " to " + this);
    }
    if (type == Type.SCALAR) {
      return scalar(name, amount + other.amount);
    }
    if (counted() != other.counted()) {
      throw new IllegalArgumentException(
          "cannot add a count of resource '" + name + "' to specific values: " + this + " + "
              + other);
    }
    if (overlaps(other)) {
      String both = type == Type.RANGES ? ranges.intersect(other.ranges).toString()
          : "{" + String.join(",", common(other)) + "}";
      throw new IllegalArgumentException("resource '" + name + "' values " + both
          + " are asked for twice: " + this + " + " + other);
    }
    if (type == Type.RANGES) {
      return counted() ? ranges(name, count + other.count) : ranges(name, ranges.plus(other.ranges));
    }
    if (counted()) {
      return set(name, count + other.count);
    }
    Set<String> both = new TreeSet<>(items);
    both.addAll(other.items);
    return set(name, both);
  }

  /** Whether both ask for some of the same specific values or items. */
  boolean overlaps(NamedResource other) {
    return type == other.type && (type == Type.RANGES ? ranges.intersect(other.ranges).size() > 0
        : type == Type.SET && !common(other).isEmpty());
  }

  private Set<String> common(NamedResource other) {
    Set<String> both = new TreeSet<>(items);
    both.retainAll(other.items);
    return both;
  }

  /**
   * Returns the same need with a count instead of specific values, for explaining sums.
   *
   * @return a count of the same quantity for ranges and sets; this for a scalar
   */
  NamedResource asCount() {
    return type == Type.SCALAR || counted() ? this
        : type == Type.RANGES ? ranges(name, (long) quantity()) : set(name, (long) quantity());
  }

  /**
   * Prints the value in the Mesos resource syntax: {@code 2}, {@code [5-7]}, {@code [any 2]},
   * {@code {a,b}}, {@code {any 1}}.
   *
   * @return the value as {@link ResourceSpec#parse} reads it
   */
  public String valueText() {
    return switch (type) {
      case SCALAR -> new Resource.Scalar(amount).toString();
      case RANGES -> counted() ? "[any " + count + "]" : ranges.toString();
      case SET -> counted() ? "{any " + count + "}"
          : "{" + String.join(",", new TreeSet<>(items)) + "}";
    };
  }

  /** Prints {@code name:value} in the Mesos resource syntax. */
  @Override
  public String toString() {
    return name + ":" + valueText();
  }
}
