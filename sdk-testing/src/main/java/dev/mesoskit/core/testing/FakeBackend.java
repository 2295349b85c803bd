package dev.mesoskit.core.testing;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import dev.mesoskit.core.spi.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link SchedulerBackend} that records every call and lets a test push master events, for
 * testing frameworks without a master. Published in sdk-testing.
 *
 * <pre>{@code
 * FakeBackend backend = new FakeBackend();
 * Framework fw = Framework.builder().name("t").backend(backend)...build();
 * fw.start();
 * backend.subscribed("fw-1");
 * backend.offer("agent-1", "cpus:4;mem:4096");
 * loop.runPending();
 * assertThat(backend.accepts()).hasSize(1);
 * }</pre>
 *
 * <p>Thread-safe: calls may come from the framework's thread while the test reads.
 */
public final class FakeBackend implements SchedulerBackend {
  /** Every call the framework made, in order, as text: {@code "revive"}, {@code "kill t.1"}. */
  private String teardownFailure;
  private final List<String> calls = new ArrayList<>();
  private final List<Accept> accepts = new ArrayList<>();
  private final List<TaskGroupLaunch> groupLaunches = new ArrayList<>();
  private final List<Decline> declines = new ArrayList<>();
  private final List<List<ReconcileTask>> reconciles = new ArrayList<>();
  private final List<Ack> acks = new ArrayList<>();
  private final List<String> kills = new ArrayList<>();
  private final AtomicInteger offerIds = new AtomicInteger();
  private final AtomicInteger uuids = new AtomicInteger();
  private volatile FrameworkInfo info;
  private volatile SchedulerEvents events;
  private volatile boolean closed;
  private volatile boolean tornDown;
  private final List<FrameworkInfo> frameworkUpdates = new ArrayList<>();
  private volatile boolean updateFrameworkUnsupported;

  /** One ACCEPT call. */
  public record Accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {}

  /** One DECLINE call. */
  public record Decline(List<String> offerIds, Duration refuse) {}

  /** One ACKNOWLEDGE call. */
  public record Ack(String agentId, String mesosTaskId, String uuid) {}

  // ---------------------------------------------------------------- SchedulerBackend

  @Override
  public synchronized void subscribe(FrameworkInfo frameworkInfo, SchedulerEvents sink) {
    if (events != null) {
      throw new IllegalStateException("subscribe called twice");
    }
    this.info = frameworkInfo;
    this.events = sink;
    calls.add("subscribe" + frameworkInfo.id().map(id -> " " + id).orElse(""));
  }

  @Override
  public synchronized void accept(List<String> offerIds, List<TaskLaunch> launches,
      Duration refuse) {
    accepts.add(new Accept(List.copyOf(offerIds), List.copyOf(launches), refuse));
    calls.add("accept " + offerIds + " " + launches.stream().map(TaskLaunch::mesosTaskId).toList());
  }

  /**
   * Records an ACCEPT with pods: in {@link #accepts()} with its single launches, each pod in
   * {@link #groupLaunches()}, and in {@link #calls()} as
   * {@code "accept [o1] [t.1] groups [pod-p.1 [p.a.1, p.b.1]]"}. Without pods it is the
   * three-argument accept.
   *
   * @param offerIds the offers, all of one agent
   * @param launches the single tasks
   * @param groups the pods
   * @param refuse how long the master should not re-offer what is left
   */
  @Override
  public synchronized void accept(List<String> offerIds, List<TaskLaunch> launches,
      List<TaskGroupLaunch> groups, Duration refuse) {
    if (groups.isEmpty()) {
      accept(offerIds, launches, refuse);
      return;
    }
    accepts.add(new Accept(List.copyOf(offerIds), List.copyOf(launches), refuse));
    groupLaunches.addAll(groups);
    calls.add("accept " + offerIds + " " + launches.stream().map(TaskLaunch::mesosTaskId).toList()
        + " groups " + groups.stream().map(g -> g.executorId() + " "
            + g.tasks().stream().map(TaskLaunch::mesosTaskId).toList()).toList());
  }

