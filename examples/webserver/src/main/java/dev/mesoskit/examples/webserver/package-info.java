/**
 * The long-running web server example; filled by the webserver issue.
 *
 * <p>Where it sits: an example on top of every sdk module.
 *
 * <p>Threading: nothing here yet.
 */
package dev.mesoskit.examples.webserver;
