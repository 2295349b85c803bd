package dev.mesoskit.examples.webserver;

import com.sun.net.httpserver.HttpServer;
import dev.mesoskit.core.executor.ExecutorMain;
import dev.mesoskit.core.executor.TaskContext;
import dev.mesoskit.core.executor.TaskHandler;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * The executor: each task serves its data, as plain text, on the port it took from the offer, and
 * says it is running only once that port accepts connections. A kill stops the server.
 */
public final class WebServerExecutor implements TaskHandler {
  /**
   * Runs the executor until the agent shuts it down.
   *
   * @param args none needed
   */
  public static void main(String[] args) {
    System.exit(ExecutorMain.run(args, new WebServerExecutor()));
  }

  // tutorial:begin handler
  @Override
  public boolean reportsReadiness() { // TASK_RUNNING comes from run(), once the server answers
    return true;
  }

  @Override
  public void run(TaskContext context) throws Exception {
    byte[] text = context.data();
    // Every address: the URL names the agent's, the health check probes 127.0.0.1 (as Mesos').
    HttpServer server = HttpServer.create(new InetSocketAddress(context.port()), 50);
    InetSocketAddress address = new InetSocketAddress(agentAddress(), context.port());
    server.createContext("/", exchange -> {
      try (exchange) {
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, text.length);
        exchange.getResponseBody().write(text);
      }
    });
    server.start();
    try {
      try (Socket probe = new Socket()) {
        probe.connect(address, 5_000); // fails the task if the server cannot be reached
      }
      context.ready();
      context.awaitCancellation();
    } finally {
      server.stop(0);
    }
  }
  // tutorial:end handler

  /** The agent's own address (from MESOS_AGENT_ENDPOINT), the one its hostname stands for. */
  private static InetAddress agentAddress() throws IOException {
    String endpoint = System.getenv("MESOS_AGENT_ENDPOINT");
    return endpoint == null ? new InetSocketAddress(0).getAddress()
        : InetAddress.getByName(endpoint.substring(0, endpoint.lastIndexOf(':')));
  }
}
