package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.local.LocalCluster;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #17: the scheduler as its own JVM on a LocalCluster in this one, killed with SIGKILL again
 * and again at points a seeded {@link Random} picks, then run to the end with the same
 * {@code --output}, keeping the framework id alone ({@code --framework-id-file}, no state store:
 * chapter 10 and SchedulerRestartIT cover the state store). Every restart fails over to the one
 * framework, a relaunch the master refuses
 * as a duplicate Mesos task id is recovered instead of failing the image, and every image ends
 * exactly once with its exact inverse.
 *
 * <p>The images come from an HTTP server in this JVM that holds back the downloads of a few of
 * them until the last run: no killed run can finish the batch, so every kill interrupts work
 * however fast the machine is, and the tasks of those images run, blocked, through every kill.
 *
 * <p>The seeded kills are followed by kills right after launching until the master holds, for an
 * unfinished image, its first two attempts ended and not yet acknowledged (a run killed while its
 * agents fetched the executor leaves that): the last run then reconciles attempt 1, launches
 * attempt 2 and has it refused as a duplicate, the case of the issue, whatever the seed.
 */
@Timeout(240)
class RepeatedSchedulerKillIT {
  private static final Path JAR = Path.of("target/image-invert.jar").toAbsolutePath();
  /** Fixed; {@code -Dmesoskit.killSeed=N} reruns another plan, e.g. one a failure printed. */
  private static final long SEED = Long.getLong("mesoskit.killSeed", 17);
  private static final int IMAGES = 100;
  /** Images whose downloads wait for the last run. */
  private static final int HELD = 3;
  /**
   * The most kills right after launching before the master holds a duplicate to be: two suffice,
   * the first leaves attempt 1 of some images ended, the next attempt 2.
   */
  private static final int MAX_SETUP_KILLS = 4;
  private static final Duration KILL_POINT_WAIT = Duration.ofSeconds(45);
  private static final Duration LAST_RUN_WAIT = Duration.ofMinutes(2);
  private static final String DONE = ".done";
  private static final String DUPLICATE_RECOVERED =
      "Mesos id already used by an earlier scheduler run";
  /** The master's states of an attempt that ended unfinished: a failing-over run moves past it. */
  private static final Set<String> ENDED_UNFINISHED =
      Set.of("TASK_FAILED", "TASK_LOST", "TASK_DROPPED", "TASK_GONE", "TASK_ERROR");

  /** What a kill waits for. */
  private enum Trigger {
    /** Milliseconds after the first run stored its framework id. */
    SUBSCRIBED_PLUS_MS,
    /** Milliseconds after the scheduler's JVM was started: before or around its failover. */
    STARTED_PLUS_MS,
    /** The master holds a task it did not hold when the run started: its agent is starting it. */
    LAUNCHED,
    /** Image downloads begun in this run: its tasks were launched and run. */
    DOWNLOADS,
    /** Images recorded done in this run. */
    DONE_RECORDS
  }

  private record KillPoint(Trigger trigger, int amount) {
    /**
     * The first kill comes after the framework subscribed (killed before it stored its id, the
     * first run would leave a framework no restart can fail over to: Mesos' window, not this
     * test's); the rest are one of each other trigger and one more, in a seeded order.
     */
    static List<KillPoint> plan(Random random) {
      List<Trigger> triggers = new ArrayList<>(List.of(Trigger.STARTED_PLUS_MS, Trigger.LAUNCHED,
          Trigger.DOWNLOADS, Trigger.DONE_RECORDS, Trigger.values()[1 + random.nextInt(4)]));
      Collections.shuffle(triggers, random);
      List<KillPoint> plan = new ArrayList<>();
      plan.add(new KillPoint(Trigger.SUBSCRIBED_PLUS_MS, random.nextInt(1500)));
      for (Trigger t : triggers) {
        plan.add(new KillPoint(t, switch (t) {
          case STARTED_PLUS_MS -> random.nextInt(2500);
          case LAUNCHED -> 0;
          case DOWNLOADS, DONE_RECORDS -> 1 + random.nextInt(12);
          case SUBSCRIBED_PLUS_MS -> throw new AssertionError(t);
        }));
      }
      return plan;
    }

