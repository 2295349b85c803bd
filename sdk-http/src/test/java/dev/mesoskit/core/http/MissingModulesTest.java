package dev.mesoskit.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.spi.SchedulerBackend;
import org.junit.jupiter.api.Test;

/**
 * With sdk-http alone, --driver=http works and what other modules carry is refused with the
 * artifact to add: zk:// detection (sdk-zookeeper) and the libmesos driver (sdk-native).
 */
class MissingModulesTest {
  @Test
  void theHttpBackendIsFoundThroughServiceLoader() {
    SchedulerBackend backend = Backends.fromArgs("--master=127.0.0.1:5050");
    assertThat(backend).isInstanceOf(HttpSchedulerBackend.class);
  }

  @Test
  void zookeeperAddressesNameSdkZookeeper() {
    assertThatThrownBy(() -> Backends.fromArgs("--master=zk://zk1:2181,zk2:2181/mesos"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--master=zk://zk1:2181,zk2:2181/mesos needs the ZooKeeper master detection"
            + " of sdk-zookeeper (dev.mesoskit:sdk-zookeeper) on the class path; add it");
  }

  @Test
  void theNativeDriverNamesSdkNative() {
    assertThatThrownBy(() -> Backends.fromArgs("--master=127.0.0.1:5050", "--driver=native"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--driver=native needs the libmesos adapter of sdk-native"
            + " (dev.mesoskit:sdk-native) on the class path; add it");
  }
}
