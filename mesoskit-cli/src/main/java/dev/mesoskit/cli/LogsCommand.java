package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mesoskit logs TASK}: the task's stdout or stderr, read from its sandbox with the agent's
 * READ_FILE through the virtual path {@code /frameworks/FID/executors/EID/runs/latest}.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Prints a task's stdout (or stderr) from its sandbox on the agent.")
final class LogsCommand extends ClusterCommand {
  /** How much one READ_FILE asks for; Mesos' files API answers at most this much anyway. */
  static final int CHUNK_BYTES = 64 * 1024;

  @Parameters(paramLabel = "TASK", description = "the task's id")
  String taskId;

  @Option(names = {"-f", "--framework"}, paramLabel = "ID",
      description = "the task's framework, when several frameworks have a task of this id")
  String framework;

  @Option(names = "--stderr", description = "print stderr instead of stdout")
  boolean stderr;

  @Option(names = "--follow", description = "keep printing what the task writes until it ends"
      + " (then exit 0) or until interrupted")
  boolean follow;

  @Option(names = "--tail", paramLabel = "N", description = "print only the last N lines")
  Integer tail;

  @Option(names = "--poll-millis", hidden = true, defaultValue = "500",
      description = "how often --follow looks for new data")
  long pollMillis;

  @Override
  int run(OperatorClient client) {
    if (tail != null && tail < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--tail must be >= 0 but was " + tail);
    }
    JsonObject task = findTask(client);
    String fid = Json.text(task, "framework_id", "value").orElse("");
    String agentId = Json.text(task, "agent_id", "value").orElse("");
    JsonObject agentInfo = agentInfos(client).get(agentId);
    if (agentInfo == null) {
      throw new CliException("agent " + agentId + " of task " + taskId + " is not registered"
          + " with the master, so its sandbox cannot be read");
    }
    URI agent = agentUri(agentInfo);
    String file = stderr ? "stderr" : "stdout";
    Sandbox sandbox = new Sandbox(client, agent, sandboxFiles(task, fid, file));
    Utf8Out printer = new Utf8Out();
    long offset;
    Optional<Long> size = sandbox.size();
    if (size.isEmpty()) {
      if (!follow) {
        throw new CliException("no " + file + " of task " + taskId + " on agent "
            + agent.getRawAuthority() + ": " + sandbox.paths.get(0) + " not found (the task"
            + " has not started yet, or its sandbox was removed)");
      }
      offset = 0;
    } else if (tail != null) {
      offset = printTail(sandbox, size.get(), printer);
    } else {
      offset = sandbox.copy(0, size.get(), printer);
    }
    if (!follow) {
      printer.finish();
      return 0;
    }
    while (true) {
      boolean ended = taskEnded(client);
      long before = offset;
      offset = sandbox.copy(offset, Long.MAX_VALUE, printer);
      if (ended) {
        printer.finish();
        return 0;
      }
      if (offset == before) {
        try {
          Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          printer.finish();
          return 0;
        }
      }
    }
  }

  private JsonObject findTask(OperatorClient client) {
    JsonObject lists = Json.object(client.master("GET_TASKS", null), "get_tasks");
    List<JsonObject> found = new ArrayList<>();
    for (String list : TasksCommand.LISTS) {
      for (JsonObject t : Json.objects(lists, list)) {
        if (Json.text(t, "task_id", "value").orElse("").equals(taskId) && (framework == null
            || Json.text(t, "framework_id", "value").orElse("").equals(framework))) {
          found.add(t);
        }
      }
    }
    if (found.isEmpty()) {
      throw new CliException("task not found: " + taskId + (framework == null ? ""
          : " in framework " + framework) + " (the master at "
          + client.master().getRawAuthority() + " lists no such task)");
    }
    List<String> frameworks = found.stream()
        .map(t -> Json.text(t, "framework_id", "value").orElse("")).distinct().toList();
    if (frameworks.size() > 1) {
      throw new CliException("task " + taskId + " is in several frameworks: "
          + String.join(", ", frameworks) + "; choose one with --framework");
    }
    return found.get(0);
  }

  private boolean taskEnded(OperatorClient client) {
    JsonObject lists = Json.object(client.master("GET_TASKS", null), "get_tasks");
    for (String list : TasksCommand.LISTS) {
      for (JsonObject t : Json.objects(lists, list)) {
        if (Json.text(t, "task_id", "value").orElse("").equals(taskId) && (framework == null
            || Json.text(t, "framework_id", "value").orElse("").equals(framework))) {
          if (!TaskStates.terminal(Json.text(t, "state").orElse(""))) {
            return false;
          }
        }
      }
    }
    return true; // every copy terminal, or the task is gone
  }

