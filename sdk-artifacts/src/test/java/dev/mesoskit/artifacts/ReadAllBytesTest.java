package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The default {@link ArtifactStore#readAllBytes}: its 64 MiB bound, checked before a byte is read,
 * and its check of what a store's channel delivers. The contract tests run it on every store.
 */
class ReadAllBytesTest {
  private static final String HELLO_SHA = ArtifactStoreContract.HELLO_SHA;

  /** A store of one artifact, {@code a}, with the given metadata and channel. */
  private static ArtifactStore storeOf(Artifact artifact, SeekableByteChannel channel) {
    return new ArtifactStore() {
      @Override
      public Artifact put(String name, InputStream content, Optional<String> expectedSha256) {
        throw new UnsupportedOperationException();
      }

      @Override
      public Optional<ArtifactContent> open(String name) {
        ArtifactNames.check(name);
        return name.equals(artifact.name())
            ? Optional.of(new ArtifactContent(artifact, channel)) : Optional.empty();
      }

      @Override
      public Optional<Artifact> stat(String name) {
        return Optional.empty();
      }

      @Override
      public List<Artifact> list(String prefix) {
        return List.of();
      }

      @Override
      public boolean delete(String name) {
        return false;
      }

      @Override
      public String toString() {
        return "StubStore";
      }
    };
  }

  /** A channel over given bytes that counts its reads and closes. */
  private static class CountingChannel implements SeekableByteChannel {
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    private final BytesChannel bytes;

    CountingChannel(byte[] bytes) {
      this.bytes = new BytesChannel(bytes);
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      reads.incrementAndGet();
      return bytes.read(dst);
    }

    @Override
    public int write(ByteBuffer src) {
      return bytes.write(src);
    }

    @Override
    public long position() throws IOException {
      return bytes.position();
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
      bytes.position(newPosition);
      return this;
    }

    @Override
    public long size() throws IOException {
      return bytes.size();
    }

    @Override
    public SeekableByteChannel truncate(long size) {
      return bytes.truncate(size);
    }

    @Override
    public boolean isOpen() {
      return bytes.isOpen();
    }

    @Override
    public void close() {
      closes.incrementAndGet();
      bytes.close();
    }
  }

  @Test
  void theDefaultLimitIs64MiBAndALargerArtifactIsRefusedBeforeAByteIsRead() {
    long size = 64L * 1024 * 1024 + 1;
    CountingChannel channel = new CountingChannel(new byte[0]);
    ArtifactStore store = storeOf(new Artifact("big.bin", size, HELLO_SHA, Instant.EPOCH),
        channel);

    assertThat(ArtifactStore.READ_ALL_BYTES_LIMIT).isEqualTo(67108864);
    assertThatThrownBy(() -> store.readAllBytes("big.bin"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("artifact big.bin must be at most 67108864 bytes to be read into memory"
            + " but is 67108865 bytes: stream it with open or getFile");
    assertThat(channel.reads).hasValue(0);
    assertThat(channel.closes).hasValue(1);
  }

  @Test
  void bytesThatDoNotMatchTheArtifactsSizeOrSha256AreAFailingStore() {
    byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
    Instant t = Instant.EPOCH;
    ArtifactStore corrupt = storeOf(new Artifact("a", 5, HELLO_SHA, t),
        new CountingChannel("jello".getBytes(StandardCharsets.UTF_8)));
    ArtifactStore shorter = storeOf(new Artifact("a", 6, HELLO_SHA, t), new CountingChannel(hello));
    ArtifactStore longer = storeOf(new Artifact("a", 4, HELLO_SHA, t), new CountingChannel(hello));

    assertThatThrownBy(() -> corrupt.readAllBytes("a"))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("artifact a in StubStore read as 5 bytes with SHA-256"
            + " 187c9bceeb919e1b3e6d20fa50ecabf7d9d50b5343e8f9a3d912abb13929102e but is stored as 5"
            + " bytes with SHA-256 " + HELLO_SHA);
    assertThatThrownBy(() -> shorter.readAllBytes("a"))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("artifact a in StubStore read as 5 bytes but is stored as 6 bytes with"
            + " SHA-256 " + HELLO_SHA);
    assertThatThrownBy(() -> longer.readAllBytes("a"))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("artifact a in StubStore read as more than 4 bytes but is stored as 4 bytes"
            + " with SHA-256 " + HELLO_SHA);
  }

  @Test
  void aChannelThatFailsIsAFailingStoreNamingTheArtifact() {
    CountingChannel failing = new CountingChannel(new byte[5]) {
      @Override
      public int read(ByteBuffer dst) throws IOException {
        throw new IOException("disk gone");
      }
    };
    ArtifactStore store = storeOf(new Artifact("a", 5, HELLO_SHA, Instant.EPOCH), failing);

    assertThatThrownBy(() -> store.readAllBytes("a"))
        .isExactlyInstanceOf(MesosKitException.class)
        .hasMessage("cannot read artifact: name=a store=StubStore")
        .cause().hasMessage("disk gone");
    assertThat(failing.closes).hasValue(1);
  }
}
