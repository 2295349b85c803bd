package dev.mesoskit.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import dev.mesoskit.core.spi.ArtifactPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Class-data sharing (CDS) archives of executor jars, so that an executor JVM maps the classes it
 * loads before its first task from a file instead of parsing and verifying them.
 *
 * <p>An archive is a JDK dynamic archive ({@code -XX:ArchiveClassesAtExit}, layered on the JDK's
 * default archive), one per machine in a cache directory, named by a {@linkplain #key key} of the
 * jar's SHA-256, the exact JVM (vendor, version, home, architecture), the JVM options, the main
 * class and the name the jar has in the sandbox. A <em>training run</em> makes it: the executor's
 * own main class in a fresh JVM with the executor's options, in a directory of its own, against a
 * {@link TrainingAgent} that answers SUBSCRIBE with SUBSCRIBED and SHUTDOWN, so the executor
 * starts, subscribes, decodes events and shuts down as a real one does, running no task. The JVM
 * writes the archive to a temporary name at exit; a second JVM maps it with {@code -Xshare:on}
 * (which fails rather than continue without it); only then is it renamed to its final name, so a
 * reader sees a whole, checked archive or none ({@link #trainingScript}: one shell script, which
 * finishes even when the program that started it exits first).
 *
 * <p>What HotSpot 17 does with an archive it cannot use, measured: a dynamic archive whose jar has
 * another size or modification time, or that another build of the same JDK made, is skipped with
 * a warning and the JDK's default archive is still used; a missing file, a file that is not an
 * archive, or an archive of another JDK version (JDK 25 reading a JDK 17 archive) disables class
 * sharing altogether (slower than no option at all), and a truncated archive crashes the JVM
 * (SIGBUS). HotSpot checks a jar by its size and modification time, and the fetcher gives each
 * sandbox a fresh copy. The {@linkplain #launcher launcher} therefore passes the archive only when
 * the sandbox's copy has exactly the archive's size, the JDK's {@code release} file names this
 * JVM's runtime version, and resetting the jar's modification time to {@link #JAR_TIME_SECONDS}
 * (the time the training run's copy had) succeeded; otherwise it runs the plain command.
 *
 * <p>The cache is this user's alone ({@link #unsafeCache}), since an archive planted there would
 * be mapped by every executor. Archives are published from a hard link ({@link #publish}), so
 * that another process pruning the cache or renaming a newer archive over one cannot make the
 * served bytes differ from the size the launcher checks.
 *
 * <p>Threading: safe from any thread; a key is trained at most once at a time per JVM, on the
 * training process' exit handler.
 */
final class ClassDataArchives {
  /** The modification time a jar has in a training run and in a sandbox that uses the archive. */
  static final long JAR_TIME_SECONDS = 946_684_800L; // 2000-01-01T00:00:00Z

  /** The first four bytes of a HotSpot dynamic archive, little-endian 0xf00baba8. */
  private static final int DYNAMIC_MAGIC = 0xf00baba8;

  /**
   * How many archives the cache keeps: the most recently used, by their modification time, which
   * {@link #archive} sets each time it finds one.
   */
  static final int KEPT_ARCHIVES = 8;

  /** How long a training run may take before it is killed and no archive is made. */
  private static final long TRAINING_TIMEOUT_SECONDS = 120;

  private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchives.class);
  private static final Map<Path, CompletableFuture<Optional<Path>>> TRAINING =
      new ConcurrentHashMap<>();

  private ClassDataArchives() {}

  /**
   * The default cache: {@code ~/.mesoskit/cds}.
   *
   * @return the directory, which may not exist yet
   */
  static Path defaultCache() {
    return Path.of(System.getProperty("user.home"), ".mesoskit", "cds");
  }

  /**
   * This JVM as an archive depends on it.
   *
   * @return vendor, version, home and architecture, one a line
   */
  static String thisJvm() {
    return System.getProperty("java.vm.vendor") + "\n" + System.getProperty("java.vm.version")
        + "\n" + System.getProperty("java.home") + "\n" + System.getProperty("os.arch");
  }

  /**
   * The name of an archive in the cache: the first 16 hex digits of the jar's SHA-256, then 16 of
   * a digest of everything else the archive depends on.
   *
   * @param jarSha256 the jar's SHA-256, 64 hex digits
   * @param jvm the JVM, as {@link #thisJvm()}
   * @param jvmOptions the executor's JVM options
   * @param jarFile the jar's name in the sandbox, e.g. {@code invert.jar}
   * @param mainClass the executor's main class
   * @return e.g. {@code 3f1c...-9ab2....jsa}
   */
  static String key(String jarSha256, String jvm, List<String> jvmOptions, String jarFile,
      String mainClass) {
    if (!Digests.isSha256(jarSha256)) {
      throw new IllegalArgumentException("jar sha256 must be 64 hex digits but was '"
          + jarSha256 + "'");
    }
    MessageDigest digest = Digests.sha256();
    digest.update((jvm + "\n" + String.join("\u0000", jvmOptions) + "\n" + jarFile + "\n"
        + mainClass).getBytes(StandardCharsets.UTF_8));
    return jarSha256.substring(0, 16) + "-" + Digests.hex(digest.digest()).substring(0, 16)
        + ".jsa";
  }

  /**
   * Whether a file looks like a dynamic archive this JVM made: the dynamic archive's magic number
   * and, in its header, this JVM's version in parentheses, as HotSpot writes its identity
   * ({@code OpenJDK 64-Bit Server VM (17.0.15+6-...) for linux-amd64 ...}).
   *
   * @param file a candidate
   * @param vmVersion {@code java.vm.version} of the JVM that is to use it
   * @return false for a missing, short, foreign or unreadable file
   */
  static boolean looksUsable(Path file, String vmVersion) {
    byte[] header;
    try (InputStream in = Files.newInputStream(file)) {
      header = in.readNBytes(4096);
    } catch (IOException e) {
      return false;
    }
    if (header.length < 4096) {
      return false;
    }
    int magic = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16
        | (header[3] & 0xff) << 24;
    return magic == DYNAMIC_MAGIC
        && new String(header, StandardCharsets.ISO_8859_1).contains("(" + vmVersion + ")");
  }

  /**
   * The archive of an executor: the one in the cache, or a training run started now (at most one
   * per archive at a time in this JVM).
   *
   * @param cache the cache directory
   * @param java this JVM's {@code bin/java}
   * @param jar the executor jar
   * @param jvmOptions the executor's JVM options
   * @param jarFile the jar's name in the sandbox
   * @param mainClass the executor's main class
   * @return completes with the archive, or empty when it could not be made (logged at WARN)
   */
  static CompletableFuture<Optional<Path>> archive(Path cache, String java, Path jar,
      List<String> jvmOptions, String jarFile, String mainClass) {
    Optional<String> unsafe = unsafeCache(cache);
    if (unsafe.isPresent()) {
      LOG.warn("No class-data archive: the cache is not this user's alone cache={} problem={}",
          cache, unsafe.get());
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String sha256;
    try {
      sha256 = Digests.sha256(jar);
    } catch (IOException e) {
      LOG.warn("No class-data archive: cannot read the jar jar={} problem={}", jar, e.toString());
      return CompletableFuture.completedFuture(Optional.empty());
    }
    Path archive = cache.resolve(key(sha256, thisJvm(), jvmOptions, jarFile, mainClass))
        .toAbsolutePath();
    if (looksUsable(archive, System.getProperty("java.vm.version"))) {
      try {
        // pruning keeps the newest by this time: the archives in use, not the last trained
        Files.setLastModifiedTime(archive, FileTime.fromMillis(System.currentTimeMillis()));
      } catch (IOException e) {
        LOG.debug("Cannot mark a class-data archive used archive={} problem={}", archive,
            e.toString());
      }
      return CompletableFuture.completedFuture(Optional.of(archive));
    }
    CompletableFuture<Optional<Path>> started = new CompletableFuture<>();
    CompletableFuture<Optional<Path>> running = TRAINING.putIfAbsent(archive, started);
    if (running != null) {
      return running;
    }
    started.whenComplete((r, e) -> TRAINING.remove(archive, started));
    try {
      train(archive, java, jar, jvmOptions, jarFile, mainClass, started);
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("No class-data archive: the training run cannot start archive={} problem={}",
          archive, e.toString());
      started.complete(Optional.empty());
    }
    return started;
  }

  /**
   * Why a cache directory cannot be trusted with archives that executors map into memory, after
   * creating it (and missing parents) with mode 0700 if it does not exist: it must be a directory
   * of this user that no group or other user may write to, or another user could plant an archive.
   *
   * @param cache the cache directory
   * @return empty when it is safe (or the file system has no POSIX permissions), else the problem
   */
  static Optional<String> unsafeCache(Path cache) {
    if (!cache.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return Optional.empty();
    }
    try {
      if (!Files.isDirectory(cache)) {
        Files.createDirectories(cache, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------")));
      }
      PosixFileAttributes attributes = Files.getFileAttributeView(cache,
          PosixFileAttributeView.class).readAttributes();
      Path probe = Files.createTempFile(cache, "owner-", ".tmp");
      UserPrincipal me;
      try {
        me = Files.getOwner(probe);
      } finally {
        Files.deleteIfExists(probe);
      }
      if (!attributes.owner().equals(me)) {
        return Optional.of("owned by " + attributes.owner().getName() + ", not "
            + me.getName());
      }
      if (attributes.permissions().contains(PosixFilePermission.GROUP_WRITE)
          || attributes.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
        return Optional.of("writable by others: "
            + PosixFilePermissions.toString(attributes.permissions()));
      }
      return Optional.empty();
    } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
      return Optional.of(e.toString());
    }
  }

  private static void train(Path archive, String java, Path jar, List<String> jvmOptions,
      String jarFile, String mainClass, CompletableFuture<Optional<Path>> result)
      throws IOException {
    Files.createDirectories(archive.getParent());
    Path dir = Files.createTempDirectory(archive.getParent(), "training-");
    Path copy = dir.resolve(jarFile);
    Files.copy(jar, copy);
    Files.setLastModifiedTime(copy, FileTime.from(JAR_TIME_SECONDS, TimeUnit.SECONDS));
    Path temp = archive.resolveSibling(archive.getFileName() + "." + UUID.randomUUID() + ".tmp");
    ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c",
        trainingScript(java, jvmOptions, jarFile, mainClass, temp, archive))
        .directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("script.log").toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("MESOS_") || k.startsWith("MESOSKIT_"));
    env.put("MESOS_FRAMEWORK_ID", TrainingAgent.ID);
    env.put("MESOS_EXECUTOR_ID", TrainingAgent.ID);
    TrainingAgent agent = TrainingAgent.start();
    env.put("MESOS_AGENT_ENDPOINT", agent.endpoint());
    env.put("MESOS_SANDBOX", dir.toString());
    env.put("MESOS_DIRECTORY", dir.toString());
    env.put("MESOS_CHECKPOINT", "0");
    long started = System.nanoTime();
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      agent.close();
      throw e;
    }
    LOG.info("Training a class-data archive archive={} jar={} pid={}", archive, jar,
        process.pid());
    process.onExit().orTimeout(TRAINING_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .whenComplete((p, timeout) -> {
          agent.close();
          if (timeout != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
          }
          Optional<Path> made = Optional.empty();
          try {
            if (timeout == null && looksUsable(archive, System.getProperty("java.vm.version"))) {
              made = Optional.of(archive);
              LOG.info("Class-data archive ready archive={} bytes={} training_ms={}", archive,
                  Files.size(archive), (System.nanoTime() - started) / 1_000_000);
              prune(archive.getParent(), KEPT_ARCHIVES);
            } else {
              LOG.warn("No class-data archive: the training run failed archive={} timed_out={}"
                  + " training={} check={}", archive, timeout != null,
                  tail(dir.resolve("training.log")), tail(dir.resolve("check.log")));
            }
          } catch (IOException | RuntimeException e) {
            LOG.warn("No class-data archive archive={} problem={}", archive, e.toString());
          } finally {
            deleteQuietly(temp);
            deleteTreeQuietly(dir);
            result.complete(made);
          }
        });
  }

  /**
   * What a training run executes with {@code /bin/sh -c} in its directory: the executor with
   * {@code -XX:ArchiveClassesAtExit} to a temporary name, then, unless that JVM died of a signal,
   * a JVM that must map the archive with {@code -Xshare:on}, and only if it can, the rename to the
   * final name. One script, so that the archive is checked and published even when the program
   * that started the training has exited in the meantime.
   *
   * @param java the {@code java} command
   * @param jvmOptions the executor's JVM options
   * @param jarFile the jar's name in the directory
   * @param mainClass the executor's main class
   * @param temp where the JVM writes the archive
   * @param archive the archive's final name
   * @return the script
   */
  static String trainingScript(String java, List<String> jvmOptions, String jarFile,
      String mainClass, Path temp, Path archive) {
    StringBuilder options = new StringBuilder();
    for (String option : jvmOptions) {
      options.append(' ').append(quote(option));
    }
    String tmp = quote(temp.toString());
    return quote(java) + options + " " + quote("-XX:ArchiveClassesAtExit=" + temp) + " -cp "
        + quote(jarFile) + " " + quote(mainClass) + " > training.log 2>&1; code=$?; if [ $code"
        + " -lt 128 ] && " + quote(java) + " -Xshare:on " + quote("-XX:SharedArchiveFile="
        + temp) + " -cp " + quote(jarFile) + " -version > check.log 2>&1; then mv -f " + tmp
        + " " + quote(archive.toString()) + "; else echo training exit code $code >> check.log;"
        + " rm -f " + tmp + "; fi";
  }

  /**
   * The shell line an agent runs: the executor with the archive when the sandbox's copy of it is
   * whole, the JVM is the one that made it and the jar's time could be reset, else without.
   *
   * @param java the {@code java} command
   * @param jvmOptions the JVM options
   * @param jarFile the jar's name in the sandbox
   * @param mainClass the main class
   * @param archiveFile the archive's name in the sandbox
   * @param archiveBytes the archive's size
   * @param javaHome the JDK's home on the agents, whose {@code release} file is checked
   * @param runtimeVersion {@code java.runtime.version} of the JVM that made the archive
   * @return a line for {@code /bin/sh -c}
   */
  static String launcher(String java, List<String> jvmOptions, String jarFile, String mainClass,
      String archiveFile, long archiveBytes, String javaHome, String runtimeVersion) {
    StringBuilder options = new StringBuilder();
    for (String option : jvmOptions) {
      options.append(' ').append(quote(option));
    }
    String tail = " -cp " + quote(jarFile) + " " + quote(mainClass);
    String plain = "exec " + quote(java) + options + tail;
    return "if [ \"$(wc -c 2>/dev/null < " + quote(archiveFile) + ")\" -eq " + archiveBytes
        + " ] 2>/dev/null && grep -qxF " + quote("JAVA_RUNTIME_VERSION=\"" + runtimeVersion + "\"")
        + " " + quote(Path.of(javaHome, "release").toString()) + " 2>/dev/null && touch -d @"
        + JAR_TIME_SECONDS + " " + quote(jarFile) + " 2>/dev/null; then exec " + quote(java)
        + options + " " + quote("-XX:SharedArchiveFile=" + archiveFile) + " -Xshare:auto" + tail
        + "; else " + plain + "; fi";
  }

  /** An archive as published: where agents fetch it and its exact size. */
  record Published(URI uri, long bytes) {}

  /**
   * Publishes an archive as it is now. Another process may rename a newer archive over it or
   * prune it at any time, so a hard link to it (a copy where links fail), in a directory of its
   * own under the same name, is measured and published: the published bytes always have the size
   * the launcher is given.
   *
   * @param publisher where agents fetch it from
   * @param archive an archive in the cache
   * @return the published archive, or empty when it is gone (then executors run without one)
   */
  static Optional<Published> publish(ArtifactPublisher publisher, Path archive) {
    Path dir;
    try {
      dir = Files.createTempDirectory(archive.getParent(), "publish-");
    } catch (IOException e) {
      LOG.warn("No class-data archive: cannot publish archive={} problem={}", archive,
          e.toString());
      return Optional.empty();
    }
    try {
      Path snapshot = dir.resolve(archive.getFileName());
      try {
        Files.createLink(snapshot, archive);
      } catch (NoSuchFileException e) {
        throw e;
      } catch (IOException | UnsupportedOperationException e) {
        Files.deleteIfExists(snapshot);
        Files.copy(archive, snapshot);
      }
      long bytes = Files.size(snapshot);
      return Optional.of(new Published(publisher.publish(snapshot), bytes));
    } catch (IOException e) {
      LOG.warn("No class-data archive: it went away before it was published archive={}"
          + " problem={}", archive, e.toString());
      return Optional.empty();
    } finally {
      deleteTreeQuietly(dir);
    }
  }

  /**
   * Whether this JVM's {@code release} file names its runtime version as the launcher checks it.
   *
   * @return false when the file is missing or says something else: then no archive is used
   */
  static boolean releaseNamesThisJvm() {
    Path release = Path.of(System.getProperty("java.home"), "release");
    String line = "JAVA_RUNTIME_VERSION=\"" + System.getProperty("java.runtime.version") + "\"";
    try (Stream<String> lines = Files.lines(release, StandardCharsets.ISO_8859_1)) {
      return lines.anyMatch(line::equals);
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** A word for {@code /bin/sh}: single-quoted unless it is plain. */
  static String quote(String word) {
    if (word.matches("[A-Za-z0-9_./:=@+,%-]+")) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /**
   * Deletes all but the newest {@code keep} archives of a cache, and temporary files and training
   * directories that an interrupted run left more than an hour ago.
   *
   * @param cache the cache directory
   * @param keep how many archives to keep
   */
  static void prune(Path cache, int keep) {
    List<Path> archives = new ArrayList<>();
    long hourAgo = System.currentTimeMillis() - 3_600_000L;
    try (Stream<Path> all = Files.list(cache)) {
      for (Path p : all.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".jsa") && Files.isRegularFile(p)) {
          archives.add(p);
        } else if ((name.endsWith(".tmp") || name.startsWith("training-")
            || name.startsWith("publish-"))
            && Files.getLastModifiedTime(p).toMillis() < hourAgo) {
          deleteTreeQuietly(p);
        }
      }
      archives.sort(Comparator.comparing((Path p) -> {
        try {
          return Files.getLastModifiedTime(p);
        } catch (IOException e) {
          return FileTime.fromMillis(0);
        }
      }).reversed());
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Cannot prune the class-data cache cache={} problem={}", cache, e.toString());
      return;
    }
    archives.stream().skip(keep).forEach(ClassDataArchives::deleteQuietly);
  }

  private static String tail(Path log) {
    try {
      String text = Files.readString(log, StandardCharsets.ISO_8859_1).strip();
      return text.substring(Math.max(0, text.length() - 400)).replace('\n', ' ');
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.debug("Cannot delete file={} problem={}", file, e.toString());
    }
  }

  private static void deleteTreeQuietly(Path dir) {
    try (Stream<Path> all = Files.walk(dir)) {
      all.sorted(Comparator.reverseOrder()).forEach(ClassDataArchives::deleteQuietly);
    } catch (IOException | UncheckedIOException e) {
      LOG.debug("Cannot delete dir={} problem={}", dir, e.toString());
    }
  }
}
