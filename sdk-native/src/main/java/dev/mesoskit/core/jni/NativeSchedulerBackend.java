package dev.mesoskit.core.jni;

import com.google.protobuf.ByteString;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.mesos.Protos;
import org.apache.mesos.SchedulerDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchedulerBackend} over libmesos' JNI scheduler driver ({@code --driver=native}), for
 * clusters where the v1 HTTP API is not an option. It needs libmesos on the scheduler's machine
 * ({@code MESOS_NATIVE_JAVA_LIBRARY}); nothing is loaded until {@link #subscribe}.
 *
 * <pre>{@code
 * SchedulerBackend backend = NativeSchedulerBackend.builder()
 *     .master("zk://zk1:2181,zk2:2181/mesos")
 *     .principal("my-framework")
 *     .secretFile(Path.of("/etc/mesos/my-framework.secret"))
 *     .build();
 * Framework framework = Framework.builder().name("my-framework").backend(backend).build();
 * }</pre>
 *
 * <p>How the SPI maps onto the driver: the driver is created with implicit acknowledgements off
 * (the framework acknowledges every update that carries a uuid), {@code accept} is one
 * {@code acceptOffers} with a LAUNCH operation and one LAUNCH_GROUP operation per pod,
 * {@code updateFramework} is the driver's {@code updateFramework}, {@code decline} is one {@code declineOffer} per
 * offer, {@link #teardown()} is {@code stop(false)} (the master removes the framework and kills its
 * tasks) and {@link #close()} is {@code stop(true)} (the tasks keep running for the failover
 * timeout). libmesos re-registers by itself after a disconnection or a master failover.
 *
 * <p>Threading: every method is safe from any thread. libmesos calls back on its own thread, one
 * callback at a time; they reach {@link SchedulerEvents} on that thread, so implementations hand
 * each event to their own thread and return at once (the framework's event loop does). A driver
 * call the driver refuses (it answers a status other than {@code DRIVER_RUNNING}, e.g. after an
 * ERROR aborted it) is logged and dropped, never thrown: the framework recovers by
 * reconciliation. Calls after {@link #close()} are dropped.
 */
public final class NativeSchedulerBackend implements SchedulerBackend {
  private static final Logger log = LoggerFactory.getLogger(NativeSchedulerBackend.class);

  /** {@code host:port}, optionally as the libprocess UPID {@code master@host:port}. */
  private static final Pattern HOST_PORT = Pattern.compile("(master@)?[^\\s:/@,]+:\\d{1,5}");

  private enum State { LATENT, STARTED, CLOSED }

  private final String master;
  private final Optional<String> principal;
  private final Optional<Path> secretFile;
  private final Function<DriverRequest, SchedulerDriver> driverFactory;

  // Guarded by this: subscribe, teardown and close change them together.
  private State state = State.LATENT;
  private volatile SchedulerDriver driver;
  private volatile DriverCallbacks callbacks;
  /** Whether {@code suppressOffers} was the last of suppress and revive. */
  private volatile boolean suppressed;

  private NativeSchedulerBackend(Builder b) {
    this.master = b.master;
    this.principal = Optional.ofNullable(b.principal);
    this.secretFile = Optional.ofNullable(b.secretFile);
    this.driverFactory = b.driverFactory;
  }

  /**
   * A backend for {@code master} without authentication.
   *
   * @param master {@code host:port} or {@code zk://host:port[,host:port]/path}
   * @return the backend
   * @throws IllegalArgumentException when the master is not in a form libmesos takes
   */
  public static NativeSchedulerBackend create(String master) {
    return builder().master(master).build();
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this backend's settings.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder().master(master);
    b.principal = principal.orElse(null);
    b.secretFile = secretFile.orElse(null);
    b.driverFactory = driverFactory;
    return b;
  }

  // ---------------------------------------------------------------- lifecycle

  /**
   * Creates the driver and starts it; registration happens on libmesos' thread and is reported
   * through {@link SchedulerEvents#subscribed}.
   *
   * @throws IllegalStateException when called twice or after {@link #close()}
   * @throws IllegalArgumentException when the backend's principal differs from the framework's
   * @throws MesosKitException when libmesos cannot be loaded (the message says what was tried),
   *     the secret file cannot be read, or the driver does not start
   */
  @Override
  public synchronized void subscribe(FrameworkInfo info, SchedulerEvents events) {
    Objects.requireNonNull(info, "info must not be null");
    Objects.requireNonNull(events, "events must not be null");
    if (state != State.LATENT) {
      throw new IllegalStateException("subscribe must be called once on a native backend but it"
          + " was " + (state == State.STARTED ? "already subscribed"
              : "closed or failed to start"));
    }
    if (principal.isPresent() && info.principal().isPresent()
        && !principal.get().equals(info.principal().get())) {
      throw new IllegalArgumentException("the backend authenticates as principal '"
          + principal.get() + "' so the framework's principal must be the same but was '"
          + info.principal().get() + "'");
    }
    Protos.FrameworkInfo.Builder frameworkInfo = V0Conversions.frameworkInfo(info).toBuilder();
    principal.ifPresent(frameworkInfo::setPrincipal);
    Optional<Protos.Credential> credential = principal.map(p -> Protos.Credential.newBuilder()
        .setPrincipal(p)
        .setSecretBytes(ByteString.copyFrom(readSecret(secretFile.orElseThrow())))
        .build());
    DriverCallbacks scheduler = new DriverCallbacks(events, info.id());
    DriverRequest request = new DriverRequest(scheduler, frameworkInfo.build(), master, false,
        credential);
    state = State.CLOSED; // until the driver runs: a failed subscribe leaves nothing to close
    log.info("native driver starting master={} framework={} failover_from={} principal={}"
        + " implicit_acknowledgements=false", master, info.name(), info.id().orElse("none"),
        principal.orElse("none"));
    SchedulerDriver created = driverFactory.apply(request);
    Protos.Status status = created.start();
    if (status != Protos.Status.DRIVER_RUNNING) {
      throw new MesosKitException("the native scheduler driver did not start: master=" + master
          + " status=" + status);
    }
    driver = created;
    callbacks = scheduler;
    state = State.STARTED;
  }

  /**
   * Stops the driver with {@code failover=false}: the master removes the framework and kills its
   * tasks. The backend is closed afterwards.
   */
  @Override
  public synchronized void teardown() {
    stop(false);
  }

  /**
   * Stops the driver with {@code failover=true}: the framework stays registered and its tasks keep
   * running for the failover timeout. Idempotent.
   */
  @Override
  public synchronized void close() {
    stop(true);
  }

  private void stop(boolean failover) {
    if (state == State.LATENT) {
      state = State.CLOSED;
      return;
    }
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    Protos.Status status = driver.stop(failover);
    if (status == Protos.Status.DRIVER_STOPPED || status == Protos.Status.DRIVER_ABORTED) {
      log.info("native driver stopped failover={} status={}", failover, status);
    } else {
      log.warn("native driver did not stop cleanly failover={} status={}", failover, status);
    }
  }

  // ---------------------------------------------------------------- calls

  @Override
  public void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {
    SchedulerDriver d = running("accept");
    if (d == null) {
      return;
    }
    List<Protos.OfferID> ids = offerIds.stream().map(V0Conversions::offerId).toList();
    List<Protos.Offer.Operation> operations = launches.isEmpty()
        ? List.of()
        : List.of(Protos.Offer.Operation.newBuilder()
            .setType(Protos.Offer.Operation.Type.LAUNCH)
            .setLaunch(Protos.Offer.Operation.Launch.newBuilder()
                .addAllTaskInfos(launches.stream().map(V0Conversions::taskInfo).toList()))
            .build());
    sent("accept", d.acceptOffers(ids, operations, V0Conversions.filters(refuse)),
        "offers=" + offerIds + " tasks=" + launches.stream().map(TaskLaunch::mesosTaskId).toList());
  }

  /**
   * Accepts offers with one {@code acceptOffers}: a LAUNCH operation of {@code launches} (left
   * out when there are none but pods) and one LAUNCH_GROUP operation per pod, converted from
   * {@link dev.mesoskit.core.http.V1Conversions#launchGroup} through bytes. A pod needs the
   * framework id (its default executor's {@code framework_id}): before the driver registered,
   * the call is logged and dropped.
   *
   * @param offerIds the offers, all of one agent
   * @param launches single tasks
   * @param groups pods
   * @param refuse how long the master should not re-offer what is left
   */
  @Override
  public void accept(List<String> offerIds, List<TaskLaunch> launches,
      List<TaskGroupLaunch> groups, Duration refuse) {
    if (groups.isEmpty()) {
      accept(offerIds, launches, refuse);
      return;
    }
    SchedulerDriver d = running("accept");
    if (d == null) {
      return;
    }
    Optional<String> frameworkId = callbacks.frameworkId();
    if (frameworkId.isEmpty()) {
      log.warn("native driver not registered yet, accept dropped offers={} groups={}", offerIds,
          groups.stream().map(TaskGroupLaunch::executorId).toList());
      return;
    }
    List<Protos.OfferID> ids = offerIds.stream().map(V0Conversions::offerId).toList();
    List<Protos.Offer.Operation> operations = new ArrayList<>();
    if (!launches.isEmpty()) {
      operations.add(Protos.Offer.Operation.newBuilder()
          .setType(Protos.Offer.Operation.Type.LAUNCH)
          .setLaunch(Protos.Offer.Operation.Launch.newBuilder()
              .addAllTaskInfos(launches.stream().map(V0Conversions::taskInfo).toList()))
          .build());
    }
    for (TaskGroupLaunch g : groups) {
      operations.add(V0Conversions.launchGroup(g, frameworkId.get()));
    }
    sent("accept", d.acceptOffers(ids, operations, V0Conversions.filters(refuse)),
        "offers=" + offerIds + " tasks=" + launches.stream().map(TaskLaunch::mesosTaskId).toList()
            + " groups=" + groups.stream().map(TaskGroupLaunch::executorId).toList());
  }

  /**
   * Updates the framework through the driver's {@code updateFramework}, with the registered
   * framework id and the backend's principal; every role of the new information stays
   * suppressed when {@link #suppress()} was called after the last {@link #revive()} (the driver
   * replaces its suppressed roles with the ones given), and no offer constraints. libmesos
   * refuses (and logs) an update before registration.
   *
   * @param info the framework's information as it should now be
   */
  @Override
  public void updateFramework(FrameworkInfo info) {
    Objects.requireNonNull(info, "info must not be null");
    SchedulerDriver d = running("updateFramework");
    if (d == null) {
      return;
    }
    FrameworkInfo withId = callbacks.frameworkId().map(info::withId).orElse(info);
    Protos.FrameworkInfo.Builder frameworkInfo = V0Conversions.frameworkInfo(withId).toBuilder();
    principal.ifPresent(frameworkInfo::setPrincipal);
    List<String> suppressedRoles = suppressed ? withId.roles() : List.of();
    sent("updateFramework", d.updateFramework(frameworkInfo.build(), suppressedRoles,
        org.apache.mesos.scheduler.Protos.OfferConstraints.getDefaultInstance()),
        "roles=" + withId.roles() + " suppressed_roles=" + suppressedRoles);
  }

  @Override
  public void decline(List<String> offerIds, Duration refuse) {
    SchedulerDriver d = running("decline");
    if (d == null) {
      return;
    }
    Protos.Filters filters = V0Conversions.filters(refuse);
    for (String id : offerIds) {
      sent("decline", d.declineOffer(V0Conversions.offerId(id), filters), "offer=" + id);
    }
  }

  @Override
  public void revive() {
    SchedulerDriver d = running("revive");
    if (d != null) {
      suppressed = false;
      sent("revive", d.reviveOffers(), "");
    }
  }

  @Override
  public void suppress() {
    SchedulerDriver d = running("suppress");
    if (d != null) {
      suppressed = true;
      sent("suppress", d.suppressOffers(), "");
    }
  }

  /**
   * Kills a task. The v0 driver takes only the task id; {@code agentId} is not needed.
   *
   * @param mesosTaskId the Mesos task id
   * @param agentId ignored
   */
  @Override
  public void kill(String mesosTaskId, String agentId) {
    SchedulerDriver d = running("kill");
    if (d != null) {
      sent("kill", d.killTask(V0Conversions.taskId(mesosTaskId)), "task=" + mesosTaskId);
    }
  }

  /**
   * Kills a task. The v0 driver's {@code killTask} cannot carry a kill policy, so the grace
   * period is dropped (logged once per kill) and the task's own kill policy applies.
   *
   * @param mesosTaskId the Mesos task id
   * @param agentId ignored
   * @param gracePeriod ignored: the libmesos driver has no kill policy on a kill
   */
  @Override
  public void kill(String mesosTaskId, String agentId, Duration gracePeriod) {
    log.warn("the native driver cannot send a kill policy with a kill, the task's own applies"
        + " task={} grace_period={}", mesosTaskId, gracePeriod);
    kill(mesosTaskId, agentId);
  }

  @Override
  public void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
    SchedulerDriver d = running("acknowledge");
    if (d != null) {
      sent("acknowledge", d.acknowledgeStatusUpdate(
          V0Conversions.acknowledgement(agentId, mesosTaskId, uuid)),
          "task=" + mesosTaskId + " agent=" + agentId);
    }
  }

  @Override
  public void reconcile(List<ReconcileTask> tasks) {
    SchedulerDriver d = running("reconcile");
    if (d != null) {
      List<Protos.TaskStatus> statuses =
          tasks.stream().map(V0Conversions::reconciliation).toList();
      sent("reconcile", d.reconcileTasks(statuses), "tasks=" + tasks.size());
    }
  }

  @Override
  public void message(String agentId, String executorId, byte[] data) {
    SchedulerDriver d = running("message");
    if (d != null) {
      sent("message", d.sendFrameworkMessage(V0Conversions.executorId(executorId),
          V0Conversions.agentId(agentId), data.clone()),
          "agent=" + agentId + " executor=" + executorId);
    }
  }

  /** The driver, or null when the call is to be dropped because the backend is closed. */
  private synchronized SchedulerDriver running(String call) {
    if (state == State.LATENT) {
      throw new IllegalStateException(call + " needs a subscribed native backend: call subscribe"
          + " first");
    }
    if (state == State.CLOSED) {
      log.debug("native backend closed, call dropped call={}", call);
      return null;
    }
    return driver;
  }

  private static void sent(String call, Protos.Status status, String context) {
    if (status != Protos.Status.DRIVER_RUNNING) {
      log.warn("native driver refused a call, dropped (reconciliation recovers)"
          + " call={} status={}{}", call, status, context.isEmpty() ? "" : " " + context);
    }
  }

  private static byte[] readSecret(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MesosKitException("cannot read the secret file of the native driver: file=" + file
          + " problem=" + e, e);
    }
    int end = bytes.length;
    if (end > 0 && bytes[end - 1] == '\n') {
      end--;
      if (end > 0 && bytes[end - 1] == '\r') {
        end--;
      }
    }
    if (end == 0) {
      throw new IllegalArgumentException("secret file must hold the secret but was empty: " + file);
    }
    return Arrays.copyOf(bytes, end);
  }

  @Override
  public String toString() {
    return "NativeSchedulerBackend[master=" + master + ", principal=" + principal.orElse("none")
        + "]";
  }

  /**
   * Builds a {@link NativeSchedulerBackend}. Required: {@link #master(String)}. Defaults: no
   * authentication. {@link #principal(String)} and {@link #secretFile(Path)} go together: with
   * both, the driver authenticates (SASL CRAM-MD5) with the principal and the file's contents as
   * secret, and the principal becomes the framework's principal.
   */
  public static final class Builder {
    private String master;
    private String principal;
    private Path secretFile;
    private Function<DriverRequest, SchedulerDriver> driverFactory = new NativeDriverFactory();

    private Builder() {}

    /**
     * Sets the master as libmesos takes it.
     *
     * @param master {@code host:port} (or {@code master@host:port}),
     *     {@code zk://[user:pass@]host:port[,host:port]/path} or {@code file:///path} of a file
     *     holding one of these; required
     * @return this builder
     */
    public Builder master(String master) {
      this.master = master;
      return this;
    }

    /**
     * Sets the principal to authenticate as.
     *
     * @param principal default none; needs {@link #secretFile(Path)}
     * @return this builder
     */
    public Builder principal(String principal) {
      this.principal = principal;
      return this;
    }

    /**
     * Sets the file holding the secret, read when the backend subscribes. Its bytes are the
     * secret, except for one trailing line break ({@code \n} or {@code \r\n}), which editors add.
     * The secret never appears on a command line or in a log.
     *
     * @param secretFile default none; needs {@link #principal(String)}
     * @return this builder
     */
    public Builder secretFile(Path secretFile) {
      this.secretFile = secretFile;
      return this;
    }

    /** Replaces the libmesos driver, for tests. */
    Builder driverFactory(Function<DriverRequest, SchedulerDriver> driverFactory) {
      this.driverFactory = driverFactory;
      return this;
    }

    /**
     * Validates and builds the backend; libmesos is not touched until it subscribes.
     *
     * @return the backend
     * @throws IllegalArgumentException naming the setting that is missing or wrong
     */
    public NativeSchedulerBackend build() {
      if (master == null || master.isBlank()) {
        throw new IllegalArgumentException("master must be set and not blank but was " + master);
      }
      if (master.equals("local")) {
        throw new IllegalArgumentException("master 'local' is MesosKit's embedded cluster, which"
            + " the native driver cannot reach: use the HTTP backend for it");
      }
      if (!(master.startsWith("zk://") || master.startsWith("file://")
          || HOST_PORT.matcher(master).matches())) {
        throw new IllegalArgumentException("master must be host:port, zk://host:port[,host:port]"
            + "/path or file:///path for the native driver but was '" + master + "'"
            + (master.startsWith("http://") || master.startsWith("https://")
                ? " (http(s) URLs are for the HTTP backend)"
                : master.contains(",") ? " (several masters need zk://)" : ""));
      }
      if ((principal == null) != (secretFile == null)) {
        throw new IllegalArgumentException("principal and secretFile must be set together but"
            + " only " + (principal == null ? "secretFile" : "principal") + " was set");
      }
      if (principal != null && principal.isBlank()) {
        throw new IllegalArgumentException("principal must not be blank but was '" + principal
            + "'");
      }
      if (secretFile != null
          && !(Files.isRegularFile(secretFile) && Files.isReadable(secretFile))) {
        throw new IllegalArgumentException("secretFile must be a readable file but was "
            + secretFile + " (" + (!Files.exists(secretFile) ? "missing"
                : Files.isRegularFile(secretFile) ? "not readable" : "not a regular file") + ")");
      }
      Objects.requireNonNull(driverFactory, "driverFactory must not be null");
      return new NativeSchedulerBackend(this);
    }
  }
}
