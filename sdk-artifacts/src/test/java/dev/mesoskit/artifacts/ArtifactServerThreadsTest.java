package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A program that forgets to close the server still exits: none of its threads holds the JVM. */
class ArtifactServerThreadsTest {
  @Test
  void everyThreadTheServerStartsIsADaemon() throws Exception {
    Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
    InMemoryStore store = new InMemoryStore();
    store.put("a.txt", new java.io.ByteArrayInputStream(
        "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        java.util.Optional.empty());
    try (ArtifactServer server = TestServers.start(store)) {
      URI uri = server.uri("a.txt");
      HttpResponse<String> answer = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.body()).isEqualTo("hello"); // the server's threads have all started

      Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
      started.removeAll(before);
      assertThat(started).extracting(Thread::getName)
          .anyMatch(name -> name.startsWith("artifact-server"));
      assertThat(started).filteredOn(t -> t.getName().startsWith("artifact-server"))
          .allMatch(Thread::isDaemon, "is a daemon");
      assertThat(started).filteredOn(t -> !t.isDaemon()).extracting(Thread::getName)
          .as("threads that would keep the JVM alive").isEmpty();
    }
  }
}
