package dev.mesoskit.tutorial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.artifacts.ArtifactServer;
import dev.mesoskit.artifacts.cli.FrameworkMain;
import dev.mesoskit.artifacts.cli.FrameworkOptions;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import java.util.Optional;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.FrameworkListener;
import dev.mesoskit.core.spi.FrameworkIdStore;
import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.executor.ExecutorRuntime;
import dev.mesoskit.core.testing.FakeBackend;
import dev.mesoskit.core.testing.FakeExecutorBackend;
import dev.mesoskit.core.testing.ManualScheduler;
import dev.mesoskit.examples.webserver.WebServers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The troubleshooting page shows the SDK's messages as the code writes them: each test makes the
 * code produce one, puts the page's example host, port, path or duration in, and finds it on the
 * page.
 */
@Timeout(120)
class TroubleshootingTest {
  static final Path PAGE = TutorialSamplesTest.ROOT.resolve(
      "docs/src/main/java/dev/mesoskit/tutorial/troubleshooting/package-info.java");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private static void onThePage(String message) throws IOException {
    assertThat(Files.readString(PAGE)).as("the troubleshooting page " + PAGE)
        .contains("{@code " + message + "}");
  }

  @Test
  void aSecondSchedulerOnTheSameStateStore(@TempDir Path home) throws Exception {
    Path dir = home.resolve(".mesoskit/frameworks/web/framework-id.state");
    dev.mesoskit.core.spi.StateStore first = dev.mesoskit.core.spi.StateStore.file(dir);
    first.open();
    closeables.add(first);
    Framework second = Framework.builder().name("web").backend(new FakeBackend())
        .stateStore(dev.mesoskit.core.spi.StateStore.file(dir)).build();
    closeables.add(second);
    Throwable e = catchThrowable(second::start);
    String holder = e.getMessage().substring(e.getMessage().indexOf(" holder=") + 8);
    onThePage(e.getMessage().replace(home.toString(), "/home/me")
        .replace(" holder=" + holder, " holder=4242@host1"));
  }

  @Test
  void aStandbyAskedToRunATask() throws Exception {
    Framework standby = Framework.builder().name("web").backend(new FakeBackend())
        .stateStore(dev.mesoskit.core.spi.StateStore.inMemory())
        .leaderElection(new dev.mesoskit.core.spi.LeaderElection() {
          @Override
          public void start(Listener listener) {} // never elected

          @Override
          public void close() {}
        }).build();
    closeables.add(standby);
    standby.start();
    Throwable e = catchThrowable(() -> standby.submit(TaskSpec.builder().name("t")
        .resources("cpus:0.1;mem:32").command("true").build()));
    onThePage(e.getMessage());
  }

  @Test
  void aLeaderThatLostZooKeeper() throws Exception {
    java.util.concurrent.atomic.AtomicReference<dev.mesoskit.core.spi.LeaderElection.Listener>
        heard = new java.util.concurrent.atomic.AtomicReference<>();
    Framework leader = Framework.builder().name("web").backend(new FakeBackend())
        .stateStore(dev.mesoskit.core.spi.StateStore.inMemory())
        .leaderElection(new dev.mesoskit.core.spi.LeaderElection() {
          @Override
          public void start(Listener listener) {
            heard.set(listener);
          }

          @Override
          public void close() {}
        }).build();
    closeables.add(leader);
    leader.start();
    heard.get().elected();
    leader.awaitLeadership(WAIT);
    // the reason ZooKeeperHa's election gives (sdk-zookeeper's tests assert it)
    heard.get().lost("ZooKeeper connection SUSPENDED: this instance may no longer lead");
    Throwable e = catchThrowable(() -> leader.awaitTermination(WAIT));
    onThePage(e.getMessage());
  }

  @Test
  void aMasterTypo() throws Exception {
    Throwable e = catchThrowable(() -> MasterAddress.parse("http//127.0.0.1:5050"));
    onThePage("--master: " + e.getMessage());
  }

