package dev.mesoskit.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.http.V1Conversions;
import dev.mesoskit.local.LocalMaster.AgentEntry;
import dev.mesoskit.local.LocalMaster.ExecutorEntry;
import dev.mesoskit.local.LocalMaster.FrameworkEntry;
import dev.mesoskit.local.LocalMaster.OfferEntry;
import dev.mesoskit.local.LocalMaster.TaskEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.master.Protos.Call;
import org.apache.mesos.v1.master.Protos.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * The master's operator API, {@code POST /api/v1}, as Mesos 1.12 answers it: the read calls
 * (GET_HEALTH, GET_VERSION, GET_MASTER, GET_AGENTS, GET_FRAMEWORKS, GET_TASKS, GET_EXECUTORS,
 * GET_STATE, GET_METRICS) and TEARDOWN, with Mesos' error answers. JSON or protobuf bodies; the
 * answer is JSON unless {@code Accept} asks for protobuf. Other call types answer 501.
 *
 * <p>Threading: HTTP threads call it; the books are read under the master's lock.
 */
final class OperatorApi {
  static final String PATH = "/api/v1";
  static final String VERSION = "1.12.0";
  static final String TEXT = "text/plain; charset=utf-8";
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final LocalMaster master;
  private final SchedulerApi schedulerApi;

  OperatorApi(LocalMaster master, SchedulerApi schedulerApi) {
    this.master = master;
    this.schedulerApi = schedulerApi;
  }

  /** Answers a request to {@link #PATH}. */
  void handle(Request request, org.eclipse.jetty.server.Response response, Callback callback) {
    byte[] body;
    try {
      body = LocalMaster.readBody(request);
    } catch (IOException e) {
      respond(response, callback, 400, TEXT, "Failed to read the body: " + e.getMessage());
      return;
    }
    Parsed parsed = parse(request.getMethod(), request.getHeaders().get(HttpHeader.CONTENT_TYPE),
        request.getHeaders().get(HttpHeader.ACCEPT), body, Call.newBuilder(), "master");
    if (parsed.error != null) {
      if (parsed.status == 405) {
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
      }
      respond(response, callback, parsed.status, TEXT, parsed.error);
      return;
    }
    Call call = (Call) parsed.call;
    if (call.getType() == Call.Type.TEARDOWN && !call.hasTeardown()) {
      respond(response, callback, 400, TEXT,
          "Failed to validate master::Call: Expecting 'teardown' to be present");
      return;
    }
    if (call.getType() == Call.Type.TEARDOWN) {
      String id = call.getTeardown().getFrameworkId().getValue();
      if (schedulerApi.teardown(id)) {
        respond(response, callback, 200, TEXT, "");
      } else {
        respond(response, callback, 400, TEXT, "No framework found with specified ID");
      }
      return;
    }
    Response answer = answer(call);
    if (answer == null) {
      respond(response, callback, 501, TEXT, "LocalCluster does not implement master::Call "
          + call.getType());
      return;
    }
    reply(response, callback, parsed.wire, answer);
  }

  /** A parsed call, or the error answer (status and text). */
  record Parsed(Message call, Wire wire, int status, String error) {
    static Parsed error(int status, String error) {
      return new Parsed(null, null, status, error);
    }
  }

