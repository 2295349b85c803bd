/**
 * An embedded Mesos-compatible cluster speaking the v1 HTTP APIs on loopback; filled by the sdk-local issue.
 *
 * <p>Where it sits: sdk-local, on top of sdk-core's public API and SPI.
 *
 * <p>Threading: nothing here yet.
 */
package dev.mesoskit.local;
