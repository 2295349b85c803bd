package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mesoskit frameworks}: the frameworks of GET_FRAMEWORKS. */
@Command(name = "frameworks", mixinStandardHelpOptions = true,
    description = "Lists the frameworks the master knows (GET_FRAMEWORKS).")
final class FrameworksCommand extends ClusterCommand {
  @Option(names = "--json", description = "print the master's GET_FRAMEWORKS answer as JSON"
      + " (completed_frameworks emptied unless --all)")
  boolean json;

  @Option(names = {"-a", "--all"}, description = "also list completed (torn down) frameworks")
  boolean all;

  @Override
  int run(OperatorClient client) {
    JsonObject answer = client.master("GET_FRAMEWORKS", null);
    if (json) {
      if (!all && answer.has("get_frameworks")) {
        Json.object(answer, "get_frameworks").add("completed_frameworks", Json.array(List.of()));
      }
      out().println(Json.pretty(answer));
      return 0;
    }
    Table table = new Table("ID", "NAME", "STATE", "USER", "ROLES", "ALLOCATED");
    for (JsonObject f : Json.objects(answer, "get_frameworks", "frameworks")) {
      String state = !Json.flag(f, true, "connected") ? "disconnected"
          : Json.flag(f, true, "active") ? "active" : "inactive";
      row(table, f, state);
    }
    if (all) {
      for (JsonObject f : Json.objects(answer, "get_frameworks", "completed_frameworks")) {
        row(table, f, "completed");
      }
    }
    out().print(table.render());
    return 0;
  }

  private static void row(Table table, JsonObject f, String state) {
    JsonObject info = Json.object(f, "framework_info");
    List<String> roles = Json.strings(info, "roles");
    String role = roles.isEmpty() ? Json.text(info, "role").orElse("*") : String.join(",", roles);
    table.row(frameworkId(f), Json.text(info, "name").orElse(""), state,
        Json.text(info, "user").orElse(""), role,
        ResourceText.format(Json.objects(f, "allocated_resources")));
  }
}
