package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;
import static dev.mesoskit.offers.OfferTable.PORTS;
import static dev.mesoskit.offers.OfferTable.flatten;
import static dev.mesoskit.offers.OfferTable.milli;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Ranges;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.offers.Checks.Check;
import dev.mesoskit.offers.PlacementMemory.GroupId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pending tasks of one pass: their demands in the {@link OfferTable}'s layout (the task's own,
 * its executor's, both together), roles, executor, ports, compiled constraint checks, groups and
 * shapes; where the pass placed each, with what, in which order; and the fit test and the
 * placement, which read both tables and update them.
 */
final class TaskTable {
  private static final Check[] NO_CHECKS = new Check[0];
  final List<PendingTask> pending;
  final int nt;
  final long[] own;
  final long[] exec;
  final long[] comb;
  final int[] role;
  final int[] execRole;
  final int[] execKey;
  final long[][] ownPorts;
  final long[][] execPorts;
  final long[][] combPorts;
  final Check[][] checks;
  final List<GroupId>[] groupsOf;
  final int[] shapeOf;
  final int shapes;
  /** How often the pass started each executor. */
  final int[] execStarts;
  /** The allocation roles of the bins, {@link OfferTable#allocationRoles}, counted. */
  final int nar;
  /** Whether task t may use bins of allocation role k: index {@code t * nar + k}. */
  final boolean[] roleOk;
  /** Whether task t may use every bin's allocation role: its role is no reason. */
  final boolean[] anyRole;
  /** The tasks' roles and whether each is the default one, numbered: identical tasks' match. */
  private final int[] roleKey;
  /** What tasks ask of resources other than cpus, mem, disk, gpus, ports; null: none asks. */
  final NamedColumns named;

  // ---- decisions
  final int[] placedOn;
  /** The tasks in the order they were placed: the order the framework replays them in. */
  final int[] decided;
  final Resources[] taskTaken;
  final Resources[] execTaken;
  int placedCount;

  /**
   * Whether task t is plain: no role, executor, specific ports or named resources in a pass where
   * no task asks for a reservation role or named resources. Its allocation on an agent whose
   * {@link OfferTable#slots} are known is computed from the arrays, and the subtraction from the
   * agent's pool deferred until someone reads the pool ({@link #free}).
   */
  private final boolean[] plain;
  /**
   * The plain placements whose subtraction from an agent's pool is deferred, in the order placed:
   * the first and last task of each agent (task + 1, 0: none), and the task after each.
   */
  private final int[] firstDeferred;
  private final int[] lastDeferred;
  private final int[] nextDeferred;
  private final OfferTable offers;
  private final Resources[] free;
  private final BitSet[] running;
  private final List<Packer.Binding> bindings;
  private final PlacementMemory memory;

