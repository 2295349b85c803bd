package dev.mesoskit.artifacts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The agent of a class-data training run ({@link ClassDataArchives}): a loopback HTTP endpoint
 * that answers the executor's SUBSCRIBE on {@code /api/v1/executor} with a v1 executor event
 * stream (protobuf records in RecordIO) of SUBSCRIBED and then SHUTDOWN, and every other call with
 * 202. So the training executor subscribes, decodes events and shuts down as a real one does,
 * without ever being given a task. It speaks just this much of the protocol, encoded by hand
 * (this module has no Mesos protobuf classes).
 *
 * <p>Threading: requests run on the server's one thread, a daemon thread, so a running agent never
 * keeps a program from exiting; {@link #close} from any thread.
 */
final class TrainingAgent implements AutoCloseable {
  /** The framework and executor id of every training run. */
  static final String ID = "mesoskit-cds-training";

  private static final int SUBSCRIBED = 1;
  private static final int SHUTDOWN = 7;

  private final HttpServer server;

  private TrainingAgent(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts an agent on a free loopback port.
   *
   * @return the running agent
   * @throws IOException when no port can be bound
   */
  static TrainingAgent start() throws IOException {
    HttpServer server = HttpServer.create(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/api/v1/executor", TrainingAgent::handle);
    // The server's dispatcher thread inherits the daemon flag of the thread that starts it; a
    // non-daemon one would keep a program whose main returned alive until the training ends.
    Thread starter = new Thread(server::start, "mesoskit-cds-training-agent-start");
    starter.setDaemon(true);
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.stop(0);
      throw new IOException("interrupted while starting the training agent", e);
    }
    return new TrainingAgent(server);
  }

  /**
   * Where the executor finds this agent.
   *
   * @return {@code 127.0.0.1:<port>}, the form of {@code MESOS_AGENT_ENDPOINT}
   */
  String endpoint() {
    return server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      boolean subscribe = isSubscribe(exchange.getRequestBody().readAllBytes());
      if (!subscribe) {
        exchange.sendResponseHeaders(202, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      record(out, subscribedEvent());
      record(out, message(varint(1, SHUTDOWN)));
    }
  }

  /** Whether a v1 executor Call has type SUBSCRIBE (1): field 3 (type), varint 1. */
  static boolean isSubscribe(byte[] call) {
    int i = 0;
    while (i < call.length) {
      int tag = call[i++] & 0xff;
      int field = tag >>> 3;
      int wire = tag & 7;
      long value = 0;
      for (int shift = 0; i < call.length; shift += 7) {
        int b = call[i++] & 0xff;
        value |= (long) (b & 0x7f) << shift;
        if (b < 0x80) {
          break;
        }
      }
      if (wire == 0) {
        if (field == 3) {
          return value == 1;
        }
      } else if (wire == 2) {
        i += (int) value;
      } else {
        return false;
      }
    }
    return false;
  }

  /** SUBSCRIBED: ExecutorInfo, FrameworkInfo and AgentInfo with the training ids. */
  static byte[] subscribedEvent() {
    byte[] id = bytes(1, ID.getBytes(StandardCharsets.UTF_8));
    byte[] executorInfo = message(bytes(1, id), bytes(8, id));
    byte[] frameworkInfo = message(bytes(1, utf8(ID)), bytes(2, utf8(ID)), bytes(3, id));
    byte[] agentInfo = message(bytes(1, utf8("localhost")), bytes(6, id));
    byte[] subscribed = message(bytes(1, executorInfo), bytes(2, frameworkInfo),
        bytes(3, agentInfo));
    return message(varint(1, SUBSCRIBED), bytes(2, subscribed));
  }

  private static void record(OutputStream out, byte[] event) throws IOException {
    out.write((event.length + "\n").getBytes(StandardCharsets.US_ASCII));
    out.write(event);
    out.flush();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] message(byte[]... fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] f : fields) {
      out.writeBytes(f);
    }
    return out.toByteArray();
  }

  private static byte[] varint(int field, long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, (long) field << 3);
    writeVarint(out, value);
    return out.toByteArray();
  }

  private static byte[] bytes(int field, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeVarint(out, (long) field << 3 | 2);
    writeVarint(out, value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static void writeVarint(ByteArrayOutputStream out, long value) {
    while ((value & ~0x7fL) != 0) {
      out.write((int) (value & 0x7f) | 0x80);
      value >>>= 7;
    }
    out.write((int) value);
  }
}
