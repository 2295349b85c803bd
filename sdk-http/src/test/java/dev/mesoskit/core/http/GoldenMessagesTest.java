package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.Resources;
import dev.mesoskit.core.TaskSpec;
import dev.mesoskit.core.Volume;
import dev.mesoskit.core.spi.TaskLaunch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.mesos.v1.Protos;
import org.apache.mesos.v1.scheduler.Protos.Call;
import org.junit.jupiter.api.Test;

/**
 * Representative messages, as Mesos' JSON (proto field names), compared with the golden files
 * under {@code src/test/resources/golden/}. After an intended change, regenerate them with
 * {@code -Dgolden.update=true} and review the diff.
 */
class GoldenMessagesTest {

  /** A Docker containerizer task: bridge network, two port mappings, parameters, volumes. */
  static Protos.TaskInfo dockerBridgeTask() {
    TaskSpec spec = TaskSpec.builder().name("nginx").resources("cpus:0.5;mem:256;ports:2")
        .command("nginx -g 'daemon off;'")
        .env("NGINX_ENTRYPOINT_QUIET_LOGS", "1")
        .container(ContainerSpec.builder().dockerEngine("nginx:1.25")
            .network(ContainerSpec.Network.BRIDGE)
            .portMapping(80, 0)
            .portMapping(443, 1)
            .parameter("memory-swap", "-1")
            .parameter("ulimit", "nofile=4096")
            .volume(Volume.host("/etc/ssl/certs", "/etc/ssl/certs", Volume.Mode.RO))
            .volume(Volume.sandbox("logs", "/var/log/nginx", Volume.Mode.RW))
            .build())
        .killGracePeriod(Duration.ofSeconds(10))
        .build();
    return V1Conversions.taskInfo(new TaskLaunch("nginx.1", "agent-S0", spec,
        Resources.parse("cpus:0.5;mem:256;ports:[31000-31001]"), Resources.empty()));
  }

  /** A Mesos containerizer task from a Docker image with an HTTP health check and a COMMAND
   * readiness check. */
  static Protos.TaskInfo mesosImageTaskWithChecks() {
    TaskSpec spec = TaskSpec.builder().name("api").resources("cpus:1;mem:512;ports:1")
        .command("exec /app/server --port $PORT0")
        .container(ContainerSpec.builder().image("registry.example.com/team/api:1.4")
            .volume(Volume.sandbox("data", "/var/lib/api", Volume.Mode.RW))
            .build())
        .healthCheck(HealthCheck.builder(Probe.http(CheckPort.assigned(0), "/health"))
            .delay(Duration.ofSeconds(5)).interval(Duration.ofSeconds(3))
            .timeout(Duration.ofSeconds(2)).gracePeriod(Duration.ofSeconds(30))
            .consecutiveFailures(3).build())
        .readinessCheck(ReadinessCheck.of(Probe.command("test -f \"$MESOS_SANDBOX/ready\""))
            .delay(Duration.ZERO).interval(Duration.ofSeconds(1)))
        .label("team", "api")
        .build();
    return V1Conversions.taskInfo(new TaskLaunch("api.1", "agent-S0", spec,
        Resources.parse("cpus:1;mem:512;ports:[31500-31500]"), Resources.empty()));
  }

  /** The ACCEPT call of a pod: one LAUNCH_GROUP on Mesos' default executor. */
  static Call launchGroupCall() {
    return Call.newBuilder()
        .setFrameworkId(Protos.FrameworkID.newBuilder().setValue("fw-1"))
        .setType(Call.Type.ACCEPT)
        .setAccept(SchedulerCalls.acceptCall(List.of("offer-1"), List.of(),
            List.of(V1ConversionsTest.pod()), Duration.ofSeconds(5), "fw-1"))
        .build();
  }

  @Test
  void aDockerBridgeTaskIsItsGoldenJson() throws Exception {
    assertGolden("docker-bridge-task.json", dockerBridgeTask());
  }

  @Test
  void aMesosImageTaskWithChecksIsItsGoldenJson() throws Exception {
    assertGolden("mesos-image-task-with-checks.json", mesosImageTaskWithChecks());
  }

  @Test
  void aLaunchGroupCallIsItsGoldenJson() throws Exception {
    assertGolden("launch-group-call.json", launchGroupCall());
  }

  private static void assertGolden(String name, Message message) throws IOException {
    String json = JsonFormat.printer().preservingProtoFieldNames().print(message) + "\n";
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(Path.of("src/test/resources/golden", name), json,
          StandardCharsets.UTF_8);
    }
    String expected;
    try (InputStream in = GoldenMessagesTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(json).isEqualTo(expected);
    assertThat(parse(expected, message)).isEqualTo(message);
  }

  private static Message parse(String json, Message prototype)
      throws InvalidProtocolBufferException {
    Message.Builder b = prototype.newBuilderForType();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }
}
