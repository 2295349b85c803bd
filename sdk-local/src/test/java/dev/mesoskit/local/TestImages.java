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
 * The test image {@value #BUSYBOX}: a root file system with a static busybox and its applets
 * ({@code sh echo sleep cat httpd nc true false ls id test touch trap}), imported into podman from
 * this machine's {@code /bin/busybox} (Debian's busybox-static) when it is missing.
 */
final class TestImages {
  static final String BUSYBOX = "localhost/mesoskit-busybox:test";
  private static final Path HOST_BUSYBOX = Path.of("/bin/busybox");
  private static final List<String> APPLETS = List.of("sh", "echo", "sleep", "cat", "httpd", "nc",
      "true", "false", "ls", "id", "test", "touch", "[");

  private TestImages() {}

  /**
   * Why image tests cannot run here, or empty when podman works and {@value #BUSYBOX} exists
   * (built now if needed).
   */
  static synchronized Optional<String> busyboxUnavailable(Path scratch) throws Exception {
    Podman podman = Podman.detect(ContainerRuntime.AUTO, scratch);
    if (podman.unusable().isPresent()) {
      return Optional.of("podman is not usable: " + podman.unusable().get()
          + " (apt-get install -y podman runc busybox-static)");
    }
    Duration wait = Duration.ofMinutes(2);
    if (podman.run(List.of("image", "exists", BUSYBOX), wait).exitCode() == 0) {
      return Optional.empty();
    }
    if (!Files.isExecutable(HOST_BUSYBOX)) {
      return Optional.of("the image " + BUSYBOX + " is missing and there is no " + HOST_BUSYBOX
          + " to build it from (apt-get install -y busybox-static)");
    }
    Path rootfs = Files.createTempDirectory(scratch, "rootfs");
    Path bin = Files.createDirectories(rootfs.resolve("bin"));
    Files.copy(HOST_BUSYBOX, bin.resolve("busybox"));
    for (String applet : APPLETS) {
      Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
    }
    Path etc = Files.createDirectories(rootfs.resolve("etc"));
    Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n",
        StandardCharsets.UTF_8);
    Files.writeString(etc.resolve("group"), "root:x:0:\n", StandardCharsets.UTF_8);
    for (String empty : List.of("root", "tmp", "mnt/mesos/sandbox")) {
      Files.createDirectories(rootfs.resolve(empty));
    }
    Path tar = scratch.resolve("rootfs.tar");
    Process tarring = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(),
        ".").inheritIO().start();
    if (tarring.waitFor() != 0) {
      return Optional.of("tar could not pack the busybox root file system");
    }
    Podman.Result imported = podman.run(List.of("import", "-q", tar.toString(), BUSYBOX), wait);
    deleteTree(rootfs);
    if (imported.exitCode() != 0) {
      return Optional.of("podman import " + BUSYBOX + " " + imported.describe());
    }
    return Optional.empty();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
