package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sandboxes of finished containers are deleted as a Mesos agent deletes them: after
 * {@code gcDelay * max(0, 1 - headroom - diskUsage)}, with their emptied parents. The clock and
 * the disk usage are the test's; each sweep is run by the test.
 */
class SandboxesTest {
  private static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

  @TempDir
  Path workDir;

  private final FakeClock clock = new FakeClock(T0);
  private final AtomicReference<Double> usage = new AtomicReference<>(0.5);
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor();
  private Sandboxes sandboxes;

  @AfterEach
  void close() {
    if (sandboxes != null) {
      sandboxes.close();
    }
    thread.shutdownNow();
  }

  /** A collector keeping sandboxes for at most an hour, with Mesos' headroom of 0.1. */
  private Sandboxes start() {
    sandboxes = new Sandboxes("agent-1", workDir, Duration.ofHours(1), 0.1, clock, usage::get,
        thread);
    sandboxes.start();
    return sandboxes;
  }

  private Path run(String framework, String executor, String container) throws Exception {
    Path run = workDir.resolve("frameworks").resolve(framework).resolve("executors")
        .resolve(executor).resolve("runs").resolve(container);
    sandboxes.create(run);
    Files.writeString(run.resolve("stdout"), "out");
    Files.createDirectories(run.resolve("data/deeper"));
    Files.writeString(run.resolve("data/deeper/file"), "x");
    return run;
  }

