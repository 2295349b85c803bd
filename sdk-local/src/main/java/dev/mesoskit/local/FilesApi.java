package dev.mesoskit.local;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * An agent's Files API as Mesos 1.12 has it: {@code /files/read}, {@code /files/browse},
 * {@code /files/download} and {@code /files/debug}, on the sandboxes of this agent only. Each
 * executor run's sandbox is attached under its real path; the latest run of each executor also
 * under {@code <work dir>/frameworks/<fid>/executors/<eid>/runs/latest} and the virtual path
 * {@code /frameworks/<fid>/executors/<eid>/runs/latest}, as Mesos attaches them. Any other path
 * answers 404.
 *
 * <p>Threading: stateless; the attached paths are read from the agent's work dir on each request.
 */
final class FilesApi {
  static final String TEXT = OperatorApi.TEXT;
  /** Mesos caps one read at 16 pages. */
  static final int MAX_READ = 16 * 4096;

  private final LocalAgent agent;

  FilesApi(LocalAgent agent) {
    this.agent = agent;
  }

  /** A file failure: Mesos' status and text. */
  static final class FilesError extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    FilesError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** One entry of a listing. */
  record Entry(String path, Path file, PosixFileAttributes attributes, int mode, int nlink) {}

  /** What a read returned: the file's size and the bytes read. */
  record Read(long size, byte[] data) {}

  /** The attached paths: a requested prefix to the directory it stands for. */
  Map<String, Path> attached() {
    Map<String, Path> out = new TreeMap<>();
    Path frameworks = agent.config.workDir().toAbsolutePath().normalize().resolve("frameworks");
    for (Path framework : children(frameworks)) {
      for (Path executor : children(framework.resolve("executors"))) {
        Path latest = null;
        for (Path run : children(executor.resolve("runs"))) {
          if (!Files.isDirectory(run) || run.getFileName().toString().equals("latest")) {
            continue;
          }
          out.put(run.toString(), run);
          if (latest == null || newer(run, latest)) {
            latest = run;
          }
        }
        Container current = current(framework, executor);
        if (current != null && Files.isDirectory(current.sandbox)) {
          latest = current.sandbox.toAbsolutePath().normalize();
        }
        if (latest != null) {
          out.put(executor.resolve("runs").resolve("latest").toString(), latest);
          out.put("/frameworks/" + framework.getFileName() + "/executors/"
              + executor.getFileName() + "/runs/latest", latest);
        }
      }
    }
    return out;
  }

  private Container current(Path framework, Path executor) {
    synchronized (agent) {
      return agent.containers.get(new LocalAgent.ExecutorKey(framework.getFileName().toString(),
          executor.getFileName().toString()));
    }
  }

