package dev.mesoskit.artifacts.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Framework;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.testing.FakeBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Batch over a Framework on a FakeBackend: the test plays the master. */
@Timeout(60)
class BatchTest {
  private final FakeBackend backend = new FakeBackend();
  private final List<String> collected = Collections.synchronizedList(new ArrayList<>());
  private Framework framework;
  @TempDir
  Path dir;

  @BeforeEach
  void start() {
    framework = Framework.builder().name("batch-test").backend(backend)
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RetryPolicy.none()).build();
    framework.start();
    backend.subscribed("fw-1");
  }

  @AfterEach
  void stop() {
    framework.close();
  }

  private Batch.Builder batch(BatchCollector collector) {
    return Batch.builder().framework(framework).stateDirectory(dir.resolve("state"))
        .task(key -> TaskSpec.builder().id("t-" + key).name(key)
            .resources(ResourceSpec.of(0.1, 32)).command("true").build())
        .collector(collector);
  }

  private BatchCollector writing() {
    return (key, task) -> {
      collected.add(key + ":" + task.state());
      Files.writeString(dir.resolve(key), key);
    };
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }

  /** Offers until every submitted task is launched. */
  private void launchAll(int tasks) throws InterruptedException {
    await(tasks + " submitted", () -> framework.tasks().size() == tasks);
    // A task shows in tasks() a moment before the framework's event thread has it pending, and an
    // offer that arrives in between is declined: offer again every 200 ms until all are launched.
    long[] nextOffer = {System.nanoTime()};
    await(tasks + " launched", () -> {
      if (backend.accepts().stream().mapToInt(a -> a.launches().size()).sum() == tasks) {
        return true;
      }
      if (System.nanoTime() - nextOffer[0] >= 0) {
        backend.offer("agent-1", "cpus:8;mem:8192");
        nextOffer[0] = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
      }
      return false;
    });
  }

  @Test
  void skipsDoneKeysCollectsFinishedOnesAndReportsFailuresWithTheirReasons() throws Exception {
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(dir.resolve("state/c.done"), "task=t-c\n");
    Batch batch = batch(writing()).build();
    CompletableFuture<BatchSummary> run =
        CompletableFuture.supplyAsync(() -> batch.run(List.of("a", "b", "c")));
    launchAll(2);
    await("2 launched in the counts", () -> batch.progress().running() == 2);
    assertThat(batch.progress()).extracting(BatchProgress::total, BatchProgress::skipped,
        BatchProgress::done, BatchProgress::failed, BatchProgress::running,
        BatchProgress::pending).containsExactly(3, 1, 0, 0, 2, 0);
    backend.update("t-a.1", "agent-1", TaskState.RUNNING, null, null);
    backend.update("t-b.1", "agent-1", TaskState.RUNNING, null, null);
    backend.update("t-a.1", "agent-1", TaskState.FINISHED, null, null);
    backend.update("t-b.1", "agent-1", TaskState.FAILED, "REASON_TASK_INVALID", "not an image");
    BatchSummary summary = run.get(10, TimeUnit.SECONDS);
    assertThat(summary.done()).containsExactly("a", "c");
    assertThat(summary.skipped()).isEqualTo(1);
    assertThat(summary.failures()).containsExactly(Map.entry("b",
        "failed after 1 attempt: TASK_FAILED (REASON_TASK_INVALID): not an image"));
    assertThat(summary.succeeded()).isFalse();
    assertThat(collected).containsExactly("a:FINISHED");
    assertThat(batch.isDone("a")).isTrue();
    assertThat(batch.isDone("b")).isFalse();
    assertThat(Files.readString(dir.resolve("state/a.done"))).startsWith("task=t-a attempt=1 at=");
    assertThat(batch.progress()).extracting(BatchProgress::skipped, BatchProgress::done,
        BatchProgress::failed, BatchProgress::running, BatchProgress::pending)
        .containsExactly(1, 1, 1, 0, 0);
    assertThat(summary.line()).matches("2 done \\(1 skipped, done before\\), 1 failed of 3 in"
        + " \\d+\\.\\d s");
  }

  @Test
  void pendingTasksCountAsPendingUntilAnOfferLaunchesThem() throws Exception {
    Batch batch = batch(writing()).build();
    CompletableFuture<BatchSummary> run =
        CompletableFuture.supplyAsync(() -> batch.run(List.of("a", "b")));
    await("2 submitted", () -> framework.tasks().size() == 2);
    assertThat(batch.progress()).extracting(BatchProgress::pending, BatchProgress::running)
        .containsExactly(2, 0);
    backend.offer("agent-1", "cpus:8;mem:8192");
    await("launched", () -> batch.progress().running() == 2);
    backend.update("t-a.1", "agent-1", TaskState.FINISHED, null, null);
    backend.update("t-b.1", "agent-1", TaskState.FINISHED, null, null);
    assertThat(run.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
  }

  @Test
  void aFailedCollectionLeavesTheKeyNotDoneSoTheNextRunRedoesIt() throws Exception {
    Batch first = batch((key, task) -> {
      throw new IOException("disk full");
    }).build();
    CompletableFuture<BatchSummary> run =
        CompletableFuture.supplyAsync(() -> first.run(List.of("a")));
    launchAll(1);
    backend.update("t-a.1", "agent-1", TaskState.FINISHED, null, null);
    assertThat(run.get(10, TimeUnit.SECONDS).failures())
        .containsExactly(Map.entry("a", "collecting the result failed: java.io.IOException: disk full"));
    assertThat(first.isDone("a")).isFalse();
    try (Stream<Path> files = Files.list(dir.resolve("state"))) {
      assertThat(files).map(p -> p.getFileName().toString()).containsExactly(StateLock.FILE);
    }
  }

  @Test
  void aSecondRunOnTheSameStateDirectoryFailsAtOnceUntilTheFirstEnds() throws Exception {
    Batch first = batch(writing()).build();
    CompletableFuture<BatchSummary> run =
        CompletableFuture.supplyAsync(() -> first.run(List.of("a")));
    launchAll(1);

    assertThatThrownBy(() -> batch(writing()).build().run(List.of("a", "b")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the batch state directory " + dir.resolve("state") + " is in use by another"
            + " run (process " + ProcessHandle.current().pid() + " holds "
            + dir.resolve("state/.lock") + "); two schedulers must not share a state directory"
            + " at once");
    assertThat(framework.tasks()).hasSize(1); // the second run submitted nothing

    backend.update("t-a.1", "agent-1", TaskState.FINISHED, null, null);
    assertThat(run.get(10, TimeUnit.SECONDS).done()).containsExactly("a");
    BatchSummary again = batch(writing()).build().run(List.of("a"));
    assertThat(again.skipped()).isEqualTo(1); // the lock was released with the first run
  }

  @Test
  void aBatchLockKeepsOtherRunsOutBeforeDuringAndAfterTheRunsUnderIt() throws Exception {
    String inUse = "the batch state directory " + dir.resolve("state") + " is in use by another"
        + " run (process " + ProcessHandle.current().pid() + " holds "
        + dir.resolve("state/.lock") + "); two schedulers must not share a state directory"
        + " at once";
    try (BatchLock lock = BatchLock.acquire(dir.resolve("state"))) {
      assertThatThrownBy(() -> batch(writing()).build().run(List.of("a")))
          .isInstanceOf(IllegalStateException.class).hasMessage(inUse);
      Batch underLock = Batch.builder().framework(framework).lock(lock)
          .task(key -> TaskSpec.builder().id("t-" + key).name(key)
              .resources(ResourceSpec.of(0.1, 32)).command("true").build())
          .collector(writing()).build();
      CompletableFuture<BatchSummary> run =
          CompletableFuture.supplyAsync(() -> underLock.run(List.of("a")));
      launchAll(1);
      backend.update("t-a.1", "agent-1", TaskState.FINISHED, null, null);

      assertThat(run.get(10, TimeUnit.SECONDS).done()).containsExactly("a");
      assertThat(dir.resolve("state/a.done")).exists();
      // still held after the run
      assertThatThrownBy(() -> batch(writing()).build().run(List.of("a")))
          .isInstanceOf(IllegalStateException.class).hasMessage(inUse);
      assertThatThrownBy(() -> BatchLock.acquire(dir.resolve("state")))
          .isInstanceOf(IllegalStateException.class).hasMessage(inUse);
    }
    assertThat(batch(writing()).build().run(List.of("a")).skipped()).isEqualTo(1);
  }

  @Test
  void aBatchUnderAReleasedLockOrAnotherDirectoryIsRefused() throws Exception {
    BatchLock lock = BatchLock.acquire(dir.resolve("state"));
    assertThatThrownBy(() -> batch(writing()).lock(lock).stateDirectory(dir.resolve("other"))
        .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the state directory " + dir.resolve("other") + " is not the locked one, "
            + dir.resolve("state") + " (give one of stateDirectory and lock)");
    Batch batch = batch(writing()).lock(lock).build();
    lock.close();

    assertThatThrownBy(() -> batch.run(List.of("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the lock on " + dir.resolve("state") + " was released");
    assertThat(framework.tasks()).isEmpty();
  }

  @Test
  void theCollectorPreparesOnlyOnceTheRunHoldsTheLock() throws Exception {
    List<String> calls = Collections.synchronizedList(new ArrayList<>());
    BatchCollector collector = new BatchCollector() {
      @Override
      public void prepare() throws IOException {
        calls.add("prepare, lock file "
            + (Files.exists(dir.resolve("state/.lock")) ? "held" : "missing"));
      }

      @Override
      public void collect(String key, dev.mesoskit.core.Task task) {
        calls.add("collect " + key);
      }
    };
    Batch batch = batch(collector).build();
    CompletableFuture<BatchSummary> run =
        CompletableFuture.supplyAsync(() -> batch.run(List.of("a")));
    launchAll(1);
    backend.update("t-a.1", "agent-1", TaskState.FINISHED, null, null);
    assertThat(run.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
    assertThat(calls).containsExactly("prepare, lock file held", "collect a");
  }

  @Test
  void aRunWhoseKeysAreAllDoneSubmitsNothing() throws Exception {
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(dir.resolve("state/a.done"), "");
    Files.writeString(dir.resolve("state/.b.done.123.part"), "half");
    BatchSummary summary = batch(writing()).build().run(List.of("a"));
    assertThat(summary.done()).containsExactly("a");
    assertThat(summary.skipped()).isEqualTo(1);
    assertThat(framework.tasks()).isEmpty();
    assertThat(dir.resolve("state/.b.done.123.part")).doesNotExist();
  }

  @Test
  void keysMustBeUniqueFileNamesAndThereMustBeSome() {
    Batch batch = batch(writing()).build();
    assertThatThrownBy(() -> batch.run(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keys must be unique but 'a' appears twice");
    assertThatThrownBy(() -> batch.run(List.of("x/y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be a file name (not empty, at most 200 characters, no '/', '\\'"
            + " or NUL, not starting with '.') but was 'x/y'");
    assertThatThrownBy(() -> batch.run(List.of(".hidden")))
        .hasMessageEndingWith("but was '.hidden'");
    assertThatThrownBy(() -> batch.run(List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("keys must not be empty");
  }

  @Test
  void everyKeysTaskNeedsItsOwnExplicitIdAndNothingIsSubmittedOtherwise() {
    Batch withoutId = batch(writing()).task(key -> TaskSpec.builder().name(key)
        .resources(ResourceSpec.of(0.1, 32)).command("true").build()).build();
    assertThatThrownBy(() -> withoutId.run(List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the task of key a must have an explicit id (TaskSpec.Builder.id), the same"
            + " in every run, so that a restarted batch adopts it");
    Batch sameId = batch(writing()).task(key -> TaskSpec.builder().id("same").name(key)
        .resources(ResourceSpec.of(0.1, 32)).command("true").build()).build();
    assertThatThrownBy(() -> sameId.run(List.of("a", "b")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the tasks of keys a and b have the same id same; every key needs its own");
    assertThat(framework.tasks()).isEmpty();
  }

  @Test
  void theBuilderNamesTheMissingSetting() {
    assertThatThrownBy(() -> Batch.builder().framework(framework).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("a batch needs framework, stateDirectory, task and collector but"
            + " stateDirectory was not set");
    assertThatThrownBy(() -> Batch.builder().collectorThreads(0))
        .hasMessage("collectorThreads must be >= 1 but was 0");
    assertThatThrownBy(() -> Batch.builder().progressInterval(Duration.ofMillis(1)))
        .hasMessage("progressInterval must be >= 10 ms but was PT0.001S");
  }

  @Test
  void aSecondRunIsRefused() throws Exception {
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(dir.resolve("state/a.done"), "");
    Batch batch = batch(writing()).build();
    batch.run(List.of("a"));
    assertThatThrownBy(() -> batch.run(List.of("a")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("run was already called on this batch");
  }
}
