package dev.mesoskit.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Sees the framework's machinery at work, for metrics and status pages: offers as they come and
 * go, packing passes, launches, retries, the event loop's lag, the connection to the master and
 * the acknowledgements it owes. Register one with {@link Framework.Builder#observer}; sdk-metrics
 * turns these calls into Prometheus metrics, sdk-status into a live page.
 *
 * <p>Every method has an empty default, so an observer implements what it needs. Observers are
 * called in the order they were added. {@link #attached} comes first, on the thread that builds
 * the framework; every other call comes on the framework's event thread, one at a time, and must
 * not block. An observer that throws is logged at WARN (once per observer and method) and
 * otherwise ignored: it never fails the framework.
 *
 * <p>Durations (a packing pass, the event loop's lag) are measured with {@link System#nanoTime()}
 * when the framework's clock is a system clock (the default), so a wall-clock jump never shows in
 * them; with any other clock (a test's virtual clock) they are measured on that clock. Times
 * (a heartbeat's) always come from the framework's clock.
 *
 * <pre>{@code
 * Framework.builder().name("render").backend(backend)
 *     .observer(new FrameworkObserver() {
 *       public void retrying(Task task, Duration backoff) {
 *         System.out.println(task.id() + " retried in " + backoff);
 *       }
 *     })
 *     .build();
 * }</pre>
 */
public interface FrameworkObserver {

  /**
   * The observer was added to a framework being built; called once per framework, before any
   * other call, on the building thread.
   *
   * @param frameworkName the framework's name
   * @param clock the framework's clock, which the times given to the other calls come from
   */
  default void attached(String frameworkName, Clock clock) {}

  /**
   * Offers arrived from the master.
   *
   * @param offers the offers of one OFFERS event
   */
  default void offersReceived(List<Offer> offers) {}

  /**
   * Offers were accepted with launches on them; called once per batch of offers that used any.
   *
   * @param count how many offers
   */
  default void offersUsed(int count) {}

  /**
   * Offers were declined (nothing fit, or the framework needs nothing); called once per batch of
   * offers that declined any.
   *
   * @param count how many offers
   */
  default void offersDeclined(int count) {}

  /**
   * The master took back an offer before the framework used it.
   *
   * @param offerId the offer
   */
  default void offerRescinded(String offerId) {}

  /**
   * A packing pass ran over a batch of offers and the tasks due for a launch; called after the
   * launches it decided were sent. No pass runs when no task is due.
   *
   * @param took how long the packing strategy took (see the class comment on durations)
   * @param placed tasks it launched (each task of a pod counts)
   * @param pending tasks pending after the pass, due or waiting for a retry's backoff
   */
  default void packingPass(Duration took, int placed, int pending) {}

  /**
   * An attempt of a task was launched (accepted on an offer, {@link TaskState#STAGING}).
   *
   * @param task the task, in its new attempt
   */
  default void launched(Task task) {}

  /**
   * An attempt ended and the task will be tried again; comes right after
   * {@link #attemptEnded} for that attempt.
   *
   * @param task the task, with the attempt that ended and its state
   * @param backoff how long until the next attempt may launch
   */
  default void retrying(Task task, Duration backoff) {}

  /**
   * A launched attempt of a task ended, for any reason (its state and Mesos reason say which):
   * finished, failed, lost, killed... A task ended before any launch (killed while pending, not
   * placed in time) ends no attempt.
   *
   * @param task the task, with the attempt that ended: its state is how it ended
   */
  default void attemptEnded(Task task) {}

  /**
   * How late the event loop ran an event: the time between when an event (a master event, a
   * submission, a kill...) was queued and when it began to run (see the class comment on
   * durations); called before each such event runs. Timers are not measured.
   *
   * @param lag the delay, zero or more
   */
  default void eventLoopLag(Duration lag) {}

  /**
   * The master sent a heartbeat (for backends that report them, see
   * {@link dev.mesoskit.core.spi.SchedulerEvents#heartbeat()}).
   *
   * @param at when it arrived, on the framework's clock
   */
  default void heartbeat(Instant at) {}

  /**
   * The framework subscribed again after it had been subscribed before (after a disconnection or
   * a master failover); the first subscription is no reconnection.
   *
   * @param attempt the reconnect attempt that succeeded, from 1: one more than the failed
   *     attempts the backend reported since the connection was lost
   */
  default void reconnected(int attempt) {}

  /**
   * Status updates that need an acknowledgement and arrived from the master but are not yet
   * acknowledged (queued for the event thread or being handled) changed in number. Once the
   * framework stopped, updates are no longer acknowledged: when it terminates, the count is
   * reported as 0 (unless it already was) and no longer reported afterwards.
   *
   * @param outstanding how many now, zero or more
   */
  default void acknowledgementsOutstanding(int outstanding) {}

  /**
   * A change was written to the state store: submissions, launches (before the LAUNCH went out)
   * or outcomes (before their acknowledgement), as one write.
   *
   * @param took how long the store took
   * @param entries how many entries it wrote
   */
  default void stateWritten(Duration took, int entries) {}

  /**
   * This instance became the leader (its tasks recovered), or stopped leading: it lost the
   * election or the framework stopped. Without a leader election an instance leads from its
   * start.
   *
   * @param leading whether it leads now
   */
  default void leadership(boolean leading) {}
}