  /**
   * Reads an operator call as Mesos' {@code Master::Http::api} (and the agent's) does: POST only,
   * a Content-Type of JSON or protobuf, an acceptable Accept, a body that parses, a known type.
   *
   * @param who {@code master} or {@code agent}, as the validation message names the call
   */
  static Parsed parse(String method, String contentType, String accept, byte[] body,
      Message.Builder call, String who) {
    if (!"POST".equals(method)) {
      return Parsed.error(405, "405 Method Not Allowed. Expecting one of { 'POST' }, but"
          + " received '" + method + "'.");
    }
    if (body == null) {
      return Parsed.error(413, "Request body exceeds " + LocalMaster.MAX_CALL_BYTES + " bytes");
    }
    if (contentType == null) {
      return Parsed.error(400, "Expecting 'Content-Type' to be present");
    }
    Optional<Wire> in = Wire.ofContentType(contentType);
    if (in.isEmpty()) {
      return Parsed.error(415,
          "Expecting 'Content-Type' of application/json or application/x-protobuf");
    }
    Optional<Wire> out = Wire.ofAccept(accept);
    if (out.isEmpty()) {
      return Parsed.error(406,
          "Expecting 'Accept' to allow 'application/x-protobuf' or 'application/json'");
    }
    if (in.get() == Wire.PROTOBUF) {
      try {
        call.mergeFrom(body);
      } catch (InvalidProtocolBufferException e) {
        return Parsed.error(400, "Failed to parse body into Call protobuf");
      }
      if (!call.isInitialized()) {
        return Parsed.error(400, "Failed to parse body into Call protobuf");
      }
    } else {
      JsonElement tree;
      try {
        tree = Wire.jsonTree(body);
      } catch (Wire.BadBody e) {
        // picojson's words for a body that ends early, the common case (recorded)
        return Parsed.error(400, "Failed to parse body into JSON: syntax error at line 1 near: ");
      }
      if (!tree.isJsonObject()) {
        return Parsed.error(400, "Failed to convert JSON into Call protobuf: Expecting a JSON"
            + " object");
      }
      JsonObject object = tree.getAsJsonObject().deepCopy();
      // Mesos ignores a payload of the wrong JSON type for a message field
      // ("get_health": 5 answers 200, recorded)
      for (FieldDescriptor f : call.getDescriptorForType().getFields()) {
        JsonElement v = object.get(f.getName());
        if (v != null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()
            && !v.isJsonObject()) {
          object.remove(f.getName());
        }
      }
      try {
        PARSER.merge(object.toString(), call);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        return Parsed.error(400, "Failed to convert JSON into Call protobuf: " + e.getMessage());
      }
      if (!call.isInitialized()) {
        return Parsed.error(400, "Failed to convert JSON into Call protobuf: Missing required"
            + " fields: " + String.join(", ", call.findInitializationErrors()));
      }
    }
    FieldDescriptor type = call.getDescriptorForType().findFieldByName("type");
    if (!call.hasField(type)) {
      return Parsed.error(400, "Failed to validate " + who
          + "::Call: Expecting 'type' to be present");
    }
    return new Parsed(call.build(), out.get(), 200, null);
  }

