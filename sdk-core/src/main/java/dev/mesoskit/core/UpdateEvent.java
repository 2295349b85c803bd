package dev.mesoskit.core;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing a {@link Service#update} did: killed, launched or saw up an instance, or began to
 * roll back. Its string form is {@code "KILL web-4"}, {@code "LAUNCH web-5"}, {@code "UP web-5"} or
 * {@code "ROLLBACK"}.
 *
 * @param kind what happened
 * @param instance the instance it happened to; empty for {@link Kind#ROLLBACK}
 */
public record UpdateEvent(Kind kind, Optional<TaskId> instance) {
  /** What an update did. */
  public enum Kind {
    /** An instance was killed: an old one replaced, or a new one rolled back. */
    KILL,
    /** An instance was submitted: a new one, or an old template's one restored. */
    LAUNCH,
    /** A new instance came up. */
    UP,
    /** The update failed and begins to roll back. */
    ROLLBACK
  }

  /**
   * Validates.
   *
   * @param kind what happened
   * @param instance the instance it happened to; empty only for {@link Kind#ROLLBACK}
   */
  public UpdateEvent {
    Objects.requireNonNull(kind, "kind must not be null");
    Objects.requireNonNull(instance, "instance must not be null");
    if (instance.isEmpty() != (kind == Kind.ROLLBACK)) {
      throw new IllegalArgumentException("instance must be empty exactly for ROLLBACK but was "
          + instance + " for " + kind);
    }
  }

  static UpdateEvent kill(TaskId id) {
    return new UpdateEvent(Kind.KILL, Optional.of(id));
  }

  static UpdateEvent launch(TaskId id) {
    return new UpdateEvent(Kind.LAUNCH, Optional.of(id));
  }

  static UpdateEvent up(TaskId id) {
    return new UpdateEvent(Kind.UP, Optional.of(id));
  }

  static UpdateEvent rollback() {
    return new UpdateEvent(Kind.ROLLBACK, Optional.empty());
  }

  @Override
  public String toString() {
    return kind + instance.map(id -> " " + id).orElse("");
  }
}
