package dev.mesoskit.benchmarks;

import dev.mesoskit.examples.imageinvert.InvertImages;
import dev.mesoskit.examples.imageinvert.Inversion;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The image-invert example on the embedded 2-agent LocalCluster ({@code --master=local}) against a
 * plain single-JVM loop that reads, inverts and writes the same images, and the overhead per core
 * used: {@code cluster time x cores used / loop time} (the target is at most 1.3). The third
 * argument is the image size, {@code 1024x768} by default; {@code 4000x3000} is a 12 MP photo.
 *
 * <pre>{@code
 * ./mvnw -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.ImageInvertOverhead \
 *     200 examples/image-invert/target/image-invert.jar 4000x3000
 * }</pre>
 */
public final class ImageInvertOverhead {
  private ImageInvertOverhead() {}

  /**
   * Runs the benchmark.
   *
   * @param args image count, the example's jar, the image size {@code <width>x<height>}
   * @throws Exception when a run fails
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Path jar = Path.of(args.length > 1 ? args[1] : "examples/image-invert/target/image-invert.jar");
    String[] size = (args.length > 2 ? args[2] : "1024x768").split("x");
    if (size.length != 2) {
      throw new IllegalArgumentException("the image size must be <width>x<height>, e.g. 4000x3000,"
          + " but was " + args[2]);
    }
    int width = Integer.parseInt(size[0]);
    int height = Integer.parseInt(size[1]);
    // The shapes scale with the image, so the content (and the compressed size) is alike.
    double scale = Math.sqrt((double) width * height / (1024 * 768));
    Path dir = Files.createTempDirectory("invert-bench");
    Path images = Files.createDirectories(dir.resolve("images"));
    Random random = new Random(1);
    for (int i = 0; i < count; i++) {
      BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
      Graphics2D g = img.createGraphics();
      g.setPaint(new GradientPaint(0, 0, new Color(random.nextInt()), width, height,
          new Color(random.nextInt())));
      g.fillRect(0, 0, width, height);
      for (int k = 0; k < 40; k++) {
        g.setColor(new Color(random.nextInt()));
        g.fillOval(random.nextInt(width), random.nextInt(height),
            (int) ((20 + random.nextInt(200)) * scale), (int) ((20 + random.nextInt(200)) * scale));
      }
      g.dispose();
      ImageIO.write(img, i % 2 == 0 ? "jpg" : "png",
          images.resolve(String.format("img-%03d.%s", i, i % 2 == 0 ? "jpg" : "png")).toFile());
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(images)) {
      files = s.sorted().toList();
    }
    // Warm the loop's JIT on a few images, then time it over all of them.
    Path loopOut = Files.createDirectories(dir.resolve("loop"));
    for (int i = 0; i < Math.min(10, files.size()); i++) {
      Inversion.invert(Files.readAllBytes(files.get(i)), "warm.png", 40_000_000L);
    }
    double loopCpu0 = ownCpuSeconds();
    long t0 = System.nanoTime();
    for (Path f : files) {
      String name = f.getFileName().toString().replace(".", "-inverted.");
      Files.write(loopOut.resolve(name), Inversion.invert(Files.readAllBytes(f), name, 40_000_000L));
    }
    double loopSeconds = (System.nanoTime() - t0) / 1e9;

    double loopCpu = ownCpuSeconds() - loopCpu0;

    long inputBytes = 0;
    for (Path f : files) {
      inputBytes += Files.size(f);
    }
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    double ownCpu0 = ownCpuSeconds();
    double childCpu0 = childrenCpuSeconds();
    long threads0 = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount();
    long t1 = System.nanoTime();
    int code = InvertImages.run(new PrintStream(console, true, StandardCharsets.UTF_8),
        "--images", images.toString(), "--output", dir.resolve("cluster").toString(),
        "--executor-jar", jar.toAbsolutePath().toString());
    double clusterSeconds = (System.nanoTime() - t1) / 1e9;
    double schedulerCpu = ownCpuSeconds() - ownCpu0;
    double executorCpu = childrenCpuSeconds() - childCpu0;
    long threads = ManagementFactory.getThreadMXBean().getTotalStartedThreadCount() - threads0;
    if (code != 0) {
      throw new IllegalStateException("the example failed:\n" + console);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("images=%d of %dx%d (%.1f MB in all) loop=%.1fs (1 core) cluster=%.1fs"
        + " (%d cores) speedup=%.2fx overhead_per_core=%.2f%n", count, width, height,
        inputBytes / 1e6, loopSeconds, clusterSeconds, cores, loopSeconds / clusterSeconds,
        clusterSeconds * cores / loopSeconds);
    System.out.printf("cpu: loop=%.1fs cluster=%.1fs (scheduler JVM with master, agents and"
        + " artifact server %.1fs, executor processes %.1fs) cpu_ratio=%.2f%n", loopCpu,
        schedulerCpu + executorCpu, schedulerCpu, executorCpu,
        (schedulerCpu + executorCpu) / loopCpu);
    System.out.printf("cpu per image: loop=%.1fms cluster=%.1fms, overhead per image=%.1fms;"
        + " threads started in the benchmark JVM during the cluster run: %d%n",
        loopCpu * 1000 / count, (schedulerCpu + executorCpu) * 1000 / count,
        (schedulerCpu + executorCpu - loopCpu) * 1000 / count, threads);
    deleteTree(dir);
  }

  /** Deletes the benchmark's images and outputs (hundreds of MB at 12 MP), after the timing. */
  private static void deleteTree(Path dir) throws java.io.IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** CPU time (user + system) of this JVM's threads, in seconds, from /proc/self/stat. */
  private static double ownCpuSeconds() throws java.io.IOException {
    String[] f = procSelfStat();
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS;
  }

  /**
   * CPU time (user + system) of this JVM's exited and reaped child processes, in seconds: the
   * executors, once the local cluster has waited for them.
   */
  private static double childrenCpuSeconds() throws java.io.IOException {
    String[] f = procSelfStat();
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) / CLOCK_TICKS;
  }

  /** Clock ticks per second of /proc's times (USER_HZ, 100 on Linux). */
  private static final double CLOCK_TICKS = 100.0;

  /** The fields of /proc/self/stat after the command name, so field 14 (utime) is index 11. */
  private static String[] procSelfStat() throws java.io.IOException {
    Path stat = Path.of("/proc/self/stat");
    if (!Files.isReadable(stat)) {
      throw new IllegalStateException("this benchmark reads CPU times from /proc/self/stat,"
          + " which this platform does not have");
    }
    String line = Files.readString(stat);
    return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
  }
}
