package dev.mesoskit.core;

import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.spi.SchedulerBackend;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * {@link Framework#tearDown}: subscribes as the framework of an earlier run and tears it down.
 * One of the entry points of the package, beside {@link Framework}.
 */
final class FrameworkTearDown {
  private FrameworkTearDown() {}

  /**
   * Tears down the framework whose id {@code store} holds.
   *
   * @param name the framework's name
   * @param store where the earlier run kept its id
   * @param build builds the framework that subscribes with that id
   * @param backend the backend {@code build} uses, closed when building fails
   * @param timeout for the subscription and for the teardown each
   * @return true when torn down, false when there was nothing to tear down
   */
  static boolean run(String name, FrameworkIdStore store, Supplier<Framework> build,
      SchedulerBackend backend, Duration timeout) {
    Optional<String> id = store.load();
    if (id.isEmpty()) {
      return false;
    }
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
          // The master removed it already (failover timeout, or an operator): nothing to do.
          store.clear();
          return false;
        }
        throw e;
      }
      LoggerFactory.getLogger(Framework.class).info(
          "tearing down the framework of an earlier run name={} framework_id={}", name, id.get());
      if (!previous.finish(timeout)) {
        throw new MesosKitException("framework " + name + " (" + id.get()
            + ") was not torn down within " + timeout);
      }
      Optional<MesosKitException> failure = previous.teardownFailure();
      if (failure.isPresent()) {
        throw new MesosKitException("framework " + name + " (" + id.get()
            + ") was not torn down: " + failure.get().getMessage(), failure.get());
      }
    }
    return true;
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
