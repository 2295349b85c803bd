package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * An immutable bag of resources with Mesos' arithmetic: what an offer carries, what a task takes.
 *
 * <p>Resources of the same name, kind, role, principal and allocation role are merged (scalars
 * added, ranges and sets joined), and empty ones dropped, so equal bags compare equal. Scalars keep
 * three decimals as in Mesos.
 *
 * <p>Every type of Mesos resource is carried, of any name: scalars ({@code licenses:4}), ranges
 * ({@code ports:[31000-31999]}) and sets ({@code zones:{a,b}}).
 *
 * <pre>{@code
 * Resources offer = Resources.parse("cpus:4;mem:4096;ports:[31000-31999]");
 * Resources task = offer.allocate(ResourceSpec.parse("cpus:1;mem:512;ports:2")).orElseThrow();
 * Resources left = offer.minus(task);   // cpus:3;mem:3584;ports:[31002-31999]
 * }</pre>
 */
public final class Resources implements Iterable<Resource> {
  private static final Resources EMPTY = new Resources(List.of());

  private final List<Resource> list;

  private Resources(List<Resource> normalized) {
    this.list = List.copyOf(normalized);
  }

  /**
   * Returns the empty bag.
   *
   * @return no resources
   */
  public static Resources empty() {
    return EMPTY;
  }

  /**
   * Returns a bag of the given resources, merged.
   *
   * @param resources the resources
   * @return the bag
   */
  public static Resources of(Resource... resources) {
    return of(List.of(resources));
  }

