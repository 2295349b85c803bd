package dev.mesoskit.core;

import java.util.Objects;

/**
 * The identity of one submitted task, stable across all of its attempts.
 *
 * <p>Mesos maps task ids to sandbox directories, so the same rules apply as in Mesos' own
 * validation: not empty, not {@code .} or {@code ..}, no {@code /}, no {@code \}, no control
 * characters. MesosKit appends the attempt number when it launches a task ({@code id.2}), so an
 * id may have at most {@value #MAX_LENGTH} characters, leaving room for the suffix under Mesos'
 * limit of 255.
 *
 * @param value the id as the user chose it
 */
public record TaskId(String value) implements Comparable<TaskId> {
  /** The longest id accepted, so that {@code id.attempt} stays within Mesos' 255 characters. */
  public static final int MAX_LENGTH = 240;

  /**
   * Validates the id against Mesos' rules.
   *
   * @param value the id as the user chose it
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public TaskId {
    Objects.requireNonNull(value, "task id must not be null");
    if (value.isEmpty()) {
      throw new IllegalArgumentException("task id must not be empty");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "task id must be at most " + MAX_LENGTH + " characters but was " + value.length());
    }
    if (value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("task id must not be '.' or '..' but was '" + value + "'");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '/' || c == '\\' || Character.isISOControl(c)) {
        throw new IllegalArgumentException(
            "task id must not contain '/', '\\' or control characters but was '"
                + value.replaceAll("\\p{Cc}", "?") + "'");
      }
    }
  }

  /**
   * Returns the id with the given value.
   *
   * @param value the id
   * @return the validated id
   */
  public static TaskId of(String value) {
    return new TaskId(value);
  }

  @Override
  public int compareTo(TaskId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
