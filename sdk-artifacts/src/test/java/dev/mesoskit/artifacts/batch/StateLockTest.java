package dev.mesoskit.artifacts.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The state directory lock against another process, the case it exists for. */
@Timeout(60)
class StateLockTest {
  /** Holds the lock of the directory in args[0] until its standard input closes. */
  public static final class Holder {
    private Holder() {}

    /**
     * Locks, says so, waits.
     *
     * @param args the state directory
     * @throws Exception when it cannot lock
     */
    public static void main(String[] args) throws Exception {
      try (StateLock held = StateLock.acquire(Path.of(args[0]))) {
        System.out.println("locked");
        System.out.flush();
        while (System.in.read() >= 0) {
          // wait for the test to close our input or kill us
        }
      }
    }
  }

  @Test
  void anotherProcessHoldingTheDirectoryIsNamedAndItsDeathReleasesIt(@TempDir Path dir)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        Holder.class.getName(), dir.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    try {
      BufferedReader out = new BufferedReader(
          new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
      assertThat(out.readLine()).isEqualTo("locked");

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
