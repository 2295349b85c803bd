import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A server for health-check tests, run with Java's source launcher:
 * {@code java Probed.java PORT http|tcp N}. It passes the first N probes, then fails every one:
 * HTTP answers 200 N times, then 500; TCP accepts N connections, then stops listening.
 */
public class Probed {
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    int passes = Integer.parseInt(args[2]);
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    if (args[1].equals("http")) {
      AtomicInteger answered = new AtomicInteger();
      HttpServer server = HttpServer.create(new InetSocketAddress(loopback, port), 10);
      server.createContext("/", exchange -> {
        exchange.sendResponseHeaders(answered.incrementAndGet() <= passes ? 200 : 500, -1);
        exchange.close();
      });
      server.start();
    } else {
      try (ServerSocket server = new ServerSocket(port, 10, loopback)) {
        for (int i = 0; i < passes; i++) {
          server.accept().close();
        }
      }
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
