package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappedFilesTest {
  private static final int REGION = 1 << 20;

  @TempDir
  Path tmp;

  private static byte[] bytes(ByteBuffer buffer) {
    byte[] out = new byte[buffer.remaining()];
    buffer.duplicate().get(out);
    return out;
  }

  @Test
  void slicesNeverCrossARegionAndTogetherGiveTheWholeFile() throws Exception {
    byte[] content = new byte[2 * REGION + REGION / 2];
    new Random(5).nextBytes(content);
    DirectoryStore store = new DirectoryStore(tmp);
    store.put("f", new ByteArrayInputStream(content), Optional.empty());
    MappedFiles mapped = new MappedFiles(REGION);

    try (ArtifactContent opened = store.open("f").orElseThrow()) {
      FileChannel file = (FileChannel) opened.channel();
      ByteBuffer across = mapped.slice(file, opened.artifact(), REGION - 10, 100);
      assertThat(across.remaining()).isEqualTo(10);
      assertThat(across.isReadOnly()).isTrue();
      assertThat(bytes(across)).isEqualTo(Arrays.copyOfRange(content, REGION - 10, REGION));

      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (long position = 0; position < content.length; ) {
        ByteBuffer slice = mapped.slice(file, opened.artifact(), position, 300_000);
        all.write(bytes(slice));
        position += slice.remaining();
      }
      assertThat(all.toByteArray()).isEqualTo(content);
    }
    assertThat(mapped.size()).isEqualTo(1);
  }

  @Test
  void mapsEachFileOnceWhateverItsNameAndAnEqualCopyOnItsOwn() throws Exception {
    DirectoryStore store = new DirectoryStore(tmp.resolve("root"));
    MappedFiles mapped = new MappedFiles(REGION);
    store.put("a", new ByteArrayInputStream("same content".getBytes()), Optional.empty());
    store.getFile("a", tmp.resolve("linked"));
    store.putFile("b", tmp.resolve("linked"), Optional.empty()); // "a" and "b": one file
    store.put("c", new ByteArrayInputStream("same content".getBytes()), Optional.empty());
    java.nio.file.Files.setLastModifiedTime(tmp.resolve("root/c"),
        java.nio.file.attribute.FileTime.fromMillis(0)); // an equal copy of another time

    for (String name : new String[] {"a", "b", "a"}) {
      try (ArtifactContent opened = store.open(name).orElseThrow()) {
        ByteBuffer slice = mapped.slice((FileChannel) opened.channel(), opened.artifact(), 5, 7);
        assertThat(new String(bytes(slice))).isEqualTo("content");
      }
    }
    assertThat(mapped.size()).isEqualTo(1);
    // Its own mapping: were it served from the mapping of "a", a rewrite of that file in place
    // (a file linked in with publishLinked) would change what "c" serves.
    try (ArtifactContent opened = store.open("c").orElseThrow()) {
      mapped.slice((FileChannel) opened.channel(), opened.artifact(), 0, 4);
    }
    assertThat(mapped.size()).isEqualTo(2);
  }


  @Test
  void keepsOnlyTheMostRecentlyUsedContentsMapped() throws Exception {
    DirectoryStore store = new DirectoryStore(tmp);
    MappedFiles mapped = new MappedFiles(REGION);

    for (int i = 0; i < MappedFiles.MAX_ENTRIES + 5; i++) {
      store.put("f" + i, new ByteArrayInputStream(("content " + i).getBytes()), Optional.empty());
      try (ArtifactContent opened = store.open("f" + i).orElseThrow()) {
        mapped.slice((FileChannel) opened.channel(), opened.artifact(), 0, 100);
      }
    }

    assertThat(mapped.size()).isEqualTo(MappedFiles.MAX_ENTRIES);
  }
}
