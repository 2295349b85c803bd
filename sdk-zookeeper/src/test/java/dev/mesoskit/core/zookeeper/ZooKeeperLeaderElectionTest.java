package dev.mesoskit.core.zookeeper;

import static dev.mesoskit.core.zookeeper.TestZooKeeper.await;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.LeaderElection;
import dev.mesoskit.core.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the ZooKeeper leader election against a real ZooKeeper server on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZooKeeperLeaderElectionTest {
  private static final String SUSPENDED =
      "ZooKeeper connection SUSPENDED: this instance may no longer lead";
  private static final AtomicInteger PATHS = new AtomicInteger();
  private static TestZooKeeper zooKeeper;

  private final List<ZooKeeperHa> instances = new ArrayList<>();
  private String url;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    zooKeeper = new TestZooKeeper();
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    zooKeeper.close();
  }

  @BeforeEach
  void freshPath() {
    url = zooKeeper.url("/mesoskit/election" + PATHS.incrementAndGet());
  }

  @AfterEach
  void closeEverything() {
    instances.forEach(ZooKeeperHa::close);
  }

  /** Records what the election tells it, in order. */
  private static final class RecordingListener implements LeaderElection.Listener {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    @Override
    public void elected() {
      threads.add(Thread.currentThread().getName());
      calls.add("elected");
    }

    @Override
    public void lost(String reason) {
      threads.add(Thread.currentThread().getName());
      calls.add("lost: " + reason);
    }

    boolean wasElected() {
      return calls.contains("elected");
    }

    boolean hasLost() {
      return calls.stream().anyMatch(c -> c.startsWith("lost: "));
    }
  }

  private record Contender(ZooKeeperHa ha, RecordingListener listener) {}

  private Contender contend(String instance) {
    ZooKeeperHa ha = ZooKeeperHa.builder().url(url).instance(instance)
        .sessionTimeout(Duration.ofSeconds(4)).connectionTimeout(Duration.ofSeconds(2)).connect();
    instances.add(ha);
    RecordingListener listener = new RecordingListener();
    ha.election().start(listener);
    return new Contender(ha, listener);
  }

  /** Starts the first, waits until it leads, then starts the second. */
  private List<Contender> leaderAndStandby() {
    Contender leader = contend("first");
    await("first is elected", leader.listener()::wasElected);
    Contender standby = contend("second");
    await("second stands by", () -> childrenOf("/leader") == 2);
    return List.of(leader, standby);
  }

  private int childrenOf(String child) {
    try {
      return instances.get(0).client().getChildren()
          .forPath(instances.get(0).basePath() + child).size();
    } catch (Exception e) {
      return -1;
    }
  }

  // ------------------------------------------------------------------ tests

  @Test
  void electsExactlyOneOfTwoContendingInstances() {
    Contender first = contend("first");
    Contender second = contend("second");

    await("one is elected", () -> first.listener().wasElected() || second.listener().wasElected());
    await("both joined", () -> childrenOf("/leader") == 2);

    assertThat(List.of(first.listener().calls, second.listener().calls))
        .containsExactlyInAnyOrder(List.of("elected"), List.of());
    Contender leader = first.listener().wasElected() ? first : second;
    assertThat(leader.listener().threads).containsExactly("mesoskit-zk-elected");
  }

  @Test
  void electsTheStandbyWhenTheLeaderCloses() {
    List<Contender> both = leaderAndStandby();

    both.get(0).ha().close();

    await("second is elected", both.get(1).listener()::wasElected);
    assertThat(both.get(0).listener().calls).containsExactly("elected");
    assertThat(both.get(1).listener().calls).containsExactly("elected");
  }

  @Test
  void electsTheStandbyWhenTheLeaderClosesOnlyItsElection() {
    List<Contender> both = leaderAndStandby();

    both.get(0).ha().election().close();

    await("second is elected", both.get(1).listener()::wasElected);
    assertThat(both.get(0).listener().calls).containsExactly("elected");
  }

  @Test
  void tellsTheLeaderOnceThatItLostWhenItsSessionEndsAndElectsTheStandby() throws Exception {
    List<Contender> both = leaderAndStandby();

    zooKeeper.endSession(both.get(0).ha());

    await("second is elected", both.get(1).listener()::wasElected);
    await("first lost", both.get(0).listener()::hasLost);
    assertThat(both.get(0).listener().calls).containsExactly("elected", "lost: " + SUSPENDED);
    assertThat(both.get(1).listener().calls).containsExactly("elected");
  }

  @Test
  void tellsTheLeaderItLostWhenTheServerStopsWhileTheStandbyContendsAgainAfterTheRestart()
      throws Exception {
    List<Contender> both = leaderAndStandby();

    zooKeeper.stop();
    try {
      await("the leader lost", () -> both.get(0).listener().hasLost());
    } finally {
      zooKeeper.restart();
    }

    await("the standby is elected once the old leader's session ended",
        both.get(1).listener()::wasElected);
    assertThat(both.get(0).listener().calls).containsExactly("elected", "lost: " + SUSPENDED);
    assertThat(both.get(1).listener().calls).containsExactly("elected");
  }

  @Test
  void fencesTheStateStoreOfALeaderThatLostAndLetsTheNewLeaderOpenIt() throws Exception {
    List<Contender> both = leaderAndStandby();
    both.get(0).ha().stateStore().open();
    both.get(0).ha().stateStore().apply(Map.of("framework-id", "fw-1".getBytes(UTF_8)), Set.of());

    zooKeeper.endSession(both.get(0).ha());
    await("second is elected", both.get(1).listener()::wasElected);

    assertThatThrownBy(() -> both.get(0).ha().stateStore().apply(
        Map.of("framework-id", "fenced".getBytes(UTF_8)), Set.of()))
        .isInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("this scheduler instance (first) no longer owns the ZooKeeper"
            + " state store " + url + ": ");
    StateStore store = both.get(1).ha().stateStore();
    store.open();
    assertThat(new String(store.load().get("framework-id"), UTF_8)).isEqualTo("fw-1");
  }

  @Test
  void refusesASecondStart() {
    Contender first = contend("first");

    assertThatThrownBy(() -> first.ha().election().start(new RecordingListener()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("leader election already started: " + url);
  }
}
