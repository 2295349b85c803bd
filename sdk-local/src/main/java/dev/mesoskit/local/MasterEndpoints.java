package dev.mesoskit.local;

import static dev.mesoskit.local.LocalMaster.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mesoskit.core.Resource;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.Resources;
import dev.mesoskit.local.LocalMaster.AgentEntry;
import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import dev.mesoskit.local.LocalMaster.OfferEntry;
import dev.mesoskit.local.LocalMaster.TaskEntry;
import java.util.List;
import java.util.TreeMap;
import org.apache.mesos.v1.Protos;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The read endpoints of a {@link LocalMaster} beside its scheduler API: {@code /state} (also
 * {@code /master/state} and {@code /state.json}) as JSON from the master's books,
 * {@code /health}, {@code /redirect}, and 404 for any other path.
 *
 * <p>Threading: HTTP threads call it; the state is read under the master's lock (the
 * {@link LocalMaster} monitor).
 */
final class MasterEndpoints {
  private final LocalMaster master;

  MasterEndpoints(LocalMaster master) {
    this.master = master;
  }

  /** Answers a request for {@code path}, any path but the scheduler API's. */
  void handle(String path, Response response, Callback callback) {
    switch (path) {
      case "/state", "/master/state", "/state.json" -> text(response, callback, 200,
          "application/json", state().toString());
      case "/health", "/master/health" -> text(response, callback, 200, "text/plain", "");
      case "/redirect", "/master/redirect" -> {
        response.getHeaders().put(HttpHeader.LOCATION, "//" + master.settings.host() + ":"
            + master.port());
        text(response, callback, 307, "text/plain", "");
      }
      default -> text(response, callback, 404, "text/plain", "no such endpoint: " + path);
    }
  }

  /** The master's {@code /state}: agents, frameworks, their tasks, executors and offers. */
  JsonObject state() {
    synchronized (master) {
      return stateOfBooks();
    }
  }

  /** The state as the books say it. Holds the master's lock. */
  private JsonObject stateOfBooks() {
    JsonObject root = new JsonObject();
    root.addProperty("id", master.masterId);
    root.addProperty("hostname", master.settings.host());
    root.addProperty("pid", "master@" + master.settings.host() + ":" + master.port());
    root.addProperty("activated_slaves", master.agents.values().stream()
        .filter(a -> a.reachable && !a.gone).count());
    JsonArray slaves = new JsonArray();
    for (AgentEntry a : master.agents.values()) {
      JsonObject s = new JsonObject();
      s.addProperty("id", a.id());
      s.addProperty("hostname", a.agent.hostname());
      s.addProperty("active", a.reachable && !a.gone);
      s.add("resources", resourcesJson(a.total));
      Resources used = a.gone ? Resources.empty() : a.total.minus(a.free.plus(offered(a.id())));
      s.add("used_resources", resourcesJson(used));
      JsonObject attributes = new JsonObject();
      for (Protos.Attribute attr : a.agent.attributes()) {
        attributes.addProperty(attr.getName(), attr.hasText() ? attr.getText().getValue()
            : attr.hasScalar() ? String.valueOf(attr.getScalar().getValue()) : attr.toString());
      }
      s.add("attributes", attributes);
      slaves.add(s);
    }
    root.add("slaves", slaves);
    JsonArray fws = new JsonArray();
    for (FrameworkEntry fw : master.frameworks.values()) {
      JsonObject f = new JsonObject();
      f.addProperty("id", fw.id().getValue());
      f.addProperty("name", fw.info.getName());
      f.addProperty("active", fw.stream != null);
      f.addProperty("role", fw.info.getRolesCount() > 0 ? fw.info.getRoles(0) : "*");
      f.addProperty("failover_timeout", fw.info.getFailoverTimeout());
      JsonArray tasks = new JsonArray();
      for (TaskEntry t : fw.tasks.values()) {
        JsonObject task = new JsonObject();
        task.addProperty("id", t.info.getTaskId().getValue());
        task.addProperty("name", t.info.getName());
        task.addProperty("state", t.state.name());
        task.addProperty("slave_id", t.agentId);
        task.add("resources", resourcesJson(t.resources));
        tasks.add(task);
      }
      f.add("tasks", tasks);
      JsonArray executors = new JsonArray();
      new TreeMap<>(fw.executors).forEach((agentId, onAgent) -> new TreeMap<>(onAgent)
          .forEach((executorId, e) -> {
            JsonObject executor = new JsonObject();
            executor.addProperty("id", executorId);
            executor.addProperty("slave_id", agentId);
            executor.add("resources", resourcesJson(e.resources()));
            executors.add(executor);
          }));
      f.add("executors", executors);
      f.addProperty("offers", master.offers.values().stream()
          .filter(o -> o.frameworkId().equals(fw.id().getValue())).count());
      fws.add(f);
    }
    root.add("frameworks", fws);
    JsonArray completed = new JsonArray();
    master.removedFrameworks.forEach(completed::add);
    root.add("completed_framework_ids", completed);
    return root;
  }

  /** What outstanding offers hold of an agent. Holds the master's lock. */
  private Resources offered(String agentId) {
    Resources sum = Resources.empty();
    for (OfferEntry o : master.offers.values()) {
      if (o.agentId().equals(agentId)) {
        sum = sum.plus(ProtoResources.unallocated(o.resources()));
      }
    }
    return sum;
  }

  private static JsonObject resourcesJson(Resources r) {
    JsonObject o = new JsonObject();
    for (String name : List.of("cpus", "mem", "disk", "gpus")) {
      o.addProperty(name, r.scalar(name));
    }
    o.addProperty("ports", r.ranges("ports").toString());
    // Resources of any other name, as Mesos models them: scalars as numbers, ranges and sets as
    // their text.
    for (Resource res : r) {
      String name = res.name();
      if (ResourceSpec.NAMES.contains(name) || o.has(name)) {
        continue;
      }
      if (res.value() instanceof Resource.Scalar) {
        o.addProperty(name, r.scalar(name));
      } else if (res.value() instanceof Resource.RangesValue) {
        o.addProperty(name, r.ranges(name).toString());
      } else {
        o.addProperty(name, "{" + String.join(", ", r.items(name)) + "}");
      }
    }
    return o;
  }
}
