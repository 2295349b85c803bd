/**
 * The MesosKit user API: describe tasks ({@link dev.mesoskit.core.TaskSpec},
 * {@link dev.mesoskit.core.ResourceSpec}) and submit them to a {@link dev.mesoskit.core.Framework},
 * which talks to the Mesos master, packs tasks onto offers and tracks each to one outcome.
 *
 * <p>Where it sits: the top of sdk-core. Plug-ins (packing strategies, artifact stores, backends)
 * implement {@link dev.mesoskit.core.spi}; the other sdk modules use only this package and the SPI.
 *
 * <p>Threading: value types are immutable records. {@code Framework} methods are safe from any
 * thread; listeners run on the framework's event thread, one call at a time.
 *
 * <pre>{@code
 * Framework framework = Framework.builder().name("hello").backend(backend).build();
 * framework.start();
 * TaskId id = framework.submit(TaskSpec.builder()
 *     .name("greet").resources("cpus:0.1;mem:32").command("echo hello").build());
 * Task outcome = framework.outcome(id).join();
 * }</pre>
 */
package dev.mesoskit.core;