  /**
   * Returns a bag of the given resources, merged.
   *
   * @param resources the resources
   * @return the bag
   */
  public static Resources of(Collection<Resource> resources) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : resources) {
      add(out, Objects.requireNonNull(r, "resource must not be null"));
    }
    return out.isEmpty() ? EMPTY : new Resources(out);
  }

  /**
   * Parses the Mesos agent syntax: {@code name[(role)]:value} separated by {@code ;}, where a
   * value is a number, ranges in brackets or items in braces.
   *
   * @param text e.g. {@code cpus:4;mem(prod):4096;ports:[31000-31999];zones:{a,b}}
   * @return the bag
   * @throws IllegalArgumentException naming the part that is wrong
   */
  public static Resources parse(String text) {
    Objects.requireNonNull(text, "resources must not be null");
    List<Resource> out = new ArrayList<>();
    for (ResourceSyntax.Entry e : ResourceSyntax.split(text)) {
      String role = e.role() == null ? Resource.UNRESERVED : e.role();
      Resource.Value value;
      if (e.value().startsWith("[")) {
        value = new Resource.RangesValue(Ranges.parse(e.value()));
      } else if (e.value().startsWith("{")) {
        value = new Resource.SetValue(e.items(text));
      } else {
        double amount = e.scalar(text);
        if (amount < 0) {
          throw new IllegalArgumentException(
              "resource '" + e.name() + "' must be >= 0 but was " + amount + " in '" + text + "'");
        }
        value = new Resource.Scalar(amount);
      }
      add(out, new Resource(e.name(), value, role, Optional.empty(), Optional.empty()));
    }
    return new Resources(out);
  }

  private static void add(List<Resource> out, Resource r) {
    if (r.value().isEmpty()) {
      return;
    }
    for (int i = 0; i < out.size(); i++) {
      Resource existing = out.get(i);
      if (existing.sameSlot(r)) {
        out.set(i, existing.withValue(plus(existing.value(), r.value())));
        return;
      }
    }
    out.add(r);
  }

  private static Resource.Value plus(Resource.Value a, Resource.Value b) {
    if (a instanceof Resource.Scalar x && b instanceof Resource.Scalar y) {
      return new Resource.Scalar(x.amount() + y.amount());
    }
    if (a instanceof Resource.RangesValue x && b instanceof Resource.RangesValue y) {
      return new Resource.RangesValue(x.ranges().plus(y.ranges()));
    }
    Set<String> items = new HashSet<>(((Resource.SetValue) a).items());
    items.addAll(((Resource.SetValue) b).items());
    return new Resource.SetValue(items);
  }

  /** Returns a - b, or null when b is not contained in a. */
  private static Resource.Value minusOrNull(Resource.Value a, Resource.Value b) {
    if (a instanceof Resource.Scalar x && b instanceof Resource.Scalar y) {
      return x.amount() >= y.amount() ? new Resource.Scalar(x.amount() - y.amount()) : null;
    }
    if (a instanceof Resource.RangesValue x && b instanceof Resource.RangesValue y) {
      return x.ranges().containsAll(y.ranges())
          ? new Resource.RangesValue(x.ranges().minus(y.ranges()))
          : null;
    }
    Set<String> have = ((Resource.SetValue) a).items();
    Set<String> take = ((Resource.SetValue) b).items();
    if (!have.containsAll(take)) {
      return null;
    }
    Set<String> items = new HashSet<>(have);
    items.removeAll(take);
    return new Resource.SetValue(items);
  }

  /**
   * Lists the merged resources.
   *
   * @return the resources, never null
   */
  public List<Resource> list() {
    return list;
  }

  @Override
  public Iterator<Resource> iterator() {
    return list.iterator();
  }

  /**
   * Returns whether the bag holds nothing.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return list.isEmpty();
  }

  /**
   * Adds two bags.
   *
   * @param other the resources to add
   * @return the sum
   */
  public Resources plus(Resources other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    List<Resource> out = new ArrayList<>(list);
    for (Resource r : other.list) {
      add(out, r);
    }
    return new Resources(out);
  }

  /**
   * Returns whether every resource of {@code other} is in this bag, slot by slot (a reserved
   * resource is not contained in an unreserved one of the same name).
   *
   * @param other the resources to look for
   * @return true when {@code other} fits in this bag
   */
  public boolean contains(Resources other) {
    return subtract(other) != null;
  }

  /**
   * Takes {@code other} away from this bag.
   *
   * @param other resources this bag contains
   * @return the remainder
   * @throws IllegalArgumentException when this bag does not contain {@code other}
   */
  public Resources minus(Resources other) {
    Resources result = subtract(other);
    if (result == null) {
      throw new IllegalArgumentException(
          "cannot subtract resources that are not contained: " + this + " - " + other);
    }
    return result;
  }

  private Resources subtract(Resources other) {
    if (other.isEmpty()) {
      return this;
    }
    List<Resource> out = new ArrayList<>(list);
    for (Resource r : other.list) {
      int i = indexOfSlot(out, r);
      if (i < 0) {
        return null;
      }
      Resource.Value left = minusOrNull(out.get(i).value(), r.value());
      if (left == null) {
        return null;
      }
      if (left.isEmpty()) {
        out.remove(i);
      } else {
        out.set(i, out.get(i).withValue(left));
      }
    }
    return out.isEmpty() ? EMPTY : new Resources(out);
  }

  private static int indexOfSlot(List<Resource> list, Resource r) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).sameSlot(r)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Keeps the resources that match.
   *
   * @param filter which resources to keep
   * @return the kept resources
   */
  public Resources filter(Predicate<Resource> filter) {
    List<Resource> out = new ArrayList<>();
    for (Resource r : list) {
      if (filter.test(r)) {
        out.add(r);
      }
    }
    return out.size() == list.size() ? this : new Resources(out);
  }

  /**
   * Keeps the resources reserved for {@code role}.
   *
   * @param role a reservation role
   * @return those resources
   */
  public Resources reservedFor(String role) {
    return filter(r -> r.role().equals(role));
  }

  /**
   * Sums the scalar resources of this name over all roles.
   *
   * @param name e.g. {@code cpus}
   * @return the total, 0 when absent
   */
  public double scalar(String name) {
    double sum = 0;
    for (Resource r : list) {
      if (r.name().equals(name) && r.value() instanceof Resource.Scalar s) {
        sum += s.amount();
      }
    }
    return new Resource.Scalar(sum).amount();
  }

  /**
   * Joins the ranges resources of this name over all roles.
   *
   * @param name e.g. {@code ports}
   * @return the union, empty when absent
   */
  public Ranges ranges(String name) {
    Ranges sum = Ranges.empty();
    for (Resource r : list) {
      if (r.name().equals(name) && r.value() instanceof Resource.RangesValue v) {
        sum = sum.plus(v.ranges());
      }
    }
    return sum;
  }

  /**
   * Joins the set resources of this name over all roles.
   *
   * @param name e.g. {@code zones}
   * @return the items, empty when absent
   */
  public Set<String> items(String name) {
    Set<String> sum = new TreeSet<>();
    for (Resource r : list) {
      if (r.name().equals(name) && r.value() instanceof Resource.SetValue v) {
        sum.addAll(v.items());
      }
    }
    return sum;
  }

  /**
   * Chooses concrete resources from this bag for {@code spec}: reserved resources before
   * unreserved ones (only those reserved for the spec's role when it names one), the lowest free
   * values for a count of ports or of a ranges resource, the first free items in alphabetical
   * order for a count of a set resource. Only the resources the spec asks for are taken, and
   * only of the type it asks for ({@code licenses:1} takes from a scalar {@code licenses}, never
   * from a set of that name).
   *
   * @param spec what is needed
   * @return resources this bag contains whose amounts equal the spec, or empty when they do not fit
   */
  public Optional<Resources> allocate(ResourceSpec spec) {
    List<Resource> pool = usable(spec);
    List<Resource> taken = new ArrayList<>();
    if (!takeScalar(pool, "cpus", spec.cpus(), taken)
        || !takeScalar(pool, "mem", spec.memMb(), taken)
        || !takeScalar(pool, "disk", spec.diskMb(), taken)
        || !takeScalar(pool, "gpus", spec.gpus(), taken)
        || !takeRanges(pool, "ports", spec.portCount(), spec.ports(), taken)) {
      return Optional.empty();
    }
    for (NamedResource n : spec.named()) {
      boolean ok = switch (n.type()) {
        case SCALAR -> takeScalar(pool, n.name(), n.amount(), taken);
        case RANGES -> takeRanges(pool, n.name(), n.count(), n.ranges(), taken);
        case SET -> takeSet(pool, n.name(), n.count(), n.items(), taken);
      };
      if (!ok) {
        return Optional.empty();
      }
    }
    // Without named resources every part taken comes from a distinct slot of this bag (cpus,
    // mem, disk, gpus, ports) and is not empty: already normalized, nothing for of() to merge.
    if (!spec.named().isEmpty()) {
      return Optional.of(of(taken));
    }
    return Optional.of(taken.isEmpty() ? EMPTY : new Resources(taken));
  }

  /**
   * Explains why {@code spec} does not fit in this bag, naming the first resource that is short.
   *
   * @param spec what is needed
   * @return e.g. {@code "mem 512 MB (has 256 MB)"}, or empty when the spec fits
   */
  public Optional<String> shortfall(ResourceSpec spec) {
    Resources usable = of(usable(spec));
    String role = spec.role().map(r -> "(" + r + ")").orElse("");
    String[][] dims = {
      {"cpus", "", fmt(spec.cpus())},
      {"mem", " MB", fmt(spec.memMb())},
      {"disk", " MB", fmt(spec.diskMb())},
      {"gpus", "", fmt(spec.gpus())},
    };
    double[] needs = {spec.cpus(), spec.memMb(), spec.diskMb(), spec.gpus()};
    for (int i = 0; i < dims.length; i++) {
      double has = usable.scalar(dims[i][0]);
      if (needs[i] > 0 && has < new Resource.Scalar(needs[i]).amount()) {
        return Optional.of(dims[i][0] + role + " " + dims[i][2] + dims[i][1]
            + " (has " + fmt(has) + dims[i][1] + ")");
      }
    }
    Ranges free = usable.ranges("ports");
    if (spec.portCount() > free.size()) {
      return Optional.of(spec.portCount() + " ports" + role + " (has " + free.size() + ")");
    }
    if (!free.containsAll(spec.ports())) {
      return Optional.of("ports" + role + " " + spec.ports() + " (free: " + free + ")");
    }
    for (NamedResource n : spec.named()) {
      String name = n.name() + role;
      switch (n.type()) {
        case SCALAR -> {
          double has = usable.scalar(n.name());
          if (has < n.amount()) {
            return Optional.of(name + " " + fmt(n.amount()) + " (has " + fmt(has) + ")");
          }
        }
        case RANGES -> {
          Ranges values = usable.ranges(n.name());
          if (n.count() > values.size()) {
            return Optional.of(n.count() + " of " + name + " (has " + values.size() + ")");
          }
          if (!values.containsAll(n.ranges())) {
            return Optional.of(name + " " + n.ranges() + " (free: " + values + ")");
          }
        }
        case SET -> {
          Set<String> items = usable.items(n.name());
          if (n.count() > items.size()) {
            return Optional.of(n.count() + " of " + name + " (has " + items.size() + ")");
          }
          if (!items.containsAll(n.items())) {
            return Optional.of(name + " " + n.valueText() + " (free: {"
                + String.join(",", items) + "})");
          }
        }
        default -> throw new AssertionError(n.type());
      }
    }
    return Optional.empty();
  }

  /** Formats a scalar the way Mesos prints it: no trailing {@code .0} on whole numbers. */
  static String fmt(double amount) {
    return new Resource.Scalar(amount).toString();
  }

  private List<Resource> usable(ResourceSpec spec) {
    // Read only by the callers: without a role, this bag's own (immutable) list unless it needs
    // sorting below.
    List<Resource> pool = list;
    if (spec.role().isPresent()) {
      String role = spec.role().get();
      pool = new ArrayList<>();
      for (Resource r : list) {
        if (role.equals(r.role())) {
          pool.add(r);
        }
      }
    }
    // Reserved resources first: they exist for this framework, unreserved ones are shared. The
    // sort is stable; a pool with no reserved resource after an unreserved one is in order already.
    boolean unreservedSeen = false;
    for (Resource r : pool) {
      if (!r.isReserved()) {
        unreservedSeen = true;
      } else if (unreservedSeen) {
        pool = new ArrayList<>(pool);
        pool.sort(Comparator.comparing(x -> !x.isReserved()));
        break;
      }
    }
    return pool;
  }

  private static boolean takeScalar(List<Resource> pool, String name, double need,
      List<Resource> taken) {
    if (need == 0) {
      return true;
    }
    double left = new Resource.Scalar(need).amount();
    for (Resource r : pool) {
      if (left <= 0) {
        break;
      }
      if (r.name().equals(name) && r.value() instanceof Resource.Scalar s) {
        double take = Math.min(left, s.amount());
        taken.add(r.withValue(new Resource.Scalar(take)));
        left = new Resource.Scalar(left - take).amount();
      }
    }
    return left <= 0;
  }

  private static boolean takeRanges(List<Resource> pool, String name, long count, Ranges wanted,
      List<Resource> taken) {
    Ranges picked = Ranges.empty();
    for (Resource r : pool) {
      if (count == 0 && wanted.isEmpty()) {
        break;
      }
      if (!r.name().equals(name) || !(r.value() instanceof Resource.RangesValue v)) {
        continue;
      }
      Ranges pick;
      if (count > 0) {
        // Slots may overlap; a port already picked from another slot is not a second port.
        Ranges free = v.ranges().minus(picked);
        long n = Math.min(count, free.size());
        pick = free.takeLowest(n).orElseThrow();
        picked = picked.plus(pick);
        count -= n;
      } else {
        pick = v.ranges().intersect(wanted);
        wanted = wanted.minus(pick);
      }
      if (!pick.isEmpty()) {
        taken.add(r.withValue(new Resource.RangesValue(pick)));
      }
    }
    return count == 0 && wanted.isEmpty();
  }

  private static boolean takeSet(List<Resource> pool, String name, long count, Set<String> wanted,
      List<Resource> taken) {
    Set<String> picked = new HashSet<>();
    Set<String> missing = new HashSet<>(wanted);
    for (Resource r : pool) {
      if (count == 0 && missing.isEmpty()) {
        break;
      }
      if (!r.name().equals(name) || !(r.value() instanceof Resource.SetValue v)) {
        continue;
      }
      Set<String> pick = new TreeSet<>();
      if (count > 0) {
        // Slots may overlap; an item already picked from another slot is not a second item.
        for (String item : new TreeSet<>(v.items())) {
          if (count == 0) {
            break;
          }
          if (picked.add(item)) {
            pick.add(item);
            count--;
          }
        }
      } else {
        for (String item : v.items()) {
          if (missing.remove(item)) {
            pick.add(item);
          }
        }
      }
      if (!pick.isEmpty()) {
        taken.add(r.withValue(new Resource.SetValue(pick)));
      }
    }
    return count == 0 && missing.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources other
        && list.size() == other.list.size()
        && Set.copyOf(list).equals(Set.copyOf(other.list));
  }

  @Override
  public int hashCode() {
    return Set.copyOf(list).hashCode();
  }

  /** Prints the Mesos agent syntax, e.g. {@code cpus:4;mem:4096;ports:[31000-31999]}. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    for (Resource r : list) {
      parts.add(r.toString());
    }
    return String.join(";", parts);
  }
}
