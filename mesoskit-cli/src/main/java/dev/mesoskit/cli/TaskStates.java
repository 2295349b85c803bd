package dev.mesoskit.cli;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.mesos.v1.Protos.TaskState;

/** Mesos task state names as the command line takes them, and which are terminal. */
final class TaskStates {
  private static final Set<String> TERMINAL = Set.of("TASK_FINISHED", "TASK_FAILED",
      "TASK_KILLED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE",
      "TASK_GONE_BY_OPERATOR");

  private TaskStates() {}

  /**
   * The Mesos name of a state given as {@code running}, {@code TASK_RUNNING} or
   * {@code task_running}.
   *
   * @throws IllegalArgumentException naming the states for anything else
   */
  static String parse(String text) {
    String upper = text.strip().toUpperCase(Locale.ROOT);
    String name = upper.startsWith("TASK_") ? upper : "TASK_" + upper;
    try {
      TaskState.valueOf(name);
      return name;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("state must be one of " + Arrays.stream(
          TaskState.values()).map(s -> s.name().substring(5).toLowerCase(Locale.ROOT))
          .collect(Collectors.joining(", ")) + " but was '" + text + "'");
    }
  }

  static boolean terminal(String state) {
    return TERMINAL.contains(state);
  }
}
