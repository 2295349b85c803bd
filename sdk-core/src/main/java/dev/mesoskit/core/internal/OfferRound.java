package dev.mesoskit.core.internal;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.NamedResource;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.Packing;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offer side of the framework: holds whether offers are suppressed or were declined since the
 * last revive, and the resources of the executors this framework launched. Packs the due pending
 * tasks onto each batch of offers, checks the strategy's placements, launches what was placed,
 * declines the rest, and revives or suppresses offers as tasks become due or none is left.
 *
 * <p>It also says when placing goes wrong: a task the strategy could not place is logged at WARN
 * with the strategy's reason, once, and again only when the reason changes; and while tasks wait
 * for offers and none came for {@link #OFFER_DROUGHT}, one WARN says so, repeated only after
 * offers came and stopped again.
 *
 * <p>Threading: event thread only.
 */
final class OfferRound {
  /** Logs as the runtime: users configure that logger name. */
  private static final Logger log = LoggerFactory.getLogger(FrameworkRuntime.class);

  /**
   * How long tasks may wait for offers while none arrives at all before a WARN says so: several
   * times Mesos' allocation interval (1 s) and the default refuse filter (5 s).
   */
  static final Duration OFFER_DROUGHT = Duration.ofSeconds(30);

  private final RuntimeConfig config;
  private final FrameworkRuntime runtime;
  private final EventLoop loop;
  /** Concrete resources of the executors this framework launched, by agent and executor id. */
  private final Map<String, Map<String, Resources>> executors = new HashMap<>();
  /**
   * Per agent, the most cpus, mem, disk and gpus it offered at once so far: what it can hold, as
   * far as its offers told. A task that fits none of them waits for something other than its
   * turn, which is worth a warning; one that merely waits for busy agents is not.
   */
  private final Map<String, double[]> capacity = new HashMap<>();
  private boolean suppressed;
  private boolean declinedSinceRevive;
  /** When the last offers arrived; null before the first. */
  private Instant lastOffersAt;
  /** Since when due tasks wait and no offer came; null while no task waits for offers. */
  private Instant quietSince;
  /** Warned of the current stretch without offers: not again until offers come. */
  private boolean droughtWarned;
  private boolean droughtCheckQueued;
  /** Offers of the current batch accepted and declined so far, for the observers. */
  private int usedInBatch;
  private int declinedInBatch;

  /**
   * Creates an offer round with no executors known.
   *
   * @param config the backend, the packing strategy, the refuse duration and the clock
   * @param runtime the tasks, the subscription and the listeners
   * @param loop where the check for a lack of offers runs
   */
  OfferRound(RuntimeConfig config, FrameworkRuntime runtime, EventLoop loop) {
    this.config = config;
    this.runtime = runtime;
    this.loop = loop;
  }

  /** Forgets suppression and declines: a new subscription starts with offers flowing. */
  void subscribed() {
    suppressed = false;
    declinedSinceRevive = false;
    quietSince = null;
  }

  /** No offers come while disconnected: stop waiting for them (the disconnection is logged). */
  void disconnected() {
    quietSince = null;
  }

  /**
   * When the last offers arrived.
   *
   * @return the time, or null before the first offers
   */
  Instant lastOffersAt() {
    return lastOffersAt;
  }

  /** Revives offers when a task is due, else suppresses them: right after a subscription. */
  void reviveOrSuppress() {
    if (hasDuePending()) {
      // Filters set before a failover may still hold offers back from the work waiting now.
      config.backend().revive();
      watchForOffers();
    } else {
      suppress();
    }
  }

  /** A task became launchable: make sure offers come. */
  void wantOffers() {
    if (!runtime.subscribed() || !hasDuePending()) {
      return;
    }
    watchForOffers();
    if (suppressed || declinedSinceRevive) {
      config.backend().revive();
      suppressed = false;
      declinedSinceRevive = false;
    }
  }

  /** Forgets the executors that ended: a later launch of one starts it afresh. */
  void onFailure(String agentId, Optional<String> executorId, OptionalInt status) {
    if (executorId.isPresent()) {
      Map<String, Resources> onAgent = executors.get(agentId);
      if (onAgent != null) {
        onAgent.remove(executorId.get());
      }
      log.warn("executor terminated agent={} executor={} status={}", agentId, executorId.get(),
          status.isPresent() ? status.getAsInt() : "unknown");
    } else {
      executors.remove(agentId);
      capacity.remove(agentId); // a lost agent no longer shows what tasks could fit
      log.warn("agent failed agent={}", agentId);
    }
  }

  /** The scalars {@link #capacity} keeps, in its arrays' order. */
  private static final List<String> CAPACITY = List.of("cpus", "mem", "disk", "gpus");

  /** Whether the task's own resources exceed what every agent offered at once so far. */
  private boolean fitsNoAgent(ResourceSpec need) {
    double[] wanted = {need.cpus(), need.memMb(), need.diskMb(), need.gpus()};
    for (double[] most : capacity.values()) {
      boolean fits = true;
      for (int i = 0; i < wanted.length && fits; i++) {
        fits = wanted[i] <= most[i] + 1e-9;
      }
      if (fits) {
        return false;
      }
    }
    return true;
  }

  /** Packs the due tasks onto {@code offers}, launches those placed and declines the rest. */
  void onOffers(List<Offer> offers) {
    runtime.observers().offersReceived(offers);
    usedInBatch = 0;
    declinedInBatch = 0;
    try {
      packAndLaunch(offers);
    } finally {
      if (usedInBatch > 0) {
        runtime.observers().offersUsed(usedInBatch);
      }
      if (declinedInBatch > 0) {
        runtime.observers().offersDeclined(declinedInBatch);
      }
    }
  }

  private void packAndLaunch(List<Offer> offers) {
    lastOffersAt = config.clock().instant();
    droughtWarned = false;
    if (quietSince != null) {
      quietSince = lastOffersAt;
    }
    List<PendingTask> due = duePending();
    if (due.isEmpty()) {
      decline(offers);
      suppress();
      return;
    }
    Packing packing;
    boolean observed = runtime.observers().any();
    long packingStart = observed ? config.nanoTime().getAsLong() : 0L;
    try {
      packing = config.packing().pack(due, offers);
    } catch (RuntimeException e) {
      throw new MesosKitException("packing strategy " + config.packing() + " failed on "
          + due.size() + " tasks and " + offers.size() + " offers", e);
    }
    long packingNanos = observed ? config.nanoTime().getAsLong() - packingStart : 0L;
    Set<TaskId> pending = runtime.pending();
    Map<String, List<Offer>> byAgent = new LinkedHashMap<>();
    Map<String, Resources> free = new HashMap<>();
    for (Offer o : offers) {
      byAgent.computeIfAbsent(o.agentId(), a -> new ArrayList<>()).add(o);
      free.merge(o.agentId(), o.resources(), Resources::plus);
    }
    free.forEach((agent, resources) -> {
      double[] most = capacity.computeIfAbsent(agent, a -> new double[CAPACITY.size()]);
      for (int i = 0; i < most.length; i++) {
        most[i] = Math.max(most[i], resources.scalar(CAPACITY.get(i)));
      }
    });
    Map<String, List<TaskLaunch>> launches = new LinkedHashMap<>();
    Map<PodRecord, TaskGroupLaunch> podLaunches = new LinkedHashMap<>();
    List<TaskRecord> launched = new ArrayList<>();
    Set<TaskId> placed = new HashSet<>();
    for (Placement p : packing.placements()) {
      TaskRecord r = runtime.record(p.taskId());
      if (r == null || !pending.contains(p.taskId()) || !placed.add(p.taskId())) {
        throw strategyBug("placed task " + p.taskId() + " that is not pending, or placed it"
            + " twice");
      }
      if (!free.containsKey(p.agentId())) {
        throw strategyBug("placed task " + p.taskId() + " on agent " + p.agentId()
            + " that has no offer");
      }
      String misplaced = TaskRoles.misplaced(TaskRoles.pending(r, runtime.info()), p);
      if (misplaced != null) {
        throw strategyBug(misplaced);
      }
      PodRecord pod = runtime.pods().of(p.taskId());
      if (pod != null) {
        podLaunches.put(pod, placePod(pod, p, byAgent.get(p.agentId()).get(0).hostname(), free));
        launched.addAll(pod.members);
        continue;
      }
      Resources executorInfoResources = executorResources(r.spec, byAgent.get(p.agentId()), p);
      // Take the task's and the executor's resources one after the other, so that a port
      // handed to both is caught too.
      Resources left = free.get(p.agentId());
      for (Resources taken : List.of(p.resources(), p.executorResources())) {
        if (!left.contains(taken)) {
          throw strategyBug("over-committed agent " + p.agentId() + ": placed " + taken
              + " for task " + p.taskId() + " but only "
              + (left.isEmpty() ? "nothing" : left.toString()) + " is left");
        }
        left = left.minus(taken);
      }
      free.put(p.agentId(), left);
      launches.computeIfAbsent(p.agentId(), a -> new ArrayList<>()).add(new TaskLaunch(
          r.mesosTaskId(), p.agentId(), r.spec, p.resources(), executorInfoResources));
      r.agentId = p.agentId();
      r.hostname = byAgent.get(p.agentId()).get(0).hostname();
      r.ports = p.resources().ranges("ports").values();
      launched.add(r);
    }
    // Durable before the LAUNCH goes out: a scheduler that dies after it must not launch the
    // same attempt again, nor forget the task.
    for (Map.Entry<String, List<Offer>> agentOffers : byAgent.entrySet()) {
      Set<String> roles = new HashSet<>();
      agentOffers.getValue().forEach(o -> roles.add(allocationRole(o.resources())));
      checkRoles(agentOffers.getKey(), roles, launches.getOrDefault(agentOffers.getKey(),
          List.of()), podLaunches.keySet().stream()
          .filter(pod -> agentOffers.getKey().equals(pod.first().agentId)).toList(), podLaunches);
    }
    runtime.journal().launching(launched);
    List<String> unused = new ArrayList<>();
    Map<PodRecord, String> refused = new LinkedHashMap<>();
    for (Map.Entry<String, List<Offer>> agentOffers : byAgent.entrySet()) {
      List<TaskLaunch> allOnAgent = launches.getOrDefault(agentOffers.getKey(), List.of());
      List<PodRecord> allPodsOnAgent = podLaunches.keySet().stream()
          .filter(pod -> agentOffers.getKey().equals(pod.first().agentId)).toList();
      // One ACCEPT per role: Mesos refuses offers of several allocation roles aggregated.
      Map<String, List<Offer>> byRole = new LinkedHashMap<>();
      for (Offer o : agentOffers.getValue()) {
        byRole.computeIfAbsent(allocationRole(o.resources()), k -> new ArrayList<>()).add(o);
      }
      for (Map.Entry<String, List<Offer>> e : byRole.entrySet()) {
        boolean one = byRole.size() == 1;
        List<String> ids = e.getValue().stream().map(Offer::id).toList();
        List<TaskLaunch> onRole = one ? allOnAgent : allOnAgent.stream()
            .filter(l -> allocationRole(l.resources()).equals(e.getKey())).toList();
        List<TaskLaunch> onAgent = onRole.isEmpty() ? null : onRole;
        List<PodRecord> podsOnAgent = one ? allPodsOnAgent : allPodsOnAgent.stream()
            .filter(pod -> roleOf(podLaunches.get(pod)).equals(e.getKey())).toList();
        if (!podsOnAgent.isEmpty()) {
          String why = acceptWithPods(ids, onAgent == null ? List.of() : onAgent,
              podsOnAgent.stream().map(podLaunches::get).toList());
          if (why != null) {
            podsOnAgent.forEach(pod -> refused.put(pod, why));
            podsOnAgent.forEach(pod -> launched.removeAll(pod.members));
          }
        } else if (onAgent == null) {
          unused.addAll(ids);
        } else {
          config.backend().accept(ids, onAgent, config.refuse());
          usedInBatch += ids.size();
        }
      }
    }
    if (!unused.isEmpty()) {
      config.backend().decline(unused, config.refuse());
      declinedSinceRevive = true;
      declinedInBatch += unused.size();
    }
    for (TaskRecord r : launched) {
      pending.remove(r.id);
      r.state = TaskState.STAGING;
      r.message = null;
      r.reason = null;
      r.unplacedReason = null;
      r.placementSince = null;
      log.info("task launched task={} mesos_task={} agent={} host={} attempt={}", r.id,
          r.mesosTaskId(), r.agentId, r.hostname, r.attempt);
      runtime.observers().launched(runtime.publish(r));
    }
    refused.forEach(runtime.pods()::notLaunched);
    Instant now = config.clock().instant();
    for (Map.Entry<TaskId, String> e : packing.unplaced().entrySet()) {
      for (TaskRecord r : runtime.pods().withPod(e.getKey())) { // a pod's reason is each task's
        if (r == null || !pending.contains(r.id)) {
          continue;
        }
        String reason = e.getValue();
        r.unplacedReason = reason;
        if (!reason.equals(r.message)) {
          r.message = reason;
          runtime.updateSnapshot(r, now);
        }
        // A shortfall ("needs cpus 8, ...") is worth a warning only when no agent could ever
        // hold the task; any other reason (a constraint, ports) may never change by itself.
        if (!reason.equals(r.warnedReason)
            && (!reason.startsWith("needs ") || fitsNoAgent(runtime.pods().demand(r)))) {
          r.warnedReason = reason;
          log.warn("task not placed task={} reason={}", r.id, reason);
        } else {
          log.debug("task not placed task={} reason={}", r.id, reason);
        }
      }
    }
    if (observed) {
      runtime.observers().packingPass(Duration.ofNanos(Math.max(0L, packingNanos)),
          launched.size(), pending.size());
    }
    if (!hasDuePending()) {
      suppress();
    } else {
      watchForOffers();
    }
  }

  /** Whether a pending task may be launched now. */
  boolean hasDuePending() {
    Instant now = config.clock().instant();
    for (TaskId id : runtime.pending()) {
      if (runtime.record(id).due(now)) {
        return true;
      }
    }
    return false;
  }

  private List<PendingTask> duePending() {
    Instant now = config.clock().instant();
    List<PendingTask> due = new ArrayList<>();
    for (TaskId id : runtime.pending()) {
      TaskRecord r = runtime.record(id);
      PodRecord pod = runtime.pods().of(id);
      if (pod == null && r.due(now)) {
        due.add(TaskRoles.pending(r, runtime.info()));
      } else if (pod != null && pod.first() == r && pod.due(now)) {
        due.add(pod.pendingTask(runtime.info())); // the whole pod as one task: see Pods
      }
    }
    return due;
  }

  /** Starts or goes on measuring how long due tasks wait without any offer. */
  private void watchForOffers() {
    Instant now = config.clock().instant();
    if (quietSince == null) {
      quietSince = now;
    }
    if (!droughtCheckQueued && !droughtWarned) {
      droughtCheckQueued = true;
      Duration left = OFFER_DROUGHT.minus(Duration.between(quietSince, now));
      loop.schedule(this::checkDrought, left.isNegative() ? Duration.ZERO : left);
    }
  }

  private void checkDrought() {
    droughtCheckQueued = false;
    if (quietSince == null || !runtime.subscribed() || !hasDuePending()) {
      quietSince = null;
      return;
    }
    Duration quiet = Duration.between(quietSince, config.clock().instant());
    if (quiet.compareTo(OFFER_DROUGHT) < 0) {
      watchForOffers();
      return;
    }
    droughtWarned = true;
    int waiting = 0;
    Instant now = config.clock().instant();
    for (TaskId id : runtime.pending()) {
      if (runtime.record(id).due(now)) {
        waiting++;
      }
    }
    log.warn("{} pending and no offers for {}s: does any agent offer resources to role {}?"
        + " name={}", waiting == 1 ? "1 task" : waiting + " tasks", OFFER_DROUGHT.toSeconds(),
        runtime.info().role(), config.info().name());
  }

  private void suppress() {
    quietSince = null;
    if (runtime.subscribed() && !suppressed) {
      config.backend().suppress();
      suppressed = true;
    }
  }

  /**
   * The executor resources a launch carries in its ExecutorInfo: those the executor was first
   * launched with, because Mesos requires every ExecutorInfo of one executor to be identical.
   */
  private Resources executorResources(TaskSpec spec, List<Offer> agentOffers, Placement p) {
    Optional<ExecutorSpec> exec = spec.executor();
    if (exec.isEmpty()) {
      if (!p.executorResources().isEmpty()) {
        throw strategyBug("charged executor resources for command task " + p.taskId());
      }
      return Resources.empty();
    }
    String execId = exec.get().id();
    Map<String, Resources> onAgent = executors.computeIfAbsent(p.agentId(), a -> new HashMap<>());
    Resources known = onAgent.get(execId);
    boolean offeredAsRunning = agentOffers.stream().anyMatch(o -> o.executorIds().contains(execId));
    if (known != null) {
      // Launched by this scheduler; a charge the strategy made anyway is declined with the rest.
      return known;
    }
    if (offeredAsRunning) {
      // Launched by an earlier run of this scheduler: its ExecutorInfo used the spec's amounts.
      known = nominal(exec.get().resources(), agentOffers, p.resources());
      onAgent.put(execId, known);
      return known;
    }
    if (p.executorResources().isEmpty()) {
      throw strategyBug("did not charge executor " + execId + " resources on agent " + p.agentId()
          + " where it does not run yet (task " + p.taskId() + ")");
    }
    onAgent.put(execId, p.executorResources());
    return p.executorResources();
  }

  /**
   * The spec's scalar amounts (named ones too) as unreserved resources, allocated like the task's (an executor
   * and its tasks share one role), else like the agent's offers.
   */
  private static Resources nominal(ResourceSpec spec, List<Offer> agentOffers, Resources task) {
    Optional<String> allocationRole = Stream.concat(task.list().stream(),
            agentOffers.stream().flatMap(o -> o.resources().list().stream()))
        .map(Resource::allocationRole)
        .flatMap(Optional::stream)
        .findFirst();
    List<Resource> list = new ArrayList<>();
    String[] names = {"cpus", "mem", "disk", "gpus"};
    double[] amounts = {spec.cpus(), spec.memMb(), spec.diskMb(), spec.gpus()};
    for (int i = 0; i < names.length; i++) {
      Resource r = Resource.scalar(names[i], amounts[i]);
      list.add(allocationRole.map(r::withAllocationRole).orElse(r));
    }
    for (NamedResource n : spec.named()) {
      // Named scalars as they are; a count of values or items cannot be known again.
      if (n.type() == NamedResource.Type.SCALAR) {
        Resource r = Resource.scalar(n.name(), n.amount());
        list.add(allocationRole.map(r::withAllocationRole).orElse(r));
      }
    }
    return Resources.of(list);
  }

  /**
   * Takes a pod's placement from its agent's free resources and splits it into the pod's launch.
   */
  private TaskGroupLaunch placePod(PodRecord pod, Placement p, String hostname,
      Map<String, Resources> free) {
    if (!pod.first().id.equals(p.taskId())) {
      throw strategyBug("placed task " + p.taskId() + " of pod " + pod.spec.name()
          + " that it was not given (the pod is given as task " + pod.first().id + ")");
    }
    if (!p.executorResources().isEmpty()) {
      throw strategyBug("charged executor resources for command task " + p.taskId());
    }
    Resources left = free.get(p.agentId());
    if (!left.contains(p.resources())) {
      throw strategyBug("over-committed agent " + p.agentId() + ": placed " + p.resources()
          + " for task " + p.taskId() + " but only "
          + (left.isEmpty() ? "nothing" : left.toString()) + " is left");
    }
    TaskGroupLaunch launch = pod.launch(p.agentId(), hostname, p.resources())
        .orElseThrow(() -> strategyBug("placed " + p.resources() + " for task " + p.taskId()
            + " which needs " + pod.demand));
    free.put(p.agentId(), left.minus(p.resources()));
    return launch;
  }

  /**
   * Launches pods and single tasks on one agent's offers. A backend that cannot launch pods
   * launches the single tasks alone (or declines the offers when there are none).
   *
   * @return null when the pods were launched, else the backend's refusal
   */
  private String acceptWithPods(List<String> ids, List<TaskLaunch> singles,
      List<TaskGroupLaunch> groups) {
    try {
      config.backend().accept(ids, singles, groups, config.refuse());
      usedInBatch += ids.size();
      return null;
    } catch (UnsupportedOperationException e) {
      if (singles.isEmpty()) {
        config.backend().decline(ids, config.refuse());
        declinedSinceRevive = true;
        declinedInBatch += ids.size();
      } else {
        config.backend().accept(ids, singles, config.refuse());
        usedInBatch += ids.size();
      }
      return e.getMessage() != null ? e.getMessage()
          : config.backend() + " cannot launch pods (LAUNCH_GROUP)";
    }
  }

  private MesosKitException strategyBug(String what) {
    return new MesosKitException("packing strategy " + config.packing() + " broke its contract: "
        + what);
  }

  private void decline(Collection<Offer> offers) {
    if (offers.isEmpty()) {
      return;
    }
    String[] ids = new String[offers.size()];
    int i = 0;
    for (Offer o : offers) {
      ids[i++] = o.id();
    }
    config.backend().decline(List.of(ids), config.refuse());
    declinedSinceRevive = true;
    declinedInBatch += offers.size();
  }

  /** The role resources were allocated to; empty for a framework of one role. */
  private static String allocationRole(Resources resources) {
    for (dev.mesoskit.core.Resource r : resources) {
      return r.allocationRole().orElse("");
    }
    return "";
  }

  private static String roleOf(TaskGroupLaunch group) {
    return group.tasks().isEmpty() ? "" : allocationRole(group.tasks().get(0).resources());
  }

  /** Every launch on an agent goes with offers of its role: a strategy must not mix them. */
  private void checkRoles(String agent, java.util.Set<String> offerRoles,
      List<TaskLaunch> singles, List<PodRecord> pods, Map<PodRecord, TaskGroupLaunch> groups) {
    if (offerRoles.size() == 1) {
      return;
    }
    for (TaskLaunch l : singles) {
      if (!offerRoles.contains(allocationRole(l.resources()))) {
        throw strategyBug("launched " + l.mesosTaskId() + " on agent " + agent + " with"
            + " resources of no role offered there");
      }
    }
    for (PodRecord pod : pods) {
      if (!offerRoles.contains(roleOf(groups.get(pod)))) {
        throw strategyBug("launched pod " + pod.spec.name() + " on agent " + agent + " with"
            + " resources of no role offered there");
      }
    }
  }
}
