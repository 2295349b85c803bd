/**
 * The machinery behind {@link dev.mesoskit.core.Framework}: the event loop, the task state
 * machine, reconciliation, the first-fit default and the stock framework id stores.
 *
 * <p>Where it sits: sdk-core only; no other module may import it (an architecture test enforces
 * this). Nothing here is API.
 *
 * <p>Threading: {@link dev.mesoskit.core.internal.FrameworkRuntime} confines its state to one
 * event thread; its public methods queue work onto it.
 *
 * <pre>{@code
 * // not for users: build a Framework instead
 * }</pre>
 */
package dev.mesoskit.core.internal;
