package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.executor.Protos.Call;
import org.apache.mesos.v1.executor.Protos.Event;

/** A tiny executor speaking the v1 executor HTTP API with protobuf, over the JDK HttpClient. */
final class ExecutorClient implements AutoCloseable {
  static final String PROTOBUF = "application/x-protobuf";
  static final String JSON = "application/json";

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final URI uri;
  final Protos.FrameworkID frameworkId;
  final Protos.ExecutorID executorId;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private volatile InputStream stream;
  private Thread reader;

  private volatile Supplier<String> token;

  /** An executor without a token. */
  ExecutorClient(URI endpoint, Protos.FrameworkID frameworkId, Protos.ExecutorID executorId) {
    this.uri = endpoint.resolve("/api/v1/executor");
    this.frameworkId = frameworkId;
    this.executorId = executorId;
    this.token = () -> null;
  }

  /** The executor of that id on {@code agent}, with the token of its current container. */
  ExecutorClient(LocalAgent agent, Protos.FrameworkID frameworkId, Protos.ExecutorID executorId) {
    this(agent.endpoint(), frameworkId, executorId);
    this.token = () -> agent.executorToken(frameworkId, executorId);
  }

  /** Sends {@code token} (null: none) from now on. */
  ExecutorClient token(Supplier<String> token) {
    this.token = token;
    return this;
  }

  Call.Builder call(Call.Type type) {
    return Call.newBuilder().setType(type).setFrameworkId(frameworkId).setExecutorId(executorId);
  }

  /** POSTs a protobuf call with this exact {@code Authorization} header. */
  HttpResponse<byte[]> postWithAuthorization(String authorization, byte[] body) {
    try {
      HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
          .header("Content-Type", PROTOBUF).header("Authorization", authorization)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
      return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** POSTs raw bytes; answers the response with its body read whole. */
  HttpResponse<byte[]> post(String contentType, String accept, byte[] body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    String bearer = token.get();
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** POSTs a call as protobuf; answers the status code. */
  int send(Call call) {
    return post(PROTOBUF, PROTOBUF, call.toByteArray()).statusCode();
  }

  /** SUBSCRIBEs and reads the event stream on a thread of its own; answers the status code. */
  int subscribe(Call.Subscribe subscribe) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
        .header("Content-Type", PROTOBUF).header("Accept", PROTOBUF)
        .POST(HttpRequest.BodyPublishers.ofByteArray(
            call(Call.Type.SUBSCRIBE).setSubscribe(subscribe).build().toByteArray()));
    String bearer = token.get();
    if (bearer != null) {
      builder.header("Authorization", "Bearer " + bearer);
    }
    HttpRequest request = builder.build();
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(e);
    }
    if (response.statusCode() != 200) {
      return response.statusCode();
    }
    assertThat(response.headers().firstValue("Content-Type")).hasValue(PROTOBUF);
    stream = response.body();
    InputStream in = stream;
    reader = new Thread(() -> read(in), "executor-client-" + executorId.getValue());
    reader.setDaemon(true);
    reader.start();
    return 200;
  }

  int subscribe() {
    return subscribe(Call.Subscribe.getDefaultInstance());
  }

  private void read(InputStream in) {
    try {
      while (true) {
        ByteArrayOutputStream length = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
          if (b < 0) {
            return;
          }
          length.write(b);
        }
        int size = Integer.parseInt(length.toString(java.nio.charset.StandardCharsets.US_ASCII));
        byte[] record = in.readNBytes(size);
        events.add(Event.parseFrom(record));
      }
    } catch (IOException e) {
      // stream closed
    }
  }

  /** The next event, waiting up to 15 s. */
  Event nextEvent() {
    try {
      Event event = events.poll(15, TimeUnit.SECONDS);
      assertThat(event).as("no event within 15 s").isNotNull();
      return event;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next event if one comes within the wait, else null. */
  Event pollEvent(Duration wait) throws InterruptedException {
    return events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Waits until the agent ends the event stream. */
  void awaitStreamEnd() throws InterruptedException {
    reader.join(15_000);
    assertThat(reader.isAlive()).as("the event stream is still open").isFalse();
  }

  /** An UPDATE call for a task. */
  Call update(Protos.TaskID taskId, Protos.TaskState state) {
    return call(Call.Type.UPDATE).setUpdate(Call.Update.newBuilder()
        .setStatus(status(taskId, state))).build();
  }

  /** A status as an executor sends it: fresh uuid, SOURCE_EXECUTOR. */
  Protos.TaskStatus status(Protos.TaskID taskId, Protos.TaskState state) {
    return Protos.TaskStatus.newBuilder().setTaskId(taskId).setState(state)
        .setSource(Protos.TaskStatus.Source.SOURCE_EXECUTOR).setExecutorId(executorId)
        .setUuid(LocalAgent.newUuid()).build();
  }

  Call message(ByteString data) {
    return call(Call.Type.MESSAGE).setMessage(Call.Message.newBuilder().setData(data)).build();
  }

  @Override
  public void close() throws IOException {
    InputStream in = stream;
    if (in != null) {
      in.close();
    }
  }
}
