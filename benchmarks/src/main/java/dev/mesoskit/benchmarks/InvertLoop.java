package dev.mesoskit.benchmarks;

import dev.mesoskit.examples.imageinvert.Inversion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The plain loop {@link ImageInvertOverhead} compares the example with, as a program of its own:
 * reads every image of a directory, inverts it with the example's {@link Inversion} and writes it
 * to another directory, on as many threads as asked. No framework, no network, no checksums.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.InvertLoop IMAGES OUT THREADS
 * }</pre>
 */
public final class InvertLoop {
  private InvertLoop() {}

  /**
   * Inverts every file of a directory.
   *
   * @param args the image directory, the output directory, the number of threads
   * @throws Exception when an image cannot be read, inverted or written
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("usage: InvertLoop IMAGES OUT THREADS");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.sorted().toList();
    }
    run(files, Files.createDirectories(Path.of(args[1])), Integer.parseInt(args[2]));
  }

  /**
   * Inverts the files on {@code threads} threads, each taking the next file not yet taken.
   *
   * @param files the images
   * @param out where the inverses go, named {@code <name>-inverted.<ext>}
   * @param threads how many threads invert at once
   * @throws Exception the first failure of any thread
   */
  static void run(List<Path> files, Path out, int threads) throws Exception {
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        workers.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
            Path f = files.get(i);
            String name = f.getFileName().toString().replace(".", "-inverted.");
            Files.write(out.resolve(name),
                Inversion.invert(Files.readAllBytes(f), name, 40_000_000L));
          }
          return null;
        }));
      }
      for (Future<?> w : workers) {
        w.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
