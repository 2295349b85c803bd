package dev.mesoskit.core;

import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.StateStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * {@link Framework#tearDown}: subscribes as the framework of an earlier run and tears it down.
 * One of the entry points of the package, beside {@link Framework}.
 */
final class FrameworkTearDown {
  /** The key of the framework id in a state store (as the runtime writes it). */
  private static final String FRAMEWORK_ID = "framework-id";

  private FrameworkTearDown() {}

  /**
   * Tears down the framework whose id {@code store} holds.
   *
   * @param name the framework's name
   * @param stores where the earlier run kept its id (and tasks)
   * @param build builds the framework that subscribes with that id
   * @param backend the backend {@code build} uses, closed when building fails
   * @param timeout for the subscription and for the teardown each
   * @return true when torn down, false when there was nothing to tear down
   */
  static boolean run(String name, FrameworkSettings.Stores stores, Supplier<Framework> build,
      SchedulerBackend backend, Duration timeout) {
    Optional<String> id = storedId(stores);
    if (id.isEmpty()) {
      return false;
    }
    boolean removed = false;
    Framework previous;
    try {
      previous = build.get();
    } catch (RuntimeException e) {
      closeQuietly(backend);
      throw e;
    }
    try (previous) {
      previous.start();
      try {
        previous.awaitSubscribed(timeout);
      } catch (MesosKitException e) {
        if (String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
            .contains(": Framework has been removed")) {
          // The master removed it already (failover timeout, or an operator): nothing to do
          // but forget it, once the framework let the store go.
          removed = true;
        } else {
          throw e;
        }
      }
      if (!removed) {
        tearDown(name, id.get(), previous, timeout);
      }
    }
    if (removed) {
      clear(stores);
      return false;
    }
    return true;
  }

  private static void tearDown(String name, String id, Framework previous, Duration timeout) {
    LoggerFactory.getLogger(Framework.class).info(
        "tearing down the framework of an earlier run name={} framework_id={}", name, id);
    previous.killAll(); // the tasks it recovered from its state store, if any
    if (!previous.finish(timeout)) {
      throw new MesosKitException("framework " + name + " (" + id
          + ") was not torn down within " + timeout);
    }
    Optional<MesosKitException> failure = previous.teardownFailure();
    if (failure.isPresent()) {
      throw new MesosKitException("framework " + name + " (" + id
          + ") was not torn down: " + failure.get().getMessage(), failure.get());
    }
  }

  /** The id an earlier run stored, read while no framework holds the store. */
  private static Optional<String> storedId(FrameworkSettings.Stores stores) {
    if (stores.state() == null) {
      return stores.id().load();
    }
    StateStore store = stores.state();
    store.open();
    try {
      return Optional.ofNullable(store.load().get(FRAMEWORK_ID))
          .map(b -> new String(b, StandardCharsets.UTF_8))
          .or(() -> stores.id().load()); // kept alone by an earlier version's run
    } finally {
      store.close();
    }
  }

  private static void clear(FrameworkSettings.Stores stores) {
    if (stores.state() == null) {
      stores.id().clear();
      return;
    }
    stores.id().clear();
    stores.state().open();
    try {
      stores.state().clear();
    } finally {
      stores.state().close();
    }
  }

  private static void closeQuietly(SchedulerBackend backend) {
    if (backend != null) {
      try {
        backend.close();
      } catch (RuntimeException ignored) {
        // already failing: the build's exception is the one to see
      }
    }
  }
}
