package dev.mesoskit.offers;

import static dev.mesoskit.offers.OfferTable.D;
import static dev.mesoskit.offers.OfferTable.PORTS;
import static dev.mesoskit.offers.OfferTable.flatten;
import static dev.mesoskit.offers.OfferTable.milli;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Ranges;
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
      roleKey[t] = taskRoles.computeIfAbsent(task.role(), x -> taskRoles.size()) * 2
          + (task.defaultRole() ? 1 : 0);
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
      List<?> namedKey = named == null ? List.of()
          : List.of(r.named(), e.map(x -> x.resources().named()).orElse(List.of()));
      shapeOf[t] = shapeIndex.computeIfAbsent(new Shape(this, t, r.ports(),
          e.map(x -> x.resources().ports()).orElse(Ranges.empty()), groups, namedKey),
          s -> shapeIndex.size());
    }
    shapes = shapeIndex.size();

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

  /** Takes the concrete resources from the agent's pool; false when they do not fit after all. */
  boolean place(int t, int a) {
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
}
