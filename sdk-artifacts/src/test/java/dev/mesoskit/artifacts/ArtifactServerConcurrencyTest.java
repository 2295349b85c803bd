package dev.mesoskit.artifacts;

import static dev.mesoskit.artifacts.ArtifactStoreContract.sha256;
import static dev.mesoskit.artifacts.TestServers.TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactServerConcurrencyTest {
  private static final int WRITERS = 4;
  private static final int READERS = 4;
  private static final int PUTS_PER_WRITER = 8;

  @TempDir
  Path tmp;

  DirectoryStore store;
  ArtifactServer server;
  ExecutorService pool;

  @BeforeEach
  void startServer() {
    store = new DirectoryStore(tmp.resolve("root"));
    server = TestServers.start(store);
    pool = Executors.newFixedThreadPool(WRITERS + READERS);
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    server.close();
  }

  @Test
  void concurrentUploadsAndDownloadsOfOneNameServeOnlyCompleteVersions() throws Exception {
    URI uri = server.uri("shared.bin");
    List<byte[]> contents = new ArrayList<>();
    Set<String> versions = ConcurrentHashMap.newKeySet();
    for (int w = 0; w < WRITERS; w++) {
      byte[] content = new byte[512 * 1024 + w * 1001];
      Arrays.fill(content, (byte) ('a' + w));
      contents.add(content);
      versions.add(sha256(content));
    }
    assertThat(TestServers.put(uri, contents.get(0), "Authorization", "Bearer " + TOKEN)
        .statusCode()).isEqualTo(201);
    AtomicBoolean writing = new AtomicBoolean(true);

    List<Future<Integer>> readers = new ArrayList<>();
    for (int r = 0; r < READERS; r++) {
      readers.add(pool.submit(() -> {
        int downloads = 0;
        while (writing.get() || downloads < 3) {
          HttpResponse<byte[]> response = TestServers.get(uri);
          assertThat(response.statusCode()).isEqualTo(200);
          String sha = sha256(response.body());
          assertThat(sha).isIn(versions);
          assertThat(response.headers().firstValue("ETag")).contains('"' + sha + '"');
          assertThat(response.headers().firstValue("Content-Length"))
              .contains(String.valueOf(response.body().length));
          downloads++;
        }
        return downloads;
      }));
    }
    List<Future<List<Integer>>> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      byte[] content = contents.get(w);
      writers.add(pool.submit(() -> {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < PUTS_PER_WRITER; i++) {
          statuses.add(TestServers.put(uri, content, "Authorization", "Bearer " + TOKEN)
              .statusCode());
        }
        return statuses;
      }));
    }
    for (Future<List<Integer>> writer : writers) {
      assertThat(writer.get(60, TimeUnit.SECONDS)).containsOnly(200);
    }
    writing.set(false);
    for (Future<Integer> reader : readers) {
      assertThat(reader.get(60, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(3);
    }

    Artifact last = store.stat("shared.bin").orElseThrow();
    assertThat(last.sha256()).isIn(versions);
    assertThat(sha256(TestServers.get(uri).body())).isEqualTo(last.sha256());
    assertThat(filesInRoot()).containsExactly("shared.bin");
    assertThat(server.metrics().uploads()).isEqualTo(1 + WRITERS * PUTS_PER_WRITER);
  }

  @Test
  void concurrentUploadsOfManyNamesAreAllStored() throws Exception {
    List<Future<Integer>> puts = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String name = "results/task-" + i + ".txt";
      byte[] body = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      puts.add(pool.submit(() -> TestServers.put(server.uri(name), body, "Authorization",
          "Bearer " + TOKEN).statusCode()));
    }
    for (Future<Integer> put : puts) {
      assertThat(put.get(60, TimeUnit.SECONDS)).isEqualTo(201);
    }

    assertThat(store.list("results/")).hasSize(32);
    assertThat(filesInRoot()).hasSize(32);
  }

  private List<String> filesInRoot() throws IOException {
    try (Stream<Path> files = Files.walk(store.root())) {
      return files.filter(Files::isRegularFile).map(p -> store.root().relativize(p).toString())
          .sorted().toList();
    }
  }
}
