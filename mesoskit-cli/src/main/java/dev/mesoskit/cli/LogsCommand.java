package dev.mesoskit.cli;

import com.google.gson.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
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
    description = {"Prints a task's stdout (or stderr) from its sandbox on the agent, byte for"
        + " byte as the task wrote it.",
        "MesosKit names a task's attempts TASK.N (web-1.1, web-1.2): 'mesoskit logs web-1'"
        + " shows the latest attempt and names it on stderr."})
final class LogsCommand extends ClusterCommand {
  /** How much one READ_FILE asks for; Mesos' files API answers at most this much anyway. */
  static final int CHUNK_BYTES = 64 * 1024;

  @Parameters(paramLabel = "TASK", description = "the task's id; when no task has this id but"
      + " MesosKit's attempts TASK.1, TASK.2, ... exist, the latest attempt (highest number)")
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

  /**
   * Where the sandbox file's bytes go, unchanged (no decoding, no platform charset): the
   * process' stdout; tests set their own.
   */
  OutputStream stdout = System.out;

  /** The offset of a sandbox file that does not exist yet. */
  private static final long NOT_THERE_YET = -1;

  @Override
  int run(OperatorClient client) {
    if (tail != null && tail < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--tail must be >= 0 but was " + tail);
    }
    JsonObject task = findTask(client);
    String id = Json.text(task, "task_id", "value").orElse(taskId);
    String fid = Json.text(task, "framework_id", "value").orElse("");
    String agentId = Json.text(task, "agent_id", "value").orElse("");
    JsonObject agentInfo = agentInfos(client).get(agentId);
    if (agentInfo == null) {
      throw new CliException("agent " + agentId + " of task " + id + " is not registered"
          + " with the master, so its sandbox cannot be read");
    }
    URI agent = agentUri(agentInfo);
    String file = stderr ? "stderr" : "stdout";
    Sandbox sandbox = new Sandbox(client, agent, sandboxFiles(task, id, fid, file));
    Optional<Long> size = sandbox.size();
    if (size.isEmpty() && !follow) {
      throw new CliException("no " + file + " of task " + id + " on agent "
          + agent.getRawAuthority() + ": " + sandbox.paths.get(0) + " not found (the task"
          + " has not started yet, or its sandbox was removed)");
    }
    long offset = size.isPresent() ? printFirst(sandbox, size.get()) : NOT_THERE_YET;
    if (!follow) {
      return 0;
    }
    while (true) {
      boolean ended = taskEnded(client, id, fid);
      long before = offset;
      if (offset == NOT_THERE_YET) {
        // --tail applies to what the file holds when it first appears
        Optional<Long> appeared = sandbox.size();
        if (appeared.isPresent()) {
          offset = printFirst(sandbox, appeared.get());
        }
      } else {
        offset = sandbox.copy(offset, Long.MAX_VALUE);
      }
      if (ended) {
        return 0;
      }
      if (offset == before) {
        try {
          Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return 0;
        }
      }
    }
  }

  /** Prints the file of {@code size} bytes as first seen (its last lines with --tail). */
  private long printFirst(Sandbox sandbox, long size) {
    return tail != null ? printTail(sandbox, size) : sandbox.copy(0, size);
  }

