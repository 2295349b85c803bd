package dev.mesoskit.local;

import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscriber's RecordIO stream of a {@link LocalMaster}, written asynchronously (no thread per
 * subscriber), with a HEARTBEAT every heartbeat interval on the master's timers; a subscriber
 * that closes its connection is disconnected at once, as Mesos does.
 *
 * <p>Threading: {@link #send} and {@link #close} may be called from any thread, also under the
 * master's lock; the stream's own monitor guards only its heartbeat timer.
 */
final class SchedulerStream {
  /** Logs as the master, under whose name these lines have always been written. */
  private static final Logger log = LoggerFactory.getLogger(LocalMaster.class);

  private final LocalMaster master;
  final String id = UUID.randomUUID().toString();
  final Wire wire;
  final RecordStream records;
  volatile LocalMaster.FrameworkEntry framework;
  private ScheduledFuture<?> heartbeat;
  private boolean closed;

  SchedulerStream(LocalMaster master, Wire wire, Request request, Response response,
      Callback callback) {
    this.master = master;
    this.wire = wire;
    this.records = new RecordStream(request, response, callback, wire.mediaType);
    response.getHeaders().put("Mesos-Stream-Id", id);
  }

  void send(Event event) {
    records.send(wire.record(event));
  }

  void close() {
    synchronized (this) {
      closed = true;
    }
    records.close();
    stopHeartbeats();
  }

  /**
   * Sends the headers and what was queued, then heartbeats until the stream ends.
   *
   * @param ended told, on a timer thread, when the subscriber goes away
   */
  void open(Consumer<SchedulerStream> ended) {
    records.onBroken(cause -> {
      stopHeartbeats();
      log.debug("subscriber stream {} broken: {}", id, cause.toString());
      // The break may be found by a write under the master's lock (a send while a call is
      // handled): the framework is disconnected on another thread, never inside that call.
      try {
        master.timers.execute(() -> ended.accept(this));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        log.debug("master closing, stream {} ends with it", id);
      }
    });
    long beat = master.settings.heartbeatInterval().toMillis();
    synchronized (this) {
      if (!closed && !records.ended()) {
        try {
          heartbeat = master.timers.scheduleAtFixedRate(this::beat, beat, beat,
              TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          log.debug("master closing, no heartbeats for stream {}", id);
        }
      }
    }
    records.start();
  }

  private void beat() {
    if (records.ended()) {
      stopHeartbeats();
    } else if (master.heartbeats) {
      send(Event.newBuilder().setType(Event.Type.HEARTBEAT).build());
    }
  }

  private synchronized void stopHeartbeats() {
    if (heartbeat != null) {
      heartbeat.cancel(false);
      heartbeat = null;
    }
  }
}
