package dev.mesoskit.core.testing;

import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.ExecutorRegistration;
import dev.mesoskit.core.spi.LaunchedTask;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Records the events an executor backend delivers as text lines, and the launched tasks, for
 * asserting exact sequences.
 *
 * <pre>{@code
 * RecordingExecutorEvents events = new RecordingExecutorEvents();
 * backend.subscribe(events);
 * events.awaitLine("shutdown", Duration.ofSeconds(5));
 * }</pre>
 */
public final class RecordingExecutorEvents implements ExecutorEvents {
  private final List<String> lines = new ArrayList<>();
  private final List<LaunchedTask> launched = new ArrayList<>();
  private final List<ExecutorRegistration> registrations = new ArrayList<>();

  /**
   * Every event so far, one line each.
   *
   * @return the lines, in order
   */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Every launched task so far.
   *
   * @return the tasks, in order
   */
  public synchronized List<LaunchedTask> launched() {
    return List.copyOf(launched);
  }

  /**
   * Every registration so far.
   *
   * @return the registrations, in order
   */
  public synchronized List<ExecutorRegistration> registrations() {
    return List.copyOf(registrations);
  }

  /**
   * Waits until a line was recorded.
   *
   * @param line the exact line
   * @param timeout how long at most
   * @throws AssertionError on timeout
   */
  public void awaitLine(String line, Duration timeout) {
    FakeExecutorBackend.await(() -> lines().contains(line), timeout,
        () -> "no event '" + line + "'; events were " + lines());
  }

  /**
   * Waits until a line starting with {@code prefix} was recorded and returns it.
   *
   * @param prefix the start of the line
   * @param timeout how long at most
   * @return the first such line
   * @throws AssertionError on timeout
   */
  public String awaitLineStartingWith(String prefix, Duration timeout) {
    FakeExecutorBackend.await(() -> lines().stream().anyMatch(l -> l.startsWith(prefix)),
        timeout, () -> "no event starting with '" + prefix + "'; events were " + lines());
    return lines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
  }

  @Override
  public synchronized void subscribed(ExecutorRegistration r) {
    registrations.add(r);
    lines.add("subscribed " + r.frameworkId() + " " + r.executorId() + " " + r.agentId() + " "
        + r.agentHostname());
  }

  @Override
  public synchronized void launch(LaunchedTask task) {
    launched.add(task);
    lines.add("launch " + task.mesosTaskId());
  }

  @Override
  public synchronized void kill(String mesosTaskId, Optional<Duration> gracePeriod) {
    lines.add("kill " + mesosTaskId + gracePeriod.map(g -> " " + g.toMillis() + "ms").orElse(""));
  }

  @Override
  public synchronized void message(byte[] data) {
    lines.add("message " + new String(data, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void shutdown() {
    lines.add("shutdown");
  }

  @Override
  public synchronized void error(String message) {
    lines.add("error " + message);
  }

  @Override
  public synchronized void disconnected(String cause) {
    lines.add("disconnected " + cause);
  }

  @Override
  public synchronized void lost(String cause) {
    lines.add("lost " + cause);
  }
}