  /**
   * The task of {@code TASK}: the one with that id, else the latest attempt {@code TASK.N}
   * (highest N) when MesosKit launched the task, with a note on stderr.
   */
  private JsonObject findTask(OperatorClient client) {
    JsonObject lists = Json.object(client.master("GET_TASKS", null), "get_tasks");
    List<JsonObject> found = new ArrayList<>();
    List<JsonObject> attempts = new ArrayList<>();
    for (String list : TasksCommand.LISTS) {
      for (JsonObject t : Json.objects(lists, list)) {
        if (framework != null
            && !Json.text(t, "framework_id", "value").orElse("").equals(framework)) {
          continue;
        }
        String id = Json.text(t, "task_id", "value").orElse("");
        if (id.equals(taskId)) {
          found.add(t);
        } else if (attempt(id).isPresent()) {
          attempts.add(t);
        }
      }
    }
    String shown = taskId;
    if (found.isEmpty() && !attempts.isEmpty()) {
      checkOneFramework(attempts);
      BigInteger latest = attempts.stream()
          .map(t -> attempt(Json.text(t, "task_id", "value").orElse("")).orElseThrow())
          .max(Comparator.naturalOrder()).orElseThrow();
      for (JsonObject t : attempts) {
        if (attempt(Json.text(t, "task_id", "value").orElse("")).orElseThrow().equals(latest)) {
          found.add(t);
        }
      }
      shown = Json.text(found.get(0), "task_id", "value").orElse("");
      PrintWriter err = spec.commandLine().getErr();
      err.println("mesoskit logs: " + taskId + " is not a Mesos task id; showing its latest"
          + " attempt " + shown);
      err.flush();
    }
    if (found.isEmpty()) {
      throw new CliException("task not found: " + taskId + (framework == null ? ""
          : " in framework " + framework) + " (the master at "
          + client.master().getRawAuthority() + " lists no such task)");
    }
    checkOneFramework(found);
    return found.get(0);
  }

  /** N when {@code id} is {@code TASK.N}, MesosKit's id of attempt N of task TASK. */
  private Optional<BigInteger> attempt(String id) {
    if (id.length() <= taskId.length() + 1 || !id.startsWith(taskId)
        || id.charAt(taskId.length()) != '.') {
      return Optional.empty();
    }
    String n = id.substring(taskId.length() + 1);
    for (int i = 0; i < n.length(); i++) {
      if (n.charAt(i) < '0' || n.charAt(i) > '9') {
        return Optional.empty();
      }
    }
    return Optional.of(new BigInteger(n));
  }

  private void checkOneFramework(List<JsonObject> tasks) {
    List<String> frameworks = tasks.stream()
        .map(t -> Json.text(t, "framework_id", "value").orElse("")).distinct().toList();
    if (frameworks.size() > 1) {
      throw new CliException("task " + taskId + " is in several frameworks: "
          + String.join(", ", frameworks) + "; choose one with --framework");
    }
  }

  private boolean taskEnded(OperatorClient client, String id, String fid) {
    JsonObject lists = Json.object(client.master("GET_TASKS", null), "get_tasks");
    for (String list : TasksCommand.LISTS) {
      for (JsonObject t : Json.objects(lists, list)) {
        if (Json.text(t, "task_id", "value").orElse("").equals(id)
            && Json.text(t, "framework_id", "value").orElse("").equals(fid)) {
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
  private static List<String> sandboxFiles(JsonObject task, String taskId, String fid,
      String file) {
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

  /**
   * Prints the last {@code --tail} lines of the file's first {@code size} bytes. Lines are
   * counted by their {@code '\n'} bytes, so a window that begins inside a multi-byte character
   * is printed only from a line start, never from the middle of the character.
   */
  private long printTail(Sandbox sandbox, long size) {
    long window = CHUNK_BYTES;
    while (true) {
      long start = Math.max(0, size - window);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      long end = sandbox.read(start, size, bytes);
      byte[] data = bytes.toByteArray();
      int from = lastLines(data, tail);
      if (from >= 0 || start == 0) {
        int begin = Math.max(0, from);
        write(data, begin, data.length - begin);
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
  private final class Sandbox {
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
    long copy(long offset, long end) {
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
        write(bytes.toByteArray(), 0, bytes.size());
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

  /** Writes bytes to stdout as they are, whatever their encoding and the locale, and flushes. */
  private void write(byte[] data, int from, int count) {
    try {
      stdout.write(data, from, count);
      stdout.flush();
    } catch (IOException e) {
      throw new CliException("cannot write to stdout: " + e.getMessage(), e);
    }
    if (stdout instanceof PrintStream print && print.checkError()) {
      throw new CliException("cannot write to stdout (was it closed?)");
    }
  }
}
