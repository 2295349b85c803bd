package dev.mesoskit.core.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * An embedded ZooKeeper server on 127.0.0.1 and a random port for the HA tests, with a tick of
 * 500 ms so that sessions may last 1 to 10 s, and helpers to end a client's session on the server.
 */
final class TestZooKeeper implements AutoCloseable {
  /** The longest any test waits for something to happen. */
  static final Duration DEADLINE = Duration.ofSeconds(20);

  private final TestingServer server;

  TestZooKeeper() throws Exception {
    File dataDir = Files.createTempDirectory("zk-ha-test").toFile();
    InstanceSpec spec = new InstanceSpec(dataDir, -1, -1, -1, true, -1, 500, -1,
        Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
    server = new TestingServer(spec, true);
  }

  String connect() {
    return "127.0.0.1:" + server.getPort();
  }

  /** A {@code zk://} URL on this server. */
  String url(String path) {
    return "zk://" + connect() + path;
  }

  void stop() throws Exception {
    server.stop();
  }

  void restart() throws Exception {
    server.restart();
  }

  /**
   * Ends the session of {@code ha}'s client on the server, as its expiry would: a second handle
   * joins the session and closes it, so the server deletes its ephemeral nodes at once and the
   * client hears that its session ended.
   */
  void endSession(ZooKeeperHa ha) throws Exception {
    ZooKeeper zk = ha.client().getZookeeperClient().getZooKeeper();
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper other = new ZooKeeper(connect(), 10_000, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    }, zk.getSessionId(), zk.getSessionPasswd());
    try {
      assertThat(connected.await(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    } finally {
      other.close();
    }
  }

  /** Waits until the condition holds, failing after {@link #DEADLINE}. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
