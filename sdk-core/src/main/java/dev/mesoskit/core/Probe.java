package dev.mesoskit.core;

import java.util.Objects;

/**
 * What a {@link HealthCheck} or {@link ReadinessCheck} does once: an HTTP GET that must answer
 * 200 to 399, a TCP connection that must open, or a command that must exit 0. These are Mesos'
 * three check types ({@code HealthCheck.Type} and {@code CheckInfo.Type}); the executor that runs
 * the task runs the probe, next to the task (in its container, on its network).
 *
 * <pre>{@code
 * Probe.http("/healthz")             // GET http://<task host>:<the task's first port>/healthz
 * Probe.http(CheckPort.fixed(8080), "/")
 * Probe.tcp()                        // connect to the task's first port
 * Probe.command("test -f ready")    // run in the task's sandbox, exit 0 passes
 * }</pre>
 */
public sealed interface Probe permits Probe.Http, Probe.Tcp, Probe.Command {

  /** The kind of a probe, named as Mesos names the check types. */
  enum Kind {
    /** An HTTP GET. */
    HTTP,
    /** A TCP connection. */
    TCP,
    /** A command. */
    COMMAND
  }

  /**
   * The kind of this probe.
   *
   * @return its kind
   */
  Kind kind();

  /**
   * An HTTP GET of {@code path} on the task's first port.
   *
   * @param path the path, starting with {@code /}
   * @return the probe
   */
  static Probe http(String path) {
    return new Http(CheckPort.assigned(0), path, false);
  }

  /**
   * An HTTP GET of {@code path} on a port.
   *
   * @param port which port
   * @param path the path, starting with {@code /}
   * @return the probe
   */
  static Probe http(CheckPort port, String path) {
    return new Http(port, path, false);
  }

  /**
   * A TCP connection to the task's first port.
   *
   * @return the probe
   */
  static Probe tcp() {
    return new Tcp(CheckPort.assigned(0));
  }

  /**
   * A TCP connection to a port.
   *
   * @param port which port
   * @return the probe
   */
  static Probe tcp(CheckPort port) {
    return new Tcp(port);
  }

  /**
   * A shell command, run in the task's sandbox with the task's environment.
   *
   * @param shellLine the shell line; exit status 0 passes
   * @return the probe
   */
  static Probe command(String shellLine) {
    return new Command(CommandSpec.shell(shellLine));
  }

  /**
   * An HTTP GET; the answer passes when its status is 200 to 399 (as Mesos counts it).
   *
   * @param port the port to ask
   * @param path the path, starting with {@code /}
   * @param https true for {@code https} (the certificate is not checked, as in Mesos)
   */
  record Http(CheckPort port, String path, boolean https) implements Probe {
    /**
     * Validates the fields.
     *
     * @param port the port to ask
     * @param path the path, starting with {@code /}
     * @param https true for {@code https}
     * @throws IllegalArgumentException if the path does not start with {@code /}
     */
    public Http {
      Objects.requireNonNull(port, "port must not be null");
      Objects.requireNonNull(path, "path must not be null");
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("an HTTP check's path must start with '/' but was '"
            + path + "'");
      }
    }

    @Override
    public Kind kind() {
      return Kind.HTTP;
    }
  }

  /**
   * A TCP connection; passes when it opens.
   *
   * @param port the port to connect to
   */
  record Tcp(CheckPort port) implements Probe {
    /**
     * Validates the field.
     *
     * @param port the port to connect to
     */
    public Tcp {
      Objects.requireNonNull(port, "port must not be null");
    }

    @Override
    public Kind kind() {
      return Kind.TCP;
    }
  }

  /**
   * A command; passes when it exits 0.
   *
   * @param command the command (its {@code uris} are not fetched for a check)
   */
  record Command(CommandSpec command) implements Probe {
    /**
     * Validates the field.
     *
     * @param command the command
     */
    public Command {
      Objects.requireNonNull(command, "command must not be null");
    }

    @Override
    public Kind kind() {
      return Kind.COMMAND;
    }
  }
}
