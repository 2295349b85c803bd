package dev.mesoskit.offers;

import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.spi.PendingTask;
import dev.mesoskit.core.spi.Placement;
import java.util.Map;
import java.util.Set;

/** Short ways to write the offers, tasks and placements of hand-checked cases. */
final class TestInputs {
  static final ExecutorSpec EXEC = ExecutorSpec.of("exec", CommandSpec.shell("./run"));

  private TestInputs() {}

  /** An offer of agent {@code agent} on host {@code agent.example}. */
  static Offer offer(String id, String agent, String resources) {
    return Offer.of(id, agent, agent + ".example", Resources.parse(resources));
  }

  /** An offer with attributes, e.g. {@code "rack", "r1"}. */
  static Offer offer(String id, String agent, String resources, String... attributes) {
    Map<String, String> attrs = new java.util.LinkedHashMap<>();
    for (int i = 0; i < attributes.length; i += 2) {
      attrs.put(attributes[i], attributes[i + 1]);
    }
    return new Offer(id, agent, agent + ".example", Resources.parse(resources), attrs, Set.of());
  }

  /** An offer of an agent that already runs executor {@code exec}. */
  static Offer offerRunning(String id, String agent, String resources, String exec) {
    return new Offer(id, agent, agent + ".example", Resources.parse(resources), Map.of(),
        Set.of(exec));
  }

  static PendingTask command(String id, String resources) {
    return pending(TaskSpec.builder().name(id).resources(resources).command("true").build(), id);
  }

  /** A command task labelled {@code key=value}. */
  static PendingTask labelled(String id, String resources, String key, String value) {
    return pending(TaskSpec.builder().name(id).resources(resources).command("true")
        .label(key, value).build(), id);
  }

  static PendingTask onExecutor(String id, String resources) {
    return onExecutor(id, resources, EXEC);
  }

  static PendingTask onExecutor(String id, String resources, ExecutorSpec executor) {
    return pending(TaskSpec.builder().name(id).resources(resources).executor(executor).build(), id);
  }

  static PendingTask pending(TaskSpec spec, String id) {
    return new PendingTask(TaskId.of(id), spec);
  }

  static Placement placement(String task, String agent, String resources) {
    return new Placement(TaskId.of(task), agent, Resources.parse(resources), Resources.empty());
  }

  static Placement placement(String task, String agent, String resources,
      String executorResources) {
    return new Placement(TaskId.of(task), agent, Resources.parse(resources),
        Resources.parse(executorResources));
  }

  static Map.Entry<TaskId, String> reason(String task, String reason) {
    return Map.entry(TaskId.of(task), reason);
  }
}
