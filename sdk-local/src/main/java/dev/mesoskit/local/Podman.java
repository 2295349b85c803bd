package dev.mesoskit.local;

import dev.mesoskit.core.MesosKitException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The podman command line as a {@link LocalCluster} uses it to run container images: detected
 * once per cluster, with a {@code containers.conf} of the cluster's own (runc, no default
 * ulimits: crun and default ulimits fail in many unprivileged or nested environments) passed as
 * {@code CONTAINERS_CONF} to every podman command. Containers are named
 * {@code mesoskit-<jvm pid>-<cluster token>-<agent>-<task>-<container>}: a JVM that died leaves
 * containers the next cluster started on this machine removes.
 *
 * <p>Under {@link ContainerRuntime#AUTO} podman is probed when {@link #unusable()} is first asked,
 * that is when the first task with an image starts, not when the cluster starts: a cluster that
 * never runs an image never runs podman.
 *
 * <p>Threading: thread-safe; its blocking commands (and the first {@link #unusable()} of
 * {@link ContainerRuntime#AUTO}) run on the caller's thread, never with an agent's lock held.
 */
final class Podman {
  private static final Logger LOG = LoggerFactory.getLogger(Podman.class);
  /** Every container name starts with this. */
  static final String NAME_PREFIX = "mesoskit-";
  /** The containers.conf every podman command of a cluster gets. */
  static final String CONTAINERS_CONF = """
      [containers]
      default_ulimits = []

      [engine]
      runtime = "runc"
      """;
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
  /** The probe's answer, once per JVM: why podman is unusable, "" when it is usable. */
  private static String probed;

  private final String executable;
  private final Path conf;
  /** Why podman cannot be used; empty when it can; null until probed (AUTO, lazily). */
  private volatile Optional<String> unusable;
  private final String clusterPrefix;

  private Podman(String executable, Path conf, Optional<String> unusable) {
    this.executable = executable;
    this.conf = conf;
    this.unusable = unusable;
    this.clusterPrefix = NAME_PREFIX + ProcessHandle.current().pid() + "-"
        + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  /**
   * No runtime at all.
   *
   * @param why why, as the refusal of an image task says it
   * @return a podman that is never used
   */
  static Podman none(String why) {
    return new Podman("podman", null, Optional.of(why));
  }

  /**
   * Finds out whether podman works here ({@code podman --version}, then {@code podman info} with
   * the cluster's containers.conf), and removes the containers of dead JVMs: at once for
   * {@link ContainerRuntime#PODMAN}, on the first {@link #unusable()} for
   * {@link ContainerRuntime#AUTO}.
   *
   * @param runtime what the cluster was asked to use
   * @param workDir the cluster's work directory, where containers.conf goes
   * @return podman, usable or not
   * @throws MesosKitException when {@link ContainerRuntime#PODMAN} was asked for and podman does
   *     not work
   */
  static Podman detect(ContainerRuntime runtime, Path workDir) {
    if (runtime == ContainerRuntime.NONE) {
      return none("disabled by containerRuntime NONE");
    }
    Path conf = workDir.resolve("containers.conf");
    try {
      Files.writeString(conf, CONTAINERS_CONF, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + conf, e);
    }
    Podman podman = new Podman("podman", conf, null);
    if (runtime == ContainerRuntime.PODMAN) {
      String why = podman.unusable().orElse(null);
      if (why != null) {
        throw new MesosKitException("containerRuntime PODMAN but podman is not usable: " + why);
      }
    }
    return podman;
  }

  /** @return whether podman was probed for this cluster already (AUTO probes lazily) */
  boolean probed() {
    return unusable != null;
  }

  /**
   * Probes podman the first time a JVM asks, and then removes the containers that stopped JVMs
   * left; later clusters get the same answer. A probe whose thread was interrupted (a start
   * thread of a closing agent) is not kept: its "interrupted" would refuse every later image.
   */
  private static synchronized String probeOnce(Podman podman) {
    if (probed == null) {
      String why = podman.whyUnusable();
      if (Thread.currentThread().isInterrupted()) {
        return why; // cut short (an agent closing): says nothing of podman, so not kept
      }
      probed = why == null ? "" : why;
      if (why == null) {
        podman.removeLeftovers();
      }
    }
    return probed.isEmpty() ? null : probed;
  }

  private String whyUnusable() {
    Result version = run(List.of("--version"), PROBE_TIMEOUT);
    if (version.exitCode() < 0 && version.output().contains("error=2,")) {
      return "podman is not installed: not found on PATH";
    }
    if (version.exitCode() != 0) {
      return "podman --version " + version.describe();
    }
    Result info = run(List.of("info", "--format", "{{.Host.OCIRuntime.Name}}"), PROBE_TIMEOUT);
    if (info.exitCode() != 0) {
      return "podman info " + info.describe();
    }
    return null;
  }

  /**
   * Why podman cannot run images here; the first call of a cluster under
   * {@link ContainerRuntime#AUTO} probes podman (blocking, up to seconds).
   *
   * @return why podman cannot run images here; empty when it can
   */
  Optional<String> unusable() {
    Optional<String> known = unusable;
    if (known != null) {
      return known;
    }
    synchronized (this) {
      if (unusable == null) {
        String why = probeOnce(new Podman(executable, conf, Optional.empty()));
        if (Thread.currentThread().isInterrupted()) {
          return Optional.ofNullable(why); // not kept: the next call probes again
        }
        if (why == null) {
          LOG.info("Running container images with podman conf={}", conf);
        } else {
          LOG.info("Not running container images: podman is not usable ({})", why);
        }
        unusable = Optional.ofNullable(why);
      }
      return unusable;
    }
  }

  /** @return the cluster's containers.conf */
  Path conf() {
    return conf;
  }

  /**
   * A process builder for {@code podman args...} with the cluster's containers.conf.
   *
   * @param args podman's arguments
   * @return the builder, its environment the JVM's plus CONTAINERS_CONF
   */
  ProcessBuilder builder(List<String> args) {
    List<String> argv = new ArrayList<>(args.size() + 1);
    argv.add(executable);
    argv.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(argv);
    if (conf != null) {
      builder.environment().put("CONTAINERS_CONF", conf.toString());
    }
    return builder;
  }

  /**
   * The name of a task's container: this cluster's prefix, then the agent, task and container
   * ids, with characters podman refuses replaced by {@code _}.
   */
  String containerName(String agentId, String taskId, String containerId) {
    String name = clusterPrefix + agentId + "-" + taskId + "-" + containerId.substring(0,
        Math.min(8, containerId.length()));
    return name.replaceAll("[^a-zA-Z0-9_.-]", "_");
  }

  /** @return the start of the names of every container of this cluster's agent */
  String agentPrefix(String agentId) {
    return (clusterPrefix + agentId + "-").replaceAll("[^a-zA-Z0-9_.-]", "_");
  }

  /** Sends a signal to a container's processes ({@code podman kill}); false if it failed. */
  boolean signal(String name, String signal) {
    Result result = run(List.of("kill", "--signal", signal, name), PROBE_TIMEOUT);
    if (result.exitCode() != 0) {
      LOG.debug("podman kill --signal {} {} {}", signal, name, result.describe());
    }
    return result.exitCode() == 0;
  }

  /** Removes containers at once, running or not ({@code podman rm -f -t 0}). */
  void remove(List<String> names) {
    if (names.isEmpty() || unusable().isPresent()) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("rm", "-f", "-i", "-t", "0"));
    args.addAll(names);
    Result result = run(args, PROBE_TIMEOUT);
    if (result.exitCode() != 0) {
      LOG.warn("Cannot remove containers names={} {}", names, result.describe());
    }
  }

  /** Removes this cluster's containers whose names start with {@code prefix}. */
  void removeStartingWith(String prefix) {
    remove(names().stream().filter(n -> n.startsWith(prefix)).toList());
  }

  /** Removes the containers that JVMs no longer running left behind. */
  private void removeLeftovers() {
    List<String> dead = new ArrayList<>();
    for (String name : names()) {
      String rest = name.substring(NAME_PREFIX.length());
      int dash = rest.indexOf('-');
      if (dash <= 0) {
        continue;
      }
      try {
        long pid = Long.parseLong(rest.substring(0, dash));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
      } catch (NumberFormatException e) {
        continue;
      }
      dead.add(name);
    }
    if (!dead.isEmpty()) {
      LOG.warn("Removing containers left by stopped LocalClusters names={}", dead);
      remove(dead);
    }
  }

  /** @return the names of every container whose name starts with {@link #NAME_PREFIX} */
  private List<String> names() {
    Result result = run(List.of("ps", "-a", "--format", "{{.Names}}", "--filter",
        "name=^" + NAME_PREFIX), PROBE_TIMEOUT);
    if (result.exitCode() != 0) {
      return List.of();
    }
    return result.output().lines().map(String::strip).filter(n -> n.startsWith(NAME_PREFIX))
        .toList();
  }

  /** The outcome of one podman command: its exit code (-1 when it did not run) and output. */
  record Result(int exitCode, String output) {
    String describe() {
      String out = output.strip();
      return (exitCode < 0 ? "failed" : "exited with status " + exitCode)
          + (out.isEmpty() ? "" : ": " + out.lines().reduce((a, b) -> b).orElse(out));
    }
  }

  /** Runs {@code podman args} and waits at most {@code timeout}; stdout and stderr together. */
  Result run(List<String> args, Duration timeout) {
    Path output = null;
    try {
      output = Files.createTempFile("mesoskit-podman-", ".out");
      Process process = builder(args).redirectErrorStream(true)
          .redirectOutput(output.toFile()).start();
      if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out after " + DurationFormat.stringify(timeout));
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      if (output != null) {
        try {
          Files.deleteIfExists(output);
        } catch (IOException e) {
          // a temporary file
        }
      }
    }
  }
}
