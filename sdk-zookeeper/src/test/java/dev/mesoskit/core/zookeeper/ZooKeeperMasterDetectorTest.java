package dev.mesoskit.core.zookeeper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.mesoskit.core.MasterAddress;
import dev.mesoskit.core.http.MasterDetector;
import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Runs the detector against a real ZooKeeper server on 127.0.0.1. Each fake master is its own
 * ZooKeeper session holding an ephemeral sequential {@code json.info_} znode, so closing the
 * session removes the znode exactly as a master dying does.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ZooKeeperMasterDetectorTest {
  private static final Duration DEADLINE = Duration.ofSeconds(10);
  private static final AtomicInteger PATHS = new AtomicInteger();

  private static File dataDir;
  private static TestingServer zooKeeper;

  private final List<CuratorFramework> sessions = new ArrayList<>();
  private final List<ZooKeeperMasterDetector> detectors = new ArrayList<>();
  private String path;

  @BeforeAll
  static void startZooKeeper() throws Exception {
    dataDir = Files.createTempDirectory("zk-detector-test").toFile();
    InstanceSpec spec = new InstanceSpec(dataDir, -1, -1, -1, true, -1, -1, -1,
        Map.of("clientPortAddress", "127.0.0.1"), "127.0.0.1");
    zooKeeper = new TestingServer(spec, true);
  }

  @AfterAll
  static void stopZooKeeper() throws Exception {
    zooKeeper.close();
  }

  @BeforeEach
  void freshPath() {
    path = "/mesos" + PATHS.incrementAndGet();
  }

  @AfterEach
  void closeEverything() {
    detectors.forEach(ZooKeeperMasterDetector::close);
    sessions.forEach(CuratorFramework::close);
  }

  // ------------------------------------------------------------------ helpers

  private String connect() {
    return "127.0.0.1:" + zooKeeper.getPort();
  }

  private ZooKeeperMasterDetector startDetector() {
    ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.start(connect(), path);
    detectors.add(detector);
    return detector;
  }

  private CuratorFramework session() throws InterruptedException {
    CuratorFramework session = CuratorFrameworkFactory.newClient(
        connect(), 10_000, 5_000, new RetryOneTime(100));
    sessions.add(session);
    session.start();
    assertThat(session.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
    return session;
  }

  /** A master in its own session, registered like Mesos does it. */
  private record FakeMaster(CuratorFramework session, String znode) {
    String name() {
      return znode.substring(znode.lastIndexOf('/') + 1);
    }

    void die() {
      session.close();
    }
  }

  private FakeMaster register(String json) throws Exception {
    CuratorFramework session = session();
    String znode = session.create()
        .creatingParentsIfNeeded()
        .withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
        .forPath(path + "/json.info_", json.getBytes(UTF_8));
    return new FakeMaster(session, znode);
  }

  /** MasterInfo as a Mesos 1.x master writes it, with fields this Mesos version does not know. */
  private static String masterInfo(String hostname, String ip, int port) {
    return """
        {"address":{"hostname":"%1$s","ip":"%2$s","port":%3$d},
         "capabilities":[{"type":"AGENT_UPDATE"},{"type":"SOME_FUTURE_CAPABILITY"}],
         "hostname":"%1$s","id":"7c2d-%3$d","ip":16777343,
         "pid":"master@%2$s:%3$d","port":%3$d,"version":"1.12.0",
         "a_field_from_the_future":{"x":1}}
        """.formatted(hostname, ip, port);
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("waited " + DEADLINE + " for " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  private static List<URI> uris(String... uris) {
    return java.util.Arrays.stream(uris).map(URI::create).toList();
  }

  // ------------------------------------------------------------------ tests

  @Test
  void knowsNoLeaderWhenThePathDoesNotExist() {
    ZooKeeperMasterDetector detector = startDetector();

    assertThat(detector.candidates()).isEmpty();
    assertThat(detector.registeredMasters()).isEmpty();
  }

  @Test
  void knowsNoLeaderWhenThePathHasNoMasters() throws Exception {
    session().create().forPath(path);

    assertThat(startDetector().candidates()).isEmpty();
  }

  @Test
  void masterWithTheLowestSequenceNumberLeads() throws Exception {
    FakeMaster first = register(masterInfo("master1.test", "10.0.0.1", 5050));
    FakeMaster second = register(masterInfo("master2.test", "10.0.0.2", 5051));

    ZooKeeperMasterDetector detector = startDetector();

    assertThat(detector.candidates()).isEqualTo(uris("http://master1.test:5050"));
    assertThat(detector.registeredMasters()).containsExactly(first.name(), second.name());
    assertThat(first.name()).matches("json\\.info_\\d{10}");
  }

  @Test
  void findsTheFirstMasterThatRegistersAfterTheDetectorStarted() throws Exception {
    ZooKeeperMasterDetector detector = startDetector();
    assertThat(detector.candidates()).isEmpty();

    register(masterInfo("late.test", "10.0.0.3", 5050));

    await(() -> !detector.candidates().isEmpty(), "the first master");
    assertThat(detector.candidates()).isEqualTo(uris("http://late.test:5050"));
  }

  @Test
  void followsTheLeaderWhenItDiesAndANewerMasterDoesNotTakeOver() throws Exception {
    FakeMaster first = register(masterInfo("master1.test", "10.0.0.1", 5050));
    FakeMaster second = register(masterInfo("master2.test", "10.0.0.2", 5051));
    ZooKeeperMasterDetector detector = startDetector();
    assertThat(detector.candidates()).isEqualTo(uris("http://master1.test:5050"));

    first.die();

    await(() -> detector.candidates().equals(uris("http://master2.test:5051")),
        "master2 to lead after master1's session closed");
    assertThat(detector.registeredMasters()).containsExactly(second.name());

    FakeMaster third = register(masterInfo("master3.test", "10.0.0.3", 5052));

    await(() -> detector.registeredMasters().contains(third.name()), "master3 to be seen");
    assertThat(detector.registeredMasters()).containsExactly(second.name(), third.name());
    assertThat(detector.candidates()).isEqualTo(uris("http://master2.test:5051"));

    second.die();

    await(() -> detector.candidates().equals(uris("http://master3.test:5052")),
        "master3 to lead after master2's session closed");

    third.die();

    await(() -> detector.candidates().isEmpty(), "no leader after every master died");
  }

  @Test
  void readsTheMastersAgainAndKeepsWatchingAfterItsSessionExpires() throws Exception {
    FakeMaster first = register(masterInfo("master1.test", "10.0.0.1", 5050));
    FakeMaster second = register(masterInfo("master2.test", "10.0.0.2", 5051));
    register(masterInfo("master3.test", "10.0.0.3", 5052));
    ZooKeeperMasterDetector detector = startDetector();
    assertThat(detector.candidates()).isEqualTo(uris("http://master1.test:5050"));
    long expiredSession = detector.curator().getZookeeperClient().getZooKeeper().getSessionId();

    detector.curator().getZookeeperClient().getZooKeeper().getTestable()
        .injectSessionExpiration();

    await(() -> sessionIdOf(detector) != expiredSession && sessionIdOf(detector) != 0,
        "a new ZooKeeper session");
    assertThat(detector.candidates()).isEqualTo(uris("http://master1.test:5050"));

    first.die();

    await(() -> detector.candidates().equals(uris("http://master2.test:5051")),
        "master2 to lead after master1 died");

    second.die();

    await(() -> detector.candidates().equals(uris("http://master3.test:5052")),
        "master3 to lead, seen through a watch set on the new session");
  }

  private static long sessionIdOf(ZooKeeperMasterDetector detector) {
    try {
      return detector.curator().getZookeeperClient().getZooKeeper().getSessionId();
    } catch (Exception e) {
      return 0;
    }
  }

  @Test
  void ignoresChildrenThatAreNotJsonMasterInfo() throws Exception {
    CuratorFramework admin = session();
    admin.create().creatingParentsIfNeeded().forPath(path + "/log_replicas/0000000001");
    admin.create().forPath(path + "/info_0000000000", new byte[] {0x0a, 0x01, 0x78});
    admin.create().forPath(path + "/json.info", "{}".getBytes(UTF_8));
    admin.create().forPath(path + "/json.info_abc", "{}".getBytes(UTF_8));
    admin.create().forPath(path + "/json.info_0000000000x", "{}".getBytes(UTF_8));
    FakeMaster master = register(masterInfo("master1.test", "10.0.0.1", 5050));

    ZooKeeperMasterDetector detector = startDetector();

    assertThat(detector.registeredMasters()).containsExactly(master.name());
    assertThat(detector.candidates()).isEqualTo(uris("http://master1.test:5050"));
  }

  @Test
  void readsMasterInfoWithOnlyTheLegacyHostnameAndPort() throws Exception {
    register("{\"hostname\":\"old-master.test\",\"port\":5051}");

    assertThat(startDetector().candidates()).isEqualTo(uris("http://old-master.test:5051"));
  }

  @Test
  void knowsNoLeaderWhileTheLowestZnodeHoldsNoUsableMasterInfo() throws Exception {
    FakeMaster broken = register("not json");
    register(masterInfo("master2.test", "10.0.0.2", 5050));
    ZooKeeperMasterDetector detector = startDetector();
    assertThat(detector.candidates()).isEmpty();

    broken.die();

    await(() -> !detector.candidates().isEmpty(), "master2 to lead");
    assertThat(detector.candidates()).isEqualTo(uris("http://master2.test:5050"));
  }

  @Test
  void zkMasterAddressGivesAZooKeeperDetector() throws Exception {
    register(masterInfo("master1.test", "10.0.0.1", 5050));

    try (MasterDetector detector =
        MasterDetector.forAddress(MasterAddress.parse("zk://" + connect() + path))) {
      assertThat(detector).isInstanceOf(ZooKeeperMasterDetector.class);
      assertThat(detector.candidates()).isEqualTo(uris("http://master1.test:5050"));
    }
  }

  @Test
  void closeIsIdempotentAndForgetsTheLeader() throws Exception {
    FakeMaster master = register(masterInfo("master1.test", "10.0.0.1", 5050));
    ZooKeeperMasterDetector detector = startDetector();
    assertThat(detector.candidates()).hasSize(1);

    detector.close();
    detector.close();

    assertThat(detector.candidates()).isEmpty();
    master.die();
    register(masterInfo("master2.test", "10.0.0.2", 5050));
    assertThat(detector.candidates()).isEmpty();
  }

  @Test
  void startReturnsWithNoLeaderWhenZooKeeperCannotBeReached() throws Exception {
    // A port held by a bound socket that does not listen: refused, and no one else can take it
    // (a port closed after use could be bound by another test meanwhile).
    try (java.net.Socket reserved = new java.net.Socket()) {
      reserved.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0));
      long started = System.nanoTime();

      ZooKeeperMasterDetector detector = ZooKeeperMasterDetector.start(
          "127.0.0.1:" + reserved.getLocalPort(), "/mesos", Duration.ofMillis(500));
      detectors.add(detector);

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
      assertThat(detector.candidates()).isEmpty();
      detector.close();
    }
  }

  @Test
  void startRejectsAPathThatIsNotAZooKeeperPath() {
    assertThatThrownBy(() -> ZooKeeperMasterDetector.start(connect(), "mesos"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path must be a ZooKeeper path such as /mesos but was 'mesos':"
            + " Path must start with / character");
  }

  // ------------------------------------------------------------------ MasterInfo JSON alone

  private static Optional<URI> leaderUri(String json) {
    return ZooKeeperMasterDetector.leaderUri(json.getBytes(UTF_8), "/mesos/json.info_0000000001");
  }

  @Test
  void prefersAddressHostnameOverEverythingElse() {
    assertThat(leaderUri(masterInfo("m.test", "10.0.0.1", 5050)))
        .contains(URI.create("http://m.test:5050"));
  }

  @Test
  void usesAddressIpAndAddressPortWhenAddressHasNoHostname() {
    assertThat(leaderUri("{\"address\":{\"ip\":\"10.0.0.9\",\"port\":5052},"
        + "\"hostname\":\"h.test\",\"port\":5050}"))
        .contains(URI.create("http://10.0.0.9:5052"));
  }

  @Test
  void bracketsAnIpv6AddressIp() {
    assertThat(leaderUri("{\"address\":{\"ip\":\"::1\",\"port\":5050}}"))
        .contains(URI.create("http://[::1]:5050"));
  }

  @Test
  void fallsBackToTheLegacyIpInNetworkByteOrder() {
    assertThat(leaderUri("{\"ip\":16777343,\"port\":5053}"))
        .contains(URI.create("http://127.0.0.1:5053"));
  }

  @Test
  void usesMesosDefaultPortWhenNoneIsGiven() {
    assertThat(leaderUri("{\"hostname\":\"h.test\"}")).contains(URI.create("http://h.test:5050"));
  }

  @Test
  void rejectsMasterInfoThatNamesNoUsableHost() {
    assertThat(leaderUri("not json")).isEmpty();
    assertThat(leaderUri("{}")).isEmpty();
    assertThat(leaderUri("{\"hostname\":\"bad host\",\"port\":5050}")).isEmpty();
    assertThat(leaderUri("{\"hostname\":\"h.test\",\"port\":0}")).isEmpty();
  }
}
