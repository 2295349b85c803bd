package dev.mesoskit.local;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.apache.mesos.v1.executor.Protos.Call;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code POST /api/v1/executor} of a local agent: parses, validates and negotiates as the Mesos
 * agent's {@code Http::executor} does, then hands the call to the {@link LocalAgent}.
 *
 * <ul>
 *   <li>Bodies are {@code application/x-protobuf} or {@code application/json} (proto field
 *       names); anything else is 415, a missing Content-Type 400.
 *   <li>A call that does not validate is 400 with {@code Failed to validate Executor::Call: ...}.
 *   <li>SUBSCRIBE answers 200 with a RecordIO stream, JSON unless the Accept header excludes it;
 *       406 when Accept allows neither type. HEARTBEAT answers 202 at once.
 *   <li>When the agent authenticates executors (the default), a request without a valid
 *       {@code Authorization: Bearer <token>} is 401 before anything else is read, with a
 *       {@code WWW-Authenticate} challenge saying why; see {@link ExecutorTokens}.
 *   <li>Unknown framework or executor: 400. A token of another framework, executor or container:
 *       403 naming the claim. Any call but SUBSCRIBE before SUBSCRIBE: 403.
 * </ul>
 */
final class ExecutorApi extends Handler.Abstract {
  static final String PATH = "/api/v1/executor";

  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

  private final LocalAgent agent;

