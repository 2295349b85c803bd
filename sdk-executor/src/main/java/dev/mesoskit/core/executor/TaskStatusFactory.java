package dev.mesoskit.core.executor;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.LaunchedTask;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Clock;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Makes the status updates an {@link ExecutorRuntime} sends for its tasks: from the executor, with
 * a fresh RFC 4122 version 4 uuid from the injected random source and the injected clock's time.
 * Every update of a task with a readiness check carries a {@code check_status}: the one given, or
 * the empty result of the check's kind, as Mesos' command executor sends it.
 * Safe from any thread (the random source is used under its own monitor).
 */
final class TaskStatusFactory {
  private static final String SOURCE_EXECUTOR = "SOURCE_EXECUTOR";

  private final RandomGenerator random;
  private final Clock clock;

  TaskStatusFactory(RandomGenerator random, Clock clock) {
    this.random = random;
    this.clock = clock;
  }

  TaskStatus create(LaunchedTask task, TaskState state, Optional<String> message,
      Optional<String> reason, Optional<byte[]> data) {
    return create(task, state, message, reason, data, Optional.empty(), Optional.empty());
  }

  TaskStatus create(LaunchedTask task, TaskState state, Optional<String> message,
      Optional<String> reason, Optional<byte[]> data, Optional<Boolean> healthy,
      Optional<CheckResult> checkStatus) {
    Optional<CheckResult> check = task.readinessCheck().isEmpty() ? Optional.empty()
        : checkStatus.or(() -> task.readinessCheck()
            .map(c -> CheckResult.pending(c.probe().kind())));
    return new TaskStatus(task.mesosTaskId(), state, message, reason,
        Optional.of(SOURCE_EXECUTOR), Optional.of(task.agentId()), Optional.of(task.executorId()),
        Optional.of(newUuid()), clock.instant(), data, healthy, check);
  }

  /** An RFC 4122 version 4 UUID: agents refuse updates whose uuid has no known version. */
  private byte[] newUuid() {
    byte[] uuid = new byte[16];
    synchronized (random) {
      random.nextBytes(uuid);
    }
    uuid[6] = (byte) ((uuid[6] & 0x0f) | 0x40);
    uuid[8] = (byte) ((uuid[8] & 0x3f) | 0x80);
    return uuid;
  }
}
