package dev.mesoskit.artifacts.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The state directory lock against another process, the case it exists for. */
@Timeout(60)
class StateLockTest {
  /**
   * Locks the directory in args[0] and says "locked", then holds it until its standard input
   * closes; or says "refused" and exits.
   */
  public static final class Holder {
    private Holder() {}

    /**
     * Locks, says so, waits.
     *
     * @param args the state directory
     * @throws Exception when reading the input fails
     */
    public static void main(String[] args) throws Exception {
      StateLock held;
      try {
        held = StateLock.acquire(Path.of(args[0]));
      } catch (IllegalStateException e) {
        System.out.println("refused");
        return;
      }
      try (held) {
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
          // wait for the test to close our input or kill us
        }
      }
    }
  }

  private static Process holder(Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Holder.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  private static String firstLine(Process process) throws Exception {
    return new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)).readLine();
  }

  @Test
  void aRefusedSecondRunInThisJvmLeavesTheLockHeldAgainstOtherProcesses(@TempDir Path dir)
      throws Exception {
    try (StateLock mine = StateLock.acquire(dir)) {
      for (Path sameDirectory : List.of(dir, dir.resolve("."), dir.resolve("x/.."))) {
        Files.createDirectories(dir.resolve("x"));
        assertThatThrownBy(() -> StateLock.acquire(sameDirectory))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("(process " + ProcessHandle.current().pid() + " holds");
      }
      Process other = holder(dir);
      assertThat(firstLine(other)).isEqualTo("refused"); // still held after the refusals
      assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    Process other = holder(dir);
    try {
      assertThat(firstLine(other)).isEqualTo("locked"); // released by close
    } finally {
      other.destroyForcibly();
      other.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void anotherProcessHoldingTheDirectoryIsNamedAndItsDeathReleasesIt(@TempDir Path dir)
      throws Exception {
    Process holder = holder(dir);
    try {
      assertThat(firstLine(holder)).isEqualTo("locked");

      assertThatThrownBy(() -> StateLock.acquire(dir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("the batch state directory " + dir + " is in use by another run (process "
              + holder.pid() + " holds " + dir.resolve(".lock") + "); two schedulers must not"
              + " share a state directory at once");
    } finally {
      holder.destroyForcibly(); // as kill -9: the kernel releases its lock
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    try (StateLock mine = StateLock.acquire(dir)) {
      assertThatThrownBy(() -> StateLock.acquire(dir)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("(process " + ProcessHandle.current().pid() + " holds");
    }
    StateLock.acquire(dir).close(); // released by close
  }
}