  ExecutorApi(LocalAgent agent) {
    this.agent = agent;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!PATH.equals(Request.getPathInContext(request))) {
      return false;
    }
    // As libprocess, the whole request is read first.
    byte[] body = LocalMaster.readBody(request);
    if (body == null) {
      return reply(response, callback, 413, "Request body exceeds " + LocalMaster.MAX_CALL_BYTES
          + " bytes");
    }
    // As libprocess: authentication comes before anything else of the request is looked at.
    ExecutorTokens.Outcome authenticated =
        agent.authenticateExecutor(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (authenticated != null && !authenticated.authenticated()) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, authenticated.challenge());
      return reply(response, callback, 401, "401 Unauthorized.");
    }
    Map<String, String> claims = authenticated == null ? null : authenticated.claims();
    if (!"POST".equals(request.getMethod())) {
      response.getHeaders().put(HttpHeader.ALLOW, "POST");
      return reply(response, callback, 405,
          "Expecting 'POST', received '" + request.getMethod() + "'");
    }
    String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (contentType == null) {
      return reply(response, callback, 400, "Expecting 'Content-Type' to be present");
    }
    Call call;
    if (EventStream.PROTOBUF.equals(contentType)) {
      try {
        call = Call.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        return reply(response, callback, 400, "Failed to parse body into Call protobuf");
      }
      String notUtf8 = Wire.notUtf8(body, Call.getDescriptor());
      if (notUtf8 != null) {
        return reply(response, callback, 400, "Failed to parse body into Call protobuf: "
            + notUtf8);
      }
    } else if (EventStream.JSON.equals(contentType)) {
      try {
        Wire.jsonTree(body);
      } catch (Wire.BadBody e) {
        return reply(response, callback, 400, e.getMessage());
      }
      Call.Builder builder = Call.newBuilder();
      try {
        PARSER.merge(new String(body, StandardCharsets.UTF_8), builder);
      } catch (InvalidProtocolBufferException | RuntimeException e) {
        return reply(response, callback, 400,
            "Failed to convert JSON into Call protobuf: " + e.getMessage());
      }
      if (!builder.isInitialized()) {
        return reply(response, callback, 400, "Failed to convert JSON into Call protobuf:"
            + " Missing required fields: " + String.join(", ", builder.findInitializationErrors()));
      }
      call = builder.build();
    } else {
      return reply(response, callback, 415, "Expecting 'Content-Type' of " + EventStream.JSON
          + " or " + EventStream.PROTOBUF);
    }

    String error = validate(call);
    if (error != null) {
      return reply(response, callback, 400, "Failed to validate Executor::Call: " + error);
    }

    LocalAgent.Reply outcome;
    switch (call.getType()) {
      case SUBSCRIBE -> {
        String accept = negotiate(request.getHeaders().get(HttpHeader.ACCEPT));
        if (accept == null) {
          return reply(response, callback, 406, "Expecting 'Accept' to allow '"
              + EventStream.PROTOBUF + "' or '" + EventStream.JSON + "'");
        }
        outcome = agent.subscribe(call, claims, () -> open(request, response, callback, accept));
      }
      case HEARTBEAT -> outcome = LocalAgent.Reply.ACCEPTED;
      case UPDATE -> outcome = agent.update(call, claims);
      case MESSAGE -> outcome = agent.message(call, claims);
      default -> outcome = new LocalAgent.Reply(501, "");
    }
    if (outcome == LocalAgent.Reply.STREAMING) {
      return true;
    }
    return reply(response, callback, outcome.status(), outcome.message());
  }

  private static EventStream open(Request request, Response response, Callback callback,
      String contentType) {
    RecordStream records = new RecordStream(request, response, callback, contentType);
    records.start();
    return new EventStream(records, EventStream.JSON.equals(contentType));
  }

  /** Mesos' common::validation::validateExecutorCall; null when valid. */
  static String validate(Call call) {
    if (!call.hasType()) {
      return "Expecting 'type' to be present";
    }
    if (!call.hasExecutorId()) {
      return "Expecting 'executor_id' to be present";
    }
    if (!call.hasFrameworkId()) {
      return "Expecting 'framework_id' to be present";
    }
    switch (call.getType()) {
      case SUBSCRIBE -> {
        if (!call.hasSubscribe()) {
          return "Expecting 'subscribe' to be present";
        }
      }
      case UPDATE -> {
        if (!call.hasUpdate()) {
          return "Expecting 'update' to be present";
        }
        TaskStatus status = call.getUpdate().getStatus();
        if (!status.hasUuid()) {
          return "Expecting 'uuid' to be present";
        }
        if (!isUuid(status.getUuid().toByteArray())) {
          return "Not a valid UUID";
        }
        if (status.hasExecutorId()
            && !status.getExecutorId().getValue().equals(call.getExecutorId().getValue())) {
          return "ExecutorID in Call: " + call.getExecutorId().getValue()
              + " does not match ExecutorID in TaskStatus: " + status.getExecutorId().getValue();
        }
        if (status.getSource() != TaskStatus.Source.SOURCE_EXECUTOR) {
          return "Received Call from executor " + call.getExecutorId().getValue()
              + " of framework " + call.getFrameworkId().getValue()
              + " with invalid source, expecting 'SOURCE_EXECUTOR'";
        }
        if (status.getState() == TaskState.TASK_STAGING) {
          return "Received TASK_STAGING from executor " + call.getExecutorId().getValue()
              + " of framework " + call.getFrameworkId().getValue() + " which is not allowed";
        }
      }
      case MESSAGE -> {
        if (!call.hasMessage()) {
          return "Expecting 'message' to be present";
        }
      }
      default -> {
        // HEARTBEAT and UNKNOWN carry nothing more
      }
    }
    return null;
  }

  /** 16 bytes with a known version (1 to 5), as stout's UUID::fromBytes requires. */
  private static boolean isUuid(byte[] bytes) {
    if (bytes.length != 16) {
      return false;
    }
    int version = (bytes[6] & 0xf0) >> 4;
    return version >= 1 && version <= 5;
  }

  /**
   * The event encoding the Accept header allows: JSON first (also when Accept is absent), then
   * protobuf; null when it allows neither.
   */
  static String negotiate(String accept) {
    if (accept == null || accept.isBlank()) {
      return EventStream.JSON;
    }
    if (accepts(accept, EventStream.JSON)) {
      return EventStream.JSON;
    }
    if (accepts(accept, EventStream.PROTOBUF)) {
      return EventStream.PROTOBUF;
    }
    return null;
  }

  private static boolean accepts(String accept, String mediaType) {
    String type = mediaType.substring(0, mediaType.indexOf('/'));
    for (String range : accept.split(",")) {
      String[] parts = range.split(";");
      String candidate = parts[0].trim().toLowerCase(java.util.Locale.ROOT);
      double quality = 1.0;
      for (int i = 1; i < parts.length; i++) {
        String parameter = parts[i].trim();
        if (parameter.startsWith("q=")) {
          try {
            quality = Double.parseDouble(parameter.substring(2));
          } catch (NumberFormatException e) {
            quality = 0;
          }
        }
      }
      if (quality > 0 && (candidate.equals(mediaType) || candidate.equals("*/*")
          || candidate.equals(type + "/*"))) {
        return true;
      }
    }
    return false;
  }

  private static boolean reply(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    if (message.isEmpty()) {
      response.write(true, org.eclipse.jetty.util.BufferUtil.EMPTY_BUFFER, callback);
    } else {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, message, callback);
    }
    return true;
  }
}
