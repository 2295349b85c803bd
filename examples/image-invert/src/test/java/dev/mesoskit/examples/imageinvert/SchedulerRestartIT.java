package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mesoskit.local.LocalCluster;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler as its own JVM on a LocalCluster in this one, killed with SIGKILL mid-batch and
 * restarted with the same --output: the restart recovers every task from the state store the
 * first run kept in --output, every image ends exactly once with its exact inverse, no temporary
 * file is left, finished images are not redone, and the counts are exact.
 */
@Timeout(400)
class SchedulerRestartIT {
  private static final Path JAR = Path.of("target/image-invert.jar").toAbsolutePath();
  private static final int IMAGES = 40;

  private static Process scheduler(LocalCluster cluster, Path images, Path out, Path log)
      throws IOException {
    // A killed scheduler cannot delete its artifact directory: keep it in the test's directory.
    Path tmp = Files.createDirectories(out.resolveSibling("scheduler-tmp"));
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.io.tmpdir=" + tmp,
        // the SIGKILL hits the scheduler's JVM, not a launcher waiting for it (Relaunch)
        "-Dmesoskit.relaunch=false", "-cp", JAR.toString(), InvertImages.class.getName(),
        "--master=" + cluster.masterAddress(), "--address", "127.0.0.1", "--advertise",
        "127.0.0.1", "--images", images.toString(),
        "--output", out.toString(), "--cpus", "0.5", "--mem", "128")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSchedulerKilledMidBatchAndRestartedEndsWithEveryImageExactlyOnce(@TempDir Path dir)
      throws Exception {
    Path images = Files.createDirectories(dir.resolve("images"));
    Random random = new Random(42);
    for (int i = 0; i < IMAGES; i++) {
      BufferedImage img = new BufferedImage(700, 500, BufferedImage.TYPE_INT_ARGB);
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          img.setRGB(x, y, random.nextInt());
        }
      }
      ImageIO.write(img, "png", images.resolve(String.format("img-%02d.png", i)).toFile());
    }
    Path out = dir.resolve("out");
    Path state = out.resolve(".state");
    try (LocalCluster cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:3;mem:8192;disk:10240;ports:[31000-31999]").start()) {
      Process first = scheduler(cluster, images, out, dir.resolve("first.log"));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (countDone(state) < 5) {
        assertThat(first.isAlive()).as("the first scheduler still runs").isTrue();
        assertThat(System.nanoTime()).as("5 images done within 3 minutes").isLessThan(deadline);
        Thread.sleep(10);
      }
      first.destroyForcibly(); // SIGKILL
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      int doneBefore = countDone(state);
      // the killed run's uploads stay for the restart: one finished but not yet collected is
      // collected from there instead of being lost
      assertThat(out.resolve(".artifacts/inverted")).isDirectory();
      assertThat(doneBefore).as("killed mid-batch").isBetween(5, IMAGES - 1);
      Map<String, FileTime> finished = new TreeMap<>();
      for (String record : names(state)) {
        if (record.endsWith(".done")) {
          String name = record.substring(0, record.length() - ".done".length());
          finished.put(name, Files.getLastModifiedTime(out.resolve(name)));
        }
      }
      Process second = scheduler(cluster, images, out, dir.resolve("second.log"));
      assertThat(second.waitFor(5, TimeUnit.MINUTES)).as("the restarted scheduler ends").isTrue();
      String log = Files.readString(dir.resolve("second.log"), StandardCharsets.UTF_8);
      System.out.println(Files.readString(dir.resolve("first.log")) + "\n---- restarted ----\n" + log);
      assertThat(second.exitValue()).isZero();
      // It failed over to the killed run's framework: one framework in all, now torn down.
      JsonObject clusterState = JsonParser.parseString(cluster.stateJson()).getAsJsonObject();
      assertThat(clusterState.getAsJsonArray("completed_framework_ids")).hasSize(1);
      assertThat(clusterState.getAsJsonArray("frameworks")).isEmpty();
      assertThat(log).contains("image-invert: " + IMAGES + " inputs, " + IMAGES + " done, 0 failed,"
          + " 0 skipped in ").contains("(" + doneBefore + " done before)");
      // .framework-id.state: the framework's state store, emptied by the teardown
      List<String> expected = new ArrayList<>(List.of(".framework-id.state", ".state",
          "index.html"));
      for (int i = 0; i < IMAGES; i++) {
        expected.add(String.format("img-%02d-inverted.png", i));
      }
      assertThat(names(out)).containsExactlyInAnyOrderElementsOf(expected);
      // the restart took every task over from the state store: no attempt was started twice
      assertThat(cluster.launches()).extracting(l -> l.taskId()).doesNotHaveDuplicates();
      assertThat(cluster.launches()).extracting(l -> l.taskId().replaceAll("\\.\\d+$", ""))
          .containsAll(expected.stream().filter(n -> n.startsWith("img-"))
              .map(n -> "invert-" + n).toList());
      // a record per image and the batch's lock file, nothing half-written
      assertThat(names(state)).hasSize(IMAGES + 1).contains(".lock")
          .filteredOn(n -> !n.equals(".lock")).allMatch(n -> n.endsWith("-inverted.png.done"));
      finished.forEach((name, time) -> {
        try {
          assertThat(Files.getLastModifiedTime(out.resolve(name))).as("%s not redone", name)
              .isEqualTo(time);
        } catch (IOException e) {
          throw new AssertionError(e);
        }
      });
      for (int i = 0; i < IMAGES; i++) {
        BufferedImage in = ImageIO.read(images.resolve(String.format("img-%02d.png", i)).toFile());
        BufferedImage inv = ImageIO.read(new File(out.toFile(),
            String.format("img-%02d-inverted.png", i)));
        for (int y = 0; y < in.getHeight(); y++) {
          for (int x = 0; x < in.getWidth(); x++) {
            int a = in.getRGB(x, y);
            if (inv.getRGB(x, y) != ((a & 0xFF000000) | (~a & 0xFFFFFF))) {
              throw new AssertionError("img-" + i + " is not the exact inverse at " + x + "," + y);
            }
          }
        }
      }
    }
  }

  private static int countDone(Path state) throws IOException {
    if (!Files.isDirectory(state)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(state)) {
      return (int) files.filter(p -> p.getFileName().toString().endsWith(".done")).count();
    }
  }
}
