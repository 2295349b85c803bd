package dev.mesoskit.core;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The checks and derived values of {@link Framework.Builder#build()}: the roles, the declared
 * capabilities, the durations' rules and the framework's own event thread.
 *
 * <p>Threading: stateless.
 */
final class FrameworkSettings {
  /** Mesos' capability of frameworks that handle partitioned agents (UNREACHABLE, ...). */
  static final String PARTITION_AWARE = "PARTITION_AWARE";
  /** Mesos' capability of frameworks that want offers of agents in other regions. */
  static final String REGION_AWARE = "REGION_AWARE";

  private FrameworkSettings() {}

  /** Checks the settings every framework must have: name, backend, user, role, and the rest. */
  static void requireSettings(String name, Object backend, String user, String role,
      Object packing, Object retryPolicy, Object clock) {
    requireIdentity(name, backend, user, role);
    requireNonNull(packing, "packing");
    requireNonNull(retryPolicy, "retryPolicy");
    requireNonNull(clock, "clock");
  }

  /**
   * The task listeners: those added, after the packing strategy when it is one that is not added
   * (a strategy that counts running tasks, for constraints, must hear of their ends).
   */
  static List<TaskListener> listeners(List<TaskListener> added, Object packing) {
    List<TaskListener> all = new ArrayList<>(added);
    if (packing instanceof TaskListener aware && !all.contains(aware)) {
      all.add(0, aware);
    }
    return all;
  }

  /** Checks the name, backend, user and role, which every framework must have. */
  static void requireIdentity(String name, Object backend, String user, String role) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must be set and not blank but was " + name);
    }
    if (backend == null) {
      throw new IllegalArgumentException("backend must be set but was null");
    }
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("user must not be blank but was " + user);
    }
    if (role == null || role.isBlank()) {
      throw new IllegalArgumentException("role must not be blank but was " + role);
    }
  }

  /** The framework's roles, the first one first; checks they are non-blank and distinct. */
  static List<String> roles(String role, List<String> extraRoles) {
    List<String> roles = new ArrayList<>();
    roles.add(role);
    for (String r : extraRoles) {
      if (r == null || r.isBlank() || roles.contains(r)) {
        throw new IllegalArgumentException(
            "roles must be non-blank and distinct but were " + role + ", " + extraRoles);
      }
      roles.add(r);
    }
    return roles;
  }

  /** The roles of {@link Framework#changeRoles}: non-blank and distinct, the first first. */
  static List<String> changedRoles(String first, String... more) {
    List<String> roles = new ArrayList<>();
    roles.add(first);
    if (more != null) {
      roles.addAll(java.util.Arrays.asList(more));
    }
    for (int i = 0; i < roles.size(); i++) {
      String r = roles.get(i);
      if (r == null || r.isBlank() || roles.subList(0, i).contains(r)) {
        throw new IllegalArgumentException(
            "roles must be non-blank and distinct but were " + roles);
      }
    }
    return roles;
  }

  /** Fails unless {@code timeout} is &gt;= 0. */
  static Duration checkTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0 but was " + timeout);
    }
    return timeout;
  }

  /** Where a framework that sets no id store keeps its id: a file under {@code ~/.mesoskit}. */
  static Path defaultIdFile(String name) {
    return Path.of(System.getProperty("user.home"), ".mesoskit", "frameworks",
        name == null ? "_" : name.replaceAll("[^A-Za-z0-9._-]", "_"), "framework-id");
  }

  /**
   * A framework's stores.
   *
   * @param state its state store; null when it keeps its id alone
   * @param id its id store: where the id is kept when {@code state} is null, else where an
   *     earlier run that kept its id alone left it (taken over once)
   */
  record Stores(dev.mesoskit.core.spi.StateStore state,
      dev.mesoskit.core.spi.FrameworkIdStore id) {}

  /**
   * The stores a builder's settings mean: the state store set (with the id store set, if any, to
   * take an earlier id over from); else the id store set, alone; else a file state store in
   * {@code ~/.mesoskit/frameworks/<name>/framework-id.state}, taking over the id a run of an
   * earlier version kept in {@code ~/.mesoskit/frameworks/<name>/framework-id}.
   */
  static Stores storeOf(dev.mesoskit.core.spi.StateStore state,
      dev.mesoskit.core.spi.FrameworkIdStore id, String name) {
    if (state != null) {
      return new Stores(state, id != null ? id : dev.mesoskit.core.spi.FrameworkIdStore.inMemory());
    }
    if (id != null) {
      return new Stores(null, id);
    }
    Path idFile = defaultIdFile(name);
    return new Stores(dev.mesoskit.core.spi.StateStore.file(
        idFile.resolveSibling("framework-id.state")),
        dev.mesoskit.core.spi.FrameworkIdStore.file(idFile));
  }

  /**
   * The capabilities declared at SUBSCRIBE: always PARTITION_AWARE, REGION_AWARE on request.
   * GPU_RESOURCES follows from the tasks submitted (see the runtime).
   */
  static Set<String> capabilities(boolean regionAware) {
    Set<String> capabilities = new LinkedHashSet<>();
    capabilities.add(PARTITION_AWARE);
    if (regionAware) {
      capabilities.add(REGION_AWARE);
    }
    return capabilities;
  }

  /** Checks the durations of the builder. */
  static void checkDurations(Duration failoverTimeout, Duration refuse, Duration reconcileInitial,
      Duration reconcileMax, Duration implicitReconcileInterval, Duration placementTimeout) {
    positive(failoverTimeout, "failoverTimeout", true);
    positive(refuse, "refuse", true);
    positive(reconcileInitial, "reconcileBackoff initial", false);
    positive(reconcileMax, "reconcileBackoff max", false);
    positive(implicitReconcileInterval, "implicitReconcileInterval", false);
    if (placementTimeout != null) {
      positive(placementTimeout, "placementTimeout", false);
    }
    if (reconcileMax.compareTo(reconcileInitial) < 0) {
      throw new IllegalArgumentException("reconcileBackoff max must be >= initial ("
          + reconcileInitial + ") but was " + reconcileMax);
    }
  }

  /**
   * The framework's own event thread. Timers still queued when it shuts down are dropped: a
   * task's timeout may be hours away, and a stopped framework ignores them anyway.
   */
  static ScheduledExecutorService eventThread(String name) {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "mesoskit-" + name + "-events");
      t.setDaemon(true);
      return t;
    });
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Fails with {@code "<field> must not be null"} when {@code value} is null. */
  static void requireNonNull(Object value, String field) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
  }

  private static void positive(Duration d, String field, boolean zeroAllowed) {
    if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
      throw new IllegalArgumentException(
          field + " must be " + (zeroAllowed ? ">= 0" : "> 0") + " but was " + d);
    }
  }
}
