package dev.mesoskit.local;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import com.google.protobuf.ByteString;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/**
 * A real executor process for tests: it finds the agent through the environment the agent gives,
 * subscribes, answers every LAUNCH with TASK_RUNNING then TASK_FINISHED, and exits 0 on SHUTDOWN.
 */
public final class TestExecutorMain {
  private TestExecutorMain() {}

  public static void main(String[] args) throws Exception {
    URI uri = URI.create("http://" + System.getenv("MESOS_AGENT_ENDPOINT") + "/api/v1/executor");
    Protos.FrameworkID frameworkId =
        Protos.FrameworkID.newBuilder().setValue(System.getenv("MESOS_FRAMEWORK_ID")).build();
    Protos.ExecutorID executorId =
        Protos.ExecutorID.newBuilder().setValue(System.getenv("MESOS_EXECUTOR_ID")).build();
    HttpClient http = HttpClient.newHttpClient();
    // The agent's token, sent on every call as libmesos and MesosKit's runtime do.
    String authorization = "Bearer " + System.getenv("MESOS_EXECUTOR_AUTHENTICATION_TOKEN");
    Call subscribe = Call.newBuilder().setType(Call.Type.SUBSCRIBE).setFrameworkId(frameworkId)
        .setExecutorId(executorId).setSubscribe(Call.Subscribe.getDefaultInstance()).build();
    HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/x-protobuf")
            .header("Accept", "application/x-protobuf")
            .header("Authorization", authorization)
            .POST(HttpRequest.BodyPublishers.ofByteArray(subscribe.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      System.err.println("SUBSCRIBE answered " + response.statusCode());
      System.exit(2);
    }
    try (InputStream in = response.body()) {
      while (true) {
        StringBuilder length = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
          if (b < 0) {
            System.exit(0);
          }
          length.append((char) b);
        }
        Event event = Event.parseFrom(in.readNBytes(Integer.parseInt(length.toString())));
        System.out.println("event " + event.getType());
        switch (event.getType()) {
          case LAUNCH -> {
            Protos.TaskID taskId = event.getLaunch().getTask().getTaskId();
            for (Protos.TaskState state : new Protos.TaskState[] {
                Protos.TaskState.TASK_RUNNING, Protos.TaskState.TASK_FINISHED}) {
              Call update = Call.newBuilder().setType(Call.Type.UPDATE)
                  .setFrameworkId(frameworkId).setExecutorId(executorId)
                  .setUpdate(Call.Update.newBuilder().setStatus(Protos.TaskStatus.newBuilder()
                      .setTaskId(taskId).setState(state).setExecutorId(executorId)
                      .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR)
                      .setMessage("from " + System.getenv("MESOS_SANDBOX"))
                      .setUuid(uuid()))).build();
              HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(uri)
                      .header("Content-Type", "application/x-protobuf")
                      .header("Authorization", authorization)
                      .POST(HttpRequest.BodyPublishers.ofByteArray(update.toByteArray())).build(),
                  HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
              System.out.println("update " + state + " " + accepted.statusCode());
            }
          }
          case SHUTDOWN -> System.exit(0);
          default -> {
            // SUBSCRIBED, ACKNOWLEDGED, HEARTBEAT
          }
        }
      }
    }
  }

  private static ByteString uuid() {
    UUID uuid = UUID.randomUUID();
    ByteBuffer bytes = ByteBuffer.allocate(16);
    bytes.putLong(uuid.getMostSignificantBits());
    bytes.putLong(uuid.getLeastSignificantBits());
    return ByteString.copyFrom(bytes.array());
  }
}
