package dev.mesoskit.core.executor;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.http.HttpExecutorBackend;
import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorBackendProvider;
import dev.mesoskit.core.spi.Providers;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of an executor process: connects to the agent that started it and runs a
 * {@link TaskHandler} for every task until the agent shuts the executor down.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   System.exit(ExecutorMain.run(args, context -> {
 *     context.progress("inverting " + context.dataAsString());
 *     invert(context.dataAsString(), context.sandbox());
 *   }));
 * }
 * }</pre>
 *
 * <p>Transport: the v1 executor HTTP API to {@code MESOS_AGENT_ENDPOINT} by default, pure Java.
 * The libmesos executor driver ({@code MESOS_NATIVE_JAVA_LIBRARY}) when asked for, first match
 * wins: the argument {@code --driver=native} (or {@code --driver native}), the system property
 * {@value #DRIVER_PROPERTY}{@code =native}, the environment variable
 * {@value #DRIVER_ENV}{@code =native}. {@code http} in any of them chooses the HTTP API; other
 * arguments are left to the caller.
 *
 * <p>Progress messages go out at most once per {@link ExecutorRuntime.Builder#progressInterval}
 * (1 s) per task; the system property {@value #PROGRESS_INTERVAL_PROPERTY} (e.g. {@code -D...=PT0S}
 * among the executor's JVM options) changes it.
 *
 * <p>{@link #run(String[], TaskHandler)} sets the system property {@code jdk.httpclient.bufsize}
 * (the JDK HTTP client's buffer) to 256 KiB unless the JVM was given one: with the 16 KiB
 * default, large artifacts move in small pieces at a high CPU cost. The client reads it once, so
 * it has no effect when the process built an {@code HttpClient} before; a value in the JDK's
 * {@code conf/net.properties} counts as none (give it as {@code -D} to keep it); a JDK that caps
 * the property ignores the larger value. {@link TaskContext#download} and
 * {@link TaskContext#upload} speak HTTP/1.1, so the larger buffers never meet HTTP/2 framing.
 *
 * <p>Start-up: an executor's HTTP clients do not start TLS unless they need it. An agent whose
 * endpoint is {@code http://} (the usual case, and the local cluster's) is spoken to over plain
 * blocking sockets, without the JDK's {@code java.net.http} client (see
 * {@link dev.mesoskit.core.http.HttpExecutorBackend}); {@link TaskContext#download} and
 * {@link TaskContext#upload} of {@code http://} URIs use a client with a context without TLS
 * ({@link dev.mesoskit.core.spi.PlainHttp}); an {@code https://} endpoint or URI, or a redirect
 * from {@code http://}, gets the JDK's TLS on first use. The JDK's default TLS
 * context loads the security providers and parses every trusted certificate, about a fifth of
 * the CPU a fresh executor JVM spent before it ran its first task (see {@code ExecutorColdStart}
 * in the benchmarks).
 *
 * <p>Environment (see {@link ExecutorEnvironment}): the ids, endpoint, sandbox, checkpointing,
 * recovery timeout, backoff and token the agent set; {@code MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD}
 * bounds a SHUTDOWN.
 *
 * <p>Exit codes, returned rather than passed to {@code System.exit} so the caller decides:
 * {@link #EXIT_SHUTDOWN} (0) after the agent's SHUTDOWN, every task killed and reported;
 * {@link #EXIT_CONFIGURATION} (2) when the environment or the arguments are wrong or the
 * transport cannot start (libmesos missing), before any task ran; {@link #EXIT_AGENT_LOST} (3)
 * when the agent went away for good (a broken connection without checkpointing, or no
 * resubscription within {@code MESOS_RECOVERY_TIMEOUT}), refused the executor, or reported an
 * error. Every failure is logged once, at ERROR, with what to fix.
 *
 * <p>Threading: {@link #run} blocks the calling thread (usually {@code main}); tasks run on
 * threads of their own, see {@link ExecutorRuntime}.
 */
public final class ExecutorMain {
  /** The agent shut the executor down and every task was reported. */
  public static final int EXIT_SHUTDOWN = 0;
  /** The environment, the arguments or the transport are wrong; nothing ran. */
  public static final int EXIT_CONFIGURATION = 2;
  /** The agent went away for good, refused the executor, or reported an error. */
  public static final int EXIT_AGENT_LOST = 3;

  /** The system property that chooses the transport: {@code http} or {@code native}. */
  public static final String DRIVER_PROPERTY = "mesoskit.executor.driver";
  /** The environment variable that chooses the transport: {@code http} or {@code native}. */
  public static final String DRIVER_ENV = "MESOSKIT_EXECUTOR_DRIVER";
  /**
   * The system property that sets the progress interval, an ISO-8601 duration such as
   * {@code PT5S} ({@code PT0S} sends every progress message); default
   * {@link ExecutorRuntime#DEFAULT_PROGRESS_INTERVAL}.
   */
  public static final String PROGRESS_INTERVAL_PROPERTY = "mesoskit.executor.progress-interval";

  /** The JDK HTTP client's buffer size property, see {@link #run(String[], TaskHandler)}. */
  static final String HTTP_BUFFER_PROPERTY = "jdk.httpclient.bufsize";
  static final int HTTP_BUFFER_BYTES = 256 * 1024;

  private static final Logger log = LoggerFactory.getLogger(ExecutorMain.class);

  /** The two ways to talk to an agent. */
  public enum Driver {
    /** The v1 executor HTTP API, in pure Java. */
    HTTP,
    /** libmesos' {@code MesosExecutorDriver} through JNI. */
    NATIVE
  }

  private ExecutorMain() {}

  /**
   * Runs the executor with the transport the system property or the environment chooses.
   *
   * @param handler the user's code for one task
   * @return the exit code: {@link #EXIT_SHUTDOWN}, {@link #EXIT_CONFIGURATION} or
   *     {@link #EXIT_AGENT_LOST}
   */
  public static int run(TaskHandler handler) {
    return run(new String[0], handler);
  }

  /**
   * Runs the executor with the transport the arguments, the system property or the environment
   * choose.
   *
   * @param args the process arguments; only {@code --driver} is read
   * @param handler the user's code for one task
   * @return the exit code: {@link #EXIT_SHUTDOWN}, {@link #EXIT_CONFIGURATION} or
   *     {@link #EXIT_AGENT_LOST}
   */
  public static int run(String[] args, TaskHandler handler) {
    defaultHttpBufferSize(System.getProperties());
    return run(args, System::getenv, System::getProperty, handler, ExecutorMain::backend);
  }

  /**
   * Sets the JDK HTTP client's read and write buffer, {@value #HTTP_BUFFER_PROPERTY}, to
   * {@value #HTTP_BUFFER_BYTES} bytes unless the JVM was given one. The client reads the property
   * once, when its first instance is built, and by default moves bodies 16 KiB at a time, each
   * piece handed between its threads: in one before-and-after pair of runs of the image-invert
   * benchmark (200 photo-like images, 2.6 GB downloaded and 2.4 GB uploaded) the executors took
   * 181 s of CPU with the default and 169 s with 256 KiB.
   */
  static void defaultHttpBufferSize(Properties properties) {
    properties.putIfAbsent(HTTP_BUFFER_PROPERTY, Integer.toString(HTTP_BUFFER_BYTES));
  }

  /** What {@link #run(String[], TaskHandler)} does, with its inputs injected. */
  static int run(String[] args, UnaryOperator<String> env, UnaryOperator<String> properties,
      TaskHandler handler, BackendFactory backends) {
    Objects.requireNonNull(handler, "handler must not be null");
    Driver driver;
    ExecutorEnvironment environment;
    ExecutorBackend backend;
    Duration progressInterval;
    try {
      driver = driver(args, env, properties);
      progressInterval = progressInterval(properties);
      environment = ExecutorEnvironment.from(env);
      backend = backends.create(driver, environment);
    } catch (IllegalArgumentException e) {
      log.error("executor cannot start, configuration is wrong problem={}", e.getMessage());
      return EXIT_CONFIGURATION;
    }
    log.info("executor starting driver={} environment={}", driver, environment);
    ExecutorRuntime runtime = ExecutorRuntime.builder()
        .backend(backend)
        .sandbox(environment.sandbox())
        .shutdownGracePeriod(environment.shutdownGracePeriod())
        .progressInterval(progressInterval)
        .build();
    try {
      return runtime.run(handler);
    } catch (MesosKitException e) {
      log.error("executor cannot start driver={} problem={}", driver, e.getMessage());
      return EXIT_CONFIGURATION;
    }
  }

  /**
   * The progress interval the system property {@value #PROGRESS_INTERVAL_PROPERTY} sets.
   *
   * @param properties reads a system property, null when unset
   * @return the interval, the default when unset
   * @throws IllegalArgumentException naming the property when it is not a duration from 0 to a
   *     day
   */
  static Duration progressInterval(UnaryOperator<String> properties) {
    String value = properties.apply(PROGRESS_INTERVAL_PROPERTY);
    if (value == null) {
      return ExecutorRuntime.DEFAULT_PROGRESS_INTERVAL;
    }
    Duration interval;
    try {
      interval = Duration.parse(value.trim());
    } catch (DateTimeParseException e) {
      interval = null;
    }
    if (interval == null || interval.isNegative() || interval.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException("system property " + PROGRESS_INTERVAL_PROPERTY
          + " must be a duration from PT0S to P1D, e.g. PT5S, but was '" + value + "'");
    }
    return interval;
  }

  /** Creates the backend of a transport; the seam tests use. */
  @FunctionalInterface
  interface BackendFactory {
    ExecutorBackend create(Driver driver, ExecutorEnvironment environment);
  }

  /**
   * The backend of a transport, configured from the agent's environment.
   *
   * @param driver the transport
   * @param environment what the agent set
   * @return the backend, not yet subscribed
   * @throws IllegalArgumentException when the environment lacks what the transport needs
   */
  static ExecutorBackend backend(Driver driver, ExecutorEnvironment environment) {
    if (driver == Driver.NATIVE) {
      return Providers.load(ExecutorBackendProvider.class).stream()
          .filter(p -> p.driver().equals("native"))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("--driver=native needs the libmesos"
              + " adapter of sdk-native (dev.mesoskit:sdk-native) on the class path; add it"))
          .create(System::getenv);
    }
    HttpExecutorBackend.Builder b = HttpExecutorBackend.builder()
        .agentEndpoint(environment.requireAgentEndpoint())
        .frameworkId(environment.frameworkId())
        .executorId(environment.executorId())
        .checkpoint(environment.checkpoint())
        .authenticationToken(environment.authenticationToken().orElse(null));
    environment.recoveryTimeout().ifPresent(b::recoveryTimeout);
    environment.subscriptionBackoffMax().ifPresent(b::subscriptionBackoffMax);
    return b.build();
  }

  /**
   * Chooses the transport: {@code --driver}, then the system property, then the environment
   * variable, else HTTP.
   *
   * @param args the process arguments
   * @param env reads an environment variable, null when unset
   * @param properties reads a system property, null when unset
   * @return the transport
   * @throws IllegalArgumentException naming the setting that is neither {@code http} nor
   *     {@code native}
   */
  static Driver driver(String[] args, UnaryOperator<String> env, UnaryOperator<String> properties) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].startsWith("--driver=")) {
        return parse("--driver", args[i].substring("--driver=".length()));
      }
      if (args[i].equals("--driver")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--driver needs a value: http or native");
        }
        return parse("--driver", args[i + 1]);
      }
    }
    String property = properties.apply(DRIVER_PROPERTY);
    if (property != null && !property.isBlank()) {
      return parse("system property " + DRIVER_PROPERTY, property);
    }
    String variable = env.apply(DRIVER_ENV);
    if (variable != null && !variable.isBlank()) {
      return parse("environment variable " + DRIVER_ENV, variable);
    }
    return Driver.HTTP;
  }

  private static Driver parse(String source, String value) {
    try {
      return Driver.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + " must be 'http' or 'native' but was '" + value + "'", e);
    }
  }
}
