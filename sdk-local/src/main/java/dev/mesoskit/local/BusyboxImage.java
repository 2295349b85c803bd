package dev.mesoskit.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A small container image for trying image tasks on LocalCluster without a registry:
 * {@value #NAME}, a root file system holding this machine's static busybox ({@code /bin/busybox}
 * of Debian's {@code busybox-static}) with every applet it has ({@code sh}, {@code httpd},
 * {@code mkdir}, ...), imported into podman. Tests and examples use it; on a real cluster use an
 * image from your registry instead (e.g. {@code busybox:1.36}).
 *
 * <pre>{@code
 * Optional<String> why = BusyboxImage.ensure(Files.createTempDirectory("image"));
 * // empty: podman works here and the image exists (imported now if it was missing)
 * }</pre>
 */
public final class BusyboxImage {
  /** The image's name in podman's local storage. */
  public static final String NAME = "localhost/mesoskit-busybox:latest";
  private static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
  private static final Duration WAIT = Duration.ofMinutes(2);

  private BusyboxImage() {}

  /**
   * Makes sure podman can run {@value #NAME}, importing it if it is missing.
   *
   * @param scratch a directory for podman's configuration and the image's root file system
   * @return why image tasks cannot run here (podman unusable, no busybox to build from, import
   *     failed, or a trial container would not run), or empty when they can; the first answer
   *     is kept for the rest of the JVM's life
   * @throws IOException if the scratch directory cannot be written
   * @throws InterruptedException if interrupted while podman or tar runs
   */
  public static synchronized Optional<String> ensure(Path scratch)
      throws IOException, InterruptedException {
    if (verdict == null) {
      verdict = check(scratch);
    }
    return verdict;
  }

  /** What {@link #ensure} found the first time in this JVM. */
  private static Optional<String> verdict;

  private static Optional<String> check(Path scratch) throws IOException, InterruptedException {
    Podman podman = Podman.detect(ContainerRuntime.AUTO, scratch);
    if (podman.unusable().isPresent()) {
      return Optional.of("podman is not usable: " + podman.unusable().get()
          + " (apt-get install -y podman runc busybox-static)");
    }
    Optional<String> missing = podman.run(List.of("image", "exists", NAME), WAIT).exitCode() == 0
        ? Optional.empty() : importImage(podman, scratch);
    if (missing.isPresent()) {
      return missing;
    }
    // podman answering is not podman running: a machine may refuse containers (rlimits, cgroups)
    Podman.Result probe = podman.run(List.of("run", "--rm", "--network=host", NAME, "true"), WAIT);
    return probe.exitCode() == 0 ? Optional.empty()
        : Optional.of("podman cannot run " + NAME + " here: " + probe.describe());
  }

  private static Optional<String> importImage(Podman podman, Path scratch)
      throws IOException, InterruptedException {
    if (!Files.isExecutable(HOST_BUSYBOX)) {
      return Optional.of("the image " + NAME + " is missing and there is no " + HOST_BUSYBOX
          + " to build it from (apt-get install -y busybox-static)");
    }
    Path rootfs = Files.createTempDirectory(scratch, "rootfs");
    try {
      Path bin = Files.createDirectories(rootfs.resolve("bin"));
      Files.copy(HOST_BUSYBOX, bin.resolve("busybox"));
      for (String applet : applets()) {
        if (!applet.equals("busybox")) {
          Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
      }
      Path etc = Files.createDirectories(rootfs.resolve("etc"));
      Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n",
          StandardCharsets.UTF_8);
      Files.writeString(etc.resolve("group"), "root:x:0:\n", StandardCharsets.UTF_8);
      for (String empty : List.of("root", "tmp", "mnt/mesos/sandbox")) {
        Files.createDirectories(rootfs.resolve(empty));
      }
      Path tar = scratch.resolve("busybox-rootfs.tar");
      Process tarring = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf",
          tar.toString(), ".").redirectErrorStream(true).start();
      String tarOutput = new String(tarring.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8);
      if (tarring.waitFor() != 0) {
        return Optional.of("tar could not pack the busybox root file system: " + tarOutput);
      }
      Podman.Result imported = podman.run(List.of("import", "-q", tar.toString(), NAME), WAIT);
      Files.deleteIfExists(tar);
      return imported.exitCode() == 0 ? Optional.empty()
          : Optional.of("podman import " + NAME + " " + imported.describe());
    } finally {
      deleteTree(rootfs);
    }
  }

  /** The applets this busybox has ({@code busybox --list}), one per line. */
  private static List<String> applets() throws IOException, InterruptedException {
    Process list = new ProcessBuilder(HOST_BUSYBOX.toString(), "--list").start();
    String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (list.waitFor() != 0) {
      throw new IOException(HOST_BUSYBOX + " --list exited " + list.exitValue());
    }
    return out.lines().map(String::strip).filter(a -> !a.isEmpty() && !a.contains("/"))
        .toList();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
