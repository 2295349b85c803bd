package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mesoskit teardown FRAMEWORK_ID}: the operator's TEARDOWN. */
@Command(name = "teardown", mixinStandardHelpOptions = true,
    description = "Tears a framework down (TEARDOWN): the master kills its tasks and forgets it,"
        + " also when its scheduler is gone.")
final class TeardownCommand extends ClusterCommand {
  @Parameters(paramLabel = "FRAMEWORK_ID", description = "the framework's id")
  String frameworkId;

  @Override
  int run(OperatorClient client) {
    List<List<JsonObject>> lists = frameworks(client);
    String where = client.master().getRawAuthority();
    JsonObject framework = find(lists.get(0));
    if (framework == null) {
      JsonObject completed = find(lists.get(1));
      if (completed != null) {
        throw new CliException("framework " + frameworkId + " (" + name(completed)
            + ") is already torn down or finished");
      }
      throw new CliException("unknown framework id " + frameworkId + ": the master at " + where
          + " knows no such framework ('mesoskit frameworks' lists them)");
    }
    JsonObject teardown = new JsonObject();
    JsonObject id = new JsonObject();
    id.addProperty("value", frameworkId);
    teardown.add("framework_id", id);
    client.master("TEARDOWN", teardown);
    out().println("Tore down framework " + frameworkId + " (" + name(framework) + ").");
    return 0;
  }

  private JsonObject find(List<JsonObject> frameworks) {
    return frameworks.stream().filter(f -> frameworkId(f).equals(frameworkId)).findFirst()
        .orElse(null);
  }

  private static String name(JsonObject framework) {
    return Json.text(framework, "framework_info", "name").orElse("");
  }
}
