package dev.mesoskit.core;

import java.util.List;
import java.util.Objects;

/**
 * How an {@link Service#update} ended.
 *
 * @param completed whether every instance was replaced
 * @param rolledBack whether the update failed and the old template's instances were restored
 * @param reason why it ended: {@code "replaced 4 instances"}, {@code "stopped"},
 *     {@code "web-5 not up within PT5M"}, {@code "web-5 failed its health check: ..."},
 *     {@code "web-5 ended FAILED before it was up: ..."}
 * @param events what the update did, in order
 */
public record UpdateOutcome(boolean completed, boolean rolledBack, String reason,
    List<UpdateEvent> events) {
  /**
   * Validates and copies the list.
   *
   * @param completed whether every instance was replaced
   * @param rolledBack whether the update failed and the old template's instances were restored
   * @param reason why it ended
   * @param events what the update did, in order
   */
  public UpdateOutcome {
    Objects.requireNonNull(reason, "reason must not be null");
    events = List.copyOf(events);
  }
}
