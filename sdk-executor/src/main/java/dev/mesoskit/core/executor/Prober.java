package dev.mesoskit.core.executor;

import dev.mesoskit.core.CheckResult;
import dev.mesoskit.core.CommandSpec;
import dev.mesoskit.core.Probe;
import dev.mesoskit.core.spi.LaunchedTask;
import java.io.IOException;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Runs one {@link Probe} of a task once, as Mesos' checkers do: an HTTP GET of
 * {@code http(s)://127.0.0.1:port/path} (the agent host's loopback, where the executor's tasks
 * listen) that passes on 200 to 399 and follows no redirect, a TCP connection to
 * {@code 127.0.0.1:port}, or a command run with {@code /bin/sh -c} (or directly, for an argument
 * vector) in the sandbox with the executor's environment plus the task's and the command's, which
 * passes on exit status 0. The command's output is discarded and its {@code user} is not switched
 * to (the executor already runs as the task's user).
 *
 * <p>Threading: {@link #run} blocks its caller for at most about the timeout; it is safe from
 * any thread, one call at a time or several.
 */
final class Prober {
  /** Redirects followed before the answer is judged as it is. */
  private static final int MAX_REDIRECTS = 10;

  private static final String HOST = "127.0.0.1";

  /**
   * What one probe found.
   *
   * @param passed whether it passed (as a health check counts it)
   * @param result the result as a check reports it: empty of its kind when the probe could not
   *     be performed (timed out, no HTTP answer), as Mesos reports such an error
   * @param description what happened, for messages and logs
   */
  record Outcome(boolean passed, CheckResult result, String description) {}

  private final Probe probe;
  private final Path sandbox;
  private final Map<String, String> taskEnv;
  /** The port, or -1 when it cannot be resolved ({@link #portProblem} says why). */
  private final int port;
  private final String portProblem;

  Prober(Probe probe, LaunchedTask task, Path sandbox, Map<String, String> taskEnv) {
    this.probe = probe;
    this.sandbox = sandbox;
    this.taskEnv = Map.copyOf(taskEnv);
    int p = -1;
    String problem = null;
    try {
      if (probe instanceof Probe.Http h) {
        p = h.port().resolve(taskPorts(task));
      } else if (probe instanceof Probe.Tcp t) {
        p = t.port().resolve(taskPorts(task));
      }
    } catch (IllegalArgumentException e) {
      problem = e.getMessage();
    }
    this.port = p;
    this.portProblem = problem;
  }

  private static List<Long> taskPorts(LaunchedTask task) {
    return task.resources().ranges("ports").values().stream().sorted().toList();
  }

  /** The kind of the probe. */
  Probe.Kind kind() {
    return probe.kind();
  }

  /** What the probe does, e.g. {@code HTTP GET http://127.0.0.1:8080/health}. */
  String describe() {
    if (probe instanceof Probe.Http h) {
      return "HTTP GET " + (port < 0 ? h.port() + " " + h.path() : url(h));
    } else if (probe instanceof Probe.Tcp t) {
      return "TCP connection to " + (port < 0 ? t.port().toString() : HOST + ":" + port);
    }
    CommandSpec c = ((Probe.Command) probe).command();
    return "command `" + (c.shell() ? c.value() : String.join(" ", c.arguments())) + "`";
  }

  /** The outcome of a probe that took longer than {@code timeout}. */
  Outcome timedOut(Duration timeout) {
    return new Outcome(false, CheckResult.pending(probe.kind()),
        describe() + " timed out after " + timeout.toMillis() + " ms");
  }

  /**
   * Runs the probe once.
   *
   * @param timeout how long it may take; it gives up at about that time
   * @return what it found
   * @throws InterruptedException when interrupted (a command is then killed)
   */
  Outcome run(Duration timeout) throws InterruptedException {
    if (portProblem != null) {
      return new Outcome(false, CheckResult.pending(probe.kind()),
          describe() + " impossible: " + portProblem);
    }
    if (probe instanceof Probe.Http h) {
      return http(h, timeout);
    } else if (probe instanceof Probe.Tcp) {
      return tcp(timeout);
    }
    return command(((Probe.Command) probe).command(), timeout);
  }

  private String url(Probe.Http h) {
    return (h.https() ? "https" : "http") + "://" + HOST + ":" + port + h.path();
  }

  private Outcome http(Probe.Http h, Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    URI target = URI.create(url(h));
    try {
      // As Mesos' curl -L: redirects are followed and the last answer is judged and reported.
      for (int hop = 0; ; hop++) {
        HttpURLConnection c = (HttpURLConnection) target.toURL().openConnection();
        try {
          if (c instanceof HttpsURLConnection s) {
            // As Mesos' curl -k: a task's certificate is rarely one for 127.0.0.1.
            s.setSSLSocketFactory(TrustAll.FACTORY);
            s.setHostnameVerifier((host, session) -> true);
          }
          c.setRequestMethod("GET");
          c.setInstanceFollowRedirects(false);
          c.setUseCaches(false);
          c.setConnectTimeout(millis);
          c.setReadTimeout(millis);
          int status = c.getResponseCode();
          String location = c.getHeaderField("Location");
          drain(c);
          if (status >= 300 && status < 400 && location != null && hop < MAX_REDIRECTS) {
            target = target.resolve(location);
            continue;
          }
          boolean passed = status >= 200 && status < 400;
          return new Outcome(passed, CheckResult.statusCode(status),
              describe() + " answered " + status
                  + (hop > 0 ? " after " + hop + " redirect(s), from " + target : ""));
        } finally {
          c.disconnect();
        }
      }
    } catch (SocketTimeoutException e) {
      return timedOut(timeout);
    } catch (IOException | IllegalArgumentException e) {
      return new Outcome(false, CheckResult.pending(probe.kind()),
          describe() + " failed: " + e);
    }
  }

  private static void drain(HttpURLConnection c) {
    try (InputStream in = c.getResponseCode() >= 400 ? c.getErrorStream() : c.getInputStream()) {
      if (in != null) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    } catch (IOException ignored) {
      // the status is what counts
    }
  }

  private Outcome tcp(Duration timeout) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(HOST, port), millis);
      return new Outcome(true, CheckResult.tcp(true), describe() + " opened");
    } catch (SocketTimeoutException e) {
      return timedOut(timeout);
    } catch (IOException e) {
      return new Outcome(false, CheckResult.tcp(false), describe() + " failed: " + e);
    }
  }

  private Outcome command(CommandSpec c, Duration timeout) throws InterruptedException {
    ProcessBuilder pb = c.shell() ? new ProcessBuilder("/bin/sh", "-c", c.value())
        : new ProcessBuilder(c.arguments());
    pb.directory(sandbox.toFile());
    pb.environment().putAll(taskEnv);
    pb.environment().putAll(c.env());
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      return new Outcome(false, CheckResult.pending(probe.kind()),
          describe() + " could not start: " + e.getMessage());
    }
    boolean exited = false;
    try {
      exited = process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } finally {
      if (!exited) {
        destroyTree(process);
      }
    }
    if (!exited) {
      return timedOut(timeout);
    }
    int code = process.exitValue();
    return new Outcome(code == 0, CheckResult.exitCode(code), describe() + " exited " + code);
  }

  /** Kills a command and whatever it started, as Mesos kills a timed-out check's process tree. */
  private static void destroyTree(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  /** A TLS socket factory that accepts any certificate, as {@code curl -k} does. */
  private static final class TrustAll implements X509TrustManager {
    static final SSLSocketFactory FACTORY = create();

    private static SSLSocketFactory create() {
      try {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        return context.getSocketFactory();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no TLS context for HTTPS checks", e);
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      // trusted: a check only asks the task's own port
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
      // trusted: a check only asks the task's own port
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
