package dev.mesoskit.core.http;

import static dev.mesoskit.core.http.CallExchange.PROTOBUF;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.mesoskit.core.MesosKitException;
import dev.mesoskit.core.http.SubscriptionStream.Kind;
import dev.mesoskit.core.http.SubscriptionStream.Trouble;
import dev.mesoskit.core.spi.SchedulerEvents;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.mesos.v1.scheduler.Protos.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SUBSCRIBE of an {@link HttpSchedulerBackend} to one master: what the scheduler API makes of
 * its answer (a stream, a redirect, a refusal in words) and of its events (SUBSCRIBED, ERROR and
 * heartbeats here, the rest through {@link EventDelivery}). OFFERS, UPDATE and HEARTBEAT come
 * decoded straight into values ({@link WireEventDecoder}); the others parsed.
 *
 * <p>Threading: called by the {@link SubscriptionStream} of the attempt, events on the HTTP
 * client's threads one at a time; logs as {@link HttpSchedulerBackend}.
 */
final class SchedulerAttempt implements SubscriptionStream.Api<WireEvent> {
  private static final Logger log = LoggerFactory.getLogger(HttpSchedulerBackend.class);

  private final URI master;
  /** Who the framework authenticates as, for the words of a refusal; null for nobody. */
  private final String principal;
  private final Duration requestTimeout;
  private final int missedHeartbeats;
  private final SchedulerEvents events;
  /** Learns the stream id; sends the calls on it. */
  private final SchedulerCalls calls;
  /** Takes the framework id SUBSCRIBED assigns, before the stream counts as subscribed. */
  private final Consumer<String> subscribedAs;
  /** Whether the attempt ended because the master sent ERROR, rather than for the backend. */
  private volatile boolean masterSentError;

  SchedulerAttempt(URI master, String principal, Duration requestTimeout, int missedHeartbeats,
      SchedulerEvents events, SchedulerCalls calls, Consumer<String> subscribedAs) {
    this.master = master;
    this.principal = principal;
    this.requestTimeout = requestTimeout;
    this.missedHeartbeats = missedHeartbeats;
    this.events = events;
    this.calls = calls;
    this.subscribedAs = subscribedAs;
  }

  @Override
  public WireEvent parse(byte[] bytes, int offset, int length) {
    try {
      return EventDelivery.read(bytes, offset, length);
    } catch (InvalidProtocolBufferException e) {
      throw new MesosKitException("master " + master + " sent an event that is not a valid"
          + " v1 scheduler Event (" + length + " bytes): " + e.getMessage(), e);
    }
  }

  @Override
  public String notAStream(ResponseHead response) {
    String type = response.header("Content-Type").orElse("");
    Optional<String> id = response.header("Mesos-Stream-Id");
    if (!type.startsWith(PROTOBUF)) {
      return PeerTrouble.notAStream("master", master, type);
    }
    if (id.isEmpty()) {
      return "master " + master + " answered SUBSCRIBE with Content-Type '" + type
          + "' and stream id " + id.orElse("(none)") + "; expected " + PROTOBUF
          + " and a Mesos-Stream-Id";
    }
    calls.streamOpened(master, id.get());
    return null;
  }

  @Override
  public Kind notAStreamKind(ResponseHead response) {
    // Only a Mesos master answers the scheduler API with a stream of protobuf events; another
    // server never will, however often it is asked.
    return response.header("Content-Type").orElse("").startsWith(PROTOBUF)
        ? Kind.RETRY : Kind.FATAL;
  }

