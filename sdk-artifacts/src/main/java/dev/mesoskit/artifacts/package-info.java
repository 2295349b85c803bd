/**
 * The artifact server agents fetch executors from and executors upload results to; filled by the sdk-artifacts issue.
 *
 * <p>Where it sits: sdk-artifacts, on top of sdk-core's public API and SPI.
 *
 * <p>Threading: nothing here yet.
 */
package dev.mesoskit.artifacts;
