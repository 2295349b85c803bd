package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One GiB up and down through the standalone server in its own JVM with a 64 MiB heap: the body
 * is generated while it is sent and hashed while it is received, never held anywhere.
 */
class LargeArtifactTest {
  private static final long SIZE = 1L << 30;
  private static final int BLOCK = 1 << 20;
  private static final String TOKEN = TestServers.TOKEN;

  @TempDir
  Path tmp;

  /** Block {@code i} of the body: one random MiB with {@code i} in its first 8 bytes. */
  private static final class Body {
    private final byte[] block = new byte[BLOCK];

    Body() {
      new Random(42).nextBytes(block);
    }

    byte[] block(long i) {
      ByteBuffer.wrap(block).putLong(0, i);
      return block;
    }
  }

  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void streamsOneGibibyteUpAndDownThroughAServerWithA64MibHeap() throws Exception {
    Body body = new Body();
    MessageDigest expected = MessageDigest.getInstance("SHA-256");
    for (long i = 0; i < SIZE / BLOCK; i++) {
      expected.update(body.block(i));
    }
    String sha = HexFormat.of().formatHex(expected.digest());

    ProcessBuilder command = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
        "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"),
        ArtifactServerCommand.class.getName(),
        "--dir", tmp.resolve("root").toString(), "--bind", "127.0.0.1", "--port", "0",
        "--advertise", "127.0.0.1", "--max-upload-bytes", String.valueOf(SIZE)))
        .redirectError(tmp.resolve("server.err").toFile());
    command.environment().put("MESOSKIT_ARTIFACTS_TOKEN", TOKEN);
    Process server = command.start();
    try {
      BufferedReader lines = new BufferedReader(
          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String first = lines.readLine();
      assertThat(first).startsWith("MESOSKIT_ARTIFACTS_URL=http://127.0.0.1:");
      URI uri = URI.create(first.substring(first.indexOf('=') + 1) + "big.bin");
      server.getOutputStream().close();

      HttpURLConnection put = (HttpURLConnection) uri.toURL().openConnection();
      put.setRequestMethod("PUT");
      put.setDoOutput(true);
      put.setFixedLengthStreamingMode(SIZE);
      put.setRequestProperty("Authorization", "Bearer " + TOKEN);
      put.setRequestProperty("X-Checksum-Sha256", sha);
      try (OutputStream out = put.getOutputStream()) {
        for (long i = 0; i < SIZE / BLOCK; i++) {
          out.write(body.block(i));
        }
      }
      assertThat(put.getResponseCode()).isEqualTo(201);

      HttpURLConnection get = (HttpURLConnection) uri.toURL().openConnection();
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      long count = 0;
      try (InputStream in = get.getInputStream()) {
        byte[] buf = new byte[BLOCK];
        for (int n; (n = in.read(buf)) >= 0; ) {
          received.update(buf, 0, n);
          count += n;
        }
      }
      assertThat(get.getResponseCode()).isEqualTo(200);
      assertThat(get.getHeaderField("ETag")).isEqualTo('"' + sha + '"');
      assertThat(count).isEqualTo(SIZE);
      assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(sha);

      HttpURLConnection tail = (HttpURLConnection) uri.toURL().openConnection();
      tail.setRequestProperty("Range", "bytes=-" + BLOCK);
      byte[] lastBlock;
      try (InputStream in = tail.getInputStream()) {
        lastBlock = in.readAllBytes();
      }
      assertThat(tail.getResponseCode()).isEqualTo(206);
      assertThat(lastBlock).isEqualTo(body.block(SIZE / BLOCK - 1));

      assertThat(server.isAlive()).isTrue();
      assertThat(Files.size(tmp.resolve("root/big.bin"))).isEqualTo(SIZE);
    } finally {
      server.destroy();
      assertThat(server.waitFor(20, TimeUnit.SECONDS)).isTrue();
      assertThat(Files.readString(tmp.resolve("server.err"))).doesNotContain("OutOfMemoryError");
    }
  }
}
