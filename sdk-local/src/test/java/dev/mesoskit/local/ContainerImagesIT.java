package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.Protos.TaskState;
import org.apache.mesos.v1.Protos.TaskStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Command tasks with a container image on a LocalCluster: refused as by a Mesos agent without
 * an image provider when there is no container runtime (always tested), and run with podman when
 * it works here ({@link TestImages#BUSYBOX}, built from {@code /bin/busybox} when missing); the
 * podman tests are skipped otherwise, saying what is missing.
 */
class ContainerImagesIT {
  private static final String INSTALL_PODMAN = "; run on a Mesos agent with a container"
      + " runtime, or install podman and runc (see LocalCluster.Builder.containerRuntime)";

  @TempDir
  Path dir;

  private LocalCluster cluster;
  private TestTaskScheduler scheduler;

  @AfterEach
  void stop() throws Exception {
    if (scheduler != null) {
      scheduler.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void start(ContainerRuntime runtime) throws Exception {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:2;mem:2048;disk:1000;ports:[31000-31099]")
        .allocationInterval(Duration.ofMillis(20))
        .statusUpdateRetry(Duration.ofMillis(500))
        .containerRuntime(runtime)
        .start();
    scheduler = TestTaskScheduler.subscribe(cluster, "images-it");
  }

  private void startWithPodman() throws Exception {
    Optional<String> missing = TestImages.busyboxUnavailable(dir);
    assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElse(""));
    start(ContainerRuntime.PODMAN);
  }

  private static Protos.TaskInfo.Builder task(String id, String command) {
    Protos.TaskInfo.Builder task = Protos.TaskInfo.newBuilder().setName(id)
        .setTaskId(Protos.TaskID.newBuilder().setValue(id))
        .setCommand(Protos.CommandInfo.newBuilder().setValue(command))
        .setContainer(Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.MESOS)
            .setMesos(Protos.ContainerInfo.MesosInfo.newBuilder().setImage(Protos.Image.newBuilder()
                .setType(Protos.Image.Type.DOCKER)
                .setDocker(Protos.Image.Docker.newBuilder().setName(TestImages.BUSYBOX)))));
    for (String[] r : new String[][] {{"cpus", "0.1"}, {"mem", "32"}}) {
      task.addResources(Protos.Resource.newBuilder().setName(r[0])
          .setType(Protos.Value.Type.SCALAR)
          .setScalar(Protos.Value.Scalar.newBuilder().setValue(Double.parseDouble(r[1]))));
    }
    return task;
  }

  private static Protos.Volume volume(Path host, String inside, Protos.Volume.Mode mode) {
    return Protos.Volume.newBuilder().setContainerPath(inside).setMode(mode)
        .setSource(Protos.Volume.Source.newBuilder().setType(Protos.Volume.Source.Type.HOST_PATH)
            .setHostPath(Protos.Volume.Source.HostPath.newBuilder().setPath(host.toString())))
        .build();
  }

  /** The sandbox of a command task: {@code .../executors/<task>/runs/<container>}. */
  private Path sandboxOf(String taskId) throws Exception {
    try (Stream<Path> paths = Files.walk(cluster.workDir())) {
      return paths.filter(p -> p.getFileName().toString().equals("stdout")
          && p.getParent().getParent().getParent().getFileName().toString().equals(taskId))
          .findFirst().orElseThrow().getParent();
    }
  }

  private String stdoutOf(String taskId) throws Exception {
    return Files.readString(sandboxOf(taskId).resolve("stdout"), StandardCharsets.UTF_8);
  }

  @Test
  void anImageTaskFailsToLaunchWithoutAContainerRuntimeAndSaysWhatIsMissing() throws Exception {
    start(ContainerRuntime.NONE);
    scheduler.launch(task("refused", "echo hello"));
    TaskStatus status = scheduler.awaitTerminal();

    assertThat(scheduler.summary()).containsExactly("TASK_FAILED SOURCE_AGENT"
        + " reason=REASON_CONTAINER_LAUNCH_FAILED healthy=- message=Failed to launch container:"
        + " Unsupported container image type: DOCKER; LocalCluster cannot run container images"
        + " here: podman is not usable (disabled by containerRuntime NONE)" + INSTALL_PODMAN);
    assertThat(status.hasUuid()).isTrue();
  }

  @Test
  void aDockerContainerTaskFailsToLaunchAsWithoutTheDockerContainerizer() throws Exception {
    start(ContainerRuntime.NONE);
    scheduler.launch(task("refused-docker", "echo hello").setContainer(
        Protos.ContainerInfo.newBuilder().setType(Protos.ContainerInfo.Type.DOCKER)
            .setDocker(Protos.ContainerInfo.DockerInfo.newBuilder()
                .setImage(TestImages.BUSYBOX))));
    TaskStatus status = scheduler.awaitTerminal();

    assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(status.getReason())
        .isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(status.getMessage()).isEqualTo("Failed to launch container: None of the enabled"
        + " containerizers (mesos) could create a container for the provided"
        + " TaskInfo/ExecutorInfo message; LocalCluster cannot run container images here: podman"
        + " is not usable (disabled by containerRuntime NONE)" + INSTALL_PODMAN);
  }

  @Test
  void aCustomExecutorWithAnImageFailsToLaunchInsteadOfRunningWithoutIt() throws Exception {
    start(ContainerRuntime.AUTO);
    Protos.TaskInfo.Builder task = task("in-executor", "unused").clearCommand()
        .clearContainer().setExecutor(Protos.ExecutorInfo.newBuilder()
            .setExecutorId(Protos.ExecutorID.newBuilder().setValue("imaged-executor"))
            .setCommand(Protos.CommandInfo.newBuilder().setValue("sleep 60"))
            .setContainer(task("x", "x").getContainer()));
    scheduler.launch(task);
    TaskStatus status = scheduler.awaitTerminal();

    assertThat(status.getState()).isEqualTo(TaskState.TASK_FAILED);
    assertThat(status.getReason())
        .isEqualTo(TaskStatus.Reason.REASON_CONTAINER_LAUNCH_FAILED);
    assertThat(status.getMessage()).isEqualTo("Failed to launch container: Unsupported container"
        + " image type: DOCKER; LocalCluster cannot run custom executors in container images: it"
        + " runs each executor as a host process (only command tasks run in images, through"
        + " podman); run on a Mesos agent with a container runtime");
  }

  @Test
  void anImageTaskRunsInPodmanWithItsSandboxAndFinishes() throws Exception {
    startWithPodman();
    scheduler.launch(task("echo", "echo hello; echo \"$MESOS_SANDBOX $(pwd)\""));
    scheduler.awaitTerminal();

    assertThat(scheduler.summary()).containsExactly(
        "TASK_STARTING SOURCE_EXECUTOR reason=- healthy=- message=-",
        "TASK_RUNNING SOURCE_EXECUTOR reason=- healthy=- message=-",
        "TASK_FINISHED SOURCE_EXECUTOR reason=- healthy=- message=Command exited with status 0");
    assertThat(stdoutOf("echo")).isEqualTo("hello\n/mnt/mesos/sandbox /mnt/mesos/sandbox\n");
  }

  @Test
  void aFailingImageTaskFailsWithItsExitStatus() throws Exception {
    startWithPodman();
    scheduler.launch(task("fails", "echo failing >&2; exit 3"));
    TaskStatus status = scheduler.awaitTerminal();

    assertThat(TestTaskScheduler.summary(status)).isEqualTo(
        "TASK_FAILED SOURCE_EXECUTOR reason=- healthy=- message=Command exited with status 3");
    assertThat(Files.readString(sandboxOf("fails").resolve("stderr"), StandardCharsets.UTF_8))
        .endsWith("failing\n");
  }

  @Test
  void hostVolumesAreMountedReadOnlyOrReadWrite() throws Exception {
    startWithPodman();
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("message.txt"), "from the host\n", StandardCharsets.UTF_8);
    Path out = Files.createDirectories(dir.resolve("out"));
    Protos.TaskInfo.Builder task = task("volumes", "cat /in/message.txt;"
        + " if touch /in/written 2>/dev/null; then echo in is writable; fi;"
        + " echo from the container > /out/written.txt");
    task.getContainerBuilder()
        .addVolumes(volume(in, "/in", Protos.Volume.Mode.RO))
        .addVolumes(volume(out, "/out", Protos.Volume.Mode.RW));
    scheduler.launch(task);
    TaskStatus status = scheduler.awaitTerminal();

    assertThat(status.getState()).isEqualTo(TaskState.TASK_FINISHED);
    assertThat(stdoutOf("volumes")).isEqualTo("from the host\n");
    assertThat(in.resolve("written")).doesNotExist();
    assertThat(Files.readString(out.resolve("written.txt"), StandardCharsets.UTF_8))
        .isEqualTo("from the container\n");
  }

  @Test
  void aKilledImageTaskGetsSigtermAndEndsKilledWithItsExitStatus() throws Exception {
    startWithPodman();
    String agent = scheduler.launch(task("trap", "trap 'echo got TERM; exit 0' TERM;"
        + " touch trap-set; while true; do sleep 0.1; done")
        .setKillPolicy(Protos.KillPolicy.newBuilder().setGracePeriod(
            Protos.DurationInfo.newBuilder().setNanoseconds(Duration.ofSeconds(20).toNanos()))));
    scheduler.awaitUpdate(s -> s.getState() == TaskState.TASK_RUNNING);
    long deadline = System.nanoTime() + TestTaskScheduler.WAIT.toNanos();
    while (!Files.exists(sandboxOf("trap").resolve("trap-set"))) {
      assertThat(System.nanoTime()).as("the trap is set").isLessThan(deadline);
      Thread.sleep(20);
    }
    scheduler.kill("trap", agent);
    scheduler.awaitTerminal();

    assertThat(scheduler.summary()).containsExactly(
        "TASK_STARTING SOURCE_EXECUTOR reason=- healthy=- message=-",
        "TASK_RUNNING SOURCE_EXECUTOR reason=- healthy=- message=-",
        "TASK_KILLING SOURCE_EXECUTOR reason=- healthy=- message=-",
        "TASK_KILLED SOURCE_EXECUTOR reason=- healthy=- message=Command exited with status 0");
    assertThat(stdoutOf("trap")).isEqualTo("got TERM\n");
  }

  @Test
  void anImageTaskIsHealthCheckedOverHttpAndCheckedInsideItsContainer() throws Exception {
    startWithPodman();
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    String agent = scheduler.launch(task("httpd", "echo ok > index.html;"
        + " exec httpd -f -p 127.0.0.1:" + port + " -h /mnt/mesos/sandbox")
        .setHealthCheck(Protos.HealthCheck.newBuilder().setType(Protos.HealthCheck.Type.HTTP)
            .setHttp(Protos.HealthCheck.HTTPCheckInfo.newBuilder().setPort(port)
                .setPath("/index.html"))
            .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(5)
            .setConsecutiveFailures(3).setGracePeriodSeconds(60))
        .setCheck(Protos.CheckInfo.newBuilder().setType(Protos.CheckInfo.Type.COMMAND)
            .setCommand(Protos.CheckInfo.Command.newBuilder().setCommand(
                Protos.CommandInfo.newBuilder().setValue("test -f /mnt/mesos/sandbox/index.html"
                    + " && test \"$(cat /proc/1/comm)\" != java")))
            .setDelaySeconds(0).setIntervalSeconds(0.2).setTimeoutSeconds(10)));
    // The health check and the check run independently: wait until both have reported, in
    // whichever order their updates come.
    scheduler.awaitUpdate(s -> scheduler.updates.stream().anyMatch(TaskStatus::hasHealthy)
        && scheduler.updates.stream().anyMatch(u -> u.getCheckStatus().getCommand().hasExitCode()
            && u.getCheckStatus().getCommand().getExitCode() == 0));
    scheduler.kill("httpd", agent);
    TaskStatus last = scheduler.awaitTerminal();

    assertThat(scheduler.updates).anyMatch(s -> s.hasHealthy() && s.getHealthy()
        && s.getReason() == TaskStatus.Reason.REASON_TASK_HEALTH_CHECK_STATUS_UPDATED);
    assertThat(scheduler.updates).noneMatch(s -> s.hasHealthy() && !s.getHealthy());
    assertThat(TestTaskScheduler.summary(last)).isEqualTo("TASK_KILLED SOURCE_EXECUTOR reason=-"
        + " healthy=- message=Command terminated with signal Terminated"
        + " check_status={\"type\":\"COMMAND\",\"command\":{}}");
  }
}
