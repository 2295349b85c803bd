package dev.mesoskit.core;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a {@link Service} finds of itself among a framework's tasks when it starts: the tasks
 * named {@code <name>-<n>} ({@code n} a positive integer) that have no outcome yet and are not
 * being killed (a scale-down or an update that a scheduler asked for before it died), which it
 * adopts as its instances, and the highest {@code n} of any such task, ended or not, after which
 * it numbers new instances.
 *
 * @param live the tasks without an outcome, in number order; empty when there are none
 * @param lastNumber the highest number of any task of the name, 0 when there is none
 */
record RecoveredInstances(List<TaskId> live, int lastNumber) {
  RecoveredInstances {
    live = List.copyOf(live);
  }

  /**
   * Looks for the instances of the service named {@code name} among {@code tasks}.
   *
   * @param name the service's template name
   * @param tasks the framework's tasks, e.g. those it recovered from its state store
   * @param beingKilled whether a task's kill was requested
   * @return the live instances and the highest number in use
   */
  static RecoveredInstances of(String name, List<Task> tasks,
      java.util.function.Predicate<TaskId> beingKilled) {
    Pattern instance = Pattern.compile(Pattern.quote(name) + "-([1-9][0-9]{0,8})");
    record Numbered(int number, Task task) {}
    List<Numbered> found = tasks.stream()
        .map(t -> {
          Matcher m = instance.matcher(t.id().value());
          return m.matches() ? new Numbered(Integer.parseInt(m.group(1)), t) : null;
        })
        .filter(Objects::nonNull)
        .sorted(Comparator.comparingInt(Numbered::number))
        .toList();
    return new RecoveredInstances(
        found.stream().filter(n -> !n.task().done() && !beingKilled.test(n.task().id()))
            .map(n -> n.task().id()).toList(),
        found.stream().mapToInt(Numbered::number).max().orElse(0));
  }
}
