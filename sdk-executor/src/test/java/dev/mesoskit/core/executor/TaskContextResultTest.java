package dev.mesoskit.core.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Resources;
import dev.mesoskit.core.spi.LaunchedTask;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TaskContext.result: the small result a task leaves for its TASK_FINISHED update. */
class TaskContextResultTest {
  private final TaskContext ctx = new TaskContext(new LaunchedTask("invert-a.1", "a",
      new byte[0], Map.of(), Resources.empty(), "exec", "fw", "agent", Optional.empty()),
      Path.of("."), m -> { });

  @Test
  void aTaskHasNoResultUntilItSetsOne() {
    assertThat(ctx.resultData()).isEmpty();
  }

  @Test
  void keepsACopyOfTheResultSoLaterChangesToTheArrayDoNotCount() {
    byte[] data = {1, 2, 3};
    ctx.result(data);
    data[0] = 9;

    assertThat(ctx.resultData()).get().isEqualTo(new byte[] {1, 2, 3});
    ctx.resultData().orElseThrow()[1] = 9;
    assertThat(ctx.resultData()).get().isEqualTo(new byte[] {1, 2, 3});
  }

  @Test
  void aLaterResultReplacesAnEarlierOneAndAnEmptyOneIsNone() {
    ctx.result("first");
    ctx.result("second");
    assertThat(ctx.resultData()).get().isEqualTo("second".getBytes(StandardCharsets.UTF_8));

    ctx.result(new byte[0]);
    assertThat(ctx.resultData()).isEmpty();
  }

  @Test
  void takesExactly64KiBAndRefusesOneByteMoreNamingTheSize() {
    byte[] most = new byte[TaskContext.MAX_RESULT_BYTES];
    Arrays.fill(most, (byte) 7);
    ctx.result(most);
    assertThat(TaskContext.MAX_RESULT_BYTES).isEqualTo(65536);
    assertThat(ctx.resultData()).get().isEqualTo(most);

    assertThatThrownBy(() -> ctx.result(new byte[65537]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("result must be at most 65536 bytes but was 65537");
    assertThat(ctx.resultData()).get().isEqualTo(most);
  }

  @Test
  void aTextResultIsItsUtf8BytesAndTheBoundCountsThoseBytes() {
    ctx.result("grün");
    assertThat(ctx.resultData()).get().isEqualTo(new byte[] {'g', 'r', (byte) 0xc3, (byte) 0xbc,
        'n'});

    String tooLong = "ü".repeat(32 * 1024 + 1); // 32769 chars, 65538 bytes
    assertThatThrownBy(() -> ctx.result(tooLong))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("result must be at most 65536 bytes but was 65538");
  }

  @Test
  void aNullResultIsRefusedNamingTheParameter() {
    assertThatThrownBy(() -> ctx.result((byte[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("data must not be null");
    assertThatThrownBy(() -> ctx.result((String) null))
        .isInstanceOf(NullPointerException.class).hasMessage("text must not be null");
  }
}
