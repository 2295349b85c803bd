/**
 * The machinery behind {@link dev.mesoskit.core.Framework}: the event loop, the offer round, the
 * task state machine and reconciliation. (The first-fit default and the stock framework id stores
 * are in {@link dev.mesoskit.core.spi}, beside the interfaces they implement.)
 *
 * <p>Where it sits: sdk-core only, above the values of {@code dev.mesoskit.core} and the SPI and
 * below the entry points ({@code Framework}, {@code Service}) that assemble it; no other module
 * may import it (architecture tests enforce both). Nothing here is API.
 *
 * <p>Threading: {@link dev.mesoskit.core.internal.FrameworkRuntime} and the parts it coordinates
 * (its event loop, offer round, task state machine with its deadlines, reconciler and
 * subscription) confine their state to one event thread; its public methods queue work onto it.
 * Only the subscription's flag, which other threads wait on, is shared.
 *
 * <pre>{@code
 * // not for users: build a Framework instead
 * }</pre>
 */
package dev.mesoskit.core.internal;
