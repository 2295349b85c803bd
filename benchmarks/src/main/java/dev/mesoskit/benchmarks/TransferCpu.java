package dev.mesoskit.benchmarks;

import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.LaunchedTask;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What an executor JVM spends on its artifact transfers: a fresh JVM with an executor jar's class
 * path downloads every file of a directory through {@code TaskContext.download} and uploads it
 * back through {@code TaskContext.upload}, as the image-invert example's tasks do, against an
 * {@link ArtifactServer} in this JVM, and prints its own CPU (user + system, from
 * {@code /proc/self/stat}, JVM start included). Several executor jars, comma-separated (a build
 * before and after a change), run in turn, the list repeated {@code rounds} times, so before and
 * after alternate on the same files.
 *
 * <p>The child reaches {@code TaskContext}'s package-private constructor by reflection: the
 * transfers are package-private, and the point is to load nothing but what a task's transfers
 * load.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar dev.mesoskit.benchmarks.TransferCpu \
 *     /tmp/ii/images before/image-invert-executor.jar,after/image-invert-executor.jar 5
 * }</pre>
 */
public final class TransferCpu {
  private static final String TOKEN = "transfer-cpu-token-0123";

  private TransferCpu() {}

  /**
   * Runs the benchmark, or with {@code --child} one measured JVM.
   *
   * @param args a directory of files, the executor jars (comma-separated), rounds (default 5);
   *     or {@code --child <base URI> <file of URIs> <label>}
   * @throws Exception when a run fails
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(args[1], Path.of(args[2]), args[3]);
      return;
    }
    Path dir = Path.of(args[0]);
    List<String> jars = List.of(args[1].split(","));
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    Path self = Path.of(TransferCpu.class.getProtectionDomain().getCodeSource().getLocation()
        .toURI());
    try (ArtifactServer server = ArtifactServer.builder().temporaryDirectory("transfer-cpu")
        .bindAddress("127.0.0.1").advertisedHost("127.0.0.1").uploadToken(TOKEN).build()
        .start()) {
      List<String> uris = new ArrayList<>();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.sorted().toList()) {
          uris.add(server.publish(p).toString());
        }
      }
      Path list = Files.createTempFile("transfer-cpu", ".txt");
      Files.write(list, uris);
      System.out.println("files=" + uris.size() + " from " + dir + ", " + rounds + " rounds");
      for (int r = 0; r < rounds; r++) {
        for (String jar : jars) {
          // The executor jar first: its classes win over the same classes in this jar.
          Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
              .toString(), "-cp", jar + java.io.File.pathSeparator + self,
              TransferCpu.class.getName(), "--child", server.baseUri().toString(),
              list.toString(), jar).redirectErrorStream(true).start();
          String out = new String(p.getInputStream().readAllBytes());
          p.waitFor();
          out.lines().filter(l -> l.startsWith("jar=")).forEach(System.out::println);
        }
      }
      Files.delete(list);
    }
  }

  private static void child(String base, Path list, String label) throws Exception {
    List<String> uris = Files.readAllLines(list);
    Map<String, String> env = Map.of("MESOSKIT_ARTIFACTS_URL", base,
        "MESOSKIT_ARTIFACTS_TOKEN", TOKEN);
    LaunchedTask task = new LaunchedTask("transfer-cpu.1", "transfer-cpu", new byte[0], Map.of(),
        Resources.empty(), "executor", "framework", "agent", Optional.empty());
    Class<?> type = Class.forName("dev.mesoskit.core.executor.TaskContext");
    Constructor<?> make = type.getDeclaredConstructor(LaunchedTask.class, Path.class,
        Consumer.class, Function.class);
    make.setAccessible(true);
    Consumer<String> progress = m -> { };
    Function<String, String> processEnv = env::get;
    Object context = make.newInstance(task, Path.of("."), progress, processEnv);
    Method download = type.getMethod("download", URI.class, long.class);
    Method upload = type.getMethod("upload", String.class, byte[].class);
    long start = System.nanoTime();
    long bytes = 0;
    for (int i = 0; i < uris.size(); i++) {
      byte[] b = (byte[]) download.invoke(context, URI.create(uris.get(i)), 1L << 30);
      bytes += b.length;
      upload.invoke(context, "transfer-cpu/" + i, b);
    }
    double wall = (System.nanoTime() - start) / 1e9;
    String[] stat = Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ");
    double cpu = (Long.parseLong(stat[11]) + Long.parseLong(stat[12])) / 100.0;
    System.out.printf("jar=%s transfers=%d bytes=%d transfer wall=%.2fs process cpu=%.2fs"
        + " threads=%d%n", label, 2 * uris.size(), bytes, wall, cpu, Thread.activeCount());
  }
}
