package dev.mesoskit.core.spi;

import dev.mesoskit.core.TaskId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one packing pass: the placements, and for every task left pending the reason a
 * human can read ({@code "needs mem 512 MB, the largest offer has 256 MB"}).
 *
 * @param placements the tasks placed, in launch order
 * @param unplaced why each task that was not placed could not be
 */
public record Packing(List<Placement> placements, Map<TaskId, String> unplaced) {
  /**
   * Copies the fields.
   *
   * @param placements the tasks placed, in launch order
   * @param unplaced why each task that was not placed could not be
   */
  public Packing {
    placements = List.copyOf(placements);
    unplaced = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(unplaced));
  }
}
