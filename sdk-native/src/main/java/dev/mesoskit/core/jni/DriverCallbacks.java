package dev.mesoskit.core.jni;

import dev.mesoskit.core.Offer;
import dev.mesoskit.core.spi.SchedulerEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.mesos.Protos;
import org.apache.mesos.Scheduler;
import org.apache.mesos.SchedulerDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Scheduler} libmesos calls: turns each callback into one {@link SchedulerEvents}
 * event with MesosKit values.
 *
 * <p>Threading: libmesos calls it on its own thread, one callback at a time, in the order the
 * master sent the messages. Nothing may escape a callback: libmesos aborts the driver when Java
 * code throws, so failures are logged here.
 */
final class DriverCallbacks implements Scheduler {
  /** The v0 driver knows no heartbeats; the v1 API's default interval stands in for it. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(DriverCallbacks.class);

  private final SchedulerEvents events;
  private final AtomicReference<String> frameworkId;

  DriverCallbacks(SchedulerEvents events, Optional<String> failoverId) {
    this.events = events;
    this.frameworkId = new AtomicReference<>(failoverId.orElse(null));
  }

  /** The framework id the master registered, or the one failed over to; empty before either. */
  Optional<String> frameworkId() {
    return Optional.ofNullable(frameworkId.get());
  }

  @Override
  public void registered(SchedulerDriver driver, Protos.FrameworkID id, Protos.MasterInfo master) {
    deliver("registered", () -> {
      frameworkId.set(id.getValue());
      log.info("native driver registered framework_id={} master={}", id.getValue(),
          describe(master));
      events.subscribed(id.getValue(), HEARTBEAT);
    });
  }

  @Override
  public void reregistered(SchedulerDriver driver, Protos.MasterInfo master) {
    deliver("reregistered", () -> {
      String id = frameworkId.get();
      if (id == null) {
        log.error("native driver re-registered before it registered; event dropped master={}",
            describe(master));
        return;
      }
      log.info("native driver re-registered framework_id={} master={}", id, describe(master));
      events.subscribed(id, HEARTBEAT);
    });
  }

  @Override
  public void resourceOffers(SchedulerDriver driver, List<Protos.Offer> offers) {
    deliver("resourceOffers", () -> {
      List<Offer> converted = new ArrayList<>(offers.size());
      for (Protos.Offer o : offers) {
        try {
          converted.add(V0Conversions.offer(o));
        } catch (RuntimeException e) {
          // Never held: an offer nobody answers stays with this framework until it disconnects.
          log.error("offer not understood, declining it offer={} agent={}", o.getId().getValue(),
              o.getSlaveId().getValue(), e);
          driver.declineOffer(o.getId());
        }
      }
      if (!converted.isEmpty()) {
        events.offers(converted);
      }
    });
  }

  @Override
  public void offerRescinded(SchedulerDriver driver, Protos.OfferID offerId) {
    deliver("offerRescinded", () -> events.rescind(offerId.getValue()));
  }

  @Override
  public void statusUpdate(SchedulerDriver driver, Protos.TaskStatus status) {
    deliver("statusUpdate", () -> events.update(V0Conversions.taskStatus(status)));
  }

  @Override
  public void frameworkMessage(SchedulerDriver driver, Protos.ExecutorID executorId,
      Protos.SlaveID agentId, byte[] data) {
    deliver("frameworkMessage",
        () -> events.message(agentId.getValue(), executorId.getValue(), data.clone()));
  }

  @Override
  public void disconnected(SchedulerDriver driver) {
    deliver("disconnected", () -> events.disconnected(
        "the libmesos driver lost the master; it re-registers by itself"));
  }

  @Override
  public void slaveLost(SchedulerDriver driver, Protos.SlaveID agentId) {
    deliver("slaveLost",
        () -> events.failure(agentId.getValue(), Optional.empty(), OptionalInt.empty()));
  }

  @Override
  public void executorLost(SchedulerDriver driver, Protos.ExecutorID executorId,
      Protos.SlaveID agentId, int status) {
    deliver("executorLost", () -> events.failure(agentId.getValue(),
        Optional.of(executorId.getValue()), OptionalInt.of(status)));
  }

  @Override
  public void error(SchedulerDriver driver, String message) {
    deliver("error", () -> {
      log.error("native driver received ERROR, libmesos aborted the driver framework_id={}"
          + " message={}", frameworkId.get(), message);
      events.error(message);
    });
  }

  private static void deliver(String callback, Runnable event) {
    try {
      event.run();
    } catch (RuntimeException e) {
      log.error("native driver callback failed; event dropped callback={}", callback, e);
    }
  }

  private static String describe(Protos.MasterInfo master) {
    String host = master.hasHostname() ? master.getHostname() : master.getId();
    return host + ":" + master.getPort();
  }
}