  /** Writes an answer in the negotiated encoding. */
  static void reply(org.eclipse.jetty.server.Response response, Callback callback, Wire wire,
      JsonObject json, Message proto) {
    if (wire == Wire.PROTOBUF) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, Wire.PROTOBUF.mediaType);
      response.write(true, ByteBuffer.wrap(proto.toByteArray()), callback);
    } else {
      respond(response, callback, 200, "application/json", json.toString());
    }
  }

  private static void reply(org.eclipse.jetty.server.Response response, Callback callback,
      Wire wire, Response answer) {
    reply(response, callback, wire, wire == Wire.PROTOBUF ? null : json(answer), answer);
  }

  /**
   * Answers with a status, a Content-Type (also on an empty error body, as Mesos; none on an empty
   * 200, as Mesos' {@code OK()}) and a body.
   */
  static void respond(org.eclipse.jetty.server.Response response, Callback callback, int status,
      String type, String body) {
    response.setStatus(status);
    if (status != 200 || !body.isEmpty()) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, String.valueOf(bytes.length));
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }

  /** An answer as Mesos writes it in JSON: the lists of the answer even when empty. */
  static JsonObject json(Response answer) {
    JsonObject tree = MesosJson.tree(answer);
    newerFields(tree);
    arrays(tree.getAsJsonObject("get_tasks"), "tasks", "unreachable_tasks", "completed_tasks");
    arrays(tree.getAsJsonObject("get_frameworks"), "frameworks", "completed_frameworks");
    arrays(tree.getAsJsonObject("get_agents"), "agents", "recovered_agents");
    arrays(tree.getAsJsonObject("get_executors"), "executors");
    JsonObject state = tree.getAsJsonObject("get_state");
    if (state != null) {
      arrays(state.getAsJsonObject("get_tasks"), "tasks", "unreachable_tasks",
          "completed_tasks");
      arrays(state.getAsJsonObject("get_frameworks"), "frameworks", "completed_frameworks");
      arrays(state.getAsJsonObject("get_agents"), "agents", "recovered_agents");
      arrays(state.getAsJsonObject("get_executors"), "executors");
    }
    return tree;
  }

  private static com.google.protobuf.UnknownFieldSet varint(int field, long value) {
    return com.google.protobuf.UnknownFieldSet.newBuilder().addField(field,
        com.google.protobuf.UnknownFieldSet.Field.newBuilder().addVarint(value).build()).build();
  }

  /** Writes by name the fields the mesos 1.11 protos do not know (see their unknown fields). */
  private static void newerFields(JsonObject tree) {
    JsonObject master = tree.getAsJsonObject("get_master");
    if (master != null && master.has("master_info")) {
      JsonArray caps = master.getAsJsonObject("master_info").getAsJsonArray("capabilities");
      for (int i = 0; caps != null && i < caps.size(); i++) {
        if (caps.get(i).getAsJsonObject().size() == 0) {
          caps.get(i).getAsJsonObject().addProperty("type", "QUOTA_V2");
        }
      }
    }
    List<JsonObject> agentLists = new ArrayList<>();
    agentLists.add(tree.getAsJsonObject("get_agents"));
    JsonObject state = tree.getAsJsonObject("get_state");
    agentLists.add(state == null ? null : state.getAsJsonObject("get_agents"));
    for (JsonObject agents : agentLists) {
      if (agents == null || !agents.has("agents")) {
        continue;
      }
      for (JsonElement a : agents.getAsJsonArray("agents")) {
        JsonObject info = a.getAsJsonObject().getAsJsonObject("agent_info");
        if (info != null) {
          info.addProperty("checkpoint", true);
        }
      }
    }
  }

  private static void arrays(JsonObject o, String... names) {
    if (o == null) {
      return;
    }
    for (String n : names) {
      if (!o.has(n)) {
        o.add(n, new JsonArray());
      }
    }
  }

  // ================================================================== answers

  /** The answer to a read call, or null when LocalCluster does not implement it. */
  Response answer(Call call) {
    Response.Builder r = Response.newBuilder();
    switch (call.getType()) {
      case GET_HEALTH -> r.setType(Response.Type.GET_HEALTH)
          .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true));
      case GET_VERSION -> r.setType(Response.Type.GET_VERSION)
          .setGetVersion(version(master.startedAt.toEpochMilli() / 1000.0));
      case GET_MASTER -> r.setType(Response.Type.GET_MASTER).setGetMaster(getMaster());
      case GET_METRICS -> r.setType(Response.Type.GET_METRICS)
          .setGetMetrics(MetricsSnapshot.asResponse(MetricsSnapshot.master(master)));
      case GET_AGENTS, GET_FRAMEWORKS, GET_TASKS, GET_EXECUTORS, GET_STATE -> {
        synchronized (master) {
          switch (call.getType()) {
            case GET_AGENTS -> r.setType(Response.Type.GET_AGENTS).setGetAgents(agents());
            case GET_FRAMEWORKS -> r.setType(Response.Type.GET_FRAMEWORKS)
                .setGetFrameworks(frameworks());
            case GET_TASKS -> r.setType(Response.Type.GET_TASKS).setGetTasks(tasks());
            case GET_EXECUTORS -> r.setType(Response.Type.GET_EXECUTORS)
                .setGetExecutors(executors());
            default -> r.setType(Response.Type.GET_STATE).setGetState(Response.GetState
                .newBuilder().setGetTasks(tasks()).setGetExecutors(executors())
                .setGetFrameworks(frameworks()).setGetAgents(agents()));
          }
        }
      }
      default -> {
        return null;
      }
    }
    return r.build();
  }

  /** Mesos' version answer; the build date and time are LocalCluster's start. */
  static Response.GetVersion version(double buildTime) {
    String date = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC)
        .format(java.time.Instant.ofEpochMilli((long) (buildTime * 1000)));
    return Response.GetVersion.newBuilder().setVersionInfo(Protos.VersionInfo.newBuilder()
        .setVersion(VERSION).setBuildDate(date).setBuildTime(buildTime).setBuildUser(""))
        .build();
  }

  private Response.GetMaster getMaster() {
    int port = master.port();
    String host = master.settings.host();
    Protos.MasterInfo.Builder info = Protos.MasterInfo.newBuilder()
        .setId(master.masterId)
        .setIp(0x0100007f)
        .setPort(port)
        .setPid("master@" + host + ":" + port)
        .setHostname(host)
        .setVersion(VERSION)
        .setAddress(Protos.Address.newBuilder().setHostname(host).setIp(host).setPort(port));
    master.settings.topology().masterDomain().ifPresent(info::setDomain);
    info.addCapabilities(Protos.MasterInfo.Capability.newBuilder()
        .setType(Protos.MasterInfo.Capability.Type.AGENT_UPDATE));
    info.addCapabilities(Protos.MasterInfo.Capability.newBuilder()
        .setType(Protos.MasterInfo.Capability.Type.AGENT_DRAINING));
    // QUOTA_V2 (3) is newer than the protos of the mesos 1.11 jar: an unknown field on the wire,
    // written by name in JSON (json())
    info.addCapabilities(Protos.MasterInfo.Capability.newBuilder()
        .setUnknownFields(varint(1, 3)));
    double started = master.startedAt.toEpochMilli() / 1000.0;
    return Response.GetMaster.newBuilder().setMasterInfo(info).setStartTime(started)
        .setElectedTime(started).build();
  }

  /** Holds the master's lock. */
  private Response.GetAgents agents() {
    Response.GetAgents.Builder out = Response.GetAgents.newBuilder();
    for (AgentEntry a : master.agents.values()) {
      if (a.gone) {
        continue;
      }
      LocalAgent agent = a.agent;
      Protos.AgentInfo.Builder info = Protos.AgentInfo.newBuilder()
          .setHostname(agent.hostname())
          .setPort(agent.endpoint() == null ? 0 : agent.endpoint().getPort())
          .addAllResources(agent.resources())
          .addAllAttributes(agent.attributes())
          .setId(Protos.AgentID.newBuilder().setValue(a.id()))
          // SlaveInfo.checkpoint (7), which v1 AgentInfo lacks and Mesos still writes: on the
          // wire an unknown field, in JSON added by json()
          .setUnknownFields(varint(7, 1));
      agent.config.domain().ifPresent(info::setDomain);
      Response.GetAgents.Agent.Builder entry = Response.GetAgents.Agent.newBuilder()
          .setAgentInfo(info)
          .setActive(a.reachable)
          .setDeactivated(false)
          .setVersion(VERSION)
          .setPid("slave(1)@" + agent.hostname() + ":" + info.getPort())
          .setRegisteredTime(OperatorHistory.time(master.startedAt.toEpochMilli() / 1000.0))
          .addAllTotalResources(withRole(agent.resources()))
          .addAllAllocatedResources(withRole(V1Conversions.resources(allocated(a.id()))))
          .addAllOfferedResources(withRole(V1Conversions.resources(offered(a.id(), null))));
      for (Protos.AgentInfo.Capability.Type t : List.of(
          Protos.AgentInfo.Capability.Type.MULTI_ROLE,
          Protos.AgentInfo.Capability.Type.HIERARCHICAL_ROLE,
          Protos.AgentInfo.Capability.Type.RESERVATION_REFINEMENT,
          Protos.AgentInfo.Capability.Type.RESOURCE_PROVIDER,
          Protos.AgentInfo.Capability.Type.RESIZE_VOLUME,
          Protos.AgentInfo.Capability.Type.AGENT_OPERATION_FEEDBACK,
          Protos.AgentInfo.Capability.Type.AGENT_DRAINING,
          Protos.AgentInfo.Capability.Type.TASK_RESOURCE_LIMITS)) {
        entry.addCapabilities(Protos.AgentInfo.Capability.newBuilder().setType(t));
      }
      out.addAgents(entry);
    }
    return out.build();
  }

  /** Holds the master's lock. */
  private Response.GetFrameworks frameworks() {
    Response.GetFrameworks.Builder out = Response.GetFrameworks.newBuilder();
    for (FrameworkEntry fw : master.frameworks.values()) {
      Response.GetFrameworks.Framework.Builder f = master.history.framework(fw, true, 0);
      String id = fw.id().getValue();
      for (OfferEntry o : master.offers.values()) {
        if (!o.frameworkId().equals(id)) {
          continue;
        }
        AgentEntry agent = master.agents.get(o.agentId());
        Protos.Offer.Builder offer = Protos.Offer.newBuilder()
            .setId(Protos.OfferID.newBuilder().setValue(o.id()))
            .setFrameworkId(fw.id())
            .setAgentId(Protos.AgentID.newBuilder().setValue(o.agentId()))
            .setHostname(agent == null ? "" : agent.agent.hostname())
            .addAllResources(V1Conversions.resources(o.resources()));
        if (agent != null) {
          offer.addAllAttributes(agent.agent.attributes());
        }
        offer.setAllocationInfo(Protos.Resource.AllocationInfo.newBuilder().setRole(o.role()));
        f.addOffers(offer);
      }
      Resources allocated = Resources.empty();
      for (String agentId : master.agents.keySet()) {
        allocated = allocated.plus(allocatedOf(fw, agentId));
      }
      f.addAllAllocatedResources(withRole(V1Conversions.resources(allocated)));
      f.addAllOfferedResources(withRole(V1Conversions.resources(offered(null, id))));
      out.addFrameworks(f);
    }
    out.addAllCompletedFrameworks(master.history.completedFrameworks());
    return out.build();
  }

  /** Holds the master's lock. */
  private Response.GetTasks tasks() {
    Response.GetTasks.Builder out = Response.GetTasks.newBuilder();
    for (FrameworkEntry fw : master.frameworks.values()) {
      for (TaskEntry t : fw.tasks.values()) {
        Protos.Task task = master.history.task(fw, t);
        if (t.state == Protos.TaskState.TASK_UNREACHABLE) {
          out.addUnreachableTasks(task);
        } else {
          out.addTasks(task);
        }
      }
    }
    out.addAllCompletedTasks(master.history.completedTasks());
    return out.build();
  }

  /** Holds the master's lock. */
  private Response.GetExecutors executors() {
    Response.GetExecutors.Builder out = Response.GetExecutors.newBuilder();
    for (FrameworkEntry fw : master.frameworks.values()) {
      for (Map.Entry<String, Map<String, ExecutorEntry>> onAgent : fw.executors.entrySet()) {
        for (ExecutorEntry e : onAgent.getValue().values()) {
          out.addExecutors(Response.GetExecutors.Executor.newBuilder()
              .setExecutorInfo(e.info().toBuilder().setFrameworkId(fw.id()))
              .setAgentId(Protos.AgentID.newBuilder().setValue(onAgent.getKey())));
        }
      }
    }
    return out.build();
  }

  /** What live tasks and executors of every framework hold of an agent. Holds the lock. */
  private Resources allocated(String agentId) {
    Resources sum = Resources.empty();
    for (FrameworkEntry fw : master.frameworks.values()) {
      sum = sum.plus(allocatedOf(fw, agentId));
    }
    return sum;
  }

  private static Resources allocatedOf(FrameworkEntry fw, String agentId) {
    Resources sum = Resources.empty();
    for (TaskEntry t : fw.tasks.values()) {
      if (t.agentId.equals(agentId) && !LocalMaster.isTerminal(t.state)) {
        sum = sum.plus(ProtoResources.toResources(t.info.getResourcesList()));
      }
    }
    for (ExecutorEntry e : fw.executors.getOrDefault(agentId, Map.of()).values()) {
      sum = sum.plus(ProtoResources.toResources(e.info().getResourcesList()));
    }
    return sum;
  }

  /** What outstanding offers hold, of one agent or to one framework (null: any). */
  private Resources offered(String agentId, String frameworkId) {
    Resources sum = Resources.empty();
    for (OfferEntry o : master.offers.values()) {
      if ((agentId == null || o.agentId().equals(agentId))
          && (frameworkId == null || o.frameworkId().equals(frameworkId))) {
        sum = sum.plus(o.resources());
      }
    }
    return sum;
  }

  /** Resources in the pre-refinement form Mesos shows them in: {@code role} always set. */
  @SuppressWarnings("deprecation") // Resource.role: Mesos' operator API still writes it
  static List<Protos.Resource> withRole(List<Protos.Resource> resources) {
    List<Protos.Resource> out = new ArrayList<>(resources.size());
    for (Protos.Resource r : resources) {
      out.add(r.hasRole() ? r : r.toBuilder().setRole("*").build());
    }
    return out;
  }
}
