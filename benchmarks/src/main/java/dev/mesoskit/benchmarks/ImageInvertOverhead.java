package dev.mesoskit.benchmarks;

import dev.mesoskit.examples.imageinvert.Inversion;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The image-invert example on the embedded 2-agent LocalCluster ({@code java -jar image-invert.jar},
 * {@code --master=local}) against a plain single-JVM loop that reads, inverts and writes the same
 * images ({@link InvertLoop}), each run as a program of its own, and the overhead per core used:
 * {@code cluster time x cores used / loop time} (the target is at most 1.3). CPU times are those
 * of the programs and every process they waited for (the example's executors), from
 * {@code /proc/self/stat}. Also printed, for reference: the loop on one thread per core and the
 * loop in this JVM after warming its JIT. The third argument is the image size, {@code 1024x768}
 * by default ({@code 4000x3000} is a 12 MP photo); with {@code ,photo} after it (e.g.
 * {@code 4000x3000,photo}) the images get sensor-like noise and the JPEGs quality 0.9, so they
 * are about as large as photos (the plain ones compress about 20 times better). Later
 * arguments go to the example.
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
   * @param args image count, the example's jar (or several, comma-separated, each run in turn
   *     on the same images), the image size {@code <width>x<height>[,photo]}, then arguments
   *     for the example
   * @throws Exception when a run fails
   */
  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    // Several jars, comma-separated (e.g. a build before and after a change), each run in turn on
    // the same images after the loops, so their ratios come from one run.
    List<Path> jars = Stream.of((args.length > 1 ? args[1]
        : "examples/image-invert/target/image-invert.jar").split(",")).map(Path::of).toList();
    String spec = args.length > 2 ? args[2] : "1024x768";
    boolean photo = spec.endsWith(",photo");
    String[] size = spec.replace(",photo", "").split("x");
    if (size.length != 2) {
      throw new IllegalArgumentException("the image size must be <width>x<height>[,photo], e.g."
          + " 4000x3000 or 4000x3000,photo, but was " + args[2]);
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
      Path file = images.resolve(String.format("img-%03d.%s", i, i % 2 == 0 ? "jpg" : "png"));
      if (photo) {
        addNoise(img, random.nextLong());
      }
      if (i % 2 == 0 && photo) {
        writeJpeg(img, file, 0.9f);
      } else {
        ImageIO.write(img, i % 2 == 0 ? "jpg" : "png", file.toFile());
      }
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(images)) {
      files = s.sorted().toList();
    }
    long inputBytes = 0;
    for (Path f : files) {
      inputBytes += Files.size(f);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classpath = System.getProperty("java.class.path");

    // Reference: the loop in this JVM, its JIT warmed on a few images first.
    Path warmOut = Files.createDirectories(dir.resolve("warm"));
    for (int i = 0; i < Math.min(10, files.size()); i++) {
      Inversion.invert(Files.readAllBytes(files.get(i)), "warm.png", 40_000_000L);
    }
    double warmCpu0 = ownCpuSeconds();
    long t0 = System.nanoTime();
    InvertLoop.run(files, warmOut, 1);
    double warmSeconds = (System.nanoTime() - t0) / 1e9;
    double warmCpu = ownCpuSeconds() - warmCpu0;

    // The baseline: the plain loop as a program of its own, like the example, on one thread and
    // on one thread per core (what the hardware gives for this work in parallel).
    Run loop = Run.of(List.of(java, "-cp", classpath, InvertLoop.class.getName(),
        images.toString(), dir.resolve("loop").toString(), "1"), dir.resolve("loop.log"));
    Run parallel = Run.of(List.of(java, "-cp", classpath, InvertLoop.class.getName(),
        images.toString(), dir.resolve("parallel").toString(), Integer.toString(cores)),
        dir.resolve("parallel.log"));

    // The example, as the README runs it: its own JVM with the embedded cluster, executors fetched
    // by the agents, every image served, uploaded with its SHA-256 checked and collected once.
    List<Run> clusters = new ArrayList<>();
    for (int j = 0; j < jars.size(); j++) {
      List<String> example = new ArrayList<>(List.of(java, "-jar",
          jars.get(j).toAbsolutePath().toString(), "--images", images.toString(), "--output",
          dir.resolve("cluster-" + j).toString()));
      example.addAll(List.of(args).subList(Math.min(3, args.length), args.length));
      clusters.add(Run.of(example, dir.resolve("cluster-" + j + ".log")));
    }

    System.out.printf("images=%d of %dx%d%s (%.1f MB in all), %d cores%n", count, width, height,
        photo ? " with photo-like noise" : "", inputBytes / 1e6, cores);
    System.out.printf("loop, own JVM, 1 thread:     %6.1fs wall %6.1fs cpu%n", loop.seconds,
        loop.cpu);
    System.out.printf("loop, own JVM, %d threads:    %6.1fs wall %6.1fs cpu%n", cores,
        parallel.seconds, parallel.cpu);
    System.out.printf("loop, warm JIT, this JVM:    %6.1fs wall %6.1fs cpu%n", warmSeconds,
        warmCpu);
    for (int j = 0; j < jars.size(); j++) {
      Run cluster = clusters.get(j);
      if (jars.size() > 1) {
        System.out.println("example jar " + jars.get(j) + ":");
      }
      System.out.printf("example on the local cluster:%6.1fs wall %6.1fs cpu (scheduler JVM with"
          + " master, agents, artifact server, and the executors)%n", cluster.seconds, cluster.cpu);
      System.out.printf("overhead per core used = cluster wall x %d / loop wall: %.2f"
          + " (against the %d-thread loop: %.2f, against the warm loop: %.2f)%n", cores,
          cluster.seconds * cores / loop.seconds, cores, cluster.seconds / parallel.seconds,
          cluster.seconds * cores / warmSeconds);
      System.out.printf("cpu ratio = cluster cpu / loop cpu: %.2f (against the %d-thread loop:"
          + " %.2f, against the warm loop: %.2f); cpu per image: loop %.1fms, cluster %.1fms%n",
          cluster.cpu / loop.cpu, cores, cluster.cpu / parallel.cpu, cluster.cpu / warmCpu,
          loop.cpu * 1000 / count, cluster.cpu * 1000 / count);
    }
    deleteTree(dir);
  }

  /**
   * Sensor-like noise, up to 4 levels either way per channel and pixel, so the images compress
   * about as badly as photos: a 12 MP PNG of about 24 MB instead of 1 MB.
   */
  private static void addNoise(BufferedImage img, long seed) {
    int[] pixels = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    long s = seed | 1;
    for (int p = 0; p < pixels.length; p++) {
      s ^= s << 13;
      s ^= s >>> 7;
      s ^= s << 17;
      int rgb = pixels[p];
      int r = clamp(((rgb >> 16) & 0xff) + (int) (s & 7) - 4);
      int g = clamp(((rgb >> 8) & 0xff) + (int) ((s >> 3) & 7) - 4);
      int b = clamp((rgb & 0xff) + (int) ((s >> 6) & 7) - 4);
      pixels[p] = r << 16 | g << 8 | b;
    }
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  private static void writeJpeg(BufferedImage img, Path file, float quality) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), param);
    } finally {
      writer.dispose();
    }
  }

  /** A program run to its end: wall time and the CPU of it and every process it waited for. */
  private record Run(double seconds, double cpu) {
    static Run of(List<String> command, Path log) throws Exception {
      double cpu0 = childrenCpuSeconds();
      long t0 = System.nanoTime();
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      int code = process.waitFor();
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (code != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + code
            + ":\n" + Files.readString(log));
      }
      return new Run(seconds, childrenCpuSeconds() - cpu0);
    }
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
