package dev.mesoskit.core;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One resource of an offer or of a launch, as Mesos describes it: a name, a value, the role it is
 * reserved for ({@code *} when unreserved), the principal that reserved it, and the role it is
 * allocated to (set by masters for frameworks that may hold several roles).
 *
 * @param name the resource name, e.g. {@code cpus}, {@code mem}, {@code ports}
 * @param value a scalar, a set of ranges or a set of items
 * @param role the reservation role, {@code *} for unreserved resources
 * @param principal the principal that made a dynamic reservation, if any
 * @param allocationRole the role the master allocated this resource to, if it said
 */
public record Resource(
    String name,
    Resource.Value value,
    String role,
    Optional<String> principal,
    Optional<String> allocationRole) {

  /** The role of unreserved resources. */
  public static final String UNRESERVED = "*";

  /**
   * Validates the fields.
   *
   * @param name the resource name, e.g. {@code cpus}, {@code mem}, {@code ports}
   * @param value a scalar, a set of ranges or a set of items
   * @param role the reservation role, {@code *} for unreserved resources
   * @param principal the principal that made a dynamic reservation, if any
   * @param allocationRole the role the master allocated this resource to, if it said
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public Resource {
    Objects.requireNonNull(name, "resource name must not be null");
    Objects.requireNonNull(value, "resource value must not be null");
    Objects.requireNonNull(role, "resource role must not be null");
    Objects.requireNonNull(principal, "resource principal must not be null");
    Objects.requireNonNull(allocationRole, "resource allocationRole must not be null");
    if (name.isBlank()) {
      throw new IllegalArgumentException("resource name must not be blank");
    }
    if (role.isBlank()) {
      throw new IllegalArgumentException("resource role must not be blank for " + name);
    }
  }

  /**
   * An unreserved scalar resource.
   *
   * @param name the resource name
   * @param amount the amount, at least 0
   * @return the resource
   */
  public static Resource scalar(String name, double amount) {
    return new Resource(name, new Scalar(amount), UNRESERVED, Optional.empty(), Optional.empty());
  }

  /**
   * An unreserved ranges resource, such as ports.
   *
   * @param name the resource name
   * @param ranges the ranges
   * @return the resource
   */
  public static Resource ranges(String name, Ranges ranges) {
    return new Resource(
        name, new RangesValue(ranges), UNRESERVED, Optional.empty(), Optional.empty());
  }

  /**
   * Returns this resource with another value and the same name, role and reservation.
   *
   * @param newValue the value
   * @return the copy
   */
  public Resource withValue(Value newValue) {
    return new Resource(name, newValue, role, principal, allocationRole);
  }

  /**
   * Returns this resource reserved for {@code newRole}.
   *
   * @param newRole the reservation role
   * @return the copy
   */
  public Resource withRole(String newRole) {
    return new Resource(name, value, newRole, principal, allocationRole);
  }

  /**
   * Returns this resource as allocated to {@code role}.
   *
   * @param role the allocation role
   * @return the copy
   */
  public Resource withAllocationRole(String role) {
    return new Resource(name, value, this.role, principal, Optional.of(role));
  }

  /**
   * Returns whether this resource is reserved for a role.
   *
   * @return true unless the role is {@code *}
   */
  public boolean isReserved() {
    return !UNRESERVED.equals(role);
  }

  /**
   * Returns whether this and {@code other} can be merged into one resource: same name, kind of
   * value, role, principal and allocation role.
   *
   * @param other another resource
   * @return true when their values can be added
   */
  public boolean sameSlot(Resource other) {
    return name.equals(other.name)
        && value.getClass() == other.value.getClass()
        && role.equals(other.role)
        && principal.equals(other.principal)
        && allocationRole.equals(other.allocationRole);
  }

  @Override
  public String toString() {
    return name + (isReserved() ? "(" + role + ")" : "") + ":" + value;
  }

  /** The value of a resource: exactly one of scalar, ranges or set. */
  public sealed interface Value permits Scalar, RangesValue, SetValue {
    /**
     * Returns whether the value holds nothing (zero, no ranges, no items).
     *
     * @return true when empty
     */
    boolean isEmpty();
  }

  /**
   * A scalar amount, kept with Mesos' precision of three decimal places.
   *
   * @param amount the amount, finite and at least 0
   */
  public record Scalar(double amount) implements Value {
    /**
     * Rounds to three decimals as Mesos does, and validates.
     *
     * @param amount the amount, finite and at least 0
     * @throws IllegalArgumentException if a field breaks its rule; the message names the
     *     field, the rule and the value
     */
    public Scalar {
      if (!Double.isFinite(amount) || amount < 0) {
        throw new IllegalArgumentException("scalar amount must be finite and >= 0 but was " + amount);
      }
      amount = Math.round(amount * 1000.0) / 1000.0;
    }

    @Override
    public boolean isEmpty() {
      return amount == 0.0;
    }

    @Override
    public String toString() {
      return amount == Math.rint(amount) ? Long.toString((long) amount) : Double.toString(amount);
    }
  }

  /**
   * A set of ranges, such as ports.
   *
   * @param ranges the ranges
   */
  public record RangesValue(Ranges ranges) implements Value {
    /**
     * Validates the field.
     *
     * @param ranges the ranges
     * @throws NullPointerException if a required field is null
     */
    public RangesValue {
      Objects.requireNonNull(ranges, "ranges must not be null");
    }

    @Override
    public boolean isEmpty() {
      return ranges.isEmpty();
    }

    @Override
    public String toString() {
      return ranges.toString();
    }
  }

  /**
   * A set of named items.
   *
   * @param items the items, copied and sorted
   */
  public record SetValue(Set<String> items) implements Value {
    /**
     * Copies the items.
     *
     * @param items the items, copied and sorted
     */
    public SetValue {
      items = Set.copyOf(items);
    }

    @Override
    public boolean isEmpty() {
      return items.isEmpty();
    }

    @Override
    public String toString() {
      return "{" + String.join(",", new TreeSet<>(items)) + "}";
    }
  }
}
