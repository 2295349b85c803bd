package dev.mesoskit.core.http;

import java.time.Duration;

/**
 * {@link HttpExecutorBackendTest} with a JDK {@code java.net.http} client given to the builder:
 * the transport of a given client (and of {@code https://} agents) keeps every behaviour.
 */
class HttpExecutorBackendOverHttpClientTest extends HttpExecutorBackendTest {
  @Override
  HttpExecutorBackend.Builder builder() {
    return super.builder()
        .httpClient(CallExchange.plainClient("test-client-http", Duration.ofSeconds(20)));
  }

  @Override
  String eventThreads() {
    return "test-client-http-";
  }
}
