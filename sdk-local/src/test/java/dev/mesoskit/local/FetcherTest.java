package dev.mesoskit.local;

import static dev.mesoskit.local.TestAgents.FRAMEWORK_ID;
import static dev.mesoskit.local.TestAgents.commandTask;
import static dev.mesoskit.local.TestAgents.config;
import static dev.mesoskit.local.TestAgents.executor;
import static dev.mesoskit.local.TestAgents.executorId;
import static dev.mesoskit.local.TestAgents.executorTask;
import static dev.mesoskit.local.TestAgents.framework;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.mesos.v1.Protos.CommandInfo;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FetcherTest {
  @TempDir
  Path dir;

  private HttpServer server;
  private String base;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private Fetcher fetcher;
  private Path sandbox;
  private final StringWriter log = new StringWriter();

  @BeforeEach
  void serveFiles() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      String path = exchange.getRequestURI().getPath();
      hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      byte[] body = files.get(path);
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
      exchange.close();
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    fetcher = new Fetcher(dir.resolve("cache"), HttpClient.newHttpClient());
    sandbox = Files.createDirectories(dir.resolve("sandbox"));
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void fetch(CommandInfo.URI... uris) throws Fetcher.FetchException {
    fetcher.fetch(List.of(uris), sandbox, "tester", new PrintWriter(log));
  }

  private static CommandInfo.URI uri(String value) {
    return CommandInfo.URI.newBuilder().setValue(value).build();
  }

  @Test
  void downloadsHttpUrisIntoTheSandboxUnderTheirLastPathSegment() throws Exception {
    files.put("/files/hello.txt", "hello".getBytes(StandardCharsets.UTF_8));
    fetch(uri(base + "/files/hello.txt"));
    assertThat(sandbox.resolve("hello.txt")).hasContent("hello");
    assertThat(log.toString()).contains("Fetching URI '" + base + "/files/hello.txt'");
  }

  @Test
  void copiesFileUrisAndAbsolutePaths() throws Exception {
    Path source = Files.writeString(dir.resolve("data.txt"), "local");
    Path other = Files.writeString(dir.resolve("other.txt"), "plain");
    fetch(uri("file://" + source), uri(other.toString()));
    assertThat(sandbox.resolve("data.txt")).hasContent("local");
    assertThat(sandbox.resolve("other.txt")).hasContent("plain");
  }

  @Test
  void relativePathsAndMissingFilesFailNamingTheUri() {
    assertThatThrownBy(() -> fetch(uri("relative/file.txt")))
        .isInstanceOf(Fetcher.FetchException.class)
        .hasMessage("Failed to fetch 'relative/file.txt': A relative path was passed for the"
            + " resource but the Mesos framework home was not specified. Please either provide"
            + " this config option or avoid using a relative path");
    assertThatThrownBy(() -> fetch(uri("file:///no/such/file.txt")))
        .hasMessage("Failed to fetch 'file:///no/such/file.txt': Failed to copy"
            + " '/no/such/file.txt': No such file or directory");
  }

  @Test
  void http404FailsNamingTheUriAndTheCode() {
    assertThatThrownBy(() -> fetch(uri(base + "/missing.tar.gz")))
        .hasMessage("Failed to fetch '" + base + "/missing.tar.gz': Error downloading resource,"
            + " received HTTP return code 404");
    assertThat(sandbox.resolve("missing.tar.gz")).doesNotExist();
  }

  @Test
  void extractsTarGzArchivesKeepingModes() throws Exception {
    Path content = Files.createDirectories(dir.resolve("content/bin"));
    Files.writeString(content.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(content.resolve("run.sh"),
        PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(dir.resolve("content/readme.txt"), "read me");
    Path archive = dir.resolve("app.tar.gz");
    Process tar = new ProcessBuilder("tar", "czf", archive.toString(), "-C",
        dir.resolve("content").toString(), "bin", "readme.txt").inheritIO().start();
    assertThat(tar.waitFor()).isZero();
    files.put("/app.tar.gz", Files.readAllBytes(archive));

    fetch(uri(base + "/app.tar.gz"));

    assertThat(sandbox.resolve("app.tar.gz")).exists();
    assertThat(sandbox.resolve("readme.txt")).hasContent("read me");
    assertThat(Files.readString(sandbox.resolve("bin/run.sh"))).isEqualTo("#!/bin/sh\necho hi\n");
    assertThat(Files.isExecutable(sandbox.resolve("bin/run.sh"))).isTrue();
    assertThat(Files.isExecutable(sandbox.resolve("readme.txt"))).isFalse();
  }

  @Test
  void extractsZipArchives() throws Exception {
    files.put("/bundle.zip", zip(Map.of("dir/a.txt", "A", "b.txt", "B")));
    fetch(uri(base + "/bundle.zip"));
    assertThat(sandbox.resolve("dir/a.txt")).hasContent("A");
    assertThat(sandbox.resolve("b.txt")).hasContent("B");
  }

  @Test
  void doesNotExtractWhenToldNotTo() throws Exception {
    files.put("/bundle.zip", zip(Map.of("a.txt", "A")));
    fetch(uri(base + "/bundle.zip").toBuilder().setExtract(false).build());
    assertThat(sandbox.resolve("bundle.zip")).exists();
    assertThat(sandbox.resolve("a.txt")).doesNotExist();
  }

  @Test
  void executableUrisAreMadeExecutableAndNotExtracted() throws Exception {
    files.put("/tool.tar", "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8));
    fetch(uri(base + "/tool.tar").toBuilder().setExecutable(true).build());
    assertThat(Files.getPosixFilePermissions(sandbox.resolve("tool.tar")))
        .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @Test
  void outputFileNamesTheResultInsideTheSandbox() throws Exception {
    files.put("/download", "payload".getBytes(StandardCharsets.UTF_8));
    fetch(uri(base + "/download?token=1").toBuilder().setOutputFile("lib/payload.bin").build());
    assertThat(sandbox.resolve("lib/payload.bin")).hasContent("payload");
    assertThatThrownBy(() -> fetch(uri(base + "/download").toBuilder()
        .setOutputFile("../escape").build()))
        .hasMessage("Failed to fetch '" + base + "/download': URI output file must be within the"
            + " sandbox directory");
  }

  @Test
  void cachedUriIsDownloadedOnceAndNeverRefreshed() throws Exception {
    files.put("/v1/app.txt", "first".getBytes(StandardCharsets.UTF_8));
    CommandInfo.URI cached = uri(base + "/v1/app.txt").toBuilder().setCache(true).build();
    fetch(cached);
    files.put("/v1/app.txt", "second".getBytes(StandardCharsets.UTF_8));
    sandbox = Files.createDirectories(dir.resolve("sandbox2"));
    fetch(cached);

    assertThat(sandbox.resolve("app.txt")).hasContent("first");
    assertThat(hits.get("/v1/app.txt").get()).isEqualTo(1);
    assertThat(log.toString()).contains("Fetching URI '" + base + "/v1/app.txt' from cache");
  }

  @Test
  void cachedArchiveIsExtractedFromTheCacheWithoutItsCopy() throws Exception {
    files.put("/bundle.zip", zip(Map.of("a.txt", "A")));
    fetch(uri(base + "/bundle.zip").toBuilder().setCache(true).build());
    assertThat(sandbox.resolve("a.txt")).hasContent("A");
    assertThat(sandbox.resolve("bundle.zip")).doesNotExist();
  }

  @Test
  void failedFetchFailsTheTaskAndStartsNothing() throws Exception {
    RecordingAgentListener master = new RecordingAgentListener();
    try (LocalAgent agent = LocalAgent.start(config(dir.resolve("agent")), master)) {
      String missing = base + "/missing.tar.gz";
      agent.launch(framework(), commandTask("t1", CommandInfo.newBuilder()
          .setValue("touch started").addUris(uri(missing)).build()));

      TaskStatus failed = master.nextUpdate();
      assertThat(failed.getState()).isEqualTo(TaskState.TASK_FAILED);
      assertThat(failed.getReason()).isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(failed.getSource()).isEqualTo(TaskStatus.Source.SOURCE_AGENT);
      assertThat(failed.getMessage()).isEqualTo("Failed to launch container: Failed to fetch '"
          + missing + "': Error downloading resource, received HTTP return code 404");
      Path run = Files.list(dir.resolve("agent/frameworks/framework-1/executors/t1/runs"))
          .findFirst().orElseThrow();
      assertThat(run.resolve("started")).doesNotExist();
      assertThat(run.resolve("stderr")).content().contains("Failed to fetch '" + missing + "'");

      agent.launch(framework(), executorTask("t2", executor("e1", CommandInfo.newBuilder()
          .setValue("touch started").addUris(uri(missing)).build())));
      TaskStatus executorFailed = master.nextUpdate();
      assertThat(executorFailed.getReason())
          .isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
      assertThat(master.nextExit()).isEqualTo(new RecordingAgentListener.Exit(FRAMEWORK_ID,
          executorId("e1"), OptionalInt.empty()));
    }
  }

  @Test
  void fetchedFilesAreInTheSandboxBeforeTheCommandStarts() throws Exception {
    files.put("/script.sh", "echo fetched > out.txt\n".getBytes(StandardCharsets.UTF_8));
    RecordingAgentListener master = new RecordingAgentListener();
    try (LocalAgent agent = LocalAgent.start(config(dir.resolve("agent")), master)) {
      agent.launch(framework(), commandTask("t1", CommandInfo.newBuilder()
          .setValue("./script.sh")
          .addUris(uri(base + "/script.sh").toBuilder().setExecutable(true)).build()));
      TaskStatus status;
      do {
        status = master.nextUpdate();
        agent.acknowledge(FRAMEWORK_ID, status.getTaskId(), status.getUuid());
      } while (!LocalAgent.isTerminal(status.getState()));
      assertThat(status.getState()).isEqualTo(TaskState.TASK_FINISHED);
      Path run = Files.list(dir.resolve("agent/frameworks/framework-1/executors/t1/runs"))
          .findFirst().orElseThrow();
      assertThat(run.resolve("out.txt")).hasContent("fetched");
    }
  }

  private static byte[] zip(Map<String, String> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue().getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
