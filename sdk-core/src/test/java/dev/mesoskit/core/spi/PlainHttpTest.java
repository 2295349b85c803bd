package dev.mesoskit.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PlainHttpTest {
  private static final String REFUSED = "this HTTP client is for plain http:// only"
      + " (dev.mesoskit.core.spi.PlainHttp); TLS needs a client with an SSLContext";

  @Test
  void onlyTheHttpSchemeIsPlain() {
    assertTrue(PlainHttp.isPlain(URI.create("http://127.0.0.1:5051")));
    assertTrue(PlainHttp.isPlain(URI.create("HTTP://agent:5051/api/v1/executor")));
    assertFalse(PlainHttp.isPlain(URI.create("https://agent:5051")));
    assertFalse(PlainHttp.isPlain(URI.create("agent:5051")));
    assertFalse(PlainHttp.isPlain(URI.create("/relative/path")));
  }

  @Test
  void aClientWithTheContextSpeaksPlainHttp() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      HttpClient client = PlainHttp.builder().build();
      assertSame(PlainHttp.sslContext(), client.sslContext());
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(
          "http://127.0.0.1:" + server.getAddress().getPort() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      assertEquals("hello", response.body());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void tlsIsRefusedWithAMessageThatSaysWhy() {
    HttpClient client = PlainHttp.builder().build();
    IOException e = assertThrows(IOException.class, () -> client.send(
        HttpRequest.newBuilder(URI.create("https://127.0.0.1:1/")).build(),
        HttpResponse.BodyHandlers.discarding()));
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertEquals(UnsupportedOperationException.class, root.getClass());
    assertEquals(REFUSED, root.getMessage());
  }

  @Test
  void theContextCannotBeInitializedForTls() {
    UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
        () -> PlainHttp.sslContext().init(null, null, null));
    assertEquals(REFUSED, e.getMessage());
    assertEquals(REFUSED, assertThrows(UnsupportedOperationException.class,
        () -> PlainHttp.sslContext().createSSLEngine()).getMessage());
  }
}
