package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesoskit agents}: the agents of GET_AGENTS. */
@Command(name = "agents", mixinStandardHelpOptions = true,
    description = "Lists the agents registered with the master (GET_AGENTS).")
final class AgentsCommand extends ClusterCommand {
  @Option(names = "--json", description = "print the master's GET_AGENTS answer as JSON")
  boolean json;

  @Override
  int run(OperatorClient client) {
    JsonObject answer = client.master("GET_AGENTS", null);
    if (json) {
      out().println(Json.pretty(answer));
      return 0;
    }
    Table table = new Table("ID", "HOST", "PORT", "STATE", "RESOURCES", "ALLOCATED");
    for (JsonObject agent : Json.objects(answer, "get_agents", "agents")) {
      JsonObject info = Json.object(agent, "agent_info");
      String state = !Json.flag(agent, true, "active") ? "inactive"
          : Json.flag(agent, false, "deactivated") ? "deactivated" : "active";
      if (!Json.object(agent, "drain_info").entrySet().isEmpty()) {
        state = "draining";
      }
      table.row(Json.text(info, "id", "value").orElse(""), Json.text(info, "hostname").orElse(""),
          Json.text(info, "port").orElse(""), state,
          ResourceText.format(Json.objects(agent, "total_resources").isEmpty()
              ? Json.objects(info, "resources") : Json.objects(agent, "total_resources")),
          ResourceText.format(Json.objects(agent, "allocated_resources")));
    }
    for (JsonObject info : Json.objects(answer, "get_agents", "recovered_agents")) {
      table.row(Json.text(info, "id", "value").orElse(""), Json.text(info, "hostname").orElse(""),
          Json.text(info, "port").orElse(""), "recovered",
          ResourceText.format(Json.objects(info, "resources")), "");
    }
    out().print(table.render());
    return 0;
  }
}
