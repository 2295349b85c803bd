package dev.mesoskit.artifacts;

import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.ExecutorSpec;
import dev.mesoskit.core.FetchUri;
import dev.mesoskit.core.ResourceSpec;
import dev.mesoskit.core.spi.ArtifactPublisher;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java executor served from a jar: publishes the jar through an {@link ArtifactPublisher} and
 * describes the executor that runs {@code java -cp <jar> <main class>} on the agents.
 *
 * <pre>{@code
 * ExecutorSpec executor = JavaExecutor.builder()
 *     .name("invert")
 *     .mainClass(InvertExecutor.class)      // the jar holding it is published
 *     .jvmOptions("-Xmx512m")
 *     .resources(ResourceSpec.of(0.1, 640)) // the executor process itself
 *     .build()
 *     .publish(artifacts);
 * }</pre>
 *
 * <p>What the spec holds: the jar's content-addressed URI, fetched through the Mesos fetcher
 * cache and not extracted, as {@code <name>.jar} in the sandbox; the publisher's
 * {@link ArtifactPublisher#taskEnvironment()} (so that tasks can upload) plus any {@link
 * Builder#env}; and the executor id {@code <name>-<12 hex digits>}, a digest of the whole command
 * (the jar's content, the JVM options, the main class, the environment). Agents therefore start a
 * new executor whenever any of these changed, e.g. for a restarted scheduler whose artifact server
 * has a new address or token, and reuse the running one otherwise.
 *
 * <p>With {@link Builder#classDataSharing}, once this machine's class-data archive of the jar is
 * ready, the spec also fetches the archive as {@code <name>.jsa} and runs a guarded shell line
 * that uses it (see {@link Builder#classDataSharing}).
 *
 * <p>A program's jar may name a leaner jar beside it for the agents to fetch, with the manifest
 * attribute {@value #EXECUTOR_JAR_ATTRIBUTE} (the examples' jars do: the scheduler's 25 MB hold
 * the embedded cluster, the artifact server and the command line, none of which an executor
 * runs). Without {@link Builder#jar}, the executor is {@link #executorJarOf} its main class.
 *
 * <p>Values are immutable; {@link #publish} may be called from any thread.
 */
public final class JavaExecutor {
  /**
   * The manifest attribute of a program's jar that names its executor jar, a file in the same
   * directory, e.g. {@code MesosKit-Executor-Jar: image-invert-executor.jar}.
   */
  public static final String EXECUTOR_JAR_ATTRIBUTE = "MesosKit-Executor-Jar";

  private static final Logger LOG = LoggerFactory.getLogger(JavaExecutor.class);

  /** What a self-contained executor jar holds besides its main class: the executor runtime. */
  private static final String RUNTIME_ENTRY = "dev/mesoskit/core/executor/ExecutorMain.class";
  private final String name;
  private final String mainClass;
  private final Path jar;
  private final List<String> jvmOptions;
  private final ResourceSpec resources;
  private final String javaCommand;
  private final Map<String, String> env;
  private final boolean classDataSharing;
  private final Path classDataCache;

  private JavaExecutor(Builder b, Path jar) {
    this.name = b.name;
    this.mainClass = b.mainClass;
    this.jar = jar;
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.resources = b.resources;
    this.javaCommand = b.javaCommand;
    this.env = Map.copyOf(b.env);
    this.classDataSharing = b.classDataSharing;
    this.classDataCache = b.classDataCache;
  }

  /**
   * Starts a builder.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The jar a class was loaded from.
   *
   * @param type a class
   * @return the jar file
   * @throws IllegalArgumentException when the class was not loaded from a jar file (e.g. from
   *     {@code target/classes} in an IDE or a test): the message names where it came from
   */
  public static Path jarOf(Class<?> type) {
    Objects.requireNonNull(type, "type must not be null");
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null) {
      throw new IllegalArgumentException(type.getName() + " was not loaded from a jar file but"
          + " from an unknown location; give the jar's path");
    }
    Path path;
    try {
      path = Path.of(location.toURI());
    } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
      throw new IllegalArgumentException(type.getName() + " was not loaded from a jar file but"
          + " from " + location + "; give the jar's path", e);
    }
    if (!Files.isRegularFile(path)) {
      throw new IllegalArgumentException(type.getName() + " was not loaded from a jar file but"
          + " from " + path + "; build the jar and give its path");
    }
    return path;
  }

  /**
   * The jar agents should run a class from: the jar it was loaded from, or the jar beside it that
   * this jar's manifest names with {@value #EXECUTOR_JAR_ATTRIBUTE}.
   *
   * @param type a class, usually the executor's main class
   * @return the jar file
   * @throws IllegalArgumentException when the class was not loaded from a jar file, or the
   *     manifest names a jar that is not there: the message says which
   */
  public static Path executorJarOf(Class<?> type) {
    Path own = jarOf(type);
    String named;
    try (JarFile jar = new JarFile(own.toFile())) {
      Manifest manifest = jar.getManifest();
      named = manifest == null ? null : manifest.getMainAttributes().getValue(EXECUTOR_JAR_ATTRIBUTE);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the manifest of " + own + ": " + e, e);
    }
    if (named == null || named.isBlank()) {
      return own;
    }
    if (!named.matches("[A-Za-z0-9._-]+\\.jar")) {
      throw new IllegalArgumentException(own + " names '" + named + "' as its executor jar ("
          + EXECUTOR_JAR_ATTRIBUTE + "), which is not the name of a jar file beside it");
    }
    Path executor = own.resolveSibling(named);
    if (!Files.isRegularFile(executor)) {
      throw new IllegalArgumentException(own + " names " + named + " as its executor jar ("
          + EXECUTOR_JAR_ATTRIBUTE + ") but there is no " + executor + "; build both jars"
          + " and keep them together, or give the jar's path");
    }
    return executor;
  }

  /**
   * The jar that will be published.
   *
   * @return the jar file
   */
  public Path jar() {
    return jar;
  }

  /**
   * The class-data sharing archive of this executor on this machine: the one in the cache, or
   * one a training run makes now in the background (see {@link Builder#classDataSharing}). Call it
   * early, e.g. where the scheduler starts, so that the archive is ready for {@link #publish}; a
   * program that must have it on its first run can wait for the result.
   *
   * @return completes with the archive, or empty when class-data sharing is off, cannot be used
   *     with this executor's {@code java} (another command than this JVM's, or a JDK whose
   *     {@code release} file does not name its runtime version), or the training run failed
   */
  public CompletableFuture<Optional<Path>> classDataArchive() {
    if (!classDataSharing) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    if (!javaCommand.equals(thisJava()) || !ClassDataArchives.releaseNamesThisJvm()) {
      LOG.info("No class-data archive: the executor runs another java than this JVM's, or this"
          + " JDK's release file does not name its runtime version java={}", javaCommand);
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return ClassDataArchives.archive(classDataCache, javaCommand, jar, jvmOptions, name + ".jar",
        mainClass);
  }

  /**
   * Publishes the jar and returns the executor.
   *
   * @param publisher where agents fetch the jar from, e.g. an {@link ArtifactServer}
   * @return the executor spec, ready for {@code TaskSpec.Builder.executor}
   * @throws IllegalArgumentException when the jar cannot be published (see
   *     {@link ArtifactPublisher#publish})
   */
  public ExecutorSpec publish(ArtifactPublisher publisher) {
    Objects.requireNonNull(publisher, "publisher must not be null");
    URI uri = publisher.publish(jar);
    String file = name + ".jar";
    List<String> argv = new ArrayList<>();
    argv.add(javaCommand);
    argv.addAll(jvmOptions);
    argv.addAll(List.of("-cp", file, mainClass));
    Map<String, String> environment = new TreeMap<>(publisher.taskEnvironment());
    environment.putAll(env);
    CommandSpec.Builder command = CommandSpec.builder()
        .uri(FetchUri.of(uri.toString()).cached().notExtracted().outputFile(file));
    // an archive still being trained is not waited for: this executor starts without it
    Optional<ClassDataArchives.Published> archive = classDataArchive()
        .getNow(Optional.empty()).flatMap(a -> ClassDataArchives.publish(publisher, a));
    if (archive.isPresent()) {
      String archiveFile = name + ".jsa";
      String archiveUri = archive.get().uri().toString();
      String line = ClassDataArchives.launcher(javaCommand, jvmOptions, file, mainClass,
          archiveFile, archive.get().bytes(), System.getProperty("java.home"),
          System.getProperty("java.runtime.version"));
      command.shell(line).uri(FetchUri.of(archiveUri).cached().notExtracted()
          .outputFile(archiveFile));
      argv = List.of(line, archiveUri);
    } else {
      command.exec(argv.toArray(String[]::new));
    }
    environment.forEach(command::env);
    MessageDigest digest = Digests.sha256();
    digest.update((uri + "\n" + argv + "\n" + environment).getBytes(StandardCharsets.UTF_8));
    String id = name + "-" + Digests.hex(digest.digest()).substring(0, 12);
    return new ExecutorSpec(id, name + " executor", command.build(), resources);
  }

  private static String thisJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public String toString() {
    return "JavaExecutor[" + name + ", " + mainClass + " from " + jar + "]";
  }

  /**
   * Builds a {@link JavaExecutor}. Required: {@link #name} and {@link #mainClass}. Defaults: the
   * {@linkplain JavaExecutor#executorJarOf executor jar of} the main class, no JVM options, {@link ExecutorSpec#DEFAULT_RESOURCES}, this JVM's
   * {@code bin/java}, no extra environment.
   */
  public static final class Builder {
    private String name;
    private String mainClass;
    private Class<?> mainType;
    private Path jar;
    private final List<String> jvmOptions = new ArrayList<>();
    private ResourceSpec resources = ExecutorSpec.DEFAULT_RESOURCES;
    private String javaCommand = thisJava();
    private final Map<String, String> env = new LinkedHashMap<>();
    private boolean classDataSharing;
    private Path classDataCache = ClassDataArchives.defaultCache();

    private Builder() {}

    /**
     * Turns class-data sharing on or off: executors then map the classes they load before their
     * first task from an archive made once per machine, jar and JVM, instead of loading them from
     * the jar and the JDK (in one run of {@code ExecutorColdStart} on a loaded machine, a fresh
     * executor's CPU before its first task went from 920 ms to 540 ms; see benchmarks/README.md).
     *
     * <p>How: {@link JavaExecutor#classDataArchive} makes a JDK dynamic archive in the
     * {@linkplain #classDataCache cache} with a training run (the main class in a JVM of its own
     * against a stand-in agent that subscribes it and shuts it down at once, so it runs no task;
     * about a second of CPU, once per machine, jar, JVM and options) and {@link JavaExecutor#publish} publishes it
     * beside the jar once it is ready. The agents then run a shell line that resets the sandbox
     * jar's modification time (HotSpot checks a jar by size and time) and passes
     * {@code -XX:SharedArchiveFile}, but only when the fetched archive has its exact size and the
     * JDK's {@code release} file names the JVM that made it; otherwise it runs the plain command.
     * So an agent with another JDK at the same path, or a damaged fetch, runs the executor as
     * without this option. Used only with the default {@link #javaCommand}.
     *
     * @param on default false
     * @return this builder
     */
    public Builder classDataSharing(boolean on) {
      this.classDataSharing = on;
      return this;
    }

    /**
     * Sets the directory of class-data archives. Executors map these archives into memory, so the
     * directory is created with mode 0700 and not used (no archive, logged at WARN) unless it
     * belongs to this user and no group or other user may write to it.
     *
     * @param directory default {@code ~/.mesoskit/cds}
     * @return this builder
     */
    public Builder classDataCache(Path directory) {
      this.classDataCache = Objects.requireNonNull(directory, "classDataCache must not be null");
      return this;
    }

    /**
     * Sets the name: the executor id starts with it, and the jar is fetched as
     * {@code <name>.jar}.
     *
     * @param name letters, digits, {@code .}, {@code _} and {@code -}
     * @return this builder
     */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /**
     * Sets the class whose {@code main} runs the executor; its jar is the default
     * {@link #jar(Path)}.
     *
     * @param mainClass e.g. a class whose {@code main} calls {@code ExecutorMain.run}
     * @return this builder
     */
    public Builder mainClass(Class<?> mainClass) {
      this.mainType = Objects.requireNonNull(mainClass, "mainClass must not be null");
      this.mainClass = mainClass.getName();
      return this;
    }

    /**
     * Sets the jar to publish, instead of the {@linkplain JavaExecutor#executorJarOf executor jar
     * of} the main class.
     *
     * @param jar a jar file that holds the main class, or null for the default
     * @return this builder
     */
    public Builder jar(Path jar) {
      this.jar = jar;
      return this;
    }

    /**
     * Sets the options passed to {@code java} before {@code -cp}.
     *
     * @param options e.g. {@code -Xmx512m}; default none
     * @return this builder
     */
    public Builder jvmOptions(String... options) {
      jvmOptions.clear();
      for (String option : options) {
        jvmOptions.add(Objects.requireNonNull(option, "jvm options must not be null"));
      }
      return this;
    }

    /**
     * Sets what the executor process itself needs, besides its tasks; count the JVM's heap.
     *
     * @param resources default {@link ExecutorSpec#DEFAULT_RESOURCES}
     * @return this builder
     */
    public Builder resources(ResourceSpec resources) {
      this.resources = Objects.requireNonNull(resources, "resources must not be null");
      return this;
    }

    /**
     * Sets the {@code java} the agents run.
     *
     * @param javaCommand a path or a command on the agents' {@code PATH}; default this JVM's
     *     {@code bin/java}, right for the local cluster and for agents with the same layout
     * @return this builder
     */
    public Builder javaCommand(String javaCommand) {
      this.javaCommand = javaCommand;
      return this;
    }

    /**
     * Adds an environment variable of the executor process.
     *
     * @param name the variable
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      env.put(Objects.requireNonNull(name, "env name must not be null"),
          Objects.requireNonNull(value, "env value must not be null for " + name));
      return this;
    }

    /**
     * Validates the settings and finds the jar.
     *
     * @return the executor, not yet published
     * @throws IllegalArgumentException naming the setting that is missing or wrong, or when no
     *     jar was given and the main class was not loaded from one
     */
    public JavaExecutor build() {
      if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
        throw new IllegalArgumentException(
            "name must be letters, digits, '.', '_' or '-' but was " + name);
      }
      if (mainType == null) {
        throw new IllegalArgumentException("mainClass must be set");
      }
      if (javaCommand == null || javaCommand.isBlank()) {
        throw new IllegalArgumentException("javaCommand must not be blank but was " + javaCommand);
      }
      Path path = jar != null ? jar : executorJarOf(mainType);
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException("jar must be a jar file but was " + path);
      }
      requireSelfContained(path, mainType.getName().replace('.', '/') + ".class");
      return new JavaExecutor(this, path);
    }

    /**
     * Agents run {@code java -cp <jar> <main class>} and nothing else, so the jar must hold the
     * main class and the executor runtime (a shaded jar), not only the program's own classes.
     */
    private static void requireSelfContained(Path jar, String mainEntry) {
      try (ZipFile zip = new ZipFile(jar.toFile())) {
        for (String entry : List.of(mainEntry, RUNTIME_ENTRY)) {
          if (zip.getEntry(entry) == null) {
            throw new IllegalArgumentException("jar " + jar + " has no " + entry + ": agents run"
                + " java -cp <jar> <main class> alone, so the executor jar must be"
                + " self-contained (shaded, with MesosKit and its dependencies)");
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("jar must be a jar file but " + jar
            + " cannot be read as one: " + e.getMessage(), e);
      }
    }
  }
}
