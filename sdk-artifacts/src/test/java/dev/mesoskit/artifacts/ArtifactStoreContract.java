package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@link ArtifactStore} contract, run against every stock store by its subclass, so that the
 * in-memory store mirrors the directory store.
 */
abstract class ArtifactStoreContract {
  static final String HELLO_SHA =
      "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
  static final String WORLD_SHA =
      "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7";

  ArtifactStore store;
  /** Files given to putFile and made by getFile, outside the store. */
  @TempDir
  Path given;

  abstract ArtifactStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  static InputStream bytes(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  static String read(ArtifactContent content) throws IOException {
    try (content) {
      ByteBuffer buf = ByteBuffer.allocate((int) content.artifact().size() + 1);
      while (content.channel().read(buf) >= 0) {
        if (!buf.hasRemaining()) {
          break;
        }
      }
      return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  @Test
  void storesAStreamAndOpensTheSameBytes() throws IOException {
    Artifact stored = store.put("app.jar", bytes("hello"), Optional.empty());

    assertThat(stored.name()).isEqualTo("app.jar");
    assertThat(stored.size()).isEqualTo(5);
    assertThat(stored.sha256()).isEqualTo(HELLO_SHA);
    ArtifactContent content = store.open("app.jar").orElseThrow();
    assertThat(content.artifact()).isEqualTo(stored);
    assertThat(read(content)).isEqualTo("hello");
    assertThat(store.stat("app.jar")).contains(stored);
  }

  @Test
  void storesAnEmptyArtifact() throws IOException {
    Artifact stored = store.put("empty", bytes(""), Optional.empty());

    assertThat(stored.size()).isZero();
    assertThat(stored.sha256())
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(read(store.open("empty").orElseThrow())).isEmpty();
  }

  @Test
  void replacesAnEarlierVersion() throws IOException {
    store.put("app.jar", bytes("hello"), Optional.empty());

    Artifact second = store.put("app.jar", bytes("world"), Optional.empty());

    assertThat(second.sha256()).isEqualTo(WORLD_SHA);
    assertThat(read(store.open("app.jar").orElseThrow())).isEqualTo("world");
  }

  @Test
  void aReaderKeepsTheVersionItOpenedWhileItIsReplaced() throws IOException {
    store.put("app.jar", bytes("hello"), Optional.empty());
    ArtifactContent old = store.open("app.jar").orElseThrow();

    store.put("app.jar", bytes("world, longer"), Optional.empty());

    assertThat(old.artifact().sha256()).isEqualTo(HELLO_SHA);
    assertThat(read(old)).isEqualTo("hello");
    assertThat(read(store.open("app.jar").orElseThrow())).isEqualTo("world, longer");
  }

  @Test
  void readsFromAnyPositionOfTheChannel() throws IOException {
    store.put("abc", bytes("0123456789"), Optional.empty());

    try (ArtifactContent content = store.open("abc").orElseThrow()) {
      ByteBuffer buf = ByteBuffer.allocate(3);
      content.channel().position(4);
      content.channel().read(buf);
      assertThat(new String(buf.array(), StandardCharsets.US_ASCII)).isEqualTo("456");
      assertThat(content.channel().size()).isEqualTo(10);
    }
  }

  @Test
  void storesWhenTheExpectedChecksumMatchesInEitherCase() {
    assertThat(store.put("a", bytes("hello"), Optional.of(HELLO_SHA)).sha256())
        .isEqualTo(HELLO_SHA);
    assertThat(store.put("b", bytes("hello"), Optional.of(HELLO_SHA.toUpperCase())).sha256())
        .isEqualTo(HELLO_SHA);
  }

  @Test
  void storesNothingWhenTheChecksumDoesNotMatch() throws IOException {
    store.put("app.jar", bytes("hello"), Optional.empty());

    assertThatThrownBy(() -> store.put("app.jar", bytes("world"), Optional.of(HELLO_SHA)))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessage("sha256 mismatch: name=app.jar expected=" + HELLO_SHA + " actual="
            + WORLD_SHA);
    assertThatThrownBy(() -> store.put("new.jar", bytes("world"), Optional.of(HELLO_SHA)))
        .isInstanceOf(ChecksumMismatchException.class);

    assertThat(read(store.open("app.jar").orElseThrow())).isEqualTo("hello");
    assertThat(store.stat("new.jar")).isEmpty();
    assertThat(store.list("")).extracting(Artifact::name).containsExactly("app.jar");
  }

  @Test
  void refusesAnExpectedChecksumThatIsNotSha256Hex() {
    assertThatThrownBy(() -> store.put("a", bytes("hello"), Optional.of("abc")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected sha256 must be 64 hex digits but was 'abc'");
    assertThat(store.stat("a")).isEmpty();
  }

  @Test
  void storesNothingWhenTheContentStreamFails() throws IOException {
    store.put("app.jar", bytes("hello"), Optional.empty());
    InputStream failing = new InputStream() {
      int served;

      @Override
      public int read() throws IOException {
        if (served++ < 100_000) {
          return 'x';
        }
        throw new IOException("connection reset");
      }
    };

    assertThatThrownBy(() -> store.put("app.jar", failing, Optional.empty()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read content: name=app.jar")
        .cause().hasMessage("connection reset");

    assertThat(read(store.open("app.jar").orElseThrow())).isEqualTo("hello");
    assertThat(store.list("")).extracting(Artifact::name).containsExactly("app.jar");
  }

  @Test
  void putFileStoresTheFilesBytes() throws IOException {
    Path file = Files.writeString(given.resolve("app.jar"), "hello");

    Artifact stored = store.putFile("lib/app.jar", file, Optional.of(HELLO_SHA.toUpperCase()));

    assertThat(stored.name()).isEqualTo("lib/app.jar");
    assertThat(stored.size()).isEqualTo(5);
    assertThat(stored.sha256()).isEqualTo(HELLO_SHA);
    assertThat(read(store.open("lib/app.jar").orElseThrow())).isEqualTo("hello");
    assertThat(store.stat("lib/app.jar")).contains(stored);
    assertThat(Files.readString(file)).isEqualTo("hello");
  }

  @Test
  void putFileStoresNothingWhenTheChecksumDoesNotMatch() throws IOException {
    Path file = Files.writeString(given.resolve("app.jar"), "hello");

    assertThatThrownBy(() -> store.putFile("app.jar", file, Optional.of(WORLD_SHA)))
        .isInstanceOf(ChecksumMismatchException.class)
        .hasMessageContaining(WORLD_SHA).hasMessageContaining(HELLO_SHA);
    assertThat(store.stat("app.jar")).isEmpty();
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void putFileRefusesWhatIsNoRegularFile() {
    Path missing = given.resolve("missing.jar");

    assertThatThrownBy(() -> store.putFile("app.jar", missing, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("file must be a regular file but does not exist: " + missing);
    assertThatThrownBy(() -> store.putFile("app.jar", given, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("file must be a regular file but is not: " + given);
    assertThat(store.list("")).isEmpty();
  }

  @Test
  void getFileWritesTheCurrentVersionAndDescribesIt() throws IOException {
    store.put("out/a.png", bytes("hello"), Optional.empty());
    Artifact current = store.put("out/a.png", bytes("world"), Optional.empty());
    Path target = given.resolve("a.png");

    assertThat(store.getFile("out/a.png", target)).contains(current);
    assertThat(Files.readString(target)).isEqualTo("world");
  }

  @Test
  void getFileOfAMissingNameCreatesNothing() throws IOException {
    store.put("out/a.png", bytes("hello"), Optional.empty());

    assertThat(store.getFile("out/b.png", given.resolve("b.png"))).isEmpty();
    assertThat(store.getFile("out", given.resolve("out"))).isEmpty();
    try (java.util.stream.Stream<Path> files = Files.list(given)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void getFileNeverOverwritesAnExistingFile() throws IOException {
    store.put("out/a.png", bytes("hello"), Optional.empty());
    Path target = Files.writeString(given.resolve("a.png"), "mine");

    assertThatThrownBy(() -> store.getFile("out/a.png", target))
        .isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(target)).isEqualTo("mine");
  }

  @Test
  void readAllBytesReadsTheCurrentVersionIntoMemory() {
    store.put("out/a.json", bytes("hello"), Optional.empty());
    store.put("out/a.json", bytes("world"), Optional.empty());
    store.put("empty", bytes(""), Optional.empty());

    assertThat(store.readAllBytes("out/a.json")).get()
        .isEqualTo("world".getBytes(StandardCharsets.UTF_8));
    assertThat(store.readAllBytes("out/a.json", 5)).get()
        .isEqualTo("world".getBytes(StandardCharsets.UTF_8));
    assertThat(store.readAllBytes("empty", 0)).get().isEqualTo(new byte[0]);
  }

  @Test
  void readAllBytesGivesACopyThatDoesNotChangeTheArtifact() {
    store.put("a", bytes("hello"), Optional.empty());

    store.readAllBytes("a").orElseThrow()[0] = 'j';

    assertThat(store.readAllBytes("a")).get().isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(store.stat("a").orElseThrow().sha256()).isEqualTo(HELLO_SHA);
  }

  @Test
  void readAllBytesOfAMissingNameIsEmpty() {
    store.put("a", bytes("hello"), Optional.empty());
    store.put("d/x", bytes("hello"), Optional.empty());

    assertThat(store.readAllBytes("missing")).isEmpty();
    assertThat(store.readAllBytes("a/b")).isEmpty();
    assertThat(store.readAllBytes("d")).isEmpty();
  }

  @Test
  void readAllBytesRefusesAnArtifactOverTheLimitNamingItAndItsSize() {
    store.put("results/big.bin", bytes("0123456789"), Optional.empty());

    assertThatThrownBy(() -> store.readAllBytes("results/big.bin", 9))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("artifact results/big.bin must be at most 9 bytes to be read into memory"
            + " but is 10 bytes: stream it with open or getFile");
    assertThatThrownBy(() -> store.readAllBytes("results/big.bin", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxBytes must be >= 0 but was -1");
    assertThat(store.readAllBytes("results/big.bin", 10)).isPresent();
  }

  @Test
  void findsNothingUnderAMissingName() {
    assertThat(store.open("missing")).isEmpty();
    assertThat(store.stat("missing")).isEmpty();
    assertThat(store.stat("missing/deeper")).isEmpty();
    assertThat(store.delete("missing")).isFalse();
  }

  @Test
  void findsNothingUnderANameThatIsAnArtifact() {
    store.put("a", bytes("hello"), Optional.empty());

    assertThat(store.open("a/b")).isEmpty();
    assertThat(store.stat("a/b")).isEmpty();
    assertThat(store.delete("a/b")).isFalse();
    assertThat(store.list("a/")).isEmpty();
  }

  @Test
  void refusesInvalidNamesInEveryMethod() {
    List<Consumer<String>> calls = List.of(
        n -> store.put(n, bytes("x"), Optional.empty()),
        store::open,
        store::stat,
        store::delete,
        store::readAllBytes);
    for (Consumer<String> call : calls) {
      assertThatThrownBy(() -> call.accept("../escape"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name segments must not start with '.' but was '../escape'");
      assertThatThrownBy(() -> call.accept("/etc/passwd"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("name must be relative but was '/etc/passwd'");
    }
  }

  @Test
  void storesNestedNames() throws IOException {
    store.put("results/task-1/out.png", bytes("hello"), Optional.empty());

    assertThat(read(store.open("results/task-1/out.png").orElseThrow())).isEqualTo("hello");
    assertThat(store.stat("results/task-1")).isEmpty();
  }

  @Test
  void refusesANameThatClashesWithAStoredArtifact() {
    store.put("a", bytes("hello"), Optional.empty());
    store.put("d/x", bytes("hello"), Optional.empty());

    assertThatThrownBy(() -> store.put("a/b", bytes("x"), Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name clashes with a stored artifact: name=a/b artifact=a");
    assertThatThrownBy(() -> store.put("d", bytes("x"), Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("name clashes with a directory of stored artifacts: name=d");
  }

  @Test
  void listsArtifactsByPrefixSortedByName() {
    for (String name : List.of("results/b.png", "app.jar", "results/a.png", "resultsX",
        "results/sub/c.png", "other/x")) {
      store.put(name, bytes("hello"), Optional.empty());
    }

    assertThat(store.list("")).extracting(Artifact::name).containsExactly("app.jar", "other/x",
        "results/a.png", "results/b.png", "results/sub/c.png", "resultsX");
    assertThat(store.list("results/")).extracting(Artifact::name)
        .containsExactly("results/a.png", "results/b.png", "results/sub/c.png");
    assertThat(store.list("results")).extracting(Artifact::name)
        .containsExactly("results/a.png", "results/b.png", "results/sub/c.png", "resultsX");
    assertThat(store.list("results/a")).extracting(Artifact::name)
        .containsExactly("results/a.png");
    assertThat(store.list("nothing/")).isEmpty();
    assertThat(store.list("results/")).allSatisfy(
        a -> assertThat(a.sha256()).isEqualTo(HELLO_SHA));
  }

  @Test
  void deletesAnArtifact() {
    store.put("app.jar", bytes("hello"), Optional.empty());

    assertThat(store.delete("app.jar")).isTrue();

    assertThat(store.stat("app.jar")).isEmpty();
    assertThat(store.delete("app.jar")).isFalse();
  }

  @Test
  void concurrentWritersOfOneNameLeaveOneCompleteVersionAndReadersSeeOnlyCompleteOnes()
      throws Exception {
    int writers = 4;
    int size = 256 * 1024;
    Set<String> versions = ConcurrentHashMap.newKeySet();
    List<byte[]> contents = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      byte[] content = new byte[size + w];
      java.util.Arrays.fill(content, (byte) ('a' + w));
      contents.add(content);
      versions.add(sha256(content));
    }
    store.put("shared.bin", new ByteArrayInputStream(contents.get(0)), Optional.empty());
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      List<Future<Integer>> readers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        readers.add(pool.submit(() -> {
          int reads = 0;
          while (writing.get() || reads == 0) {
            try (ArtifactContent content = store.open("shared.bin").orElseThrow()) {
              ByteBuffer all = ByteBuffer.allocate((int) content.artifact().size());
              while (all.hasRemaining() && content.channel().read(all) >= 0) {
                // read it all
              }
              assertThat(all.hasRemaining()).isFalse();
              String sha = sha256(all.array());
              assertThat(sha).isEqualTo(content.artifact().sha256()).isIn(versions);
            }
            reads++;
          }
          return reads;
        }));
      }
      List<Future<?>> puts = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        byte[] content = contents.get(w);
        puts.add(pool.submit(() -> {
          for (int i = 0; i < 10; i++) {
            store.put("shared.bin", new ByteArrayInputStream(content), Optional.empty());
          }
          return null;
        }));
      }
      for (Future<?> put : puts) {
        put.get(30, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<Integer> reader : readers) {
        assertThat(reader.get(30, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }
    Artifact last = store.stat("shared.bin").orElseThrow();
    assertThat(last.sha256()).isIn(versions);
    assertThat(sha256(read(store.open("shared.bin").orElseThrow())
        .getBytes(StandardCharsets.ISO_8859_1))).isEqualTo(last.sha256());
    assertThat(store.list("")).extracting(Artifact::name).containsExactly("shared.bin");
  }
}
