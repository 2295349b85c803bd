package dev.mesoskit.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileFrameworkIdStoreTest {
  private static final String ID = "9f6e3b52-1c1e-4b9a-a1d3-6f0c2f7f8e1a-0001";

  @TempDir
  Path dir;

  @Test
  void loadsNothingWhenTheFileIsMissing() {
    assertThat(new FileFrameworkIdStore(dir.resolve("framework-id")).load()).isEmpty();
    assertThat(new FileFrameworkIdStore(dir.resolve("no/such/dir/framework-id")).load()).isEmpty();
  }

  @Test
  void loadsWhatItSaved() throws IOException {
    Path file = dir.resolve("framework-id");
    FileFrameworkIdStore store = new FileFrameworkIdStore(file);

    store.save(ID);

    assertThat(store.load()).contains(ID);
    assertThat(new FileFrameworkIdStore(file).load()).contains(ID);
    assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(ID + "\n");
  }

  @Test
  void overwritesAnEarlierId() {
    FileFrameworkIdStore store = new FileFrameworkIdStore(dir.resolve("framework-id"));

    store.save("first");
    store.save("second");

    assertThat(store.load()).contains("second");
  }

  @Test
  void clearsTheId() {
    Path file = dir.resolve("framework-id");
    FileFrameworkIdStore store = new FileFrameworkIdStore(file);
    store.save(ID);

    store.clear();

    assertThat(store.load()).isEmpty();
    assertThat(file).doesNotExist();
    store.clear();
    assertThat(store.load()).isEmpty();
  }

  @Test
  void createsMissingDirectories() {
    Path file = dir.resolve("a/b/c/framework-id");
    FileFrameworkIdStore store = new FileFrameworkIdStore(file);

    store.save(ID);

    assertThat(file).isRegularFile();
    assertThat(store.load()).contains(ID);
  }

  @Test
  void leavesNoTempFilesBehind() throws IOException {
    FileFrameworkIdStore store = new FileFrameworkIdStore(dir.resolve("framework-id"));

    store.save("one");
    store.save("two");
    store.save("three");

    assertThat(filesIn(dir)).containsExactly("framework-id");
  }

  @Test
  void readsAnIdWrittenByHandAroundWhitespace() throws IOException {
    Path file = dir.resolve("framework-id");
    Files.writeString(file, "  " + ID + "\r\n\n");

    assertThat(new FileFrameworkIdStore(file).load()).contains(ID);
  }

  @Test
  void treatsABlankFileAsNoId() throws IOException {
    Path file = dir.resolve("framework-id");
    Files.writeString(file, " \n");

    assertThat(new FileFrameworkIdStore(file).load()).isEmpty();
  }

  @Test
  void failsNamingTheFileWhenItHoldsAnInvalidId() throws IOException {
    Path file = dir.resolve("framework-id");
    Files.writeString(file, "not/an/id\n");

    assertThatThrownBy(() -> new FileFrameworkIdStore(file).load())
        .isInstanceOf(MesosKitException.class)
        .hasMessage("framework id file holds no valid id: file=" + file.toAbsolutePath()
            + " problem=framework id must not contain '/', '\\' or control characters but was"
            + " 'not/an/id'");
  }

  @Test
  void failsNamingTheFileWhenItCannotBeRead() throws IOException {
    Path file = dir.resolve("framework-id");
    Files.createDirectory(file);

    assertThatThrownBy(() -> new FileFrameworkIdStore(file).load())
        .isInstanceOf(MesosKitException.class)
        .hasMessage("cannot read framework id: file=" + file.toAbsolutePath())
        .hasCauseInstanceOf(IOException.class);
  }

  @Test
  void failsNamingTheFileWhenItCannotBeWrittenAndCleansUp() throws IOException {
    Path file = dir.resolve("framework-id");
    Files.createDirectory(file);
    Files.writeString(file.resolve("keep"), "x");

    assertThatThrownBy(() -> new FileFrameworkIdStore(file).save(ID))
        .isInstanceOf(MesosKitException.class)
        .hasMessage("cannot write framework id: file=" + file.toAbsolutePath())
        .hasCauseInstanceOf(IOException.class);
    assertThat(filesIn(dir)).containsExactly("framework-id");
  }

  @Test
  void rejectsInvalidIdsOnSave() {
    FileFrameworkIdStore store = new FileFrameworkIdStore(dir.resolve("framework-id"));

    assertThatThrownBy(() -> store.save(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("framework id must not be empty");
    assertThatThrownBy(() -> store.save("a/b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("framework id must not contain '/', '\\' or control characters but was 'a/b'");
    assertThatThrownBy(() -> store.save("x".repeat(241)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("framework id must be at most 240 characters but was 241");
    assertThatThrownBy(() -> store.save(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("framework id must not be null");
    assertThat(dir.resolve("framework-id")).doesNotExist();
  }

  @Test
  void keepsTheOldIdWhenANewOneIsRejected() {
    FileFrameworkIdStore store = new FileFrameworkIdStore(dir.resolve("framework-id"));
    store.save(ID);

    assertThatThrownBy(() -> store.save(".."))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("framework id must not be '.' or '..' but was '..'");
    assertThat(store.load()).contains(ID);
  }

  @Test
  void resolvesARelativePathOnce() {
    FileFrameworkIdStore store = new FileFrameworkIdStore(Path.of("state", "framework-id"));

    assertThat(store).hasToString(
        "FileFrameworkIdStore[" + Path.of("state", "framework-id").toAbsolutePath() + "]");
  }

  private static List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
