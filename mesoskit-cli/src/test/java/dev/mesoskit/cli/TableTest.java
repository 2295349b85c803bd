package dev.mesoskit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void alignsColumnsWithTwoSpacesAndDashesForBlankCells() {
    String table = new Table("ID", "NAME", "STATE").row("a-long-id", "x", "RUNNING")
        .row("b", "", "FINISHED").render();

    assertThat(table).isEqualTo("""
        ID         NAME  STATE
        a-long-id  x     RUNNING
        b          -     FINISHED
        """);
  }

  @Test
  void aRowOfTheWrongWidthIsRejected() {
    assertThatThrownBy(() -> new Table("A", "B").row("1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row must have 2 cells but had 1");
  }
}
