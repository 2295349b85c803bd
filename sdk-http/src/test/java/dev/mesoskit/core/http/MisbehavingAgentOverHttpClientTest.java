package dev.mesoskit.core.http;

import java.time.Duration;

/**
 * {@link MisbehavingAgentTest} with a JDK {@code java.net.http} client given to the builder: the
 * transport of a given client (and of {@code https://} agents) stands the same agents. Runs in
 * surefire's {@code hostile-peers} execution, in its small heap.
 */
class MisbehavingAgentOverHttpClientTest extends MisbehavingAgentTest {
  @Override
  HttpExecutorBackend.Builder builder() {
    return super.builder()
        .httpClient(CallExchange.plainClient("test-client-http", Duration.ofSeconds(20)));
  }

  @Override
  String endedInsideAChunk() {
    return "java.io.EOFException: EOF reached while reading";
  }
}
