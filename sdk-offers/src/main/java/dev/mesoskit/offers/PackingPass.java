package dev.mesoskit.offers;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.spi.Shortfall;
import dev.mesoskit.offers.Checks.AttributeIndex;
import dev.mesoskit.offers.Checks.Check;
import dev.mesoskit.offers.PlacementMemory.GroupId;
import dev.mesoskit.offers.PlacementMemory.Where;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One packing pass: offers pooled per agent into primitive arrays (cpus, mem, disk and gpus in
 * thousandths, free port counts and ranges, per reservation role where tasks ask for one), tasks'
 * demands into arrays, then a strategy-specific loop that checks fits and constraints with array
 * reads only. {@code Resources} and {@code Placement} objects are built for the chosen placements
 * alone, with {@link Resources#allocate} on the agent's pooled resources, so that they are exactly
 * what the framework validates.
 */
final class PackingPass implements Checks.Agents {
  /** How a pass chooses. */
  enum Mode {
    FIRST_FIT("firstFit"),
    BIN_PACK("binPack"),
    SPREAD("spread"),
    DOT_PRODUCT("dotProduct"),
    L2_NORM("l2Norm"),
    CONSOLIDATE("consolidate");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  static final int D = 5;
  static final int PORTS = 4;

  private final Mode mode;
  private final List<PendingTask> tasks;
  private final List<Packer.Binding> bindings;
  private final PlacementMemory memory;
  private final int nt;

  // ---- agents
  private final int na;
  private final String[] agentIds;
  private final String[] hostnames;
  private final List<Map<String, String>> attributes;
  private final Resources[] free;
  /** Free amounts per agent and dimension, all roles together: cpus..gpus in thousandths, ports. */
  private final long[] avail;
  private final Map<String, Integer> roleIndex = new HashMap<>();
  private final List<String> roles = new ArrayList<>();
  private final int nr;
  /** Free amounts reserved for each role tasks ask for: index (agent * nr + role) * D + dim. */
  private final long[] roleAvail;
  /** Free port ranges per agent as inclusive bounds {@code [b0, e0, b1, e1, ...]}. */
  private final long[][] ports;
  private final long[][] rolePorts;
  /** The executors running on each agent, or started there in this pass. */
  private final BitSet[] running;
  private final Map<String, AttributeIndex> attributeIndexes = new HashMap<>();

  // ---- tasks
  private final long[] own;
  private final long[] exec;
  private final long[] comb;
  private final int[] role;
  private final int[] execRole;
  private final int[] execKey;
  private final long[][] ownPorts;
  private final long[][] execPorts;
  private final long[][] combPorts;
  private final Check[][] checks;
  private final List<GroupId>[] groupsOf;
  private final int[] shapeOf;
  private final int shapes;
  private final int[] execStarts;

  // ---- scoring: weight[d] = mean normalized demand, inv[d] = 1 / the largest free amount
  private final double[] weight = new double[D];
  private final double[] inv = new double[D];
  /** The least any pending task asks of each resource, 0 when none asks for it. */
  private final long[] minNeed = new long[D];
  /** The least every pending task asks of each resource: 0 when one task asks for none. */
  private final long[] minAll = new long[D];

  // ---- results
  private final int[] placedOn;
  /** The tasks in the order they were placed: the order the framework replays them in. */
  private final int[] decided;
  private final Resources[] taskTaken;
  private final Resources[] execTaken;
  private int placedCount;
  /** Buffers for explaining, made once per pass: explaining allocates per task, not per agent. */
  private int[] allAgents;
  private int[] scratch;
  private boolean[] ruledOut;

  @SuppressWarnings({"unchecked", "rawtypes"}) // groupsOf: an array of lists
  PackingPass(Mode mode, List<PendingTask> tasks, List<Offer> offers,
      List<Packer.Binding> bindings, PlacementMemory memory) {
    this.mode = mode;
    this.tasks = tasks;
    this.bindings = bindings;
    this.memory = memory;
    this.nt = tasks.size();

    // Agents, in the order of their first offer; several offers of one agent form one pool.
    Map<String, Integer> agentIndex = new LinkedHashMap<>();
    List<Resources> pools = new ArrayList<>();
    List<String> hosts = new ArrayList<>();
    List<Map<String, String>> attrs = new ArrayList<>();
    List<Set<String>> executors = new ArrayList<>();
    for (Offer o : offers) {
      Integer a = agentIndex.get(o.agentId());
      if (a == null) {
        a = pools.size();
        agentIndex.put(o.agentId(), a);
        pools.add(o.resources());
        hosts.add(o.hostname());
        attrs.add(o.attributes());
        executors.add(o.executorIds());
      } else {
        pools.set(a, pools.get(a).plus(o.resources()));
        if (!o.attributes().isEmpty()) {
          Map<String, String> merged = new LinkedHashMap<>(o.attributes());
          merged.putAll(attrs.get(a));
          attrs.set(a, Map.copyOf(merged));
        }
        if (!o.executorIds().isEmpty()) {
          Set<String> both = new java.util.HashSet<>(executors.get(a));
          both.addAll(o.executorIds());
          executors.set(a, both);
        }
      }
    }
    na = pools.size();
    agentIds = agentIndex.keySet().toArray(new String[0]);
    hostnames = hosts.toArray(new String[0]);
    attributes = attrs;
    free = pools.toArray(new Resources[0]);

    // Roles and executors the tasks ask for.
    Map<String, Integer> execIndex = new HashMap<>();
    for (PendingTask p : tasks) {
      TaskSpec spec = p.spec();
      spec.resources().role().ifPresent(this::internRole);
      spec.executor().ifPresent(e -> {
        e.resources().role().ifPresent(this::internRole);
        execIndex.putIfAbsent(e.id(), execIndex.size());
      });
    }
    nr = roles.size();
    execStarts = new int[execIndex.size()];

    avail = new long[na * D];
    roleAvail = new long[na * nr * D];
    ports = new long[na][];
    rolePorts = new long[na * nr][];
    running = new BitSet[na];
    for (int a = 0; a < na; a++) {
      running[a] = new BitSet();
      for (String id : executors.get(a)) {
        Integer k = execIndex.get(id);
        if (k != null) {
          running[a].set(k);
        }
      }
      load(a);
    }

    // Tasks' demands.
    own = new long[nt * D];
    exec = new long[nt * D];
    comb = new long[nt * D];
    role = new int[nt];
    execRole = new int[nt];
    execKey = new int[nt];
    ownPorts = new long[nt][];
    execPorts = new long[nt][];
    combPorts = new long[nt][];
    checks = new Check[nt][];
    groupsOf = new List[nt];
    shapeOf = new int[nt];
    Map<Shape, Integer> shapeIndex = new HashMap<>();
    Map<GroupId, Check[]> groupChecks = new HashMap<>();
    for (int t = 0; t < nt; t++) {
      TaskSpec spec = tasks.get(t).spec();
      ResourceSpec r = spec.resources();
      fill(own, t, r);
      role[t] = r.role().map(roleIndex::get).orElse(-1);
      ownPorts[t] = r.ports().isEmpty() ? null : flatten(r.ports());
      Optional<ExecutorSpec> e = spec.executor();
      execKey[t] = e.map(x -> execIndex.get(x.id())).orElse(-1);
      execRole[t] = -1;
      if (e.isPresent()) {
        ResourceSpec er = e.get().resources();
        fill(exec, t, er);
        execRole[t] = er.role().map(roleIndex::get).orElse(-1);
        execPorts[t] = er.ports().isEmpty() ? null : flatten(er.ports());
        Ranges both = r.ports().plus(er.ports());
        combPorts[t] = both.isEmpty() ? null : flatten(both);
      } else {
        combPorts[t] = ownPorts[t];
      }
      for (int d = 0; d < D; d++) {
        comb[t * D + d] = own[t * D + d] + exec[t * D + d];
      }
      List<GroupId> groups = new ArrayList<>(0);
      List<Check> taskChecks = new ArrayList<>(0);
      for (int b = 0; b < bindings.size(); b++) {
        String key = bindings.get(b).groups().groupOf(spec);
        if (key != null) {
          GroupId g = new GroupId(b, key);
          groups.add(g);
          taskChecks.addAll(Arrays.asList(groupChecks.computeIfAbsent(g, this::compile)));
        }
      }
      groupsOf[t] = groups;
      checks[t] = taskChecks.toArray(new Check[0]);
      shapeOf[t] = shapeIndex.computeIfAbsent(new Shape(this, t, r.ports(),
          e.map(x -> x.resources().ports()).orElse(Ranges.empty()), groups),
          s -> shapeIndex.size());
    }
    shapes = shapeIndex.size();

    // Scoring: every dimension normalized by the largest free amount, weighted by the mean
    // normalized demand, so that resources nobody asks for do not count.
    for (int d = 0; d < D; d++) {
      long max = 0;
      for (int a = 0; a < na; a++) {
        max = Math.max(max, avail[a * D + d]);
      }
      inv[d] = max == 0 ? 0 : 1.0 / max;
      double sum = 0;
      for (int t = 0; t < nt; t++) {
        sum += own[t * D + d] * inv[d];
      }
      weight[d] = nt == 0 ? 0 : sum / nt;
      long least = 0;
      for (int t = 0; t < nt; t++) {
        long n = own[t * D + d];
        if (n > 0 && (least == 0 || n < least)) {
          least = n;
        }
      }
      minNeed[d] = least;
      long all = Long.MAX_VALUE;
      for (int t = 0; t < nt; t++) {
        all = Math.min(all, own[t * D + d]);
      }
      minAll[d] = nt == 0 ? 0 : all;
    }

    placedOn = new int[nt];
    Arrays.fill(placedOn, -1);
    decided = new int[nt];
    taskTaken = new Resources[nt];
    execTaken = new Resources[nt];
  }

  /**
   * Identical tasks behave identically in a pass: same needs (in the pass' arrays), same roles,
   * same executor, same specific ports, same groups. Compares primitives first.
   */
  private static final class Shape {
    private final long[] needs = new long[2 * D + 3];
    private final Ranges ports;
    private final Ranges executorPorts;
    private final List<GroupId> groups;
    private final int hash;

    Shape(PackingPass pass, int t, Ranges ports, Ranges executorPorts, List<GroupId> groups) {
      System.arraycopy(pass.own, t * D, needs, 0, D);
      System.arraycopy(pass.exec, t * D, needs, D, D);
      needs[2 * D] = pass.role[t];
      needs[2 * D + 1] = pass.execRole[t];
      needs[2 * D + 2] = pass.execKey[t];
      this.ports = ports;
      this.executorPorts = executorPorts;
      this.groups = groups;
      this.hash = Arrays.hashCode(needs) * 31 + groups.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Shape s && s.hash == hash && Arrays.equals(s.needs, needs)
          && s.groups.equals(groups) && s.ports.equals(ports)
          && s.executorPorts.equals(executorPorts);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private void internRole(String r) {
    if (!roleIndex.containsKey(r)) {
      roleIndex.put(r, roles.size());
      roles.add(r);
    }
  }

  private Check[] compile(GroupId g) {
    List<PlacementConstraint> constraints = bindings.get(g.binding()).constraints();
    Check[] result = new Check[constraints.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = Checks.compile(constraints.get(i), this, memory.placed(g));
    }
    return result;
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

  private static void fill(long[] into, int t, ResourceSpec r) {
    into[t * D] = milli(r.cpus());
    into[t * D + 1] = milli(r.memMb());
    into[t * D + 2] = milli(r.diskMb());
    into[t * D + 3] = 1000L * r.gpus();
    into[t * D + PORTS] = r.portsNeeded();
  }

  private static long milli(double amount) {
    return Math.round(amount * 1000.0);
  }

  private static long[] flatten(Ranges ranges) {
    List<long[]> bounds = ranges.bounds();
    long[] flat = new long[bounds.size() * 2];
    for (int i = 0; i < bounds.size(); i++) {
      flat[2 * i] = bounds.get(i)[0];
      flat[2 * i + 1] = bounds.get(i)[1];
    }
    return flat;
  }

  /** Reads agent {@code a}'s pooled resources into the arrays; on setup and after a placement. */
  private void load(int a) {
    Arrays.fill(avail, a * D, a * D + D, 0);
    if (nr > 0) {
      Arrays.fill(roleAvail, a * nr * D, (a + 1) * nr * D, 0);
    }
    Ranges allPorts = null;
    for (Resource res : free[a]) {
      Resource.Value value = res.value();
      if (value instanceof Resource.Scalar s) {
        int d = scalarDimension(res.name());
        if (d >= 0) {
          long amount = milli(s.amount());
          avail[a * D + d] += amount;
          if (nr > 0) {
            Integer r = roleIndex.get(res.role());
            if (r != null) {
              roleAvail[(a * nr + r) * D + d] += amount;
            }
          }
        }
      } else if (value instanceof Resource.RangesValue v && res.name().equals("ports")) {
        // Usually one ports resource: no arithmetic on ranges then.
        allPorts = allPorts == null ? v.ranges() : allPorts.plus(v.ranges());
      }
    }
    ports[a] = allPorts == null ? NO_PORTS : flatten(allPorts);
    avail[a * D + PORTS] = portCount(ports[a]);
    for (int r = 0; r < nr; r++) {
      long[] reserved = flatten(free[a].reservedFor(roles.get(r)).ranges("ports"));
      rolePorts[a * nr + r] = reserved;
      roleAvail[(a * nr + r) * D + PORTS] = portCount(reserved);
    }
  }

  private static final long[] NO_PORTS = new long[0];

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

  private static long portCount(long[] bounds) {
    long n = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      n += bounds[i + 1] - bounds[i] + 1;
    }
    return n;
  }

  // ---------------------------------------------------------------- fit and constraints

  private boolean startsExecutor(int a, int t) {
    return execKey[t] >= 0 && !running[a].get(execKey[t]);
  }

  /** Whether task {@code t}, and its executor if it starts one there, fits on agent {@code a}. */
  private boolean fits(int a, int t) {
    if (!startsExecutor(a, t)) {
      return within(a, role[t], own, t) && portsFree(a, role[t], ownPorts[t]);
    }
    if (role[t] == execRole[t]) {
      return within(a, role[t], comb, t) && portsFree(a, role[t], combPorts[t]);
    }
    // Different roles: necessary conditions; the exact allocation decides.
    return within(a, role[t], own, t) && within(a, execRole[t], exec, t) && within(a, -1, comb, t)
        && portsFree(a, role[t], ownPorts[t]) && portsFree(a, execRole[t], execPorts[t]);
  }

  private boolean within(int a, int r, long[] need, int t) {
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

  private boolean portsFree(int a, int r, long[] wanted) {
    return wanted == null || containsAll(r < 0 ? ports[a] : rolePorts[a * nr + r], wanted);
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

  private boolean allowed(int a, int t) {
    for (Check c : checks[t]) {
      if (!c.allows(a)) {
        return false;
      }
    }
    return true;
  }

  /** Takes the concrete resources from the agent's pool; false when they do not fit after all. */
  private boolean place(int t, int a) {
    TaskSpec spec = tasks.get(t).spec();
    Optional<Resources> taken = free[a].allocate(spec.resources());
    if (taken.isEmpty()) {
      return false;
    }
    Resources rest = free[a].minus(taken.get());
    Resources forExecutor = Resources.empty();
    boolean starts = startsExecutor(a, t);
    if (starts) {
      Optional<Resources> e = rest.allocate(spec.executor().orElseThrow().resources());
      if (e.isEmpty()) {
        return false;
      }
      forExecutor = e.get();
      rest = rest.minus(forExecutor);
      running[a].set(execKey[t]);
      execStarts[execKey[t]]++;
    }
    free[a] = rest;
    load(a);
    placedOn[t] = a;
    taskTaken[t] = taken.get();
    execTaken[t] = forExecutor;
    for (Check c : checks[t]) {
      c.placed(a);
    }
    decided[placedCount++] = t;
    return true;
  }

  // ---------------------------------------------------------------- scores

  /** The agent's free resources, weighted and normalized: lower is fuller. */
  private double key(int a) {
    double k = 0;
    for (int d = 0; d < D; d++) {
      k += weight[d] * (avail[a * D + d] * inv[d]);
    }
    return k;
  }

  /** No agent whose {@link #key} is below this can fit task {@code t}. */
  private double size(int t) {
    double k = 0;
    for (int d = 0; d < D; d++) {
      k += weight[d] * (own[t * D + d] * inv[d]);
    }
    return k;
  }

  /**
   * How much more a stranded resource counts than a free one in {@link #leftover}: chosen so that
   * filling an agent's cpus while memory is left is still preferred to an emptier agent, and
   * taking an agent's last port while cores are left is not (both are unit cases; on Fenzo's
   * lots-of-tasks workload, 2 and 4 do worse than 3).
   */
  static final double STRANDED = 3;

  /**
   * How much placing task {@code t} on agent {@code a} leaves unused: the weighted resources left,
   * and when a resource falls below the least any pending task asks of it, the rest of the agent,
   * now stranded for them, {@link #STRANDED} times more.
   */
  private double leftover(int a, int t) {
    long[] need = startsExecutor(a, t) ? comb : own;
    boolean exhausted = false;
    double all = 0;
    double usable = 0;
    for (int d = 0; d < D; d++) {
      long left = avail[a * D + d] - need[t * D + d];
      double weighted = weight[d] * (left * inv[d]);
      all += weighted;
      if (minNeed[d] > 0 && left < minNeed[d]) {
        exhausted = true;
      } else {
        usable += weighted;
      }
    }
    return exhausted ? all + STRANDED * usable : all;
  }

  /** How well task {@code t} suits agent {@code a} for the vector modes: higher is better. */
  private double alignment(int a, int t) {
    long[] need = startsExecutor(a, t) ? comb : own;
    double score = 0;
    for (int d = 0; d < D; d++) {
      double n = need[t * D + d] * inv[d];
      double f = avail[a * D + d] * inv[d];
      if (mode == Mode.DOT_PRODUCT) {
        score += weight[d] * n * f;
      } else {
        double left = f - n;
        score -= weight[d] * left * left;
      }
    }
    return score;
  }

  // ---------------------------------------------------------------- the pass

  Packing run() {
    if (mode == Mode.DOT_PRODUCT || mode == Mode.L2_NORM) {
      binCentric();
    } else if (mode == Mode.CONSOLIDATE) {
      binCentric();
      new Consolidation().run();
    } else {
      itemCentric();
    }
    return result();
  }

  int placed() {
    return placedCount;
  }

  int agents() {
    return na;
  }

  /** Each task in turn (largest first for bin packing) to the agent the mode prefers. */
  private void itemCentric() {
    Integer[] order = new Integer[nt];
    for (int t = 0; t < nt; t++) {
      order[t] = t;
    }
    double[] sizes = new double[nt];
    if (mode == Mode.SPREAD) {
      Arrays.sort(order, (x, y) -> (ownPorts[x] == null) != (ownPorts[y] == null)
          ? (ownPorts[x] != null ? -1 : 1) : Integer.compare(x, y));
    } else if (mode == Mode.BIN_PACK) {
      for (int t = 0; t < nt; t++) {
        sizes[t] = size(t);
      }
      // Tasks that want specific ports first, so that counted ports do not take them; then the
      // largest first.
      Arrays.sort(order, (x, y) -> (ownPorts[x] == null) != (ownPorts[y] == null)
          ? (ownPorts[x] != null ? -1 : 1)
          : sizes[x] != sizes[y] ? Double.compare(sizes[y], sizes[x]) : Integer.compare(x, y));
    }
    Index index = mode == Mode.FIRST_FIT ? null : new Index(mode == Mode.BIN_PACK);
    // A shape that found no agent finds none later in the pass either: agents only fill up and
    // counts only grow. Starting its executor somewhere may let it fit there, so that resets it.
    boolean[] failed = new boolean[shapes];
    int[] failedAtStarts = new int[shapes];
    for (int t : order) {
      int s = shapeOf[t];
      int starts = execKey[t] < 0 ? 0 : execStarts[execKey[t]];
      if (failed[s] && failedAtStarts[s] == starts) {
        continue;
      }
      boolean ok = switch (mode) {
        case FIRST_FIT -> firstFit(t);
        default -> index.firstFit(t);
      };
      if (!ok) {
        failed[s] = true;
        failedAtStarts[s] = execKey[t] < 0 ? 0 : execStarts[execKey[t]];
      }
    }
  }

  /** Agents before this one have too little of some resource for any task of the pass. */
  private int firstOpen;

  private boolean firstFit(int t) {
    while (firstOpen < na && tooFullForAny(firstOpen)) {
      firstOpen++;
    }
    for (int a = firstOpen; a < na; a++) {
      if (fits(a, t) && allowed(a, t) && place(t, a)) {
        return true;
      }
    }
    return false;
  }

  /** Whether agent {@code a} has less of some resource than any task of the pass asks for. */
  private boolean tooFullForAny(int a) {
    for (int d = 0; d < D; d++) {
      if (avail[a * D + d] < minAll[d]) {
        return true;
      }
    }
    return false;
  }

  /**
   * Agents sorted by {@link #key}, fullest first (or emptiest first), ties in offer order;
   * re-sorted as placements fill them.
   */
  private final class Index {
    /** How many of the fullest fitting agents bin packing compares by {@link #leftover}. */
    static final int NEIGHBOURS = 64;
    /** Agents whose exact allocation failed for a task: {@code excludedFor[a] == t + 1}. */
    final int[] excludedFor = new int[na];
    /** 1 for fullest first, -1 for emptiest first. */
    final int direction;
    final double[] keys = new double[na];
    final int[] order = new int[na];
    final int[] pos = new int[na];

    Index(boolean fullestFirst) {
      direction = fullestFirst ? 1 : -1;
      for (int a = 0; a < na; a++) {
        keys[a] = key(a);
        order[a] = a;
      }
      // A merge sort of primitive indexes: stable, so ties stay in offer order.
      int[] buffer = new int[na];
      for (int width = 1; width < na; width *= 2) {
        for (int lo = 0; lo < na - width; lo += 2 * width) {
          int mid = lo + width;
          int hi = Math.min(lo + 2 * width, na);
          int i = lo;
          int j = mid;
          int k = lo;
          while (i < mid && j < hi) {
            buffer[k++] = before(order[j], order[i]) ? order[j++] : order[i++];
          }
          while (i < mid) {
            buffer[k++] = order[i++];
          }
          while (j < hi) {
            buffer[k++] = order[j++];
          }
          System.arraycopy(buffer, lo, order, lo, hi - lo);
        }
      }
      for (int p = 0; p < na; p++) {
        pos[order[p]] = p;
      }
    }

    boolean before(int x, int y) {
      double kx = direction * keys[x];
      double ky = direction * keys[y];
      return kx < ky || (kx == ky && x < y);
    }

    /**
     * Places task {@code t} on the first agent in this order that fits it, skipping the agents
     * whose key shows they cannot: they are all at one end.
     */
    boolean firstFit(int t) {
      double need = size(t);
      if (direction > 0) {
        int lo = 0;
        int hi = na;
        while (lo < hi) {
          int mid = (lo + hi) >>> 1;
          if (keys[order[mid]] < need) {
            lo = mid + 1;
          } else {
            hi = mid;
          }
        }
        return fullestFit(lo, t);
      }
      for (int p = 0; p < na && keys[order[p]] >= need; p++) {
        if (tryPlace(order[p], t)) {
          return true;
        }
      }
      return false;
    }

    /**
     * Among the {@link #NEIGHBOURS} fullest agents from position {@code from} that fit task
     * {@code t}, the one it leaves the least {@link #leftover} on.
     */
    private boolean fullestFit(int from, int t) {
      while (true) {
        int best = -1;
        double bestLeft = Double.POSITIVE_INFINITY;
        int seen = 0;
        for (int p = from; p < na && seen < NEIGHBOURS; p++) {
          int a = order[p];
          if (excludedFor[a] == t + 1 || !fits(a, t) || !allowed(a, t)) {
            continue;
          }
          seen++;
          double left = leftover(a, t);
          if (left < bestLeft) {
            best = a;
            bestLeft = left;
          }
        }
        if (best < 0) {
          return false;
        }
        if (place(t, best)) {
          moved(best);
          return true;
        }
        excludedFor[best] = t + 1;
      }
    }

    private boolean tryPlace(int a, int t) {
      if (fits(a, t) && allowed(a, t) && place(t, a)) {
        moved(a);
        return true;
      }
      return false;
    }

    /** Agent {@code a} got fuller: moves it to its new place. */
    void moved(int a) {
      keys[a] = key(a);
      int p = pos[a];
      int q = p;
      if (direction > 0) {
        while (q > 0 && before(a, order[q - 1])) {
          q--;
        }
        if (q < p) {
          System.arraycopy(order, q, order, q + 1, p - q);
        }
      } else {
        while (q < na - 1 && before(order[q + 1], a)) {
          q++;
        }
        if (q > p) {
          System.arraycopy(order, p + 1, order, p, q - p);
        }
      }
      order[q] = a;
      for (int i = Math.min(p, q); i <= Math.max(p, q); i++) {
        pos[order[i]] = i;
      }
    }
  }

  /**
   * How many fitting shapes a vector mode compares per choice, largest first: bounds a choice to
   * O(log S + K) for S shapes, where comparing all of them would make a pass O(P x S).
   */
  static final int CANDIDATES = 128;

  /**
   * Agents in turn, fullest first; each is filled with the pending task that aligns best with
   * what it has left (Panigrahy et al.'s bin-centric heuristic), until nothing more fits. The
   * candidates are the {@link #CANDIDATES} largest shapes that fit, tasks that want specific ports
   * before the others.
   */
  private void binCentric() {
    int[] head = new int[shapes];
    int[] tail = new int[shapes];
    int[] next = new int[nt];
    Arrays.fill(head, -1);
    for (int t = 0; t < nt; t++) {
      int s = shapeOf[t];
      next[t] = -1;
      if (head[s] < 0) {
        head[s] = t;
      } else {
        next[tail[s]] = t;
      }
      tail[s] = t;
    }
    double[] shapeSize = new double[shapes];
    for (int s = 0; s < shapes; s++) {
      shapeSize[s] = size(head[s]);
    }
    ShapeList specific = new ShapeList(shapeSize);
    ShapeList counted = new ShapeList(shapeSize);
    Integer[] bySize = new Integer[shapes];
    for (int s = 0; s < shapes; s++) {
      bySize[s] = s;
    }
    Arrays.sort(bySize, (x, y) -> shapeSize[x] != shapeSize[y]
        ? Double.compare(shapeSize[y], shapeSize[x]) : Integer.compare(x, y));
    for (int s : bySize) {
      (ownPorts[head[s]] != null ? specific : counted).add(s);
    }
    Index index = new Index(true);
    int[] excluded = new int[shapes];
    int stamp = 0;
    for (int p = 0; p < na && specific.size + counted.size > 0; p++) {
      int a = index.order[p];
      stamp++;
      while (true) {
        double room = key(a);
        int best = specific.best(a, room, head, excluded, stamp);
        if (best < 0) {
          best = counted.best(a, room, head, excluded, stamp);
        }
        if (best < 0) {
          break;
        }
        int t = head[best];
        boolean starts = startsExecutor(a, t);
        if (!place(t, a)) {
          excluded[best] = stamp;
          continue;
        }
        if (starts) {
          stamp++; // an executor now runs here: shapes that needed room for it may fit now
        }
        head[best] = next[t];
        if (head[best] < 0) {
          (ownPorts[t] != null ? specific : counted).remove(best);
        }
      }
    }
  }

  /** Shapes with tasks left, largest first, with their sizes for a binary search. */
  private final class ShapeList {
    final double[] shapeSize;
    final int[] shapes;
    final double[] sizes;
    int size;

    ShapeList(double[] shapeSize) {
      this.shapeSize = shapeSize;
      this.shapes = new int[shapeSize.length];
      this.sizes = new double[shapeSize.length];
    }

    void add(int s) {
      shapes[size] = s;
      sizes[size++] = shapeSize[s];
    }

    void remove(int s) {
      int i = 0;
      while (shapes[i] != s) {
        i++;
      }
      System.arraycopy(shapes, i + 1, shapes, i, size - i - 1);
      System.arraycopy(sizes, i + 1, sizes, i, size - i - 1);
      size--;
    }

    /**
     * The shape whose next task aligns best with agent {@code a}, among the largest that fit it:
     * shapes larger than the agent's {@code room} are skipped by a binary search.
     */
    int best(int a, double room, int[] head, int[] excluded, int stamp) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (sizes[mid] > room) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      int candidates = 0;
      for (int i = lo; i < size && candidates < CANDIDATES; i++) {
        int s = shapes[i];
        if (excluded[s] == stamp) {
          continue;
        }
        int t = head[s];
        if (!fits(a, t) || !allowed(a, t)) {
          // The agent only gets fuller, so the shape stays out of it.
          excluded[s] = stamp;
          continue;
        }
        candidates++;
        double score = alignment(a, t);
        if (score > bestScore) {
          best = s;
          bestScore = score;
        }
      }
      return best;
    }
  }

  // ---------------------------------------------------------------- consolidation

  /** How many rounds over the agents {@link Consolidation} makes at most. */
  static final int ROUNDS = 5;
  /**
   * How many (agent, task) exchanges {@link Consolidation} tries for one task that fits on no
   * other agent: bounds the search for a displacement to O(DISPLACEMENTS x U) fit checks.
   */
  static final int DISPLACEMENTS = 256;
  /**
   * Which agents a round of {@link Consolidation} tries to empty: the least used eighth of the U
   * agents the pass used, at least {@link #MIN_TO_EMPTY}. On the vector bin packing benchmark,
   * trying all of them with as many exchanges cost 3 to 10 times as much for at most 0.5% fewer
   * agents.
   */
  static final int SHARE_TO_EMPTY = 8;
  /** The fewest agents a round of {@link Consolidation} tries to empty. */
  static final int MIN_TO_EMPTY = 16;
  /**
   * Exchanges per task in the last round of {@link Consolidation}, over every agent the pass
   * used: where tasks are large, agents the pass filled well can still be emptied into others.
   */
  static final int WIDE_DISPLACEMENTS = 16;

  /**
   * After a bin-centric pass that placed every task, tries to empty the agents the pass used
   * least (by the summed {@link #size} of their tasks; in each of at most {@link #ROUNDS} rounds,
   * the least used {@link #SHARE_TO_EMPTY}th, until a round empties none; then once all of them,
   * with fewer exchanges): moves each of their tasks, largest first, to the used agent it leaves
   * the least {@link #leftover} on or, when none has room, into a used agent from which one of
   * its tasks moves on to a third. Only tasks without executor, role, specific ports or
   * constraints move, and only onto agents the pass already uses; an agent is emptied entirely or
   * not at all (moves are undone, exactly, by restoring the immutable pools). Moves allocate
   * {@code Resources} on the real pools, so that what the framework replays stays exact.
   */
  private final class Consolidation {
    final int[] firstOn = new int[na];
    final int[] nextOn = new int[nt];
    final int[] prevOn = new int[nt];
    final int[] movableOn = new int[na];
    final int[] pinnedOn = new int[na];
    final boolean[] movable = new boolean[nt];
    final boolean[] open = new boolean[na];
    final int[] used;
    final double[] taskSize = new double[nt];
    /**
     * The moves of the agent being emptied: task, agent it came from, and what it had taken. Each
     * of its tasks makes at most two moves (itself, and the task it displaces), so 2 nt entries.
     */
    final int[] logTask = new int[2 * nt];
    final int[] logFrom = new int[2 * nt];
    final Resources[] logTaken = new Resources[2 * nt];
    int logSize;
    /** The pools as they were before the agent being emptied: {@code savedAt[a] == stamp}. */
    final Resources[] saved = new Resources[na];
    final int[] savedAt = new int[na];
    final int[] touched = new int[na];
    int touchedCount;
    int stamp;
    int budget;

    Consolidation() {
      Arrays.fill(firstOn, -1);
      int u = 0;
      for (int i = 0; i < placedCount; i++) {
        int t = decided[i];
        int a = placedOn[t];
        movable[t] = execKey[t] < 0 && role[t] < 0 && ownPorts[t] == null && checks[t].length == 0
            && groupsOf[t].isEmpty();
        if (firstOn[a] < 0 && movableOn[a] + pinnedOn[a] == 0) {
          u++;
        }
        link(t, a);
        if (movable[t]) {
          movableOn[a]++;
        } else {
          pinnedOn[a]++;
        }
        taskSize[t] = size(t);
      }
      used = new int[u];
      int k = 0;
      for (int a = 0; a < na; a++) {
        if (movableOn[a] + pinnedOn[a] > 0) {
          used[k++] = a;
          open[a] = true;
        }
      }
    }

    void link(int t, int a) {
      prevOn[t] = -1;
      nextOn[t] = firstOn[a];
      if (firstOn[a] >= 0) {
        prevOn[firstOn[a]] = t;
      }
      firstOn[a] = t;
    }

    void unlink(int t, int a) {
      if (prevOn[t] >= 0) {
        nextOn[prevOn[t]] = nextOn[t];
      } else {
        firstOn[a] = nextOn[t];
      }
      if (nextOn[t] >= 0) {
        prevOn[nextOn[t]] = prevOn[t];
      }
    }

    void run() {
      if (placedCount < nt || used.length < 2) {
        return; // a task left pending could use what consolidation frees: keep the pass as is
      }
      double[] load = new double[na];
      int[] order = new int[used.length];
      int[] tasksOf = new int[nt];
      for (int round = 0; round < ROUNDS; round++) {
        if (!round(load, order, tasksOf, Math.max(MIN_TO_EMPTY, used.length / SHARE_TO_EMPTY),
            DISPLACEMENTS)) {
          break;
        }
      }
      round(load, order, tasksOf, used.length, WIDE_DISPLACEMENTS);
    }

    /**
     * Tries to empty the {@code limit} least used open agents, with {@code displacements}
     * exchanges per task; whether it emptied one.
     */
    boolean round(double[] load, int[] order, int[] tasksOf, int limit, int displacements) {
      int n = 0;
      for (int a : used) {
        if (open[a] && pinnedOn[a] == 0) {
          double l = 0;
          for (int t = firstOn[a]; t >= 0; t = nextOn[t]) {
            l += taskSize[t];
          }
          load[a] = l;
          order[n++] = a;
        }
      }
      sortBy(order, n, load);
      budget = displacements;
      boolean emptied = false;
      for (int i = 0; i < Math.min(n, limit); i++) {
        int b = order[i];
        if (open[b] && pinnedOn[b] == 0) {
          emptied |= empty(b, tasksOf);
        }
      }
      return emptied;
    }

    /** Sorts the first {@code n} agents by {@code key} ascending, ties by index. */
    void sortBy(int[] agents, int n, double[] key) {
      Integer[] boxed = new Integer[n];
      for (int i = 0; i < n; i++) {
        boxed[i] = agents[i];
      }
      Arrays.sort(boxed, (x, y) -> key[x] != key[y] ? Double.compare(key[x], key[y])
          : Integer.compare(x, y));
      for (int i = 0; i < n; i++) {
        agents[i] = boxed[i];
      }
    }

    /** Moves every task off agent {@code b}, or none. */
    boolean empty(int b, int[] tasksOf) {
      open[b] = false;
      stamp++;
      touchedCount = 0;
      logSize = 0;
      int k = 0;
      for (int t = firstOn[b]; t >= 0; t = nextOn[t]) {
        tasksOf[k++] = t;
      }
      // Largest first, ties by index: the hardest to re-place decide early whether b empties.
      for (int i = 1; i < k; i++) {
        int t = tasksOf[i];
        int j = i - 1;
        while (j >= 0 && (taskSize[tasksOf[j]] < taskSize[t]
            || (taskSize[tasksOf[j]] == taskSize[t] && tasksOf[j] > t))) {
          tasksOf[j + 1] = tasksOf[j];
          j--;
        }
        tasksOf[j + 1] = t;
      }
      for (int i = 0; i < k; i++) {
        int t = tasksOf[i];
        int c = destination(t, -1);
        if (!(c >= 0 && move(t, c)) && !displace(t)) {
          undo();
          open[b] = true;
          return false;
        }
      }
      return true;
    }

    /** The open agent other than {@code skip} that task {@code t} fits on with the least left. */
    int destination(int t, int skip) {
      int best = -1;
      double bestLeft = Double.POSITIVE_INFINITY;
      for (int c : used) {
        if (!open[c] || c == skip || c == placedOn[t] || !within(c, -1, own, t)) {
          continue;
        }
        double left = leftover(c, t);
        if (left < bestLeft) {
          best = c;
          bestLeft = left;
        }
      }
      return best;
    }

    /**
     * Puts task {@code t} on an open agent in place of one of its tasks that moves on to another
     * open agent; tries at most {@link #DISPLACEMENTS} exchanges.
     */
    boolean displace(int t) {
      int tries = 0;
      for (int c : used) {
        if (!open[c]) {
          continue;
        }
        for (int j = firstOn[c]; j >= 0; j = nextOn[j]) {
          if (!movable[j] || !fitsInstead(c, j, t)) {
            continue;
          }
          int e = destination(j, c);
          if (e >= 0) {
            return move(j, e) && move(t, c);
          }
          if (++tries == budget) {
            return false;
          }
        }
      }
      return false;
    }

    /** Whether task {@code t} fits on agent {@code c} once task {@code j} left it. */
    boolean fitsInstead(int c, int j, int t) {
      for (int d = 0; d < D; d++) {
        if (own[t * D + d] > avail[c * D + d] + own[j * D + d]) {
          return false;
        }
      }
      return true;
    }

    /** Moves task {@code t} to agent {@code c}, allocating on its pool; false if it cannot. */
    boolean move(int t, int c) {
      int a = placedOn[t];
      Optional<Resources> taken = free[c].allocate(tasks.get(t).spec().resources());
      if (taken.isEmpty()) {
        return false;
      }
      save(a);
      save(c);
      free[c] = free[c].minus(taken.get());
      free[a] = free[a].plus(taskTaken[t]);
      load(a);
      load(c);
      logTask[logSize] = t;
      logFrom[logSize] = a;
      logTaken[logSize++] = taskTaken[t];
      unlink(t, a);
      link(t, c);
      placedOn[t] = c;
      taskTaken[t] = taken.get();
      return true;
    }

    void save(int a) {
      if (savedAt[a] != stamp) {
        savedAt[a] = stamp;
        saved[a] = free[a];
        touched[touchedCount++] = a;
      }
    }

    /** Puts back every task moved since the agent being emptied was chosen, and the pools. */
    void undo() {
      for (int i = logSize - 1; i >= 0; i--) {
        int t = logTask[i];
        unlink(t, placedOn[t]);
        link(t, logFrom[i]);
        placedOn[t] = logFrom[i];
        taskTaken[t] = logTaken[i];
      }
      for (int i = 0; i < touchedCount; i++) {
        int a = touched[i];
        free[a] = saved[a];
        load(a);
      }
    }
  }

  // ---------------------------------------------------------------- the result

  private Packing result() {
    // In the order decided: a task that starts its executor on an agent comes before the others
    // of that executor there, as the framework expects.
    List<Placement> placements = new ArrayList<>(placedCount);
    for (int i = 0; i < placedCount; i++) {
      int t = decided[i];
      int a = placedOn[t];
      TaskId id = tasks.get(t).id();
      placements.add(new Placement(id, agentIds[a], taskTaken[t], execTaken[t]));
      for (GroupId g : groupsOf[t]) {
        memory.remember(id, g, new Where(agentIds[a], hostnames[a], attributes.get(a)));
      }
    }
    Map<TaskId, String> unplaced = new LinkedHashMap<>();
    String[] reasons = new String[shapes];
    for (int t = 0; t < nt; t++) {
      if (placedOn[t] < 0) {
        TaskId id = tasks.get(t).id();
        int s = shapeOf[t];
        if (reasons[s] == null) {
          reasons[s] = reason(t);
        }
        unplaced.put(id, reasons[s]);
      }
    }
    return new Packing(placements, unplaced);
  }

  /**
   * Why task {@code t} found no agent, with the offers as the pass left them: the constraints
   * that rule agents out, then what the other agents lack, in {@link Shortfall}'s words.
   */
  private String reason(int t) {
    ResourceSpec demand = explained(t);
    if (allAgents == null) {
      allAgents = new int[na];
      for (int a = 0; a < na; a++) {
        allAgents[a] = a;
      }
      scratch = new int[na];
      ruledOut = new boolean[na];
    }
    if (checks[t].length == 0 || na == 0) {
      return shortfall(demand, allAgents, na);
    }
    Arrays.fill(ruledOut, false);
    List<String> phrases = new ArrayList<>();
    for (Check c : checks[t]) {
      int k = 0;
      for (int a = 0; a < na; a++) {
        if (!c.allows(a)) {
          scratch[k++] = a;
          ruledOut[a] = true;
        }
      }
      if (k > 0) {
        phrases.add(c.reason(scratch, k, na));
      }
    }
    int k = 0;
    for (int a = 0; a < na; a++) {
      if (!ruledOut[a]) {
        scratch[k++] = a;
      }
    }
    if (k == na) {
      return shortfall(demand, allAgents, na);
    }
    String because = String.join("; ", phrases);
    return k == 0 ? because : because + "; on the rest: " + shortfall(demand, scratch, k);
  }

  /** The demand to explain: the task's, plus its executor's when no agent runs it yet. */
  private ResourceSpec explained(int t) {
    TaskSpec spec = tasks.get(t).spec();
    ResourceSpec taskNeeds = spec.resources();
    if (execKey[t] < 0) {
      return taskNeeds;
    }
    for (int a = 0; a < na; a++) {
      if (running[a].get(execKey[t])) {
        return taskNeeds;
      }
    }
    ResourceSpec executorNeeds = spec.executor().orElseThrow().resources();
    if ((taskNeeds.portCount() > 0 && !executorNeeds.ports().isEmpty())
        || (!taskNeeds.ports().isEmpty() && executorNeeds.portCount() > 0)) {
      // Counted and specific ports cannot be added; explain with the number of ports alone.
      taskNeeds = taskNeeds.toBuilder().ports((int) taskNeeds.portsNeeded()).build();
      executorNeeds = executorNeeds.toBuilder().ports((int) executorNeeds.portsNeeded()).build();
    }
    return taskNeeds.plus(executorNeeds);
  }

  /**
   * {@link Shortfall#explain} over the first {@code n} agents of {@code subset}. It names the largest amount of the
   * first short resource, so the agents holding the largest amount of each resource give the same
   * answer as all of them; only the last resort ("none of the N agents offered has it all") needs
   * every pool.
   */
  private String shortfall(ResourceSpec demand, int[] subset, int n) {
    if (n == 0) {
      return Shortfall.explain(demand, List.of());
    }
    int r = demand.role().map(roleIndex::get).orElse(-1);
    Set<Integer> reps = new LinkedHashSet<>();
    for (int d = 0; d < D; d++) {
      int best = subset[0];
      for (int i = 0; i < n; i++) {
        if (have(subset[i], r, d) > have(best, r, d)) {
          best = subset[i];
        }
      }
      reps.add(best);
    }
    if (!demand.ports().isEmpty()) {
      long[] wanted = flatten(demand.ports());
      for (int i = 0; i < n; i++) {
        if (portsFree(subset[i], r, wanted)) {
          reps.add(subset[i]);
          break;
        }
      }
    }
    List<Resources> pools = new ArrayList<>(reps.size());
    for (int a : reps) {
      pools.add(free[a]);
    }
    String why = Shortfall.explain(demand, pools);
    if (reps.size() < n && why.endsWith(" agents offered has it all")) {
      pools = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        pools.add(free[subset[i]]);
      }
      why = Shortfall.explain(demand, pools);
    }
    return why;
  }

  private long have(int a, int r, int d) {
    return r < 0 ? avail[a * D + d] : roleAvail[(a * nr + r) * D + d];
  }
}
