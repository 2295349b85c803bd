/**
 * An embedded Mesos-compatible cluster: {@link dev.mesoskit.local.LocalCluster} runs a master and
 * N agents in one JVM that speak Mesos' real v1 scheduler and executor HTTP APIs on loopback, so
 * a framework and MesosKit's HTTP backend run against it unchanged.
 *
 * <p>Where it sits: sdk-local, on top of sdk-core's public API and SPI only; it provides
 * {@code --master=local} through {@link dev.mesoskit.local.LocalClusterProvider}, and a standalone
 * {@link dev.mesoskit.local.LocalClusterMain} like {@code mesos-local}. Agents run executors and
 * command tasks as real OS processes in per-executor sandboxes, which they delete some time after
 * the container ended, as Mesos agents do ({@code gcDelay}, {@code --gc_delay}). The master checks
 * calls, offers, tasks and executors as a real Mesos master does, in its order and words; each
 * rule, the answer and the test that holds it are listed in {@code sdk-local/VALIDATION.md}.
 *
 * <p>Threading: {@code LocalCluster}'s methods are safe from any thread. The master guards its
 * books with one lock and writes each scheduler stream from that request's thread; each agent
 * reports to the master from one thread of its own, in order, and deletes sandboxes on another,
 * holding no lock.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.builder().agents(2).start()) {
 *   Framework framework = Framework.builder().name("demo")
 *       .backend(Backends.fromArgs("--master=" + cluster.masterAddress())).build();
 *   ...
 * }
 * }</pre>
 */
package dev.mesoskit.local;
