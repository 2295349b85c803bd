/**
 * Packing strategies and placement constraints over MesosKit offers; filled by the sdk-offers issue.
 *
 * <p>Where it sits: sdk-offers, on top of sdk-core's public API and SPI.
 *
 * <p>Threading: nothing here yet.
 */
package dev.mesoskit.offers;
