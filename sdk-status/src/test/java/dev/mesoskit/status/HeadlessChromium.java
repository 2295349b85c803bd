package dev.mesoskit.status;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Headless Chromium kept open on one page and driven over the DevTools protocol (a WebSocket
 * from {@link HttpClient}, no driver to download): navigate, evaluate JavaScript, wait for a
 * condition on the live DOM. And the one-shot command-line runs ({@code --dump-dom},
 * {@code --screenshot}) the project's other browser tests use.
 */
final class HeadlessChromium implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/chromium");

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> calls;

  private HeadlessChromium(Process process, WebSocket socket,
      Map<Integer, CompletableFuture<JsonObject>> calls) {
    this.process = process;
    this.socket = socket;
    this.calls = calls;
  }

  static List<String> command(Path profile, String... args) {
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    return command;
  }

  /** Runs Chromium once and returns what it printed on stdout. */
  static String run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = command(Files.createTempDirectory(dir, "chromium-profile"), args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] stdout = p.getInputStream().readAllBytes();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s: " + command);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError("chromium exit code " + p.exitValue() + " of " + command);
    }
    return new String(stdout, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Starts Chromium on about:blank with a DevTools port and connects to its page. */
  static HeadlessChromium open(Path dir, String windowSize) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium-profile");
    Process p = new ProcessBuilder(command(profile, "--remote-debugging-port=0",
        "--window-size=" + windowSize, "about:blank"))
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          throw new AssertionError("chromium wrote no DevToolsActivePort within 30 s");
        }
        Thread.sleep(50);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      HttpClient http = HttpClient.newHttpClient();
      String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/json/list")).build(), HttpResponse.BodyHandlers.ofString()).body();
      String ws = null;
      for (var target : JsonParser.parseString(list).getAsJsonArray()) {
        JsonObject t = target.getAsJsonObject();
        if (t.get("type").getAsString().equals("page")) {
          ws = t.get("webSocketDebuggerUrl").getAsString();
          break;
        }
      }
      if (ws == null) {
        throw new AssertionError("chromium has no page target: " + list);
      }
      Map<Integer, CompletableFuture<JsonObject>> calls = new ConcurrentHashMap<>();
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(ws),
          new Listener(calls)).get(30, TimeUnit.SECONDS);
      return new HeadlessChromium(p, socket, calls);
    } catch (Exception | AssertionError e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** Sends one DevTools call and waits for its result. */
  JsonObject call(String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    calls.put(id, answer);
    JsonObject message = new JsonObject();
    message.addProperty("id", id);
    message.addProperty("method", method);
    message.add("params", params);
    socket.sendText(message.toString(), true).get(30, TimeUnit.SECONDS);
    JsonObject reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new AssertionError(method + " failed: " + reply.get("error"));
    }
    return reply.getAsJsonObject("result");
  }

  void navigate(String url) throws Exception {
    JsonObject params = new JsonObject();
    params.addProperty("url", url);
    call("Page.navigate", params);
    await("document.readyState === 'complete'", Duration.ofSeconds(30));
  }

  /** Runs {@code script} in every page this browser opens from now on, before the page's own. */
  void beforeEachPage(String script) throws Exception {
    JsonObject params = new JsonObject();
    params.addProperty("source", script);
    call("Page.enable", new JsonObject());
    call("Page.addScriptToEvaluateOnNewDocument", params);
  }

  /** Evaluates a JavaScript expression on the page and returns its value as text. */
  String evaluate(String expression) throws Exception {
    JsonObject params = new JsonObject();
    params.addProperty("expression", "String(" + expression + ")");
    params.addProperty("returnByValue", true);
    JsonObject result = call("Runtime.evaluate", params);
    return result.getAsJsonObject("result").get("value").getAsString();
  }

  /** Waits until a JavaScript expression is true on the page. */
  void await(String expression, Duration timeout) throws Exception {
    awaitValue(expression, "true"::equals, timeout);
  }

  /** Waits until the value of a JavaScript expression satisfies {@code test}; returns it. */
  String awaitValue(String expression, Predicate<String> test, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String value = evaluate(expression);
    while (!test.test(value)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("on the page, " + expression + " was still " + value
            + " after " + timeout);
      }
      Thread.sleep(100);
      value = evaluate(expression);
    }
    return value;
  }

  /** The page's DOM as HTML. */
  String dom() throws Exception {
    return evaluate("document.documentElement.outerHTML");
  }

  /** A PNG of the whole page at {@code width} CSS pixels wide. */
  byte[] screenshot(int width, boolean mobile) throws Exception {
    JsonObject metrics = new JsonObject();
    metrics.addProperty("width", width);
    metrics.addProperty("height", 200); // lay out at this width, then measure the whole page
    metrics.addProperty("deviceScaleFactor", 1);
    metrics.addProperty("mobile", mobile);
    call("Emulation.setDeviceMetricsOverride", metrics);
    int height = Integer.parseInt(evaluate("document.documentElement.scrollHeight"));
    metrics.addProperty("height", height);
    call("Emulation.setDeviceMetricsOverride", metrics);
    JsonObject params = new JsonObject();
    params.addProperty("format", "png");
    return Base64.getDecoder().decode(call("Page.captureScreenshot", params).get("data")
        .getAsString());
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Completes the call whose id a reply carries; events (no id) are ignored. */
  private static final class Listener implements WebSocket.Listener {
    private final Map<Integer, CompletableFuture<JsonObject>> calls;
    private final StringBuilder partial = new StringBuilder();

    Listener(Map<Integer, CompletableFuture<JsonObject>> calls) {
      this.calls = calls;
    }

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        JsonObject message = JsonParser.parseString(partial.toString()).getAsJsonObject();
        partial.setLength(0);
        if (message.has("id")) {
          CompletableFuture<JsonObject> call = calls.remove(message.get("id").getAsInt());
          if (call != null) {
            call.complete(message);
          }
        }
      }
      ws.request(1);
      return null;
    }
  }
}
