package dev.mesoskit.core.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Checks how {@link ZooKeeperHa} is configured and connects. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ZooKeeperHaTest {
  @Test
  void refusesAUrlThatIsNotZk() {
    assertThatThrownBy(() -> ZooKeeperHa.connect("http://127.0.0.1:2181/web"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("url must be zk://host:port[,host:port...]/path but was"
            + " 'http://127.0.0.1:2181/web'");
    assertThatThrownBy(() -> ZooKeeperHa.connect("zk://127.0.0.1:2181"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("zk:// address needs a path such as /mesos but was 'zk://127.0.0.1:2181'");
  }

  @Test
  void refusesTimeoutsThatAreNotPositive() {
    assertThatThrownBy(() -> ZooKeeperHa.builder().url("zk://127.0.0.1:2181/web")
        .sessionTimeout(Duration.ZERO).connect())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("sessionTimeout must be > 0 and at most 2147483647 ms but was PT0S");
  }

  @Test
  void failsNamingTheUrlWhenZooKeeperCannotBeReached() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String url = "zk://127.0.0.1:" + port + "/mesoskit/web";

    assertThatThrownBy(() -> ZooKeeperHa.builder().url(url)
        .connectionTimeout(Duration.ofMillis(500)).connect())
        .isInstanceOf(MesosKitException.class)
        .hasMessage("could not connect to ZooKeeper " + url + " within 500 ms");
  }

  @Test
  void describesTheInstanceAsHostAndPidByDefault() throws Exception {
    try (TestZooKeeper zooKeeper = new TestZooKeeper();
        ZooKeeperHa ha = ZooKeeperHa.connect(zooKeeper.url("/mesoskit/web"))) {
      assertThat(ha.instance()).endsWith(":" + ProcessHandle.current().pid());
      assertThat(ha.election()).isSameAs(ha.election());
      assertThat(ha.stateStore()).isSameAs(ha.stateStore());
    }
  }
}