  private static boolean newer(Path a, Path b) {
    try {
      return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b)) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<Path> children(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** The file a requested path names, if it is under an attached path and exists. */
  Optional<Path> resolve(String requested) {
    String path = requested;
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    String best = null;
    Map<String, Path> attached = attached();
    for (String prefix : attached.keySet()) {
      if ((path.equals(prefix) || path.startsWith(prefix + "/"))
          && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    Path root = attached.get(best);
    Path file = root.resolve(path.substring(best.length()).replaceFirst("^/+", "")).normalize();
    try {
      if (!Files.exists(file) || !file.toRealPath().startsWith(root.toRealPath())) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(file);
  }

  /** Lists a directory (a file lists as nothing); entries are named under the requested path. */
  List<Entry> list(String requested) throws FilesError {
    Path dir = resolve(requested).orElseThrow(() -> new FilesError(404, ""));
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    String base = requested.endsWith("/") ? requested.substring(0, requested.length() - 1)
        : requested;
    List<Entry> out = new ArrayList<>();
    for (Path child : children(dir)) {
      try {
        PosixFileAttributes a = Files.readAttributes(child, PosixFileAttributes.class,
            LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) Files.getAttribute(child, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int nlink = (Integer) Files.getAttribute(child, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        out.add(new Entry(base + "/" + child.getFileName(), child, a, mode, nlink));
      } catch (IOException | UnsupportedOperationException e) {
        // a file that went away while listing is not listed
      }
    }
    return out;
  }

  /**
   * Reads as Mesos' {@code FilesProcess::_read}: past the end gives no data, a null length reads
   * to the end, length 0 gives only the size; at most {@link #MAX_READ} bytes.
   */
  Read read(String requested, long offset, Long length) throws FilesError {
    Path file = resolve(requested).orElseThrow(() -> new FilesError(404, ""));
    if (Files.isDirectory(file)) {
      throw new FilesError(400, "Cannot read a directory.\n");
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long size = f.length();
      if (offset >= size) {
        return new Read(size, new byte[0]);
      }
      long n = length == null ? size - offset : length;
      n = Math.min(Math.min(n, MAX_READ), size - offset);
      byte[] data = new byte[(int) n];
      f.seek(offset);
      f.readFully(data);
      return new Read(size, data);
    } catch (IOException e) {
      throw new FilesError(500, "Failed to read file at '" + requested + "': " + e.getMessage()
          + ".\n");
    }
  }

  // ================================================================== HTTP

  /** Answers {@code /files/...}; false for another path. */
  boolean handle(String path, Request request, Response response, Callback callback) {
    Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    switch (path) {
      case "/files/debug" -> {
        JsonObject o = new JsonObject();
        attached().forEach((k, v) -> o.addProperty(k, v.toString()));
        OperatorApi.respond(response, callback, 200, "application/json", o.toString());
      }
      case "/files/browse" -> browse(query, response, callback);
      case "/files/read" -> read(query, response, callback);
      case "/files/download" -> download(query, response, callback);
      default -> {
        return false;
      }
    }
    return true;
  }

  private static String path(Fields query) {
    String p = query.getValue("path");
    return p == null || p.isEmpty() ? null : p;
  }

  private void browse(Fields query, Response response, Callback callback) {
    String path = path(query);
    if (path == null) {
      OperatorApi.respond(response, callback, 400, TEXT, "Expecting 'path=value' in query.\n");
      return;
    }
    try {
      JsonArray out = new JsonArray();
      for (Entry e : list(path)) {
        JsonObject o = new JsonObject();
        o.addProperty("gid", e.attributes().group().getName());
        o.addProperty("mode", (e.attributes().isDirectory() ? "d"
            : e.attributes().isSymbolicLink() ? "l" : "-")
            + PosixFilePermissions.toString(e.attributes().permissions()));
        o.addProperty("mtime", MesosJson.jsonFloat(
            e.attributes().lastModifiedTime().toMillis() / 1000.0));
        o.addProperty("nlink", e.nlink());
        o.addProperty("path", e.path());
        o.addProperty("size", e.attributes().size());
        o.addProperty("uid", e.attributes().owner().getName());
        out.add(o);
      }
      OperatorApi.respond(response, callback, 200, "application/json", out.toString());
    } catch (FilesError e) {
      OperatorApi.respond(response, callback, e.status, TEXT, e.getMessage());
    }
  }

  private void read(Fields query, Response response, Callback callback) {
    String path = path(query);
    if (path == null) {
      OperatorApi.respond(response, callback, 400, TEXT, "Expecting 'path=value' in query.\n");
      return;
    }
    long offset = -1;
    Long length = null;
    try {
      if (query.getValue("offset") != null) {
        offset = number("offset", query.getValue("offset"));
      }
      if (query.getValue("length") != null) {
        long l = number("length", query.getValue("length"));
        length = l == -1 ? null : l;
      }
      if (offset == -1) {
        length = 0L;
      }
      Read r = read(path, Math.max(0, offset), length);
      JsonObject o = new JsonObject();
      o.addProperty("data", new String(r.data(), StandardCharsets.UTF_8));
      o.addProperty("offset", offset == -1 ? r.size() : offset);
      OperatorApi.respond(response, callback, 200, "application/json", o.toString());
    } catch (FilesError e) {
      OperatorApi.respond(response, callback, e.status, TEXT, e.getMessage());
    }
  }

  /** A query number as Mesos parses it, with its words for a bad one. */
  private static long number(String name, String value) throws FilesError {
    long n;
    try {
      n = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new FilesError(400, "Failed to parse " + name + ": Failed to convert '" + value
          + "' to number.\n");
    }
    if (n < -1) {
      throw new FilesError(400, "Negative " + name + " provided: " + n + ".\n");
    }
    return n;
  }

  private void download(Fields query, Response response, Callback callback) {
    String path = path(query);
    if (path == null) {
      OperatorApi.respond(response, callback, 400, TEXT, "Expecting 'path=value' in query.\n");
      return;
    }
    Optional<Path> file = resolve(path);
    if (file.isEmpty()) {
      OperatorApi.respond(response, callback, 404, TEXT, "404 Not Found.");
      return;
    }
    if (Files.isDirectory(file.get())) {
      OperatorApi.respond(response, callback, 400, TEXT, "Cannot download a directory.\n");
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file.get());
    } catch (IOException e) {
      OperatorApi.respond(response, callback, 404, TEXT, "404 Not Found.");
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
    response.getHeaders().put("Content-Disposition", "attachment; filename="
        + file.get().getFileName());
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, String.valueOf(bytes.length));
    response.write(true, ByteBuffer.wrap(bytes), callback);
  }
}
