/**
 * ZooKeeper for MesosKit, through Curator: {@code zk://} master detection for the HTTP backend
 * ({@link dev.mesoskit.core.zookeeper.ZooKeeperMasterDetector}) and scheduler high availability
 * ({@link dev.mesoskit.core.zookeeper.ZooKeeperHa}: a leader election and a fenced state store on
 * one ZooKeeper session).
 *
 * <p>Where it sits: the module sdk-zookeeper, beside sdk-http; it implements
 * {@link dev.mesoskit.core.spi.LeaderElection} and {@link dev.mesoskit.core.spi.StateStore} and
 * uses nothing of MesosKit but the public core and sdk-http.
 *
 * <p>Threading: every public class is safe from any thread; the detector reads ZooKeeper on its
 * daemon thread {@code mesoskit-zk-detector}, the election calls its listener on its daemon
 * thread {@code mesoskit-zk-election}.
 *
 * <pre>{@code
 * ZooKeeperHa ha = ZooKeeperHa.connect("zk://zk1:2181,zk2:2181/mesoskit/web");
 * Framework.builder().name("web").leaderElection(ha.election()).stateStore(ha.stateStore());
 * }</pre>
 */
package dev.mesoskit.core.zookeeper;
