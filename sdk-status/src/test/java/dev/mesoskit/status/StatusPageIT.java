package dev.mesoskit.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.local.LocalCluster;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real framework runs a batch on a 2-agent LocalCluster with the status page attached, and
 * headless Chromium, kept open on the page, sees the tasks come and change: a task that fails
 * once and is retried, a server with ports and a health check, a task too big for any agent with
 * the reason it is not placed. Screenshots at 390 and 1280 pixels wide are left in
 * {@code target/} ({@code status-390x844.png}, {@code status-1280x900.png},
 * {@code status-390-full.png}). Skipped, saying so, when {@code /usr/bin/chromium} is not
 * installed.
 */
@Timeout(300)
class StatusPageIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String PENDING_REASON = "needs cpus 64, the largest offer has [0-9.]+";

  @TempDir Path dir;
  private LocalCluster cluster;
  private StatusPage page;
  private Framework framework;

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:1024;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofSeconds(1))
        .statusUpdateRetry(Duration.ofMillis(500))
        .executorShutdownGracePeriod(Duration.ofSeconds(1))
        .start();
    page = StatusPage.builder().minInterval(Duration.ofMillis(100)).build();
    framework = page.attach(Framework.builder().name("status-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .stateStore(dev.mesoskit.core.spi.StateStore.inMemory()) // every run starts afresh
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(300))
            .maxBackoff(Duration.ofMillis(500)).build())
        .refuse(Duration.ofMillis(200)))
        .build();
    page.watch(framework);
  }

  @AfterEach
  void stop() {
    if (framework != null) {
      framework.close();
    }
    page.close();
    cluster.close();
  }

  @Test
  void chromiumSeesTheBatchRunRetryWaitAndFinishOnTheOpenPage() throws Exception {
    if (!Files.isExecutable(HeadlessChromium.BINARY)) {
      System.out.println("StatusPageIT skipped: " + HeadlessChromium.BINARY
          + " is not installed (apt-get install chromium)");
    }
    Assumptions.assumeTrue(Files.isExecutable(HeadlessChromium.BINARY),
        HeadlessChromium.BINARY + " is not installed");
    URI url = page.start();
    framework.start();
    framework.awaitSubscribed(WAIT);
    Path gate = dir.resolve("gate");
    Path ran = dir.resolve("flaky-ran");
    try (HeadlessChromium chromium = HeadlessChromium.open(dir, "1280,900")) {
      chromium.navigate(url.toString());
      assertThat(chromium.evaluate("document.getElementById('title').textContent"))
          .isEqualTo("status-it"); // the framework's name, from FrameworkObserver.attached
      assertThat(chromium.evaluate("document.getElementById('connection').textContent"))
          .isEqualTo("SUBSCRIBED");
      assertThat(chromium.evaluate("document.getElementById('fwid').textContent"))
          .isEqualTo(framework.frameworkId().orElseThrow());
      assertThat(chromium.evaluate("document.querySelectorAll('tr[data-task-id]').length"))
          .isEqualTo("0");

      TaskId echo = framework.submit(TaskSpec.builder().id("echo").name("echo <hello>")
          .resources("cpus:0.1;mem:32").command("echo hello").build());
      TaskId flaky = framework.submit(TaskSpec.builder().id("flaky").name("flaky")
          .resources("cpus:0.1;mem:32")
          .command("if [ -e '" + ran + "' ]; then exit 0; fi; touch '" + ran + "'; exit 3")
          .build());
      TaskId server = framework.submit(TaskSpec.builder().id("server").name("server")
          .resources("cpus:0.5;mem:64;ports:2")
          .command("while [ ! -e '" + gate + "' ]; do sleep 0.05; done")
          .healthCheck(HealthCheck.builder(Probe.command("true")).delay(Duration.ofMillis(100))
              .interval(Duration.ofMillis(500)).build())
          .build());
      TaskId huge = framework.submit(TaskSpec.builder().id("huge").name("huge")
          .resources("cpus:64;mem:64").command("true").build());

      // The open page follows, without a reload.
      String updatesBefore = chromium.evaluate("document.body.dataset.updates");
      chromium.await("document.querySelectorAll('tr[data-task-id]').length === 4", WAIT);
      chromium.await(row("server") + ".dataset.state === 'RUNNING'", WAIT);
      chromium.await(row("flaky") + ".dataset.state === 'FINISHED' && "
          + row("flaky") + ".querySelector('td.attempt').textContent === '2'", WAIT);
      chromium.await(row("echo") + ".dataset.state === 'FINISHED'", WAIT);
      String why = awaitTask(huge, t -> t.message().isPresent()).message().orElseThrow();
      assertThat(why).matches(PENDING_REASON);
      chromium.await(row("huge") + ".querySelector('.pending-reason') !== null", WAIT);
      // the largest offer changes as other tasks come and go; the page follows it
      assertThat(chromium.evaluate(row("huge") + ".querySelector('.pending-reason').textContent"))
          .matches(PENDING_REASON);
      awaitTask(server, t -> t.healthy().orElse(false));
      chromium.await(row("server") + ".textContent.includes('healthy')", WAIT);
      assertThat(chromium.evaluate("document.body.dataset.transport")).isEqualTo("sse");
      assertThat(Integer.parseInt(chromium.evaluate("document.body.dataset.updates")))
          .isGreaterThan(Integer.parseInt(updatesBefore));
      Task running = framework.task(server).orElseThrow();
      assertThat(running.ports()).hasSize(2);

      // What a fresh load shows, as --dump-dom prints it.
      String dom = HeadlessChromium.run(dir, "--dump-dom", url.toString());
      assertThat(count(dom, "<tr data-task-id=")).isEqualTo(4);
      assertThat(dom).contains("<tr data-task-id=\"echo\" data-state=\"FINISHED\">")
          .contains("<tr data-task-id=\"flaky\" data-state=\"FINISHED\">")
          .contains("<tr data-task-id=\"server\" data-state=\"RUNNING\">")
          .contains("<tr data-task-id=\"huge\" data-state=\"PENDING\">")
          .containsPattern("<span class=\"why pending-reason\">" + PENDING_REASON + "</span>")
          .contains("<td class=\"num attempt\" data-label=\"Attempt\">2</td>")
          .contains("<div>echo &lt;hello&gt;</div>").doesNotContain("<hello>")
          .contains(running.ports().get(0) + ", " + running.ports().get(1))
          .contains(running.hostname().orElseThrow())
          .contains("flaky attempt 1 ended FAILED, next attempt in") // FrameworkObserver.retrying
          .contains("<span id=\"connection\" class=\"badge s-SUBSCRIBED\">SUBSCRIBED</span>");
      for (String agent : cluster.agentIds()) { // FrameworkObserver.offersReceived
        assertThat(dom).contains("<tr data-agent-id=\"" + agent + "\">");
      }
      Matcher received = Pattern.compile("(\\d+) received").matcher(dom);
      assertThat(received.find()).isTrue();
      assertThat(Integer.parseInt(received.group(1))).isPositive();

      // For people to look at: a phone and a wide screen, and the phone's whole page.
      for (String size : List.of("390,844", "1280,900")) {
        Path png = Path.of("target/status-" + size.replace(',', 'x') + ".png").toAbsolutePath();
        Files.deleteIfExists(png);
        HeadlessChromium.run(dir, "--window-size=" + size, "--hide-scrollbars",
            "--screenshot=" + png, url.toString());
        assertThat(Files.size(png)).as(png.toString()).isGreaterThan(20_000);
      }
      Files.write(Path.of("target/status-390-full.png"), chromium.screenshot(390, true));

      // A state changing on the open page: the server finishes once the gate opens.
      Files.createFile(gate);
      chromium.await(row("server") + ".dataset.state === 'FINISHED'", WAIT);
      assertThat(framework.task(server).map(Task::state)).hasValue(TaskState.FINISHED);
      assertThat(chromium.evaluate(row("huge") + ".dataset.state")).isEqualTo("PENDING");
      assertThat(chromium.evaluate("document.getElementById('events').textContent"))
          .contains("server FINISHED");
      Files.write(Path.of("target/status-1280-after.png"), chromium.screenshot(1280, false));
      // Without EventSource the page polls /api/status and shows the same.
      chromium.beforeEachPage("window.EventSource = undefined;");
      chromium.navigate(url.toString());
      chromium.await("document.body.dataset.transport === 'polling'", WAIT);
      assertThat(chromium.evaluate("document.getElementById('transport').textContent"))
          .isEqualTo("(polling)");
      assertThat(chromium.evaluate(row("server") + ".dataset.state")).isEqualTo("FINISHED");
      assertThat(chromium.evaluate(row("huge") + ".querySelector('.pending-reason').textContent"))
          .matches(PENDING_REASON);
      assertThat(framework.task(echo).map(Task::attempt)).hasValue(1);
      assertThat(framework.task(flaky).map(Task::attempt)).hasValue(2);
    }
  }

  private static String row(String id) {
    return "document.querySelector('tr[data-task-id=\"" + id + "\"]')";
  }

  private Task awaitTask(TaskId id, Predicate<Task> condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Optional<Task> task = framework.task(id);
    while (task.filter(condition).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never got there: " + task);
      }
      Thread.sleep(20);
      task = framework.task(id);
    }
    return task.orElseThrow();
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