  /**
   * Where the file may be: a task of a task group (default executor) has its own sandbox under
   * {@code tasks/TASK_ID} of the executor's; a command task's executor id is its task id.
   */
  private List<String> sandboxFiles(JsonObject task, String fid, String file) {
    Optional<String> executor = Json.text(task, "executor_id", "value");
    String eid = executor.orElseGet(() -> Json.objects(task, "statuses").stream()
        .map(s -> Json.text(s, "executor_id", "value")).flatMap(Optional::stream)
        .reduce((a, b) -> b).orElse(taskId));
    String run = "/frameworks/" + fid + "/executors/" + eid + "/runs/latest";
    if (executor.isPresent() && !eid.equals(taskId)) {
      return List.of(run + "/tasks/" + taskId + "/" + file, run + "/" + file);
    }
    return List.of(run + "/" + file);
  }

  private long printTail(Sandbox sandbox, long size, Utf8Out printer) {
    long window = CHUNK_BYTES;
    while (true) {
      long start = Math.max(0, size - window);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      long end = sandbox.read(start, size, bytes);
      byte[] data = bytes.toByteArray();
      int from = lastLines(data, tail);
      if (from >= 0 || start == 0) {
        int begin = Math.max(0, from);
        printer.write(data, begin, data.length - begin);
        return end;
      }
      window *= 2;
    }
  }

  /** Where the last {@code lines} lines of {@code data} begin; -1 when it holds fewer. */
  static int lastLines(byte[] data, int lines) {
    if (lines == 0) {
      return data.length;
    }
    int end = data.length;
    if (end > 0 && data[end - 1] == '\n') {
      end--;
    }
    int seen = 0;
    for (int i = end - 1; i >= 0; i--) {
      if (data[i] == '\n' && ++seen == lines) {
        return i + 1;
      }
    }
    return -1;
  }

  /** The sandbox file, found at the first of its possible paths that exists. */
  private static final class Sandbox {
    private final OperatorClient client;
    private final URI agent;
    private List<String> paths;

    Sandbox(OperatorClient client, URI agent, List<String> paths) {
      this.client = client;
      this.agent = agent;
      this.paths = paths;
    }

    /** The file's size, or empty when it does not exist (yet). */
    Optional<Long> size() {
      for (String path : paths) {
        Optional<JsonObject> answer = readFile(path, 0, 1);
        if (answer.isPresent()) {
          paths = List.of(path);
          return Optional.of(Long.parseLong(Json.text(answer.get(), "size").orElse("0")));
        }
      }
      return Optional.empty();
    }

    /** Copies bytes from {@code offset} until {@code end} or the end of the file. */
    long copy(long offset, long end, Utf8Out printer) {
      if (paths.size() > 1 && size().isEmpty()) {
        return offset;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      long at = offset;
      while (at < end) {
        bytes.reset();
        long next = read(at, Math.min(end, at + CHUNK_BYTES), bytes);
        if (next == at) {
          break;
        }
        printer.write(bytes.toByteArray(), 0, bytes.size());
        at = next;
      }
      return at;
    }

    /** Reads {@code [offset, end)} into {@code into}; returns where it stopped. */
    long read(long offset, long end, ByteArrayOutputStream into) {
      long at = offset;
      while (at < end) {
        int length = (int) Math.min(CHUNK_BYTES, end - at);
        Optional<JsonObject> answer = readFile(paths.get(0), at, length);
        if (answer.isEmpty()) {
          break;
        }
        byte[] data = Base64.getDecoder().decode(Json.text(answer.get(), "data").orElse(""));
        if (data.length == 0) {
          break;
        }
        into.write(data, 0, data.length);
        at += data.length;
      }
      return at;
    }

    private Optional<JsonObject> readFile(String path, long offset, int length) {
      JsonObject read = new JsonObject();
      read.addProperty("path", path);
      read.addProperty("offset", offset);
      read.addProperty("length", length);
      return client.agent(agent, "READ_FILE", read).map(a -> Json.object(a, "read_file"));
    }
  }

  /** Writes bytes as UTF-8 text, holding back a character split between two reads. */
  private final class Utf8Out {
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(0);

    void write(byte[] data, int from, int count) {
      ByteBuffer in = ByteBuffer.allocate(pending.remaining() + count);
      in.put(pending).put(data, from, count).flip();
      CharBuffer chars = CharBuffer.allocate(in.remaining() + 1);
      decoder.decode(in, chars, false);
      chars.flip();
      out().print(chars);
      out().flush();
      pending = in.slice();
    }

    void finish() {
      CharBuffer chars = CharBuffer.allocate(pending.remaining() + 1);
      decoder.decode(pending, chars, true);
      decoder.flush(chars);
      chars.flip();
      out().print(chars);
      out().flush();
      pending = ByteBuffer.allocate(0);
    }
  }
}
