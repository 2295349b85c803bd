package dev.mesoskit.tutorial.chapter2;

import dev.mesoskit.core.Backends;
import dev.mesoskit.core.Offer;
import dev.mesoskit.core.spi.FrameworkInfo;
import dev.mesoskit.core.spi.SchedulerBackend;
import dev.mesoskit.core.spi.SchedulerEvents;
import dev.mesoskit.core.spi.TaskStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Chapter 2's program: a scheduler one level below {@code Framework}. It subscribes, prints every
 * offer the master sends, declines it, and tears down after a number of offers.
 *
 * <pre>
 * java -cp docs/target/tutorial.jar dev.mesoskit.tutorial.chapter2.LogOffers --master=local
 * </pre>
 */
public final class LogOffers implements SchedulerEvents {
  private final SchedulerBackend backend;
  private final PrintStream out;
  private final List<Offer> received = new CopyOnWriteArrayList<>();
  private final CountDownLatch enough;

  private LogOffers(SchedulerBackend backend, PrintStream out, int offers) {
    this.backend = backend;
    this.out = out;
    this.enough = new CountDownLatch(offers);
  }

  /**
   * Logs and declines four offers, then exits.
   *
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   * @throws InterruptedException if interrupted while waiting for offers
   */
  public static void main(String[] args) throws InterruptedException {
    List<Offer> offers = run(System.out, 4, args);
    System.out.println("declined " + offers.size() + " offers, tore down");
  }

  /**
   * Subscribes to the master {@code args} names, logs and declines offers until {@code count}
   * arrived (or 30 s passed), then tears the framework down.
   *
   * @param out where offers are logged
   * @param count how many offers to wait for
   * @param args {@code --master=...} and the other options of {@link Backends#fromArgs}
   * @return the offers, in the order they arrived
   * @throws InterruptedException if interrupted while waiting for offers
   */
  public static List<Offer> run(PrintStream out, int count, String... args)
      throws InterruptedException {
    // tutorial:begin subscribe
    try (SchedulerBackend backend = Backends.fromArgs(args)) {
      LogOffers scheduler = new LogOffers(backend, out, count);
      FrameworkInfo info = new FrameworkInfo("log-offers", System.getProperty("user.name"),
          "*", Optional.empty(), Optional.empty(), Duration.ZERO, Optional.empty(),
          Optional.empty(), Set.of());
      backend.subscribe(info, scheduler);               // events arrive on the backend's thread
      scheduler.enough.await(30, TimeUnit.SECONDS);
      backend.teardown();                               // the master forgets the framework
      return List.copyOf(scheduler.received);
    }
    // tutorial:end subscribe
  }

  // tutorial:begin events
  @Override
  public void subscribed(String frameworkId, Duration heartbeatInterval) {
    out.println("registered as " + frameworkId + ", heartbeat every " + heartbeatInterval);
  }

  @Override
  public void offers(List<Offer> offers) {
    for (Offer offer : offers) {
      out.println("offer " + offer.id() + " from agent " + offer.agentId() + " ("
          + offer.hostname() + "): " + offer.resources());
    }
    // Nothing to run: hand the resources back; the master re-offers them after 1 s.
    backend.decline(offers.stream().map(Offer::id).toList(), Duration.ofSeconds(1));
    received.addAll(offers);
    offers.forEach(offer -> enough.countDown());
  }
  // tutorial:end events

  @Override
  public void rescind(String offerId) {
    out.println("offer " + offerId + " rescinded");
  }

  @Override
  public void update(TaskStatus status) {
    out.println("update " + status); // this framework launches nothing, so none are expected
  }

  @Override
  public void message(String agentId, String executorId, byte[] data) {
    out.println("message from executor " + executorId);
  }

  @Override
  public void failure(String agentId, Optional<String> executorId, OptionalInt status) {
    out.println("agent " + agentId + " failed");
  }

  @Override
  public void error(String message) {
    out.println("error from the master: " + message);
  }

  @Override
  public void disconnected(String cause) {
    out.println("disconnected: " + cause);
  }
}
