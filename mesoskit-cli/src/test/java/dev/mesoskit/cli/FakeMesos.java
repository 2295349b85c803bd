package dev.mesoskit.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Mesos master and agent on one port answering {@code POST /api/v1} with the recorded answers
 * of a real Mesos 1.12 (copies in src/test/resources/mesos-reference), placeholders filled in (the
 * agent's port is this server's). READ_FILE answers from sandbox files the test sets, in the
 * recorded shape. Records the calls it got.
 */
final class FakeMesos implements AutoCloseable {
  /** The recordings: {@code -Dmesos.reference=DIR}, else the copies in the test resources. */
  static final Path REFERENCE = reference();
  static final String MASTER_ID = "9dd1313e-9dcf-426c-97e4-cb1c0983b7c1";
  static final String FRAMEWORK_ID = MASTER_ID + "-0000";
  static final String AGENT_ID = MASTER_ID + "-S0";

  private static Path reference() {
    String dir = System.getProperty("mesos.reference");
    if (dir != null) {
      return Path.of(dir);
    }
    try {
      return Path.of(FakeMesos.class.getResource("/mesos-reference/README.md").toURI())
          .getParent();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private final HttpServer server;
  /** Call type to recording file (relative to {@link #REFERENCE}). */
  final Map<String, String> recordings = new ConcurrentHashMap<>();
  /** Sandbox (virtual) path to content. */
  final Map<String, byte[]> files = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();

  FakeMesos() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    recordings.put("GET_AGENTS", "master-operator/GET_AGENTS.json");
    recordings.put("GET_FRAMEWORKS", "master-operator/GET_FRAMEWORKS.json");
    recordings.put("GET_TASKS", "master-operator/GET_TASKS.json");
    recordings.put("TEARDOWN", "master-operator/TEARDOWN.json");
    server.createContext("/api/v1", this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  String master() {
    return "127.0.0.1:" + port();
  }

  /** The virtual path of a command task's sandbox file. */
  static String sandbox(String taskId, String file) {
    return "/frameworks/" + FRAMEWORK_ID + "/executors/" + taskId + "/runs/latest/" + file;
  }

  /** Appends to a sandbox file. */
  void append(String path, String text) {
    files.merge(path, text.getBytes(StandardCharsets.UTF_8), (a, b) -> {
      byte[] joined = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, joined, a.length, b.length);
      return joined;
    });
  }

  /** The recorded response body with placeholders filled in. */
  JsonObject body(String recording) {
    return JsonParser.parseString(fill(recording)).getAsJsonObject()
        .getAsJsonObject("response").get("body").getAsJsonObject();
  }

  String fill(String recording) {
    String text;
    try {
      text = Files.readString(REFERENCE.resolve(recording));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return text.replace("\"<agent-port>\"", String.valueOf(port()))
        .replace("<agent-port>", String.valueOf(port()))
        .replace("\"<master-port>\"", String.valueOf(port()))
        .replace("<master-port>", String.valueOf(port()))
        .replace("\"<nanoseconds>\"", "1796601176264409000")
        .replace("\"<timestamp>\"", "1796601176.264409")
        .replace("\"<pid>\"", "4242")
        .replace("<framework-id-1>", FRAMEWORK_ID)
        .replace("<framework-id-2>", MASTER_ID + "-0001")
        .replace("<framework-id>", FRAMEWORK_ID)
        .replace("<agent-id>", AGENT_ID)
        .replace("<offer-id>", MASTER_ID + "-O3")
        .replace("<uuid>", "aY9uJqGuR1qOCg1VvR0wdQ==")
        .replace("<master-id>", MASTER_ID)
        .replace("<work-dir>", "/tmp/mesos")
        .replaceAll("<container-id:[^>]*>", "0b5c4b07-5c1e-4c2e-9a52-8f0f3f1d2a11");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String request = new String(exchange.getRequestBody().readAllBytes(),
          StandardCharsets.UTF_8);
      calls.add(request);
      JsonObject call = JsonParser.parseString(request).getAsJsonObject();
      String type = call.get("type").getAsString();
      if (type.equals("READ_FILE")) {
        readFile(exchange, call.getAsJsonObject("read_file"));
        return;
      }
      String recording = recordings.get(type);
      if (recording == null) {
        send(exchange, 400, "text/plain; charset=utf-8",
            "Failed to validate master::Call: Expecting 'type' to be present");
        return;
      }
      JsonObject response = JsonParser.parseString(fill(recording)).getAsJsonObject()
          .getAsJsonObject("response");
      int status = response.get("status").getAsInt();
      JsonElement body = response.get("body");
      String text = body != null ? body.toString()
          : response.has("body_text") ? response.get("body_text").getAsString() : "";
      String contentType = response.getAsJsonObject("headers").has("Content-Type")
          ? response.getAsJsonObject("headers").get("Content-Type").getAsString() : null;
      send(exchange, status, contentType, text);
    }
  }

  /** READ_FILE as Mesos answers it: the file's size and the bytes asked for, base64. */
  private void readFile(HttpExchange exchange, JsonObject read) throws IOException {
    byte[] content = files.get(read.get("path").getAsString());
    if (content == null) {
      send(exchange, 404, "text/plain; charset=utf-8", "");
      return;
    }
    long offset = read.get("offset").getAsLong();
    long length = read.has("length") ? read.get("length").getAsLong() : content.length;
    int from = (int) Math.min(offset, content.length);
    int to = (int) Math.min(content.length, from + length);
    JsonObject answer = new JsonObject();
    answer.addProperty("type", "READ_FILE");
    JsonObject file = new JsonObject();
    file.addProperty("size", content.length);
    if (to > from) {
      file.addProperty("data",
          Base64.getEncoder().encodeToString(Arrays.copyOfRange(content, from, to)));
    }
    answer.add("read_file", file);
    send(exchange, 200, "application/json", answer.toString());
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  /** The types of the calls received, in order. */
  List<String> callTypes() {
    List<String> types = new ArrayList<>();
    for (String c : calls) {
      types.add(JsonParser.parseString(c).getAsJsonObject().get("type").getAsString());
    }
    return types;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
