package dev.mesoskit.examples.webserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage is refused with exit code 2 and a message naming the option, before anything starts. */
@Timeout(30)
class WebServersTest {
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private int run(String... args) {
    return WebServers.run(new PrintStream(console, true, StandardCharsets.UTF_8),
        new CompletableFuture<>(), args);
  }

  @Test
  void zeroInstancesIsBadUsage() {
    assertThat(run("--instances", "0")).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .isEqualTo("webserver: --instances must be >= 1 but was 0\n");
  }

  @Test
  void aNegativeStopTimeoutIsBadUsage() {
    assertThat(run("--stop-timeout", "-1")).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .isEqualTo("webserver: --stop-timeout must be >= 0 but was -1\n");
  }

  @Test
  void anExecutorThatIsNotAJarIsBadUsage(@TempDir Path dir) {
    assertThat(run("--executor-jar", dir.toString())).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8))
        .isEqualTo("webserver: the executor must be a jar; give --executor-jar, not " + dir + "\n");
  }

  @Test
  void anUnknownOptionIsBadUsage() {
    assertThat(run("--instance", "2")).isEqualTo(2);
    assertThat(console.toString(StandardCharsets.UTF_8)).startsWith("Unknown options: '--instance', '2'");
  }
}
