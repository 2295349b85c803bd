package dev.mesoskit.core.zookeeper;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.FrameworkListener;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.ReconcileTask;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.StateStore;
import dev.mesoskit.core.spi.TaskGroupLaunch;
import dev.mesoskit.core.spi.TaskLaunch;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One scheduler instance of the highly available batch framework {@code ha-batch}, run as its own
 * JVM by {@link HighAvailabilityIT}: it contends for the leadership in ZooKeeper, and once it
 * leads submits tasks {@code t-000} to {@code t-<N-1>} (the same specs on every run, so a new
 * leader's submissions are the tasks it recovered) and waits for each one's outcome.
 *
 * <pre>
 * --master=127.0.0.1:PORT --zk=zk://127.0.0.1:PORT/path --tasks=N --session-timeout=MS
 * [--sleep=SECONDS] --kill-at=none|launch-persist:K|accept:K|ack:K
 * </pre>
 *
 * <p>It prints, one line each, flushed at once: {@code LEADING <millis>};
 * {@code ENDED <task> <state>} as each task gets its outcome;
 * {@code OUTCOME <task> <state> <attempt>} for every task and {@code DONE} once all have one, then it finishes the framework and exits 0;
 * {@code FAILED <millis> <message>} when the framework fails (it lost its leadership), then it
 * exits 3. At its kill point it prints {@code KILLPOINT <kind> <millis>} and blocks the calling
 * thread for ever, for the test to kill the JVM:
 * <ul>
 *   <li>{@code launch-persist:K}: the state store write that persists the launch of the K-th task
 *       (counting every task whose launch a write persists), before it reaches the store;
 *   <li>{@code accept:K}: the K-th {@code accept} call of the backend, before it is sent (the
 *       launches are persisted, never sent);
 *   <li>{@code ack:K}: the K-th {@code acknowledge} call, before it is sent (the update's effect
 *       is persisted, the acknowledgement never sent).
 * </ul>
 */
public final class HaBatchProgram {
  /** Exit code of an instance whose framework failed, e.g. as it lost its leadership. */
  static final int EXIT_FAILED = 3;

  /** Exit code of an instance whose tasks did not all end in time. */
  static final int EXIT_TIMEOUT = 4;

  private static final Duration OUTCOMES_TIMEOUT = Duration.ofSeconds(120);

  private static final AtomicBoolean failedPrinted = new AtomicBoolean();

  private HaBatchProgram() {}

  /** Where this instance stops for the test to kill it. */
  record KillPoint(String kind, int count) {
    static final KillPoint NONE = new KillPoint("none", 0);

    static KillPoint parse(String text) {
      if (text.equals("none")) {
        return NONE;
      }
      String[] parts = text.split(":", 2);
      if (parts.length != 2 || !Set.of("launch-persist", "accept", "ack").contains(parts[0])) {
        throw new IllegalArgumentException(
            "--kill-at must be none, launch-persist:K, accept:K or ack:K but was '" + text + "'");
      }
      int count = Integer.parseInt(parts[1]);
      if (count < 1) {
        throw new IllegalArgumentException("--kill-at's K must be >= 1 but was " + count);
      }
      return new KillPoint(parts[0], count);
    }

    boolean is(String kind) {
      return this.kind.equals(kind);
    }

    /** Prints the line the test waits for, then blocks the calling thread for ever. */
    void reached() {
      print("KILLPOINT " + kind + " " + System.currentTimeMillis());
      CountDownLatch never = new CountDownLatch(1);
      while (true) {
        try {
          never.await();
        } catch (InterruptedException e) {
          // keep blocking: only SIGKILL ends this instance
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (!arg.startsWith("--") || !arg.contains("=")) {
        throw new IllegalArgumentException("arguments must be --name=value but one was '" + arg
            + "'");
      }
      options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
    }
    String master = required(options, "master");
    String zk = required(options, "zk");
    int tasks = Integer.parseInt(required(options, "tasks"));
    Duration sessionTimeout = Duration.ofMillis(Long.parseLong(required(options,
        "session-timeout")));
    String sleep = options.getOrDefault("sleep", "0.2");
    KillPoint killAt = KillPoint.parse(options.getOrDefault("kill-at", "none"));

    ZooKeeperHa ha = ZooKeeperHa.builder().url(zk).sessionTimeout(sessionTimeout)
        .connectionTimeout(sessionTimeout.dividedBy(2)).connect();
    Framework framework = Framework.builder()
        .name("ha-batch")
        .backend(new KillingBackend(Backends.fromArgs("--master=" + master), killAt))
        .stateStore(new KillingStore(ha.stateStore(), killAt))
        .leaderElection(ha.election())
        .refuse(Duration.ofMillis(200))
        .reconcileBackoff(Duration.ofMillis(200), Duration.ofSeconds(1))
        .frameworkListener(new FrameworkListener() {
          @Override
          public void failed(Throwable cause) {
            printFailed(cause.getMessage());
          }
        })
        .build();
    Thread watcher = new Thread(() -> {
      try {
        framework.awaitTermination();
      } catch (MesosKitException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        printFailed(cause.getMessage());
        Runtime.getRuntime().halt(EXIT_FAILED);
      }
    }, "ha-batch-watcher");
    watcher.setDaemon(true);
    watcher.start();

    framework.start();
    try {
      framework.awaitLeadership(null);
    } catch (MesosKitException e) {
      printFailed(e.getMessage());
      Runtime.getRuntime().halt(EXIT_FAILED);
    }
    print("LEADING " + System.currentTimeMillis());

    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < tasks; i++) {
      String id = String.format("t-%03d", i);
      TaskId submitted = framework.submit(TaskSpec.builder().id(id).name(id)
          .resources("cpus:0.1;mem:16").command("sleep " + sleep).build());
      framework.outcome(submitted)
          .thenAccept(task -> print("ENDED " + task.id() + " " + task.state()));
      ids.add(submitted);
    }
    long deadline = System.nanoTime() + OUTCOMES_TIMEOUT.toNanos();
    List<Task> outcomes = new ArrayList<>();
    for (TaskId id : ids) {
      try {
        outcomes.add(framework.outcome(id).get(Math.max(0, deadline - System.nanoTime()),
            TimeUnit.NANOSECONDS));
      } catch (java.util.concurrent.TimeoutException e) {
        print("TIMEOUT " + System.currentTimeMillis() + " no outcome for " + id + " within "
            + OUTCOMES_TIMEOUT);
        Runtime.getRuntime().halt(EXIT_TIMEOUT);
      } catch (java.util.concurrent.ExecutionException e) {
        // the framework failed: the watcher prints it and ends this instance
        watcher.join();
      }
    }
    for (Task task : outcomes) {
      print("OUTCOME " + task.id() + " " + task.state() + " " + task.attempt());
    }
    print("DONE");
    framework.finish(Duration.ofSeconds(30));
    framework.close();
    ha.close();
    System.exit(0);
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  private static void printFailed(String message) {
    if (failedPrinted.compareAndSet(false, true)) {
      print("FAILED " + System.currentTimeMillis() + " " + message);
    }
  }

  private static synchronized void print(String line) {
    System.out.println(line);
    System.out.flush();
  }

  // ================================================================== the wrappers

  /**
   * The state store, stopping at the write that persists the K-th task launch. A task's first
   * write holds its spec and its state (its submission); the next write of its state without its
   * spec is its launch. A write that holds both a spec and a state marked launched (a submission
   * flushed together with the launch) persists a launch too.
   */
  static final class KillingStore implements StateStore {
    private static final String SPEC = "spec:";
    private static final String STATE = "state:";

    private final StateStore store;
    private final KillPoint killAt;
    private final Set<String> submittedOnly = new HashSet<>();
    private int launches;

    KillingStore(StateStore store, KillPoint killAt) {
      this.store = store;
      this.killAt = killAt;
    }

    @Override
    public void open() {
      store.open();
    }

    @Override
    public Map<String, byte[]> load() {
      return store.load();
    }

    @Override
    public void apply(Map<String, byte[]> puts, Set<String> deletes) {
      int launched = 0;
      for (Map.Entry<String, byte[]> e : puts.entrySet()) {
        if (!e.getKey().startsWith(STATE)) {
          continue;
        }
        String task = e.getKey().substring(STATE.length());
        if (puts.containsKey(SPEC + task)) {
          if (launchedFlag(e.getValue()).orElse(false)) {
            launched++;
          } else {
            submittedOnly.add(task);
          }
        } else if (submittedOnly.remove(task)) {
          launched++;
        }
      }
      if (launched > 0) {
        System.err.println("ha-batch: write persists launches=" + launched + " total="
            + (launches + launched));
      }
      if (killAt.is("launch-persist") && launches < killAt.count()
          && launches + launched >= killAt.count()) {
        killAt.reached();
      }
      launches += launched;
      store.apply(puts, deletes);
    }

    @Override
    public void clear() {
      store.clear();
    }

    @Override
    public void close() {
      store.close();
    }

    /**
     * The {@code launched} component of a stored task state, read from the leading fixed-size
     * components of sdk-core's record format (magic, version, RECORD tag, count, then named,
     * tagged components), or empty when it is not among them.
     */
    private static Optional<Boolean> launchedFlag(byte[] value) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(value))) {
        in.readInt(); // magic
        in.readByte(); // version
        in.readByte(); // RECORD
        int count = in.readInt();
        for (int i = 0; i < count; i++) {
          byte[] name = new byte[in.readInt()];
          in.readFully(name);
          int tag = in.readByte();
          if (tag == 1) { // BOOLEAN
            boolean flag = in.readByte() != 0;
            if (new String(name, UTF_8).equals("launched")) {
              return Optional.of(flag);
            }
          } else if (tag == 2) { // INT
            in.readInt();
          } else if (tag == 3) { // LONG
            in.readLong();
          } else {
            return Optional.empty();
          }
        }
      } catch (IOException e) {
        return Optional.empty();
      }
      return Optional.empty();
    }
  }

  /** The HTTP backend, stopping at the K-th accept or acknowledge call before it is sent. */
  static final class KillingBackend implements SchedulerBackend {
    private final SchedulerBackend backend;
    private final KillPoint killAt;
    private final AtomicInteger accepts = new AtomicInteger();
    private final AtomicInteger acks = new AtomicInteger();

    KillingBackend(SchedulerBackend backend, KillPoint killAt) {
      this.backend = backend;
      this.killAt = killAt;
    }

    private void accepting() {
      if (accepts.incrementAndGet() == killAt.count() && killAt.is("accept")) {
        killAt.reached();
      }
    }

    @Override
    public void subscribe(FrameworkInfo info, SchedulerEvents events) {
      backend.subscribe(info, events);
    }

    @Override
    public void accept(List<String> offerIds, List<TaskLaunch> launches, Duration refuse) {
      accepting();
      backend.accept(offerIds, launches, refuse);
    }

    @Override
    public void accept(List<String> offerIds, List<TaskLaunch> launches,
        List<TaskGroupLaunch> groups, Duration refuse) {
      accepting();
      backend.accept(offerIds, launches, groups, refuse);
    }

    @Override
    public void updateFramework(FrameworkInfo info) {
      backend.updateFramework(info);
    }

    @Override
    public void decline(List<String> offerIds, Duration refuse) {
      backend.decline(offerIds, refuse);
    }

    @Override
    public void revive() {
      backend.revive();
    }

    @Override
    public void suppress() {
      backend.suppress();
    }

    @Override
    public void kill(String mesosTaskId, String agentId) {
      backend.kill(mesosTaskId, agentId);
    }

    @Override
    public void kill(String mesosTaskId, String agentId, Duration gracePeriod) {
      backend.kill(mesosTaskId, agentId, gracePeriod);
    }

    @Override
    public void acknowledge(String agentId, String mesosTaskId, byte[] uuid) {
      if (acks.incrementAndGet() == killAt.count() && killAt.is("ack")) {
        killAt.reached();
      }
      backend.acknowledge(agentId, mesosTaskId, uuid);
    }

    @Override
    public void reconcile(List<ReconcileTask> tasks) {
      backend.reconcile(tasks);
    }

    @Override
    public void message(String agentId, String executorId, byte[] data) {
      backend.message(agentId, executorId, data);
    }

    @Override
    public void teardown() {
      backend.teardown();
    }

    @Override
    public void close() {
      backend.close();
    }

    @Override
    public String toString() {
      return backend.toString();
    }
  }
}
