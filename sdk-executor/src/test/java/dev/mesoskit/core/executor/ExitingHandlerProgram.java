package dev.mesoskit.core.executor;

import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.TaskStatus;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * An executor whose task {@code exit.1} calls {@code System.exit(7)} while {@code other.1} runs,
 * printing every update it sends. {@code ExitFromHandlerTest} runs it in a JVM of its own.
 */
public final class ExitingHandlerProgram {
  private ExitingHandlerProgram() {}

  /**
   * Runs the executor on a fake agent that prints the updates.
   *
   * @param args unused
   * @throws Exception never expected: the handler exits the JVM
   */
  public static void main(String[] args) throws Exception {
    FakeExecutorBackend agent = new FakeExecutorBackend();
    ExecutorBackend printing = new ExecutorBackend() {
      @Override
      public void subscribe(ExecutorEvents events) {
        agent.subscribe(events);
      }

      @Override
      public CompletableFuture<Void> update(TaskStatus status) {
        System.out.println("update " + status.mesosTaskId() + " " + status.state() + " "
            + status.message().orElse(""));
        System.out.flush();
        return agent.update(status);
      }

      @Override
      public void message(byte[] data) {
        agent.message(data);
      }

      @Override
      public void close() {
        agent.close();
      }
    };
    CountDownLatch otherRuns = new CountDownLatch(1);
    ExecutorRuntime runtime = ExecutorRuntime.builder().backend(printing)
        .sandbox(Files.createTempDirectory("exiting-handler"))
        .shutdownGracePeriod(Duration.ofSeconds(2)).build();
    Thread executor = new Thread(() -> runtime.run(context -> {
      if (context.taskId().value().startsWith("exit")) {
        otherRuns.await();
        System.exit(7);
      }
      otherRuns.countDown();
      context.awaitCancellation(Duration.ofMinutes(1));
    }));
    executor.start();
    agent.events();
    agent.launch(FakeExecutorBackend.task("other.1"));
    agent.launch(FakeExecutorBackend.task("exit.1"));
    executor.join();
  }
}
