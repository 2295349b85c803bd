package dev.mesoskit.core.http;

import dev.mesoskit.core.CheckPort;
import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.ContainerSpec;
import dev.mesoskit.core.HealthCheck;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.ReadinessCheck;
import dev.mesoskit.core.TaskSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mesos.v1.Protos;

/**
 * The messages of health checks, checks and their results ({@code HealthCheck}, {@code CheckInfo}, {@code CheckStatusInfo}) both ways. Package-private: {@link V1Conversions} is the backends' public face.
 *
 * <p>Stateless; safe from any thread.
 */
final class CheckMessages {
  private CheckMessages() {}

  /**
   * The ports a task's checks see: its offered ports, except that on the Docker containerizer's
   * bridge network the executor probes inside the container's network namespace, where a mapped
   * port is the mapping's container port (Mesos' docker executor enters the container's
   * {@code net} namespace for HTTP and TCP checks).
   */
  static List<Long> probedPorts(TaskSpec spec, List<Long> ports) {
    ContainerSpec c = spec.container().orElse(null);
    if (c == null || c.type() != ContainerSpec.Type.DOCKER
        || c.network() != ContainerSpec.Network.BRIDGE || c.portMappings().isEmpty()) {
      return ports;
    }
    List<Long> probed = new ArrayList<>(ports);
    for (ContainerSpec.PortMapping m : c.portMappings()) {
      if (m.taskPortIndex() < probed.size()) {
        probed.set(m.taskPortIndex(), (long) m.containerPort());
      }
    }
    return probed;
  }

  /**
   * The {@code HealthCheck} of a health check, its port resolved against the task's ports.
   *
   * @param check the health check
   * @param taskPorts the task's ports, ascending
   * @return the message
   * @throws IllegalArgumentException when the probe's port index is beyond the task's ports
   */
  static Protos.HealthCheck healthCheck(HealthCheck check, List<Long> taskPorts) {
    Protos.HealthCheck.Builder b = Protos.HealthCheck.newBuilder()
        .setDelaySeconds(seconds(check.delay()))
        .setIntervalSeconds(seconds(check.interval()))
        .setTimeoutSeconds(seconds(check.timeout()))
        .setGracePeriodSeconds(seconds(check.gracePeriod()))
        .setConsecutiveFailures(check.consecutiveFailures());
    Probe probe = check.probe();
    if (probe instanceof Probe.Http http) {
      b.setType(Protos.HealthCheck.Type.HTTP).setHttp(Protos.HealthCheck.HTTPCheckInfo
          .newBuilder()
          .setPort(http.port().resolve(taskPorts))
          .setPath(http.path())
          .setScheme(http.https() ? "https" : "http"));
    } else if (probe instanceof Probe.Tcp tcp) {
      b.setType(Protos.HealthCheck.Type.TCP).setTcp(Protos.HealthCheck.TCPCheckInfo.newBuilder()
          .setPort(tcp.port().resolve(taskPorts)));
    } else if (probe instanceof Probe.Command command) {
      b.setType(Protos.HealthCheck.Type.COMMAND).setCommand(checkCommand(command));
    }
    return b.build();
  }

  /**
   * The {@code CheckInfo} of a readiness check, its port resolved against the task's ports.
   *
   * @param check the readiness check
   * @param taskPorts the task's ports, ascending
   * @return the message
   * @throws IllegalArgumentException when the probe's port index is beyond the task's ports, or
   *     the probe asks for {@code https}, which Mesos' {@code CheckInfo} cannot express
   */
  static Protos.CheckInfo checkInfo(ReadinessCheck check, List<Long> taskPorts) {
    Protos.CheckInfo.Builder b = Protos.CheckInfo.newBuilder()
        .setDelaySeconds(seconds(check.delay()))
        .setIntervalSeconds(seconds(check.interval()))
        .setTimeoutSeconds(seconds(check.timeout()));
    Probe probe = check.probe();
    if (probe instanceof Probe.Http http) {
      if (http.https()) {
        throw new IllegalArgumentException("a readiness check's HTTP probe must use http but"
            + " asked for https: Mesos' CheckInfo has no scheme (a HealthCheck has)");
      }
      b.setType(Protos.CheckInfo.Type.HTTP).setHttp(Protos.CheckInfo.Http.newBuilder()
          .setPort(http.port().resolve(taskPorts))
          .setPath(http.path()));
    } else if (probe instanceof Probe.Tcp tcp) {
      b.setType(Protos.CheckInfo.Type.TCP).setTcp(Protos.CheckInfo.Tcp.newBuilder()
          .setPort(tcp.port().resolve(taskPorts)));
    } else if (probe instanceof Probe.Command command) {
      b.setType(Protos.CheckInfo.Type.COMMAND).setCommand(Protos.CheckInfo.Command.newBuilder()
          .setCommand(checkCommand(command)));
    }
    return b.build();
  }

