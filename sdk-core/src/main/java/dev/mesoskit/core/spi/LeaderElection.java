package dev.mesoskit.core.spi;

/**
 * Decides which of several scheduler instances of one framework leads: only the leader
 * subscribes to the master and writes the {@link StateStore}; the others wait as standbys and one
 * of them takes over, with the same framework id, when the leader dies.
 *
 * <p>An instance that stops leading (its session with the coordination service ended, or it can
 * no longer be sure it still leads) must stop acting at once: the election calls
 * {@link Listener#lost} as soon as it learns it, and the framework disconnects from the master
 * before that call returns and then fails. An instance is elected at most once: to contend
 * again, start a new framework (a new process, usually).
 *
 * <p>Threading: {@link #start} and {@link #close} are called by the framework; the listener is
 * called on the election's own thread, once for {@link Listener#elected} and at most once for
 * {@link Listener#lost}, which may come without an election first (the election failed).
 *
 * <pre>{@code
 * ZooKeeperHa ha = ZooKeeperHa.connect("zk://zk1:2181,zk2:2181/mesoskit/web");
 * Framework.builder().name("web").leaderElection(ha.election()).stateStore(ha.stateStore());
 * }</pre>
 */
public interface LeaderElection extends AutoCloseable {
  /** Hears the outcome of the election. */
  interface Listener {
    /** This instance leads now. */
    void elected();

    /**
     * This instance does not lead any more, or will never lead: the framework must stop.
     *
     * @param reason why, e.g. {@code "ZooKeeper connection SUSPENDED"}
     */
    void lost(String reason);
  }

  /**
   * Starts contending.
   *
   * @param listener told when this instance is elected and when it loses
   */
  void start(Listener listener);

  /** Stops contending, giving up the leadership if held; idempotent, throws nothing. */
  @Override
  void close();
}
