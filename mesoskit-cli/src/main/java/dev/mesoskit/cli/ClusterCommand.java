package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import dev.mesoskit.core.MasterAddress;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a Mesos master: parses {@code --master}, opens the client, runs. */
abstract class ClusterCommand implements Callable<Integer> {
  @Mixin
  MasterOptions masterOptions;

  @Spec
  CommandSpec spec;

  @Override
  public final Integer call() {
    MasterAddress address;
    try {
      address = MasterAddress.parse(masterOptions.master);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "Invalid value for option '--master': " + e.getMessage());
    }
    if (address.kind() == MasterAddress.Kind.LOCAL) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--master=local starts no"
          + " cluster for '" + spec.name() + "': run 'mesoskit local' in another terminal and"
          + " pass the master it prints (e.g. --master=127.0.0.1:5050)");
    }
    if (masterOptions.timeoutSeconds < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--timeout-seconds must be >= 1 but was " + masterOptions.timeoutSeconds);
    }
    OperatorClient client;
    try {
      client = OperatorClient.connect(address, Duration.ofSeconds(masterOptions.timeoutSeconds));
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage(), e);
    }
    try (client) {
      int code = run(client);
      out().flush();
      return code;
    }
  }

  /** Runs the command against the master; returns the exit code. */
  abstract int run(OperatorClient client);

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Agent id to its {@code agent_info}, from GET_AGENTS (registered and recovered agents). */
  static Map<String, JsonObject> agentInfos(OperatorClient client) {
    JsonObject answer = client.master("GET_AGENTS", null);
    Map<String, JsonObject> infos = new HashMap<>();
    for (JsonObject agent : Json.objects(answer, "get_agents", "agents")) {
      JsonObject info = Json.object(agent, "agent_info");
      Json.text(info, "id", "value").ifPresent(id -> infos.put(id, info));
    }
    for (JsonObject info : Json.objects(answer, "get_agents", "recovered_agents")) {
      Json.text(info, "id", "value").ifPresent(id -> infos.putIfAbsent(id, info));
    }
    return infos;
  }

  /** An agent's base URI from its {@code agent_info}: {@code http://hostname:port}. */
  static URI agentUri(JsonObject info) {
    String host = Json.text(info, "hostname").orElse("127.0.0.1");
    String port = Json.text(info, "port").orElse("5051");
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
  }

  /** The framework lists of GET_FRAMEWORKS: active (and inactive) ones, then completed ones. */
  static List<List<JsonObject>> frameworks(OperatorClient client) {
    JsonObject answer = client.master("GET_FRAMEWORKS", null);
    return List.of(Json.objects(answer, "get_frameworks", "frameworks"),
        Json.objects(answer, "get_frameworks", "completed_frameworks"));
  }

  static String frameworkId(JsonObject framework) {
    return Json.text(framework, "framework_info", "id", "value").orElse("");
  }
}
