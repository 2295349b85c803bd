package dev.mesoskit.local;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.apache.mesos.v1.agent.Protos.Call;
import org.apache.mesos.v1.agent.Protos.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;

/**
 * The HTTP endpoints of a {@link LocalAgent} beside its executor API: the agent operator API
 * ({@code POST /api/v1}: GET_HEALTH, GET_VERSION, GET_METRICS, GET_CONTAINERS, LIST_FILES,
 * READ_FILE; other call types answer 501), the Files API ({@link FilesApi}) and
 * {@code GET /metrics/snapshot} ({@link MetricsSnapshot}); any other path goes to the executor
 * API.
 *
 * <p>Threading: Jetty threads; the agent's books are read under its lock.
 */
final class AgentEndpoints extends Handler.Abstract {
  private final LocalAgent agent;
  private final Handler.Abstract executorApi;
  private final FilesApi files;
  private final Instant startedAt = Instant.now();

  AgentEndpoints(LocalAgent agent, Handler.Abstract executorApi) {
    this.agent = agent;
    this.executorApi = executorApi;
    this.files = new FilesApi(agent);
  }

  @Override
  protected void doStart() throws Exception {
    executorApi.setServer(getServer());
    executorApi.start();
    super.doStart();
  }

  @Override
  protected void doStop() throws Exception {
    super.doStop();
    executorApi.stop();
  }

  @Override
  public boolean handle(Request request, org.eclipse.jetty.server.Response response,
      Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (path.equals(OperatorApi.PATH)) {
      operator(request, response, callback);
      return true;
    }
    if (path.equals("/metrics/snapshot")) {
      OperatorApi.respond(response, callback, 200, "application/json",
          MetricsSnapshot.agent(agent, startedAt).toString());
      return true;
    }
    if (path.startsWith("/files/") && files.handle(path, request, response, callback)) {
      return true;
    }
    return executorApi.handle(request, response, callback);
  }

  private void operator(Request request, org.eclipse.jetty.server.Response response,
      Callback callback) {
    byte[] body;
    try {
      body = LocalMaster.readBody(request);
    } catch (IOException e) {
      OperatorApi.respond(response, callback, 400, OperatorApi.TEXT,
          "Failed to read the body: " + e.getMessage());
      return;
    }
    OperatorApi.Parsed parsed = OperatorApi.parse(request.getMethod(),
        request.getHeaders().get(HttpHeader.CONTENT_TYPE),
        request.getHeaders().get(HttpHeader.ACCEPT), body, Call.newBuilder(), "agent");
    if (parsed.error() != null) {
      if (parsed.status() == 405) {
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
      }
      OperatorApi.respond(response, callback, parsed.status(), OperatorApi.TEXT, parsed.error());
      return;
    }
    Call call = (Call) parsed.call();
    Response.Builder r = Response.newBuilder();
    try {
      switch (call.getType()) {
        case GET_HEALTH -> r.setType(Response.Type.GET_HEALTH)
            .setGetHealth(Response.GetHealth.newBuilder().setHealthy(true));
        case GET_VERSION -> r.setType(Response.Type.GET_VERSION).setGetVersion(
            Response.GetVersion.newBuilder().setVersionInfo(OperatorApi.version(
                startedAt.toEpochMilli() / 1000.0).getVersionInfo()));
        case GET_METRICS -> r.setType(Response.Type.GET_METRICS).setGetMetrics(
            Response.GetMetrics.newBuilder().addAllMetrics(MetricsSnapshot.asResponse(
                MetricsSnapshot.agent(agent, startedAt)).getMetricsList()));
        case GET_CONTAINERS -> r.setType(Response.Type.GET_CONTAINERS)
            .setGetContainers(containers());
        case LIST_FILES -> {
          if (!call.hasListFiles()) {
            missing(response, callback, "list_files");
            return;
          }
          r.setType(Response.Type.LIST_FILES).setListFiles(listFiles(call.getListFiles()
              .getPath()));
        }
        case READ_FILE -> {
          if (!call.hasReadFile()) {
            missing(response, callback, "read_file");
            return;
          }
          Call.ReadFile read = call.getReadFile();
          FilesApi.Read data = files.read(read.getPath(), read.getOffset(),
              read.hasLength() ? read.getLength() : null);
          r.setType(Response.Type.READ_FILE).setReadFile(Response.ReadFile.newBuilder()
              .setSize(data.size()).setData(com.google.protobuf.ByteString.copyFrom(
                  data.data())));
        }
        default -> {
          OperatorApi.respond(response, callback, 501, OperatorApi.TEXT,
              "LocalCluster does not implement agent::Call " + call.getType());
          return;
        }
      }
    } catch (FilesApi.FilesError e) {
      OperatorApi.respond(response, callback, e.status, OperatorApi.TEXT, e.getMessage());
      return;
    }
    Response answer = r.build();
    JsonObject json = parsed.wire() == Wire.PROTOBUF ? null : MesosJson.tree(answer);
    if (json != null && answer.getType() == Response.Type.GET_CONTAINERS
        && !json.getAsJsonObject("get_containers").has("containers")) {
      json.getAsJsonObject("get_containers").add("containers", new com.google.gson.JsonArray());
    }
    OperatorApi.reply(response, callback, parsed.wire(), json, answer);
  }

  private static void missing(org.eclipse.jetty.server.Response response, Callback callback,
      String field) {
    OperatorApi.respond(response, callback, 400, OperatorApi.TEXT,
        "Failed to validate agent::Call: Expecting '" + field + "' to be present");
  }

  private Response.ListFiles listFiles(String path) throws FilesApi.FilesError {
    Response.ListFiles.Builder out = Response.ListFiles.newBuilder();
    List<FilesApi.Entry> entries = files.list(path);
    for (FilesApi.Entry e : entries) {
      out.addFileInfos(org.apache.mesos.v1.Protos.FileInfo.newBuilder()
          .setPath(e.path())
          .setNlink(e.nlink())
          .setSize(e.attributes().size())
          .setMtime(OperatorHistory.time(e.attributes().lastModifiedTime().toMillis() / 1000.0))
          .setMode(e.mode())
          .setUid(e.attributes().owner().getName())
          .setGid(e.attributes().group().getName()));
    }
    return out.build();
  }

  private Response.GetContainers containers() {
    Response.GetContainers.Builder out = Response.GetContainers.newBuilder();
    synchronized (agent) {
      for (dev.mesoskit.local.Container c : agent.containers.values()) {
        Response.GetContainers.Container.Builder b = Response.GetContainers.Container.newBuilder()
            .setFrameworkId(c.frameworkId)
            .setExecutorId(c.executor.getExecutorId())
            .setContainerId(c.containerId)
            .setContainerStatus(org.apache.mesos.v1.Protos.ContainerStatus.newBuilder()
                .setContainerId(c.containerId));
        if (c.executor.hasName()) {
          b.setExecutorName(c.executor.getName());
        }
        out.addContainers(b);
      }
    }
    return out.build();
  }
}
