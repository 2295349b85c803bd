package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.mesos.v1.Protos;

/** A master that records what agents tell it, for tests to wait on. */
final class RecordingAgentListener implements AgentListener {
  record Update(Protos.FrameworkID frameworkId, Protos.TaskStatus status) {}

  record Exit(Protos.FrameworkID frameworkId, Protos.ExecutorID executorId, OptionalInt status) {}

  record Message(Protos.FrameworkID frameworkId, Protos.ExecutorID executorId, ByteString data) {}

  private static final Duration WAIT = Duration.ofSeconds(15);

  final BlockingQueue<Update> updates = new LinkedBlockingQueue<>();
  final BlockingQueue<Exit> exits = new LinkedBlockingQueue<>();
  final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();

  @Override
  public void statusUpdate(LocalAgent agent, Protos.FrameworkID frameworkId,
      Protos.TaskStatus status) {
    updates.add(new Update(frameworkId, status));
  }

  @Override
  public void executorTerminated(LocalAgent agent, Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId, OptionalInt status) {
    exits.add(new Exit(frameworkId, executorId, status));
  }

  @Override
  public void executorMessage(LocalAgent agent, Protos.FrameworkID frameworkId,
      Protos.ExecutorID executorId, ByteString data) {
    messages.add(new Message(frameworkId, executorId, data));
  }

  /** The next update sent, waiting up to 15 s. */
  Protos.TaskStatus nextUpdate() {
    return next(updates).status();
  }

  /** The next executor exit reported, waiting up to 15 s. */
  Exit nextExit() {
    return next(exits);
  }

  /** The next executor message, waiting up to 15 s. */
  Message nextMessage() {
    return next(messages);
  }

  /** Asserts that no update arrives for a while. */
  void assertNoUpdateWithin(Duration quiet) throws InterruptedException {
    Update update = updates.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(update).as("an update that should not have been sent").isNull();
  }

  private static <T> T next(BlockingQueue<T> queue) {
    try {
      T value = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(value).as("nothing arrived within " + WAIT).isNotNull();
      return value;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
