/**
 * Packing strategies and placement constraints: which offer runs which pending task, packed
 * tight ({@link dev.mesoskit.offers.PackingStrategies#binPack()}, the vector strategies), spread
 * ({@link dev.mesoskit.offers.PackingStrategies#spread()}) or first fit, within
 * {@link dev.mesoskit.offers.Constraints} on hosts and agent attributes, and with a reason a human
 * can read for every task left pending.
 *
 * <p>Where it sits: sdk-offers, a plug-in on top of sdk-core's public API
 * ({@link dev.mesoskit.core}) and SPI ({@link dev.mesoskit.core.spi.PackingStrategy}); it uses
 * nothing else of MesosKit.
 *
 * <p>Threading: a {@link dev.mesoskit.offers.Packer} is called on its framework's event thread
 * only, for packing and as a task listener, and keeps no lock; use one per framework. Constraints
 * and task groups are immutable.
 *
 * <pre>{@code
 * Packer packer = PackingStrategies.binPack()
 *     .constrain(TaskGroups.byLabel("app"), Constraints.uniqueHost(), Constraints.groupBy("zone"));
 * Framework framework = Framework.builder().name("web").packing(packer).build();
 * }</pre>
 */
package dev.mesoskit.offers;
