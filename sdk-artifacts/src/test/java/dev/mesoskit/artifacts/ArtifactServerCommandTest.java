package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ArtifactServerCommandTest {
  @TempDir
  Path tmp;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine commandLine = ArtifactServerCommand.commandLine(new ArtifactServerCommand(Map.of()))
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void printsUsageWithEveryOption() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString())
        .startsWith("Usage: mesoskit-artifacts [-hV] [--advertise=HOST] [--bind=ADDRESS] --dir=DIR")
        .contains("--dir=DIR", "--port=PORT", "--bind=ADDRESS", "--advertise=HOST",
            "--token-file=FILE", "--max-upload-bytes=BYTES", "Default: 8080.",
            "Default: 1073741824 (1 GiB).");
  }

  @Test
  void refusesToRunWithoutADirectory() {
    assertThat(run("--port", "0")).isEqualTo(2);

    assertThat(err.toString()).startsWith("Missing required option: '--dir=DIR'");
  }

  @Test
  void refusesASettingTheServerRefuses() {
    assertThat(run("--dir", tmp.toString(), "--port", "70000")).isEqualTo(2);

    assertThat(err.toString()).startsWith("port must be between 0 and 65535 but was 70000");
  }

  @Test
  void reportsAFailureToStartInOneLine() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getLoopbackAddress())) {
      int exit = run("--dir", tmp.toString(), "--bind", "127.0.0.1", "--port",
          String.valueOf(taken.getLocalPort()));

      assertThat(exit).isEqualTo(1);
      assertThat(err.toString()).startsWith("mesoskit-artifacts: cannot start artifact server:"
          + " bind=127.0.0.1 port=" + taken.getLocalPort() + " (java.io.IOException: Failed to"
          + " bind to /127.0.0.1:" + taken.getLocalPort() + ")");
    }
  }

  @Test
  void writesANewTokenFileReadableOnlyByItsOwner() throws Exception {
    Path file = tmp.resolve("token");

    String token = ArtifactServerCommand.tokenFromFile(file);

    assertThat(token).matches("[A-Za-z0-9_-]{43}");
    assertThat(Files.readString(file)).isEqualTo(token + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(ArtifactServerCommand.tokenFromFile(file)).isEqualTo(token);
  }

  @Test
  void readsAnExistingTokenFile() throws Exception {
    Path file = Files.writeString(tmp.resolve("token"), "  shared-token-0123456789\n");

    assertThat(ArtifactServerCommand.tokenFromFile(file)).isEqualTo("shared-token-0123456789");
  }
}