  @Override
  public void refused(SubscriptionStream<WireEvent> stream, ResponseHead r, String answer) {
    int status = r.status();
    String body = answer == null ? "" : answer;
    if (status == 307) {
      Optional<String> location = r.header("Location");
      if (location.isPresent()) {
        stream.end(Kind.REDIRECT, "redirect",
            HttpSchedulerBackend.leaderBase(master, location.get()));
      } else {
        stream.end(Kind.RETRY, "307 without Location from " + master);
      }
      return;
    }
    String type = r.header("Content-Type").orElse("");
    if (PeerTrouble.notMesos(status)) {
      stream.end(Kind.FATAL, PeerTrouble.notMesos("master", master, status, type, body));
      return;
    }
    if (status == 401 || status == 403) {
      stream.end(Kind.FATAL, credentialsRefused(status, PeerTrouble.brief(type, body)));
      return;
    }
    MesosCallException e = new MesosCallException("SUBSCRIBE", master.toString(), status, body);
    stream.end(SubscriptionStream.kindOf(status), e.getMessage());
  }

  /** A 401 or 403: no retry brings other credentials. */
  private String credentialsRefused(int status, String brief) {
    String refusal;
    if (status == 401) {
      refusal = principal == null
          ? " asks for credentials and the framework has none (set a principal and its secret"
              + " file)"
          : " did not accept the credentials of principal '" + principal + "'";
    } else {
      refusal = principal == null
          ? " does not allow the framework to subscribe without credentials"
          : " does not allow principal '" + principal + "' to subscribe this framework";
    }
    return "master " + master + refusal + ": it answered " + status + " to SUBSCRIBE"
        + (brief.isEmpty() ? "" : " (" + brief + ")");
  }

  @Override
  public boolean transientStatus(int status) {
    return status >= 500 || status == 408 || status == 429 || status == 307;
  }

  @Override
  public String describe(Trouble trouble, String detail) {
    return switch (trouble) {
      case UNREACHABLE -> "cannot reach master " + master + ": " + detail;
      case UNFINISHED_BODY -> "master " + master + " answered SUBSCRIBE with HTTP " + detail
          + " but did not finish its body within " + requestTimeout;
      case NO_SUBSCRIBED -> "master " + master + " sent no SUBSCRIBED event within "
          + requestTimeout + " of answering SUBSCRIBE";
      case BROKEN -> "stream from " + master + " broke: " + detail;
      case CLOSED -> "master " + master + " closed the stream";
    };
  }

  @Override
  public void handlingFailed(Throwable e) {
    log.error("event handling failed master={}", master, e);
  }

  /** The events of one read reach the framework's event thread together. */
  @Override
  public void batch(Runnable deliveries) {
    events.batch(deliveries);
  }

  @Override
  public void dispatch(SubscriptionStream<WireEvent> stream, WireEvent event) {
    switch (event.type()) {
      case SUBSCRIBED -> {
        Event.Subscribed s = event.parsed().getSubscribed();
        String frameworkId = s.getFrameworkId().getValue();
        subscribedAs.accept(frameworkId);
        stream.markSubscribed();
        Duration interval = EventDelivery.heartbeatInterval(s);
        watchHeartbeats(stream, interval);
        log.info("subscribed master={} framework_id={} heartbeat={}", master, frameworkId,
            interval);
        events.subscribed(frameworkId, interval, master.toString());
      }
      case ERROR -> {
        masterSentError = true;
        stream.end(Kind.FATAL, event.parsed().getError().getMessage());
      }
      case HEARTBEAT -> {
        log.trace("heartbeat master={}", master);
        events.heartbeat();
      }
      default -> EventDelivery.deliver(event, events);
    }
  }

  /** About {@code missedHeartbeats} silent intervals count as a dead connection. */
  private void watchHeartbeats(SubscriptionStream<WireEvent> stream, Duration interval) {
    long limit = interval.toNanos() * missedHeartbeats;
    long period = Math.max(1_000_000L, interval.toNanos() / 2);
    stream.watchSilence(limit, period, silent -> "no event or heartbeat from " + master
        + " for " + Duration.ofNanos(silent).toMillis() + " ms (" + missedHeartbeats
        + " heartbeat intervals of " + interval.toMillis() + " ms)");
  }

  /** Whether the master ended this attempt with an ERROR event. */
  boolean masterSentError() {
    return masterSentError;
  }
}
