/**
 * The {@code mesoskit} command line: lists agents, frameworks and tasks of a Mesos cluster, reads
 * task sandboxes and tears frameworks down through Mesos' v1 operator API, and starts the local
 * cluster.
 *
 * <p>Where it sits: an application on top of sdk-http (master addresses, v1 protos) and
 * sdk-local ({@code mesoskit local}); nothing depends on it. It speaks {@code POST /api/v1} on
 * masters and agents with JSON, so it works against real Mesos and LocalCluster alike.
 *
 * <p>Threading: every command runs on the calling thread and returns when done; nothing here is
 * shared between threads.
 *
 * <pre>{@code
 * java -jar mesoskit-cli/target/mesoskit.jar tasks --master=127.0.0.1:5050 --state running
 * }</pre>
 */
package dev.mesoskit.cli;