  @SuppressWarnings({"unchecked", "rawtypes"}) // groupsOf: an array of lists
  TaskTable(List<PendingTask> tasks, OfferTable offers, List<Packer.Binding> bindings,
      PlacementMemory memory) {
    this.pending = tasks;
    this.nt = tasks.size();
    this.offers = offers;
    this.free = offers.free;
    this.running = offers.running;
    this.bindings = bindings;
    this.memory = memory;
    execStarts = new int[offers.execIndex.size()];
    named = NamedColumns.of(tasks, offers);

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
    nar = offers.allocationRoles.size();
    roleOk = new boolean[nt * nar];
    anyRole = new boolean[nt];
    roleKey = new int[nt];
    Map<Optional<String>, Integer> taskRoles = new HashMap<>();
    Map<String, Integer> roleIndex = offers.roleIndex;
    Map<String, Integer> execIndex = offers.execIndex;
    Map<Shape, Integer> shapeIndex = new HashMap<>();
    Map<GroupId, Check[]> groupChecks = new HashMap<>();
    // Shapes of tasks without executor, ports or groups in a pass without named resources, by
    // their first task: such a task is of one of them when its amounts and roles are the same,
    // which is compared on the arrays before a Shape is built and hashed.
    int[] simpleShapes = new int[8];
    int simpleCount = 0;
    Optional<String> lastRole = null;
    int lastRoleKey = 0;
    for (int t = 0; t < nt; t++) {
      PendingTask task = tasks.get(t);
      TaskSpec spec = task.spec();
      ResourceSpec r = spec.resources();
      fill(own, t, r);
      boolean all = true;
      for (int k = 0; k < nar; k++) {
        roleOk[t * nar + k] = task.mayUse(offers.allocationRoles.get(k));
        all &= roleOk[t * nar + k];
      }
      anyRole[t] = all;
      Optional<String> taskRole = task.role();
      if (taskRole != lastRole) {
        Integer k = taskRoles.get(taskRole);
        if (k == null) {
          k = taskRoles.size();
          taskRoles.put(taskRole, k);
        }
        lastRole = taskRole;
        lastRoleKey = k;
      }
      roleKey[t] = lastRoleKey * 2 + (task.defaultRole() ? 1 : 0);
      role[t] = r.role().isEmpty() ? -1 : roleIndex.get(r.role().get());
      Ranges ports = r.ports();
      ownPorts[t] = ports.isEmpty() ? null : flatten(ports);
      Optional<ExecutorSpec> e = spec.executor();
      execKey[t] = e.isEmpty() ? -1 : execIndex.get(e.get().id());
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
      List<GroupId> groups = List.of();
      Check[] taskChecks = NO_CHECKS;
      if (!bindings.isEmpty()) {
        groups = new ArrayList<>(0);
        List<Check> compiled = new ArrayList<>(0);
        for (int b = 0; b < bindings.size(); b++) {
          String key = bindings.get(b).groups().groupOf(spec);
          if (key != null) {
            GroupId g = new GroupId(b, key);
            groups.add(g);
            compiled.addAll(Arrays.asList(groupChecks.computeIfAbsent(g, this::compile)));
          }
        }
        taskChecks = compiled.toArray(NO_CHECKS);
      }
      groupsOf[t] = groups;
      checks[t] = taskChecks;
      boolean simple = named == null && e.isEmpty() && ports.isEmpty() && groups.isEmpty();
      int shape = -1;
      if (simple) {
        for (int i = 0; i < simpleCount && shape < 0; i++) {
          if (sameSimpleShape(simpleShapes[i], t)) {
            shape = shapeOf[simpleShapes[i]];
          }
        }
      }
      if (shape < 0) {
        List<?> namedKey = named == null ? List.of()
            : List.of(r.named(), e.map(x -> x.resources().named()).orElse(List.of()));
        shape = shapeIndex.computeIfAbsent(new Shape(this, t, ports,
            e.map(x -> x.resources().ports()).orElse(Ranges.empty()), groups, namedKey),
            x -> shapeIndex.size());
        if (simple && shape == shapeIndex.size() - 1 && simpleCount < simpleShapes.length) {
          simpleShapes[simpleCount++] = t;
        }
      }
      shapeOf[t] = shape;
    }
    shapes = shapeIndex.size();

    plain = new boolean[nt];
    if (named == null && offers.nr == 0) {
      for (int t = 0; t < nt; t++) {
        plain[t] = execKey[t] < 0 && role[t] < 0 && ownPorts[t] == null
            && tasks.get(t).spec().resources().role().isEmpty();
      }
    }
    firstDeferred = new int[offers.na];
    lastDeferred = new int[offers.na];
    nextDeferred = new int[nt];

    placedOn = new int[nt];
    Arrays.fill(placedOn, -1);
    decided = new int[nt];
    taskTaken = new Resources[nt];
    execTaken = new Resources[nt];
  }

  /**
   * Identical tasks behave identically in a pass: same needs (in the pass' arrays), same roles
   * (reservation and allocation), same executor, same specific ports, same groups, same named
   * resources. Compares primitives first.
   */
  private static final class Shape {
    private final long[] needs = new long[2 * D + 4];
    private final Ranges ports;
    private final Ranges executorPorts;
    private final List<GroupId> groups;
    private final List<?> named;
    private final int hash;

