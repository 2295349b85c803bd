package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program's jar may name the leaner jar beside it that agents fetch to run its executor. */
class ExecutorJarTest {
  private static final String PROBE = ExecutorJarProbe.class.getName();

  @TempDir
  Path dir;

  /** Writes {@code name} holding the probe class, with the attribute if it is not null. */
  private Path programJar(String name, String executorJar) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (executorJar != null) {
      manifest.getMainAttributes().putValue(JavaExecutor.EXECUTOR_JAR_ATTRIBUTE, executorJar);
    }
    Path jar = dir.resolve(name);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
         InputStream probe = ExecutorJarProbe.class.getResourceAsStream(
             "ExecutorJarProbe.class")) {
      out.putNextEntry(new ZipEntry(PROBE.replace('.', '/') + ".class"));
      probe.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }

  /** The probe class as loaded from the jar, not from the test's class path. */
  private Class<?> loadedFrom(Path jar) throws Exception {
    URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader());
    Class<?> type = loader.loadClass(PROBE);
    assertThat(type.getClassLoader()).isSameAs(loader);
    return type;
  }

  @Test
  void aJarWithoutTheAttributeIsItsOwnExecutorJar() throws Exception {
    Path jar = programJar("app.jar", null);

    assertThat(JavaExecutor.executorJarOf(loadedFrom(jar))).isEqualTo(jar);
  }

  @Test
  void theAttributeNamesTheJarBesideIt() throws Exception {
    Path jar = programJar("app.jar", "app-executor.jar");
    Path executor = Files.write(dir.resolve("app-executor.jar"), new byte[] {1});

    assertThat(JavaExecutor.executorJarOf(loadedFrom(jar))).isEqualTo(executor);
  }

  @Test
  void aNamedJarThatIsNotThereSaysSo() throws Exception {
    Path jar = programJar("app.jar", "app-executor.jar");

    assertThatThrownBy(() -> JavaExecutor.executorJarOf(loadedFrom(jar)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(jar + " names app-executor.jar as its executor jar (MesosKit-Executor-Jar)"
            + " but there is no " + dir.resolve("app-executor.jar") + "; build both jars and"
            + " keep them together, or give the jar's path");
  }

  @Test
  void theAttributeMustNameAFileBesideTheJarNotAPath() throws Exception {
    Path jar = programJar("app.jar", "../elsewhere.jar");

    assertThatThrownBy(() -> JavaExecutor.executorJarOf(loadedFrom(jar)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(jar + " names '../elsewhere.jar' as its executor jar"
            + " (MesosKit-Executor-Jar), which is not the name of a jar file beside it");
  }
}
