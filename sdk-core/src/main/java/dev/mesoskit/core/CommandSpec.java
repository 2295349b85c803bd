package dev.mesoskit.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A command the agent runs: a shell line or an argument vector, its environment, the files to
 * fetch first, and optionally the user to run as ({@code CommandInfo}).
 *
 * <pre>{@code
 * CommandSpec echo = CommandSpec.shell("echo hello");
 * CommandSpec java = CommandSpec.builder()
 *     .exec("java", "-jar", "app.jar")
 *     .uri(FetchUri.of(jarUri))
 *     .env("MODE", "batch")
 *     .build();
 * }</pre>
 *
 * @param shell true to run {@code value} with {@code /bin/sh -c}, false to run
 *     {@code arguments} directly
 * @param value the shell line, or the program when not a shell command
 * @param arguments the argument vector (including {@code argv[0]}) when not a shell command
 * @param env environment variables, in order
 * @param uris files to fetch into the sandbox first
 * @param user the OS user to run as, if not the framework's
 */
public record CommandSpec(
    boolean shell,
    String value,
    List<String> arguments,
    Map<String, String> env,
    List<FetchUri> uris,
    Optional<String> user) {

  /**
   * Validates and copies the fields.
   *
   * @param shell true to run {@code value} with {@code /bin/sh -c}, false to run
   *     {@code arguments} directly
   * @param value the shell line, or the program when not a shell command
   * @param arguments the argument vector (including {@code argv[0]}) when not a shell command
   * @param env environment variables, in order
   * @param uris files to fetch into the sandbox first
   * @param user the OS user to run as, if not the framework's
   * @throws IllegalArgumentException if a field breaks its rule; the message names the
   *     field, the rule and the value
   * @throws NullPointerException if a required field is null
   */
  public CommandSpec {
    Objects.requireNonNull(value, "command value must not be null");
    arguments = List.copyOf(arguments);
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    uris = List.copyOf(uris);
    Objects.requireNonNull(user, "user must not be null");
    if (value.isBlank()) {
      throw new IllegalArgumentException("command value must not be blank");
    }
    if (shell && !arguments.isEmpty()) {
      throw new IllegalArgumentException(
          "a shell command takes no arguments but had " + arguments);
    }
    for (Map.Entry<String, String> e : env.entrySet()) {
      checkEnvName(e.getKey());
      Objects.requireNonNull(e.getValue(), "env value must not be null for " + e.getKey());
    }
  }

  static void checkEnvName(String name) {
    if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "env name must match [A-Za-z_][A-Za-z0-9_]* but was '" + name + "'");
    }
  }

  /**
   * A shell command with nothing to fetch.
   *
   * @param line the shell line
   * @return the command
   */
  public static CommandSpec shell(String line) {
    return builder().shell(line).build();
  }

  /**
   * Starts a builder; one of {@link Builder#shell(String)} or {@link Builder#exec(String...)} must
   * be called.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a builder holding this command's values.
   *
   * @return a builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.shell = shell;
    b.value = value;
    b.arguments.addAll(arguments);
    b.env.putAll(env);
    b.uris.addAll(uris);
    b.user = user.orElse(null);
    return b;
  }

  /** Builds a {@link CommandSpec}; defaults: no environment, nothing to fetch, default user. */
  public static final class Builder {
    private boolean shell = true;
    private String value;
    private final List<String> arguments = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<FetchUri> uris = new ArrayList<>();
    private String user;

    private Builder() {}

    /**
     * Runs {@code line} with {@code /bin/sh -c}.
     *
     * @param line the shell line
     * @return this builder
     */
    public Builder shell(String line) {
      this.shell = true;
      this.value = line;
      this.arguments.clear();
      return this;
    }

    /**
     * Runs a program directly with these arguments; {@code argv[0]} is the program.
     *
     * @param argv the program and its arguments
     * @return this builder
     */
    public Builder exec(String... argv) {
      if (argv.length == 0) {
        throw new IllegalArgumentException("exec needs at least the program");
      }
      this.shell = false;
      this.value = argv[0];
      this.arguments.clear();
      this.arguments.addAll(List.of(argv));
      return this;
    }

    /**
     * Sets an environment variable.
     *
     * @param name the variable name
     * @param value its value
     * @return this builder
     */
    public Builder env(String name, String value) {
      checkEnvName(name);
      env.put(name, Objects.requireNonNull(value, "env value must not be null for " + name));
      return this;
    }

    /**
     * Adds a file to fetch.
     *
     * @param uri the file
     * @return this builder
     */
    public Builder uri(FetchUri uri) {
      uris.add(Objects.requireNonNull(uri, "uri must not be null"));
      return this;
    }

    /**
     * Runs as this OS user.
     *
     * @param user the user name
     * @return this builder
     */
    public Builder user(String user) {
      this.user = user;
      return this;
    }

    /**
     * Validates and builds the command.
     *
     * @return the command
     */
    public CommandSpec build() {
      if (value == null) {
        throw new IllegalArgumentException("command must be set with shell(...) or exec(...)");
      }
      return new CommandSpec(shell, value, arguments, env, uris, Optional.ofNullable(user));
    }
  }
}
