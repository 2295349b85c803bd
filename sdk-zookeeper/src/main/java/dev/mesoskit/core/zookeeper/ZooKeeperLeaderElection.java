package dev.mesoskit.core.zookeeper;

import dev.mesoskit.core.spi.LeaderElection;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Curator's {@link LeaderLatch} on {@code <base>/leader}, with fencing: the leader that stops
 * being sure it leads (its connection is SUSPENDED or LOST, or the latch says it does not lead
 * any more) is told {@link Listener#lost} at once, and the ZooKeeper client is closed so that its
 * ephemeral nodes (latch and state store owner) go as soon as ZooKeeper hears of it. A standby
 * whose connection drops is told nothing: it acts on nothing, and the latch contends again once
 * the connection is back.
 *
 * <p>Two daemon threads: {@code mesoskit-zk-election} hears the connection state and tells the
 * listener that the instance lost, and {@code mesoskit-zk-elected} tells it that it was elected
 * (what the framework then does may block, e.g. waiting for the old leader's session to end),
 * so that a lost connection is reported at once even then.
 */
final class ZooKeeperLeaderElection implements LeaderElection {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderElection.class);

  private enum State { LATENT, STARTED, CLOSED }

  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final ZooKeeperHa ha;
  private final String path;
  private final ExecutorService events = daemon("mesoskit-zk-election");
  private final ExecutorService electedThread = daemon("mesoskit-zk-elected");
  private final AtomicBoolean lost = new AtomicBoolean();
  private final ConnectionStateListener connectionListener = this::connectionChanged;
  private volatile LeaderLatch latch;
  private volatile Listener listener;
  private volatile boolean elected;

  ZooKeeperLeaderElection(ZooKeeperHa ha) {
    this.ha = ha;
    this.path = ha.basePath() + "/leader";
  }

  private static ExecutorService daemon(String name) {
    return Executors.newSingleThreadExecutor(runnable -> {
      Thread t = new Thread(runnable, name);
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void start(Listener listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("leader election already "
          + (state.get() == State.CLOSED ? "closed" : "started") + ": " + ha.url());
    }
    this.listener = listener;
    ha.client().getConnectionStateListenable().addListener(connectionListener, events);
    LeaderLatch created = new LeaderLatch(ha.client(), path, ha.instance(),
        LeaderLatch.CloseMode.SILENT);
    created.addListener(new LeaderLatchListener() {
      @Override
      public void isLeader() {
        if (!elected && !lost.get() && state.get() == State.STARTED) {
          elected = true;
          run(electedThread, ZooKeeperLeaderElection.this::tellElected);
        }
      }

      @Override
      public void notLeader() {
        if (!elected) {
          return;
        }
        // The latch hears a dropped connection too, and may tell before the connection
        // listener does: say what happened, whichever comes first.
        lose(ha.client().getZookeeperClient().isConnected()
            ? "the ZooKeeper leader latch " + path + " says this instance does not lead any more"
            : "ZooKeeper connection " + ConnectionState.SUSPENDED
                + ": this instance may no longer lead");
      }
    }, events);
    latch = created;
    try {
      created.start();
      LOG.info("joined the leader election url={} instance={}", ha.url(), ha.instance());
    } catch (Exception e) {
      lose("could not join the ZooKeeper leader election " + ha.url() + ": " + e);
    }
  }

  @Override
  public void close() {
    State previous = state.getAndSet(State.CLOSED);
    if (previous == State.CLOSED) {
      return;
    }
    ha.client().getConnectionStateListenable().removeListener(connectionListener);
    LeaderLatch l = latch;
    if (l != null && !lost.get()) {
      try {
        l.close(); // deletes this instance's node while the client is connected
      } catch (Exception e) {
        LOG.debug("leader latch did not close cleanly url={} error={}", ha.url(), e.toString());
      }
    }
    stop(events);
    stop(electedThread);
    if (previous == State.STARTED) {
      LOG.info("left the leader election url={} instance={}", ha.url(), ha.instance());
    }
  }

  @Override
  public String toString() {
    return "ZooKeeperLeaderElection " + ha.url() + "/leader instance=" + ha.instance();
  }

  private static void run(ExecutorService executor, Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException closed) {
      // closed meanwhile
    }
  }

  private void stop(ExecutorService executor) {
    executor.shutdown();
    try {
      // The listener may close the election from its own callback: do not wait long for that.
      if (!executor.awaitTermination(ha.connectionTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void connectionChanged(CuratorFramework ignored, ConnectionState newState) {
    if (newState != ConnectionState.SUSPENDED && newState != ConnectionState.LOST) {
      return;
    }
    if (elected) {
      lose("ZooKeeper connection " + newState + ": this instance may no longer lead");
    } else {
      LOG.warn("standby's ZooKeeper connection is {}: it contends again once reconnected url={}"
          + " instance={}", newState, ha.url(), ha.instance());
    }
  }

  /** Tells the listener, unless the election was lost or closed since. */
  private void tellElected() {
    if (state.get() != State.STARTED || lost.get()) {
      return;
    }
    LOG.info("elected leader url={} instance={}", ha.url(), ha.instance());
    try {
      listener.elected();
    } catch (RuntimeException e) {
      LOG.error("leader election listener failed in elected url={}", ha.url(), e);
    }
  }

  /**
   * Tells the listener once, on the events thread, then ends the session so that this instance's
   * nodes go away as soon as ZooKeeper hears of it.
   */
  private void lose(String reason) {
    if (state.get() != State.STARTED || !lost.compareAndSet(false, true)) {
      return;
    }
    run(events, () -> {
      LOG.warn("lost the leader election url={} instance={} wasElected={} reason={}", ha.url(),
          ha.instance(), elected, reason);
      try {
        listener.lost(reason);
      } catch (RuntimeException e) {
        LOG.error("leader election listener failed in lost url={}", ha.url(), e);
      }
      ha.closeClient();
    });
  }
}
