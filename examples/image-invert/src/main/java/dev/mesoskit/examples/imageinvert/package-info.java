/**
 * The image-invert batch example; filled by the image-invert issue.
 *
 * <p>Where it sits: an example on top of every sdk module.
 *
 * <p>Threading: nothing here yet.
 */
package dev.mesoskit.examples.imageinvert;
