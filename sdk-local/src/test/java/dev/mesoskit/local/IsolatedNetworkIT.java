package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 2-agent LocalCluster on an isolated network: tasks run in their agent's namespace, fetch
 * through it (a URI naming 127.0.0.1 fails as on another host), and close removes every
 * namespace, link and bridge, also those a crashed cluster left. Skipped without root.
 */
@Timeout(180)
class IsolatedNetworkIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private LocalCluster cluster;
  private Framework framework;
  private HttpServer files;

  @BeforeAll
  static void needsRoot() {
    Assumptions.assumeTrue(LocalCluster.isolatedNetworkUnavailable().isEmpty(),
        () -> "skipped: " + LocalCluster.isolatedNetworkUnavailable().orElse(""));
  }

  @AfterEach
  void stop() {
    if (framework != null) {
      framework.close();
    }
    if (files != null) {
      files.stop(0);
    }
    if (cluster != null) {
      String prefix = cluster.isolatedNetworkPrefix().orElseThrow();
      cluster.close();
      assertThat(leftovers(prefix)).as("namespaces and links of %s after close", prefix)
          .isEmpty();
      assertThat(IsolatedNetwork.STATE_DIR.resolve(prefix + ".state")).doesNotExist();
    }
  }

  private static LocalCluster isolated() {
    return LocalCluster.builder().agents(2).isolatedNetwork(true)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .executorShutdownGracePeriod(Duration.ofSeconds(1))
        .start();
  }

  private Framework framework() {
    framework = Framework.builder()
        .name("isolated-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RetryPolicy.builder().maxAttempts(1).build())
        .refuse(Duration.ofMillis(200))
        .build();
    framework.start();
    return framework;
  }

  /** Every namespace and link whose name starts with {@code prefix-}. */
  static List<String> leftovers(String prefix) {
    List<String> left = new java.util.ArrayList<>();
    for (String line : IsolatedNetwork.run("ip", "netns", "list").split("\n")) {
      if (line.startsWith(prefix + "-")) {
        left.add("netns " + line);
      }
    }
    List<String> links = List.of(IsolatedNetwork.run("ip", "-o", "link", "show").split("\n"));
    IsolatedNetwork.linksOf(prefix, links).forEach(l -> left.add("link " + l));
    return left;
  }

  private Task run(TaskSpec spec) throws Exception {
    TaskId id = framework.submit(spec);
    return framework.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void theMasterIsOnTheBridgeAndAgentsOnTheirOwnAddresses() throws Exception {
    cluster = isolated();
    String state = cluster.stateJson();
    assertThat(cluster.masterAddress()).matches("10\\.213\\.\\d+\\.1:\\d+");
    String subnet = cluster.masterAddress().substring(0, cluster.masterAddress().lastIndexOf(".1:"));
    assertThat(state).contains("\"hostname\":\"" + subnet + ".11\"")
        .contains("\"hostname\":\"" + subnet + ".12\"");
  }

  @Test
  void commandTasksRunInTheirAgentsNamespace() throws Exception {
    cluster = isolated();
    framework();
    String prefix = cluster.isolatedNetworkPrefix().orElseThrow();
    // inside: eth0 with the agent's address, no route out, no bridge, and the agent at :5051
    Task task = run(TaskSpec.builder().id("where").name("where").resources("cpus:0.1;mem:32")
        .command("ip -4 -o addr show dev eth0 | grep -q 'inet 10\\.213\\.'"
            + " && ! ip route | grep -q default"
            + " && ! ip link show " + prefix + "-br"
            + " && case \"$MESOS_AGENT_ENDPOINT\" in 10.213.*:5051) true;; *) false;; esac")
        .build());
    assertThat(task.state()).as("%s", task).isEqualTo(TaskState.FINISHED);
    assertThat(task.hostname().orElseThrow()).matches("10\\.213\\.\\d+\\.1[12]");
  }

  @Test
  void aUriNamingLoopbackFailsTheTaskWithTheFetchersErrorWhileTheBridgeAddressWorks()
      throws Exception {
    cluster = isolated();
    framework();
    files = HttpServer.create(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), 10);
    byte[] body = "hello\n".getBytes(StandardCharsets.UTF_8);
    files.createContext("/greeting.txt", exchange -> {
      try (exchange) {
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
      }
    });
    files.start();
    int port = files.getAddress().getPort();
    String host = cluster.masterAddress().substring(0, cluster.masterAddress().indexOf(':'));

    String loopback = "http://127.0.0.1:" + port + "/greeting.txt";
    Task failed = run(fetching("loopback", loopback));
    assertThat(failed.state()).isEqualTo(TaskState.FAILED);
    assertThat(failed.message().orElseThrow()).isEqualTo("failed after 1 attempt: TASK_FAILED"
        + " (REASON_CONTAINER_LAUNCH_FAILED): Failed to launch container: Failed to fetch '"
        + loopback + "': Error downloading resource: Failed to connect to 127.0.0.1 port " + port
        + ": Couldn't connect to server");

    Task fetched = run(fetching("bridge", "http://" + host + ":" + port + "/greeting.txt"));
    assertThat(fetched.state()).as("%s", fetched).isEqualTo(TaskState.FINISHED);
  }

  private static TaskSpec fetching(String id, String uri) {
    return TaskSpec.builder().id(id).name(id).resources("cpus:0.1;mem:32")
        .command(CommandSpec.builder().shell("grep -qx hello greeting.txt")
            .uri(FetchUri.of(uri)).build())
        .build();
  }

  @Test
  void aClientHostReachesAgentsButNotTheHostsLoopback() throws Exception {
    cluster = isolated();
    IsolatedHost client = cluster.addClientHost();
    assertThat(client.namespace()).isEqualTo(cluster.isolatedNetworkPrefix().orElseThrow()
        + "-client-1");
    String master = cluster.masterAddress();
    assertThat(exec(client.command(List.of("curl", "-sS", "-o", "/dev/null", "-w",
        "%{http_code}", "http://" + master + "/health")))).isEqualTo("200");
    String port = master.substring(master.indexOf(':') + 1);
    assertThat(exec(client.command(List.of("sh", "-c", "curl -sS http://127.0.0.1:" + port
        + "/health 2>&1; echo \" exit=$?\"")))).contains("exit=7");
  }

  @Test
  void aClusterThatDiedWithoutClosingIsCleanedAtTheNextStart() throws Exception {
    String stale = "mkdead0";
    exec(List.of("ip", "netns", "add", stale + "-agent-1"));
    exec(List.of("ip", "link", "add", stale + "-br", "type", "bridge"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.createDirectories(IsolatedNetwork.STATE_DIR);
    Files.writeString(IsolatedNetwork.STATE_DIR.resolve(stale + ".state"), "prefix=" + stale
        + "\npid=" + gone.pid() + "\nstarted=gone\nsubnet=10.213.250.0/24\n");
    assertThat(leftovers(stale)).hasSize(2);

    cluster = isolated();

    assertThat(leftovers(stale)).isEmpty();
    assertThat(IsolatedNetwork.STATE_DIR.resolve(stale + ".state")).doesNotExist();
  }

  @Test
  void aNetworkWhoseSecondAgentCannotBeCreatedLeavesNothing(@TempDir Path dir) throws Exception {
    // an ip that refuses the second agent's namespace and runs everything else
    String real = java.util.stream.Stream.of("/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip")
        .filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElseThrow();
    Path ip = dir.resolve("ip");
    Files.writeString(ip, "#!/bin/sh\ncase \"$*\" in 'netns add '*-agent-2)"
        + " echo 'no room for agent-2' >&2; exit 1;; esac\nexec " + real + " \"$@\"\n");
    Files.setPosixFilePermissions(ip, PosixFilePermissions.fromString("rwx------"));

    assertThatThrownBy(() -> IsolatedNetwork.create(2, ip.toString()))
        .isInstanceOf(MesosKitException.class)
        .satisfies(e -> {
          Matcher m = Pattern.compile("isolatedNetwork: '" + Pattern.quote(ip.toString())
              + " netns add (mk[0-9a-f]{5})-agent-2' failed with exit 1: no room for agent-2")
              .matcher(e.getMessage());
          assertThat(m.matches()).as(e.getMessage()).isTrue();
          String prefix = m.group(1);
          assertThat(leftovers(prefix)).as("what %s left", prefix).isEmpty();
          assertThat(IsolatedNetwork.STATE_DIR.resolve(prefix + ".state")).doesNotExist();
        });
  }

  private static String exec(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return out.strip();
  }
}
