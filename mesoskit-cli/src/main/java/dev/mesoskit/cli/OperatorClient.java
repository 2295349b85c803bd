package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.http.MasterDetector;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Calls of Mesos' v1 operator API ({@code POST /api/v1}, JSON) on the leading master and on
 * agents. Tries each master of the address in turn and follows the redirects of non-leading
 * masters; failures are {@link CliException}s in words.
 */
final class OperatorClient implements AutoCloseable {
  private static final int MAX_REDIRECTS = 3;

  private final HttpClient http;
  private final MasterDetector detector;
  private final Duration timeout;
  private URI leader;

  private OperatorClient(MasterDetector detector, Duration timeout) {
    this.detector = detector;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout).build();
  }

  /** The client for a parsed {@code --master}; not {@code local}. */
  static OperatorClient connect(MasterAddress address, Duration timeout) {
    return new OperatorClient(MasterDetector.forAddress(address), timeout);
  }

  /** The base URI of the master that answered last, e.g. {@code http://127.0.0.1:5050}. */
  URI master() {
    return leader != null ? leader : candidates().get(0);
  }

  /**
   * A call on the leading master.
   *
   * @param type the call type, e.g. {@code GET_TASKS}
   * @param payload the call's message under its lower-case field, or null
   * @return the answer's JSON; an empty object for an empty answer
   */
  JsonObject master(String type, JsonObject payload) {
    List<URI> tried = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    List<URI> order = new ArrayList<>();
    if (leader != null) {
      order.add(leader);
    }
    for (URI c : candidates()) {
      if (!order.contains(c)) {
        order.add(c);
      }
    }
    for (URI base : order) {
      URI at = base;
      for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
        tried.add(at);
        Answer answer;
        try {
          answer = post(at, type, payload, "master");
        } catch (Unreachable e) {
          failures.add(e.getMessage());
          break;
        }
        if (answer.status == 307 && answer.location.isPresent()) {
          if (hop == MAX_REDIRECTS) {
            failures.add("too many redirects from master " + base.getRawAuthority()
                + " (last Location: " + answer.location.get() + ")");
            break;
          }
          URI next = at.resolve("/api/v1").resolve(answer.location.get());
          at = URI.create(next.getScheme() + "://" + next.getRawAuthority());
          continue;
        }
        if (answer.status == 503) {
          failures.add("master " + at.getRawAuthority() + " answered 503 Service Unavailable"
              + suffix(answer.body));
          break;
        }
        leader = at;
        return answer.json("master " + at.getRawAuthority(), type);
      }
    }
    boolean allRefused = !failures.isEmpty()
        && failures.stream().allMatch(f -> f.startsWith("connection refused"));
    throw new CliException(String.join("; ", failures)
        + (allRefused ? " (is a Mesos master running there? 'mesoskit local' starts one)" : ""));
  }

  /**
   * A call on an agent's operator API.
   *
   * @param agent the agent's base URI, {@code http://host:port}
   * @return the answer's JSON, or empty when the agent answered 404 Not Found
   */
  Optional<JsonObject> agent(URI agent, String type, JsonObject payload) {
    Answer answer;
    try {
      answer = post(agent, type, payload, "agent");
    } catch (Unreachable e) {
      throw new CliException(e.getMessage());
    }
    if (answer.status == 404) {
      return Optional.empty();
    }
    return Optional.of(answer.json("agent " + agent.getRawAuthority(), type));
  }

  private List<URI> candidates() {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<URI> candidates = detector.candidates();
    while (candidates.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      candidates = detector.candidates();
    }
    if (candidates.isEmpty()) {
      throw new CliException("no leading master found through " + detector);
    }
    return candidates;
  }

  private Answer post(URI base, String type, JsonObject payload, String role) {
    JsonObject call = new JsonObject();
    call.addProperty("type", type);
    if (payload != null) {
      call.add(type.toLowerCase(java.util.Locale.ROOT), payload);
    }
    HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1")).timeout(timeout)
        .header("Content-Type", "application/json").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(call.toString(), StandardCharsets.UTF_8))
        .build();
    String who = base.getRawAuthority();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.body(),
          response.headers().firstValue("Location"));
    } catch (HttpConnectTimeoutException e) {
      throw new Unreachable("no connection to " + role + " " + who + " within "
          + timeout.toSeconds() + "s");
    } catch (HttpTimeoutException e) {
      throw new Unreachable("no answer from " + role + " " + who + " to " + type + " within "
          + timeout.toSeconds() + "s");
    } catch (ConnectException e) {
      throw new Unreachable("connection refused by " + role + " " + who);
    } catch (IOException e) {
      throw new Unreachable(role + " " + who + " failed " + type + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted while waiting for " + role + " " + who);
    }
  }

  private static String suffix(String body) {
    String text = body == null ? "" : body.strip();
    return text.isEmpty() ? "" : ": " + text;
  }

  @Override
  public void close() {
    detector.close();
  }

  /** A peer that could not be reached; the caller may try the next one. */
  private static final class Unreachable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message) {
      super(message);
    }
  }

  private record Answer(int status, String body, Optional<String> location) {
    JsonObject json(String who, String type) {
      if (status != 200 && status != 202) {
        throw new CliException(who + " answered " + type + " with " + status
            + reason(status) + suffix(body));
      }
      if (body == null || body.isBlank()) {
        return new JsonObject();
      }
      try {
        return JsonParser.parseString(body).getAsJsonObject();
      } catch (JsonParseException | IllegalStateException e) {
        throw new CliException(who + " answered " + type + " with a body that is not a JSON"
            + " object: " + body.substring(0, Math.min(200, body.length())), e);
      }
    }

    private static String reason(int status) {
      return switch (status) {
        case 400 -> " Bad Request";
        case 401 -> " Unauthorized";
        case 403 -> " Forbidden";
        case 404 -> " Not Found";
        case 405 -> " Method Not Allowed";
        case 406 -> " Not Acceptable";
        case 415 -> " Unsupported Media Type";
        case 500 -> " Internal Server Error";
        case 503 -> " Service Unavailable";
        default -> "";
      };
    }
  }
}