  @Override
  public synchronized void decline(List<String> offerIds, Duration refuse) {
    declines.add(new Decline(List.copyOf(offerIds), refuse));
    calls.add("decline " + offerIds);
  }

  @Override
  public synchronized void revive() {
    calls.add("revive");
  }

  @Override
  public synchronized void suppress() {
    calls.add("suppress");
  }

  @Override
  public synchronized void kill(String mesosTaskId, String agentId) {
    kills.add(mesosTaskId);
    calls.add("kill " + mesosTaskId);
  }

  /**
   * Records a kill with its own grace period as {@code "kill <task> grace=<duration>"} in
   * {@link #calls()}, and the task in {@link #kills()}.
   *
   * @param mesosTaskId the Mesos task id
   * @param agentId the agent it runs on, if known
   * @param gracePeriod the grace period of this kill
   */
  @Override
  public synchronized void kill(String mesosTaskId, String agentId, Duration gracePeriod) {
    kills.add(mesosTaskId);
    calls.add("kill " + mesosTaskId + " grace=" + gracePeriod);
  }

  @Override
  public synchronized void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
    acks.add(new Ack(agentId, mesosTaskId, new String(uuid, StandardCharsets.UTF_8)));
    calls.add("ack " + mesosTaskId);
  }

  @Override
  public synchronized void reconcile(List<ReconcileTask> tasks) {
    reconciles.add(List.copyOf(tasks));
    calls.add("reconcile " + tasks.stream().map(ReconcileTask::mesosTaskId).toList());
  }

  @Override
  public synchronized void message(String agentId, String executorId, byte[] data) {
    calls.add("message " + agentId + " " + executorId);
  }

  @Override
  public synchronized void teardown() {
    tornDown = true;
    calls.add("teardown");
    if (teardownFailure != null) {
      throw new dev.mesoskit.core.MesosKitException(teardownFailure);
    }
  }

  /**
   * Makes every later {@link #teardown()} fail as a backend does whose master did not confirm it.
   *
   * @param message the failure's message
   */
  public synchronized void failTeardown(String message) {
    this.teardownFailure = message;
  }

  /**
   * Records the update, or throws {@link UnsupportedOperationException} as the default does after
   * {@link #rejectUpdateFramework()}.
   */
  @Override
  public synchronized void updateFramework(FrameworkInfo frameworkInfo) {
    if (updateFrameworkUnsupported) {
      calls.add("updateFramework unsupported");
      SchedulerBackend.super.updateFramework(frameworkInfo);
    }
    frameworkUpdates.add(frameworkInfo);
    calls.add("updateFramework " + new java.util.TreeSet<>(frameworkInfo.capabilities()));
  }

  /** From now on {@link #updateFramework} throws, as for a backend that cannot update. */
  public void rejectUpdateFramework() {
    updateFrameworkUnsupported = true;
  }

  /**
   * The framework information of every UPDATE_FRAMEWORK call so far.
   *
   * @return the updates, in order
   */
  public synchronized List<FrameworkInfo> frameworkUpdates() {
    return List.copyOf(frameworkUpdates);
  }

  @Override
  public synchronized void close() {
    closed = true;
    calls.add("close");
  }

  // ---------------------------------------------------------------- pushing events

  /**
   * The framework's event sink, to push any event.
   *
   * @return the sink given to {@link #subscribe}
   */
  public SchedulerEvents events() {
    if (events == null) {
      throw new IllegalStateException("the framework has not subscribed yet; call start()");
    }
    return events;
  }

  /**
   * Pushes SUBSCRIBED with a 15 s heartbeat.
   *
   * @param frameworkId the id the master assigns
   */
  public void subscribed(String frameworkId) {
    events().subscribed(frameworkId, Duration.ofSeconds(15));
  }

  /** Pushes a HEARTBEAT, as the master sends one every heartbeat interval. */
  public void heartbeat() {
    events().heartbeat();
  }

  /**
   * Pushes RESCIND of an offer.
   *
   * @param offerId the offer the master takes back
   */
  public void rescind(String offerId) {
    events().rescind(offerId);
  }

  /**
   * Pushes one offer of an agent, with a fresh offer id ({@code o1}, {@code o2}, ...).
   *
   * @param agentId the agent, also used as hostname ({@code agentId.host})
   * @param resources the resources in Mesos syntax
   * @return the offer pushed
   */
  public Offer offer(String agentId, String resources) {
    Offer o = Offer.of("o" + offerIds.incrementAndGet(), agentId, agentId + ".host",
        Resources.parse(resources));
    events().offers(List.of(o));
    return o;
  }

  /**
   * Builds an offer with a fresh id without pushing it.
   *
   * @param agentId the agent
   * @param resources the resources in Mesos syntax
   * @return the offer
   */
  public Offer newOffer(String agentId, String resources) {
    return newOffer(agentId, resources, null);
  }

  /**
   * Builds an offer with a fresh id without pushing it, its resources allocated to a role, as a
   * master offers them to a framework of several roles.
   *
   * @param agentId the agent
   * @param resources the resources in Mesos syntax
   * @param allocationRole the role every resource is allocated to, or null for none
   * @return the offer
   */
  public Offer newOffer(String agentId, String resources, String allocationRole) {
    Resources parsed = Resources.parse(resources);
    if (allocationRole != null) {
      List<Resource> allocated = new ArrayList<>();
      for (Resource r : parsed.list()) {
        allocated.add(r.withAllocationRole(allocationRole));
      }
      parsed = Resources.of(allocated);
    }
    return Offer.of("o" + offerIds.incrementAndGet(), agentId, agentId + ".host", parsed);
  }

  /**
   * Pushes an update that must be acknowledged, with a fresh uuid ({@code u1}, {@code u2}, ...).
   *
   * @param mesosTaskId the task id of the attempt, e.g. {@code t.1}
   * @param agentId the agent
   * @param state the state
   * @param reason the Mesos reason, or null
   * @param message the message, or null
   * @return the uuid of the update
   */
  public String update(String mesosTaskId, String agentId, TaskState state, String reason,
      String message) {
    String uuid = "u" + uuids.incrementAndGet();
    events().update(status(mesosTaskId, agentId, state, reason, message,
        Optional.of(uuid.getBytes(StandardCharsets.UTF_8))));
    return uuid;
  }

  /**
   * Pushes an update the master sends itself ({@code SOURCE_MASTER}), with a uuid to acknowledge:
   * e.g. {@code TASK_LOST} or {@code TASK_GONE} for a task on an agent that went away, which no
   * executor reports.
   *
   * @param mesosTaskId the task id of the attempt, e.g. {@code t.1}
   * @param agentId the agent
   * @param state the state
   * @param reason the Mesos reason, or null
   * @param message the message, or null
   * @return the uuid of the update
   */
  public String masterUpdate(String mesosTaskId, String agentId, TaskState state, String reason,
      String message) {
    String uuid = "u" + uuids.incrementAndGet();
    events().update(status(mesosTaskId, agentId, state, reason, message, "SOURCE_MASTER",
        Optional.of(uuid.getBytes(StandardCharsets.UTF_8))));
    return uuid;
  }

  /**
   * Pushes an update without uuid, as reconciliation answers come.
   *
   * @param mesosTaskId the task id of the attempt
   * @param agentId the agent
   * @param state the state
   */
  public void reconciliationAnswer(String mesosTaskId, String agentId, TaskState state) {
    events().update(status(mesosTaskId, agentId, state, "REASON_RECONCILIATION",
        "Reconciliation: Latest task state", "SOURCE_MASTER", Optional.empty()));
  }

  /**
   * Pushes an update that must be acknowledged, carrying the results of the task's checks, as
   * an executor that runs them sends: {@code TASK_RUNNING} with {@code healthy} or
   * {@code check_status}, or {@code TASK_KILLED} with {@code healthy: false} when it killed the
   * task for failing its health check.
   *
   * @param mesosTaskId the task id of the attempt, e.g. {@code t.1}
   * @param agentId the agent
   * @param state the state
   * @param message the message, or null
   * @param healthy the health verdict, if any
   * @param check the check result, if any
   * @return the uuid of the update
   */
  public String update(String mesosTaskId, String agentId, TaskState state, String message,
      Optional<Boolean> healthy, Optional<CheckResult> check) {
    String uuid = "u" + uuids.incrementAndGet();
    events().update(new TaskStatus(mesosTaskId, state, Optional.ofNullable(message),
        Optional.empty(), Optional.of("SOURCE_EXECUTOR"), Optional.ofNullable(agentId),
        Optional.empty(), Optional.of(uuid.getBytes(StandardCharsets.UTF_8)), Instant.EPOCH,
        Optional.empty(), healthy, check));
    return uuid;
  }


  private static TaskStatus status(String mesosTaskId, String agentId, TaskState state,
      String reason, String message, Optional<byte[]> uuid) {
    return status(mesosTaskId, agentId, state, reason, message, "SOURCE_EXECUTOR", uuid);
  }

  private static TaskStatus status(String mesosTaskId, String agentId, TaskState state,
      String reason, String message, String source, Optional<byte[]> uuid) {
    return new TaskStatus(mesosTaskId, state, Optional.ofNullable(message),
        Optional.ofNullable(reason), Optional.of(source), Optional.ofNullable(agentId),
        Optional.empty(), uuid, Instant.EPOCH);
  }

  // ---------------------------------------------------------------- reading calls

  /**
   * Every call so far, in order, as text.
   *
   * @return e.g. {@code [subscribe, suppress, revive, accept [o1] [t.1]]}
   */
  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  /**
   * The ACCEPT calls so far.
   *
   * @return the accepts
   */
  public synchronized List<Accept> accepts() {
    return List.copyOf(accepts);
  }

  /**
   * Every launch of every ACCEPT so far.
   *
   * @return the launches in order
   */
  public synchronized List<TaskLaunch> launches() {
    return accepts.stream().flatMap(a -> a.launches().stream()).toList();
  }

  /**
   * Every pod launched by an ACCEPT so far ({@code LAUNCH_GROUP}).
   *
   * @return the pods' launches in order
   */
  public synchronized List<TaskGroupLaunch> groupLaunches() {
    return List.copyOf(groupLaunches);
  }

  /**
   * The DECLINE calls so far.
   *
   * @return the declines
   */
  public synchronized List<Decline> declines() {
    return List.copyOf(declines);
  }

  /**
   * The RECONCILE calls so far; an empty list is an implicit reconciliation.
   *
   * @return the reconciliations
   */
  public synchronized List<List<ReconcileTask>> reconciles() {
    return List.copyOf(reconciles);
  }

  /**
   * The ACKNOWLEDGE calls so far.
   *
   * @return the acknowledgements
   */
  public synchronized List<Ack> acks() {
    return List.copyOf(acks);
  }

  /**
   * The Mesos task ids killed so far.
   *
   * @return the kills
   */
  public synchronized List<String> kills() {
    return List.copyOf(kills);
  }

  /** Forgets the calls recorded so far, to assert on what comes next. */
  public synchronized void clearCalls() {
    calls.clear();
    accepts.clear();
    groupLaunches.clear();
    declines.clear();
    reconciles.clear();
    acks.clear();
    kills.clear();
  }

  /**
   * What the framework subscribed with.
   *
   * @return the framework info
   */
  public FrameworkInfo info() {
    return info;
  }

  /**
   * Whether {@link #close()} was called.
   *
   * @return true once closed
   */
  public boolean closed() {
    return closed;
  }

  /**
   * Whether {@link #teardown()} was called.
   *
   * @return true once torn down
   */
  public boolean tornDown() {
    return tornDown;
  }
}
