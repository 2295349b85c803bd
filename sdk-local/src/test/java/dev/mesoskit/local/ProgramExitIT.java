package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nothing the SDK starts keeps a JVM alive after {@code main} returns: a program on
 * {@code --master=local} that forgets {@code close()} still exits.
 */
@Timeout(150)
class ProgramExitIT {
  @Test
  void aProgramThatForgetsCloseOnTheEmbeddedClusterStillExits() throws Exception {
    Process program = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ForgetfulProgram.class.getName())
        .redirectErrorStream(true).start();
    // Read the output as it comes, so that a full pipe never holds the program.
    StringBuffer output = new StringBuffer();
    Thread reader = new Thread(() -> {
      try {
        output.append(new String(program.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        output.append(e);
      }
    });
    reader.start();

    boolean exited = program.waitFor(120, TimeUnit.SECONDS);
    if (!exited) { // which threads hold it, for the failure's message
      Process dump = new ProcessBuilder(
          Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
          String.valueOf(program.pid()), "Thread.print").redirectErrorStream(true).start();
      output.append(new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      program.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      program.destroyForcibly();
    }
    reader.join(10_000);

    assertThat(exited).as("the program exited after main returned; its output:\n" + output)
        .isTrue();
    assertThat(output.toString()).contains("outcome FINISHED");
    assertThat(program.exitValue()).isZero();
  }
}