  /** A probe's command: its URIs are not fetched for a check, so they are left out. */
  private static Protos.CommandInfo checkCommand(Probe.Command probe) {
    return V1Conversions.command(probe.command(), Map.of()).toBuilder().clearUris().build();
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Duration duration(double seconds) {
    return Duration.ofNanos(Math.max(0, Math.round(seconds * 1e9)));
  }

  /**
   * A health check as MesosKit sees it, its port fixed.
   *
   * @param check the message
   * @return the check, or empty when MesosKit cannot express it (unknown type, missing
   *     sub-message, a value out of range)
   */
  static Optional<HealthCheck> healthCheck(Protos.HealthCheck check) {
    Optional<Probe> probe = switch (check.getType()) {
      case HTTP -> check.hasHttp()
          ? httpProbe(check.getHttp().getPort(), check.getHttp().getPath(),
              "https".equals(check.getHttp().getScheme()))
          : Optional.empty();
      case TCP -> check.hasTcp() ? tcpProbe(check.getTcp().getPort()) : Optional.empty();
      case COMMAND -> check.hasCommand() ? commandProbe(check.getCommand()) : Optional.empty();
      default -> Optional.empty();
    };
    try {
      return probe.map(p -> new HealthCheck(p, duration(check.getDelaySeconds()),
          duration(check.getIntervalSeconds()), duration(check.getTimeoutSeconds()),
          duration(check.getGracePeriodSeconds()), check.getConsecutiveFailures()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * A check as MesosKit sees it, as a readiness check with its port fixed.
   *
   * @param check the message
   * @return the check, or empty when MesosKit cannot express it (unknown type, missing
   *     sub-message, a value out of range)
   */
  static Optional<ReadinessCheck> readinessCheck(Protos.CheckInfo check) {
    Optional<Probe> probe = switch (check.getType()) {
      case HTTP -> check.hasHttp()
          ? httpProbe(check.getHttp().getPort(), check.getHttp().getPath(), false)
          : Optional.empty();
      case TCP -> check.hasTcp() ? tcpProbe(check.getTcp().getPort()) : Optional.empty();
      case COMMAND -> check.hasCommand() && check.getCommand().hasCommand()
          ? commandProbe(check.getCommand().getCommand())
          : Optional.empty();
      default -> Optional.empty();
    };
    try {
      return probe.map(p -> new ReadinessCheck(p, duration(check.getDelaySeconds()),
          duration(check.getIntervalSeconds()), duration(check.getTimeoutSeconds())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Probe> httpProbe(int port, String path, boolean https) {
    try {
      return Optional.of(new Probe.Http(CheckPort.fixed(port), path.isEmpty() ? "/" : path,
          https));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Probe> tcpProbe(int port) {
    try {
      return Optional.of(new Probe.Tcp(CheckPort.fixed(port)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Probe> commandProbe(Protos.CommandInfo c) {
    try {
      return Optional.of(new Probe.Command(V1Conversions.commandSpec(c)));
    } catch (IllegalArgumentException | NullPointerException e) {
      return Optional.empty();
    }
  }

  /**
   * A check's result as MesosKit sees it. A result of the check's type without a value (as Mesos
   * sends before the first probe finished, e.g. {@code {"type":"COMMAND","command":{}}}) is
   * {@link CheckResult#pending}.
   *
   * @param s the message
   * @return the result, or empty when the type is missing or unknown
   */
  static Optional<CheckResult> checkResult(Protos.CheckStatusInfo s) {
    return switch (s.getType()) {
      case COMMAND -> Optional.of(s.getCommand().hasExitCode()
          ? CheckResult.exitCode(s.getCommand().getExitCode())
          : CheckResult.pending(Probe.Kind.COMMAND));
      case HTTP -> Optional.of(s.getHttp().hasStatusCode()
          ? CheckResult.statusCode(s.getHttp().getStatusCode())
          : CheckResult.pending(Probe.Kind.HTTP));
      case TCP -> Optional.of(s.getTcp().hasSucceeded()
          ? CheckResult.tcp(s.getTcp().getSucceeded())
          : CheckResult.pending(Probe.Kind.TCP));
      default -> Optional.empty();
    };
  }

  /**
   * The {@code CheckStatusInfo} of a check's result: its type and the sub-message of that type,
   * empty while the result is pending.
   *
   * @param result the result
   * @return the message
   */
  static Protos.CheckStatusInfo checkStatusInfo(CheckResult result) {
    Protos.CheckStatusInfo.Builder b = Protos.CheckStatusInfo.newBuilder();
    switch (result.kind()) {
      case COMMAND -> {
        Protos.CheckStatusInfo.Command.Builder c = Protos.CheckStatusInfo.Command.newBuilder();
        result.exitCode().ifPresent(c::setExitCode);
        b.setType(Protos.CheckInfo.Type.COMMAND).setCommand(c);
      }
      case HTTP -> {
        Protos.CheckStatusInfo.Http.Builder h = Protos.CheckStatusInfo.Http.newBuilder();
        result.statusCode().ifPresent(h::setStatusCode);
        b.setType(Protos.CheckInfo.Type.HTTP).setHttp(h);
      }
      case TCP -> {
        Protos.CheckStatusInfo.Tcp.Builder t = Protos.CheckStatusInfo.Tcp.newBuilder();
        result.succeeded().ifPresent(t::setSucceeded);
        b.setType(Protos.CheckInfo.Type.TCP).setTcp(t);
      }
      default -> throw new IllegalStateException("unknown check kind " + result.kind());
    }
    return b.build();
  }
}