    Shape(TaskTable table, int t, Ranges ports, Ranges executorPorts, List<GroupId> groups,
        List<?> named) {
      System.arraycopy(table.own, t * D, needs, 0, D);
      System.arraycopy(table.exec, t * D, needs, D, D);
      needs[2 * D] = table.role[t];
      needs[2 * D + 1] = table.execRole[t];
      needs[2 * D + 2] = table.execKey[t];
      needs[2 * D + 3] = table.roleKey[t];
      this.ports = ports;
      this.executorPorts = executorPorts;
      this.groups = groups;
      this.named = named;
      this.hash = Arrays.hashCode(needs) * 31 + groups.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Shape s && s.hash == hash && Arrays.equals(s.needs, needs)
          && s.groups.equals(groups) && s.ports.equals(ports)
          && s.executorPorts.equals(executorPorts) && s.named.equals(named);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /**
   * Whether simple tasks {@code u} and {@code t} (no executor, ports or groups, no named
   * resources in the pass) are of one {@link Shape}: the same amounts and roles.
   */
  private boolean sameSimpleShape(int u, int t) {
    for (int d = 0; d < D; d++) {
      if (own[u * D + d] != own[t * D + d]) {
        return false;
      }
    }
    return role[u] == role[t] && roleKey[u] == roleKey[t];
  }

  private Check[] compile(GroupId g) {
    List<PlacementConstraint> constraints = bindings.get(g.binding()).constraints();
    Check[] result = new Check[constraints.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = Checks.compile(constraints.get(i), offers, memory.placed(g));
    }
    return result;
  }

  private static void fill(long[] into, int t, ResourceSpec r) {
    into[t * D] = milli(r.cpus());
    into[t * D + 1] = milli(r.memMb());
    into[t * D + 2] = milli(r.diskMb());
    into[t * D + 3] = 1000L * r.gpus();
    into[t * D + PORTS] = r.portsNeeded();
  }

  // ---------------------------------------------------------------- fit and constraints

  /** Whether task {@code t} would start its executor on agent {@code a}. */
  boolean startsExecutor(int a, int t) {
    return execKey[t] >= 0 && !running[a].get(execKey[t]);
  }

  /** Whether task {@code t} may run on the resources of bin {@code a}: those of its role. */
  boolean roleFits(int a, int t) {
    return roleOk[t * nar + offers.binRole[a]];
  }

  /** Whether task {@code t}, and its executor if it starts one there, fits on agent {@code a}. */
  boolean fits(int a, int t) {
    if (!roleOk[t * nar + offers.binRole[a]]) {
      return false;
    }
    if (named != null && !named.fits(a, t, startsExecutor(a, t), role[t], execRole[t])) {
      return false;
    }
    if (!startsExecutor(a, t)) {
      return offers.within(a, role[t], own, t) && offers.portsFree(a, role[t], ownPorts[t]);
    }
    if (role[t] == execRole[t]) {
      return offers.within(a, role[t], comb, t) && offers.portsFree(a, role[t], combPorts[t]);
    }
    // Different roles: necessary conditions; the exact allocation decides.
    return offers.within(a, role[t], own, t) && offers.within(a, execRole[t], exec, t)
        && offers.within(a, -1, comb, t)
        && offers.portsFree(a, role[t], ownPorts[t])
        && offers.portsFree(a, execRole[t], execPorts[t]);
  }

  /**
   * Whether {@link #fits}, {@link #allowed} and {@link Scores#leftover} of task {@code t} depend
   * on nothing but the agent's free amounts in all roles and its bin's allocation role: the task
   * has no constraints, no executor, no reservation role, no specific ports and no named
   * resources ({@link NamedColumns}). Whatever else {@link #fits} comes to test must make this
   * false for the tasks it concerns.
   */
  boolean fitDependsOnAmountsOnly(int t) {
    return checks[t].length == 0 && execKey[t] < 0 && role[t] < 0 && ownPorts[t] == null
        && (named == null || pending.get(t).spec().resources().named().isEmpty());
  }

  /** Whether agents {@code a} and {@code b} have the same free amounts and allocation role. */
  boolean sameAmounts(int a, int b) {
    if (offers.binRole[a] != offers.binRole[b]) {
      return false;
    }
    // A plain loop: for D values, Arrays.equals' range checks and call cost more than the work.
    long[] avail = offers.avail;
    int i = a * D;
    int j = b * D;
    for (int d = 0; d < D; d++) {
      if (avail[i + d] != avail[j + d]) {
        return false;
      }
    }
    return true;
  }

  /** Whether the constraints of task {@code t} allow agent {@code a}. */
  boolean allowed(int a, int t) {
    for (Check c : checks[t]) {
      if (!c.allows(a)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Agent {@code a}'s pooled resources less what the pass took: its pool, after the subtraction
   * of the placements deferred there.
   */
  Resources free(int a) {
    int t = firstDeferred[a] - 1;
    if (t >= 0) {
      Resources pool = free[a];
      for (; t >= 0; t = nextDeferred[t] - 1) {
        pool = pool.minus(taskTaken[t]);
      }
      free[a] = pool;
      firstDeferred[a] = 0;
      lastDeferred[a] = 0;
    }
    return free[a];
  }

  /** Brings every agent's pool up to date: for the steps that read and write the pools. */
  void settle() {
    for (int a = 0; a < offers.na; a++) {
      free(a);
    }
  }

  /** Takes the concrete resources from the agent's pool; false when they do not fit after all. */
  boolean place(int t, int a) {
    if (plain[t] && offers.slots[a] != null) {
      return placePlain(t, a);
    }
    free(a);
    TaskSpec spec = pending.get(t).spec();
    Optional<Resources> taken = free[a].allocate(spec.resources());
    if (taken.isEmpty()) {
      return false;
    }
    Resources rest = free[a].minus(taken.get());
    Resources forExecutor = Resources.empty();
    boolean starts = startsExecutor(a, t);
    if (starts) {
      ResourceSpec execNeeds = spec.executor().orElseThrow().resources();
      Optional<Resources> e = rest.allocate(execNeeds);
      if (e.isEmpty()) {
        // What the task took (a value the executor names, reserved resources its role needs)
        // may starve the executor: the executor first then.
        e = free[a].allocate(execNeeds);
        if (e.isEmpty()) {
          return false;
        }
        taken = free[a].minus(e.get()).allocate(spec.resources());
        if (taken.isEmpty()) {
          return false;
        }
        rest = free[a].minus(e.get()).minus(taken.get());
      } else {
        rest = rest.minus(e.get());
      }
      forExecutor = e.get();
      running[a].set(execKey[t]);
      execStarts[execKey[t]]++;
    }
    free[a] = rest;
    offers.load(a);
    placedOn[t] = a;
    taskTaken[t] = taken.get();
    execTaken[t] = forExecutor;
    for (Check c : checks[t]) {
      c.placed(a);
    }
    decided[placedCount++] = t;
    return true;
  }

  /**
   * {@link #place} of a plain task on an agent whose {@link OfferTable#slots} are known: what
   * {@link Resources#allocate} chooses there (each amount from the one resource of its name, the
   * lowest free ports), read from the arrays, which are updated as {@link OfferTable#load} would
   * read them; the pool's subtraction is deferred.
   */
  private boolean placePlain(int t, int a) {
    long[] avail = offers.avail;
    int base = a * D;
    int n = t * D;
    for (int d = 0; d < D; d++) {
      if (own[n + d] > avail[base + d]) {
        return false;
      }
    }
    Resource[] slots = offers.slots[a];
    ResourceSpec r = pending.get(t).spec().resources();
    List<Resource> taken = new ArrayList<>(D);
    if (own[n] > 0) {
      taken.add(slots[0].withValue(new Resource.Scalar(r.cpus())));
    }
    if (own[n + 1] > 0) {
      taken.add(slots[1].withValue(new Resource.Scalar(r.memMb())));
    }
    if (own[n + 2] > 0) {
      taken.add(slots[2].withValue(new Resource.Scalar(r.diskMb())));
    }
    if (own[n + 3] > 0) {
      taken.add(slots[3].withValue(new Resource.Scalar(r.gpus())));
    }
    long count = own[n + PORTS];
    if (count > 0) {
      // The lowest free ports, as Ranges.takeLowest takes them; the rest stays free.
      long[] bounds = offers.ports[a];
      Ranges pick = null;
      long left = count;
      int i = 0;
      long restBegin = -1;
      while (left > 0) {
        long begin = bounds[i];
        long take = Math.min(left, bounds[i + 1] - begin + 1);
        Ranges part = Ranges.of(begin, begin + take - 1);
        pick = pick == null ? part : pick.plus(part);
        left -= take;
        if (begin + take - 1 < bounds[i + 1]) {
          restBegin = begin + take;
        } else {
          i += 2;
        }
      }
      long[] rest = Arrays.copyOfRange(bounds, i, bounds.length);
      if (restBegin >= 0) {
        rest[0] = restBegin;
      }
      offers.ports[a] = rest;
      taken.add(slots[PORTS].withValue(new Resource.RangesValue(pick)));
    }
    for (int d = 0; d < D; d++) {
      avail[base + d] -= own[n + d];
    }
    if (lastDeferred[a] == 0) {
      firstDeferred[a] = t + 1;
    } else {
      nextDeferred[lastDeferred[a] - 1] = t + 1;
    }
    lastDeferred[a] = t + 1;
    nextDeferred[t] = 0;
    placedOn[t] = a;
    taskTaken[t] = Resources.of(taken);
    execTaken[t] = Resources.empty();
    for (Check c : checks[t]) {
      c.placed(a);
    }
    decided[placedCount++] = t;
    return true;
  }
}
