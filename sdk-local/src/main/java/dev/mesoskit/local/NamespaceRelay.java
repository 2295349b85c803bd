package dev.mesoskit.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;

/**
 * The agent's address inside its network namespace: a small program the agent starts there
 * ({@code ip netns exec <namespace> java ... NamespaceRelay <listen-address> <port> <target-host>
 * <target-port>}) that accepts connections on the agent's own address and relays their bytes
 * to the agent's executor API, which listens on the host side of the bridge. Executors in the
 * namespace thus reach their agent at {@code MESOS_AGENT_ENDPOINT=<agent address>:5051}, as on a
 * real agent. It prints {@code ready} once listening and exits when its standard input closes
 * (the agent stopped, or its JVM died). JDK classes only, so that it starts on the sdk-local jar
 * alone.
 */
final class NamespaceRelay {
  /** The port agents listen on in their namespaces: a Mesos agent's default. */
  static final int PORT = 5051;
  /** The JVM options it runs with: small, quick to start. */
  static final List<String> JVM_OPTIONS = List.of("-Xmx64m", "-Xss256k",
      "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /**
   * Bytes buffered per direction of a connection: with the heap of {@link #JVM_OPTIONS}, room for
   * well over a thousand connections open at once (each executor keeps one or two).
   */
  private static final int BUFFER = 16 * 1024;

  private NamespaceRelay() {}

  /**
   * Relays until standard input closes.
   *
   * @param args listen address, listen port, target host, target port
   * @throws IOException when it cannot listen
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: NamespaceRelay <listen-address> <port> <target-host> <port>");
      System.exit(2);
    }
    InetSocketAddress target = new InetSocketAddress(args[2], Integer.parseInt(args[3]));
    ServerSocket server = new ServerSocket(Integer.parseInt(args[1]), 128,
        InetAddress.getByName(args[0]));
    Thread watchdog = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // the agent writes nothing; end of input means it is gone
        }
      } catch (IOException e) {
        // the same
      }
      System.exit(0);
    }, "relay-stdin");
    watchdog.setDaemon(true);
    watchdog.start();
    System.out.println("ready");
    System.out.flush();
    while (true) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) { // e.g. out of file descriptors: later connections may work
        System.err.println("relay: " + e);
        pause();
        continue;
      }
      try {
        Thread thread = new Thread(() -> relay(client, target), "relay");
        thread.setDaemon(true);
        thread.start();
      } catch (OutOfMemoryError e) { // no thread for it: refuse this one, keep relaying
        System.err.println("relay: " + e);
        try {
          client.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void relay(Socket client, InetSocketAddress target) {
    try (client; Socket upstream = new Socket()) {
      upstream.connect(target, 10_000);
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      Thread back = new Thread(() -> pump(upstream, client), "relay-back");
      back.setDaemon(true);
      back.start();
      pump(client, upstream);
      back.join();
    } catch (IOException e) {
      System.err.println("relay: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Copies until end of input, then half-closes the output; on any failure (also running out of
   * memory) closes both sockets, so that neither end waits for bytes that will not come.
   */
  private static void pump(Socket from, Socket to) {
    try {
      byte[] buffer = new byte[BUFFER];
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException | RuntimeException | OutOfMemoryError e) {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
