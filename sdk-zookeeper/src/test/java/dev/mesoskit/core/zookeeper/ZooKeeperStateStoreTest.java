package dev.mesoskit.core.zookeeper;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.spi.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Runs the ZooKeeper state store against a real ZooKeeper server on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ZooKeeperStateStoreTest {
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
    url = zooKeeper.url("/mesoskit/web" + PATHS.incrementAndGet());
  }

  @AfterEach
  void closeEverything() {
    instances.forEach(ZooKeeperHa::close);
  }

  private ZooKeeperHa connect(String instance) {
    return connect(instance, ZooKeeperHa.DEFAULT_SESSION_TIMEOUT);
  }

  private ZooKeeperHa connect(String instance, Duration sessionTimeout) {
    ZooKeeperHa ha = ZooKeeperHa.builder().url(url).instance(instance)
        .sessionTimeout(sessionTimeout).connect();
    instances.add(ha);
    return ha;
  }

  private StateStore openStore(String instance) {
    StateStore store = connect(instance).stateStore();
    store.open();
    return store;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(UTF_8);
  }

  private static Map<String, String> text(Map<String, byte[]> entries) {
    Map<String, String> text = new HashMap<>();
    entries.forEach((k, v) -> text.put(k, new String(v, UTF_8)));
    return text;
  }

  // ------------------------------------------------------------------ tests

  @Test
  void loadsBackWhatWasWrittenAndDeleted() {
    StateStore store = openStore("first");
    assertThat(store.load()).isEmpty();

    store.apply(Map.of("framework-id", bytes("fw-1"), "task/a", bytes("a1")), Set.of());
    store.apply(Map.of("task/a", bytes("a2"), "task/b", bytes("b1")),
        Set.of("framework-id", "never-written"));

    assertThat(text(store.load())).isEqualTo(Map.of("task/a", "a2", "task/b", "b1"));
  }

  @Test
  void keysWithSlashesPercentSpacesUnicodeAndDotsRoundTrip() {
    List<String> keys = List.of("task/web-1/attempt", "/leading/and/trailing/", "100%", "%2F",
        "%u0041", "with spaces", "ünïcödé ✓", "emoji 😀", "private \uE000 use", "special \uFFF5",
        ".", "..", "...", "zookeeper", "zookeeper/x", "a".repeat(512));
    Map<String, byte[]> puts = new LinkedHashMap<>();
    keys.forEach(k -> puts.put(k, bytes("value of " + k)));
    StateStore store = openStore("first");

    store.apply(puts, Set.of());

    Map<String, String> expected = new HashMap<>();
    keys.forEach(k -> expected.put(k, "value of " + k));
    assertThat(text(store.load())).isEqualTo(expected);
    store.apply(Map.of(), Set.of(".", "..", "100%"));
    assertThat(store.load()).doesNotContainKeys(".", "..", "100%").hasSize(keys.size() - 3);
  }

  @Test
  void encodesKeysAsSingleZnodeNamesAndDecodesThemBack() {
    assertThat(ZooKeeperStateStore.encodeKey("task/a%b")).isEqualTo("task%2Fa%25b");
    assertThat(ZooKeeperStateStore.encodeKey(".")).isEqualTo("%2E");
    assertThat(ZooKeeperStateStore.encodeKey("..")).isEqualTo("%2E%2E");
    assertThat(ZooKeeperStateStore.encodeKey("zookeeper")).isEqualTo("%7Aookeeper");
    assertThat(ZooKeeperStateStore.encodeKey("😀")).isEqualTo("%uD83D%uDE00");
    for (String key : List.of("task/a%b", ".", "..", "zookeeper", "😀", "%u12", "ok")) {
      assertThat(ZooKeeperStateStore.decodeKey(ZooKeeperStateStore.encodeKey(key)))
          .isEqualTo(key);
    }
  }

  @Test
  void writesAChangeTooLargeForOneTransactionInPartsAndAppliesThemAll() {
    StateStore store = openStore("first");
    store.apply(Map.of("old-0", bytes("x"), "old-1", bytes("y")), Set.of());
    Map<String, byte[]> puts = new HashMap<>();
    for (int i = 0; i < 6; i++) {
      byte[] value = new byte[512 * 1024];
      Arrays.fill(value, (byte) ('a' + i));
      puts.put("big-" + i, value);
    }
    for (int i = 0; i < 2000; i++) {
      puts.put("small-" + i, bytes("v" + i));
    }

    store.apply(puts, Set.of("old-0", "old-1"));

    Map<String, byte[]> loaded = store.load();
    assertThat(loaded).hasSize(puts.size()).doesNotContainKeys("old-0", "old-1");
    puts.forEach((k, v) -> assertThat(loaded.get(k)).as(k).isEqualTo(v));
  }

  @Test
  void refusesChangesThatBreakTheKeyRules() {
    StateStore store = openStore("first");

    assertThatThrownBy(() -> store.apply(Map.of("", bytes("x")), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state key must be 1 to 512 characters but was ''");
    assertThatThrownBy(() -> store.apply(Map.of("k", new byte[512 * 1024 + 1]), Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state value of 'k' must be at most 524288 bytes but was 524289");
  }

  @Test
  void refusesASecondInstanceWhileTheFirstHoldsTheStore() {
    openStore("first");
    StateStore second = connect("second", Duration.ofSeconds(2)).stateStore();

    assertThatThrownBy(second::open)
        .isInstanceOf(MesosKitException.class)
        .hasMessage("another scheduler instance (first) holds the ZooKeeper state store " + url
            + "; run one instance, or give every instance a leader election"
            + " (Framework.Builder.leaderElection) to run standbys");
  }

  @Test
  void opensForASecondInstanceOnceTheFirstClosed() {
    ZooKeeperHa first = connect("first");
    first.stateStore().open();
    first.stateStore().apply(Map.of("framework-id", bytes("fw-1")), Set.of());
    first.close();

    StateStore second = openStore("second");

    assertThat(text(second.load())).isEqualTo(Map.of("framework-id", "fw-1"));
    second.apply(Map.of("framework-id", bytes("fw-2")), Set.of());
    assertThat(text(second.load())).isEqualTo(Map.of("framework-id", "fw-2"));
  }

  @Test
  void survivesARestartOfTheZooKeeperServer() throws Exception {
    StateStore store = openStore("first");
    store.apply(Map.of("before", bytes("1")), Set.of());

    zooKeeper.restart();

    assertThat(text(store.load())).isEqualTo(Map.of("before", "1"));
    store.apply(Map.of("after", bytes("2"), "before", bytes("1b")), Set.of());
    assertThat(text(store.load())).isEqualTo(Map.of("before", "1b", "after", "2"));
  }

  @Test
  void writesAChangeMadeWhileTheServerRestartsWholeOrNotAtAll() throws Exception {
    StateStore store = openStore("first");
    store.apply(Map.of("before", bytes("1")), Set.of());
    Map<String, byte[]> change = new HashMap<>();
    for (int i = 0; i < 50; i++) {
      change.put("task/" + i, bytes("v" + i));
    }
    change.put("before", bytes("1b"));

    zooKeeper.stop();
    CompletableFuture<Void> applied =
        CompletableFuture.runAsync(() -> store.apply(change, Set.of("never-written")));
    zooKeeper.restart();

    Map<String, String> expected = text(change);
    try {
      applied.get(TestZooKeeper.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(text(store.load())).isEqualTo(expected);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(MesosKitException.class);
      assertThat(text(store.load())).isIn(Map.of("before", "1"), expected);
    }
    store.apply(Map.of("after", bytes("2")), Set.of());
    assertThat(store.load()).containsKey("after");
  }

  @Test
  void anInstanceWhoseSessionEndedCannotWrite() throws Exception {
    ZooKeeperHa first = connect("first");
    first.stateStore().open();
    first.stateStore().apply(Map.of("framework-id", bytes("fw-1")), Set.of());

    String ownerNode = ((ZooKeeperStateStore) first.stateStore()).ownerNode();

    zooKeeper.endSession(first);

    assertThatThrownBy(() -> first.stateStore().apply(
        Map.of("framework-id", bytes("fenced"), "task/a", bytes("fenced")), Set.of()))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("this scheduler instance (first) no longer owns the ZooKeeper state store "
            + url + ": its owner node " + ownerNode + " is gone (its ZooKeeper session ended);"
            + " nothing was written");
    first.close();
    StateStore second = openStore("second");
    assertThat(text(second.load())).isEqualTo(Map.of("framework-id", "fw-1"));
  }

  @Test
  void clearRemovesEveryEntry() {
    StateStore store = openStore("first");
    store.apply(Map.of("a", bytes("1"), "b/c", bytes("2")), Set.of());

    store.clear();

    assertThat(store.load()).isEmpty();
  }

  @Test
  void opensAgainAfterCloseWithANewOwnerNodeAndTheEntriesReadAgain() {
    ZooKeeperHa first = connect("first");
    ZooKeeperStateStore store = (ZooKeeperStateStore) first.stateStore();
    store.open();
    store.apply(Map.of("framework-id", bytes("fw-1"), "task/a", bytes("a1")), Set.of());
    String firstOwner = store.ownerNode();
    store.close();
    ZooKeeperHa second = connect("second", Duration.ofSeconds(2));
    second.stateStore().open(); // the first let it go: another instance may take it meanwhile
    second.stateStore().apply(Map.of("task/b", bytes("b1")), Set.of("task/a"));
    second.close();

    store.open();

    assertThat(store.ownerNode()).isNotNull().isNotEqualTo(firstOwner);
    assertThat(text(store.load())).isEqualTo(Map.of("framework-id", "fw-1", "task/b", "b1"));
    store.apply(Map.of("task/a", bytes("a2")), Set.of("task/b"));
    assertThat(text(store.load())).isEqualTo(Map.of("framework-id", "fw-1", "task/a", "a2"));
    StateStore third = connect("third", Duration.ofSeconds(2)).stateStore();
    assertThatThrownBy(third::open).isInstanceOf(MesosKitException.class)
        .hasMessageStartingWith("another scheduler instance (first) holds");
    assertThatThrownBy(store::open).isInstanceOf(IllegalStateException.class)
        .hasMessage("state store already open: " + url);
  }

  @Test
  void refusesToOpenOnceItsZooKeeperHaClosed() {
    ZooKeeperHa first = connect("first");
    first.stateStore().open();
    first.close();

    assertThatThrownBy(first.stateStore()::open)
        .isInstanceOf(MesosKitException.class)
        .hasMessage("cannot open the ZooKeeper state store " + url + ": its ZooKeeperHa"
            + " (instance first) was closed; connect a new one");
  }

  @Test
  void aClearCutShortKeepsTheFrameworkIdWithTheEntriesLeft() {
    ZooKeeperHa first = connect("first");
    ZooKeeperStateStore store = (ZooKeeperStateStore) first.stateStore();
    store.open();
    Map<String, byte[]> puts = new HashMap<>();
    puts.put("framework-id", bytes("fw-1"));
    for (int i = 0; i < 7000; i++) { // deletes of ~94 bytes each: the clear takes 2 parts
      puts.put("task/" + i, bytes("t" + i));
    }
    store.apply(puts, Set.of());
    store.onPartWritten(index -> {
      if (index == 0) {
        throw new IllegalStateException("crash after the first part");
      }
    });

    assertThatThrownBy(store::clear).hasMessage("crash after the first part");

    Map<String, byte[]> left = store.load();
    assertThat(left).containsKey("framework-id").hasSizeBetween(2, 7000);
    store.onPartWritten(index -> { });
    store.clear();
    assertThat(store.load()).isEmpty();
  }
}
