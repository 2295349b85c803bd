package dev.mesoskit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TaskIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"web-1", "a", "...", ".hidden", "with space", "ünïcødé", "a.b_c:d"})
  void acceptsIdsMesosAccepts(String value) {
    TaskId id = TaskId.of(value);

    assertThat(id.value()).isEqualTo(value);
    assertThat(id).hasToString(value).isEqualTo(new TaskId(value));
  }

  @Test
  void acceptsAtMost240Characters() {
    assertThat(TaskId.of("x".repeat(240)).value()).hasSize(240);
    assertThatThrownBy(() -> TaskId.of("x".repeat(241)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must be at most 240 characters but was 241");
  }

  @Test
  void rejectsEmptyAndNull() {
    assertThatThrownBy(() -> TaskId.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not be empty");
    assertThatThrownBy(() -> TaskId.of(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("task id must not be null");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", ".."})
  void rejectsDotAndDotDot(String value) {
    assertThatThrownBy(() -> TaskId.of(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not be '.' or '..' but was '" + value + "'");
  }

  @Test
  void rejectsSlashesAndControlCharactersAndMasksThemInTheMessage() {
    assertThatThrownBy(() -> TaskId.of("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not contain '/', '\\' or control characters but was 'a/b'");
    assertThatThrownBy(() -> TaskId.of("a\\b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not contain '/', '\\' or control characters but was 'a\\b'");
    assertThatThrownBy(() -> TaskId.of("line\nbreak\t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "task id must not contain '/', '\\' or control characters but was 'line?break?'");
    assertThatThrownBy(() -> TaskId.of("del\u007f"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("task id must not contain '/', '\\' or control characters but was 'del?'");
    assertThatThrownBy(() -> TaskId.of("next\u0085line"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "task id must not contain '/', '\\' or control characters but was 'next?line'");
  }

  @Test
  void ordersByValue() {
    List<TaskId> ids = new ArrayList<>(List.of(TaskId.of("b"), TaskId.of("a-2"), TaskId.of("a")));

    Collections.sort(ids);

    assertThat(ids).containsExactly(TaskId.of("a"), TaskId.of("a-2"), TaskId.of("b"));
    assertThat(TaskId.of("a").compareTo(TaskId.of("a"))).isZero();
  }
}
