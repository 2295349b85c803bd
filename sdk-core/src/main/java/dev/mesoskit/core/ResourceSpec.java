package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one task (or one executor) needs: cpus, memory, disk, GPUs, ports and any other resource
 * Mesos agents declare (scalars, ranges and sets of any name, {@link NamedResource}), optionally
 * from resources reserved for one role.
 *
 * <p>Build one with {@link #builder()}, {@link #of(double, double)} or the Mesos resource syntax:
 *
 * <pre>{@code
 * ResourceSpec web = ResourceSpec.parse("cpus:0.5;mem:128;ports:1");
 * ResourceSpec pinned = ResourceSpec.parse("cpus(prod):1;mem(prod):512;ports(prod):[8080-8080]");
 * ResourceSpec licensed = ResourceSpec.parse("cpus:1;mem:256;licenses:1;zones:{any 1}");
 * }</pre>
 *
 * <p>Ports are either a number ({@code ports:2}: any two offered ports) or specific ports
 * ({@code ports:[8080-8081]}), not both; so are the values of any ranges resource
 * ({@code ephemeral:[any 2]} or {@code ephemeral:[5000-5001]}) and the items of any set resource
 * ({@code zones:{any 1}} or {@code zones:{a}}).
 *
 * <p>What Mesos requires, and so a spec: a task must use some resource (a master refuses one that
 * uses none), but need not use cpus or memory; a spec asks for at least one resource and for no
 * negative amounts. An executor's resources are the same kind of spec: for a custom executor
 * launched with its first task a master only warns when it has less than 0.01 cpus or 32 MB of
 * memory, while the default executor of a pod ({@link PodSpec#executorResources}) must have at
 * least 0.01 cpus, 32 MB of memory and some disk, or the master refuses the pod. A resource a spec
 * does not ask for is never taken from an offer.
 *
 * @param cpus CPU shares, &gt;= 0
 * @param memMb memory in MB, &gt;= 0
 * @param diskMb disk in MB, &gt;= 0
 * @param gpus whole GPUs, &gt;= 0
 * @param portCount how many ports of any number, &gt;= 0
 * @param ports specific ports; empty when {@code portCount} is used
 * @param role when present, only resources reserved for this role are used; when absent, the
 *     framework's reserved resources first, then unreserved ones
 * @param named the other resources, one per name, sorted by name
 */
public record ResourceSpec(
    double cpus,
    double memMb,
    double diskMb,
    int gpus,
    int portCount,
    Ranges ports,
    Optional<String> role,
    List<NamedResource> named) {

  /** The resource names a spec has fields for, in the order they are printed. */
  public static final List<String> NAMES = List.of("cpus", "mem", "disk", "gpus", "ports");

  /**
   * Validates every field and names the field, the rule and the value on failure.
   *
   * @param cpus CPU shares, &gt;= 0
   * @param memMb memory in MB, &gt;= 0
   * @param diskMb disk in MB, &gt;= 0
   * @param gpus whole GPUs, &gt;= 0
   * @param portCount how many ports of any number, &gt;= 0
   * @param ports specific ports; empty when {@code portCount} is used
   * @param role when present, only resources reserved for this role are used; when absent, the
   *     framework's reserved resources first, then unreserved ones
   * @param named the other resources, one per name; copied and sorted by name
   * @throws IllegalArgumentException if a field breaks its rule, or the spec asks for nothing;
   *     the message names the field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public ResourceSpec {
    cpus = milli(cpus);
    memMb = milli(memMb);
    diskMb = milli(diskMb);
    notNegative("cpus", cpus);
    notNegative("memMb", memMb);
    notNegative("diskMb", diskMb);
    if (gpus < 0) {
      throw new IllegalArgumentException("gpus must be >= 0 but was " + gpus);
    }
    if (portCount < 0) {
      throw new IllegalArgumentException("portCount must be >= 0 but was " + portCount);
    }
    Objects.requireNonNull(ports, "ports must not be null");
    Objects.requireNonNull(role, "role must not be null");
    if (portCount > 0 && !ports.isEmpty()) {
      throw new IllegalArgumentException(
          "ports must be a count or specific ports, not both, but was portCount="
              + portCount + " and ports=" + ports);
    }
    if (ports.size() > 65536 || (!ports.isEmpty() && !Ranges.of(0, 65535).containsAll(ports))) {
      throw new IllegalArgumentException("ports must be within 0-65535 but was " + ports);
    }
    if (role.isPresent() && (role.get().isBlank() || role.get().equals(Resource.UNRESERVED))) {
      throw new IllegalArgumentException(
          "role must name a reservation role (not blank, not '*') but was '" + role.get() + "'");
    }
    named = sortedByName(named);
    if (cpus == 0 && memMb == 0 && diskMb == 0 && gpus == 0 && portCount == 0 && ports.isEmpty()
        && named.isEmpty()) {
      throw new IllegalArgumentException(
          "a resource spec must ask for at least one resource (Mesos refuses a task that uses"
              + " none) but asks for none");
    }
  }

  private static List<NamedResource> sortedByName(List<NamedResource> named) {
    Objects.requireNonNull(named, "named must not be null");
    TreeMap<String, NamedResource> byName = new TreeMap<>();
    for (NamedResource n : named) {
      Objects.requireNonNull(n, "named resource must not be null");
      if (NAMES.contains(n.name())) {
        throw new IllegalArgumentException("resource '" + n.name() + "' has its own field in a"
            + " spec and cannot be a named resource: " + n);
      }
      NamedResource earlier = byName.put(n.name(), n);
      if (earlier != null) {
        throw new IllegalArgumentException(
            "resource '" + n.name() + "' is given twice: " + earlier + " and " + n);
      }
    }
    return List.copyOf(byName.values());
  }

  /**
   * A spec of the resources cpus, mem, disk, gpus and ports, without named resources.
   *
   * @param cpus CPU shares, &gt;= 0
   * @param memMb memory in MB, &gt;= 0
   * @param diskMb disk in MB, &gt;= 0
   * @param gpus whole GPUs, &gt;= 0
   * @param portCount how many ports of any number, &gt;= 0
   * @param ports specific ports; empty when {@code portCount} is used
   * @param role when present, only resources reserved for this role are used
   * @throws IllegalArgumentException as the canonical constructor
   */
  public ResourceSpec(double cpus, double memMb, double diskMb, int gpus, int portCount,
      Ranges ports, Optional<String> role) {
    this(cpus, memMb, diskMb, gpus, portCount, ports, role, List.of());
  }

  /** Mesos keeps scalars to three decimals; so does a spec, so that it allocates what it says. */
  private static double milli(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : value;
  }

  private static void notNegative(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be >= 0 but was " + value);
    }
  }

  /**
   * The common case: cpus and memory, nothing else.
   *
   * @param cpus CPU shares, &gt;= 0
   * @param memMb memory in MB, &gt;= 0 (not both 0)
   * @return the spec
   */
  public static ResourceSpec of(double cpus, double memMb) {
    return builder().cpus(cpus).memMb(memMb).build();
  }

  /**
   * Starts a builder with no resources set; at least one must be set.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this spec's values.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder().cpus(cpus).memMb(memMb).diskMb(diskMb).gpus(gpus);
    b.portCount = portCount;
    b.ports = ports;
    b.role = role.orElse(null);
    for (NamedResource n : named) {
      b.named.put(n.name(), n);
    }
    return b;
  }

  /**
   * Parses the Mesos resource syntax: {@code name[(role)]:value} separated by {@code ;}. Names
   * {@code cpus}, {@code mem}, {@code disk} and {@code gpus} take a number, {@code ports} a count
   * ({@code ports:2}) or ranges ({@code ports:[31000-31001]}). Any other name is a
   * {@link NamedResource} whose value says its type: a number is a scalar ({@code licenses:2}),
   * brackets ranges ({@code ephemeral:[5000-5001]}, or {@code [any 2]} for any two values),
   * braces a set ({@code zones:{a,b}}, or {@code {any 1}} for any one item). All roles given must
   * be the same.
   *
   * @param text e.g. {@code cpus:0.5;mem:256;ports:[31000-31005];licenses:1}
   * @return the spec
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static ResourceSpec parse(String text) {
    Objects.requireNonNull(text, "resource spec must not be null");
    Builder b = builder();
    Set<String> seen = new LinkedHashSet<>();
    String role = null;
    for (ResourceSyntax.Entry e : ResourceSyntax.split(text)) {
      if (!seen.add(e.name())) {
        throw new IllegalArgumentException(
            "resource '" + e.name() + "' is given twice in '" + text + "'");
      }
      if (e.role() != null && !e.role().equals(Resource.UNRESERVED)) {
        if (role != null && !role.equals(e.role())) {
          throw new IllegalArgumentException(
              "all resources of a spec must use one role but '" + text + "' uses '" + role
                  + "' and '" + e.role() + "'");
        }
        role = e.role();
      }
      switch (e.name()) {
        case "cpus" -> b.cpus(e.scalar(text));
        case "mem" -> b.memMb(e.scalar(text));
        case "disk" -> b.diskMb(e.scalar(text));
        case "gpus" -> b.gpus(e.wholeNumber(text));
        case "ports" -> {
          long any = e.value().startsWith("[") ? e.anyCount(text) : -1;
          if (any >= 0) {
            b.ports(Math.toIntExact(any));
          } else if (e.value().startsWith("[")) {
            b.ports(Ranges.parse(e.value()));
          } else {
            b.ports(e.wholeNumber(text));
          }
        }
        default -> named(b, e, text);
      }
    }
    if (role != null) {
      b.role(role);
    }
    return b.build();
  }

  private static Ranges ranges(ResourceSyntax.Entry e, String text) {
    try {
      return Ranges.parse(e.value());
    } catch (IllegalArgumentException ex) {
      throw new IllegalArgumentException(
          "resource '" + e.name() + "' has invalid ranges in '" + text + "': " + ex.getMessage(),
          ex);
    }
  }

  private static void named(Builder b, ResourceSyntax.Entry e, String text) {
    NamedResource.checkName(e.name());
    String value = e.value();
    long any = value.startsWith("[") || value.startsWith("{") ? e.anyCount(text) : -1;
    if (value.startsWith("[")) {
      if (any >= 0) {
        b.ranges(e.name(), any);
      } else {
        b.ranges(e.name(), ranges(e, text));
      }
    } else if (value.startsWith("{")) {
      if (any >= 0) {
        b.set(e.name(), any);
      } else {
        b.set(e.name(), e.items(text));
      }
    } else {
      b.scalar(e.name(), e.scalar(text));
    }
  }

  /**
   * Returns what the spec asks of the resource {@code name} other than cpus, mem, disk, gpus
   * and ports.
   *
   * @param name a resource name
   * @return the need, or empty when the spec does not ask for it
   */
  public Optional<NamedResource> named(String name) {
    for (NamedResource n : named) {
      if (n.name().equals(name)) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns how many ports the spec asks for, counted or specific.
   *
   * @return the number of ports
   */
  public long portsNeeded() {
    return portCount + ports.size();
  }

  /**
   * Adds two specs, e.g. a task's and its executor's needs. Specific ports are joined; the role
   * of this spec is kept. Named resources add as {@link NamedResource#plus} does.
   *
   * @param other the spec to add
   * @return the sum
   * @throws IllegalArgumentException if one spec counts ports and the other names specific ones,
   *     or a named resource cannot be added (two types, a count and specific values, the same
   *     specific value twice)
   */
  public ResourceSpec plus(ResourceSpec other) {
    Builder b = builder()
        .cpus(cpus + other.cpus)
        .memMb(memMb + other.memMb)
        .diskMb(diskMb + other.diskMb)
        .gpus(gpus + other.gpus);
    b.portCount = portCount + other.portCount;
    b.ports = ports.plus(other.ports);
    if (b.portCount > 0 && !b.ports.isEmpty()) {
      throw new IllegalArgumentException(
          "cannot add a spec with counted ports to one with specific ports: " + this + " + " + other);
    }
    b.role = role.orElse(null);
    for (NamedResource n : named) {
      b.named.put(n.name(), n);
    }
    for (NamedResource n : other.named) {
      NamedResource mine = b.named.get(n.name());
      b.named.put(n.name(), mine == null ? n : mine.plus(n));
    }
    return b.build();
  }

  /**
   * Adds two specs as {@link #plus} does, except that a count of ports (or of a named resource's
   * values) and specific ones add up as numbers, and so do specific values both specs ask for:
   * the sum a shortfall is explained with, where {@link #plus} refuses.
   *
   * @param other the spec to add
   * @return the sum, with counts where the two specs mix counts and specific values or share
   *     specific values
   * @throws IllegalArgumentException if the specs ask for a resource of one name as two types
   */
  public ResourceSpec plusCounted(ResourceSpec other) {
    ResourceSpec a = this;
    ResourceSpec b = other;
    if ((portCount > 0 && !other.ports.isEmpty()) || (!ports.isEmpty() && other.portCount > 0)) {
      a = a.toBuilder().ports((int) portsNeeded()).build();
      b = b.toBuilder().ports((int) other.portsNeeded()).build();
    }
    for (NamedResource n : named) {
      Optional<NamedResource> o = other.named(n.name());
      if (o.isPresent() && o.get().type() == n.type()
          && (n.counted() != o.get().counted() || n.overlaps(o.get()))) {
        a = a.toBuilder().named(n.asCount()).build();
        b = b.toBuilder().named(o.get().asCount()).build();
      }
    }
    return a.plus(b);
  }

  /** Prints the spec in the syntax {@link #parse(String)} reads. */
  @Override
  public String toString() {
    String r = role.map(x -> "(" + x + ")").orElse("");
    List<String> parts = new ArrayList<>();
    if (cpus > 0) {
      parts.add("cpus" + r + ":" + new Resource.Scalar(cpus));
    }
    if (memMb > 0) {
      parts.add("mem" + r + ":" + new Resource.Scalar(memMb));
    }
    if (diskMb > 0) {
      parts.add("disk" + r + ":" + new Resource.Scalar(diskMb));
    }
    if (gpus > 0) {
      parts.add("gpus" + r + ":" + gpus);
    }
    if (portCount > 0) {
      parts.add("ports" + r + ":" + portCount);
    } else if (!ports.isEmpty()) {
      parts.add("ports" + r + ":" + ports);
    }
    for (NamedResource n : named) {
      parts.add(n.name() + r + ":" + n.valueText());
    }
    return String.join(";", parts);
  }

  /**
   * Builds a {@link ResourceSpec}; defaults: nothing of any resource, any role. At least one
   * resource must be asked for.
   */
  public static final class Builder {
    private double cpus;
    private double memMb;
    private double diskMb;
    private int gpus;
    private int portCount;
    private Ranges ports = Ranges.empty();
    private String role;
    private final Map<String, NamedResource> named = new TreeMap<>();

    private Builder() {}

    /**
     * Sets the CPU shares.
     *
     * @param cpus &gt;= 0; default 0
     * @return this builder
     */
    public Builder cpus(double cpus) {
      this.cpus = cpus;
      return this;
    }

    /**
     * Sets the memory.
     *
     * @param memMb megabytes, &gt;= 0; default 0
     * @return this builder
     */
    public Builder memMb(double memMb) {
      this.memMb = memMb;
      return this;
    }

    /**
     * Sets the disk space.
     *
     * @param diskMb megabytes, &gt;= 0; default 0
     * @return this builder
     */
    public Builder diskMb(double diskMb) {
      this.diskMb = diskMb;
      return this;
    }

    /**
     * Sets the number of GPUs.
     *
     * @param gpus &gt;= 0; default 0
     * @return this builder
     */
    public Builder gpus(int gpus) {
      this.gpus = gpus;
      return this;
    }

    /**
     * Asks for {@code count} ports of any number; replaces specific ports.
     *
     * @param count &gt;= 0; default 0
     * @return this builder
     */
    public Builder ports(int count) {
      this.portCount = count;
      this.ports = Ranges.empty();
      return this;
    }

    /**
     * Asks for these specific ports; replaces a port count.
     *
     * @param specific the ports
     * @return this builder
     */
    public Builder ports(Ranges specific) {
      this.ports = Objects.requireNonNull(specific, "ports must not be null");
      this.portCount = 0;
      return this;
    }

    /**
     * Asks for an amount of a scalar resource: {@code cpus}, {@code mem} (MB), {@code disk}
     * (MB), {@code gpus} (whole) set their fields, any other name a {@link NamedResource}.
     * An amount of 0 asks for none; replaces an earlier need of the same name.
     *
     * @param name a resource name; not {@code ports}, which is ranges
     * @param amount &gt;= 0, kept to three decimals
     * @return this builder
     * @throws IllegalArgumentException if {@code name} is {@code ports} or not a valid name
     */
    public Builder scalar(String name, double amount) {
      switch (name) {
        case "cpus" -> cpus(amount);
        case "mem" -> memMb(amount);
        case "disk" -> diskMb(amount);
        case "gpus" -> {
          if (amount != Math.rint(amount) || amount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                "resource 'gpus' must be a whole number but was " + amount);
          }
          gpus((int) amount);
        }
        case "ports" -> throw wrongType(name, "ranges", "a scalar");
        default -> {
          NamedResource.checkName(name);
          if (amount < 0 || !Double.isFinite(amount)) {
            throw new IllegalArgumentException(
                "resource '" + name + "' must be >= 0 but was " + amount);
          }
          put(name, Math.round(amount * 1000.0) == 0 ? null : NamedResource.scalar(name, amount));
        }
      }
      return this;
    }

    /**
     * Asks for any {@code count} values of a ranges resource, the lowest free ones; for
     * {@code ports} the same as {@link #ports(int)}. A count of 0 asks for none; replaces an
     * earlier need of the same name.
     *
     * @param name a resource name; not cpus, mem, disk or gpus, which are scalars
     * @param count &gt;= 0
     * @return this builder
     */
    public Builder ranges(String name, long count) {
      if (name.equals("ports")) {
        return ports(Math.toIntExact(count));
      }
      checkNamed(name, "ranges");
      if (count < 0) {
        throw new IllegalArgumentException(
            "resource '" + name + "' must ask for >= 0 values but was " + count);
      }
      return put(name, count == 0 ? null : NamedResource.ranges(name, count));
    }

    /**
     * Asks for specific values of a ranges resource; for {@code ports} the same as
     * {@link #ports(Ranges)}. Empty ranges ask for none; replaces an earlier need of the same
     * name.
     *
     * @param name a resource name; not cpus, mem, disk or gpus, which are scalars
     * @param specific the values
     * @return this builder
     */
    public Builder ranges(String name, Ranges specific) {
      if (name.equals("ports")) {
        return ports(specific);
      }
      checkNamed(name, "ranges");
      Objects.requireNonNull(specific, "ranges of resource '" + name + "' must not be null");
      return put(name, specific.isEmpty() ? null : NamedResource.ranges(name, specific));
    }

    /**
     * Asks for any {@code count} items of a set resource, the first free ones in alphabetical
     * order. A count of 0 asks for none; replaces an earlier need of the same name.
     *
     * @param name a resource name; not cpus, mem, disk, gpus or ports
     * @param count &gt;= 0
     * @return this builder
     */
    public Builder set(String name, long count) {
      checkNamed(name, "a set");
      if (count < 0) {
        throw new IllegalArgumentException(
            "resource '" + name + "' must ask for >= 0 items but was " + count);
      }
      return put(name, count == 0 ? null : NamedResource.set(name, count));
    }

    /**
     * Asks for specific items of a set resource. No items ask for none; replaces an earlier
     * need of the same name.
     *
     * @param name a resource name; not cpus, mem, disk, gpus or ports
     * @param items the items
     * @return this builder
     */
    public Builder set(String name, Set<String> items) {
      checkNamed(name, "a set");
      Objects.requireNonNull(items, "items of resource '" + name + "' must not be null");
      return put(name, items.isEmpty() ? null : NamedResource.set(name, items));
    }

    /**
     * Asks for a named resource as it is given; replaces an earlier need of the same name.
     *
     * @param need the need; its name must not be cpus, mem, disk, gpus or ports
     * @return this builder
     */
    public Builder named(NamedResource need) {
      Objects.requireNonNull(need, "named resource must not be null");
      if (NAMES.contains(need.name())) {
        throw new IllegalArgumentException("resource '" + need.name() + "' has its own field in"
            + " a spec and cannot be a named resource: " + need);
      }
      return put(need.name(), need);
    }

    private Builder put(String name, NamedResource need) {
      if (need == null) {
        named.remove(name);
      } else {
        named.put(name, need);
      }
      return this;
    }

    private static void checkNamed(String name, String type) {
      Objects.requireNonNull(name, "resource name must not be null");
      if (name.equals("ports")) {
        throw wrongType(name, "ranges", type);
      }
      if (NAMES.contains(name)) {
        throw wrongType(name, "a scalar", type);
      }
      NamedResource.checkName(name);
    }

    private static IllegalArgumentException wrongType(String name, String is, String asked) {
      return new IllegalArgumentException(
          "resource '" + name + "' is " + is + " and cannot be asked for as " + asked);
    }

    /**
     * Uses only resources reserved for {@code role}.
     *
     * @param role a reservation role, or null for any
     * @return this builder
     */
    public Builder role(String role) {
      this.role = role;
      return this;
    }

    /**
     * Validates and builds the spec.
     *
     * @return the spec
     * @throws IllegalArgumentException naming the field, the rule and the value
     */
    public ResourceSpec build() {
      return new ResourceSpec(cpus, memMb, diskMb, gpus, portCount, ports,
          Optional.ofNullable(role), List.copyOf(named.values()));
    }
  }
}
