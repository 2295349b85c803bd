package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesoskit tasks}: the tasks of GET_TASKS, with their agents' hosts. */
@Command(name = "tasks", mixinStandardHelpOptions = true,
    description = "Lists tasks (GET_TASKS): running, unreachable and completed ones.")
final class TasksCommand extends ClusterCommand {
  /** The task lists of a GET_TASKS answer, in the order they print. */
  static final List<String> LISTS =
      List.of("tasks", "unreachable_tasks", "completed_tasks", "orphan_tasks");

  @Option(names = {"-f", "--framework"}, paramLabel = "ID",
      description = "only the tasks of this framework")
  String framework;

  @Option(names = {"-s", "--state"}, paramLabel = "STATE", description = "only tasks in this"
      + " state: running, finished, failed, killed, staging, ... or TASK_RUNNING, ...")
  String state;

  @Option(names = "--json", description = "print the master's GET_TASKS answer as JSON, with"
      + " the same filters applied to each task list")
  boolean json;

  @Override
  int run(OperatorClient client) {
    String wanted = null;
    if (state != null) {
      try {
        wanted = TaskStates.parse(state);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "Invalid value for option '--state': " + e.getMessage());
      }
    }
    if (framework != null && frameworks(client).stream().flatMap(List::stream)
        .noneMatch(f -> frameworkId(f).equals(framework))) {
      throw new CliException("unknown framework id " + framework + ": the master at "
          + client.master().getRawAuthority() + " knows no such framework");
    }
    String stateFilter = wanted;
    Predicate<JsonObject> keep = t -> (framework == null
        || Json.text(t, "framework_id", "value").orElse("").equals(framework))
        && (stateFilter == null || Json.text(t, "state").orElse("").equals(stateFilter));
    JsonObject answer = client.master("GET_TASKS", null);
    JsonObject lists = Json.object(answer, "get_tasks");
    if (json) {
      for (String list : LISTS) {
        if (lists.has(list)) {
          lists.add(list, Json.array(Json.objects(lists, list).stream().filter(keep).toList()));
        }
      }
      out().println(Json.pretty(answer));
      return 0;
    }
    Map<String, JsonObject> agents = agentInfos(client);
    Table table = new Table("ID", "NAME", "STATE", "FRAMEWORK", "AGENT", "HOST", "RESOURCES");
    for (String list : LISTS) {
      for (JsonObject t : Json.objects(lists, list)) {
        if (!keep.test(t)) {
          continue;
        }
        String agent = Json.text(t, "agent_id", "value").orElse("");
        JsonObject info = agents.get(agent);
        table.row(Json.text(t, "task_id", "value").orElse(""), Json.text(t, "name").orElse(""),
            Json.text(t, "state").orElse(""), Json.text(t, "framework_id", "value").orElse(""),
            agent, info == null ? "" : Json.text(info, "hostname").orElse(""),
            ResourceText.format(Json.objects(t, "resources")));
      }
    }
    out().print(table.render());
    return 0;
  }
}
