package dev.mesoskit.core.jni;

import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.TaskState;
import dev.mesoskit.core.spi.ExecutorBackend;
import dev.mesoskit.core.spi.ExecutorEvents;
import dev.mesoskit.core.spi.TaskStatus;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.mesos.Executor;
import org.apache.mesos.ExecutorDriver;
import org.apache.mesos.Protos;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link ExecutorBackend} over libmesos' JNI executor driver ({@code --driver=native}), for
 * agents an executor cannot reach over the v1 HTTP API. It needs libmesos on the agent's machine
 * ({@code MESOS_NATIVE_JAVA_LIBRARY}); nothing is loaded until {@link #subscribe}.
 *
 * <pre>{@code
 * int exitCode = ExecutorRuntime.builder()
 *     .backend(NativeExecutorBackend.create())
 *     .build()
 *     .run(handler);
 * }</pre>
 *
 * <p>How the SPI maps onto the driver: {@code subscribe} creates the driver and starts it (it
 * registers with the agent named by the environment the agent set); {@code update} is
 * {@code sendStatusUpdate} (libmesos replaces the uuid with its own, keeps the update and resends
 * it until the agent acknowledges it, so the returned future completes as soon as the driver took
 * the update); {@code close} waits until {@link #LINGER} passed since the last update, so that
 * libmesos can deliver it, then calls {@code stop()}. libmesos reports a lost agent as a
 * {@code shutdown} callback; {@link ExecutorEvents#lost} is never called.
 *
 * <p>Threading: every method is safe from any thread. libmesos calls back on its own thread, one
 * callback at a time; nothing thrown there reaches libmesos.
 */
public final class NativeExecutorBackend implements ExecutorBackend {
  /** How long {@link #close()} lets libmesos deliver the last update before stopping it. */
  public static final Duration LINGER = Duration.ofMillis(500);

  private static final Logger log = LoggerFactory.getLogger(NativeExecutorBackend.class);

  private enum State { LATENT, STARTED, CLOSED }

  private final Function<Executor, ExecutorDriver> driverFactory;
  private final Duration linger;

  // Guarded by this.
  private State state = State.LATENT;
  private ExecutorDriver driver;
  private long lastUpdateNanos;
  private boolean updated;

  NativeExecutorBackend(Function<Executor, ExecutorDriver> driverFactory, Duration linger) {
    this.driverFactory = Objects.requireNonNull(driverFactory, "driverFactory must not be null");
    this.linger = Objects.requireNonNull(linger, "linger must not be null");
  }

  /**
   * A backend over libmesos' {@code MesosExecutorDriver}.
   *
   * @return the backend, not yet started
   */
  public static NativeExecutorBackend create() {
    return new NativeExecutorBackend(new NativeExecutorDriverFactory(), LINGER);
  }

  /**
   * Creates the driver and starts it; registration happens on libmesos' thread and is reported
   * through {@link ExecutorEvents#subscribed}.
   *
   * @throws IllegalStateException when called twice or after {@link #close()}
   * @throws MesosKitException when libmesos cannot be loaded (the message says what was tried) or
   *     the driver does not start
   */
  @Override
  public synchronized void subscribe(ExecutorEvents events) {
    Objects.requireNonNull(events, "events must not be null");
    if (state != State.LATENT) {
      throw new IllegalStateException("subscribe needs a new native executor backend but this one"
          + " was " + (state == State.STARTED ? "already subscribed" : "closed"));
    }
    ExecutorDriver created;
    try {
      created = driverFactory.apply(new ExecutorCallbacks(events));
    } catch (RuntimeException e) {
      state = State.CLOSED;
      throw e;
    }
    Protos.Status status = created.start();
    if (status != Protos.Status.DRIVER_RUNNING) {
      state = State.CLOSED;
      throw new MesosKitException("the native executor driver did not start: status=" + status);
    }
    driver = created;
    state = State.STARTED;
    log.info("native executor driver started");
  }

  /**
   * Hands the update to libmesos, which delivers it reliably.
   *
   * @param status the update; never STAGING (libmesos would abort the driver)
   * @return completed when the driver took the update, failed when it refused it (closed or
   *     aborted driver)
   * @throws IllegalArgumentException for a STAGING update
   */
  @Override
  public CompletableFuture<Void> update(TaskStatus status) {
    if (status.state() == TaskState.STAGING || status.state() == TaskState.PENDING) {
      throw new IllegalArgumentException("an executor must not send " + status.state()
          + " but task " + status.mesosTaskId() + " did");
    }
    Protos.TaskStatus message = V0Conversions.executorStatus(status);
    ExecutorDriver d;
    synchronized (this) {
      d = running("update");
      if (d == null) {
        return CompletableFuture.failedFuture(new MesosKitException("native executor backend"
            + " closed, update not sent: task=" + status.mesosTaskId() + " state="
            + status.state()));
      }
      lastUpdateNanos = System.nanoTime();
      updated = true;
    }
    Protos.Status sent = d.sendStatusUpdate(message);
    if (sent != Protos.Status.DRIVER_RUNNING) {
      log.warn("native executor driver refused an update task={} state={} status={}",
          status.mesosTaskId(), status.state(), sent);
      return CompletableFuture.failedFuture(new MesosKitException("the native executor driver"
          + " refused the update: task=" + status.mesosTaskId() + " state=" + status.state()
          + " status=" + sent));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void message(byte[] data) {
    ExecutorDriver d;
    synchronized (this) {
      d = running("message");
    }
    if (d != null) {
      Protos.Status sent = d.sendFrameworkMessage(data.clone());
      if (sent != Protos.Status.DRIVER_RUNNING) {
        log.warn("native executor driver refused a message bytes={} status={}", data.length,
            sent);
      }
    }
  }

  /** The driver, or null when the call is dropped because the backend is closed. */
  private ExecutorDriver running(String call) {
    if (state == State.LATENT) {
      throw new IllegalStateException(call + " needs a subscribed native executor backend: call"
          + " subscribe first");
    }
    if (state == State.CLOSED) {
      log.debug("native executor backend closed, call dropped call={}", call);
      return null;
    }
    return driver;
  }

  /**
   * Stops the driver, after letting libmesos deliver the last update for up to {@link #LINGER}.
   * Idempotent.
   */
  @Override
  public void close() {
    ExecutorDriver d;
    long wait;
    synchronized (this) {
      if (state != State.STARTED) {
        state = State.CLOSED;
        return;
      }
      state = State.CLOSED;
      d = driver;
      wait = updated ? linger.toNanos() - (System.nanoTime() - lastUpdateNanos) : 0;
    }
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Protos.Status status = d.stop();
    if (status == Protos.Status.DRIVER_STOPPED || status == Protos.Status.DRIVER_ABORTED) {
      log.info("native executor driver stopped status={}", status);
    } else {
      log.warn("native executor driver did not stop cleanly status={}", status);
    }
  }

  @Override
  public String toString() {
    return "NativeExecutorBackend";
  }
}
