package dev.mesoskit.artifacts.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchValuesTest {
  @Test
  void progressCountsMustAddUpToTheTotal() {
    assertThatThrownBy(() -> new BatchProgress(5, 1, 1, 1, 1, 0, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("counts must add up to total 5 but were skipped=1 done=1 failed=1 running=1"
            + " pending=0");
    assertThatThrownBy(() -> new BatchProgress(0, 0, 0, 0, -1, 1, Duration.ZERO))
        .hasMessage("counts must be >= 0 but were skipped=0 done=0 failed=0 running=-1 pending=1");
  }

  @Test
  void theRateCountsOnlyWhatThisRunCompleted() {
    BatchProgress p = new BatchProgress(10, 4, 3, 1, 2, 0, Duration.ofSeconds(2));
    assertThat(p.completed()).isEqualTo(8);
    assertThat(p.perSecond()).isEqualTo(2.0);
    assertThat(p.line()).isEqualTo("7/10 done, 1 failed, 2 running, 0 pending, 2.0/s");
    assertThat(new BatchProgress(1, 0, 0, 0, 0, 1, Duration.ZERO).perSecond()).isZero();
  }

  @Test
  void aSummarySaysWhetherEveryKeyIsDone() {
    BatchSummary ok = new BatchSummary(2, List.of("a", "b"), 1, Map.of(), Duration.ofMillis(1500));
    assertThat(ok.succeeded()).isTrue();
    assertThat(ok.line()).isEqualTo("2 done (1 skipped, done before), 0 failed of 2 in 1.5 s");
    BatchSummary failed = new BatchSummary(2, List.of("a"), 0, Map.of("b", "why"), Duration.ZERO);
    assertThat(failed.succeeded()).isFalse();
    assertThatThrownBy(() -> new BatchSummary(3, List.of("a"), 0, Map.of(), Duration.ZERO))
        .hasMessage("done 1 and failed 0 must add up to total 3");
    assertThatThrownBy(() -> new BatchSummary(1, List.of("a"), 2, Map.of(), Duration.ZERO))
        .hasMessage("skipped must be in [0, 1] but was 2");
  }
}
