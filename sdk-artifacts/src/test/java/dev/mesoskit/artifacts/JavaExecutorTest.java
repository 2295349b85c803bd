package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.spi.ArtifactPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A Java executor is the published jar, run with java -cp, under an id that tracks its command. */
class JavaExecutorTest {
  private final ArtifactServer server = TestServers.start(new InMemoryStore());
  private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    server.close();
  }

  /** A shaded-looking jar: the main class, the executor runtime, and {@code content}. */
  private Path jar(String content) throws Exception {
    return jar("app-" + content.length() + ".jar", content,
        JavaExecutorTest.class.getName().replace('.', '/') + ".class",
        "dev/mesoskit/core/executor/ExecutorMain.class");
  }

  private Path jar(String name, String content, String... entries) throws Exception {
    Path jar = dir.resolve(name);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
      for (String entry : entries) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(content.getBytes(StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    return jar;
  }

  private JavaExecutor.Builder executor(Path jar) {
    return JavaExecutor.builder().name("invert").mainClass(JavaExecutorTest.class).jar(jar);
  }

  @Test
  void publishesTheJarAndRunsTheMainClassFromItsCachedUnextractedCopy() throws Exception {
    Path jar = jar("jar bytes");

    ExecutorSpec spec = executor(jar).jvmOptions("-Xmx64m", "-Dx=1")
        .resources(ResourceSpec.of(0.2, 96)).env("MODE", "fast").build().publish(server);

    assertThat(spec.name()).isEqualTo("invert executor");
    assertThat(spec.resources()).isEqualTo(ResourceSpec.of(0.2, 96));
    assertThat(spec.command().shell()).isFalse();
    assertThat(spec.command().arguments()).containsExactly(java, "-Xmx64m", "-Dx=1", "-cp",
        "invert.jar", JavaExecutorTest.class.getName());
    assertThat(spec.command().uris()).containsExactly(new FetchUri(
        server.publish(jar).toString(), false, false, true, Optional.of("invert.jar")));
    assertThat(spec.command().env()).containsEntry(ArtifactPublisher.ENV_URL,
        server.baseUri().toString()).containsEntry(ArtifactPublisher.ENV_TOKEN, TestServers.TOKEN)
        .containsEntry("MODE", "fast").hasSize(3);
    assertThat(spec.id()).matches("invert-[0-9a-f]{12}");
  }

  @Test
  void theExecutorIdChangesWithTheJarTheCommandOrTheArtifactServerAndOnlyThen() throws Exception {
    Path jar = jar("version 1");
    String id = executor(jar).build().publish(server).id();

    assertThat(executor(jar).build().publish(server).id()).isEqualTo(id);
    assertThat(executor(jar("version two")).build().publish(server).id()).isNotEqualTo(id);
    assertThat(executor(jar).jvmOptions("-Xmx1g").build().publish(server).id()).isNotEqualTo(id);
    try (ArtifactServer restarted = TestServers.start(new InMemoryStore())) {
      assertThat(executor(jar).build().publish(restarted).id()).isNotEqualTo(id);
    }
  }

  @Test
  void findsTheJarAClassWasLoadedFrom() {
    Path jar = JavaExecutor.jarOf(CommandLine.class);

    assertThat(jar.getFileName().toString()).startsWith("picocli-").endsWith(".jar");
  }

  @Test
  void aJarWithoutTheMainClassOrTheExecutorRuntimeIsNotSelfContained() throws Exception {
    String main = JavaExecutorTest.class.getName().replace('.', '/') + ".class";
    Path thin = jar("thin.jar", "x", main);
    Path other = jar("other.jar", "x", "dev/mesoskit/core/executor/ExecutorMain.class");

    assertThatThrownBy(() -> executor(thin).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jar " + thin + " has no dev/mesoskit/core/executor/ExecutorMain.class:"
            + " agents run java -cp <jar> <main class> alone, so the executor jar must be"
            + " self-contained (shaded, with MesosKit and its dependencies)");
    assertThatThrownBy(() -> executor(other).build())
        .hasMessageStartingWith("jar " + other + " has no " + main + ":");
    assertThatThrownBy(() -> JavaExecutor.builder().name("x").mainClass(CommandLine.class)
        .build()).hasMessageContaining("has no dev/mesoskit/core/executor/ExecutorMain.class");
    Path text = Files.writeString(dir.resolve("text.jar"), "not a zip");
    assertThatThrownBy(() -> executor(text).build())
        .hasMessageStartingWith("jar must be a jar file but " + text + " cannot be read as one");
  }

  @Test
  void aClassFromADirectoryIsAClearErrorThatSaysWhereItCameFrom() {
    Path classes = Path.of("target/test-classes").toAbsolutePath();

    assertThatThrownBy(() -> JavaExecutor.jarOf(JavaExecutorTest.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(JavaExecutorTest.class.getName() + " was not loaded from a jar file but from "
            + classes + "; build the jar and give its path");
    assertThatThrownBy(() -> JavaExecutor.builder().name("x").mainClass(JavaExecutorTest.class)
        .build()).hasMessageContaining("was not loaded from a jar file");
  }

  @Test
  void refusesAMissingNameOrMainClassOrAJarThatIsNotAFile() {
    assertThatThrownBy(() -> JavaExecutor.builder().mainClass(CommandLine.class).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must be letters, digits, '.', '_' or '-' but was null");
    assertThatThrownBy(() -> JavaExecutor.builder().name("a b").mainClass(CommandLine.class)
        .build()).hasMessage("name must be letters, digits, '.', '_' or '-' but was a b");
    assertThatThrownBy(() -> JavaExecutor.builder().name("x").build())
        .hasMessage("mainClass must be set");
    assertThatThrownBy(() -> executor(dir).build())
        .hasMessage("jar must be a jar file but was " + dir);
  }
}
