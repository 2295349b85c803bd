package dev.mesoskit.artifacts.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class ProgressDisplayTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final AtomicReference<BatchProgress> counts = new AtomicReference<>(
      new BatchProgress(4, 1, 0, 0, 2, 1, Duration.ofSeconds(1)));

  @Test
  void withoutATerminalItPrintsOnePlainLinePerChangeAndTheFinalCounts() throws Exception {
    ProgressDisplay display = ProgressDisplay.start(counts::get, out, false, Duration.ofMillis(10));
    Thread.sleep(100); // several refreshes, one change
    counts.set(new BatchProgress(4, 1, 2, 1, 0, 0, Duration.ofSeconds(2)));
    display.close();
    assertThat(bytes.toString(StandardCharsets.UTF_8).split("\n")).containsExactly(
        "batch: 1/4 done, 0 failed, 2 running, 1 pending, 0.0/s",
        "batch: 3/4 done, 1 failed, 0 running, 0 pending, 1.5/s");
  }

  @Test
  void onATerminalItDrawsAProgressBarWithTheCounts() {
    counts.set(new BatchProgress(4, 1, 1, 1, 1, 0, Duration.ofSeconds(2)));
    ProgressDisplay.start(counts::get, out, true, Duration.ofMillis(10)).close();
    String drawn = bytes.toString(StandardCharsets.UTF_8);
    assertThat(drawn).contains("batch").contains("3/4").contains("75%")
        .contains("1 failed, 1 running, 0 pending, 1.0/s").contains("\r");
  }
}
