package dev.mesoskit.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The relay, run as agents run it (its own JVM, its JVM options) on loopback addresses: many
 * connections at once each get back exactly what they sent, a half-close passes through, and the
 * relay exits when its standard input closes.
 */
@Timeout(120)
class NamespaceRelayTest {
  private static final int CONNECTIONS = 200;
  private static final int BYTES = 256 * 1024;

  @Test
  void manyConnectionsAtOnceEachGetTheirBytesBackAndEofEndsTheRelay() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    ExecutorService pool = Executors.newCachedThreadPool();
    try (ServerSocket echo = new ServerSocket(0, 512, loopback)) {
      // the target: echoes each connection until the client half-closes, then closes
      pool.submit(() -> {
        while (true) {
          Socket socket = echo.accept();
          pool.submit(() -> {
            try (socket) {
              socket.getInputStream().transferTo(socket.getOutputStream());
            }
            return null;
          });
        }
      });
      int port;
      try (ServerSocket free = new ServerSocket(0, 1, loopback)) {
        port = free.getLocalPort();
      }
      List<String> command = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      command.addAll(NamespaceRelay.JVM_OPTIONS);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"),
          NamespaceRelay.class.getName(), "127.0.0.1", Integer.toString(port), "127.0.0.1",
          Integer.toString(echo.getLocalPort())));
      Process relay = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try {
        assertThat(new BufferedReader(new InputStreamReader(relay.getInputStream(),
            StandardCharsets.US_ASCII)).readLine()).isEqualTo("ready");
        List<Socket> sockets = new ArrayList<>();
        List<Future<byte[]>> echoed = new ArrayList<>();
        for (int i = 0; i < CONNECTIONS; i++) {
          Socket socket = new Socket(loopback, port);
          sockets.add(socket);
          // relayed both ways before the next opens: all stay open at once, as executors'
          // event streams do
          socket.getOutputStream().write(i);
          assertThat(socket.getInputStream().read()).isEqualTo(i & 0xFF);
        }
        for (int i = 0; i < CONNECTIONS; i++) {
          Socket socket = sockets.get(i);
          byte fill = (byte) i;
          echoed.add(pool.submit(() -> {
            Future<?> sent = pool.submit(() -> {
              byte[] data = new byte[BYTES];
              Arrays.fill(data, fill);
              socket.getOutputStream().write(data);
              socket.shutdownOutput(); // the half-close the echo server waits for
              return null;
            });
            byte[] back = socket.getInputStream().readAllBytes();
            sent.get();
            return back;
          }));
        }
        for (int i = 0; i < CONNECTIONS; i++) {
          byte[] expected = new byte[BYTES];
          Arrays.fill(expected, (byte) i);
          assertThat(echoed.get(i).get()).as("connection %s", i).isEqualTo(expected);
          sockets.get(i).close();
        }
        relay.getOutputStream().close(); // the agent is gone
        assertThat(relay.waitFor(60, TimeUnit.SECONDS)).as("relay exited").isTrue();
        assertThat(relay.exitValue()).isZero();
      } finally {
        relay.destroyForcibly();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
