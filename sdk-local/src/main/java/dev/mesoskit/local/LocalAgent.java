package dev.mesoskit.local;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.util.List;
import org.apache.mesos.v1.Protos;

/** Placeholder with the agreed API; the agent change replaces it. */
final class LocalAgent implements AutoCloseable {
  private final AgentConfig config;

  private LocalAgent(AgentConfig config) {
    this.config = config;
  }

  static LocalAgent start(AgentConfig config, AgentListener master) {
    return new LocalAgent(config);
  }

  String id() {
    return config.id();
  }

  String hostname() {
    return config.hostname();
  }

  URI endpoint() {
    throw new UnsupportedOperationException();
  }

  List<Protos.Resource> resources() {
    return config.resources();
  }

  List<Protos.Attribute> attributes() {
    return config.attributes();
  }

  void launch(Protos.FrameworkInfo framework, Protos.TaskInfo task) {
    throw new UnsupportedOperationException();
  }

  void kill(Protos.FrameworkID framework, Protos.TaskID task) {
    throw new UnsupportedOperationException();
  }

  void shutdownExecutor(Protos.FrameworkID framework, Protos.ExecutorID executor) {
    throw new UnsupportedOperationException();
  }

  void shutdownFramework(Protos.FrameworkID framework) {}

  void acknowledge(Protos.FrameworkID framework, Protos.TaskID task, ByteString uuid) {}

  void frameworkMessage(Protos.FrameworkID framework, Protos.ExecutorID executor,
      ByteString data) {}

  void killExecutorProcess(Protos.FrameworkID framework, Protos.ExecutorID executor) {}

  List<Protos.TaskStatus> latestStatuses() {
    return List.of();
  }

  @Override
  public void close() {}
}
