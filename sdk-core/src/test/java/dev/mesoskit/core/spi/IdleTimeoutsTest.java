package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class IdleTimeoutsTest {
  private static final Duration IDLE = Duration.ofMillis(300);

  @Test
  void anHttpBodyThatStallsAfterItsHeadersFailsTheReadAndLeavesNoInterrupt() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread peer = new Thread(() -> {
        try (Socket socket = server.accept(); OutputStream out = socket.getOutputStream()) {
          socket.getInputStream().read(new byte[4096]);
          out.write(("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          release.await(); // then nothing more: a stalled peer that keeps the connection
        } catch (IOException | InterruptedException e) {
          // the test ended
        }
      });
      peer.start();
      URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/stalls");
      HttpResponse<InputStream> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      try (InputStream in = IdleTimeouts.guard(response.body(), IDLE, "GET " + uri)) {
        assertThatThrownBy(() -> in.transferTo(got)).isInstanceOf(IOException.class)
            .hasMessage("GET " + uri + " stalled: no data for PT0.3S");
        assertThatThrownBy(in::read).hasMessage("GET " + uri + " stalled: no data for PT0.3S");
      } finally {
        release.countDown();
      }
      assertThat(got.toString(StandardCharsets.US_ASCII)).isEqualTo("0123456789");
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
  }

  @Test
  void aSlowTransferThatKeepsMovingIsNeverCut() throws Exception {
    // Time is a ticker the writer moves: 100 ms before each of 10 bytes, each written once the
    // reader took the one before. A second of transfer, never 300 ms without a byte, however
    // slowly the machine runs the two threads.
    AtomicLong ticker = new AtomicLong();
    PipedOutputStream writer = new PipedOutputStream();
    PipedInputStream pipe = new PipedInputStream(writer);
    Thread slow = new Thread(() -> {
      try (writer) {
        for (int i = 0; i < 10; i++) {
          while (pipe.available() > 0) {
            Thread.sleep(1);
          }
          ticker.addAndGet(Duration.ofMillis(100).toNanos());
          writer.write('a' + i);
          writer.flush();
        }
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    });
    slow.start();
    try (InputStream in = IdleTimeouts.guard(pipe, IDLE, "the pipe", ticker::get)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcdefghij");
    }
    slow.join();
    assertThat(Duration.ofNanos(ticker.get())).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aBlockedReadOfAStreamThatNeverDeliversEnds() throws Exception {
    PipedOutputStream writer = new PipedOutputStream();
    try (InputStream in = IdleTimeouts.guard(new PipedInputStream(writer), IDLE, "the pipe")) {
      long start = System.nanoTime();
      assertThatThrownBy(in::read).isInstanceOf(IOException.class)
          .hasMessage("the pipe stalled: no data for PT0.3S");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(Thread.currentThread().isInterrupted()).isFalse();
    } finally {
      writer.close();
    }
  }

  @Test
  void refusesANonPositiveIdleTime() {
    assertThatThrownBy(() -> IdleTimeouts.guard(InputStream.nullInputStream(), Duration.ZERO, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("idle must be positive but was PT0S");
  }
}
