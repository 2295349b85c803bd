package dev.mesoskit.artifacts;

import dev.mesoskit.core.spi.ArtifactPublisher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The standalone artifact server, so that several frameworks can share one:
 *
 * <pre>
 * java -jar sdk-artifacts/target/sdk-artifacts-0.1.0-SNAPSHOT-server.jar \
 *     --dir /srv/artifacts --port 8080 --advertise artifacts.example.com
 * </pre>
 *
 * <p>It prints {@code MESOSKIT_ARTIFACTS_URL=<url>} on standard output once it listens, and
 * {@code MESOSKIT_ARTIFACTS_TOKEN=<token>} when it generated the token (no {@code --token-file},
 * no {@code MESOSKIT_ARTIFACTS_TOKEN} in its environment). It runs until it is terminated.
 */
@Command(
    name = "mesoskit-artifacts",
    mixinStandardHelpOptions = true,
    version = "mesoskit-artifacts 0.1.0",
    description = "Serves artifacts to Mesos agents and takes uploads from tasks.",
    sortOptions = false)
public final class ArtifactServerCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR",
      description = "Directory to serve and store uploads in; created when missing.")
  private Path dir;

  @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
      description = "Port to listen on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  private int port;

  @Option(names = "--bind", defaultValue = "0.0.0.0", paramLabel = "ADDRESS",
      description = "Address to listen on. Default: ${DEFAULT-VALUE} (every interface).")
  private String bind;

  @Option(names = "--advertise", paramLabel = "HOST",
      description = "Host name or address put in URIs: one agents on other hosts can reach."
          + " Default: the bind address, or this machine's host name when binding every"
          + " interface.")
  private String advertise;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "File holding the upload token; when missing, a new token is written to"
          + " it (mode 600). Default: $MESOSKIT_ARTIFACTS_TOKEN, or a new token printed once.")
  private Path tokenFile;

  @Option(names = "--max-upload-bytes", defaultValue = "1073741824", paramLabel = "BYTES",
      description = "Largest upload. Default: ${DEFAULT-VALUE} (1 GiB).")
  private long maxUploadBytes;

  private final Map<String, String> environment;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** Creates the command reading the process environment. */
  public ArtifactServerCommand() {
    this(System.getenv());
  }

  ArtifactServerCommand(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * Runs the server until the process is terminated.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(commandLine(new ArtifactServerCommand()).execute(args));
  }

  /** The command line, reporting a failure to start in one line instead of a stack trace. */
  static CommandLine commandLine(ArtifactServerCommand command) {
    return new CommandLine(command).setExecutionExceptionHandler((e, commandLine, parsed) -> {
      commandLine.getErr().println("mesoskit-artifacts: " + e.getMessage()
          + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
      commandLine.getErr().flush();
      return 1;
    });
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    String token = token();
    ArtifactServer.Builder builder = ArtifactServer.builder()
        .directory(dir)
        .bindAddress(bind)
        .port(port)
        .maxUploadBytes(maxUploadBytes);
    if (advertise != null) {
      builder.advertisedHost(advertise);
    }
    if (token != null) {
      builder.uploadToken(token);
    }
    ArtifactServer server;
    try {
      server = builder.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "artifact-server-shutdown"));
    out.println(ArtifactPublisher.ENV_URL + "=" + server.baseUri());
    if (token == null) {
      out.println(ArtifactPublisher.ENV_TOKEN + "=" + server.uploadToken());
    }
    out.flush();
    stopped.await();
    return 0;
  }

  /** The token from the file or the environment, or null to generate one and print it. */
  private String token() throws IOException {
    if (tokenFile == null) {
      return environment.get(ArtifactPublisher.ENV_TOKEN);
    }
    return tokenFromFile(tokenFile);
  }

  /**
   * Reads the token in a file, or writes a new one into it (mode 600) when it does not exist.
   *
   * @param tokenFile the file
   * @return the token
   */
  static String tokenFromFile(Path tokenFile) throws IOException {
    try {
      return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (NoSuchFileException e) {
      String token = ArtifactServer.newToken();
      try {
        Files.createFile(tokenFile, PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
      }
      Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
      return token;
    }
  }
}
