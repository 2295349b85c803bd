package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.Backends;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.Framework;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.RetryPolicy;
import dev.mesoskit.core.Task;
import dev.mesoskit.core.TaskId;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.FrameworkIdStore;
import java.io.File;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Custom-executor tasks on a 2-agent LocalCluster: the executor jar is fetched over HTTP by the
 * agents and run as a real process that speaks the v1 executor API through ExecutorMain.
 */
class CustomExecutorIT {
  private static final Duration WAIT = Duration.ofSeconds(90);

  private LocalCluster cluster;
  private HttpServer files;
  private Framework fw;
  private ExecutorSpec executor;

  @BeforeEach
  void start(@TempDir Path dir) throws Exception {
    Path jar = dir.resolve("echo-executor.jar");
    String classFile = EchoExecutor.class.getName().replace('.', '/') + ".class";
    Path compiled = Paths.get(EchoExecutor.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).resolve(classFile);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry(classFile));
      out.write(Files.readAllBytes(compiled));
      out.closeEntry();
    }
    files = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    files.createContext("/echo-executor.jar", ex -> {
      byte[] bytes = Files.readAllBytes(jar);
      ex.sendResponseHeaders(200, bytes.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(bytes);
      }
    });
    files.start();
    String testClasses = Paths.get(EchoExecutor.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI()).toString();
    // Everything but this module's test classes: the executor class must come from the jar.
    String deps = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> !Paths.get(p).toString().equals(testClasses))
        .collect(Collectors.joining(File.pathSeparator));
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    executor = new ExecutorSpec("echo", "echo executor",
        CommandSpec.builder()
            .exec(java, "-Xmx64m", "-cp", "echo-executor.jar" + File.pathSeparator + deps,
                EchoExecutor.class.getName())
            .uri(FetchUri.of("http://127.0.0.1:" + files.getAddress().getPort()
                + "/echo-executor.jar").notExtracted())
            .build(),
        ResourceSpec.of(0.1, 128));

    cluster = LocalCluster.builder().agents(2)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .statusUpdateRetry(Duration.ofMillis(500))
        .executorShutdownGracePeriod(Duration.ofSeconds(2))
        .start();
    fw = Framework.builder().name("custom-executor-it")
        .backend(Backends.fromArgs("--master=" + cluster.masterAddress()))
        .frameworkIdStore(FrameworkIdStore.inMemory())
        .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialBackoff(Duration.ofMillis(100))
            .maxBackoff(Duration.ofMillis(500)).build())
        .refuse(Duration.ofMillis(200))
        .build();
    fw.start();
  }

  @AfterEach
  void stop() {
    if (fw != null) {
      fw.close();
    }
    if (cluster != null) {
      cluster.close();
    }
    if (files != null) {
      files.stop(0);
    }
  }

  private TaskId submit(String id, String data) {
    return fw.submit(TaskSpec.builder().id(id).name(id).resources("cpus:0.25;mem:64")
        .executor(executor).data(data).build());
  }

  private Task outcome(TaskId id) throws Exception {
    return fw.outcome(id).get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void tasksOfAFetchedCustomExecutorAllFinish() throws Exception {
    List<TaskId> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(submit("echo-" + i, "finish"));
    }
    for (TaskId id : ids) {
      Task t = outcome(id);
      assertThat(t.state()).isEqualTo(TaskState.FINISHED);
      assertThat(t.attempt()).isEqualTo(1);
    }
    try (Stream<Path> written = Files.walk(cluster.workDir())) {
      assertThat(written.map(p -> p.getFileName().toString()))
          .contains("echo-executor.jar", "echo-0.1.txt", "echo-4.1.txt");
    }
  }

  @Test
  void aHandlerFailureFailsTheAttemptAndAPermanentOneIsNotRetried() throws Exception {
    TaskId flaky = submit("flaky", "fail");
    TaskId invalid = submit("invalid", "invalid");
    Task f = outcome(flaky);
    assertThat(f.state()).isEqualTo(TaskState.FAILED);
    assertThat(f.attempt()).isEqualTo(3);
    assertThat(f.message()).hasValueSatisfying(m -> assertThat(m).contains("asked to fail"));
    Task i = outcome(invalid);
    assertThat(i.state()).isEqualTo(TaskState.FAILED);
    assertThat(i.attempt()).isEqualTo(1);
    assertThat(i.reason()).hasValue("REASON_TASK_INVALID");
    assertThat(i.message()).hasValueSatisfying(m ->
        assertThat(m).contains("this input can never work"));
  }

  @Test
  void anExecutorKilledMidTaskIsReplacedAndItsTaskRetriedToTheEnd() throws Exception {
    TaskId id = submit("survivor", "sleep:2000");
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (fw.task(id).map(Task::state).orElse(null) != TaskState.RUNNING) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(20);
    }
    Task running = fw.task(id).orElseThrow();
    cluster.killExecutor(running.agentId().orElseThrow(), fw.frameworkId().orElseThrow(), "echo");
    Task t = outcome(id);
    assertThat(t.state()).isEqualTo(TaskState.FINISHED);
    assertThat(t.attempt()).isEqualTo(2);
  }

  @Test
  void aTaskGroupLaunchesAtomicallyOnItsExecutorAndEveryTaskFinishes() throws Exception {
    org.apache.mesos.v1.Protos.ExecutorInfo.Builder exec = org.apache.mesos.v1.Protos.ExecutorInfo
        .newBuilder()
        .setType(org.apache.mesos.v1.Protos.ExecutorInfo.Type.CUSTOM)
        .setExecutorId(org.apache.mesos.v1.Protos.ExecutorID.newBuilder().setValue("group-echo"))
        .setCommand(org.apache.mesos.v1.Protos.CommandInfo.newBuilder()
            .setShell(false)
            .setValue(executor.command().value())
            .addAllArguments(executor.command().arguments())
            .addUris(org.apache.mesos.v1.Protos.CommandInfo.URI.newBuilder()
                .setValue(executor.command().uris().get(0).uri()).setExtract(false)))
        .addResources(LocalMasterWireTest.scalar("cpus", 0.1))
        .addResources(LocalMasterWireTest.scalar("mem", 128))
        .addResources(LocalMasterWireTest.scalar("disk", 10)); // Mesos wants disk for a group's
    org.apache.mesos.v1.scheduler.Protos.Call subscribe = org.apache.mesos.v1.scheduler.Protos.Call
        .newBuilder().setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.SUBSCRIBE)
        .setSubscribe(org.apache.mesos.v1.scheduler.Protos.Call.Subscribe.newBuilder()
            .setFrameworkInfo(org.apache.mesos.v1.Protos.FrameworkInfo.newBuilder()
                .setUser("u").setName("group-it").addRoles("*")
                .addCapabilities(org.apache.mesos.v1.Protos.FrameworkInfo.Capability.newBuilder()
                    .setType(org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type.MULTI_ROLE))
                .addCapabilities(org.apache.mesos.v1.Protos.FrameworkInfo.Capability.newBuilder()
                    .setType(org.apache.mesos.v1.Protos.FrameworkInfo.Capability.Type
                        .PARTITION_AWARE))))
        .build();
    try (RawScheduler raw = new RawScheduler(cluster.masterUri(), false).subscribe(subscribe)) {
      String fwId = raw.next(org.apache.mesos.v1.scheduler.Protos.Event.Type.SUBSCRIBED, WAIT)
          .getSubscribed().getFrameworkId().getValue();
      org.apache.mesos.v1.Protos.Offer offer = raw.next(
          org.apache.mesos.v1.scheduler.Protos.Event.Type.OFFERS, WAIT).getOffers().getOffers(0);
      org.apache.mesos.v1.Protos.TaskGroupInfo.Builder group =
          org.apache.mesos.v1.Protos.TaskGroupInfo.newBuilder();
      for (String id : List.of("g1", "g2")) {
        group.addTasks(org.apache.mesos.v1.Protos.TaskInfo.newBuilder().setName(id)
            .setTaskId(org.apache.mesos.v1.Protos.TaskID.newBuilder().setValue(id))
            .setAgentId(offer.getAgentId())
            .setData(com.google.protobuf.ByteString.copyFromUtf8("finish"))
            .addResources(LocalMasterWireTest.scalar("cpus", 0.25))
            .addResources(LocalMasterWireTest.scalar("mem", 64)));
      }
      assertThat(raw.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
          .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACCEPT)
          .setFrameworkId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue(fwId))
          .setAccept(org.apache.mesos.v1.scheduler.Protos.Call.Accept.newBuilder()
              .addOfferIds(offer.getId())
              .addOperations(org.apache.mesos.v1.Protos.Offer.Operation.newBuilder()
                  .setType(org.apache.mesos.v1.Protos.Offer.Operation.Type.LAUNCH_GROUP)
                  .setLaunchGroup(org.apache.mesos.v1.Protos.Offer.Operation.LaunchGroup
                      .newBuilder().setTaskGroup(group).setExecutor(exec.setFrameworkId(
                          org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue(fwId))))))
          .build())).isEqualTo("202");
      java.util.Set<String> finished = new java.util.TreeSet<>();
      while (finished.size() < 2) {
        org.apache.mesos.v1.Protos.TaskStatus status = raw.next(
            org.apache.mesos.v1.scheduler.Protos.Event.Type.UPDATE, WAIT).getUpdate().getStatus();
        assertThat(status.getState()).isIn(org.apache.mesos.v1.Protos.TaskState.TASK_STARTING,
            org.apache.mesos.v1.Protos.TaskState.TASK_RUNNING,
            org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED);
        if (status.hasUuid()) {
          raw.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
              .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.ACKNOWLEDGE)
              .setFrameworkId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue(fwId))
              .setAcknowledge(org.apache.mesos.v1.scheduler.Protos.Call.Acknowledge.newBuilder()
                  .setAgentId(status.getAgentId()).setTaskId(status.getTaskId())
                  .setUuid(status.getUuid()))
              .build());
        }
        if (status.getState() == org.apache.mesos.v1.Protos.TaskState.TASK_FINISHED) {
          finished.add(status.getTaskId().getValue());
        }
      }
      assertThat(finished).containsExactly("g1", "g2");
      try (Stream<Path> written = Files.walk(cluster.workDir())) {
        assertThat(written.map(p -> p.getFileName().toString())).contains("g1.txt", "g2.txt");
      }
      raw.call(org.apache.mesos.v1.scheduler.Protos.Call.newBuilder()
          .setType(org.apache.mesos.v1.scheduler.Protos.Call.Type.TEARDOWN)
          .setFrameworkId(org.apache.mesos.v1.Protos.FrameworkID.newBuilder().setValue(fwId))
          .build());
    }
  }
}
