/**
 * The webserver long-running task example: {@link dev.mesoskit.examples.webserver.WebServers}
 * (the scheduler, {@code java -jar webserver.jar}) keeps N servers running on
 * {@link dev.mesoskit.examples.webserver.WebServerExecutor} (the executor, the same jar fetched
 * from the artifact server), each serving a text on a port taken from an offer.
 *
 * <p>Where it sits: an example on top of sdk-core, sdk-offers, sdk-artifacts and sdk-local.
 *
 * <p>Threading: the scheduler prints on the framework's event thread (a task listener), reads
 * its commands ({@code instances N}, {@code text NEW TEXT}) from stdin on a daemon thread, and
 * stops on its main thread when a signal or a server's end completes its stop future; the executor
 * serves each task on the JDK HTTP server's dispatcher thread while the task's own thread waits
 * for the kill.
 *
 * <pre>{@code
 * java -jar webserver.jar --instances 2 --text "Hello from Server"
 * }</pre>
 */
package dev.mesoskit.examples.webserver;
