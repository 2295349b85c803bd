package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStoreTest extends ArtifactStoreContract {
  @TempDir
  Path tmp;

  Path root;
  Path outside;

  @Override
  ArtifactStore newStore() {
    root = tmp.resolve("root");
    outside = tmp.resolve("outside");
    return new DirectoryStore(root);
  }

  private List<String> filesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted()
          .toList();
    }
  }

  @Test
  void keepsEachArtifactAsAPlainFileAndLeavesNoTempFilesBehind() throws IOException {
    store.put("app.jar", bytes("hello"), Optional.empty());
    store.put("app.jar", bytes("world"), Optional.empty());
    store.put("results/out.png", bytes("hello"), Optional.empty());
    assertThatThrownBy(() -> store.put("bad", bytes("x"), Optional.of(HELLO_SHA)))
        .isInstanceOf(ChecksumMismatchException.class);

    assertThat(filesUnder(root)).containsExactly("app.jar", "results", "results/out.png");
    assertThat(Files.readString(root.resolve("app.jar"))).isEqualTo("world");
  }

  @Test
  void usesTheFileTimeAsTheModificationTime() throws IOException {
    Artifact stored = store.put("app.jar", bytes("hello"), Optional.empty());

    assertThat(stored.modified())
        .isEqualTo(Files.getLastModifiedTime(root.resolve("app.jar")).toInstant());
  }

  @Test
  void servesFilesPutIntoTheDirectoryByHand() throws IOException {
    Files.createDirectories(root.resolve("images"));
    Files.writeString(root.resolve("images/cat.png"), "hello");

    Artifact artifact = store.stat("images/cat.png").orElseThrow();

    assertThat(artifact.sha256()).isEqualTo(HELLO_SHA);
    assertThat(artifact.size()).isEqualTo(5);
    assertThat(store.list("")).extracting(Artifact::name).containsExactly("images/cat.png");
  }

  @Test
  void rehashesAFileChangedByHand() throws IOException {
    store.put("app.jar", bytes("hello"), Optional.empty());
    Path file = root.resolve("app.jar");
    Files.writeString(file, "world");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));

    assertThat(store.stat("app.jar").orElseThrow().sha256()).isEqualTo(WORLD_SHA);
  }

  @Test
  void keepsTheHashInAnAttributeThatSurvivesARestart() throws IOException {
    store.put("app.jar", bytes("hello"), Optional.empty());
    UserDefinedFileAttributeView view = Files.getFileAttributeView(root.resolve("app.jar"),
        UserDefinedFileAttributeView.class);
    ByteBuffer value = ByteBuffer.allocate(view.size("mesoskit.sha256"));
    view.read("mesoskit.sha256", value);
    assertThat(new String(value.array(), StandardCharsets.US_ASCII)).startsWith(HELLO_SHA + " 5 ");

    // A restarted store trusts the attribute: a lie in it proves the file is not re-hashed.
    String lie = WORLD_SHA + new String(value.array(), StandardCharsets.US_ASCII).substring(64);
    view.write("mesoskit.sha256", ByteBuffer.wrap(lie.getBytes(StandardCharsets.US_ASCII)));
    assertThat(new DirectoryStore(root).stat("app.jar").orElseThrow().sha256())
        .isEqualTo(WORLD_SHA);
  }

  @Test
  void aRestartedStoreServesWhatTheEarlierOneStored() throws IOException {
    Artifact stored = store.put("results/a.png", bytes("hello"), Optional.empty());

    DirectoryStore restarted = new DirectoryStore(root);

    assertThat(restarted.stat("results/a.png")).contains(stored);
    assertThat(read(restarted.open("results/a.png").orElseThrow())).isEqualTo("hello");
  }

  @Test
  void followsALinkThatStaysInsideTheRoot() throws IOException {
    store.put("app-1.2.jar", bytes("hello"), Optional.empty());
    Files.createSymbolicLink(root.resolve("latest.jar"), root.resolve("app-1.2.jar"));
    Files.createDirectories(root.resolve("releases"));
    Files.createSymbolicLink(root.resolve("releases/current"), Path.of("../app-1.2.jar"));

    assertThat(read(store.open("latest.jar").orElseThrow())).isEqualTo("hello");
    assertThat(store.stat("releases/current").orElseThrow().name())
        .isEqualTo("releases/current");
  }

  @Test
  void neverReadsThroughALinkThatLeadsOutOfTheRoot() throws IOException {
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(root.resolve("secret"), outside.resolve("secret"));
    Files.createSymbolicLink(root.resolve("out"), outside);
    Files.createSymbolicLink(root.resolve("relative"), Path.of("../outside/secret"));

    for (String name : List.of("secret", "out/secret", "relative")) {
      assertThat(store.open(name)).as(name).isEmpty();
      assertThat(store.stat(name)).as(name).isEmpty();
    }
    assertThat(store.list("")).isEmpty();
    assertThat(store.list("out/")).isEmpty();
  }

  @Test
  void neverWritesOrDeletesThroughALinkThatLeadsOutOfTheRoot() throws IOException {
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(root.resolve("out"), outside);

    assertThatThrownBy(() -> store.put("out/new", bytes("x"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name leads outside the store through a symbolic link: name=out/new");
    assertThatThrownBy(() -> store.put("out/deeper/new", bytes("x"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name leads outside the store through a symbolic link: name=out/deeper/new");
    assertThat(store.delete("out/secret")).isFalse();

    assertThat(filesUnder(outside)).containsExactly("secret");
    assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("secret");
  }

  @Test
  void replacesALinkInsteadOfWritingThroughIt() throws IOException {
    Files.createDirectories(outside);
    Files.writeString(outside.resolve("secret"), "secret");
    Files.createSymbolicLink(root.resolve("secret"), outside.resolve("secret"));

    store.put("secret", bytes("hello"), Optional.empty());

    assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("secret");
    assertThat(Files.isSymbolicLink(root.resolve("secret"))).isFalse();
    assertThat(read(store.open("secret").orElseThrow())).isEqualTo("hello");
  }

  @Test
  void findsNothingThroughALinkLoopOrADanglingLink() throws IOException {
    Files.createSymbolicLink(root.resolve("loop"), root.resolve("loop"));
    Files.createSymbolicLink(root.resolve("dangling"), root.resolve("nowhere"));

    assertThat(store.open("loop")).isEmpty();
    assertThat(store.open("loop/x")).isEmpty();
    assertThat(store.open("dangling")).isEmpty();
    assertThatThrownBy(() -> store.put("dangling/x", bytes("x"), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name leads through a dangling symbolic link: name=dangling/x");
  }

  @Test
  void neitherListsNorServesHiddenFilesAndLeftoverTempFiles() throws IOException {
    Files.writeString(root.resolve(".mesoskit-00ff.tmp"), "partial");
    Files.createDirectories(root.resolve(".git"));
    Files.writeString(root.resolve(".git/config"), "x");
    Files.createSymbolicLink(root.resolve("partial"), root.resolve(".mesoskit-00ff.tmp"));

    assertThat(store.list("")).isEmpty();
    assertThat(store.open("partial")).isEmpty();
  }

  @Test
  void deletesNoDirectory() throws IOException {
    Files.createDirectories(root.resolve("dir"));

    assertThat(store.delete("dir")).isFalse();
    assertThat(root.resolve("dir")).isDirectory();
    assertThat(store.open("dir")).isEmpty();
  }

  @Test
  void streamsContentWithoutAskingForItAllAtOnce() {
    InputStream endless = new InputStream() {
      long left = 8L * 1024 * 1024;

      @Override
      public int read() {
        return left-- > 0 ? 'x' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        assertThat(len).isLessThanOrEqualTo(128 * 1024);
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 'x');
        left -= n;
        return n;
      }
    };

    assertThat(store.put("big", endless, Optional.empty()).size()).isEqualTo(8L * 1024 * 1024);
  }

  private static Object nlink(Path file) throws IOException {
    return Files.getAttribute(file, "unix:nlink");
  }

  @Test
  void putFileLinksAFileOnTheSameFileSystemAndAStoredNewVersionLeavesItAlone() throws IOException {
    Path file = Files.writeString(tmp.resolve("app.jar"), "hello");

    store.putFile("lib/app.jar", file, Optional.empty());

    assertThat(Files.isSameFile(file, root.resolve("lib/app.jar"))).isTrue();
    assertThat(nlink(file)).isEqualTo(2);
    assertThat(filesUnder(root)).containsExactly("lib", "lib/app.jar"); // no temp file left
    store.put("lib/app.jar", bytes("world"), Optional.empty());
    assertThat(Files.readString(file)).isEqualTo("hello");
    assertThat(nlink(file)).isEqualTo(1);
  }

  @Test
  void aFileRewrittenInPlaceAfterPutFileIsHashedAgain() throws IOException {
    Path file = Files.writeString(tmp.resolve("app.jar"), "hello");
    store.putFile("app.jar", file, Optional.empty());

    Files.writeString(file, "world"); // same size: the mtime tells (set apart from the clock)
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

    assertThat(store.stat("app.jar").orElseThrow().sha256()).isEqualTo(WORLD_SHA);
  }

  @Test
  void getFileLinksAndTheTargetKeepsItsBytesWhenANewVersionIsStored() throws IOException {
    Artifact stored = store.put("out/a.png", bytes("hello"), Optional.empty());
    Path target = tmp.resolve("a.png");

    assertThat(store.getFile("out/a.png", target)).contains(stored);

    assertThat(Files.isSameFile(target, root.resolve("out/a.png"))).isTrue();
    store.put("out/a.png", bytes("world"), Optional.empty());
    assertThat(Files.readString(target)).isEqualTo("hello");
    assertThat(nlink(target)).isEqualTo(1);
  }

  @Test
  void copiesInsteadOfLinkingAcrossFileSystems() throws IOException {
    Path shm = Path.of("/dev/shm");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(shm) && Files.isWritable(shm)
        && !Files.getFileStore(shm).equals(Files.getFileStore(tmp)),
        "needs /dev/shm on another file system than the temporary directory");
    Path other = Files.createTempDirectory(shm, "mesoskit-store-test");
    try {
      Path file = Files.writeString(other.resolve("app.jar"), "hello");
      Artifact stored = store.putFile("app.jar", file, Optional.of(HELLO_SHA));
      Path target = other.resolve("copy.jar");
      assertThat(store.getFile("app.jar", target)).contains(stored);

      assertThat(Files.readString(root.resolve("app.jar"))).isEqualTo("hello");
      assertThat(Files.readString(target)).isEqualTo("hello");
      assertThat(nlink(file)).isEqualTo(1);
      assertThat(nlink(root.resolve("app.jar"))).isEqualTo(1);
      assertThat(nlink(target)).isEqualTo(1);
    } finally {
      try (Stream<Path> files = Files.list(other)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(other);
    }
  }

  @Test
  void putFileTrustsAHashOfOnlyForTheVersionItHashed() throws IOException {
    Path file = Files.writeString(tmp.resolve("app.jar"), "hello");
    DirectoryStore directory = (DirectoryStore) store;
    assertThat(directory.hashOf(file)).isEqualTo(HELLO_SHA);

    Files.writeString(file, "world");
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

    assertThatThrownBy(() -> store.putFile("app.jar", file, Optional.of(HELLO_SHA)))
        .isInstanceOf(ChecksumMismatchException.class);
    assertThat(filesUnder(root)).isEmpty();
    assertThat(directory.hashOf(file)).isEqualTo(WORLD_SHA);
    assertThat(store.putFile("app.jar", file, Optional.of(WORLD_SHA)).sha256())
        .isEqualTo(WORLD_SHA);
  }

  @Test
  void putFileOfAFileTheNameAlreadyLinksLeavesNoTempFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("app.jar"), "hello");
    store.putFile("app.jar", file, Optional.empty());

    store.putFile("app.jar", file, Optional.of(HELLO_SHA));

    assertThat(filesUnder(root)).containsExactly("app.jar");
    assertThat(nlink(file)).isEqualTo(2);
  }

  @Test
  void hashOfRemembersAVersionByInodeSizeAndMtime() throws IOException {
    Path file = Files.writeString(tmp.resolve("app.jar"), "hello");
    DirectoryStore directory = (DirectoryStore) store;
    FileTime mtime = FileTime.from(Instant.parse("2021-01-01T00:00:00Z"));
    Files.setLastModifiedTime(file, mtime);
    assertThat(directory.hashOf(file)).isEqualTo(HELLO_SHA);

    // the same size and mtime: taken as the same bytes, not read again (the store's own rule)
    Files.writeString(file, "world");
    Files.setLastModifiedTime(file, mtime);
    assertThat(directory.hashOf(file)).isEqualTo(HELLO_SHA);
    Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2021-01-01T00:00:01Z")));
    assertThat(directory.hashOf(file)).isEqualTo(WORLD_SHA);
  }

  @Test
  void describesItselfByItsRoot() throws IOException {
    assertThat(store.toString()).isEqualTo("DirectoryStore[" + root.toRealPath() + "]");
    assertThat(((DirectoryStore) store).root()).isEqualTo(root.toRealPath());
    assertThat(ArtifactStore.directory(root)).isInstanceOf(DirectoryStore.class);
  }
}
