package dev.mesoskit.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.spi.ArtifactPublisher;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Class-data archives: their key, their check, the launcher's choice on a real {@code /bin/sh},
 * and a real training run whose archive a real JVM then maps from a sandbox-like directory.
 */
class ClassDataArchivesTest {
  private static final String SHA = "0123456789abcdef".repeat(4);
  private static final String VM = "Vendor\n17.0.15+6\n/jdk\namd64";
  private static final String JAVA =
      Path.of(System.getProperty("java.home"), "bin", "java").toString();

  private final ArtifactServer server = TestServers.start(new InMemoryStore());

  @TempDir
  Path dir;

  @AfterEach
  void close() {
    server.close();
  }

  /** What {@link #aJarToTrainOn} runs: loads a class of its own, prints, exits. */
  public static final class TrainingMain {
    private TrainingMain() {}

    /**
     * Prints a line.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
      System.out.println("trained " + new StringBuilder("ok").reverse());
    }
  }

  @Test
  void theKeyIsTheJarsDigestAndADigestOfTheJvmTheOptionsTheFileAndTheMainClass() {
    String key = ClassDataArchives.key(SHA, VM, List.of("-Xmx64m"), "invert.jar", "a.Main");

    assertThat(key).matches("0123456789abcdef-[0-9a-f]{16}\\.jsa");
    assertThat(ClassDataArchives.key(SHA, VM, List.of("-Xmx64m"), "invert.jar", "a.Main"))
        .isEqualTo(key);
    assertThat(List.of(
        ClassDataArchives.key("f" + SHA.substring(1), VM, List.of("-Xmx64m"), "invert.jar",
            "a.Main"),
        ClassDataArchives.key(SHA, VM.replace("17.0.15+6", "17.0.16+8"), List.of("-Xmx64m"),
            "invert.jar", "a.Main"),
        ClassDataArchives.key(SHA, VM, List.of("-Xmx65m"), "invert.jar", "a.Main"),
        ClassDataArchives.key(SHA, VM, List.of("-Xmx64m"), "other.jar", "a.Main"),
        ClassDataArchives.key(SHA, VM, List.of("-Xmx64m"), "invert.jar", "a.Other")))
        .doesNotContain(key).doesNotHaveDuplicates();
    assertThatThrownBy(() -> ClassDataArchives.key("abc", VM, List.of(), "a.jar", "a.Main"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("jar sha256 must be 64 hex digits but was 'abc'");
  }

  @Test
  void onlyAWholeHeaderWithTheDynamicMagicAndThisJvmsVersionLooksUsable() throws Exception {
    Path good = header("good.jsa", 0xf00baba8, "OpenJDK 64-Bit Server VM (17.0.15+6) for", 4096);

    assertThat(ClassDataArchives.looksUsable(good, "17.0.15+6")).isTrue();
    assertThat(ClassDataArchives.looksUsable(good, "17.0.16+8")).isFalse();
    assertThat(ClassDataArchives.looksUsable(header("static.jsa", 0xf00baba2,
        "(17.0.15+6)", 4096), "17.0.15+6")).isFalse();
    assertThat(ClassDataArchives.looksUsable(header("short.jsa", 0xf00baba8,
        "(17.0.15+6)", 4095), "17.0.15+6")).isFalse();
    assertThat(ClassDataArchives.looksUsable(dir.resolve("missing.jsa"), "17.0.15+6")).isFalse();
  }

  @Test
  void quotesWordsForTheShellOnlyWhenTheyNeedIt() {
    assertThat(ClassDataArchives.quote("-Xmx64m")).isEqualTo("-Xmx64m");
    assertThat(ClassDataArchives.quote("-Dgreeting=it's me")).isEqualTo("'-Dgreeting=it'\\''s me'");
    assertThat(ClassDataArchives.quote("$HOME")).isEqualTo("'$HOME'");
  }

  @Test
  void theLauncherPassesTheArchiveOnlyWhenItIsWholeTheJdkMatchesAndTheJarTimeIsReset()
      throws Exception {
    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Path jar = Files.writeString(sandbox.resolve("app.jar"), "jar");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_000_000L));
    Files.write(sandbox.resolve("app.jsa"), new byte[1234]);
    Path jdk = Files.createDirectories(dir.resolve("jdk"));
    Files.writeString(jdk.resolve("release"),
        "IMPLEMENTOR=\"X\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6\"\nJAVA_VERSION=\"17.0.15\"\n");
    Path fakeJava = jdk.resolve("java");
    Files.writeString(fakeJava, "#!/bin/sh\nfor a in \"$@\"; do echo \"[$a]\"; done\n");
    fakeJava.toFile().setExecutable(true);
    List<String> options = List.of("-Xmx64m", "-Dgreeting=it's me");
    String plain = "[-Xmx64m]\n[-Dgreeting=it's me]\n[-cp]\n[app.jar]\n[a.Main]\n";

    assertThat(run(sandbox, ClassDataArchives.launcher(fakeJava.toString(), options, "app.jar",
        "a.Main", "app.jsa", 1235, jdk.toString(), "17.0.15+6"))).isEqualTo(plain);
    assertThat(Files.getLastModifiedTime(jar).toMillis()).isEqualTo(1_700_000_000_000L);
    assertThat(run(sandbox, ClassDataArchives.launcher(fakeJava.toString(), options, "app.jar",
        "a.Main", "none.jsa", 1234, jdk.toString(), "17.0.15+6"))).isEqualTo(plain);
    assertThat(run(sandbox, ClassDataArchives.launcher(fakeJava.toString(), options, "app.jar",
        "a.Main", "app.jsa", 1234, jdk.toString(), "17.0.16+8"))).isEqualTo(plain);
    assertThat(run(sandbox, ClassDataArchives.launcher(fakeJava.toString(), options, "app.jar",
        "a.Main", "app.jsa", 1234, dir.resolve("nojdk").toString(), "17.0.15+6")))
        .isEqualTo(plain);
    assertThat(Files.getLastModifiedTime(jar).toMillis()).isEqualTo(1_700_000_000_000L);

    assertThat(run(sandbox, ClassDataArchives.launcher(fakeJava.toString(), options, "app.jar",
        "a.Main", "app.jsa", 1234, jdk.toString(), "17.0.15+6"))).isEqualTo(
        "[-Xmx64m]\n[-Dgreeting=it's me]\n[-XX:SharedArchiveFile=app.jsa]\n[-Xshare:auto]\n"
            + "[-cp]\n[app.jar]\n[a.Main]\n");
    assertThat(Files.getLastModifiedTime(jar).toMillis())
        .isEqualTo(ClassDataArchives.JAR_TIME_SECONDS * 1000);
  }

  @Test
  void pruningKeepsTheNewestArchivesAndDropsWhatInterruptedRunsLeftAnHourAgo() throws Exception {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    List<Path> archives = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Path a = Files.writeString(cache.resolve("a" + i + ".jsa"), "x");
      Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000L * (i + 1)));
      archives.add(a);
    }
    Path oldTemp = Files.writeString(cache.resolve("a9.jsa.1.tmp"), "x");
    Files.setLastModifiedTime(oldTemp, FileTime.fromMillis(1_000L));
    Path oldTraining = Files.createDirectories(cache.resolve("training-1"));
    Files.writeString(oldTraining.resolve("app.jar"), "x");
    Files.setLastModifiedTime(oldTraining, FileTime.fromMillis(1_000L));
    Path newTemp = Files.writeString(cache.resolve("a8.jsa.2.tmp"), "x");
    Path newTraining = Files.createDirectories(cache.resolve("training-2"));

    ClassDataArchives.prune(cache, 2);

    try (Stream<Path> left = Files.list(cache)) {
      assertThat(left.toList()).containsExactlyInAnyOrder(archives.get(2), archives.get(3),
          newTemp, newTraining);
    }
  }

  @Test
  void aTrainingRunThatFailsLeavesNoArchiveAndNoTemporaryFile() throws Exception {
    Path cache = dir.resolve("cache");

    Optional<Path> archive = ClassDataArchives.archive(cache, JAVA, aJarToTrainOn(),
        List.of("-Xmx1k"), "app.jar", TrainingMain.class.getName()).get(2, TimeUnit.MINUTES);

    assertThat(archive).isEmpty();
    assertThat(filesIn(cache)).isEmpty();
  }

  @Test
  void aTrainedArchiveIsPublishedWholeAndAJvmInASandboxMapsTheJarsClassesFromIt()
      throws Exception {
    Path cache = dir.resolve("cache");
    Path jar = aJarToTrainOn();
    List<String> options = List.of("-Xlog:class+load");

    Path archive = ClassDataArchives.archive(cache, JAVA, jar, options, "app.jar",
        TrainingMain.class.getName()).get(2, TimeUnit.MINUTES).orElseThrow();

    assertThat(archive.getFileName().toString())
        .isEqualTo(ClassDataArchives.key(Digests.sha256(jar), ClassDataArchives.thisJvm(),
            options, "app.jar", TrainingMain.class.getName()));
    assertThat(filesIn(cache)).containsExactly(archive);
    assertThat(ClassDataArchives.looksUsable(archive, System.getProperty("java.vm.version")))
        .isTrue();
    assertThat(ClassDataArchives.archive(cache, JAVA, jar, options, "app.jar",
        TrainingMain.class.getName()).getNow(Optional.empty())).contains(archive);

    Path sandbox = Files.createDirectories(dir.resolve("sandbox"));
    Files.copy(jar, sandbox.resolve("app.jar"));
    Files.copy(archive, sandbox.resolve("app.jsa"));
    String line = ClassDataArchives.launcher(JAVA, options, "app.jar",
        TrainingMain.class.getName(), "app.jsa", Files.size(archive),
        System.getProperty("java.home"), System.getProperty("java.runtime.version"));
    if (ClassDataArchives.releaseNamesThisJvm()) {
      assertThat(run(sandbox, line)).contains(TrainingMain.class.getName()
          + " source: shared objects file (top)\n").contains("trained ko\n");
    }
    Files.setLastModifiedTime(sandbox.resolve("app.jar"), FileTime.fromMillis(1_000L));
    String stale = run(sandbox, "exec " + JAVA + " -Xlog:class+load -XX:SharedArchiveFile="
        + "app.jsa -Xshare:auto -cp app.jar "
        + ClassDataArchives.quote(TrainingMain.class.getName()));
    // HotSpot skips a dynamic archive whose jar has another time, and keeps the JDK's archive
    assertThat(stale).contains(TrainingMain.class.getName() + " source: file:")
        .contains("java.lang.Object source: shared objects file\n").contains("trained ko\n");
  }

  @Test
  void anExecutorWithAReadyArchiveRunsTheLauncherAndFetchesTheArchiveBesideTheJar()
      throws Exception {
    Path cache = dir.resolve("cache");
    JavaExecutor executor = JavaExecutor.builder().name("app").mainClass(TrainingMain.class)
        .jar(aJarToTrainOn()).classDataSharing(true).classDataCache(cache).build();
    JavaExecutor without = JavaExecutor.builder().name("app").mainClass(TrainingMain.class)
        .jar(executor.jar()).build();
    if (!ClassDataArchives.releaseNamesThisJvm()) {
      assertThat(executor.classDataArchive().get()).isEmpty();
      return;
    }
    Path archive = executor.classDataArchive().get(2, TimeUnit.MINUTES).orElseThrow();

    ExecutorSpec spec = executor.publish(server);

    assertThat(spec.command().shell()).isTrue();
    assertThat(spec.command().value()).isEqualTo(ClassDataArchives.launcher(JAVA, List.of(),
        "app.jar", TrainingMain.class.getName(), "app.jsa", Files.size(archive),
        System.getProperty("java.home"), System.getProperty("java.runtime.version")));
    assertThat(spec.command().uris()).containsExactly(
        new FetchUri(server.publish(executor.jar()).toString(), false, false, true,
            Optional.of("app.jar")),
        new FetchUri(server.publish(archive).toString(), false, false, true,
            Optional.of("app.jsa")));
    ExecutorSpec plain = without.publish(server);
    assertThat(plain.command().shell()).isFalse();
    assertThat(plain.id()).isNotEqualTo(spec.id());
  }

  @Test
  void aCacheIsCreatedForThisUserAloneAndOneOthersMayWriteToIsNotUsed() throws Exception {
    Path fresh = dir.resolve("home").resolve("cds");
    assertThat(ClassDataArchives.unsafeCache(fresh)).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
        .isEqualTo("rwx------");
    assertThat(filesIn(fresh)).isEmpty();

    Path shared = Files.createDirectories(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThat(ClassDataArchives.unsafeCache(shared)).contains("writable by others: rwxrwxrwx");
    Optional<Path> archive = ClassDataArchives.archive(shared, JAVA, aJarToTrainOn(),
        List.of(), "app.jar", TrainingMain.class.getName()).getNow(Optional.of(dir));
    assertThat(archive).isEmpty();
    assertThat(filesIn(shared)).isEmpty();
  }

  @Test
  void anArchiveFoundInTheCacheIsMarkedUsedSoThatPruningKeepsIt() throws Exception {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwx------"));
    Path jar = aJarToTrainOn();
    String key = ClassDataArchives.key(Digests.sha256(jar), ClassDataArchives.thisJvm(),
        List.of(), "app.jar", "a.Main");
    Path used = Files.move(header("used.jsa", 0xf00baba8,
        "(" + System.getProperty("java.vm.version") + ")", 4096), cache.resolve(key));
    Files.setLastModifiedTime(used, FileTime.fromMillis(1_000L));
    Path newer = Files.writeString(cache.resolve("newer.jsa"), "x");
    Files.setLastModifiedTime(newer, FileTime.fromMillis(2_000L));

    assertThat(ClassDataArchives.archive(cache, JAVA, jar, List.of(), "app.jar", "a.Main")
        .getNow(Optional.empty())).contains(used.toAbsolutePath());
    ClassDataArchives.prune(cache, 1);

    assertThat(filesIn(cache)).containsExactly(used);
  }

  @Test
  void aPublishedArchiveHasTheMeasuredSizeEvenWhenAnotherProcessReplacesOrPrunesIt()
      throws Exception {
    Path cache = Files.createDirectories(dir.resolve("cache"));
    Path archive = Files.write(cache.resolve("k.jsa"), new byte[1000]);
    byte[] newer = new byte[2000];
    newer[0] = 1;
    ArtifactPublisher replacing = new ForwardingPublisher(server, () -> {
      Path temp = Files.write(cache.resolve("k.jsa.1.tmp"), newer);
      Files.move(temp, archive, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    });

    ClassDataArchives.Published published =
        ClassDataArchives.publish(replacing, archive).orElseThrow();

    assertThat(published.bytes()).isEqualTo(1000);
    assertThat(published.uri()).isEqualTo(server.uri(Digests.sha256(Files.write(
        dir.resolve("k.jsa"), new byte[1000])) + "/k.jsa"));
    assertThat(filesIn(cache)).containsExactly(archive);

    ArtifactPublisher pruning = new ForwardingPublisher(server, () -> Files.delete(archive));
    assertThat(ClassDataArchives.publish(pruning, archive).orElseThrow().bytes())
        .isEqualTo(2000);
    assertThat(filesIn(cache)).isEmpty();
    assertThat(ClassDataArchives.publish(server, archive)).isEmpty();
    assertThat(filesIn(cache)).isEmpty();
  }

  /** Publishes through a server after running something, as another process might meanwhile. */
  private record ForwardingPublisher(ArtifactServer server, Meanwhile meanwhile)
      implements ArtifactPublisher {
    @Override
    public URI publish(Path file) {
      try {
        meanwhile.run();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return server.publish(file);
    }

    @Override
    public URI uri(String name) {
      return server.uri(name);
    }

    @Override
    public URI baseUri() {
      return server.baseUri();
    }

    @Override
    public String uploadToken() {
      return server.uploadToken();
    }
  }

  /** What another process does while an archive is published. */
  private interface Meanwhile {
    void run() throws Exception;
  }

  private Path aJarToTrainOn() throws Exception {
    Path jar = dir.resolve("train-" + System.nanoTime() + ".jar");
    String entry = TrainingMain.class.getName().replace('.', '/') + ".class";
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar));
        InputStream in = TrainingMain.class.getResourceAsStream("/" + entry)) {
      zip.putNextEntry(new ZipEntry(entry));
      in.transferTo(zip);
      zip.closeEntry();
      // JavaExecutor wants the executor runtime in the jar; the training main never loads it
      zip.putNextEntry(new ZipEntry("dev/mesoskit/core/executor/ExecutorMain.class"));
      zip.write(new byte[] {0});
      zip.closeEntry();
    }
    return jar;
  }

  private Path header(String name, int magic, String ident, int size) throws Exception {
    byte[] bytes = new byte[size];
    bytes[0] = (byte) magic;
    bytes[1] = (byte) (magic >>> 8);
    bytes[2] = (byte) (magic >>> 16);
    bytes[3] = (byte) (magic >>> 24);
    byte[] text = ident.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(text, 0, bytes, 100, text.length);
    return Files.write(dir.resolve(name), bytes);
  }

  private static List<Path> filesIn(Path directory) throws Exception {
    if (!Files.exists(directory)) {
      return List.of();
    }
    try (Stream<Path> all = Files.walk(directory)) {
      return new ArrayList<>(all.filter(p -> !p.equals(directory)).toList());
    }
  }

  /** Runs a line with /bin/sh -c in a directory: its stdout, after checking stderr is empty. */
  private static String run(Path directory, String line) throws Exception {
    Process p = new ProcessBuilder("/bin/sh", "-c", line).directory(directory.toFile()).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(err).isEmpty();
    return new String(out, StandardCharsets.UTF_8);
  }
}