  @Test
  void theDelayIsTheGcDelayTimesTheShareOfTheDiskFreeAboveTheHeadroom() {
    assertThat(Sandboxes.delay(Duration.ofMinutes(10), 0.1, 0.25))
        .isEqualTo(Duration.ofSeconds(390));
    assertThat(Sandboxes.delay(Duration.ofHours(1), 0.1, 0.5)).isEqualTo(Duration.ofMinutes(24));
    assertThat(Sandboxes.delay(Duration.ofDays(7), 0.1, 0.0))
        .isEqualTo(Duration.ofHours(151).plusMinutes(12));
    assertThat(Sandboxes.delay(Duration.ofMinutes(10), 0.0, 0.0))
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(Sandboxes.delay(Duration.ofMillis(100), 0.2, 0.3)).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void theDelayIsZeroOnceTheDiskIsFullerThanTheHeadroomAllows() {
    assertThat(Sandboxes.delay(Duration.ofMinutes(10), 0.1, 0.9)).isEqualTo(Duration.ZERO);
    assertThat(Sandboxes.delay(Duration.ofMinutes(10), 0.1, 0.95)).isEqualTo(Duration.ZERO);
    assertThat(Sandboxes.delay(Duration.ofMinutes(10), 1.0, 0.0)).isEqualTo(Duration.ZERO);
    assertThat(Sandboxes.delay(Duration.ZERO, 0.1, 0.0)).isEqualTo(Duration.ZERO);
  }

  @Test
  void theDiskUsageIsAShareOfTheFileSystem() {
    assertThat(Sandboxes.diskUsage(workDir)).isBetween(0.0, 1.0);
  }

  @Test
  void aFinishedSandboxIsDeletedOnceOldEnoughAndNotBefore() throws Exception {
    start();
    Path finished = run("f1", "t1", "c1");
    sandboxes.collect(finished);
    assertThat(sandboxes.maxAge()).isEqualTo(Duration.ofMinutes(24));

    clock.advance(Duration.ofMinutes(24).minusNanos(1));
    sandboxes.sweep();
    assertThat(finished.resolve("stdout")).hasContent("out");
    assertThat(sandboxes.waiting()).isEqualTo(1);

    clock.advance(Duration.ofNanos(1));
    sandboxes.sweep();
    assertThat(finished).doesNotExist();
    assertThat(workDir.resolve("frameworks/f1")).doesNotExist();
    assertThat(workDir.resolve("frameworks")).isDirectory();
    assertThat(sandboxes.waiting()).isZero();
  }

  @Test
  void aSandboxNeverCollectedIsNeverDeletedNorAreTheDirectoriesItIsIn() throws Exception {
    start();
    Path running = run("f1", "e1", "c-running");
    Path earlierRun = run("f1", "e1", "c-earlier");
    Path otherExecutor = run("f1", "t2", "c2");
    sandboxes.collect(earlierRun);
    sandboxes.collect(otherExecutor);

    clock.advance(Duration.ofDays(30));
    sandboxes.sweep();
    assertThat(earlierRun).doesNotExist();
    assertThat(workDir.resolve("frameworks/f1/executors/t2")).doesNotExist();
    assertThat(running.resolve("data/deeper/file")).hasContent("x");
    assertThat(workDir.resolve("frameworks/f1/executors/e1/runs")).isDirectoryContaining(
        p -> p.getFileName().toString().equals("c-running"));
  }

  @Test
  void sandboxesGoInTheOrderTheirContainersEnded() throws Exception {
    start();
    Path first = run("f1", "t1", "c1");
    Path second = run("f1", "t2", "c2");
    sandboxes.collect(first);
    clock.advance(Duration.ofMinutes(10));
    sandboxes.collect(second);

    clock.advance(Duration.ofMinutes(14));
    sandboxes.sweep();
    assertThat(first).doesNotExist();
    assertThat(second).isDirectory();
    assertThat(workDir.resolve("frameworks/f1")).isDirectory();

    clock.advance(Duration.ofMinutes(10));
    sandboxes.sweep();
    assertThat(second).doesNotExist();
    assertThat(workDir.resolve("frameworks/f1")).doesNotExist();
  }

  @Test
  void aFillingDiskShortensTheDelayOfSandboxesAlreadyWaiting() throws Exception {
    usage.set(0.0);
    start();
    Path finished = run("f1", "t1", "c1");
    sandboxes.collect(finished);
    assertThat(sandboxes.maxAge()).isEqualTo(Duration.ofMinutes(54));

    clock.advance(Duration.ofMinutes(30));
    sandboxes.sweep();
    assertThat(finished).isDirectory();

    usage.set(0.5);
    sandboxes.watchDisk();
    assertThat(sandboxes.maxAge()).isEqualTo(Duration.ofMinutes(24));
    sandboxes.sweep();
    assertThat(finished).doesNotExist();
  }

  @Test
  void sandboxesLeftByAnEarlierRunAreCollectedByTheirModificationTime() throws Exception {
    Path old = workDir.resolve("frameworks/f0/executors/t0/runs/c0");
    Path recent = workDir.resolve("frameworks/f0/executors/t1/runs/c1");
    Files.createDirectories(old);
    Files.createDirectories(recent);
    Files.setLastModifiedTime(old, FileTime.from(T0.minus(Duration.ofMinutes(25))));
    Files.setLastModifiedTime(recent, FileTime.from(T0.minus(Duration.ofMinutes(5))));

    start();
    sandboxes.sweep();
    assertThat(old).doesNotExist();
    assertThat(recent).isDirectory();
    assertThat(sandboxes.waiting()).isEqualTo(1);
  }

  @Test
  void aClosedCollectorDeletesNothingMore() throws Exception {
    start();
    Path finished = run("f1", "t1", "c1");
    sandboxes.collect(finished);
    sandboxes.close();
    clock.advance(Duration.ofDays(1));
    sandboxes.sweep();
    assertThat(finished).isDirectory();
  }

  @Test
  void aTreeIsDeletedInParallelWithoutFollowingLinks() throws Exception {
    Path outside = Files.createDirectories(workDir.resolve("outside"));
    Files.writeString(outside.resolve("kept"), "kept");
    Path root = workDir.resolve("root");
    for (int i = 0; i < 20; i++) {
      Path run = Files.createDirectories(root.resolve("e" + i).resolve("runs").resolve("c"));
      Files.writeString(run.resolve("stdout"), "out");
      Files.writeString(run.resolve("stderr"), "err");
    }
    for (int i = 0; i < 150; i++) {
      Files.writeString(root.resolve("e0/runs/c/f" + i), "many");
    }
    Files.createSymbolicLink(root.resolve("e1/runs/c/link"), outside);

    Sandboxes.Deletion deletion = Sandboxes.deleteInParallel(root, 4);

    assertThat(root).doesNotExist();
    assertThat(outside.resolve("kept")).hasContent("kept");
    assertThat(deletion.files()).isEqualTo(20 * 2 + 150 + 1);
    assertThat(deletion.directories()).isEqualTo(1 + 20 * 3);
    assertThat(deletion.failures()).isZero();
    assertThat(Sandboxes.deleteInParallel(root, 4)).isEqualTo(Sandboxes.Deletion.NONE);
  }

  @Test
  void aTreeIsDeletedOnThisThreadWithoutFollowingLinks() throws Exception {
    Path outside = Files.createDirectories(workDir.resolve("outside"));
    Files.writeString(outside.resolve("kept"), "kept");
    Path run = Files.createDirectories(workDir.resolve("run/data"));
    Files.writeString(run.resolve("file"), "x");
    Files.createSymbolicLink(run.resolve("link"), outside);

    Sandboxes.Deletion deletion = Sandboxes.delete(workDir.resolve("run"), () -> false);

    assertThat(workDir.resolve("run")).doesNotExist();
    assertThat(outside.resolve("kept")).hasContent("kept");
    assertThat(deletion).isEqualTo(new Sandboxes.Deletion(2, 2, 0, java.util.Optional.empty()));
  }

  @Test
  void aDeletionAskedToStopLeavesTheRest() throws Exception {
    Path run = Files.createDirectories(workDir.resolve("run/data"));
    Files.writeString(run.resolve("file"), "x");

    Sandboxes.Deletion deletion = Sandboxes.delete(workDir.resolve("run"), () -> true);

    assertThat(run.resolve("file")).hasContent("x");
    assertThat(deletion).isEqualTo(Sandboxes.Deletion.NONE);
  }
}
