package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A call body larger than any real call is refused with 413 and not read on: by its declared
 * length before a byte of it is read, or once the bytes read pass 64 MiB.
 */
@Timeout(120)
class OversizedRequestsTest {
  private static final long HUGE = 1L << 32; // 4 GiB: no heap here could hold it
  private static LocalCluster cluster;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.builder().agents(1)
        .agentResources("cpus:1;mem:256;disk:100;ports:[31000-31000]").start();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String head(URI uri, String path, String length) {
    return "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
        + "\r\nContent-Type: application/json\r\n" + length + "\r\n";
  }

  private static String statusLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      line.write(b);
    }
    return line.toString(StandardCharsets.US_ASCII).strip();
  }

  @Test
  void aDeclaredLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
    URI master = cluster.masterUri();
    try (Socket socket = new Socket(master.getHost(), master.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head(master, "/api/v1/scheduler",
          "Content-Length: " + HUGE + "\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 413 Payload Too Large");
    }
  }

  @Test
  void theAgentsExecutorApiRefusesADeclaredLengthOverTheLimitToo() throws Exception {
    LocalAgent agent = cluster.agents().get(0);
    URI uri = agent.endpoint();
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(head(uri, "/api/v1/executor",
          "Content-Length: " + HUGE + "\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 413 Payload Too Large");
    }
  }

  @Test
  void aChunkedBodyIsReadNoFurtherThanTheLimit() throws Exception {
    URI master = cluster.masterUri();
    try (Socket socket = new Socket(master.getHost(), master.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      out.write(head(master, "/api/v1/scheduler", "Transfer-Encoding: chunked\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      AtomicLong sent = new AtomicLong();
      CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
        byte[] chunk = ("10000\r\n" + " ".repeat(0x10000) + "\r\n")
            .getBytes(StandardCharsets.US_ASCII);
        try {
          while (sent.get() < HUGE) {
            out.write(chunk);
            sent.addAndGet(0x10000);
          }
        } catch (IOException closed) {
          // the master stopped reading: what this test waits for
        }
      });
      assertThat(statusLine(socket.getInputStream())).isEqualTo("HTTP/1.1 413 Payload Too Large");
      // The master answered long before the 4 GiB body could have been sent: it read no further
      // than its bound (plus what the sockets' buffers hold), then stopped reading.
      long sentAtAnswer = sent.get();
      assertThat(sentAtAnswer).as("bytes sent when the master answered")
          .isLessThan(LocalMaster.MAX_CALL_BYTES + (32L << 20));
      socket.close();
      writer.get(30, TimeUnit.SECONDS);
    }
  }
}
