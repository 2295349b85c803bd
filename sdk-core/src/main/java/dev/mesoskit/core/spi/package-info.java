/**
 * What plug-ins implement: {@link dev.mesoskit.core.spi.SchedulerBackend} (the port to a Mesos
 * master), {@link dev.mesoskit.core.spi.ExecutorBackend} (an executor's port to its agent),
 * {@link dev.mesoskit.core.spi.PackingStrategy}, {@link dev.mesoskit.core.spi.FrameworkIdStore}
 * and {@link dev.mesoskit.core.spi.ArtifactPublisher} (what an artifact server offers a framework),
 * with the values they exchange with the framework and the executor runtime.
 *
 * <p>Where it sits: sdk-core; the core never imports a plug-in, plug-ins import this package and
 * {@link dev.mesoskit.core}.
 *
 * <p>Threading: the framework calls strategies and stores on its event thread only; a backend
 * delivers {@link dev.mesoskit.core.spi.SchedulerEvents} (or
 * {@link dev.mesoskit.core.spi.ExecutorEvents}) from its own threads, in order; an
 * {@link dev.mesoskit.core.spi.ArtifactPublisher} may be called from any thread.
 *
 * <pre>{@code
 * PackingStrategy largestFirst = (tasks, offers) -> PackingStrategy.firstFit().pack(
 *     tasks.stream().sorted(byMemoryDescending).toList(), offers);
 * }</pre>
 */
package dev.mesoskit.core.spi;
