package dev.mesoskit.examples.imageinvert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.local.LocalCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example on a 2-agent LocalCluster whose agents are other hosts as far as the network goes
 * ({@code isolatedNetwork}): with the default artifact server settings every sample is inverted;
 * with the server advertised as 127.0.0.1 (the classic multinode mistake) every task fails with a
 * reason naming the URL agents could not fetch. Skipped without root.
 */
@Timeout(300)
class IsolatedNetworkIT {
  private static final Path IMAGES = Path.of("../../images").toAbsolutePath().normalize();
  private static final Path JAR = Path.of("target/image-invert-executor.jar").toAbsolutePath();
  /** Each sample and the name of its inverse. */
  private static final Map<String, String> SAMPLES = Map.of("sunset-alpha.png",
      "sunset-alpha-inverted.png", "palette.png", "palette-inverted.png", "gray.png",
      "gray-inverted.png", "ramp-16bit.png", "ramp-16bit-inverted.png", "shapes.gif",
      "shapes-inverted.gif", "shapes.bmp", "shapes-inverted.bmp", "landscape.jpg",
      "landscape-inverted.jpg", "landscape-gray.jpg", "landscape-gray-inverted.jpg");

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private LocalCluster cluster;
  private String prefix;

  @BeforeAll
  static void needsRoot() {
    Assumptions.assumeTrue(LocalCluster.isolatedNetworkUnavailable().isEmpty(),
        () -> "skipped: " + LocalCluster.isolatedNetworkUnavailable().orElse(""));
  }

  @BeforeEach
  void start() {
    // tutorial:begin isolated-cluster
    cluster = LocalCluster.builder().agents(2)
        .isolatedNetwork(true)                  // each agent a host of its own (needs root)
        .agentResources("cpus:3;mem:8192;disk:10240;ports:[31000-31999]")
        .start();
    String master = cluster.masterAddress();    // 10.213.N.1:PORT, the bridge's host side
    // tutorial:end isolated-cluster
    assertThat(master).matches("10\\.213\\.\\d+\\.1:\\d+");
    prefix = cluster.isolatedNetworkPrefix().orElseThrow();
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    assertThat(leftovers(prefix)).as("namespaces and links left by %s", prefix).isEmpty();
  }

  /** Every namespace and link whose name starts with {@code prefix-}, as {@code ip} lists them. */
  static List<String> leftovers(String prefix) throws Exception {
    List<String> left = new ArrayList<>();
    for (List<String> command : List.of(List.of("ip", "netns", "list"),
        List.of("ip", "-o", "link", "show"))) {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      for (String line : new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8).split("\n")) {
        String name = line.contains(": ") ? line.split(":\\s+")[1] : line;
        if (name.startsWith(prefix + "-")) {
          left.add(line);
        }
      }
      process.waitFor();
    }
    return left;
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of("--master=" + cluster.masterAddress(),
        "--executor-jar", JAR.toString()));
    all.addAll(List.of(args));
    int code = InvertImages.run(new PrintStream(console, true, StandardCharsets.UTF_8),
        all.toArray(String[]::new));
    System.out.println(console.toString(StandardCharsets.UTF_8));
    return code;
  }

  @Test
  void everySampleIsInvertedByAgentsOnOtherHosts(@TempDir Path out) throws Exception {
    assertThat(run("--images", IMAGES.toString(), "--output", out.toString(),
        "--framework-id-file", out.resolve("id").toString(), "--cpus", "0.5", "--mem", "256"))
        .isZero();
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("image-invert: 11 inputs, 8 done, 0 failed, 3 skipped in ");
    for (var sample : SAMPLES.entrySet()) {
      byte[] expected = Inversion.invert(Files.readAllBytes(IMAGES.resolve(sample.getKey())),
          sample.getValue(), Long.MAX_VALUE);
      assertThat(Files.readAllBytes(out.resolve(sample.getValue())))
          .as("%s inverted on an isolated agent, byte for byte as in this JVM", sample.getKey())
          .isEqualTo(expected);
    }
    assertThat(cluster.launches()).hasSize(8)
        .allSatisfy(launch -> assertThat(launch.agentId()).isIn(cluster.agentIds()));
  }

  @Test
  void anArtifactServerAdvertisedAsLoopbackFailsEachTaskNamingTheUrl(@TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectory(dir.resolve("in"));
    Files.copy(IMAGES.resolve("gray.png"), in.resolve("gray.png"));
    Files.copy(IMAGES.resolve("palette.png"), in.resolve("palette.png"));
    Path out = dir.resolve("out");
    assertThat(run("--images", in.toString(), "--output", out.toString(),
        "--framework-id-file", dir.resolve("id").toString(), "--advertise", "127.0.0.1",
        "--cpus", "0.5", "--mem", "256")).isEqualTo(1);
    String text = console.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("image-invert: 2 inputs, 0 done, 2 failed, 0 skipped in ");
    Pattern failed = Pattern.compile("  FAILED (\\S+): failed after 3 attempts: TASK_FAILED"
        + " \\(REASON_CONTAINER_LAUNCH_FAILED\\): Failed to launch container: Failed to fetch"
        + " '(http://127\\.0\\.0\\.1:(\\d+)/artifacts/[0-9a-f]{64}/image-invert-executor\\.jar)':"
        + " Error downloading resource: Failed to connect to 127\\.0\\.0\\.1 port (\\d+):"
        + " Couldn't connect to server\n");
    Matcher m = failed.matcher(text);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
      assertThat(m.group(4)).isEqualTo(m.group(3));
    }
    assertThat(names).map(name -> Path.of(name).getFileName().toString())
        .containsExactlyInAnyOrder("gray.png", "palette.png");
  }
}
