package dev.mesoskit.offers;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.offers.Checks.AttributeIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agents of one pass, read from its offers: several offers of one agent pooled (one pool, or
 * bin, per agent and allocation role for a framework of several roles), and what the
 * pools hold free in primitive arrays (cpus, mem, disk and gpus in thousandths, free port counts
 * and ranges, per reservation role where tasks ask for one), read again after each placement.
 * Also the layout every array of the pass shares: {@link #D} amounts per agent or task.
 */
final class OfferTable implements Checks.Agents {
  /** Amounts per agent or task: cpus, mem, disk, gpus, then {@link #PORTS}. */
  static final int D = 5;
  /** The dimension of the number of ports. */
  static final int PORTS = 4;
  /**
   * The dimensions read from every offer, whatever the pass' tasks ask: cpus, mem, disk, gpus,
   * ports. A pass may lay out more after them.
   */
  static final int BASE = 5;

  private static final long[] NO_PORTS = new long[0];

  /** The number of bins: agents, or agents times the roles their resources are allocated to. */
  final int na;
  /** The agent of each bin; an agent offering the resources of several roles has several bins. */
  final String[] agentIds;
  /** The allocation role of each bin, as an index into {@link #allocationRoles}. */
  final int[] binRole;
  /** The allocation roles of the bins (empty: resources without one), in order of appearance. */
  final List<Optional<String>> allocationRoles;
  final String[] hostnames;
  final List<Map<String, String>> attributes;
  /**
   * Each agent's pooled resources, less what the pass took: what placements allocate from. Less
   * than that while {@link TaskTable} defers the subtraction of plain placements: read it
   * through {@link TaskTable#free}.
   */
  final Resources[] free;
  /**
   * Per agent, its pool's resources of the {@link #BASE} dimensions by dimension (null where it
   * has none), when each of those names is one resource of the expected type (a scalar, a ranges
   * for ports): then an allocation without a role, executor, specific ports or named resources
   * is known from the arrays alone. Null for an agent whose pool is not like that.
   */
  final Resource[][] slots;
  /** Free amounts per agent and dimension, all roles together: cpus..gpus in thousandths, ports. */
  final long[] avail;
  /** The roles tasks ask for, numbered in the order they first appear. */
  final Map<String, Integer> roleIndex = new HashMap<>();
  private final List<String> roles = new ArrayList<>();
  final int nr;
  /** Free amounts reserved for each role tasks ask for: index (agent * nr + role) * D + dim. */
  final long[] roleAvail;
  /** Free port ranges per agent as inclusive bounds {@code [b0, e0, b1, e1, ...]}. */
  final long[][] ports;
  final long[][] rolePorts;
  /** The executors tasks ask for, numbered in the order they first appear. */
  final Map<String, Integer> execIndex = new HashMap<>();
  /**
   * The executors running on each agent, or started there in this pass; null when no task of the
   * pass asks for an executor (nothing reads them then).
   */
  final BitSet[] running;
  private final Map<String, AttributeIndex> attributeIndexes = new HashMap<>();
  private final long[] scratch = new long[BASE];

  OfferTable(List<Offer> offers, List<PendingTask> tasks) {
    this(offers, tasks, new OfferRows());
  }

  /**
   * Reads the offers of a pass, through {@code rows}: an offer {@code rows} read in the last
   * pass is not read again.
   */
  OfferTable(List<Offer> offers, List<PendingTask> tasks, OfferRows rows) {
    // Roles and executors the tasks ask for.
    for (PendingTask p : tasks) {
      TaskSpec spec = p.spec();
      spec.resources().role().ifPresent(this::internRole);
      spec.executor().ifPresent(e -> {
        e.resources().role().ifPresent(this::internRole);
        execIndex.putIfAbsent(e.id(), execIndex.size());
      });
    }
    nr = roles.size();

    // Bins, in the order of their agent's first offer: the offers of one agent allocated to one
    // role form one pool; a framework of several roles gets an agent's resources per role.
    // Arrays, grown when offers have parts for several roles: no boxing or list per bin.
    int n = offers.size();
    String[] ids = new String[n];
    Optional<String>[] binRoles = newOptionals(n);
    Resources[] pools = new Resources[n];
    String[] hosts = new String[n];
    Map<String, String>[] attrs = newMaps(n);
    Set<String>[] executors = newSets(n);
    Resource[][] slotsOf = new Resource[n][];
    // The bins that hold one offer's part alone, whose amounts the row has read: that row;
    // pooled bins are read from their pool.
    OfferRows.Row[] rowOf = new OfferRows.Row[n];
    int[] nextOfAgent = new int[n];
    // A bin of one offer's part alone, with no reservation roles to count, has what its row
    // read: copied here, while the row is at hand.
    long[] amounts = new long[n * D];
    long[][] bounds = new long[n][];
    int bins = 0;
    rows.begin(n);
    int pass = rows.pass();
    for (int i = 0; i < n; i++) {
      Offer o = offers.get(i);
      OfferRows.Row row = rows.row(o, i);
      OfferRows.Agent agent = row.agent;
      // Room for a bin per part of this offer: an earlier offer of several parts may have used
      // the room of later ones.
      if (bins + row.roles.length > ids.length) {
        int grown = Math.max(bins + row.roles.length, 2 * ids.length + 1);
        ids = Arrays.copyOf(ids, grown);
        binRoles = Arrays.copyOf(binRoles, grown);
        pools = Arrays.copyOf(pools, grown);
        hosts = Arrays.copyOf(hosts, grown);
        attrs = Arrays.copyOf(attrs, grown);
        executors = Arrays.copyOf(executors, grown);
        slotsOf = Arrays.copyOf(slotsOf, grown);
        rowOf = Arrays.copyOf(rowOf, grown);
        nextOfAgent = Arrays.copyOf(nextOfAgent, grown);
        amounts = Arrays.copyOf(amounts, grown * D);
        bounds = Arrays.copyOf(bounds, grown);
      }
      if (agent.seen != pass && row.onePart) {
        // The usual case: the agent's only offer so far, of one allocation role.
        int b = bins++;
        agent.seen = pass;
        agent.firstBin = b;
        // From the row alone: the offer itself is not read again, nor the row's arrays.
        ids[b] = row.agentId;
        binRoles[b] = row.role0;
        pools[b] = row.pool0;
        hosts[b] = row.hostname;
        attrs[b] = row.attributes;
        executors[b] = row.executorIds;
        slotsOf[b] = row.slots0;
        rowOf[b] = row;
        nextOfAgent[b] = -1;
        if (nr == 0) {
          int k = b * D;
          amounts[k] = row.cpus0;
          amounts[k + 1] = row.mem0;
          amounts[k + 2] = row.disk0;
          amounts[k + 3] = row.gpus0;
          amounts[k + PORTS] = row.portCount0;
          bounds[b] = row.ports0;
        }
        continue;
      }
      int first = agent.seen == pass ? agent.firstBin : -1;
      for (int part = 0; part < row.roles.length; part++) {
        Optional<String> role = row.roles[part];
        int a = first;
        int lastOfAgent = -1;
        while (a >= 0 && !binRoles[a].equals(role)) {
          lastOfAgent = a;
          a = nextOfAgent[a];
        }
        if (a < 0) {
          int b = bins++;
          if (first < 0) {
            agent.seen = pass;
            agent.firstBin = b;
            first = b;
          } else {
            nextOfAgent[lastOfAgent] = b;
          }
          ids[b] = o.agentId();
          binRoles[b] = role;
          pools[b] = row.pools[part];
          hosts[b] = o.hostname();
          attrs[b] = row.attributes;
          executors[b] = o.executorIds();
          slotsOf[b] = row.slots[part];
          rowOf[b] = row;
          nextOfAgent[b] = -1;
          if (nr == 0) {
            System.arraycopy(row.amounts, part * BASE, amounts, b * D, BASE);
            bounds[b] = row.ports[part];
          }
          continue;
        }
        rowOf[a] = null;
        pools[a] = pools[a].plus(row.pools[part]);
        slotsOf[a] = slots(pools[a]);
        if (!o.attributes().isEmpty() || o.domain().isPresent()) {
          Map<String, String> merged = new LinkedHashMap<>(row.attributes);
          merged.putAll(attrs[a]);
          attrs[a] = Map.copyOf(merged);
        }
        if (!o.executorIds().isEmpty()) {
          Set<String> both = new HashSet<>(executors[a]);
          both.addAll(o.executorIds());
          executors[a] = both;
        }
      }
    }
    rows.end(n);
    na = bins;
    agentIds = bins == ids.length ? ids : Arrays.copyOf(ids, bins);
    binRole = new int[na];
    Map<Optional<String>, Integer> allocationIndex = new HashMap<>();
    List<Optional<String>> allocation = new ArrayList<>();
    for (int a = 0; a < na; a++) {
      Optional<String> r = binRoles[a];
      if (a > 0 && r.equals(binRoles[a - 1])) {
        binRole[a] = binRole[a - 1];
        continue;
      }
      Integer k = allocationIndex.get(r);
      if (k == null) {
        k = allocation.size();
        allocationIndex.put(r, k);
        allocation.add(r);
      }
      binRole[a] = k;
    }
    allocationRoles = List.copyOf(allocation);
    hostnames = bins == hosts.length ? hosts : Arrays.copyOf(hosts, bins);
    attributes = Arrays.asList(bins == attrs.length ? attrs : Arrays.copyOf(attrs, bins));
    free = bins == pools.length ? pools : Arrays.copyOf(pools, bins);
    slots = bins == slotsOf.length ? slotsOf : Arrays.copyOf(slotsOf, bins);

    avail = bins == n ? amounts : Arrays.copyOf(amounts, na * D);
    roleAvail = new long[na * nr * D];
    ports = bins == n ? bounds : Arrays.copyOf(bounds, na);
    rolePorts = new long[na * nr][];
    running = new BitSet[na];
    boolean executorsAsked = !execIndex.isEmpty();
    for (int a = 0; a < na; a++) {
      if (executorsAsked) {
        running[a] = new BitSet();
        for (String id : executors[a]) {
          Integer k = execIndex.get(id);
          if (k != null) {
            running[a].set(k);
          }
        }
      }
      if (rowOf[a] == null || nr > 0) {
        // Pooled, or reserved amounts to count: read from the pool.
        load(a);
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"}) // arrays of a generic type, filled before read
  private static Optional<String>[] newOptionals(int n) {
    return new Optional[n];
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<String, String>[] newMaps(int n) {
    return new Map[n];
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Set<String>[] newSets(int n) {
    return new Set[n];
  }

  private void internRole(String r) {
    if (!roleIndex.containsKey(r)) {
      roleIndex.put(r, roles.size());
      roles.add(r);
    }
  }

  @Override
  public int count() {
    return na;
  }

  @Override
  public AttributeIndex attribute(String name) {
    return attributeIndexes.computeIfAbsent(name, n -> {
      String[] values = new String[na];
      for (int a = 0; a < na; a++) {
        values[a] = Constraints.HOSTNAME.equals(n) ? hostnames[a] : attributes.get(a).get(n);
      }
      return new AttributeIndex(n, values);
    });
  }

  /** Reads agent {@code a}'s pooled resources into the arrays; on setup and after a placement. */
  void load(int a) {
    ports[a] = read(free[a], scratch);
    System.arraycopy(scratch, 0, avail, a * D, BASE);
    if (nr > 0) {
      Arrays.fill(roleAvail, a * nr * D, (a + 1) * nr * D, 0);
      for (Resource res : free[a]) {
        if (res.value() instanceof Resource.Scalar s) {
          int d = scalarDimension(res.name());
          Integer r = roleIndex.get(res.role());
          if (d >= 0 && r != null) {
            roleAvail[(a * nr + r) * D + d] += milli(s.amount());
          }
        }
      }
    }
    for (int r = 0; r < nr; r++) {
      long[] reserved = flatten(free[a].reservedFor(roles.get(r)).ranges("ports"));
      rolePorts[a * nr + r] = reserved;
      roleAvail[(a * nr + r) * D + PORTS] = portCount(reserved);
    }
  }

  /**
   * Reads the free amounts of the {@link #BASE} dimensions of {@code pool}, all roles together,
   * into {@code amounts}; returns its free ports as inclusive bounds.
   */
  static long[] read(Resources pool, long[] amounts) {
    Arrays.fill(amounts, 0, BASE, 0);
    Ranges allPorts = null;
    for (Resource res : pool) {
      Resource.Value value = res.value();
      if (value instanceof Resource.Scalar s) {
        int d = scalarDimension(res.name());
        if (d >= 0) {
          amounts[d] += milli(s.amount());
        }
      } else if (value instanceof Resource.RangesValue v && res.name().equals("ports")) {
        // Usually one ports resource: no arithmetic on ranges then.
        allPorts = allPorts == null ? v.ranges() : allPorts.plus(v.ranges());
      }
    }
    long[] bounds = allPorts == null ? NO_PORTS : flatten(allPorts);
    amounts[PORTS] = portCount(bounds);
    return bounds;
  }

  /**
   * The resources of {@code pool} named cpus, mem, disk, gpus and ports, by dimension (null where
   * it has none), when each of these names is at most one resource of {@code pool}, a scalar (a
   * ranges for ports); else null.
   */
  static Resource[] slots(Resources pool) {
    Resource[] slots = new Resource[BASE];
    for (Resource res : pool) {
      String name = res.name();
      int d = name.equals("ports") ? PORTS : scalarDimension(name);
      if (d < 0) {
        continue;
      }
      boolean expected = d == PORTS ? res.value() instanceof Resource.RangesValue
          : res.value() instanceof Resource.Scalar;
      if (slots[d] != null || !expected) {
        return null;
      }
      slots[d] = res;
    }
    return slots;
  }

  private static int scalarDimension(String name) {
    switch (name) {
      case "cpus":
        return 0;
      case "mem":
        return 1;
      case "disk":
        return 2;
      case "gpus":
        return 3;
      default:
        return -1;
    }
  }

  /**
   * Whether agent {@code a} has free, reserved for role {@code r} or in all roles when {@code r}
   * is negative, at least what {@code need} holds for task {@code t} in every dimension.
   */
  boolean within(int a, int r, long[] need, int t) {
    long[] have = r < 0 ? avail : roleAvail;
    int base = r < 0 ? a * D : (a * nr + r) * D;
    int n = t * D;
    for (int d = 0; d < D; d++) {
      if (need[n + d] > have[base + d]) {
        return false;
      }
    }
    return true;
  }

  /** Whether agent {@code a} has every port of {@code wanted} (none: null) free in role r. */
  boolean portsFree(int a, int r, long[] wanted) {
    return wanted == null || containsAll(r < 0 ? ports[a] : rolePorts[a * nr + r], wanted);
  }

  /** The amount of dimension {@code d} agent {@code a} has free in role {@code r}, or in all. */
  long have(int a, int r, int d) {
    return r < 0 ? avail[a * D + d] : roleAvail[(a * nr + r) * D + d];
  }

  /** Whether the sorted, merged ranges {@code have} contain every range of {@code want}. */
  static boolean containsAll(long[] have, long[] want) {
    int i = 0;
    for (int j = 0; j < want.length; j += 2) {
      while (i < have.length && have[i + 1] < want[j]) {
        i += 2;
      }
      if (i >= have.length || have[i] > want[j] || have[i + 1] < want[j + 1]) {
        return false;
      }
    }
    return true;
  }

  /** An amount in thousandths, as the arrays hold cpus, mem, disk and gpus. */
  static long milli(double amount) {
    return Math.round(amount * 1000.0);
  }

  /** Port ranges as inclusive bounds {@code [b0, e0, b1, e1, ...]}. */
  static long[] flatten(Ranges ranges) {
    List<long[]> bounds = ranges.bounds();
    long[] flat = new long[bounds.size() * 2];
    for (int i = 0; i < bounds.size(); i++) {
      flat[2 * i] = bounds.get(i)[0];
      flat[2 * i + 1] = bounds.get(i)[1];
    }
    return flat;
  }

  private static long portCount(long[] bounds) {
    long n = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      n += bounds[i + 1] - bounds[i] + 1;
    }
    return n;
  }
}