    @Override
    public String toString() {
      return switch (trigger) {
        case SUBSCRIBED_PLUS_MS -> amount + " ms after the framework id was stored";
        case STARTED_PLUS_MS -> amount + " ms after the JVM started";
        case LAUNCHED -> "right after it launched";
        case DOWNLOADS -> "after " + amount + " downloads began in this run";
        case DONE_RECORDS -> "after " + amount + " images were recorded done in this run";
      };
    }
  }

  @TempDir
  Path dir;
  private Path out;
  private Path state;
  private Path list;
  private LocalCluster cluster;
  private TestImageServer server;
  private final List<Path> logs = new ArrayList<>();
  private final List<Process> started = new ArrayList<>();
  /** A line per run: how it ended, what the master held then; printed at the end. */
  private final List<String> story = new ArrayList<>();

  @Test
  void aSchedulerKilledAgainAndAgainFailsOverEveryTimeAndEndsWithEveryImageExactlyOnce()
      throws Exception {
    Random random = new Random(SEED);
    Path images = Files.createDirectories(dir.resolve("images"));
    List<String> files = writeImages(images, random);
    List<String> shuffled = new ArrayList<>(files);
    Collections.shuffle(shuffled, random);
    Set<String> held = new TreeSet<>(shuffled.subList(0, HELD));
    List<KillPoint> plan = KillPoint.plan(random);
    out = dir.resolve("out");
    state = out.resolve(".state");
    story.add("seed " + SEED + ", held " + held);
    server = TestImageServer.start(images, held);
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:3;mem:8192;disk:10240;ports:[31000-31999]").start();
    list = Files.write(dir.resolve("images.txt"),
        files.stream().map(f -> server.uri(f).toString()).toList());
    try {
      for (KillPoint point : plan) {
        runAndKill(point);
      }
      Optional<String> duplicate;
      int setupKills = 0;
      do {
        runAndKill(new KillPoint(Trigger.LAUNCHED, 0));
        setupKills++;
        duplicate = relaunchIntoKnownId();
      } while (duplicate.isEmpty() && setupKills < MAX_SETUP_KILLS);
      assertThat(duplicate).as("after %d kills right after launching, the master holds the"
          + " first two attempts of an unfinished image, ended", setupKills).isPresent();
      story.add("the master holds " + duplicate.get() + ".1 and .2 ended: the last run's"
          + " relaunch of it is a duplicate id");
      Map<String, String> recordsBefore = records(state);
      Map<String, FileTime> outputsBefore = new TreeMap<>();
      for (String record : recordsBefore.keySet()) {
        String name = record.substring(0, record.length() - DONE.length());
        outputsBefore.put(name, Files.getLastModifiedTime(out.resolve(name)));
      }
      server.open();
      Path log = dir.resolve("run-" + (logs.size() + 1) + ".log");
      logs.add(log);
      Process last = scheduler(log);
      assertThat(last.waitFor(LAST_RUN_WAIT.toSeconds(), TimeUnit.SECONDS))
          .as("the last run ends").isTrue();
      story.add("last run: exit " + last.exitValue() + ", " + recoveries(log));
      assertThat(last.exitValue()).as("the last run's exit code").isZero();
      assertThat(Files.readString(log)).contains("image-invert: " + IMAGES + " inputs, "
          + IMAGES + " done, 0 failed, 0 skipped in ")
          .contains("(" + recordsBefore.size() + " done before)");
      // A refused duplicate is reconciled and recovered, never a task's outcome; and no task of
      // any run, killed or not, ended other than FINISHED.
      long recovered = 0;
      for (Path runLog : logs) {
        List<String> lines = Files.readAllLines(runLog);
        assertThat(lines).as("%s: duplicate ids", runLog.getFileName())
            .filteredOn(l -> l.contains("duplicate ID"))
            .noneMatch(l -> l.contains("FAILED") || l.contains("task outcome"));
        assertThat(lines).as("%s: task outcomes", runLog.getFileName())
            .filteredOn(l -> l.contains("task outcome "))
            .allMatch(l -> l.contains(" state=FINISHED "));
        recovered += lines.stream().filter(l -> l.contains(DUPLICATE_RECOVERED)).count();
      }
      assertThat(recovered).as("relaunches refused as a duplicate id and recovered")
          .isPositive();
      // Every restart failed over to the first run's framework: one in all, now torn down.
      JsonObject clusterState = JsonParser.parseString(cluster.stateJson()).getAsJsonObject();
      assertThat(clusterState.getAsJsonArray("completed_framework_ids")).hasSize(1);
      assertThat(clusterState.getAsJsonArray("frameworks")).isEmpty();
      List<String> expected = new ArrayList<>(List.of(".state", "index.html"));
      List<String> expectedRecords = new ArrayList<>(List.of(".lock"));
      for (String file : files) {
        String name = file.replace(".png", "-inverted.png");
        expected.add(name);
        expectedRecords.add(name + DONE);
      }
      assertThat(names(out)).containsExactlyInAnyOrderElementsOf(expected);
      // exactly one record per image, and none written before the last run was written again
      assertThat(names(state)).containsExactlyInAnyOrderElementsOf(expectedRecords);
      assertThat(records(state)).containsAllEntriesOf(recordsBefore);
      for (Map.Entry<String, FileTime> e : outputsBefore.entrySet()) {
        assertThat(Files.getLastModifiedTime(out.resolve(e.getKey())))
            .as("%s not redone", e.getKey()).isEqualTo(e.getValue());
      }
      for (String file : files) {
        assertExactInverse(file, images.resolve(file),
            out.resolve(file.replace(".png", "-inverted.png")));
      }
    } catch (Throwable e) {
      for (Path log : logs) {
        System.out.println("---- " + log.getFileName() + " ----\n"
            + (Files.exists(log) ? Files.readString(log) : "(no log)"));
      }
      throw e;
    } finally {
      System.out.println(String.join("\n", story));
    }
  }

