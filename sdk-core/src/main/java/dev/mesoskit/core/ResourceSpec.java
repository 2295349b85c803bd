package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What one task (or one executor) needs: cpus, memory, disk, GPUs and ports, optionally from
 * resources reserved for one role.
 *
 * <p>Build one with {@link #builder()}, {@link #of(double, double)} or the Mesos resource syntax:
 *
 * <pre>{@code
 * ResourceSpec web = ResourceSpec.parse("cpus:0.5;mem:128;ports:1");
 * ResourceSpec pinned = ResourceSpec.parse("cpus(prod):1;mem(prod):512;ports(prod):[8080-8080]");
 * }</pre>
 *
 * <p>Ports are either a number ({@code ports:2}: any two offered ports) or specific ports
 * ({@code ports:[8080-8081]}), not both.
 *
 * @param cpus CPU shares, &gt; 0
 * @param memMb memory in MB, &gt; 0
 * @param diskMb disk in MB, &gt;= 0
 * @param gpus whole GPUs, &gt;= 0
 * @param portCount how many ports of any number, &gt;= 0
 * @param ports specific ports; empty when {@code portCount} is used
 * @param role when present, only resources reserved for this role are used; when absent, the
 *     framework's reserved resources first, then unreserved ones
 */
public record ResourceSpec(
    double cpus,
    double memMb,
    double diskMb,
    int gpus,
    int portCount,
    Ranges ports,
    Optional<String> role) {

  /** The resource names a spec knows, in the order they are printed. */
  public static final List<String> NAMES = List.of("cpus", "mem", "disk", "gpus", "ports");

  /**
   * Validates every field and names the field, the rule and the value on failure.
   *
   * @param cpus CPU shares, &gt; 0
   * @param memMb memory in MB, &gt; 0
   * @param diskMb disk in MB, &gt;= 0
   * @param gpus whole GPUs, &gt;= 0
   * @param portCount how many ports of any number, &gt;= 0
   * @param ports specific ports; empty when {@code portCount} is used
   * @param role when present, only resources reserved for this role are used; when absent, the
   *     framework's reserved resources first, then unreserved ones
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public ResourceSpec {
    cpus = milli(cpus);
    memMb = milli(memMb);
    diskMb = milli(diskMb);
    positive("cpus", cpus);
    positive("memMb", memMb);
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
  }

  /** Mesos keeps scalars to three decimals; so does a spec, so that it allocates what it says. */
  private static double milli(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000.0) / 1000.0 : value;
  }

  private static void positive(String field, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be > 0 but was " + value);
    }
  }

  private static void notNegative(String field, double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(field + " must be >= 0 but was " + value);
    }
  }

  /**
   * The common case: cpus and memory, nothing else.
   *
   * @param cpus CPU shares, &gt; 0
   * @param memMb memory in MB, &gt; 0
   * @return the spec
   */
  public static ResourceSpec of(double cpus, double memMb) {
    return builder().cpus(cpus).memMb(memMb).build();
  }

  /**
   * Starts a builder with no resources set; {@code cpus} and {@code memMb} must be set.
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
    return b;
  }

  /**
   * Parses the Mesos resource syntax: {@code name[(role)]:value} separated by {@code ;}, with
   * names {@code cpus}, {@code mem}, {@code disk}, {@code gpus} and {@code ports}. Ports are a
   * count ({@code ports:2}) or ranges ({@code ports:[31000-31001]}). All roles given must be the
   * same.
   *
   * @param text e.g. {@code cpus:0.5;mem:256;ports:[31000-31005]}
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
          if (e.value().startsWith("[")) {
            b.ports(Ranges.parse(e.value()));
          } else {
            b.ports(e.wholeNumber(text));
          }
        }
        default -> throw new IllegalArgumentException(
            "unknown resource '" + e.name() + "' in '" + text + "'; known: "
                + String.join(", ", NAMES));
      }
    }
    if (role != null) {
      b.role(role);
    }
    return b.build();
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
   * of this spec is kept.
   *
   * @param other the spec to add
   * @return the sum
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
    return b.build();
  }

  /** Prints the spec in the syntax {@link #parse(String)} reads. */
  @Override
  public String toString() {
    String r = role.map(x -> "(" + x + ")").orElse("");
    List<String> parts = new ArrayList<>();
    parts.add("cpus" + r + ":" + new Resource.Scalar(cpus));
    parts.add("mem" + r + ":" + new Resource.Scalar(memMb));
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
    return String.join(";", parts);
  }

  /** Builds a {@link ResourceSpec}; defaults: no disk, no GPUs, no ports, any role. */
  public static final class Builder {
    private double cpus = Double.NaN;
    private double memMb = Double.NaN;
    private boolean cpusSet;
    private boolean memSet;
    private double diskMb;
    private int gpus;
    private int portCount;
    private Ranges ports = Ranges.empty();
    private String role;

    private Builder() {}

    /**
     * Sets the CPU shares.
     *
     * @param cpus &gt; 0
     * @return this builder
     */
    public Builder cpus(double cpus) {
      this.cpus = cpus;
      this.cpusSet = true;
      return this;
    }

    /**
     * Sets the memory.
     *
     * @param memMb megabytes, &gt; 0
     * @return this builder
     */
    public Builder memMb(double memMb) {
      this.memMb = memMb;
      this.memSet = true;
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
      if (Double.isNaN(cpus) && !cpusSet) {
        throw new IllegalArgumentException("cpus must be set");
      }
      if (Double.isNaN(memMb) && !memSet) {
        throw new IllegalArgumentException("memMb must be set");
      }
      return new ResourceSpec(
          cpus, memMb, diskMb, gpus, portCount, ports, Optional.ofNullable(role));
    }
  }
}
