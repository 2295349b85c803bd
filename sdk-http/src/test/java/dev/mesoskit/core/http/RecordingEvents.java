package dev.mesoskit.core.http;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;

/** Records backend events as text lines, for asserting exact sequences. */
class RecordingEvents implements SchedulerEvents {
  private final List<String> lines = new ArrayList<>();
  private final List<Offer> offers = new ArrayList<>();
  private final List<TaskStatus> updates = new ArrayList<>();
  private final java.util.concurrent.atomic.AtomicInteger heartbeats =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Heartbeats are counted, not recorded as lines: they come at the master's pace. */
  @Override
  public void heartbeat() {
    heartbeats.incrementAndGet();
  }

  int heartbeats() {
    return heartbeats.get();
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  synchronized List<Offer> offers() {
    return List.copyOf(offers);
  }

  synchronized List<TaskStatus> updates() {
    return List.copyOf(updates);
  }

  void await(Predicate<List<String>> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(lines())) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met; events were " + lines());
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  void awaitLine(String line, Duration timeout) {
    await(l -> l.contains(line), timeout);
  }

  @Override
  public synchronized void subscribed(String frameworkId, Duration heartbeatInterval) {
    lines.add("subscribed " + frameworkId + " " + heartbeatInterval.toMillis() + "ms");
  }

  @Override
  public synchronized void offers(List<Offer> list) {
    offers.addAll(list);
    lines.add("offers " + list.stream().map(Offer::id).toList());
  }

  @Override
  public synchronized void rescind(String offerId) {
    lines.add("rescind " + offerId);
  }

  @Override
  public synchronized void update(TaskStatus status) {
    updates.add(status);
    lines.add("update " + status.mesosTaskId() + " " + status.state());
  }

  @Override
  public synchronized void message(String agentId, String executorId, byte[] data) {
    lines.add("message " + agentId + " " + executorId + " " + new String(data));
  }

  @Override
  public synchronized void failure(String agentId, Optional<String> executorId,
      OptionalInt status) {
    lines.add("failure " + agentId + " " + executorId.orElse("-"));
  }

  @Override
  public synchronized void error(String message) {
    lines.add("error " + message);
  }

  @Override
  public synchronized void failed(String why) {
    lines.add("failed " + why);
  }

  @Override
  public synchronized void disconnected(String cause) {
    lines.add("disconnected");
  }
}
