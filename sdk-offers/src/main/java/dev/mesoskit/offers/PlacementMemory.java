package dev.mesoskit.offers;

import dev.mesoskit.core.TaskId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the tasks of each constrained group run, as far as one {@link Packer} knows: the tasks it
 * placed, until it hears that their attempt ended. Used by the event thread only.
 */
final class PlacementMemory {
  /** A group: the index of a {@link Packer} binding and the group key within it. */
  record GroupId(int binding, String key) {}

  /** Where one task runs. */
  record Where(String agentId, String hostname, Map<String, String> attributes) {
    /** The value of {@code name}, with {@link Constraints#HOSTNAME} for the hostname. */
    String attribute(String name) {
      return Constraints.HOSTNAME.equals(name) ? hostname : attributes.get(name);
    }
  }

  private final Map<GroupId, Map<TaskId, Where>> groups = new HashMap<>();
  private final Map<TaskId, List<GroupId>> byTask = new HashMap<>();

  void remember(TaskId task, GroupId group, Where where) {
    groups.computeIfAbsent(group, g -> new LinkedHashMap<>()).put(task, where);
    byTask.computeIfAbsent(task, t -> new ArrayList<>(2)).add(group);
  }

  void forget(TaskId task) {
    List<GroupId> of = byTask.remove(task);
    if (of == null) {
      return;
    }
    for (GroupId g : of) {
      Map<TaskId, Where> members = groups.get(g);
      members.remove(task);
      if (members.isEmpty()) {
        groups.remove(g);
      }
    }
  }

  Collection<Where> placed(GroupId group) {
    Map<TaskId, Where> members = groups.get(group);
    return members == null ? List.of() : members.values();
  }

  int tasks() {
    return byTask.size();
  }
}
