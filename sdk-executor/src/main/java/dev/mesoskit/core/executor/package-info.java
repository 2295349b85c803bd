/**
 * The executor runtime: write a {@link dev.mesoskit.core.executor.TaskHandler} for one task, and
 * {@link dev.mesoskit.core.executor.ExecutorMain} connects to the agent, runs the handler for every
 * task the scheduler launches on this executor and reports each task to exactly one outcome.
 *
 * <p>Where it sits: the module sdk-executor, the executor-side twin of
 * {@link dev.mesoskit.core.Framework}. It speaks MesosKit values only and reaches the agent through
 * the {@link dev.mesoskit.core.spi.ExecutorBackend} port: the v1 executor HTTP API
 * ({@link dev.mesoskit.core.http.HttpExecutorBackend} of sdk-http, the default) or libmesos'
 * executor driver ({@code dev.mesoskit.core.jni.NativeExecutorBackend} of sdk-native,
 * {@code --driver=native}, found with {@link java.util.ServiceLoader} when that module is on the
 * class path). Protobuf stays in those backends.
 *
 * <p>Threading: every task's handler runs on its own daemon thread, so tasks run concurrently and
 * handlers may block; a kill interrupts that thread and cancels its
 * {@link dev.mesoskit.core.executor.TaskContext}. {@code TaskContext} is safe from any thread.
 * {@link dev.mesoskit.core.executor.ExecutorMain#run} blocks its caller until the executor is
 * shut down or loses its agent, and returns an exit code.
 *
 * <pre>{@code
 * public final class InvertExecutor {
 *   public static void main(String[] args) {
 *     TaskHandler invert = context -> {
 *       URI image = URI.create(context.dataAsString());
 *       if (!image.getPath().endsWith(".png")) {
 *         throw new PermanentFailure("not a PNG image: " + image);   // never retried
 *       }
 *       context.progress("downloading " + image);
 *       Path out = Images.invert(image, context.sandbox());          // throws: FAILED, retried
 *       context.progress("inverted into " + out.getFileName());
 *     };                                                             // returns: FINISHED
 *     System.exit(ExecutorMain.run(args, invert));
 *   }
 * }
 * }</pre>
 */
package dev.mesoskit.core.executor;