  /** Subscribes to {@code master} and returns why the first attempt failed. */
  private String firstFailedAttempt(String master) throws Exception {
    CompletableFuture<String> why = new CompletableFuture<>();
    Framework framework = Framework.builder().name("my-framework")
        .backend(Backends.fromArgs("--master=" + master))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .frameworkListener(new FrameworkListener() {
          @Override
          public void reconnecting(int attempt, Duration nextDelay, String cause) {
            why.complete(cause);
          }
        }).build();
    closeables.add(framework);
    framework.start();
    return why.get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aMasterThatIsNotThere() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort(); // closed again: nothing listens there
    }
    onThePage(firstFailedAttempt("127.0.0.1:" + port).replace(":" + port, ":5999"));
  }

  @Test
  void aMasterNameThatDoesNotResolve() throws Exception {
    onThePage(firstFailedAttempt("mesos-mastr.invalid:5050"));
  }

  /** A web server answering every request with {@code status} and {@code body}. */
  private int server(int status, String type, String body) throws IOException {
    HttpServer raw = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    raw.createContext("/", ex -> {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", type);
      ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
    raw.start();
    closeables.add(() -> raw.stop(0));
    return raw.getAddress().getPort();
  }

  /** Subscribes to {@code master} and returns what {@code awaitTermination} throws. */
  private String failure(int port) {
    Framework framework = Framework.builder().name("my-framework")
        .backend(Backends.fromArgs("--master=127.0.0.1:" + port))
        .frameworkIdStore(FrameworkIdStore.inMemory()).build();
    closeables.add(framework);
    framework.start();
    return catchThrowable(() -> framework.awaitTermination(WAIT)).getMessage();
  }

  @Test
  void aWebServerWhereTheMasterShouldBe() throws Exception {
    int port = server(501, "text/html", "<html><head><title>501 Not Implemented</title></head>"
        + "<body>Not Implemented</body></html>");
    onThePage(failure(port).replace(":" + port, ":8080"));
  }

  @Test
  void aMasterThatWantsCredentials() throws Exception {
    int port = server(401, "text/plain", "");
    onThePage(failure(port).replace(":" + port, ":5050"));
  }

  /** A framework on fakes: offers, updates and time are the test's. */
  private static final class Rig {
    final ManualScheduler loop = new ManualScheduler();
    final FakeBackend backend = new FakeBackend();
    final Framework framework;

    Rig(Framework.Builder builder) {
      framework = builder.name("my-framework").backend(backend).executor(loop)
          .clock(loop.clock()).frameworkIdStore(FrameworkIdStore.inMemory()).build();
      framework.start();
      loop.runPending();
      backend.subscribed("fw-1");
      loop.runPending();
    }

    TaskId submit(TaskSpec spec) {
      TaskId id = framework.submit(spec);
      loop.runPending();
      return id;
    }

    void offer(String agent, String resources) {
      backend.offer(agent, resources);
      loop.runPending();
    }

    Task task(TaskId id) {
      return framework.task(id).orElseThrow();
    }
  }

  private static TaskSpec render(String resources) {
    return TaskSpec.builder().id("render-1").name("render-1").resources(resources)
        .command("render").build();
  }

  @Test
  void aTaskThatFitsNoAgent() throws Exception {
    try (StderrCopy log = new StderrCopy()) {
      Rig rig = new Rig(Framework.builder());
      TaskId id = rig.submit(render("cpus:64;mem:128"));
      rig.offer("a1", "cpus:2;mem:1024");

      assertThat(rig.task(id).message()).hasValue("needs cpus 64, the largest offer has 2");
      onThePage(log.line("WARN", "task not placed"));
    }
  }

  @Test
  void aTaskNotPlacedInTime() throws Exception {
    Rig rig = new Rig(Framework.builder().placementTimeout(Duration.ofMinutes(5)));
    TaskId id = rig.submit(render("cpus:64;mem:128"));
    rig.offer("a1", "cpus:2;mem:1024");
    rig.loop.advance(Duration.ofMinutes(5));

    assertThat(rig.task(id).state()).isEqualTo(TaskState.FAILED);
    onThePage(rig.task(id).message().orElseThrow());
  }

  @Test
  void tasksWaitingAndNoOffers() throws Exception {
    try (StderrCopy log = new StderrCopy()) {
      Rig rig = new Rig(Framework.builder());
      for (int i = 1; i <= 3; i++) {
        rig.submit(TaskSpec.builder().id("t" + i).name("t" + i).resources("cpus:1;mem:64")
            .command("true").build());
      }
      rig.loop.advance(Duration.ofSeconds(30));

      onThePage(log.line("WARN", "3 tasks pending"));
    }
  }

  @Test
  void aTaskPastItsTimeout() throws Exception {
    Rig rig = new Rig(Framework.builder()
        .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()));
    TaskId id = rig.submit(render("cpus:1;mem:128").toBuilder()
        .timeout(Duration.ofSeconds(10)).build());
    rig.offer("a1", "cpus:2;mem:1024");
    String mesosTask = rig.backend.launches().get(0).mesosTaskId();
    rig.backend.update(mesosTask, "a1", TaskState.RUNNING, null, null);
    rig.loop.runPending();
    rig.loop.advance(Duration.ofSeconds(10));
    assertThat(rig.backend.kills()).isNotEmpty();
    rig.backend.update(mesosTask, "a1", TaskState.KILLED, null, null);
    rig.loop.runPending();

    assertThat(rig.task(id).state()).isEqualTo(TaskState.FAILED);
    onThePage(rig.task(id).message().orElseThrow());
  }

  @Test
  void aTaskKilledForFailingItsHealthCheck() throws Exception {
    Rig rig = new Rig(Framework.builder()
        .retryPolicy(RetryPolicy.builder().maxAttempts(1).build()));
    TaskId id = rig.submit(render("cpus:1;mem:128").toBuilder()
        .healthCheck(HealthCheck.of(Probe.http("/"))).resources("cpus:1;mem:128;ports:1")
        .build());
    rig.offer("a1", "cpus:2;mem:1024;ports:[31000-31000]");
    String mesosTask = rig.backend.launches().get(0).mesosTaskId();
    rig.backend.update(mesosTask, "a1", TaskState.RUNNING, null, Optional.of(true),
        Optional.empty());
    rig.backend.update(mesosTask, "a1", TaskState.KILLED,
        "Command terminated with signal Terminated", Optional.of(false), Optional.empty());
    rig.loop.runPending();

    assertThat(rig.task(id).state()).isEqualTo(TaskState.FAILED);
    onThePage(rig.task(id).message().orElseThrow());
  }

  @Test
  void aTaskOfARoleTheFrameworkHasNot() throws Exception {
    Rig rig = new Rig(Framework.builder().roles("batch", "web"));
    onThePage(catchThrowable(() -> rig.submit(TaskSpec.builder().name("db")
        .resources("cpus:1;mem:64").command("true").role("db").build())).getMessage());
  }

  @Test
  void aDuplicateTaskId() throws Exception {
    Rig rig = new Rig(Framework.builder());
    rig.submit(render("cpus:1;mem:64"));
    onThePage(catchThrowable(() -> rig.submit(render("cpus:1;mem:64"))).getMessage());
  }

  @Test
  void aHandlerThatThrows(@TempDir Path sandbox) throws Exception {
    FakeExecutorBackend agent = new FakeExecutorBackend();
    ExecutorRuntime runtime = ExecutorRuntime.builder().backend(agent).sandbox(sandbox)
        .shutdownGracePeriod(Duration.ofSeconds(2)).build();
    CompletableFuture<Integer> running = CompletableFuture.supplyAsync(() -> runtime.run(
        context -> {
          throw new IOException("disk full");
        }));
    agent.events();
    agent.launch(FakeExecutorBackend.task("t.1"));
    String message = agent.awaitUpdate("t.1", TaskState.FAILED, WAIT).message().orElseThrow();
    agent.shutdown();
    running.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    onThePage(message);
  }

  @Test
  void theAdoptionLineIsTheRuntimes() throws Exception {
    String line = "adopting a task launched by an earlier scheduler run";
    assertThat(Files.readString(TutorialSamplesTest.ROOT.resolve(
        "sdk-core/src/main/java/dev/mesoskit/core/internal/TaskStateMachine.java")))
        .contains("logAdoption(\"" + line + "\"");
    assertThat(Files.readString(PAGE)).contains("{@code " + line + " task=... state=RUNNING ...}");
  }

  @Test
  void badUsageOfAnExample() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = FrameworkMain.run(new WebServers(), new PrintStream(out, true,
        StandardCharsets.UTF_8), "--instances", "0");
    assertThat(code).isEqualTo(2);
    onThePage(out.toString(StandardCharsets.UTF_8).strip());
  }

  @Test
  void anExecutorNotInAJar() throws Exception {
    FrameworkOptions options = new FrameworkOptions();
    new CommandLine(options).parseArgs();
    try (ArtifactServer server = options.startArtifactServer("troubleshooting")) {
      String message = catchThrowable(() -> options.javaExecutor(server, "x",
          TroubleshootingTest.class, ResourceSpec.of(0.1, 64))).getMessage();
      Path classes = Path.of("target/test-classes").toAbsolutePath();
      onThePage(message.replace(TroubleshootingTest.class.getName(), "com.example.MyExecutor")
          .replace(classes.toString(), "/home/me/project/target/classes"));
    }
  }

  /**
   * What slf4j-simple writes meanwhile: it looks {@code System.err} up for every line, so a copy
   * of it sees them.
   */
  private static final class StderrCopy implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    StderrCopy() {
      System.setErr(new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
          original.write(b);
          synchronized (copy) {
            copy.write(b);
          }
        }

        @Override
        public void write(byte[] b, int off, int len) {
          original.write(b, off, len);
          synchronized (copy) {
            copy.write(b, off, len);
          }
        }
      }, true, StandardCharsets.UTF_8));
    }

    /** The message of the first line at {@code level} whose message starts with {@code start}. */
    String line(String level, String start) {
      String text;
      synchronized (copy) {
        text = copy.toString(StandardCharsets.UTF_8);
      }
      for (String line : text.split("\n")) {
        int at = line.indexOf(" - ");
        String head = at > 0 ? " " + line.substring(0, at) + " " : "";
        if (at > 0 && head.contains(" " + level + " ")
            && line.substring(at + 3).startsWith(start)) {
          return line.substring(at + 3).strip();
        }
      }
      throw new AssertionError("no " + level + " line starting '" + start + "' in:\n" + text);
    }

    @Override
    public void close() {
      System.setErr(original);
    }
  }
}
