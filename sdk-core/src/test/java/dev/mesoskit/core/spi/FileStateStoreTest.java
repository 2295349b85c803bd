package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {
  private static final String IN_USE = "another scheduler instance uses this state store; run one"
      + " instance, or give every instance a leader election (Framework.Builder.leaderElection)"
      + " to run standbys: dir=";
  /** One record of {@link #compactsTheLogIntoASnapshotAndKeepsTheEntries}: 3-char key, 256 KiB. */
  private static final int BIG_RECORD = 8 + 4 + 4 + 3 + 4 + 256 * 1024 + 4 + 4;

  @TempDir
  Path dir;

  private Process child;

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly().waitFor();
    }
  }

  @Test
  void keepsPutsAndDeletesAcrossCloseAndReopen() {
    try (StateStore store = StateStore.file(dir)) {
      store.open();
      store.apply(Map.of("a", bytes("1"), "b", bytes("2"), "c", bytes("3")), Set.of());
      store.apply(Map.of("b", bytes("22"), "ключ", new byte[0]), Set.of("a", "missing"));
      assertThat(text(store.load())).isEqualTo(Map.of("b", "22", "c", "3", "ключ", ""));
    }

    try (StateStore store = StateStore.file(dir)) {
      store.open();
      assertThat(text(store.load())).isEqualTo(Map.of("b", "22", "c", "3", "ключ", ""));
    }
  }

  @Test
  void fsyncsTheDirectoryAfterCreatingTheLogOnFirstOpenOnly() {
    FileStateStore first = new FileStateStore(dir);
    first.open();
    assertThat(dir.resolve("log")).exists();
    assertThat(first.directorySyncs()).isEqualTo(1);
    first.close();

    FileStateStore again = new FileStateStore(dir);
    again.open();
    assertThat(again.directorySyncs()).isZero(); // the log exists: nothing created
    again.close();
  }

  @Test
  void deletesTempFilesAKilledCompactionLeftButOnlyWhileHoldingTheLock() throws IOException {
    try (StateStore store = StateStore.file(dir)) {
      store.open();
      store.apply(Map.of("a", bytes("1")), Set.of());
    }
    Path stale = Files.write(dir.resolve("snapshot.123456.tmp"), bytes("half a snapshot"));
    Path other = Files.write(dir.resolve("notes.tmp"), bytes("not the store's"));

    try (StateStore holder = StateStore.file(dir)) {
      Path inProgress;
      holder.open();
      assertThat(stale).doesNotExist();
      assertThat(other).exists();
      assertThat(text(holder.load())).isEqualTo(Map.of("a", "1"));
      inProgress = Files.write(dir.resolve("snapshot.777.tmp"), bytes("being written"));
      StateStore refused = StateStore.file(dir);
      assertThatThrownBy(refused::open).isInstanceOf(MesosKitException.class);
      assertThat(inProgress).exists(); // the holder's: refused without touching it
    }
  }

  @Test
  void rejectsAnInvalidChangeWholeAndKeepsTheEntries() {
    try (StateStore store = open()) {
      store.apply(Map.of("a", bytes("1")), Set.of());

      assertThatThrownBy(() -> store.apply(Map.of("b", bytes("2"), "", bytes("3")), Set.of("a")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("state key must be 1 to 512 characters but was ''");
      assertThatThrownBy(() -> store.apply(Map.of("b", new byte[512 * 1024 + 1]), Set.of("a")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("state value of 'b' must be at most 524288 bytes but was 524289");
      assertThat(text(store.load())).isEqualTo(Map.of("a", "1"));
    }
    try (StateStore store = open()) {
      assertThat(text(store.load())).isEqualTo(Map.of("a", "1"));
    }
  }

  @Test
  void refusesASecondOpenInTheSameJvmUntilTheFirstCloses() {
    StateStore first = open();
    StateStore second = StateStore.file(dir.resolve("../" + dir.getFileName()));

    assertThatThrownBy(second::open)
        .isInstanceOf(MesosKitException.class)
        .hasMessage(IN_USE + dir.resolve("../" + dir.getFileName()).toAbsolutePath()
            + " holder=" + FileStateStore.ownerName());
    assertThatThrownBy(first::open)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("state store is already open: dir=" + dir);
    first.apply(Map.of("a", bytes("1")), Set.of()); // the refusal left the lock held

    first.close();
    second.open();
    assertThat(text(second.load())).isEqualTo(Map.of("a", "1"));
    second.close();
  }

  @Test
  void refusesAnotherProcessUntilItDies() throws Exception {
    BlockingQueue<String> lines = startChild("hold", 0);
    awaitLine(lines, "opened"::equals);
    StateStore store = StateStore.file(dir);

    String host = FileStateStore.ownerName().substring(FileStateStore.ownerName().indexOf('@'));
    assertThatThrownBy(store::open)
        .isInstanceOf(MesosKitException.class)
        .hasMessage(IN_USE + dir + " holder=" + child.pid() + host);

    child.destroyForcibly().waitFor();
    store.open();
    assertThat(store.load()).isEmpty();
    store.close();
  }

  @Test
  void dropsATornRecordAtTheEndOfTheLogAndAppendsAfterIt() throws IOException {
    long intact = writeThreeChanges();
    long full = Files.size(log());
    truncate(log(), intact + (full - intact) / 2); // the crash came in the middle of the write

    assertRecoversTheFirstTwoChanges(intact);
  }

  @Test
  void dropsALastRecordWhoseChecksumFails() throws IOException {
    long intact = writeThreeChanges();
    byte[] bytes = Files.readAllBytes(log());
    bytes[bytes.length - 10] ^= 1;
    Files.write(log(), bytes);

    assertRecoversTheFirstTwoChanges(intact);
  }

  @Test
  void dropsAHeaderThatPromisesMoreBytesThanTheLogHolds() throws IOException {
    long intact = writeThreeChanges();
    truncate(log(), intact);
    Files.write(log(), new byte[] {0x4D, 0x4B, 0x53, 0x52, 0x7f, 0, 0, 0, 1, 2},
        StandardOpenOption.APPEND);

    assertRecoversTheFirstTwoChanges(intact);
  }

  @Test
  void compactsTheLogIntoASnapshotAndKeepsTheEntries() throws IOException {
    Map<String, byte[]> expected = new HashMap<>();
    try (StateStore store = open()) {
      for (int i = 0; i < 15; i++) {
        put(store, expected, 10 + i);
      }
      assertThat(Files.size(log())).isEqualTo(16 + 15L * BIG_RECORD);
      assertThat(dir.resolve("snapshot")).doesNotExist();

      put(store, expected, 25); // past 4 MiB

      assertThat(Files.size(log())).isEqualTo(16);
      assertThat(Files.size(dir.resolve("snapshot")))
          .isEqualTo(4 + 8 + 4 + 16L * (4 + 3 + 4 + 256 * 1024) + 4);
      put(store, expected, 26);
      assertThat(Files.size(log())).isEqualTo(16 + BIG_RECORD);
    }
    try (StateStore store = open()) {
      assertThat(store.load()).containsOnlyKeys(expected.keySet());
      expected.forEach((k, v) -> assertThat(store.load().get(k)).isEqualTo(v));
    }
    assertThat(files()).containsExactly("lock", "log", "snapshot");
  }

  @Test
  void ignoresAnOldLogLeftBehindByACrashBetweenSnapshotAndLogCut() throws IOException {
    Map<String, byte[]> expected = new HashMap<>();
    Path oldLog = dir.resolveSibling(dir.getFileName() + "-old-log");
    try (StateStore store = open()) {
      for (int i = 0; i < 15; i++) {
        put(store, expected, 10 + i);
      }
      Files.copy(log(), oldLog);
      put(store, expected, 25); // compacts
      assertThat(Files.size(log())).isEqualTo(16);
    }
    Files.copy(oldLog, log(), StandardCopyOption.REPLACE_EXISTING); // the cut never happened

    try (StateStore store = open()) {
      assertThat(store.load().keySet()).isEqualTo(expected.keySet());
      assertThat(Files.size(log())).isEqualTo(16);
      store.apply(Map.of("after", bytes("x")), Set.of("k10"));
    }
    expected.remove("k10");
    expected.put("after", bytes("x"));
    try (StateStore store = open()) {
      assertThat(store.load().keySet()).isEqualTo(expected.keySet());
      assertThat(store.load().get("after")).isEqualTo(bytes("x"));
      assertThat(store.load().get("k24")).isEqualTo(expected.get("k24"));
    }
  }

  @Test
  void clearsEveryEntryDurably() throws IOException {
    try (StateStore store = open()) {
      store.apply(Map.of("a", bytes("1"), "b", bytes("2")), Set.of());

      store.clear();

      assertThat(store.load()).isEmpty();
      store.apply(Map.of("c", bytes("3")), Set.of());
    }
    try (StateStore store = open()) {
      assertThat(text(store.load())).isEqualTo(Map.of("c", "3"));
      store.clear();
    }
    try (StateStore store = open()) {
      assertThat(store.load()).isEmpty();
    }
    assertThat(Files.size(dir.resolve("snapshot"))).isEqualTo(4 + 8 + 4 + 4);
    assertThat(Files.size(log())).isEqualTo(16);
  }

  @Test
  void failsBeforeOpenAndAfterCloseAndClosesTwice() {
    StateStore store = StateStore.file(dir);

    assertThatThrownBy(store::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("state store is not open, call open() before load(): dir=" + dir);
    store.open();
    store.close();
    store.close();
    assertThatThrownBy(() -> store.apply(Map.of("a", bytes("1")), Set.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("state store is not open, call open() before apply(): dir=" + dir);
    assertThatThrownBy(store::clear)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("state store is not open, call open() before clear(): dir=" + dir);
  }

  @Test
  void failsNamingTheSnapshotWhenItIsDamaged() throws IOException {
    try (StateStore store = open()) {
      store.apply(Map.of("a", bytes("1")), Set.of());
      store.clear();
      store.apply(Map.of("a", bytes("1")), Set.of());
    }
    byte[] snapshot = Files.readAllBytes(dir.resolve("snapshot"));
    snapshot[5] ^= 1;
    Files.write(dir.resolve("snapshot"), snapshot);
    String damaged = "state snapshot is damaged, its checksum or format does not match: file="
        + dir.resolve("snapshot");

    assertThatThrownBy(() -> StateStore.file(dir).open())
        .isInstanceOf(MesosKitException.class)
        .hasMessage(damaged);
    assertThatThrownBy(() -> StateStore.file(dir).open()) // not "in use": the lock was let go
        .isInstanceOf(MesosKitException.class)
        .hasMessage(damaged);
  }

  @Test
  void createsItsDirectoryAndNamesIt() {
    Path nested = dir.resolve("a/b");
    try (StateStore store = StateStore.file(nested)) {
      store.open();
      assertThat(nested.resolve("lock")).isRegularFile();
      assertThat(store).hasToString("FileStateStore[" + nested + "]");
    }
  }

  @Test
  void keepsEveryWholeChangeWhenKilledInTheMiddleOfWriting() throws Exception {
    int next = 0;
    for (int round = 0; round < 5; round++) {
      BlockingQueue<String> lines = startChild("write", next);
      int target = next + 200;
      String last = awaitLine(lines, l -> l.startsWith("written ")
          && Integer.parseInt(l.substring(8)) >= target);
      child.destroyForcibly().waitFor();
      child = null;

      try (StateStore store = open()) {
        Map<String, byte[]> entries = store.load();
        int newest = entries.keySet().stream().mapToInt(k -> Integer.parseInt(k.substring(1)))
            .max().orElseThrow();
        assertThat(newest).isGreaterThanOrEqualTo(Integer.parseInt(last.substring(8)));
        Set<String> window = IntStream.rangeClosed(Math.max(0, newest - 49), newest)
            .mapToObj(i -> "k" + i).collect(Collectors.toSet());
        assertThat(entries.keySet()).isEqualTo(window);
        entries.forEach((k, v) -> assertThat(v).as(k)
            .isEqualTo(Writer.value(Integer.parseInt(k.substring(1)))));
        next = newest + 1;
      }
    }
  }

  /** Run in a child JVM: {@code hold <dir>} or {@code write <dir> <first index>}. */
  static final class Writer {
    public static void main(String[] args) throws InterruptedException {
      StateStore store = StateStore.file(Path.of(args[1]));
      store.open();
      System.out.println("opened");
      if (args[0].equals("hold")) {
        Thread.sleep(60_000);
        return;
      }
      int end = Integer.parseInt(args[2]) + 100_000;
      for (int i = Integer.parseInt(args[2]); i < end; i++) {
        store.apply(Map.of("k" + i, value(i)), Set.of("k" + (i - 50)));
        if (i % 10 == 0) {
          System.out.println("written " + i);
        }
      }
    }

    /** 1 to 20 KiB, bytes derived from {@code i}. */
    static byte[] value(int i) {
      byte[] value = new byte[1024 + (i * 7919) % (19 * 1024 + 1)];
      for (int j = 0; j < value.length; j++) {
        value[j] = (byte) (i * 31 + j * 7);
      }
      return value;
    }
  }

  private BlockingQueue<String> startChild(String mode, int first) throws IOException {
    child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Writer.class.getName(), mode,
        dir.toString(), Integer.toString(first))
        .redirectErrorStream(true)
        .start();
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    Process process = child;
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(
          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          lines.add(line);
        }
      } catch (IOException e) {
        // the child was killed
      }
    });
    reader.setDaemon(true);
    reader.start();
    return lines;
  }

  private String awaitLine(BlockingQueue<String> lines, Predicate<String> wanted)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    StringBuilder seen = new StringBuilder();
    while (System.nanoTime() < deadline) {
      String line = lines.poll(100, TimeUnit.MILLISECONDS);
      if (line != null) {
        if (wanted.test(line)) {
          return line;
        }
        if (!line.startsWith("written ")) {
          seen.append(line).append('\n');
        }
      }
    }
    throw new AssertionError("the child did not print the expected line; it printed:\n" + seen);
  }

  /** Writes a, b, then c; returns the size of the log before c. */
  private long writeThreeChanges() throws IOException {
    try (StateStore store = open()) {
      store.apply(Map.of("a", bytes("1"), "b", bytes("2")), Set.of());
      store.apply(Map.of("c", bytes("3")), Set.of("a"));
      long intact = Files.size(log());
      store.apply(Map.of("d", bytes("4")), Set.of("b"));
      return intact;
    }
  }

  private void assertRecoversTheFirstTwoChanges(long intact) throws IOException {
    try (StateStore store = open()) {
      assertThat(text(store.load())).isEqualTo(Map.of("b", "2", "c", "3"));
      assertThat(Files.size(log())).isEqualTo(intact);
      store.apply(Map.of("e", bytes("5")), Set.of());
    }
    try (StateStore store = open()) {
      assertThat(text(store.load())).isEqualTo(Map.of("b", "2", "c", "3", "e", "5"));
    }
  }

  private StateStore open() {
    StateStore store = StateStore.file(dir);
    store.open();
    return store;
  }

  private static void put(StateStore store, Map<String, byte[]> expected, int i) {
    byte[] value = new byte[256 * 1024];
    Arrays.fill(value, (byte) i);
    store.apply(Map.of("k" + i, value), Set.of());
    expected.put("k" + i, value);
  }

  private Path log() {
    return dir.resolve("log");
  }

  private static void truncate(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private List<String> files() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static Map<String, String> text(Map<String, byte[]> entries) {
    Map<String, String> result = new TreeMap<>();
    entries.forEach((k, v) -> result.put(k, new String(v, StandardCharsets.UTF_8)));
    return result;
  }
}