  @AfterEach
  void stop() {
    for (Process p : started) {
      p.destroyForcibly();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Starts the next run, kills it with SIGKILL at {@code point}, and checks it was mid-batch. */
  private void runAndKill(KillPoint point) throws Exception {
    int run = logs.size() + 1;
    Path log = dir.resolve("run-" + run + ".log");
    logs.add(log);
    String what = "run " + run + " killed " + point;
    int doneAtStart = countDone(state);
    int downloadsAtStart = server.downloads();
    Set<String> tasksAtStart = masterTasks().keySet();
    if (point.trigger() == Trigger.DOWNLOADS || point.trigger() == Trigger.DONE_RECORDS) {
      // every image neither done nor held is downloaded and done in this run, if it lasts
      assertThat(IMAGES - HELD - doneAtStart).as("images left for %s", what)
          .isGreaterThanOrEqualTo(point.amount());
    }
    long startedAt = System.nanoTime();
    Process scheduler = scheduler(log);
    switch (point.trigger()) {
      case SUBSCRIBED_PLUS_MS -> {
        await(scheduler, what, () -> Files.exists(out.resolve(".framework-id")));
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(point.amount());
        await(scheduler, what, () -> System.nanoTime() >= at);
      }
      case STARTED_PLUS_MS -> await(scheduler, what, () -> System.nanoTime()
          >= startedAt + TimeUnit.MILLISECONDS.toNanos(point.amount()));
      case LAUNCHED -> await(scheduler, what,
          () -> !tasksAtStart.containsAll(masterTasks().keySet()));
      case DOWNLOADS -> await(scheduler, what,
          () -> server.downloads() >= downloadsAtStart + point.amount());
      case DONE_RECORDS -> await(scheduler, what,
          () -> countDone(state) >= doneAtStart + point.amount());
    }
    scheduler.destroyForcibly(); // SIGKILL
    assertThat(scheduler.waitFor(30, TimeUnit.SECONDS)).as("%s: it ended", what).isTrue();
    if (point.trigger() == Trigger.LAUNCHED) {
      // its agents were fetching the executor from the killed run's server: that fails the tasks
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (masterTasks().entrySet().stream().anyMatch(t -> !tasksAtStart.contains(t.getKey())
          && t.getValue().equals("TASK_STAGING")) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
    int done = countDone(state);
    story.add(what + ": " + done + " done (+" + (done - doneAtStart) + "), "
        + (server.downloads() - downloadsAtStart) + " downloads; master holds "
        + describe(masterTasks()) + "; " + recoveries(log));
    assertThat(done).as("%s interrupted the batch", what).isLessThan(IMAGES);
  }

  /**
   * An unfinished image whose attempts 1 and 2 the master holds, both ended unfinished: a run
   * reconciles attempt 1, moves on to 2 and launches it, and the master refuses it as a duplicate.
   */
  private Optional<String> relaunchIntoKnownId() {
    Map<String, String> tasks = masterTasks();
    return tasks.entrySet().stream()
        .filter(t -> t.getKey().endsWith(".1") && ENDED_UNFINISHED.contains(t.getValue()))
        .map(t -> t.getKey().substring(0, t.getKey().length() - ".1".length()))
        .filter(id -> ENDED_UNFINISHED.contains(tasks.getOrDefault(id + ".2", "")))
        .filter(id -> !Files.exists(state.resolve(id.substring("invert-".length()) + DONE)))
        .sorted().findFirst();
  }

  /** The master's tasks of every framework: Mesos task id to state. */
  private Map<String, String> masterTasks() {
    Map<String, String> tasks = new TreeMap<>();
    for (JsonElement fw : JsonParser.parseString(cluster.stateJson()).getAsJsonObject()
        .getAsJsonArray("frameworks")) {
      for (JsonElement t : fw.getAsJsonObject().getAsJsonArray("tasks")) {
        JsonObject task = t.getAsJsonObject();
        tasks.put(task.get("id").getAsString(), task.get("state").getAsString());
      }
    }
    return tasks;
  }

  private Process scheduler(Path log) throws IOException {
    // A killed scheduler cannot delete its artifact directory: keep it in the test's directory.
    Path tmp = Files.createDirectories(dir.resolve("scheduler-tmp"));
    Process p = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp,
        // the SIGKILL hits the scheduler's JVM, not a launcher waiting for it (Relaunch)
        "-Dmesoskit.relaunch=false",
        // task transitions, adoptions and recovered duplicate ids, for the assertions and a reader
        "-Dorg.slf4j.simpleLogger.log.dev.mesoskit.core.internal.FrameworkRuntime=info",
        "-cp", JAR.toString(), InvertImages.class.getName(),
        "--master=" + cluster.masterAddress(), "--address", "127.0.0.1", "--advertise",
        "127.0.0.1", "--images", list.toString(),
        "--output", out.toString(), "--cpus", "0.5", "--mem", "128",
        // the id alone, no state store: a restart knows its tasks only from their resubmission,
        // the case of the issue (with a state store, SchedulerRestartIT)
        "--framework-id-file", out.resolve(".framework-id").toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    started.add(p);
    return p;
  }

  /** Waits until {@code reached}, failing when the scheduler ends first or it takes too long. */
  private static void await(Process scheduler, String what, BooleanSupplier reached)
      throws InterruptedException {
    long deadline = System.nanoTime() + KILL_POINT_WAIT.toNanos();
    while (!reached.getAsBoolean()) {
      if (!scheduler.isAlive()) {
        fail(what + ": the scheduler ended before its kill point with exit code "
            + scheduler.exitValue());
      }
      if (System.nanoTime() > deadline) {
        fail(what + ": the kill point was not reached within " + KILL_POINT_WAIT.toSeconds()
            + " s");
      }
      Thread.sleep(5);
    }
  }

  private static List<String> writeImages(Path images, Random random) throws IOException {
    List<String> files = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      BufferedImage img = new BufferedImage(120, 90, BufferedImage.TYPE_INT_ARGB);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.setRGB(x, y, random.nextInt());
        }
      }
      String file = String.format("img-%03d.png", i);
      ImageIO.write(img, "png", images.resolve(file).toFile());
      files.add(file);
    }
    return files;
  }

  private static void assertExactInverse(String what, Path source, Path inverse)
      throws IOException {
    BufferedImage in = ImageIO.read(source.toFile());
    BufferedImage inv = ImageIO.read(inverse.toFile());
    assertThat(inv.getWidth()).as(what).isEqualTo(in.getWidth());
    assertThat(inv.getHeight()).as(what).isEqualTo(in.getHeight());
    for (int y = 0; y < in.getHeight(); y++) {
      for (int x = 0; x < in.getWidth(); x++) {
        int a = in.getRGB(x, y);
        if (inv.getRGB(x, y) != ((a & 0xFF000000) | (~a & 0xFFFFFF))) {
          throw new AssertionError(what + " is not the exact inverse at " + x + "," + y);
        }
      }
    }
  }

  /** Tasks by state, and how many are a later attempt than the first. */
  private static String describe(Map<String, String> tasks) {
    Map<String, Integer> byState = new TreeMap<>();
    tasks.values().forEach(st -> byState.merge(st, 1, Integer::sum));
    long later = tasks.keySet().stream().filter(id -> !id.endsWith(".1")).count();
    return tasks.size() + " tasks " + byState + " (" + later + " of a later attempt)";
  }

  /** How often a run's log says it recovered a duplicate id or adopted an earlier run's task. */
  private static String recoveries(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.stream().filter(l -> l.contains(DUPLICATE_RECOVERED)).count()
        + " duplicate ids recovered, " + lines.stream().filter(l -> l.contains("adopting "))
        .count() + " tasks or outcomes adopted";
  }

  private static Map<String, String> records(Path state) throws IOException {
    Map<String, String> records = new TreeMap<>();
    for (String name : names(state)) {
      if (name.endsWith(DONE)) {
        records.put(name, Files.readString(state.resolve(name)));
      }
    }
    return records;
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static int countDone(Path state) {
    if (!Files.isDirectory(state)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(state)) {
      return (int) files.filter(p -> p.getFileName().toString().endsWith(DONE)).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves the test's images over HTTP, holding the downloads of some until {@link #open()}. */
  private static final class TestImageServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch opened = new CountDownLatch(1);
    private final AtomicInteger downloads = new AtomicInteger();

    private TestImageServer(Path images, Set<String> held) throws IOException {
      http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      http.setExecutor(threads);
      http.createContext("/", ex -> {
        String file = ex.getRequestURI().getPath().substring(1);
        downloads.incrementAndGet();
        try {
          if (held.contains(file)) {
            opened.await();
          }
          Path path = images.resolve(file);
          byte[] body = file.matches("img-\\d+\\.png") && Files.isRegularFile(path)
              ? Files.readAllBytes(path) : null;
          ex.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
          try (OutputStream o = ex.getResponseBody()) {
            if (body != null) {
              o.write(body);
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ex.sendResponseHeaders(503, -1);
          ex.close();
        }
      });
    }

    static TestImageServer start(Path images, Set<String> held) throws IOException {
      TestImageServer server = new TestImageServer(images, held);
      server.http.start();
      return server;
    }

    URI uri(String file) {
      return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/" + file);
    }

    /** Requests so far, the held ones included. */
    int downloads() {
      return downloads.get();
    }

    /** Lets the held downloads (and every later one) through. */
    void open() {
      opened.countDown();
    }

    @Override
    public void close() {
      opened.countDown();
      http.stop(0);
      threads.shutdownNow();
    }
  }
}
