package dev.mesoskit.core.http;

import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.testing.RecordingExecutorEvents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An executor's hot path, for {@link ExecutorCodecClassLoadingTest} to run in a class loader of
 * its own: subscribe, take a launch, send RUNNING and FINISHED and wait for their
 * acknowledgements, send a message, take the agent's other events. Speaks to its caller only in
 * JDK types, so that the caller's protobuf classes never meet this loader's.
 */
public final class ExecutorHotPathWorkout {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final HttpExecutorBackend backend;
  private final RecordingExecutorEvents events = new RecordingExecutorEvents();

  /**
   * Builds the backend and subscribes; returns once SUBSCRIBED came.
   *
   * @param endpoint the agent
   */
  public ExecutorHotPathWorkout(String endpoint) {
    backend = HttpExecutorBackend.builder().agentEndpoint(endpoint).frameworkId("fw-1")
        .executorId("exec-1").requestTimeout(WAIT).build();
    backend.subscribe(events);
    events.awaitLineStartingWith("subscribed", WAIT);
  }

  /**
   * Waits for the launch of {@code taskId}, then sends its updates and waits for their
   * acknowledgements, then sends a message.
   */
  public void runTask(String taskId) throws Exception {
    events.awaitLine("launch " + taskId, WAIT);
    int n = 0;
    for (TaskState state : List.of(TaskState.RUNNING, TaskState.FINISHED)) {
      byte[] uuid = new byte[16];
      uuid[0] = (byte) ++n;
      uuid[6] = 0x40; // version 4, as the agent checks
      uuid[8] = (byte) 0x80;
      backend.update(new TaskStatus(taskId, state, Optional.of("state " + state),
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.of(uuid), Instant.ofEpochSecond(1_700_000_000L), Optional.of(new byte[] {1})))
          .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
    backend.message("done".getBytes(StandardCharsets.UTF_8));
  }

  /** Waits for an event line, e.g. {@code shutdown}. */
  public void awaitLine(String line) {
    events.awaitLine(line, WAIT);
  }

  /** The event lines so far. */
  public List<String> lines() {
    return events.lines();
  }

  /** The framework capabilities of the first registration, sorted, as text. */
  public String capabilities() {
    return events.registrations().get(0).frameworkCapabilities().stream().sorted().toList().toString();
  }

  /** Closes the backend. */
  public void close() {
    backend.close();
  }

  /**
   * The workout in a JVM of its own, for a test that looks at what it loads: subscribes to the
   * agent at {@code args[0]} and prints {@code subscribed}, runs task {@code t1} once launched,
   * waits for SHUTDOWN, closes and prints {@code closed}.
   *
   * @param args the agent's endpoint
   */
  public static void main(String[] args) throws Exception {
    ExecutorHotPathWorkout run = new ExecutorHotPathWorkout(args[0]);
    System.out.println("subscribed");
    run.runTask("t1");
    run.awaitLine("shutdown");
    run.close();
    System.out.println("closed " + run.lines());
  }
}
